//! Views of a step crate (solved, one exercise's starter, the chapter as the workshop leaves
//! it, the chapter's tests before its code), and writing one out as a crate of its own.
//! Workshop: "the chapter as the workshop leaves it" · rustlings: exercises made to be solved

use std::path::Path;

use crate::files::{self, Files, show};
use crate::guide;
use crate::manifest::{self, Layout, MadeFor};
use crate::regions::{ExerciseId, Kind, Region, Show};
use crate::workshop::{Step, Workshop};
use crate::{Error, Result};

/// Which regions of a step a view leaves unsolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// None: the step as committed, markers stripped.
    Solved,
    /// The SOLUTION regions of exercise N.k: its starter (its EXERCISE regions stay, they
    /// hold its tests).
    Starter(ExerciseId),
    /// Every region of chapter N: SOLUTIONs become starters, EXERCISEs go.
    Chapter(u32),
}

impl View {
    fn show(self, region: &Region) -> Show {
        let unsolved = match self {
            View::Solved => false,
            View::Starter(id) => region.kind == Kind::Solution && region.id == id,
            View::Chapter(n) => region.id.chapter == n,
        };
        if unsolved {
            Show::Unsolved
        } else {
            Show::Solved
        }
    }
}

/// A step's src/ and tests/ as `view` shows them. A file the view leaves empty (a whole file
/// can be one region) is left out.
pub fn render(step: &Step, view: View) -> Result<Files> {
    let mut rendered = Files::new();
    for (file, source) in step.sources()? {
        let text = source.render(&|region| view.show(region));
        if !text.trim().is_empty() {
            rendered.insert(file.path.clone(), text);
        }
    }
    Ok(rendered)
}

/// Chapter N's tests before its code (`cargo xtask start N`): step N-1 solved, but its crate
/// root, demo and tests from chapter N's view. It does not compile until the chapter is typed in.
pub fn chapter_start(workshop: &Workshop, n: u32) -> Result<Files> {
    let chapter = render(workshop.chapter(n)?, View::Chapter(n))?;
    let before = match workshop.before(n) {
        Some(step) => render(step, View::Solved)?,
        None => Files::new(), // step 0: `cargo new --lib`, an empty crate
    };
    let from_chapter = chapter
        .into_iter()
        .filter(|(path, _)| the_chapters_own(path));
    let from_before = before
        .into_iter()
        .filter(|(path, _)| !the_chapters_own(path));
    Ok(from_chapter.chain(from_before).collect())
}

/// The files a chapter start takes from the chapter: lib.rs (its modules), main.rs (its
/// demo) and its tests.
fn the_chapters_own(path: &Path) -> bool {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    path == Path::new("src/lib.rs")
        || path == Path::new("src/main.rs")
        || path.starts_with("tests")
        || name.ends_with("_test.rs")
}

/// The files of the crate `made_for` asks for.
pub fn files_for(workshop: &Workshop, made_for: MadeFor) -> Result<Files> {
    match made_for {
        MadeFor::Exercise(id) => render(workshop.exercise(id)?.home, View::Starter(id)),
        MadeFor::Chapter(n) => render(workshop.chapter(n)?, View::Chapter(n)),
        MadeFor::Start(n) => chapter_start(workshop, n),
    }
}

/// `cargo xtask exercise|chapter|start ... [DIR]`: writes the crate into `dir` (default
/// under learn/), with its Cargo.toml, the checkout's Cargo.lock and a README, and says what
/// it wrote. Nothing is written if anything is wrong.
pub fn write_crate(workshop: &Workshop, made_for: MadeFor, dir: Option<&str>) -> Result<()> {
    let root = &workshop.root;
    let dir = match dir {
        Some(dir) => files::absolute(Path::new(dir)),
        None => root.join(made_for.default_dir()),
    };
    // First what could be wrong: an unknown exercise or chapter, a folder in the way.
    let mut crate_files = files_for(workshop, made_for)?;
    let what = what_it_is(workshop, made_for)?;
    let step = workshop.chapter(made_for.chapter())?;
    check_destination(workshop, made_for, &dir)?;
    let workspace_manifest = files::read(&root.join("Cargo.toml"))?;
    let cargo_toml = manifest::standalone(
        &step.manifest,
        &workspace_manifest,
        &dir,
        root,
        made_for,
        Layout::Standalone,
    )?;
    let lock = files::read(&root.join("Cargo.lock"))?;
    let readme = guide::readme(workshop, made_for, &dir)?;
    crate_files.insert("Cargo.toml".into(), cargo_toml);
    crate_files.insert("Cargo.lock".into(), lock);
    crate_files.insert("README.md".into(), readme);
    files::sync(&dir, &crate_files)?;

    let shown = show(&dir);
    println!("wrote {shown}: {what}");
    let names: Vec<String> = crate_files
        .keys()
        .map(|p| p.display().to_string())
        .collect();
    println!("  files: {}", names.join(", "));
    println!("  its README.md says what to do, and where our solution is");
    println!("next: edit {shown}/src, then `cargo xtask check {shown}`");
    Ok(())
}

