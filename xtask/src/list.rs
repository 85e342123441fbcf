//! `cargo xtask list`: every chapter and exercise, with the commands that start each.
//! Workshop: its table of contents · rustlings: `rustlings list`

use crate::views::plural;
use crate::workshop::Workshop;

/// Prints the chapters, each with its exercises.
pub fn list(workshop: &Workshop) {
    let exercises = workshop.exercises();
    println!("The workshop, chapter by chapter. For each: `start N` writes its tests on the code");
    println!("of the chapter before, `chapter N` the chapter as the workshop leaves it, `diff N`");
    println!("shows what it changes; `exercise N.k` writes a starter to solve. Each is a");
    println!("`cargo xtask` command.");
    for step in &workshop.steps {
        let n = step.chapter;
        let count = step.tests().count();
        println!();
        println!(
            "chapter {n}: {}  ({}, {count} test{})",
            step.title(),
            step.dir,
            plural(count)
        );
        println!("    cargo xtask start {n}  |  cargo xtask chapter {n}  |  cargo xtask diff {n}");
        for exercise in exercises.iter().filter(|e| e.id.chapter == n) {
            let count = exercise.home.tests_of(exercise.id).len();
            println!("  {}  ({count} test{})", exercise.name(), plural(count));
            println!("    cargo xtask exercise {}", exercise.id);
        }
    }
    println!();
    println!("Then `cargo xtask check DIR` runs a written crate's tests and says what next.");
}
