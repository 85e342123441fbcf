//! Running tests and reading what libtest prints: `test <path> ... ok|FAILED` lines, the
//! failures' panic messages, and programs that must end before a deadline.
//! Elixir: ExUnit's report · Rust: libtest's default ("pretty") output

use std::collections::BTreeMap;
use std::io::Read;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crate::{Error, Result};

/// How one test ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// `ok`
    Passed,
    /// `FAILED`
    Failed,
    /// `ignored`
    Ignored,
}

/// The tests of one or more test programs, by path (`echo_test::echo`).
#[derive(Debug, Default)]
pub struct Results {
    /// How each test ended.
    pub outcomes: BTreeMap<String, Outcome>,
    /// Where and why each failed test panicked: `src/echo_test.rs:50:5: assertion failed`.
    pub panics: BTreeMap<String, String>,
}

impl Results {
    /// Reads libtest's output (the standard output of a test program, or of `cargo test`).
    pub fn parse(stdout: &str) -> Results {
        let mut results = Results::default();
        let mut failing: Option<&str> = None; // in a `---- <path> stdout ----` block
        let mut in_list = false; // in the list of failed tests that ends the output
        let mut lines = stdout.lines().peekable();
        while let Some(line) = lines.next() {
            if let Some((path, outcome)) = test_line(line) {
                results.outcomes.insert(path.to_string(), outcome);
            } else if let Some(path) = failure_block(line) {
                failing = Some(path);
            } else if line == "failures:" {
                in_list = failing.is_some();
            } else if in_list {
                // A failed test whose own line was split by another thread's output still
                // counts: the list names it.
                if let Some(path) = line.strip_prefix("    ") {
                    results.outcomes.insert(path.to_string(), Outcome::Failed);
                }
                in_list = !line.is_empty();
            } else if let (Some(path), Some((_, place))) =
                (failing, line.split_once("panicked at "))
            {
                // `thread 'path' (id) panicked at src/x.rs:50:5:`, the message on the next line.
                let message = lines.peek().copied().unwrap_or_default();
                let place = place.trim_end_matches(':');
                let panic = format!("{place}: {message}");
                results.panics.entry(path.to_string()).or_insert(panic);
            }
        }
        results
    }

    /// Adds another program's results.
    pub fn extend(&mut self, other: Results) {
        self.outcomes.extend(other.outcomes);
        self.panics.extend(other.panics);
    }

    /// The paths of the tests that ended as `outcome`.
    pub fn with(&self, outcome: Outcome) -> Vec<&str> {
        let matching = self.outcomes.iter().filter(|(_, o)| **o == outcome);
        matching.map(|(path, _)| path.as_str()).collect()
    }
}

/// `---- echo_test::echo stdout ----` -> `echo_test::echo`.
fn failure_block(line: &str) -> Option<&str> {
    line.strip_prefix("---- ")?.strip_suffix(" stdout ----")
}

/// `test echo_test::echo ... ok` -> (`echo_test::echo`, Passed).
fn test_line(line: &str) -> Option<(&str, Outcome)> {
    let (path, outcome) = line.strip_prefix("test ")?.rsplit_once(" ... ")?;
    let path = path.strip_suffix(" - should panic").unwrap_or(path);
    let outcome = match outcome.trim_end() {
        "ok" => Outcome::Passed,
        "FAILED" => Outcome::Failed,
        other if other.starts_with("ignored") => Outcome::Ignored,
        _ => return None,
    };
    Some((path, outcome))
}

/// What a program printed, and how it ended.
pub struct Finished {
    /// Its standard output.
    pub stdout: String,
    /// Its standard error.
    pub stderr: String,
    /// Its exit status; `None` if it was killed at its deadline.
    pub status: Option<ExitStatus>,
}

