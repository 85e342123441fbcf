//! Cargo.toml for a crate written outside the workspace: a step's manifest with every
//! `.workspace = true` replaced by the workspace's value, otp-core by its path, and a note of
//! what the crate was made for (which `cargo xtask check` reads).
//! Cargo: `[workspace.package]`, `[workspace.dependencies]`, `[package.metadata]`

use std::path::Path;

use crate::regions::ExerciseId;
use crate::{Error, Result};

/// What a written crate was made for: `made-for = "exercise 5.1"` in its Cargo.toml.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MadeFor {
    /// `cargo xtask exercise N.k`: the starter of one exercise.
    Exercise(ExerciseId),
    /// `cargo xtask chapter N`: the chapter as the workshop leaves it.
    Chapter(u32),
    /// `cargo xtask start N`: the chapter's tests on the code of the step before.
    Start(u32),
}

impl std::fmt::Display for MadeFor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MadeFor::Exercise(id) => write!(f, "exercise {id}"),
            MadeFor::Chapter(n) => write!(f, "chapter {n}"),
            MadeFor::Start(n) => write!(f, "start {n}"),
        }
    }
}

impl MadeFor {
    /// Reads `exercise 5.1`, `chapter 5` or `start 5`.
    pub fn parse(text: &str) -> Option<MadeFor> {
        let (what, number) = text.split_once(' ')?;
        match what {
            "exercise" => ExerciseId::parse(number).map(MadeFor::Exercise),
            "chapter" => number.parse().ok().map(MadeFor::Chapter),
            "start" => number.parse().ok().map(MadeFor::Start),
            _ => None,
        }
    }

    /// The chapter whose step it comes from.
    pub fn chapter(self) -> u32 {
        match self {
            MadeFor::Exercise(id) => id.chapter,
            MadeFor::Chapter(n) | MadeFor::Start(n) => n,
        }
    }

    /// Where `cargo xtask` writes it by default, under the checkout's learn/.
    pub fn default_dir(self) -> String {
        format!("learn/{}", self.to_string().replace(' ', "-"))
    }
}

/// How a crate is written: for a learner, or as a member of verify's one workspace.
pub enum Layout<'a> {
    /// Its own workspace (an empty `[workspace]` table), the step's package name.
    Standalone,
    /// A member of verify's workspace: renamed so that every view can be a member, its
    /// library keeping the step's name (the code says `use step5_genserver::...`), its binary
    /// renamed too so that no two outputs share a file name.
    Member {
        package: &'a str,
        lib: bool,
        bin: bool,
    },
}

/// The Cargo.toml of a crate made from a step, to be written in the folder `dir` (absolute):
/// the step's `manifest` with the workspace's values (`workspace_manifest`) put in,
/// path dependencies pointing from `dir` to the checkout at `root`.
pub fn standalone(
    manifest: &str,
    workspace_manifest: &str,
    dir: &Path,
    root: &Path,
    made_for: MadeFor,
    layout: Layout,
) -> Result<String> {
    let package = table_entries(workspace_manifest, "workspace.package");
    let dependencies = table_entries(workspace_manifest, "workspace.dependencies");
    let mut out = Vec::new();
    let mut table = String::new();
    for line in manifest.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            table = trimmed.to_string();
        }
        let inherited = trimmed
            .strip_suffix(".workspace = true")
            .or_else(|| trimmed.strip_suffix(" = { workspace = true }"));
        let Some(key) = inherited else {
            if trimmed.contains("workspace") && !trimmed.starts_with('#') {
                return Err(Error::new(format!(
                    "cannot write `{trimmed}` ({table}) outside the workspace: only \
                     `key.workspace = true` and `key = {{ workspace = true }}` are understood"
                )));
            }
            match (&layout, table.as_str(), trimmed.starts_with("name ")) {
                (Layout::Member { package, .. }, "[package]", true) => {
                    out.push(format!("name = \"{package}\""));
                }
                _ => out.push(line.to_string()),
            }
            continue;
        };
        let values = if table == "[package]" {
            &package
        } else {
            &dependencies
        };
        let Some((_, value)) = values.iter().find(|(k, _)| k == key) else {
            return Err(Error::new(format!(
                "`{trimmed}` ({table}): the workspace's Cargo.toml has no value for `{key}`"
            )));
        };
        out.push(format!("{key} = {}", with_paths_from(value, dir, root)));
    }
    let lib_name = package_name(manifest).unwrap_or_default().replace('-', "_");
    match layout {
        Layout::Standalone => {}
        Layout::Member { package, lib, bin } => {
            if lib {
                out.push(format!(
                    "\n[lib]\nname = \"{lib_name}\"\npath = \"src/lib.rs\""
                ));
            }
            if bin {
                out.push(format!(
                    "\n[[bin]]\nname = \"{package}\"\npath = \"src/main.rs\""
                ));
            }
        }
    }
    out.push(format!(
        "\n# Written by `cargo xtask` from a small-otp checkout; `cargo xtask check` reads this.\n\
         [package.metadata.small-otp]\nmade-for = \"{made_for}\""
    ));
    if let Layout::Standalone = layout {
        out.push("\n# A workspace of its own, not a member of the checkout's.\n[workspace]".into());
    }
    Ok(out.join("\n") + "\n")
}

/// The `name = "..."` of a manifest's [package] table.
fn package_name(manifest: &str) -> Option<String> {
    let mut in_package = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if let (true, Some(value)) = (in_package, line.strip_prefix("name")) {
            let value = value.trim_start().strip_prefix('=')?.trim();
            return Some(value.trim_matches('"').to_string());
        }
    }
    None
}

