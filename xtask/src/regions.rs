//! Solution and exercise regions: the marker comments in the step crates, parsed into a tree,
//! and the tree rendered back as one view of the code (solved, a starter, a chapter).
//! Rust book: mdBook's `// ANCHOR:` comments · rustlings: an exercise and its solution
//!
//! ```text
//! // BEGIN SOLUTION N.k[: title]      the solved code, compiled in the committed step
//! // STARTER N.k                      (optional) what replaces it, each line commented out
//! // END SOLUTION N.k
//! // BEGIN EXERCISE N.k[: title]      code that exists only once exercise N.k is posed
//! // END EXERCISE N.k
//! ```

use std::fmt;

/// An exercise number, `N.k`: exercise k of chapter N. Its home is the step crate of chapter N.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ExerciseId {
    /// N: the chapter, and the step crate the exercise is made from.
    pub chapter: u32,
    /// k: which exercise of that chapter.
    pub k: u32,
}

impl ExerciseId {
    /// Reads `5.1`; `None` for anything else (`5`, `5.`, `5.1.2`, `v5.1`).
    pub fn parse(text: &str) -> Option<ExerciseId> {
        let (chapter, k) = text.split_once('.')?;
        Some(ExerciseId {
            chapter: number(chapter)?,
            k: number(k)?,
        })
    }

    /// The start of the names of the tests that prove it: `exercise_5_1_`.
    pub fn test_prefix(self) -> String {
        format!("exercise_{}_{}_", self.chapter, self.k)
    }

    /// The exercise a test's name claims, from its `exercise_N_k_` prefix.
    pub fn of_test_name(name: &str) -> Option<ExerciseId> {
        let mut parts = name.strip_prefix("exercise_")?.splitn(3, '_');
        let (chapter, k, _rest) = (parts.next()?, parts.next()?, parts.next()?);
        Some(ExerciseId {
            chapter: number(chapter)?,
            k: number(k)?,
        })
    }
}

impl fmt::Display for ExerciseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.chapter, self.k)
    }
}

/// Digits only, as the markers' `\d+`: no sign, no spaces.
fn number(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// The two kinds of region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `SOLUTION`: the answer, replaced by its starter (or by nothing) while the exercise is open.
    Solution,
    /// `EXERCISE`: code that comes with the exercise (its tests, what they need).
    Exercise,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Solution => "SOLUTION",
            Kind::Exercise => "EXERCISE",
        })
    }
}

/// One marker line.
#[derive(Debug, PartialEq)]
enum Marker {
    Begin(Kind, ExerciseId, Option<String>),
    Starter(ExerciseId),
    End(Kind, ExerciseId),
}

/// The words a marker starts with, after `// `.
const KEYWORDS: [&str; 5] = [
    "BEGIN SOLUTION",
    "BEGIN EXERCISE",
    "STARTER",
    "END SOLUTION",
    "END EXERCISE",
];

/// Reads a marker line: `Ok(None)` for any other line, an error for a line that starts like a
/// marker but breaks its syntax (a typo must not turn a marker into a plain comment).
/// Markers are whole-line comments, exactly (as a regular expression):
/// ```text
/// ^\s*// (BEGIN (SOLUTION|EXERCISE) \d+\.\d+(: .*)?|STARTER \d+\.\d+
///          |END (SOLUTION|EXERCISE) \d+\.\d+)\s*$
/// ```
fn marker(line: &str) -> Result<Option<Marker>, String> {
    let Some(text) = line.trim_start().strip_prefix("// ") else {
        return Ok(None);
    };
    let text = text.trim_end();
    let keyword = KEYWORDS.iter().find_map(|keyword| {
        let rest = text.strip_prefix(keyword)?;
        (rest.is_empty() || rest.starts_with(' ')).then_some((*keyword, rest))
    });
    let Some((keyword, rest)) = keyword else {
        return Ok(None);
    };
    let Some(rest) = rest.strip_prefix(' ') else {
        return Err(format!("`// {text}` lacks its exercise number N.k"));
    };
    // Only a BEGIN may carry a title, after `: `.
    let begin = keyword.starts_with("BEGIN");
    let (number, title) = match rest.split_once(':') {
        Some((number, title)) if begin && (title.is_empty() || title.starts_with(' ')) => {
            (number, Some(title.trim()).filter(|t| !t.is_empty()))
        }
        _ => (rest, None),
    };
    let Some(id) = ExerciseId::parse(number) else {
        let form = if begin { "N.k[: title]" } else { "N.k" };
        return Err(format!(
            "malformed marker: `// {text}`; expected `// {keyword} {form}`"
        ));
    };
    let title = title.map(String::from);
    Ok(Some(match keyword {
        "BEGIN SOLUTION" => Marker::Begin(Kind::Solution, id, title),
        "BEGIN EXERCISE" => Marker::Begin(Kind::Exercise, id, title),
        "STARTER" => Marker::Starter(id),
        "END SOLUTION" => Marker::End(Kind::Solution, id),
        _ => Marker::End(Kind::Exercise, id),
    }))
}