/// A new crate's folder must be new, and outside the crates of the checkout.
fn check_destination(workshop: &Workshop, made_for: MadeFor, dir: &Path) -> Result<()> {
    let shown = show(dir);
    if dir.exists() {
        return Err(
            Error::new(format!("{shown} already exists; nothing was written")).detail(format!(
                "remove it, or name another folder: `cargo xtask {made_for} DIR`"
            )),
        );
    }
    let ours = workshop.steps.iter().map(|s| s.dir.as_str());
    for crate_dir in ours.chain(["otp-core", "xtask"]) {
        if dir.starts_with(workshop.root.join(crate_dir)) {
            return Err(Error::new(format!(
                "{shown} is inside {crate_dir}/, a crate of the checkout; nothing was written"
            ))
            .detail("choose a folder outside it, such as the default under learn/"));
        }
    }
    Ok(())
}

/// One line on what a crate made for `made_for` is.
fn what_it_is(workshop: &Workshop, made_for: MadeFor) -> Result<String> {
    Ok(match made_for {
        MadeFor::Exercise(id) => {
            let exercise = workshop.exercise(id)?;
            let tests = match exercise.home.tests_of(id).len() {
                1 => "its 1 test fails".to_string(),
                count => format!("its {count} tests fail"),
            };
            let title = match exercise.title.as_str() {
                "" => String::new(),
                title => format!(" ({title})"),
            };
            format!(
                "the starter of exercise {id}{title}, {} with that exercise's solution taken \
                 out; {tests} until you solve it",
                exercise.home.dir,
            )
        }
        MadeFor::Chapter(n) => {
            let step = workshop.chapter(n)?;
            match step.exercise_ids().len() {
                0 => format!(
                    "chapter {n} as the workshop leaves it: {} (no exercise of its own)",
                    step.dir
                ),
                _ => format!(
                    "chapter {n} as the workshop leaves it: {} without its exercises' solutions",
                    step.dir
                ),
            }
        }
        MadeFor::Start(n) => {
            let before = workshop
                .before(n)
                .map_or("an empty crate (step 0)".into(), |s| s.dir.clone());
            format!(
                "chapter {n}'s tests, on the code of {before}: red until you type the chapter in"
            )
        }
    })
}

/// `s` for any count but one.
pub fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// `3 tests pass`, `1 test passes`.
pub fn passes(count: usize, noun: &str) -> String {
    match count {
        1 => format!("1 {noun} passes"),
        _ => format!("{count} {noun}s pass"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_starter_unsolves_its_own_solution_and_a_chapter_every_region_of_its_own() {
        let text = "\
// BEGIN EXERCISE 5.1
test
// BEGIN SOLUTION 5.1
solution
// STARTER 5.1
// todo
// END SOLUTION 5.1
// END EXERCISE 5.1
// BEGIN SOLUTION 5.2
another
// END SOLUTION 5.2
// BEGIN SOLUTION 1.1
earlier
// END SOLUTION 1.1
";
        let source = crate::regions::Source::parse(text).unwrap();
        let view = |view: View| source.render(&|region| view.show(region));
        let id = |text| ExerciseId::parse(text).unwrap();
        assert_eq!("test\nsolution\nanother\nearlier\n", view(View::Solved));
        assert_eq!(
            "test\ntodo\nanother\nearlier\n",
            view(View::Starter(id("5.1")))
        );
        assert_eq!("test\nsolution\nearlier\n", view(View::Starter(id("5.2"))));
        assert_eq!("earlier\n", view(View::Chapter(5)));
        assert_eq!("test\nsolution\nanother\n", view(View::Chapter(1)));
    }

    #[test]
    fn a_chapter_start_takes_the_crate_root_demo_and_tests_from_the_chapter() {
        for own in [
            "src/lib.rs",
            "src/main.rs",
            "src/echo_test.rs",
            "tests/restart.rs",
        ] {
            assert!(the_chapters_own(Path::new(own)), "{own}");
        }
        for before in ["src/echo.rs", "src/gen_server.rs", "src/test_helpers.rs"] {
            assert!(!the_chapters_own(Path::new(before)), "{before}");
        }
    }
}
