//! A README's diagrams, kept equal to what the code draws: a test runs the scenario with
//! `trace::diagram` and compares the README's copy, which it can rewrite on request.
//! Elixir: ExUnit has no such assertion; doctests keep examples true the same way · OTP: -

use std::fmt::Write;
use std::path::Path;

/// The environment variable that makes [`assert_diagram_in_readme`] rewrite a stale
/// diagram instead of failing.
const UPDATE: &str = "UPDATE_DIAGRAMS";

/// Asserts that the Markdown file `readme` holds `diagram` (the text [`trace::diagram`]
/// returned) in the ```` ```mermaid ```` block right under the line
/// `<!-- diagram: NAME -->` (or `<!-- diagram: NAME (a remark) -->`). On a difference it fails, showing the lines that differ; run
/// the test again with `UPDATE_DIAGRAMS=1` in the environment to write the new diagram into
/// the file (then look at it, and commit it).
///
/// ```no_run
/// use otp_core::{send, self_pid, testing::assert_diagram_in_readme, trace};
///
/// let diagram = trace::diagram(|| send(self_pid(), "hello"));
/// let readme = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
/// assert_diagram_in_readme(readme, "hello", &diagram);
/// ```
///
/// In the README (GitHub hides the comment and draws the block):
///
/// ````markdown
/// <!-- diagram: hello -->
/// ```mermaid
/// sequenceDiagram
/// ...
/// ```
/// ````
///
/// [`trace::diagram`]: crate::trace::diagram
///
/// Elixir: no equivalent; ExUnit's doctests keep documentation true the same way.
#[track_caller]
pub fn assert_diagram_in_readme(readme: impl AsRef<Path>, name: &str, diagram: &str) {
    let path = readme.as_ref();
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let block = match find_block(&text, name) {
        Ok(block) => block,
        Err(problem) => panic!(
            "{}: {problem}. Put the diagram under a line `<!-- diagram: {name} -->`, in a \
             ```mermaid block (it can start empty), then run the test with {UPDATE}=1.",
            path.display()
        ),
    };
    let old = &text[block.clone()];
    if old == diagram {
        return;
    }
    if std::env::var(UPDATE).is_ok_and(|v| !v.is_empty() && v != "0") {
        let new = format!("{}{diagram}{}", &text[..block.start], &text[block.end..]);
        std::fs::write(path, new)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        eprintln!(
            "{UPDATE}: wrote the diagram `{name}` into {}",
            path.display()
        );
        return;
    }
    panic!(
        "the diagram `{name}` in {} is not what the code draws now.\n\
         Run the test again with {UPDATE}=1 to write the new one, then look at it \
         (scripts/render-diagrams) and commit it.\n\
         - in the file, + drawn now:\n{}",
        path.display(),
        line_diff(old, diagram)
    );
}

/// The byte range of the body of the ```` ```mermaid ```` block under the marker of `name`.
fn find_block(text: &str, name: &str) -> Result<std::ops::Range<usize>, String> {
    let marker = format!("<!-- diagram: {name} -->");
    let mut lines = line_ranges(text).skip_while(|r| !is_marker(&text[r.clone()], name));
    if lines.next().is_none() {
        return Err(format!("no line `{marker}`"));
    }
    let fence = lines.next().map(|r| text[r].trim_end());
    if fence != Some("```mermaid") {
        return Err(format!("the line under `{marker}` is not ```mermaid"));
    }
    let start = lines.clone().next().map_or(text.len(), |r| r.start);
    for line in lines {
        if text[line.clone()].trim_end() == "```" {
            return Ok(start..line.start);
        }
    }
    Err(format!(
        "the ```mermaid block under `{marker}` has no closing ```"
    ))
}

/// Whether `line` is `<!-- diagram: NAME -->`, or `<!-- diagram: NAME (a remark) -->`.
fn is_marker(line: &str, name: &str) -> bool {
    let rest = line.trim_end().strip_prefix("<!-- diagram: ");
    let rest = rest.and_then(|r| r.strip_prefix(name));
    rest.and_then(|r| r.strip_suffix("-->"))
        .is_some_and(|remark| {
            let remark = remark.trim();
            remark.is_empty() || (remark.starts_with('(') && remark.ends_with(')'))
        })
}

/// The range of each line of `text`, its line break included.
fn line_ranges(text: &str) -> impl Iterator<Item = std::ops::Range<usize>> + Clone + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start == text.len() {
            return None;
        }
        let end = text[start..]
            .find('\n')
            .map_or(text.len(), |i| start + i + 1);
        let line = start..end;
        start = end;
        Some(line)
    })
}

/// The lines of `old` and `new`, the unchanged ones with two spaces, the others with `-` or
/// `+`: a longest common subsequence, which a diagram's hundred-odd lines keep cheap.
fn line_diff(old: &str, new: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    // common[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut common = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            common[i][j] = if a[i] == b[j] {
                common[i + 1][j + 1] + 1
            } else {
                common[i + 1][j].max(common[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, String::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            let _ = writeln!(out, "  {}", a[i]);
            (i, j) = (i + 1, j + 1);
        } else if j == b.len() || (i < a.len() && common[i + 1][j] >= common[i][j + 1]) {
            let _ = writeln!(out, "- {}", a[i]);
            i += 1;
        } else {
            let _ = writeln!(out, "+ {}", b[j]);
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{find_block, line_diff};

    #[test]
    fn finds_the_block_under_its_marker_and_no_other() {
        let text = "# Title\n<!-- diagram: ab -->\n<!-- diagram: a -->\n```mermaid\nold a\n```\n\
                    <!-- diagram: b (drawn by a test) -->\n```mermaid\n```\n";
        assert_eq!(&text[find_block(text, "a").unwrap()], "old a\n");
        assert_eq!(&text[find_block(text, "b").unwrap()], "");
        let missing = find_block(text, "c").unwrap_err();
        assert_eq!(missing, "no line `<!-- diagram: c -->`");
        let unclosed = find_block("<!-- diagram: a -->\n```mermaid\nx\n", "a").unwrap_err();
        assert!(unclosed.contains("no closing"), "{unclosed}");
        let no_fence = find_block("<!-- diagram: a -->\ntext\n", "a").unwrap_err();
        assert!(no_fence.contains("is not ```mermaid"), "{no_fence}");
    }

    #[test]
    fn the_diff_marks_removed_and_added_lines() {
        let diff = line_diff("a\nb\nc\n", "a\nx\nc\nd\n");
        assert_eq!(diff, "  a\n- b\n+ x\n  c\n+ d\n");
    }
}