/// A region of a file, between its BEGIN and END markers.
#[derive(Debug)]
pub struct Region {
    /// SOLUTION or EXERCISE.
    pub kind: Kind,
    /// The exercise it belongs to.
    pub id: ExerciseId,
    /// The free title after `BEGIN ... N.k: `, if any.
    pub title: Option<String>,
    /// The line number (from 1) of its BEGIN marker.
    pub begin: usize,
    /// The line number of its END marker.
    pub end: usize,
    /// What it holds: the solved code, which may hold regions of its own.
    pub body: Vec<Node>,
    /// A SOLUTION's starter text, uncommented; `None` without a STARTER marker.
    pub starter: Option<Vec<String>>,
}

/// A line of a file, or a region of it.
#[derive(Debug)]
pub enum Node {
    /// A line outside any marker, as written.
    Line(String),
    /// A region and everything in it.
    Region(Region),
}

/// A whole file, parsed.
#[derive(Debug)]
pub struct Source {
    nodes: Vec<Node>,
    newline_at_end: bool,
}

/// A mistake in the markers of a file, at a line.
#[derive(Debug, PartialEq)]
pub struct MarkerError {
    /// The line number, from 1.
    pub line: usize,
    /// What is wrong, in a sentence.
    pub message: String,
}

impl Source {
    /// Parses a file's text. The first mistake in its markers is the error.
    pub fn parse(text: &str) -> Result<Source, MarkerError> {
        let mut parser = Parser::default();
        for (index, line) in text.lines().enumerate() {
            let error = |message| MarkerError {
                line: index + 1,
                message,
            };
            parser.line(index + 1, line).map_err(error)?;
        }
        Ok(Source {
            nodes: parser.finish()?,
            newline_at_end: text.ends_with('\n'),
        })
    }

    /// Every region of the file, outer ones before those they hold.
    pub fn regions(&self) -> Vec<&Region> {
        fn walk<'a>(nodes: &'a [Node], all: &mut Vec<&'a Region>) {
            for node in nodes {
                if let Node::Region(region) = node {
                    all.push(region);
                    walk(&region.body, all);
                }
            }
        }
        let mut all = Vec::new();
        walk(&self.nodes, &mut all);
        all
    }

    /// The file as one view sees it: `show` decides, region by region, whether it is solved
    /// (its code, markers stripped) or unsolved (a SOLUTION's starter text, or nothing).
    pub fn render(&self, show: &dyn Fn(&Region) -> Show) -> String {
        let mut out = Out::default();
        render(&self.nodes, show, &mut out);
        out.finish(self.newline_at_end)
    }
}

/// Reads a file line by line: the lines outside any region, and the regions still open,
/// innermost last.
#[derive(Default)]
struct Parser {
    top: Vec<Node>,
    open: Vec<Open>,
}

/// A region being read, and once its STARTER marker is read, that marker's line and
/// indentation (every starter line repeats the indentation).
struct Open {
    region: Region,
    starter: Option<(usize, String)>,
}

