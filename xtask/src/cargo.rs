//! Running cargo from the task runner: the same cargo that runs it, and the workspace's
//! target folder, where the task runner keeps what it generates (target/xtask/).
//! Rust: the xtask pattern's `env::var("CARGO")` · Cargo: `cargo metadata`

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::json::Json;
use crate::{Error, Result};

/// A `cargo` command: the cargo that runs `cargo xtask` (same toolchain), else the one on PATH.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// The workspace's target folder (`target/`, unless CARGO_TARGET_DIR or a config says else).
pub fn target_dir(root: &Path) -> Result<PathBuf> {
    let output = cargo()
        .current_dir(root)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .output()
        .map_err(|e| Error::new(format!("cannot run cargo metadata: {e}")))?;
    let metadata = Json::parse(&String::from_utf8_lossy(&output.stdout));
    let target = metadata
        .as_ref()
        .and_then(|m| m.get("target_directory").str());
    match target {
        Some(target) => Ok(PathBuf::from(target)),
        None => Err(
            Error::new("cargo metadata did not say where the target folder is")
                .detail(String::from_utf8_lossy(&output.stderr).trim().to_string()),
        ),
    }
}
