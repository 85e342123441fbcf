//! The README.md written into each crate that `cargo xtask exercise|chapter|start` makes:
//! what the crate is, what to do, how to check it, and where our solution is.
//! Workshop: each exercise's statement, from the step README · rustlings: an exercise's hint

use std::path::Path;

use crate::Result;
use crate::manifest::MadeFor;
use crate::readme;
use crate::workshop::Workshop;

/// Prose lines are wrapped to this width, as the step READMEs are.
const WIDTH: usize = 90;

/// The README.md of the crate made for `made_for` in `dir` (absolute). Paths in it are
/// written as from the checkout's root, where the commands it gives are run.
pub fn readme(workshop: &Workshop, made_for: MadeFor, dir: &Path) -> Result<String> {
    let step = workshop.chapter(made_for.chapter())?;
    let dir = match dir.strip_prefix(&workshop.root) {
        Ok(inside) => inside.display().to_string(),
        Err(_) => dir.display().to_string(),
    };
    let step_readme = format!("{}/README.md", step.dir);
    let check = format!("From the checkout: `cargo xtask check {dir}`");
    let mut text = Vec::new();
    match made_for {
        MadeFor::Exercise(id) => {
            let exercise = workshop.exercise(id)?;
            let tests = step.tests_of(id);
            // `cargo test exercise_1_1` runs them all, unless some have other names (4.1).
            let prefix = id.test_prefix();
            let filter = if tests.iter().all(|t| t.name().starts_with(&prefix)) {
                format!(" {}", prefix.trim_end_matches('_'))
            } else {
                String::new()
            };
            let stated = readme::exercises(&step.readme)
                .into_iter()
                .find(|s| s.id == id);
            text.push(match exercise.title.as_str() {
                "" => format!("# Exercise {id}"),
                title => format!("# Exercise {id}: {title}"),
            });
            text.push(wrap(&format!(
                "A copy of `{}` with the solution of exercise {id} taken out, made by `cargo \
                 xtask exercise {id}`. Everything else is solved, and its tests pass; the tests \
                 of exercise {id} fail until you solve it.",
                step.dir
            )));
            text.push(format!("## The exercise (from {step_readme})"));
            text.push(match stated {
                Some(stated) => stated.statement,
                None => format!("See exercise {id} in {step_readme}."),
            });
            text.push("## The tests that prove it".into());
            let listed: Vec<String> = tests.iter().map(|t| format!("- `{}`", t.path)).collect();
            text.push(listed.join("\n"));
            text.push("## Check it".into());
            text.push(wrap(&format!(
                "{check}, which says which of them pass and what to look at next. In this \
                 folder: `cargo test{filter}`."
            )));
            text.push("## Our solution".into());
            text.push(wrap(&format!(
                "Between `// BEGIN SOLUTION {id}` and `// END SOLUTION {id}` in {}. Once yours \
                 passes, compare: `git diff --no-index {dir}/src {}/src`.",
                step.solution_files(id).join(", "),
                step.dir
            )));
        }
        MadeFor::Chapter(n) => {
            text.push(format!(
                "# Chapter {n}: {}, as the workshop leaves it",
                step.title()
            ));
            text.push(wrap(&format!(
                "`{}` with the exercises of chapter {n} taken out (their solutions replaced by \
                 their starters), made by `cargo xtask chapter {n}`. Read it, or carry on from \
                 it: the chapter's exercises are stated in {step_readme}, and `cargo xtask \
                 exercise N.k` makes a starter for one of them.",
                step.dir
            )));
            text.push("## Check it".into());
            text.push(wrap(&format!("{check}. In this folder: `cargo test`.")));
            text.push("## Ours".into());
            text.push(format!("`{}`, with every exercise solved.", step.dir));
        }
        MadeFor::Start(n) => {
            let before = workshop
                .before(n)
                .map_or("an empty crate".into(), |s| format!("`{}`", s.dir));
            text.push(format!("# Chapter {n}: {}, tests first", step.title()));
            text.push(wrap(&format!(
                "The code of {before} with the tests, module list (`src/lib.rs`) and demo \
                 (`src/main.rs`) of chapter {n}, made by `cargo xtask start {n}`: the workshop \
                 writes its tests first. It does not compile yet; type the chapter in (read \
                 {step_readme} and the workshop's chapter) until every test passes."
            )));
            text.push("## Check it".into());
            text.push(wrap(&format!("{check}. In this folder: `cargo test`.")));
            text.push("## Ours".into());
            text.push(format!(
                "`{}`; `cargo xtask diff {n}` shows what the chapter changes.",
                step.dir
            ));
        }
    }
    Ok(text.join("\n\n") + "\n")
}

/// A paragraph broken into lines of at most [`WIDTH`] characters, at spaces outside
/// `code spans` (a command stays on one line, to be copied whole).
fn wrap(paragraph: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    for word in paragraph.split_whitespace() {
        match words.last_mut() {
            Some(open) if open.matches('`').count() % 2 == 1 => {
                open.push(' ');
                open.push_str(word);
            }
            _ => words.push(word.to_string()),
        }
    }
    let mut lines: Vec<String> = Vec::new();
    for word in words {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= WIDTH => {
                line.push(' ');
                line.push_str(&word);
            }
            _ => lines.push(word),
        }
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_wrap_at_spaces_within_the_width() {
        let long = "word ".repeat(40);
        let wrapped = wrap(&long);
        assert!(wrapped.lines().all(|line| line.len() <= WIDTH), "{wrapped}");
        assert_eq!(
            long.split_whitespace().count(),
            wrapped.split_whitespace().count()
        );
        assert_eq!("a b\u{e9}", wrap("a   b\u{e9}\n"));
        let command = format!("{}`cargo xtask exercise 1.1` done", "x ".repeat(40));
        assert!(
            wrap(&command).ends_with("\n`cargo xtask exercise 1.1` done"),
            "{}",
            wrap(&command)
        );
    }
}