impl Parser {
    /// Reads line `at`: a marker opens, splits or closes a region; any other line goes to
    /// the innermost open region, as its code or, after its STARTER, as starter text.
    fn line(&mut self, at: usize, line: &str) -> Result<(), String> {
        let marker = marker(line)?;
        if let Some(open) = self.open.last_mut() {
            if open.starter.is_some() && !matches!(marker, Some(Marker::End(..))) {
                return open.starter_line(line, marker);
            }
        }
        match marker {
            None => self.body().push(Node::Line(line.to_string())),
            Some(Marker::Begin(kind, id, title)) => self.open.push(Open {
                region: Region {
                    kind,
                    id,
                    title,
                    begin: at,
                    end: 0,
                    body: Vec::new(),
                    starter: None,
                },
                starter: None,
            }),
            Some(Marker::Starter(id)) => {
                let Some(open) = self.open.last_mut() else {
                    return Err(format!(
                        "STARTER {id} outside a SOLUTION region: a starter replaces a solution"
                    ));
                };
                if (open.region.kind, open.region.id) != (Kind::Solution, id) {
                    return Err(format!(
                        "STARTER {id} inside {}: a STARTER belongs to the SOLUTION region of \
                         its own number",
                        describe(&open.region)
                    ));
                }
                let indent = &line[..line.len() - line.trim_start().len()];
                open.starter = Some((at, indent.to_string()));
                open.region.starter = Some(Vec::new());
            }
            Some(Marker::End(kind, id)) => {
                let Some(mut closed) = self.open.pop() else {
                    return Err(format!(
                        "END {kind} {id} with no region open (no BEGIN {kind} {id} before it)"
                    ));
                };
                if (closed.region.kind, closed.region.id) != (kind, id) {
                    return Err(format!(
                        "END {kind} {id} does not close the innermost open region, {}",
                        describe(&closed.region)
                    ));
                }
                closed.region.end = at;
                self.body().push(Node::Region(closed.region));
            }
        }
        Ok(())
    }

    /// Where a line goes: into the innermost open region, or the file itself.
    fn body(&mut self) -> &mut Vec<Node> {
        match self.open.last_mut() {
            Some(open) => &mut open.region.body,
            None => &mut self.top,
        }
    }

    /// The file's nodes, once every region is closed.
    fn finish(mut self) -> Result<Vec<Node>, MarkerError> {
        match self.open.pop() {
            None => Ok(self.top),
            Some(Open { region, .. }) => Err(MarkerError {
                line: region.begin,
                message: format!(
                    "{} {} is never closed: no `// END {} {}` after it",
                    region.kind, region.id, region.kind, region.id
                ),
            }),
        }
    }
}

impl Open {
    /// A line after this region's STARTER marker: commented-out code, up to its END.
    fn starter_line(&mut self, line: &str, marker: Option<Marker>) -> Result<(), String> {
        let Some((starter_at, indent)) = &self.starter else {
            return Ok(());
        };
        let text = match marker {
            Some(Marker::Starter(_)) => {
                return Err(format!(
                    "a second STARTER in {} (STARTER at line {starter_at})",
                    describe(&self.region),
                ));
            }
            Some(_) => {
                return Err(format!(
                    "a marker inside the starter of {}: a starter holds commented-out lines only",
                    describe(&self.region)
                ));
            }
            None => uncomment(line, indent).ok_or_else(|| {
                format!(
                    "a starter line must be `{indent}// code` or `{indent}//` (the STARTER \
                     marker's indentation, then `//`)"
                )
            })?,
        };
        self.region.starter.get_or_insert_with(Vec::new).push(text);
        Ok(())
    }
}

/// How a view shows one region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Show {
    /// Its code, without the markers.
    Solved,
    /// A SOLUTION's starter text, or nothing at all; an EXERCISE's nothing.
    Unsolved,
}

fn render(nodes: &[Node], show: &dyn Fn(&Region) -> Show, out: &mut Out) {
    for node in nodes {
        match node {
            Node::Line(line) => out.line(line),
            Node::Region(region) => match (show(region), &region.starter) {
                (Show::Solved, _) => render(&region.body, show, out),
                (Show::Unsolved, Some(starter)) if !starter.is_empty() => {
                    starter.iter().for_each(|line| out.line(line));
                }
                (Show::Unsolved, _) => out.vanished(),
            },
        }
    }
}

