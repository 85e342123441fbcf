//! `cargo xtask check [DIR]`: runs the tests of a crate written by `exercise`, `chapter` or
//! `start`, and says in a few lines what passes, what fails first, and what to do next.
//! Elixir: `mix test` · rustlings: `rustlings run`, which says what to fix next

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::cargo::cargo;
use crate::files::{self, show};
use crate::libtest::{self, Finished, Outcome as Test, Results};
use crate::manifest::{self, MadeFor};
use crate::views::plural;
use crate::workshop::{Step, Workshop};
use crate::{Error, Outcome, Result};

/// Building, the first time with otp-core and its dependencies.
const BUILD_TIMEOUT: Duration = Duration::from_secs(30 * 60);
/// Running the tests once built: a test that hangs (a receive that never ends) ends here.
const TEST_TIMEOUT: Duration = Duration::from_secs(120);
/// How many compile errors to show: the first is the one to mend.
const ERRORS_SHOWN: usize = 3;

/// Checks the crate in `dir`, or in the current folder.
pub fn check(workshop: &Workshop, dir: Option<&str>) -> Result<Outcome> {
    let dir = files::absolute(Path::new(dir.unwrap_or(".")));
    let made_for = made_for(workshop, &dir)?;
    let step = workshop.chapter(made_for.chapter())?;
    let report = Report {
        made_for,
        step,
        dir: show(&dir),
        ours: show(&workshop.root.join(&step.dir).join("src")),
    };
    println!(
        "{made_for} in {}: cargo test (the first build takes a minute)",
        report.dir
    );
    let cargo_test = |args: &[&str], timeout| {
        let mut command = cargo();
        command
            .current_dir(&dir)
            .args(["test", "--color", "never"])
            .args(args);
        libtest::run(&mut command, timeout)
    };
    let build = cargo_test(&["--no-run"], BUILD_TIMEOUT)?;
    if !build.status.is_some_and(|status| status.success()) {
        return Ok(report.does_not_compile(&build.stderr));
    }
    let run = cargo_test(&["--no-fail-fast"], TEST_TIMEOUT)?;
    if run.status.is_none() {
        println!(
            "the tests did not end within {} s: one of them hangs",
            TEST_TIMEOUT.as_secs()
        );
        println!(
            "next: `cargo test -- --nocapture` in {} shows which (libtest names a test that \
             runs for over 60 s)",
            report.dir
        );
        return Ok(Outcome::Failed);
    }
    report_crashes(&run);
    let results = Results::parse(&run.stdout);
    Ok(match made_for {
        MadeFor::Exercise(_) => report.exercise(&results),
        _ => report.whole(&results),
    })
}

/// What a check says about one crate.
struct Report<'a> {
    made_for: MadeFor,
    /// The step the crate was made from.
    step: &'a Step,
    /// The crate's folder, as shown.
    dir: String,
    /// Our solved code, as shown.
    ours: String,
}

impl Report<'_> {
    fn does_not_compile(&self, stderr: &str) -> Outcome {
        let errors = compile_errors(stderr);
        let count = errors.len();
        println!(
            "{} does not compile yet ({count} error{}):",
            self.made_for,
            plural(count)
        );
        errors
            .iter()
            .take(ERRORS_SHOWN)
            .for_each(|e| println!("  {e}"));
        if errors.is_empty() {
            println!("{}", stderr.trim_end());
        }
        match self.made_for {
            MadeFor::Start(n) => println!(
                "next: type chapter {n} in ({}/README.md), beginning where the first error points",
                self.step.dir
            ),
            _ => println!(
                "next: mend the first error, then `cargo xtask check {}` again",
                self.dir
            ),
        }
        Outcome::Failed
    }

    /// For an exercise: how many of its tests pass, whether the others still do.
    fn exercise(&self, results: &Results) -> Outcome {
        let MadeFor::Exercise(id) = self.made_for else {
            return self.whole(results);
        };
        let its: Vec<&str> = self
            .step
            .tests_of(id)
            .iter()
            .map(|t| t.path.as_str())
            .collect();
        let passes = |path: &&str| results.outcomes.get(*path) == Some(&Test::Passed);
        let its_failing: Vec<&str> = its.iter().copied().filter(|p| !passes(p)).collect();
        let others_failing: Vec<&str> = results
            .with(Test::Failed)
            .into_iter()
            .filter(|path| !its.contains(path))
            .collect();
        let others = results
            .outcomes
            .keys()
            .filter(|p| !its.contains(&p.as_str()))
            .count();

        match (its.len() - its_failing.len(), its.len()) {
            (1, 1) => println!("exercise {id}: its 1 test passes"),
            (passing, all) if passing == all => println!("exercise {id}: its {all} tests pass"),
            (passing, all) => println!("exercise {id}: {passing} of its {all} tests pass"),
        }
        for path in &its_failing {
            let how = if results.outcomes.contains_key(*path) {
                "fails"
            } else {
                "did not run"
            };
            println!("  {how}: {path}");
        }
        first_panic(results, &its_failing);
        if others_failing.is_empty() {
            println!("the other tests still pass ({others})");
        } else {
            println!("{} of the {others} other tests fail:", others_failing.len());
            others_failing
                .iter()
                .for_each(|path| println!("  fails: {path}"));
            if its_failing.is_empty() {
                first_panic(results, &others_failing);
            }
        }
        match its_failing.iter().chain(&others_failing).next() {
            Some(first) => self.next(first),
            None if its.is_empty() => {
                println!(
                    "next: {} has no test of exercise {id}: nothing to check",
                    self.step.dir
                );
                Outcome::Failed
            }
            None => {
                println!("solved!");
                self.compare()
            }
        }
    }

    /// For a chapter or a chapter start: how many tests pass.
    fn whole(&self, results: &Results) -> Outcome {
        let failed = results.with(Test::Failed);
        let total = results.outcomes.len();
        let passed = results.with(Test::Passed).len();
        if passed == total {
            println!("{}: all {total} tests pass", self.made_for);
        } else {
            println!("{}: {passed} of {total} tests pass", self.made_for);
        }
        for path in &failed {
            // A test of the chapter's own exercise (4.1's unfixed tests) says so.
            let test = self.step.tests().find(|t| t.path == *path);
            let exercise = test.and_then(|t| {
                t.exercises
                    .iter()
                    .find(|id| id.chapter == self.step.chapter)
            });
            match exercise {
                Some(id) => {
                    println!("  fails: {path} (exercise {id}: `cargo xtask exercise {id}`)")
                }
                None => println!("  fails: {path}"),
            }
        }
        first_panic(results, &failed);
        match failed.first() {
            Some(first) => self.next(first),
            None if total == 0 => {
                println!(
                    "next: no test ran; is {} the crate `cargo xtask` wrote?",
                    self.dir
                );
                Outcome::Failed
            }
            None => self.compare(),
        }
    }

    /// What to do about the first failing test.
    fn next(&self, failing: &str) -> Outcome {
        let reread = match self.made_for {
            MadeFor::Exercise(id) => format!("exercise {id}"),
            other => format!("chapter {}", other.chapter()),
        };
        println!(
            "next: run `cargo test {failing} -- --nocapture` in {}, and reread {reread} in \
             {}/README.md",
            self.dir, self.step.dir
        );
        Outcome::Failed
    }

    /// All passes: on to our solution.
    fn compare(&self) -> Outcome {
        println!(
            "next: compare with ours: git diff --no-index {}/src {}",
            self.dir, self.ours
        );
        Outcome::Passed
    }
}

