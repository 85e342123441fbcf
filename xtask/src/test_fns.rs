//! The `#[test]` functions of a file, found by reading it as rustfmt writes it, and the
//! exercises each one proves.
//! Elixir: `test "..." do ... end` blocks · Rust: libtest's test paths (`echo_test::echo`)

use std::collections::BTreeSet;
use std::path::Path;

use crate::regions::{ExerciseId, Kind, Region};

/// One `#[test]` function.
#[derive(Debug, Clone, PartialEq)]
pub struct TestFn {
    /// Its path as libtest prints it: `echo_test::exercise_1_1_junk_is_dropped`.
    pub path: String,
    /// The line of its `#[test]` attribute, from 1.
    pub first_line: usize,
    /// The line of the `}` that closes its body.
    pub last_line: usize,
    /// The exercises it proves (see [`exercises_of`]).
    pub exercises: BTreeSet<ExerciseId>,
    /// Those of them whose SOLUTION holds it or lies in its body: a view that leaves such an
    /// exercise unsolved still has the test, unsolved (exercise 4.1 fixes tests).
    pub unsolved_with: BTreeSet<ExerciseId>,
}

impl TestFn {
    /// Its name, the path's last part.
    pub fn name(&self) -> &str {
        self.path.rsplit("::").next().unwrap_or(&self.path)
    }
}