/// Runs `command` to its end, or until `timeout` has passed, when it is killed.
pub fn run(command: &mut Command, timeout: Duration) -> Result<Finished> {
    let program = format!("{:?}", command.get_program());
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::new(format!("cannot run {program}: {e}")))?;
    // A thread reads each pipe to its end, which comes when the program ends (or is killed),
    // so a full pipe never stops it.
    let (sender, outputs) = mpsc::channel();
    let pipes: [(bool, Box<dyn Read + Send>); 2] = [
        (true, Box::new(child.stdout.take().expect("piped"))),
        (false, Box::new(child.stderr.take().expect("piped"))),
    ];
    for (is_stdout, mut pipe) in pipes {
        let sender = sender.clone();
        thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            let _ = sender.send((is_stdout, String::from_utf8_lossy(&bytes).into_owned()));
        });
    }
    let mut deadline = Instant::now() + timeout;
    let (mut stdout, mut stderr, mut killed) = (None, None, false);
    while stdout.is_none() || stderr.is_none() {
        let left = deadline.saturating_duration_since(Instant::now());
        let output = match outputs.recv_timeout(left) {
            Ok(output) => output,
            Err(_) if !killed => {
                // What it printed before it hung is kept: its pipes close as it dies.
                killed = true;
                let _ = child.kill();
                deadline = Instant::now() + Duration::from_secs(5);
                continue;
            }
            Err(_) => break, // killed, yet a pipe stays open (a child of its own holds it)
        };
        match output {
            (true, text) => stdout = Some(text),
            (false, text) => stderr = Some(text),
        }
    }
    let status = child
        .wait()
        .map_err(|e| Error::new(format!("cannot wait for {program}: {e}")))?;
    Ok(Finished {
        stdout: stdout.unwrap_or_default(),
        stderr: stderr.unwrap_or_default(),
        status: (!killed).then_some(status),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUTPUT: &str = "
running 4 tests
test echo_test::echo ... ok
test echo_test::later ... ignored, not now
test echo_test::panics - should panic ... ok
test echo_test::exercise_1_1_junk ... sent \"hi\" from another thread
FAILED

failures:

---- echo_test::exercise_1_1_junk stdout ----

thread 'echo_test::exercise_1_1_junk' (3002) panicked at src/echo_test.rs:50:5:
assert_receive! got nothing in 1s
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace


failures:
    echo_test::exercise_1_1_junk

test result: FAILED. 2 passed; 1 failed; 1 ignored; 0 measured; 0 filtered out; finished in 1.00s
";

    #[test]
    fn test_lines_and_the_failures_list_give_each_tests_outcome() {
        let results = Results::parse(OUTPUT);
        assert_eq!(
            vec!["echo_test::echo", "echo_test::panics"],
            results.with(Outcome::Passed)
        );
        assert_eq!(
            vec!["echo_test::exercise_1_1_junk"],
            results.with(Outcome::Failed)
        );
        assert_eq!(vec!["echo_test::later"], results.with(Outcome::Ignored));
    }

    #[test]
    fn a_failed_test_keeps_its_panic_place_and_message() {
        let results = Results::parse(OUTPUT);
        assert_eq!(
            Some("src/echo_test.rs:50:5: assert_receive! got nothing in 1s"),
            results
                .panics
                .get("echo_test::exercise_1_1_junk")
                .map(String::as_str)
        );
    }

    #[test]
    fn a_program_that_outlives_its_deadline_is_killed() {
        let mut sleep = Command::new("sleep");
        sleep.arg("60");
        let started = Instant::now();
        let finished = run(&mut sleep, Duration::from_millis(100)).unwrap();
        assert!(finished.status.is_none());
        // Killed, not waited for: far less than its minute, however busy the machine.
        assert!(started.elapsed() < Duration::from_secs(30));
    }

    #[test]
    fn a_program_that_ends_in_time_gives_its_output_and_status() {
        let mut echo = Command::new("sh");
        echo.args(["-c", "echo out; echo err >&2; exit 3"]);
        let finished = run(&mut echo, Duration::from_secs(60)).unwrap();
        assert_eq!(
            ("out\n", "err\n"),
            (finished.stdout.as_str(), finished.stderr.as_str())
        );
        assert_eq!(Some(3), finished.status.and_then(|s| s.code()));
    }
}