/// The lines of a view, kept as rustfmt would have them where a region vanished: no blank
/// line doubled, none at the start or end of the file, after an opening `{` or before a
/// closing `}`.
#[derive(Default)]
struct Out {
    lines: Vec<String>,
    /// A region vanished just before the next line.
    gap: bool,
}

impl Out {
    fn line(&mut self, line: &str) {
        let code = line.trim();
        let after_gap = std::mem::take(&mut self.gap);
        if after_gap && code.is_empty() {
            let previous = self.lines.last().map_or("", |l| l.trim());
            if previous.is_empty() || previous.ends_with(['{', '(', '[']) {
                return;
            }
        }
        if after_gap && code.starts_with(['}', ')', ']']) {
            self.drop_trailing_blanks();
        }
        self.lines.push(line.to_string());
    }

    fn vanished(&mut self) {
        self.gap = true;
    }

    fn drop_trailing_blanks(&mut self) {
        while self.lines.last().is_some_and(|line| line.trim().is_empty()) {
            self.lines.pop();
        }
    }

    fn finish(mut self, newline_at_end: bool) -> String {
        if self.gap {
            self.drop_trailing_blanks();
        }
        let mut text = self.lines.join("\n");
        if newline_at_end && !self.lines.is_empty() {
            text.push('\n');
        }
        text
    }
}

/// `SOLUTION 1.1 (line 34)`, as an error names a region.
fn describe(region: &Region) -> String {
    format!("{} {} (line {})", region.kind, region.id, region.begin)
}

