//! Files and paths: reading and writing with errors that name the file, and paths shown as
//! a learner would type them (relative to where they are).
//! Elixir: `File.read!/1`, `Path.relative_to_cwd/1` · Rust: std::fs, std::path

use std::collections::BTreeMap;
use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::{Error, Result};

/// A crate's files by path inside it (`src/echo.rs`), with their text.
pub type Files = BTreeMap<PathBuf, String>;

/// Reads a text file.
pub fn read(path: &Path) -> Result<String> {
    fs::read_to_string(path).map_err(|e| Error::new(format!("cannot read {}: {e}", show(path))))
}

/// Writes a text file, making its folder first.
pub fn write(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| Error::new(format!("cannot create {}: {e}", show(parent))))?;
    }
    fs::write(path, text).map_err(|e| Error::new(format!("cannot write {}: {e}", show(path))))
}

/// Makes `dir` hold exactly `files`: writes those that differ, removes any other file. A file
/// left as it was keeps its time stamp, so cargo does not rebuild what did not change.
pub fn sync(dir: &Path, files: &Files) -> Result<()> {
    for old in walk(dir)? {
        if !files.contains_key(&old) {
            let path = dir.join(&old);
            fs::remove_file(&path)
                .map_err(|e| Error::new(format!("cannot remove {}: {e}", show(&path))))?;
        }
    }
    for (path, text) in files {
        let path = dir.join(path);
        if fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            write(&path, text)?;
        }
    }
    Ok(())
}

/// Every file under `dir`, as paths inside it, sorted; none if `dir` does not exist.
pub fn walk(dir: &Path) -> Result<Vec<PathBuf>> {
    fn visit(root: &Path, dir: &Path, found: &mut Vec<PathBuf>) -> std::io::Result<()> {
        for entry in fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                visit(root, &path, found)?;
            } else if let Ok(inside) = path.strip_prefix(root) {
                found.push(inside.to_path_buf());
            }
        }
        Ok(())
    }
    let mut found = Vec::new();
    if dir.is_dir() {
        visit(dir, dir, &mut found)
            .map_err(|e| Error::new(format!("cannot list {}: {e}", show(dir))))?;
    }
    found.sort();
    Ok(found)
}

/// `path` made absolute against the current folder, without `.` and `..`, and with the
/// symbolic links of its existing part resolved (so that it compares with the checkout's).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = std::env::current_dir().unwrap_or_default().join(path);
    let mut clean = PathBuf::new();
    for part in joined.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                clean.pop();
            }
            other => clean.push(other),
        }
    }
    // Resolve the longest part that exists; the rest is yet to be made.
    let mut existing = clean.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => return clean,
        }
    }
    let mut resolved = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    resolved.extend(rest.iter().rev());
    resolved
}

/// The relative path from folder `from` to `to`, both absolute: `learn/x` to `otp-core` is
/// `../../otp-core`.
pub fn relative(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut path: PathBuf = from[common..].iter().map(|_| "..").collect();
    path.extend(&to[common..]);
    path
}

/// A path as the learner would type it: relative to the current folder when inside it.
pub fn show(path: &Path) -> String {
    let here = std::env::current_dir().unwrap_or_default();
    let path = if path.is_absolute() {
        path.to_path_buf()
    } else {
        here.join(path)
    };
    match path.strip_prefix(&here) {
        Ok(inside) if inside.as_os_str().is_empty() => ".".to_string(),
        Ok(inside) => inside.display().to_string(),
        Err(_) => path.display().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_out_of_the_folder_then_into_the_target() {
        let path = |p: &str| PathBuf::from(p);
        assert_eq!(
            path("../../otp-core"),
            relative(&path("/r/learn/x"), &path("/r/otp-core"))
        );
        assert_eq!(
            path("otp-core"),
            relative(&path("/r"), &path("/r/otp-core"))
        );
        assert_eq!(
            path("../../r/otp-core"),
            relative(&path("/tmp/x"), &path("/r/otp-core"))
        );
    }

    #[test]
    fn absolute_paths_drop_dots_and_keep_the_part_yet_to_be_made() {
        let here = absolute(Path::new("."));
        assert_eq!(here.join("no/such"), absolute(Path::new("./a/../no/such/")));
        assert!(here.is_absolute());
    }
}