/// The panic of the first of `paths` that panicked: where, and its message's first line.
fn first_panic(results: &Results, paths: &[&str]) {
    if let Some(panic) = paths.iter().find_map(|path| results.panics.get(*path)) {
        println!("  first failure: {panic}");
    }
}

/// A test program killed by a signal (an abort: a panic while a panic unwinds) reports
/// nothing for the tests it was running; cargo says so on stderr.
fn report_crashes(run: &Finished) {
    for line in run
        .stderr
        .lines()
        .filter(|l| l.contains("didn't exit successfully"))
    {
        if let Some((_, signal)) = line.rsplit_once(" (signal: ") {
            println!(
                "a test program crashed (signal {signal}: the tests it was running have no result"
            );
        }
    }
}

/// What the crate in `dir` was made for, or an error that says how to make one.
fn made_for(workshop: &Workshop, dir: &Path) -> Result<MadeFor> {
    let manifest = dir.join("Cargo.toml");
    let made_for = files::read(&manifest)
        .ok()
        .and_then(|text| manifest::made_for(&text));
    made_for.ok_or_else(|| {
        let what = match show(dir).as_str() {
            "." => format!("the current folder ({})", dir.display()),
            shown => shown.to_string(),
        };
        let why = if dir.exists() {
            "is not a crate written by `cargo xtask` (no made-for in its Cargo.toml)"
        } else {
            "does not exist"
        };
        let mut error = Error::new(format!("{what} {why}"))
            .detail("make one with `cargo xtask exercise N.k`, `chapter N` or `start N`")
            .detail(
                "then run `cargo xtask check learn/exercise-N.k` (its folder) from the checkout",
            );
        let made = made_so_far(&workshop.root.join("learn"));
        if !made.is_empty() {
            let made: Vec<String> = made.iter().map(|dir| show(dir)).collect();
            error = error.detail(format!("made so far: {}", made.join(", ")));
        }
        error
    })
}

/// The crates under learn/ that `cargo xtask` wrote.
fn made_so_far(learn: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(learn) else {
        return Vec::new();
    };
    let mut made: Vec<PathBuf> = entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|dir| {
            let text = files::read(&dir.join("Cargo.toml")).unwrap_or_default();
            manifest::made_for(&text).is_some()
        })
        .collect();
    made.sort();
    made
}

/// cargo's compile errors, a line each: `src/lib.rs:6:1: error[E0583]: file not found for
/// module `gen_server``. The closing "could not compile" lines are left out.
pub fn compile_errors(stderr: &str) -> Vec<String> {
    let lines: Vec<&str> = stderr.lines().collect();
    let mut errors = Vec::new();
    for (at, line) in lines.iter().enumerate() {
        let is_error = line.starts_with("error[") || line.starts_with("error: ");
        if !is_error
            || line.starts_with("error: could not compile")
            || line.contains("aborting due to")
        {
            continue;
        }
        let place = lines[at + 1..]
            .iter()
            .take(3)
            .find_map(|next| next.trim_start().strip_prefix("--> "));
        errors.push(match place {
            Some(place) => format!("{place}: {line}"),
            None => line.to_string(),
        });
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compile_errors_are_a_line_each_with_their_place() {
        let stderr = "\
   Compiling step5-genserver v0.1.0 (/r/learn/start-5)
error[E0583]: file not found for module `gen_server`
 --> src/lib.rs:6:1
  |
6 | pub mod gen_server;
  | ^^^^^^^^^^^^^^^^^^^
error: expected one of `;` or `}`
  --> src/echo.rs:10:5
error: aborting due to 2 previous errors
error: could not compile `step5-genserver` (lib) due to 2 previous errors
";
        assert_eq!(
            vec![
                "src/lib.rs:6:1: error[E0583]: file not found for module `gen_server`",
                "src/echo.rs:10:5: error: expected one of `;` or `}`",
            ],
            compile_errors(stderr)
        );
    }
}
