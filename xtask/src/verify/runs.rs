//! verify's test runs: every test program of every view, as many at once as there are
//! cores, each with a deadline; each view is reported as soon as all its programs have run.
//! Rust: libtest's `--list` and its output · Elixir: `mix test --max-cases`

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use super::Planned;
use crate::libtest::{self, Results};

/// How long one test program may run before it counts as hung.
const HUNG: Duration = Duration::from_secs(120);

/// One test program's run.
pub struct Ran {
    /// Its file name: `step1_echo-1f2e...`.
    pub program: String,
    /// The tests it lists (`--list`), each of which must report a result.
    pub listed: Vec<String>,
    /// What it reported.
    pub results: Results,
    /// Why it ended other than by reporting its tests: hung, crashed (a signal), an error.
    pub abnormal: Option<String>,
}

/// Runs the test programs, as many at once as the machine has cores, and reports each view
/// (through `report`) in plan order as soon as all its programs have run.
pub fn run_in_order(
    base: &Path,
    planned: &[Planned],
    jobs: Vec<(usize, PathBuf)>,
    report: &mut dyn FnMut(usize, Vec<Ran>),
) {
    let workers = thread::available_parallelism().map_or(2, |n| n.get());
    let mut waiting: Vec<usize> = vec![0; planned.len()];
    jobs.iter().for_each(|(at, _)| waiting[*at] += 1);
    let mut ran: Vec<Vec<Ran>> = planned.iter().map(|_| Vec::new()).collect();
    let mut next_report = 0;
    let mut flush = |waiting: &[usize], ran: &mut Vec<Vec<Ran>>| {
        while next_report < planned.len() && waiting[next_report] == 0 {
            report(next_report, std::mem::take(&mut ran[next_report]));
            next_report += 1;
        }
    };
    let next_job = AtomicUsize::new(0);
    let (done, finished) = mpsc::channel();
    thread::scope(|scope| {
        for _ in 0..workers.min(jobs.len()) {
            let (jobs, next_job, done) = (&jobs, &next_job, done.clone());
            scope.spawn(move || {
                while let Some((at, program)) = jobs.get(next_job.fetch_add(1, Ordering::Relaxed)) {
                    let dir = base.join(&planned[*at].name);
                    let ran = run_program(program, &dir);
                    if done.send((*at, ran)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done);
        flush(&waiting, &mut ran);
        for (at, one) in finished {
            ran[at].push(one);
            waiting[at] -= 1;
            flush(&waiting, &mut ran);
        }
    });
}

/// Runs one test program in its crate's folder, as cargo test would: first `--list`, for the
/// tests that must report, then the tests. RUST_BACKTRACE is dropped: nobody reads the
/// backtraces here, and the panic hook is slow with it (DESIGN.md).
fn run_program(program: &Path, dir: &Path) -> Ran {
    let name = program
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string();
    let command = |args: &[&str]| {
        let mut command = std::process::Command::new(program);
        command
            .current_dir(dir)
            .env_remove("RUST_BACKTRACE")
            .args(args);
        command
    };
    let listed = match libtest::run(&mut command(&["--list"]), HUNG) {
        Ok(list) => list
            .stdout
            .lines()
            .filter_map(|l| l.strip_suffix(": test"))
            .map(String::from)
            .collect(),
        Err(_) => Vec::new(),
    };
    let (results, abnormal) = match libtest::run(&mut command(&["--color", "never"]), HUNG) {
        Ok(finished) => {
            let abnormal = match finished.status {
                None => Some(format!("hung: killed after {} s", HUNG.as_secs())),
                // libtest ends with 0 when all pass, 101 when some fail; anything else is a crash.
                Some(status) if !matches!(status.code(), Some(0 | 101)) => {
                    // Its last words: "panic in a destructor during cleanup / thread caused
                    // non-unwinding panic. aborting.", say.
                    let lines: Vec<&str> = finished
                        .stderr
                        .lines()
                        .filter(|l| !l.trim().is_empty())
                        .collect();
                    let last = lines[lines.len().saturating_sub(2)..].join(" / ");
                    Some(format!("crashed ({status}): {last}"))
                }
                Some(_) => None,
            };
            (Results::parse(&finished.stdout), abnormal)
        }
        Err(error) => (Results::default(), Some(error.message)),
    };
    Ran {
        program: name,
        listed,
        results,
        abnormal,
    }
}
