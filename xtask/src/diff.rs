//! `cargo xtask diff N`: what chapter N changes, and nothing else: step N-1 solved against
//! chapter N as the workshop leaves it (its exercises' solutions out), code and Cargo.toml.
//! Workshop: each chapter's listing · DESIGN.md: "the diff between two steps is the chapter"

use std::process::Command;

use crate::cargo::target_dir;
use crate::files::{self, Files, show};
use crate::views::{View, render};
use crate::workshop::Workshop;
use crate::{Error, Result};

/// Writes both sides under target/xtask/diff/, named as the steps so that the diff's headers
/// read `a/step5-genserver/src/...` and `b/step6-supervisor/src/...`, and shows them with
/// git, its pager and colours as usual.
pub fn diff(workshop: &Workshop, n: u32) -> Result<()> {
    let step = workshop.chapter(n)?;
    let (before_name, before) = match workshop.before(n) {
        Some(before) => (
            before.dir.clone(),
            with_manifest(render(before, View::Solved)?, &before.manifest),
        ),
        None => ("step0".to_string(), step_0(&step.manifest)),
    };
    let after = with_manifest(render(step, View::Chapter(n))?, &step.manifest);
    let base = target_dir(&workshop.root)?.join("xtask").join("diff");
    files::sync(&base.join(&before_name), &before)?;
    files::sync(&base.join(&step.dir), &after)?;
    println!(
        "chapter {n}: {before_name} -> {} as the workshop leaves it (exercises unsolved), \
         src/, tests/ and Cargo.toml; the files are in {}",
        step.dir,
        show(&base)
    );
    if let Some(code) = lines_of_code_changed(&base, &before_name, &step.dir) {
        println!("{code} lines of code change (comments and blank lines aside)");
    }
    let status = Command::new("git")
        .current_dir(&base)
        .args([
            "diff",
            "--no-index",
            "--stat",
            "--patch",
            &before_name,
            &step.dir,
        ])
        .status()
        .map_err(|e| {
            Error::new(format!("cannot run git: {e}")).detail("the diff needs git on PATH")
        })?;
    // git diff --no-index answers 1 when the two sides differ, as they do; no code at all
    // when a signal ended it (`cargo xtask diff 6 | head` closes its pipe early).
    match status.code() {
        Some(0 | 1) | None => Ok(()),
        Some(_) => Err(Error::new(format!("git diff failed ({status})"))),
    }
}

/// How many added or removed lines of the diff are code: not blank, not a comment. `None`
/// if git cannot say.
fn lines_of_code_changed(base: &std::path::Path, before: &str, after: &str) -> Option<usize> {
    let output = Command::new("git")
        .current_dir(base)
        .args(["diff", "--no-index", "--no-color", "-U0", before, after])
        .output()
        .ok()?;
    let patch = String::from_utf8_lossy(&output.stdout);
    let code = patch
        .lines()
        .filter(|line| !line.starts_with("+++") && !line.starts_with("---"))
        .filter_map(|line| line.strip_prefix(['+', '-']))
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("//"))
        .count();
    Some(code)
}

/// A view's files and the step's own Cargo.toml (only its package name changes in a diff).
fn with_manifest(mut files: Files, manifest: &str) -> Files {
    files.insert("Cargo.toml".into(), manifest.to_string());
    files
}

/// Step 0, the root README's `cargo new --lib` on otp-core: step 1's Cargo.toml named
/// `step0`, and an empty lib.rs.
fn step_0(step_1_manifest: &str) -> Files {
    let manifest = step_1_manifest
        .lines()
        .map(|line| {
            if line.starts_with("name = ") {
                "name = \"step0\""
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut files = Files::new();
    files.insert("Cargo.toml".into(), manifest + "\n");
    files.insert("src/lib.rs".into(), String::new());
    files
}
