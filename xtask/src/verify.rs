//! `cargo xtask verify`, the proof CI runs: the markers, regions, tests and READMEs agree;
//! every chapter view compiles and passes all but its exercises' unfixed tests; every
//! exercise starter compiles, fails exactly that exercise's tests, and passes the others.
//! (The solved steps are proved by `cargo test --workspace`, which CI runs just before.)
//! rustlings: its CI proves each exercise fails and each solution passes · Cargo: `--keep-going`

mod runs;
mod static_checks;
mod workspace;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Instant;

use crate::cargo::target_dir;
use crate::files::show;
use crate::libtest::{Outcome as Test, Results};
use crate::manifest::MadeFor;
use crate::views::{passes, plural};
use crate::workshop::{Step, Workshop};
use crate::{Outcome, Result};
use runs::{Ran, run_in_order};
use static_checks::static_checks;
use workspace::{Built, build, check_format, write_workspace};

/// One generated crate: a chapter view or an exercise starter.
struct Planned<'a> {
    made_for: MadeFor,
    step: &'a Step,
    /// Its folder and package name in verify's workspace: `starter-5-1`.
    name: String,
}

impl Planned<'_> {
    /// `chapter 4`, `starter 5.1`, as the report names it.
    fn label(&self) -> String {
        match self.made_for {
            MadeFor::Exercise(id) => format!("starter {id}"),
            other => other.to_string(),
        }
    }
}

/// Runs every check, prints a line per view and a summary, and fails if anything is wrong.
pub fn verify(workshop: &Workshop) -> Result<Outcome> {
    let started = Instant::now();
    let mut failures = 0;

    let static_errors = static_checks(workshop);
    for error in &static_errors {
        println!("FAIL static: {error}");
    }
    failures += static_errors.len();
    if static_errors.is_empty() {
        println!(
            "ok   static: markers, regions, tests and READMEs of {} steps agree",
            workshop.steps.len()
        );
    }

    // A step whose markers are wrong has no views; the static errors above say why.
    let mut planned = Vec::new();
    for step in workshop
        .steps
        .iter()
        .filter(|s| s.marker_errors().is_empty())
    {
        planned.push(Planned {
            made_for: MadeFor::Chapter(step.chapter),
            step,
            name: format!("chapter-{}", step.chapter),
        });
        for id in step.exercise_ids() {
            let name = format!("starter-{}-{}", id.chapter, id.k);
            planned.push(Planned {
                made_for: MadeFor::Exercise(id),
                step,
                name,
            });
        }
    }

    let target = target_dir(&workshop.root)?;
    let base = target.join("xtask").join("verify");
    write_workspace(workshop, &planned, &base)?;
    println!(
        "building {} views in {} (one cargo build)...",
        planned.len(),
        show(&base)
    );
    let build_started = Instant::now();
    let (mut built, cargo_warnings) = build(&base, &target)?;
    check_format(&base, &mut built);
    for warning in &cargo_warnings {
        println!("FAIL build: cargo warns: {warning}");
    }
    failures += cargo_warnings.len();
    // Errors in a crate that is not a view (otp-core) leave the views unbuilt: say where.
    for (name, other) in built
        .iter()
        .filter(|(n, _)| !planned.iter().any(|v| &v.name == *n))
    {
        for error in &other.errors {
            println!("FAIL build: {name}: {error}");
            failures += 1;
        }
    }
    println!(
        "built in {} s; running their tests...",
        build_started.elapsed().as_secs()
    );

    let jobs: Vec<(usize, PathBuf)> = planned
        .iter()
        .enumerate()
        .flat_map(|(at, view)| {
            let programs = built
                .get(&view.name)
                .map(|b| b.programs.clone())
                .unwrap_or_default();
            programs.into_iter().map(move |program| (at, program))
        })
        .collect();
    let mut report = |at: usize, runs: Vec<Ran>| {
        let view = &planned[at];
        let built = built.remove(&view.name).unwrap_or_default();
        let lines = judge(view, &built, runs);
        if lines.first().is_some_and(|line| line.starts_with("FAIL")) {
            failures += 1;
        }
        lines.iter().for_each(|line| println!("{line}"));
    };
    run_in_order(&base, &planned, jobs, &mut report);

    let chapters = planned
        .iter()
        .filter(|v| matches!(v.made_for, MadeFor::Chapter(_)))
        .count();
    let ids: Vec<String> = planned
        .iter()
        .filter_map(|v| match v.made_for {
            MadeFor::Exercise(id) => Some(id.to_string()),
            _ => None,
        })
        .collect();
    let seconds = started.elapsed().as_secs();
    let what = format!(
        "{chapters} chapter{} and {} exercise{} ({})",
        plural(chapters),
        ids.len(),
        plural(ids.len()),
        ids.join(", ")
    );
    if failures == 0 {
        println!("verified {what} in {seconds} s");
        Ok(Outcome::Passed)
    } else {
        println!(
            "verify failed: {failures} problem{} above; checked {what} in {seconds} s",
            plural(failures)
        );
        Ok(Outcome::Failed)
    }
}

