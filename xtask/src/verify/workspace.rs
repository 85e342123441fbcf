//! verify's views as one cargo workspace under target/xtask/verify/: written, built with
//! one cargo invocation (sharing the checkout's target folder and lockfile), and checked
//! for formatting. Cargo: `--keep-going`, `--message-format=json` · rustfmt: `--check`

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::Planned;
use crate::cargo::cargo;
use crate::files::{self, Files, show};
use crate::json::Json;
use crate::manifest::{self, Layout};
use crate::views;
use crate::workshop::Workshop;
use crate::{Error, Result};

/// What building one crate gave: its test programs, its compiler's errors and warnings, and
/// the first place rustfmt would change (learners read the views as they read the steps).
#[derive(Default)]
pub struct Built {
    /// Its test programs, each a file to run.
    pub programs: Vec<PathBuf>,
    /// rustc's errors, a line each.
    pub errors: Vec<String>,
    /// rustc's warnings, a line each.
    pub warnings: Vec<String>,
    /// Where rustfmt would first change it.
    pub unformatted: Option<String>,
}

/// Writes every planned view as a member of one workspace in `base`, and that workspace's
/// Cargo.toml and Cargo.lock (the checkout's: the same dependency versions, so the compiled
/// dependencies in the shared target folder are reused).
pub fn write_workspace(workshop: &Workshop, planned: &[Planned], base: &Path) -> Result<()> {
    let root = &workshop.root;
    let workspace_manifest = files::read(&root.join("Cargo.toml"))?;
    let mut members = Vec::new();
    for view in planned {
        let mut crate_files = views::files_for(workshop, view.made_for)?;
        let layout = Layout::Member {
            package: &view.name,
            lib: crate_files.contains_key(Path::new("src/lib.rs")),
            bin: crate_files.contains_key(Path::new("src/main.rs")),
        };
        let dir = base.join(&view.name);
        let manifest = manifest::standalone(
            &view.step.manifest,
            &workspace_manifest,
            &dir,
            root,
            view.made_for,
            layout,
        )?;
        crate_files.insert("Cargo.toml".into(), manifest);
        files::sync(&dir, &crate_files)?;
        members.push(format!("    \"{}\",", view.name));
    }
    // Folders of views that no longer exist go.
    for old in std::fs::read_dir(base).into_iter().flatten().flatten() {
        let name = old.file_name().to_string_lossy().to_string();
        if old.path().is_dir() && !planned.iter().any(|v| v.name == name) {
            std::fs::remove_dir_all(old.path())
                .map_err(|e| Error::new(format!("cannot remove {}: {e}", show(&old.path()))))?;
        }
    }
    let mut top = Files::new();
    top.insert(
        "Cargo.toml".into(),
        format!(
            "# Written by `cargo xtask verify`: every chapter view and exercise starter.\n\
             [workspace]\nresolver = \"3\"\nmembers = [\n{}\n]\n",
            members.join("\n")
        ),
    );
    top.insert("Cargo.lock".into(), files::read(&root.join("Cargo.lock"))?);
    for (path, text) in &top {
        let path = base.join(path);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text) {
            files::write(&path, text)?;
        }
    }
    Ok(())
}

/// Builds every test program of the workspace in `base` with one cargo invocation, sharing
/// the checkout's target folder. Gives what each crate built, and cargo's own warnings.
pub fn build(base: &Path, target: &Path) -> Result<(BTreeMap<String, Built>, Vec<String>)> {
    let output = cargo()
        .current_dir(base)
        .env("CARGO_TARGET_DIR", target)
        .args([
            "build",
            "--tests",
            "--workspace",
            "--keep-going",
            "--message-format=json",
        ])
        .output()
        .map_err(|e| Error::new(format!("cannot run cargo: {e}")))?;
    let mut built: BTreeMap<String, Built> = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Some(message) = Json::parse(line) else {
            continue;
        };
        let Some(name) = crate_of(&message) else {
            continue;
        };
        let entry = built.entry(name).or_default();
        match message.get("reason").str() {
            Some("compiler-artifact") => {
                let is_test = message.get("profile").get("test") == &Json::Bool(true);
                if let (true, Some(program)) = (is_test, message.get("executable").str()) {
                    entry.programs.push(PathBuf::from(program));
                }
            }
            Some("compiler-message") => {
                let diagnostic = message.get("message");
                let Some(text) = diagnostic_line(diagnostic) else {
                    continue;
                };
                // A test build and a plain build of the same file say the same twice.
                match diagnostic.get("level").str() {
                    Some("error") if !entry.errors.contains(&text) => entry.errors.push(text),
                    Some("warning") if !entry.warnings.contains(&text) => entry.warnings.push(text),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    // What cargo itself says on stderr: "warning: output filename collision" and the like
    // are ours to mend. Its count of a crate's compiler warnings, and its note that a crate
    // failed, repeat what the messages above already say.
    let stderr = String::from_utf8_lossy(&output.stderr);
    let warnings = stderr
        .lines()
        .filter(|line| line.starts_with("warning:"))
        .filter(|line| !line.contains(" generated ") && !line.contains("build failed"))
        .map(|line| line.trim_start_matches("warning: ").to_string())
        .collect();
    if built.is_empty() {
        let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error")).collect();
        return Err(Error::new(format!("cargo built nothing in {}", show(base)))
            .detail(errors.join("\n  ")));
    }
    Ok((built, warnings))
}

/// `cargo fmt --check` over every view: notes in each the first place rustfmt would change.
pub fn check_format(base: &Path, built: &mut BTreeMap<String, Built>) {
    let output = cargo()
        .current_dir(base)
        .args(["fmt", "--all", "--check"])
        .output();
    let Ok(output) = output.as_ref().map(|o| String::from_utf8_lossy(&o.stdout)) else {
        println!("note: cargo fmt did not run: the views' formatting is not checked");
        return;
    };
    // `Diff in /…/target/xtask/verify/chapter-5/src/gen_server.rs:66:`
    for line in output.lines() {
        let Some(place) = line
            .strip_prefix("Diff in ")
            .map(|l| l.trim_end_matches(':'))
        else {
            continue;
        };
        let Ok(inside) = Path::new(place).strip_prefix(base) else {
            continue;
        };
        let Some(name) = inside.iter().next() else {
            continue;
        };
        let entry = built.entry(name.to_string_lossy().to_string()).or_default();
        entry
            .unformatted
            .get_or_insert_with(|| inside.display().to_string());
    }
}

/// The verify crate a cargo message is about, from its manifest's folder name.
fn crate_of(message: &Json) -> Option<String> {
    let manifest = Path::new(message.get("manifest_path").str()?);
    Some(
        manifest
            .parent()?
            .file_name()?
            .to_string_lossy()
            .to_string(),
    )
}

/// `chapter-1/src/echo.rs:12: unused import: `Pid``; `None` for rustc's closing counts
/// ("aborting due to...", "2 warnings emitted").
fn diagnostic_line(diagnostic: &Json) -> Option<String> {
    let text = diagnostic.get("message").str()?;
    let primary = diagnostic
        .get("spans")
        .items()
        .iter()
        .find(|span| span.get("is_primary") == &Json::Bool(true));
    let Some(span) = primary else {
        let closing = text.starts_with("aborting due to") || text.ends_with("emitted");
        return (!closing).then(|| text.to_string());
    };
    let file = span.get("file_name").str().unwrap_or("?");
    let line = match span.get("line_start") {
        Json::Number(n) => *n as u64,
        _ => 0,
    };
    Some(format!("{file}:{line}: {text}"))
}
