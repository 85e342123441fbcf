//! Compile-fail tests: each mistake a learner coming from Elixir makes in `receive!`,
//! `assert_receive!` or `refute_receive!` gets one compile error, and it says what to write.
//!
//! The cases are the files in `tests/compile_fail/`. A comment `//~ ERROR text` (or
//! `//~ WARN text`) on a line expects rustc to report, at that line, a diagnostic whose
//! message contains the text; every diagnostic must be expected, and every expectation met.
//! `fixes.rs` holds what the messages say to write: it must compile without a word.
//!
//! All cases are checked as one crate, each file a module, by a nested `cargo check` with a
//! target folder of its own under this one's (the `cargo test` running us holds the lock on
//! its own). It builds otp-core's dependencies once, in check mode: 1.4 to 2.2 s the first
//! time on a busy two-core machine, 0.1 to 0.2 s after that. trybuild does the same job,
//! but its own build (serde, syn, toml) would add ten seconds to a learner's first
//! `cargo test`.
//! Elixir: none, a bad pattern fails at run time · Rust: rustc's `//~ ERROR` test annotations

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A diagnostic, expected or reported: where, how bad, and its message (for an expectation,
/// a part of it).
#[derive(Debug, PartialEq)]
struct Diagnostic {
    file: String,
    line: usize,
    level: &'static str,
    message: String,
}

#[test]
fn each_mistake_gets_one_error_that_names_the_fix() {
    let cases = case_files();
    assert!(!cases.is_empty(), "no cases in tests/compile_fail");
    let mut expected: Vec<Diagnostic> = cases.iter().flat_map(|case| expectations(case)).collect();
    let reported = check(&cases);

    let mut unexpected = Vec::new();
    for diagnostic in reported {
        let found = expected.iter().position(|e| {
            (&e.file, e.line, e.level) == (&diagnostic.file, diagnostic.line, diagnostic.level)
                && diagnostic.message.contains(&e.message)
        });
        match found {
            Some(i) => drop(expected.remove(i)),
            None => unexpected.push(diagnostic),
        }
    }
    assert!(
        unexpected.is_empty() && expected.is_empty(),
        "reported but not expected:\n{}\n\nexpected but not reported:\n{}",
        show(&unexpected),
        show(&expected)
    );
}

fn show(diagnostics: &[Diagnostic]) -> String {
    let lines: Vec<String> = diagnostics
        .iter()
        .map(|d| format!("  {}:{}: {}: {}", d.file, d.line, d.level, d.message))
        .collect();
    if lines.is_empty() {
        "  (none)".to_string()
    } else {
        lines.join("\n")
    }
}

fn case_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/compile_fail");
    let mut cases: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .collect();
    cases.sort();
    cases
}

/// The `//~ ERROR` and `//~ WARN` comments of one case.
fn expectations(case: &Path) -> Vec<Diagnostic> {
    let text = fs::read_to_string(case).expect("a readable case");
    let mut expected = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some((_, note)) = line.split_once("//~ ") else {
            continue;
        };
        let (level, message) = match note.split_once(' ') {
            Some(("ERROR", message)) => ("error", message),
            Some(("WARN", message)) => ("warning", message),
            _ => panic!(
                "{}:{}: `//~ ERROR text` or `//~ WARN text`",
                case.display(),
                i + 1
            ),
        };
        expected.push(Diagnostic {
            file: case.display().to_string(),
            line: i + 1,
            level,
            message: message.trim().to_string(),
        });
    }
    expected
}

/// Checks the cases as one crate and returns what rustc reported in them.
fn check(cases: &[PathBuf]) -> Vec<Diagnostic> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("compile_fail");
    let manifest = format!(
        "[package]\nname = \"compile-fail-cases\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
         publish = false\n\n[dependencies]\notp-core = {{ path = {:?} }}\n\n\
         # Not a member of the workspace this folder is in.\n[workspace]\n",
        env!("CARGO_MANIFEST_DIR")
    );
    let lib: String = cases
        .iter()
        .map(|case| {
            let name = case.file_stem().unwrap().to_string_lossy();
            format!(
                "#[path = {:?}]\npub mod {name};\n",
                case.display().to_string()
            )
        })
        .collect();
    write_if_changed(&dir.join("Cargo.toml"), &manifest);
    write_if_changed(&dir.join("src/lib.rs"), &lib);
    // The workspace's lock file: the same dependency versions, found offline.
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    if let Ok(lock) = fs::read_to_string(lock) {
        write_if_changed(&dir.join("Cargo.lock"), &lock);
    }

    let output = Command::new(env!("CARGO"))
        .arg("check")
        .arg("--offline")
        .args(["--message-format", "short", "--color", "never"])
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(dir.join("target"))
        // The messages under test are rustc's defaults: `-D warnings` would make errors
        // of the expected warnings.
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&output.stderr);

    let mut reported = Vec::new();
    for line in stderr.lines() {
        let case = cases.iter().find_map(|case| {
            let file = case.display().to_string();
            line.strip_prefix(&file)?.strip_prefix(':')?;
            Some(file)
        });
        match case {
            Some(file) => reported.push(parse(file, line)),
            // Anything else that is an error (otp-core itself failing, cargo unable to
            // resolve offline) makes every expectation meaningless.
            None if line.starts_with("error") && !line.starts_with("error: could not compile") => {
                panic!("the cases could not be checked:\n{stderr}")
            }
            None => {}
        }
    }
    assert!(!reported.is_empty(), "no diagnostics at all:\n{stderr}");
    reported
}

/// One line of `--message-format short`: `file:line:column: level: message`.
fn parse(file: String, line: &str) -> Diagnostic {
    let rest = &line[file.len() + 1..];
    let mut parts = rest.splitn(3, ':');
    let line_number = parts.next().and_then(|n| n.parse().ok());
    let _column = parts.next();
    let rest = parts.next().unwrap_or_default().trim_start();
    let level = if rest.starts_with("error") {
        "error"
    } else if rest.starts_with("warning") {
        "warning"
    } else {
        "note"
    };
    let message = rest.split_once(": ").map_or(rest, |(_, message)| message);
    Diagnostic {
        file,
        line: line_number.unwrap_or_else(|| panic!("no line number in {line}")),
        level,
        message: message.to_string(),
    }
}

/// Leaves a file that is already right untouched, so that cargo finds its last check fresh.
fn write_if_changed(path: &Path, contents: &str) {
    if fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return;
    }
    fs::create_dir_all(path.parent().unwrap()).expect("the case folder");
    fs::write(path, contents).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}