/// The module path libtest gives to the tests of a file of a crate: `src/echo_test.rs` ->
/// `echo_test`, `src/a/mod.rs` -> `a`, `src/lib.rs` and `tests/restart.rs` -> the crate's root.
pub fn module_of(file: &Path) -> String {
    let mut parts: Vec<String> = file
        .iter()
        .map(|part| part.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    // Neither src/ nor tests/ is a module, nor tests/<dir>/ (the test crate tests/<dir>/main.rs).
    let in_tests = parts.first().is_some_and(|top| top == "tests");
    let skip = if in_tests && parts.len() > 2 { 2 } else { 1 };
    parts.drain(..skip.min(parts.len()));
    // A crate root (lib, main, tests/x.rs) and a mod.rs name no module of their own.
    let root = in_tests && skip == 1;
    if parts
        .last()
        .is_some_and(|last| root || ["lib", "main", "mod"].contains(&last.as_str()))
    {
        parts.pop();
    }
    parts.join("::")
}

/// Every `#[test]` fn of a file, in order. `module` is the file's module path ([`module_of`]);
/// `regions` the file's regions, which tell the exercises a test proves.
///
/// rustfmt writes a test as a `#[test]` line, any other attributes and comments, the
/// `fn name(` line at the same indentation, and a body closed by that indentation and `}`.
/// Inline modules (`mod tests {`) close the same way.
pub fn find(text: &str, module: &str, regions: &[&Region]) -> Vec<TestFn> {
    let lines: Vec<&str> = text.lines().collect();
    let mut tests = Vec::new();
    let mut modules: Vec<(&str, String)> = Vec::new(); // (indentation, name) of inline modules
    for (index, line) in lines.iter().enumerate() {
        let indent = &line[..line.len() - line.trim_start().len()];
        let code = line.trim();
        if modules
            .last()
            .is_some_and(|(i, _)| *i == indent && code == "}")
        {
            modules.pop();
        }
        if let Some(name) = inline_module(code) {
            modules.push((indent, name.to_string()));
        }
        if code != "#[test]" {
            continue;
        }
        // Other attributes and comments may sit between `#[test]` and the `fn` line.
        let Some((fn_line, name)) = lines[index + 1..]
            .iter()
            .enumerate()
            .map(|(offset, next)| (index + 1 + offset, next.strip_prefix(indent)))
            .take_while(|(_, next)| next.is_some_and(|n| !n.starts_with(' ')))
            .find_map(|(at, next)| {
                let next = next?;
                match fn_name(next) {
                    Some(name) => Some(Some((at, name))),
                    None if next.starts_with('#') || next.starts_with("//") => None,
                    None => Some(None),
                }
            })
            .flatten()
        else {
            continue;
        };
        let close = format!("{indent}}}");
        let last = if lines[fn_line].trim_end().ends_with("{}") {
            fn_line
        } else {
            match lines[fn_line..].iter().position(|l| l.trim_end() == close) {
                Some(end) => fn_line + end,
                None => continue,
            }
        };
        let mut path: Vec<&str> = Vec::new();
        if !module.is_empty() {
            path.push(module);
        }
        path.extend(modules.iter().map(|(_, name)| name.as_str()));
        path.push(name);
        let mut test = TestFn {
            path: path.join("::"),
            first_line: index + 1,
            last_line: last + 1,
            exercises: BTreeSet::new(),
            unsolved_with: BTreeSet::new(),
        };
        (test.exercises, test.unsolved_with) = exercises_of(&test, regions);
        tests.push(test);
    }
    tests
}

/// The exercises a test proves: the one its name claims (`exercise_5_1_...`), any whose
/// region holds it, and any whose SOLUTION lies in its body (exercise 4.1 fixes tests).
/// A test held by a SOLUTION region counts too: a starter may bring it back unsolved.
/// Second, those of them whose SOLUTION holds it or lies in its body.
fn exercises_of(
    test: &TestFn,
    regions: &[&Region],
) -> (BTreeSet<ExerciseId>, BTreeSet<ExerciseId>) {
    let mut exercises: BTreeSet<ExerciseId> =
        ExerciseId::of_test_name(test.name()).into_iter().collect();
    let mut unsolved_with = BTreeSet::new();
    for region in regions {
        let holds_test = region.begin < test.first_line && test.last_line < region.end;
        let in_body = test.first_line < region.begin && region.end < test.last_line;
        if holds_test || (in_body && region.kind == Kind::Solution) {
            exercises.insert(region.id);
        }
        if (holds_test || in_body) && region.kind == Kind::Solution {
            unsolved_with.insert(region.id);
        }
    }
    (exercises, unsolved_with)
}

/// `fn name(`, `pub fn name<T>(`, `async fn name(`: the name.
fn fn_name(code: &str) -> Option<&str> {
    let rest = code.strip_prefix("pub ").unwrap_or(code);
    let rest = rest.strip_prefix("async ").unwrap_or(rest);
    let rest = rest.strip_prefix("fn ")?;
    let end = rest.find(['(', '<'])?;
    Some(&rest[..end])
}

/// `mod name {` or `pub mod name {`: the name.
fn inline_module(code: &str) -> Option<&str> {
    let rest = code.strip_prefix("pub ").unwrap_or(code);
    rest.strip_prefix("mod ")?.strip_suffix(" {")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::regions::Source;

    /// A test as the assertions below write it: path, lines, exercises, those unsolved with it.
    type Found = (String, usize, usize, String, String);

    fn tests_of(text: &str, module: &str) -> Vec<Found> {
        let source = Source::parse(text).unwrap();
        let ids = |set: &BTreeSet<ExerciseId>| {
            set.iter()
                .map(|id| id.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        };
        find(text, module, &source.regions())
            .into_iter()
            .map(|t| {
                (
                    t.path.clone(),
                    t.first_line,
                    t.last_line,
                    ids(&t.exercises),
                    ids(&t.unsolved_with),
                )
            })
            .collect()
    }

    fn expect(path: &str, first: usize, last: usize, ids: &str, unsolved_with: &str) -> Found {
        (
            path.to_string(),
            first,
            last,
            ids.to_string(),
            unsolved_with.to_string(),
        )
    }

    #[test]
    fn module_paths_are_those_libtest_prints() {
        for (file, module) in [
            ("src/lib.rs", ""),
            ("src/main.rs", ""),
            ("src/echo_test.rs", "echo_test"),
            ("src/supervisor/mod.rs", "supervisor"),
            ("src/supervisor/child_test.rs", "supervisor::child_test"),
            ("tests/fault_injection.rs", ""),
            ("tests/chaos/main.rs", ""),
            ("tests/chaos/clients.rs", "clients"),
        ] {
            assert_eq!(module, module_of(Path::new(file)), "{file}");
        }
    }

    #[test]
    fn tests_are_found_with_their_paths_and_lines() {
        let text = "\
use x;

#[test]
fn echo() {
    let pid = start();
}

#[test]
#[should_panic]
// a comment between
fn panics() {}

#[cfg(test)]
mod tests {
    #[test]
    fn inner() {
        if x {
        }
    }
}

#[test]
fn after_the_module() {
}
";
        assert_eq!(
            vec![
                expect("echo_test::echo", 3, 6, "", ""),
                expect("echo_test::panics", 8, 11, "", ""),
                expect("echo_test::tests::inner", 15, 19, "", ""),
                expect("echo_test::after_the_module", 22, 24, "", ""),
            ],
            tests_of(text, "echo_test")
        );
    }

    #[test]
    fn a_test_proves_the_exercise_of_its_name_of_its_region_and_of_solutions_in_its_body() {
        let text = "\
#[test]
fn exercise_5_1_stops() {}

// BEGIN EXERCISE 6.2
#[test]
fn strategies() {
    // BEGIN SOLUTION 4.1
    fixed();
    // STARTER 4.1
    // broken();
    // END SOLUTION 4.1
}
// END EXERCISE 6.2

#[test]
fn exercise_1_1_junk() {
    // BEGIN EXERCISE 6.6
    more();
    // END EXERCISE 6.6
}

// BEGIN SOLUTION 6.3
#[test]
fn from_a_solution() {}
// END SOLUTION 6.3
";
        assert_eq!(
            vec![
                expect("exercise_5_1_stops", 1, 2, "5.1", ""),
                expect("strategies", 5, 12, "4.1 6.2", "4.1"),
                expect("exercise_1_1_junk", 15, 20, "1.1", ""),
                expect("from_a_solution", 23, 24, "6.3", "6.3"),
            ],
            tests_of(text, "")
        );
    }

    #[test]
    fn a_test_without_a_closing_brace_at_its_indentation_is_not_counted() {
        for text in [
            "#[test]\nfn t() {\n  }\n",
            "#[test]\nconst X: u8 = 1;\nfn later() {}\n",
        ] {
            assert_eq!(Vec::<Found>::new(), tests_of(text, ""));
        }
    }
}
