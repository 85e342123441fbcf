//! Running cargo from the task runner: the same cargo that runs it.
//! Rust: the xtask pattern's `env::var("CARGO")`

use std::process::Command;

/// A `cargo` command: the cargo that runs `cargo xtask` (same toolchain), else the one on PATH.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}