/// What a written crate's Cargo.toml says it was made for.
pub fn made_for(manifest: &str) -> Option<MadeFor> {
    let table = table_entries(manifest, "package.metadata.small-otp");
    let (_, value) = table.into_iter().find(|(key, _)| key == "made-for")?;
    MadeFor::parse(value.trim_matches('"'))
}

/// The `key = value` lines of one table of a manifest, values as written.
fn table_entries(manifest: &str, name: &str) -> Vec<(String, String)> {
    let header = format!("[{name}]");
    let mut inside = false;
    let mut entries = Vec::new();
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            inside = line == header;
        } else if let (true, Some((key, value))) = (inside, line.split_once('=')) {
            entries.push((key.trim().to_string(), value.trim().to_string()));
        }
    }
    entries
}

/// `{ path = "otp-core" }` (relative to the root) -> a path from `dir`: relative if `dir` is
/// inside the checkout, else absolute, so the crate still finds otp-core.
fn with_paths_from(value: &str, dir: &Path, root: &Path) -> String {
    let Some((before, rest)) = value.split_once("path = \"") else {
        return value.to_string();
    };
    let Some((path, after)) = rest.split_once('"') else {
        return value.to_string();
    };
    let target = root.join(path);
    let path = if dir.starts_with(root) {
        crate::files::relative(dir, &target)
    } else {
        target
    };
    format!("{before}path = \"{}\"{after}", path.display())
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORKSPACE: &str = "\
[workspace]
members = [\"otp-core\"]

[workspace.package]
edition = \"2024\"
version = \"0.1.0\"

[workspace.dependencies]
otp-core = { path = \"otp-core\" }
pretty_assertions = \"1\"
";

    const STEP: &str = "\
[package]
name = \"step5-genserver\"
edition.workspace = true
version.workspace = true
publish = false

[dependencies]
otp-core.workspace = true

[dev-dependencies]
pretty_assertions = { workspace = true }
";

    /// The manifest `step` gives in folder `dir` of a checkout at /r.
    fn write(step: &str, dir: &str, layout: Layout) -> Result<String> {
        let made_for = MadeFor::parse("exercise 5.1").unwrap();
        standalone(
            step,
            WORKSPACE,
            Path::new(dir),
            Path::new("/r"),
            made_for,
            layout,
        )
    }

    #[test]
    fn a_standalone_crate_has_the_workspaces_values_and_a_workspace_of_its_own() {
        let expected = "\
[package]
name = \"step5-genserver\"
edition = \"2024\"
version = \"0.1.0\"
publish = false

[dependencies]
otp-core = { path = \"../../otp-core\" }

[dev-dependencies]
pretty_assertions = \"1\"

# Written by `cargo xtask` from a small-otp checkout; `cargo xtask check` reads this.
[package.metadata.small-otp]
made-for = \"exercise 5.1\"

# A workspace of its own, not a member of the checkout's.
[workspace]
";
        let written = write(STEP, "/r/learn/exercise-5.1", Layout::Standalone).unwrap();
        assert_eq!(expected, written);
        assert_eq!(
            Some(MadeFor::Exercise(ExerciseId { chapter: 5, k: 1 })),
            made_for(&written)
        );
        let outside = write(STEP, "/tmp/mine", Layout::Standalone).unwrap();
        assert!(
            outside.contains("otp-core = { path = \"/r/otp-core\" }\n"),
            "{outside}"
        );
    }

    #[test]
    fn a_member_of_verifys_workspace_is_renamed_but_its_library_is_not() {
        let layout = Layout::Member {
            package: "starter-5-1",
            lib: true,
            bin: true,
        };
        let written = write(STEP, "/r/target/xtask/verify/starter-5-1", layout).unwrap();
        assert!(
            written.starts_with("[package]\nname = \"starter-5-1\"\n"),
            "{written}"
        );
        assert!(
            written.contains("otp-core = { path = \"../../../../otp-core\" }"),
            "{written}"
        );
        assert!(written.contains("\n[lib]\nname = \"step5_genserver\"\npath = \"src/lib.rs\"\n"));
        assert!(written.contains("\n[[bin]]\nname = \"starter-5-1\"\npath = \"src/main.rs\"\n"));
        assert!(!written.contains("[workspace]"), "{written}");
    }

    #[test]
    fn a_workspace_value_that_cannot_be_written_out_is_an_error() {
        let features = "[dependencies]\nx = { workspace = true, features = [\"y\"] }\n";
        let error = write(features, "/r/a", Layout::Standalone).unwrap_err();
        assert!(
            error
                .message
                .starts_with("cannot write `x = { workspace = true"),
            "{}",
            error.message
        );
        let unknown = "[dependencies]\nonce_cell.workspace = true\n";
        assert_eq!(
            "`once_cell.workspace = true` ([dependencies]): the workspace's Cargo.toml has no value for `once_cell`",
            write(unknown, "/r/a", Layout::Standalone)
                .unwrap_err()
                .message
        );
    }

    #[test]
    fn made_for_reads_back_what_was_written() {
        for text in ["exercise 5.1", "chapter 6", "start 1"] {
            assert_eq!(text, MadeFor::parse(text).unwrap().to_string());
        }
        for bad in ["exercise 5", "chapter x", "stop 1", "chapter"] {
            assert_eq!(None, MadeFor::parse(bad), "{bad}");
        }
        assert_eq!(
            "learn/exercise-5.1",
            MadeFor::parse("exercise 5.1").unwrap().default_dir()
        );
        assert_eq!(None, made_for("[package]\nname = \"x\"\n"));
    }
}
