//! `cargo xtask`: the workshop's task runner. It makes each chapter as the workshop leaves it,
//! each exercise as a starter to solve, and each chapter's tests before its code, all from the
//! solved step crates and their solution regions (see regions.rs); it checks a learner's
//! crate, and proves in CI that every view is what it claims to be.
//! Elixir: a Mix task · Rust: the xtask pattern (https://github.com/matklad/cargo-xtask)

mod cargo;
mod check;
mod diff;
mod files;
mod guide;
mod json;
mod libtest;
mod list;
mod manifest;
mod readme;
mod regions;
mod test_fns;
mod verify;
mod views;
mod workshop;

use std::path::PathBuf;
use std::process::ExitCode;

use manifest::MadeFor;
use regions::ExerciseId;
use workshop::Workshop;

const USAGE: &str = "\
cargo xtask: do the workshop, not just read it

Usage: cargo xtask <command>

  list                 every chapter and exercise, with the commands to start each
  exercise N.k [DIR]   write the starter of exercise N.k, a crate to solve it in
                       (default DIR: learn/exercise-N.k)
  chapter N [DIR]      write chapter N as the workshop leaves it (default learn/chapter-N)
  start N [DIR]        write chapter N's tests on the code of step N-1: red until you
                       type the chapter in (default learn/start-N)
  check [DIR]          run the tests of a crate written by one of the three above, and say
                       what passes and what to look at next
  diff N               what chapter N changes: step N-1 against chapter N, code only
  verify               prove every chapter view and exercise starter (what CI runs)
  help                 this text

learn/ is git-ignored. The markers the views are made from are described in
xtask/src/regions.rs.";

/// What went wrong in a command: one line, then any lines of detail.
#[derive(Debug)]
pub struct Error {
    /// The one line.
    pub message: String,
    /// What else the learner needs to know, a line each.
    pub details: Vec<String>,
}

impl Error {
    /// An error with its one line.
    pub fn new(message: impl Into<String>) -> Error {
        Error {
            message: message.into(),
            details: Vec::new(),
        }
    }

    /// The same error with one more line of detail.
    pub fn detail(mut self, line: impl Into<String>) -> Error {
        self.details.push(line.into());
        self
    }
}

/// A command's result; its error is an [`Error`] unless said otherwise.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How a command ended: everything it was asked to prove holds, or not (its output says why).
#[derive(Debug, PartialEq)]
pub enum Outcome {
    /// All good: exit status 0.
    Passed,
    /// Not (yet): exit status 1.
    Failed,
}

fn main() -> ExitCode {
    quiet_on_a_closed_pipe();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match run(&args) {
        Ok(Outcome::Passed) => ExitCode::SUCCESS,
        Ok(Outcome::Failed) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("error: {}", error.message);
            for line in &error.details {
                eprintln!("  {line}");
            }
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[&str]) -> Result<Outcome> {
    let usage = |message: String| Error::new(message).detail("see `cargo xtask help`");
    let (command, rest) = args
        .split_first()
        .map_or(("help", &[][..]), |(c, r)| (*c, r));
    // How many arguments each command takes at most: a stray one is a mistake worth saying.
    let most = match command {
        "exercise" | "chapter" | "start" => 2,
        "check" | "diff" => 1,
        "help" | "--help" | "-h" | "list" | "verify" => 0,
        other => return Err(usage(format!("no command `{other}`"))),
    };
    if let Some(extra) = rest.get(most) {
        return Err(usage(format!(
            "unexpected argument `{extra}` for `cargo xtask {command}`"
        )));
    }
    let (first, second) = (rest.first().copied(), rest.get(1).copied());
    match command {
        "list" => list::list(&load()?),
        "exercise" => {
            let id =
                first.ok_or_else(|| usage("which exercise? `cargo xtask exercise N.k`".into()))?;
            let id = ExerciseId::parse(id).ok_or_else(|| {
                usage(format!(
                    "`{id}` is not an exercise number: write N.k, as in `cargo xtask exercise 1.1`"
                ))
            })?;
            views::write_crate(&load()?, MadeFor::Exercise(id), second)?;
        }
        "chapter" => {
            let n = chapter_number(command, first).map_err(usage)?;
            views::write_crate(&load()?, MadeFor::Chapter(n), second)?;
        }
        "start" => {
            let n = chapter_number(command, first).map_err(usage)?;
            views::write_crate(&load()?, MadeFor::Start(n), second)?;
        }
        "check" => return check::check(&load()?, first),
        "diff" => diff::diff(&load()?, chapter_number(command, first).map_err(usage)?)?,
        "verify" => return verify::verify(&load()?),
        _ => println!("{USAGE}"),
    }
    Ok(Outcome::Passed)
}

/// `cargo xtask list | head` closes our standard output early, and `println!` then panics
/// ("failed printing to stdout"). End quietly instead, as a Unix tool ends on SIGPIPE; any
/// other panic is still reported as Rust reports it.
fn quiet_on_a_closed_pipe() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map_or("", String::as_str);
        if message.starts_with("failed printing to stdout") {
            std::process::exit(141); // 128 + SIGPIPE, as the shell reports a piped-out tool
        }
        report(info);
    }));
}

/// The N of `cargo xtask chapter N`.
fn chapter_number(command: &str, argument: Option<&str>) -> Result<u32, String> {
    let Some(argument) = argument else {
        return Err(format!("which chapter? `cargo xtask {command} N`"));
    };
    argument.parse().map_err(|_| {
        format!("`{argument}` is not a chapter number: `cargo xtask {command} 5`, say")
    })
}

/// The checkout this xtask was built from: the workspace root, the folder above xtask/.
fn load() -> Result<Workshop> {
    let xtask = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let root = xtask.parent().unwrap_or(&xtask);
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    Workshop::load(&root)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(args: &[&str]) -> String {
        run(args).unwrap_err().message
    }

    #[test]
    fn bad_command_lines_are_one_clear_error_each() {
        assert_eq!("no command `exrcise`", error(&["exrcise"]));
        assert_eq!(
            "which exercise? `cargo xtask exercise N.k`",
            error(&["exercise"])
        );
        assert_eq!(
            "`5` is not an exercise number: write N.k, as in `cargo xtask exercise 1.1`",
            error(&["exercise", "5"])
        );
        assert_eq!("which chapter? `cargo xtask diff N`", error(&["diff"]));
        assert_eq!(
            "`five` is not a chapter number: `cargo xtask start 5`, say",
            error(&["start", "five"])
        );
        assert_eq!(
            "unexpected argument `now` for `cargo xtask verify`",
            error(&["verify", "now"])
        );
        assert_eq!(
            "unexpected argument `x` for `cargo xtask diff`",
            error(&["diff", "5", "x"])
        );
        assert_eq!(
            "unexpected argument `b` for `cargo xtask chapter`",
            error(&["chapter", "1", "a", "b"])
        );
    }

    #[test]
    fn no_command_is_help() {
        assert_eq!(Outcome::Passed, run(&[]).unwrap());
    }
}
