//! What the task runner reads in a step's README: the chapter's title, and the exercises its
//! `## Exercises` section states (`**N.k Title.**` at the start of a paragraph or list item).
//! Workshop: each chapter's exercises · DESIGN.md: the step README template

use crate::regions::ExerciseId;

/// An exercise as a step README states it.
#[derive(Debug, PartialEq)]
pub struct Stated {
    /// Its number.
    pub id: ExerciseId,
    /// The line (from 1) where its statement starts.
    pub line: usize,
    /// The bold title after the number: `Drop non-compliant messages`.
    pub title: String,
    /// The statement (its paragraph or list item) and the hint block after it, as written.
    pub statement: String,
}

/// The chapter's title, from the README's first heading: `# Step 1: Echo` -> `Echo`.
pub fn title(readme: &str) -> Option<&str> {
    let heading = readme.lines().find(|line| line.starts_with("# "))?;
    let title = heading.split_once(": ").map_or(&heading[2..], |(_, t)| t);
    Some(title.trim())
}

/// The exercises stated in the README's `## Exercises` section, in order.
pub fn exercises(readme: &str) -> Vec<Stated> {
    let lines: Vec<&str> = readme.lines().collect();
    let Some(start) = lines
        .iter()
        .position(|line| line.trim_end() == "## Exercises")
    else {
        return Vec::new();
    };
    let end = lines[start + 1..]
        .iter()
        .position(|line| line.starts_with("## "))
        .map_or(lines.len(), |offset| start + 1 + offset);
    let mut stated = Vec::new();
    for at in start + 1..end {
        let starts_paragraph = lines[at - 1].trim().is_empty();
        let text = item_text(lines[at]);
        if !(starts_paragraph || text.is_some()) {
            continue;
        }
        let Some((id, title)) = bold_number(text.unwrap_or(lines[at])) else {
            continue;
        };
        // The paragraph or list item: until a blank line or the next list item.
        let item_end = (at + 1..end)
            .find(|&next| lines[next].trim().is_empty() || item_text(lines[next]).is_some())
            .unwrap_or(end);
        let mut statement: Vec<&str> = lines[at..item_end].to_vec();
        // Its hint: the first `<details>` block after it, within the section.
        if let Some(open) =
            (item_end..end).find(|&i| lines[i].trim_start().starts_with("<details>"))
        {
            let close = (open..end)
                .find(|&i| lines[i].trim_end().ends_with("</details>"))
                .unwrap_or(end - 1);
            statement.push("");
            statement.extend(&lines[open..=close]);
        }
        stated.push(Stated {
            id,
            line: at + 1,
            title,
            statement: statement.join("\n"),
        });
    }
    stated
}

/// The text of a list item line (`- x`, `* x`), without its bullet.
fn item_text(line: &str) -> Option<&str> {
    let line = line.trim_start();
    line.strip_prefix("- ").or_else(|| line.strip_prefix("* "))
}

/// `**6.1 `start_child/4`** (the workshop's)` -> (6.1, "`start_child/4`").
fn bold_number(text: &str) -> Option<(ExerciseId, String)> {
    let rest = text.strip_prefix("**")?;
    let number_end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    let id = ExerciseId::parse(&rest[..number_end])?;
    let after = &rest[number_end..];
    let title = after.split("**").next().unwrap_or_default();
    let title = title.trim().trim_end_matches(['.', ':']).trim();
    Some((id, title.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const README: &str = "\
# Step 6: Supervisor

**6.0 Not an exercise**: outside the section.

## Exercises

**6.1 `start_child/4`** (the workshop's): ask the supervisor
to start a child.

Beyond the workshop:

- **6.2 Strategies**: `one_for_all`
  and `rest_for_one`.
- **6.3 Restart types**: `transient`.
Exercise 1.1 (drop junk) is still solved, **1.1 is not stated here**.

<details><summary>Hints</summary>

6.1: tag the reply.
</details>

## Differences from the workshop

**6.9 Not an exercise either.**
";

    #[test]
    fn the_title_is_the_first_headings_after_its_colon() {
        assert_eq!(Some("Supervisor"), title(README));
        assert_eq!(Some("Notes"), title("intro\n# Notes\n"));
        assert_eq!(None, title("no heading\n"));
    }

    #[test]
    fn exercises_are_bold_numbers_starting_a_paragraph_or_item_of_the_section() {
        let stated = exercises(README);
        let found: Vec<(String, usize, &str)> = stated
            .iter()
            .map(|s| (s.id.to_string(), s.line, s.title.as_str()))
            .collect();
        assert_eq!(
            vec![
                ("6.1".to_string(), 7, "`start_child/4`"),
                ("6.2".to_string(), 12, "Strategies"),
                ("6.3".to_string(), 14, "Restart types"),
            ],
            found
        );
        assert_eq!(
            "**6.1 `start_child/4`** (the workshop's): ask the supervisor\nto start a child.\n\n\
             <details><summary>Hints</summary>\n\n6.1: tag the reply.\n</details>",
            stated[0].statement
        );
        assert!(stated[1].statement.starts_with(
            "- **6.2 Strategies**: `one_for_all`\n  and `rest_for_one`.\n\n<details>"
        ));
        assert!(
            stated[2]
                .statement
                .starts_with("- **6.3 Restart types**: `transient`.\nExercise 1.1")
        );
    }

    #[test]
    fn a_readme_without_an_exercises_section_states_none() {
        assert_eq!(
            Vec::<Stated>::new(),
            exercises("# Step 2: Timeout\n\n**2.1 x**\n")
        );
    }
}