/// `<indent>// text` -> `<indent>text`, and `<indent>//` -> an empty line (as rustfmt
/// leaves a blank line, without the indentation); `None` for a line that is not commented out
/// at exactly that indentation.
fn uncomment(line: &str, indent: &str) -> Option<String> {
    let rest = line.strip_prefix(indent)?.strip_prefix("//")?;
    if rest.is_empty() {
        return Some(String::new());
    }
    Some(format!("{indent}{}", rest.strip_prefix(' ')?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> ExerciseId {
        ExerciseId::parse(text).unwrap()
    }

    fn error(text: &str) -> MarkerError {
        Source::parse(text).unwrap_err()
    }

    /// Renders with the starter of `unsolved` (every other region solved).
    fn view(text: &str, unsolved: &[(Kind, &str)]) -> String {
        let source = Source::parse(text).unwrap();
        source.render(&|region| {
            if unsolved.contains(&(region.kind, &region.id.to_string())) {
                Show::Unsolved
            } else {
                Show::Solved
            }
        })
    }

    const ECHO: &str = "\
fn run() {
    receive! {
        msg => echo(msg),
        // BEGIN SOLUTION 1.1: drop junk
        junk => drop(junk),
        // STARTER 1.1
        // // Exercise 1.1: drop anything else.
        //
        // END SOLUTION 1.1
    }
}
";

    #[test]
    fn exercise_ids_read_as_markers_and_test_names_write_them() {
        assert_eq!(
            Some(ExerciseId { chapter: 5, k: 12 }),
            ExerciseId::parse("5.12")
        );
        for bad in ["5", "5.", ".1", "5.1.2", "v5.1", "5.-1", " 5.1", "5,1"] {
            assert_eq!(None, ExerciseId::parse(bad), "{bad:?}");
        }
        assert_eq!("exercise_5_12_", id("5.12").test_prefix());
        assert_eq!(
            Some(id("5.12")),
            ExerciseId::of_test_name("exercise_5_12_stops")
        );
        assert_eq!(None, ExerciseId::of_test_name("exercise_5_12"));
        assert_eq!(None, ExerciseId::of_test_name("exercise_five_1_x"));
        assert_eq!(None, ExerciseId::of_test_name("an_exercise_5_1_x"));
    }

    #[test]
    fn markers_are_whole_line_comments_only() {
        let begin = |title: Option<&str>| {
            Ok(Some(Marker::Begin(
                Kind::Solution,
                id("1.1"),
                title.map(String::from),
            )))
        };
        assert_eq!(begin(None), marker("// BEGIN SOLUTION 1.1"));
        assert_eq!(begin(None), marker("\t  // BEGIN SOLUTION 1.1   "));
        assert_eq!(begin(None), marker("// BEGIN SOLUTION 1.1: "));
        assert_eq!(begin(Some("a: b")), marker("// BEGIN SOLUTION 1.1: a: b "));
        assert_eq!(
            Ok(Some(Marker::End(Kind::Exercise, id("6.10")))),
            marker("    // END EXERCISE 6.10")
        );
        assert_eq!(
            Ok(Some(Marker::Starter(id("4.1")))),
            marker("// STARTER 4.1")
        );
        for plain in [
            "let x = 1; // BEGIN SOLUTION 1.1",
            "/// BEGIN SOLUTION 1.1",
            "//BEGIN SOLUTION 1.1",
            "// // BEGIN SOLUTION 1.1",
            "// BEGINS SOLUTION 1.1",
            "// Exercise 1.1 (solution)",
        ] {
            assert_eq!(Ok(None), marker(plain), "{plain:?}");
        }
    }

    #[test]
    fn a_line_that_starts_like_a_marker_but_breaks_its_syntax_is_an_error() {
        for (line, message) in [
            (
                "// BEGIN SOLUTION 1.1 drop junk",
                "malformed marker: `// BEGIN SOLUTION 1.1 drop junk`; expected `// BEGIN SOLUTION N.k[: title]`",
            ),
            (
                "// END SOLUTION 1.1: drop junk",
                "malformed marker: `// END SOLUTION 1.1: drop junk`; expected `// END SOLUTION N.k`",
            ),
            (
                "// STARTER one",
                "malformed marker: `// STARTER one`; expected `// STARTER N.k`",
            ),
            (
                "// BEGIN EXERCISE",
                "`// BEGIN EXERCISE` lacks its exercise number N.k",
            ),
            (
                "// STARTER  4.1",
                "malformed marker: `// STARTER  4.1`; expected `// STARTER N.k`",
            ),
        ] {
            assert_eq!(Err(message.to_string()), marker(line), "{line:?}");
        }
    }

    #[test]
    fn the_solved_view_strips_the_markers_and_the_starter() {
        let expected = "\
fn run() {
    receive! {
        msg => echo(msg),
        junk => drop(junk),
    }
}
";
        assert_eq!(expected, view(ECHO, &[]));
    }

    #[test]
    fn an_unsolved_solution_shows_its_starter_uncommented_at_the_markers_indentation() {
        let expected = "\
fn run() {
    receive! {
        msg => echo(msg),
        // Exercise 1.1: drop anything else.

    }
}
";
        assert_eq!(expected, view(ECHO, &[(Kind::Solution, "1.1")]));
    }

    #[test]
    fn regions_keep_their_numbers_titles_and_lines() {
        let source = Source::parse(ECHO).unwrap();
        let regions = source.regions();
        assert_eq!(1, regions.len());
        let region = regions[0];
        assert_eq!((Kind::Solution, id("1.1")), (region.kind, region.id));
        assert_eq!(Some("drop junk"), region.title.as_deref());
        assert_eq!((4, 9), (region.begin, region.end));
    }

    /// The nestings the steps use: a SOLUTION inside an EXERCISE of its own number, an
    /// EXERCISE inside another, another chapter's SOLUTION inside an EXERCISE.
    const NESTED: &str = "\
// BEGIN EXERCISE 6.2
enum Strategy {
    OneForOne,
    // BEGIN SOLUTION 6.2
    OneForAll,
    // END SOLUTION 6.2
    // BEGIN EXERCISE 6.6
    Custom,
    // END EXERCISE 6.6
}
// END EXERCISE 6.2