/// The report lines of one view: `ok   ...` or `FAIL ...` and its problems.
fn judge(view: &Planned, built: &Built, runs: Vec<Ran>) -> Vec<String> {
    let label = view.label();
    let mut problems = Vec::new();
    if !built.errors.is_empty() {
        let count = built.errors.len();
        problems.push(format!(
            "does not compile ({count} error{}):",
            plural(count)
        ));
        problems.extend(built.errors.iter().take(3).map(|e| format!("  {e}")));
        return fail(&label, problems);
    }
    if built.programs.is_empty() {
        return fail(
            &label,
            vec!["no test program was built (see cargo's errors above)".into()],
        );
    }
    let mut results = Results::default();
    for run in runs {
        let silent: Vec<&str> = run
            .listed
            .iter()
            .filter(|path| !run.results.outcomes.contains_key(*path))
            .map(String::as_str)
            .collect();
        if let Some(why) = &run.abnormal {
            problems.push(format!("test program {} {why}", run.program));
        }
        if let Some(first) = silent.first() {
            let more = match silent.len() {
                1 => String::new(),
                n => format!(" and {} other test{}", n - 1, plural(n - 1)),
            };
            problems.push(format!("no result from `{first}`{more}"));
        }
        results.extend(run.results);
    }
    // The tests that must fail: the exercise's own in a starter; in a chapter view, those
    // that stay with a SOLUTION of the chapter unsolved (in their body: exercise 4.1).
    let must_fail: BTreeSet<&str> = view
        .step
        .tests()
        .filter(|t| match view.made_for {
            MadeFor::Exercise(id) => t.exercises.contains(&id),
            _ => t
                .unsolved_with
                .iter()
                .any(|id| id.chapter == view.step.chapter),
        })
        .map(|t| t.path.as_str())
        .collect();
    let (mut failing_as_they_should, mut passing) = (0, 0);
    for (path, outcome) in &results.outcomes {
        let should_fail = must_fail.contains(path.as_str());
        match (outcome, should_fail) {
            (Test::Failed, true) => failing_as_they_should += 1,
            (Test::Passed, false) => passing += 1,
            (Test::Passed, true) => problems.push(format!(
                "`{path}` passes, but {} must fail it",
                match view.made_for {
                    MadeFor::Exercise(id) => format!(
                        "the starter of exercise {id} (the test passes without the solution)"
                    ),
                    _ => "the chapter view (it passes without its exercise solved)".to_string(),
                }
            )),
            (Test::Failed, false) => problems.push(format!(
                "`{path}` fails: {}",
                results
                    .panics
                    .get(path)
                    .map_or("(no panic message)", String::as_str)
            )),
            (Test::Ignored, _) => {}
        }
    }
    if let MadeFor::Exercise(id) = view.made_for {
        if failing_as_they_should == 0
            && !must_fail.iter().any(|p| results.outcomes.contains_key(*p))
        {
            problems.push(format!("no test of exercise {id} ran"));
        }
    }
    if let MadeFor::Chapter(_) = view.made_for {
        problems.extend(
            built
                .warnings
                .iter()
                .map(|w| format!("compiler warning: {w}")),
        );
    }
    if let Some(place) = &built.unformatted {
        problems.push(format!(
            "not as rustfmt would write it, first at {place} (`cargo fmt --check` in the \
             verify folder shows the diff)"
        ));
    }
    if !problems.is_empty() {
        return fail(&label, problems);
    }
    let summary = match view.made_for {
        MadeFor::Exercise(_) => format!(
            "{failing_as_they_should} of its tests fail as they should, {}",
            passes(passing, "other")
        ),
        MadeFor::Chapter(n) if failing_as_they_should > 0 => {
            let ids: BTreeSet<String> = view
                .step
                .tests()
                .filter(|t| must_fail.contains(t.path.as_str()))
                .flat_map(|t| t.unsolved_with.iter().filter(|id| id.chapter == n))
                .map(|id| id.to_string())
                .collect();
            let ids: Vec<String> = ids.into_iter().collect();
            format!(
                "{}, {failing_as_they_should} of exercise {} fail as they should",
                passes(passing, "test"),
                ids.join(", ")
            )
        }
        _ => passes(passing, "test"),
    };
    let mut lines = vec![format!("ok   {label}: {summary}")];
    if let Some(first) = built.warnings.first() {
        lines.push(format!(
            "     note: {} compiler warning{} (a starter may leave things unused); the \
             first: {first}",
            built.warnings.len(),
            plural(built.warnings.len())
        ));
    }
    lines
}

/// `FAIL label: first problem`, then the others indented.
fn fail(label: &str, problems: Vec<String>) -> Vec<String> {
    let mut lines = Vec::new();
    for (at, problem) in problems.into_iter().enumerate() {
        lines.push(if at == 0 {
            format!("FAIL {label}: {problem}")
        } else {
            format!("     {problem}")
        });
    }
    lines
}