#[test]
fn exercise_1_1_answers() {
    // BEGIN EXERCISE 1.1
    // BEGIN SOLUTION 4.1
    let r = send();
    // STARTER 4.1
    // send();
    // END SOLUTION 4.1
    // END EXERCISE 1.1
}
";

    #[test]
    fn nested_regions_follow_the_outermost_unsolved_one() {
        let solved = "\
enum Strategy {
    OneForOne,
    OneForAll,
    Custom,
}

#[test]
fn exercise_1_1_answers() {
    let r = send();
}
";
        assert_eq!(solved, view(NESTED, &[]));
        // Exercise 6.2 unsolved: its EXERCISE goes, with everything inside, and the blank
        // line after it, so the file still reads as rustfmt left it.
        let chapter_6 = view(NESTED, &[(Kind::Exercise, "6.2"), (Kind::Solution, "6.2")]);
        assert_eq!(
            "#[test]\nfn exercise_1_1_answers() {\n    let r = send();\n}\n",
            chapter_6
        );
        let starter_6_6 = view(NESTED, &[(Kind::Solution, "6.6")]);
        assert!(starter_6_6.contains("    Custom,\n"), "{starter_6_6}");
        let starter_4_1 = view(NESTED, &[(Kind::Solution, "4.1")]);
        assert!(
            starter_4_1.ends_with("{\n    send();\n}\n"),
            "{starter_4_1}"
        );
        let chapter_1 = view(NESTED, &[(Kind::Exercise, "1.1"), (Kind::Solution, "1.1")]);
        assert!(chapter_1.ends_with("{\n}\n"), "{chapter_1}");
        assert_eq!(5, Source::parse(NESTED).unwrap().regions().len());
    }

    #[test]
    fn a_vanished_region_takes_one_blank_line_along_and_no_code() {
        let text = "a\n\n// BEGIN EXERCISE 1.1\nb\n// END EXERCISE 1.1\n\nc\n\n// BEGIN EXERCISE 1.1\nd\n// END EXERCISE 1.1\n";
        assert_eq!("a\n\nc\n", view(text, &[(Kind::Exercise, "1.1")]));
        let at_start = "// BEGIN EXERCISE 1.1\nb\n// END EXERCISE 1.1\n\nc\n";
        assert_eq!("c\n", view(at_start, &[(Kind::Exercise, "1.1")]));
        let inline =
            "f(\n    a,\n    // BEGIN SOLUTION 1.1\n    x,\n    // END SOLUTION 1.1\n\n    b,\n)\n";
        assert_eq!(
            "f(\n    a,\n\n    b,\n)\n",
            view(inline, &[(Kind::Solution, "1.1")])
        );
    }

    #[test]
    fn a_vanished_region_leaves_no_blank_line_after_an_opening_or_before_a_closing_brace() {
        let text = "\
trait T {
    // BEGIN EXERCISE 5.3
    fn info();
    // END EXERCISE 5.3

    fn call();

    // BEGIN EXERCISE 5.4
    fn terminate();
    // END EXERCISE 5.4
}
";
        let expected = "trait T {\n    fn call();\n}\n";
        let unsolved = [(Kind::Exercise, "5.3"), (Kind::Exercise, "5.4")];
        assert_eq!(expected, view(text, &unsolved));
    }

    #[test]
    fn a_file_that_is_one_region_renders_empty() {
        let text = "// BEGIN EXERCISE 6.4\n#[test]\nfn t() {}\n// END EXERCISE 6.4\n";
        assert_eq!("", view(text, &[(Kind::Exercise, "6.4")]));
    }

    #[test]
    fn a_file_without_markers_renders_as_it_is() {
        for text in ["", "a\n", "a\n\n\nb", "\n"] {
            assert_eq!(text, view(text, &[]));
        }
    }

    #[test]
    fn every_marker_mistake_names_its_line() {
        for (text, line, message) in [
            (
                "a\n// BEGIN SOLUTION 1.1\nb\n",
                2,
                "SOLUTION 1.1 is never closed: no `// END SOLUTION 1.1` after it",
            ),
            (
                "// BEGIN EXERCISE 1.1\n// BEGIN SOLUTION 1.1\n// END SOLUTION 1.1\n",
                1,
                "EXERCISE 1.1 is never closed: no `// END EXERCISE 1.1` after it",
            ),
            (
                "a\n// END SOLUTION 1.1\n",
                2,
                "END SOLUTION 1.1 with no region open (no BEGIN SOLUTION 1.1 before it)",
            ),
            (
                "// STARTER 1.1\n",
                1,
                "STARTER 1.1 outside a SOLUTION region: a starter replaces a solution",
            ),
            (
                "// BEGIN EXERCISE 1.1\n// STARTER 1.1\n// END EXERCISE 1.1\n",
                2,
                "STARTER 1.1 inside EXERCISE 1.1 (line 1): a STARTER belongs to the SOLUTION region of its own number",
            ),
            (
                "// BEGIN SOLUTION 1.1\n// STARTER 1.2\n// END SOLUTION 1.1\n",
                2,
                "STARTER 1.2 inside SOLUTION 1.1 (line 1): a STARTER belongs to the SOLUTION region of its own number",
            ),
            (
                "// BEGIN SOLUTION 1.1\n// STARTER 1.1\n// a\n// STARTER 1.1\n// END SOLUTION 1.1\n",
                4,
                "a second STARTER in SOLUTION 1.1 (line 1) (STARTER at line 2)",
            ),
            (
                "// BEGIN SOLUTION 1.1\n// STARTER 1.1\n// BEGIN EXERCISE 1.1\n",
                3,
                "a marker inside the starter of SOLUTION 1.1 (line 1): a starter holds commented-out lines only",
            ),
            (
                "// BEGIN SOLUTION 1.1\n// END SOLUTION 1.2\n",
                2,
                "END SOLUTION 1.2 does not close the innermost open region, SOLUTION 1.1 (line 1)",
            ),
            (
                "// BEGIN SOLUTION 1.1\n// END EXERCISE 1.1\n",
                2,
                "END EXERCISE 1.1 does not close the innermost open region, SOLUTION 1.1 (line 1)",
            ),
            (
                "// BEGIN EXERCISE 1.1\n// BEGIN SOLUTION 1.1\n// END EXERCISE 1.1\n// END SOLUTION 1.1\n",
                3,
                "END EXERCISE 1.1 does not close the innermost open region, SOLUTION 1.1 (line 2)",
            ),
            (
                "a\nb\n// END SOLUTION x\n",
                3,
                "malformed marker: `// END SOLUTION x`; expected `// END SOLUTION N.k`",
            ),
        ] {
            let expected = MarkerError {
                line,
                message: message.to_string(),
            };
            assert_eq!(expected, error(text), "{text:?}");
        }
    }

    #[test]
    fn a_starter_line_must_be_commented_out_at_the_starter_markers_indentation() {
        let message = "a starter line must be `    // code` or `    //` \
                       (the STARTER marker's indentation, then `//`)";
        for line in ["    x();", "  // x();", "    //x();", "", "\t// x();"] {
            let text = format!(
                "    // BEGIN SOLUTION 1.1\n    y();\n    // STARTER 1.1\n{line}\n    // END SOLUTION 1.1\n"
            );
            let expected = MarkerError {
                line: 4,
                message: message.to_string(),
            };
            assert_eq!(expected, error(&text), "{line:?}");
        }
        let fine = "    // BEGIN SOLUTION 1.1\n    y();\n    // STARTER 1.1\n    //\n    //     x();\n    // END SOLUTION 1.1\n";
        assert_eq!("\n        x();\n", view(fine, &[(Kind::Solution, "1.1")]));
    }

    #[test]
    fn a_solution_without_a_starter_or_with_an_empty_one_vanishes() {
        let text = "a\n// BEGIN SOLUTION 1.1\nb\n// STARTER 1.1\n// END SOLUTION 1.1\nc\n";
        assert_eq!("a\nc\n", view(text, &[(Kind::Solution, "1.1")]));
        let text = "a\n// BEGIN SOLUTION 1.1\nb\n// END SOLUTION 1.1\nc\n";
        assert_eq!("a\nc\n", view(text, &[(Kind::Solution, "1.1")]));
    }
}
