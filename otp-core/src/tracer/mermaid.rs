//! Draws traced events as a Mermaid `sequenceDiagram`: a lifeline per process, a numbered
//! arrow per message, notes for the rest, and a note wherever a message is taken later
//! than it arrived (selective receive, the workshop's chapter 4).
//! Elixir: `:et_viewer` draws the same from a trace · OTP: et (Event Tracer)

use std::collections::{HashMap, VecDeque};
use std::fmt::Write;

use super::Event;
use super::tree::MAX_EVENTS;
use crate::exit::Fate;
use crate::{ExitReason, Pid};

/// Characters of a message's text an arrow shows; the rest is cut, saying how much.
const MAX_TEXT: usize = 60;

/// The diagram of `events`, in the order they happened; `left_out` more were not kept.
pub(crate) fn render(events: &[Event], left_out: usize) -> String {
    let mut d = Drawing::new(events);
    for (at, event) in events.iter().enumerate() {
        d.draw(at, event);
    }
    d.finish(left_out)
}

/// One message on its way: sent, not yet taken.
struct InFlight {
    /// Its arrow's number.
    number: usize,
    /// Its `Debug` text as sent, to find it again when it is taken.
    text: String,
    /// The event that sent it.
    at: usize,
}

#[derive(Default)]
struct Lifeline {
    /// `p1`, `p2`... in order of appearance.
    id: usize,
    /// Messages sent to it and not taken, oldest first.
    mailbox: VecDeque<InFlight>,
    /// The last event in which it did something itself. Taking its oldest message is not
    /// counted: a message behind that one waited for its turn, not while the process did
    /// something else, and when the two were taken depends on the scheduler, not the program.
    last_act: Option<usize>,
    exited: bool,
}

struct Drawing {
    names: HashMap<Pid, String>,
    /// The thread's own process, whose end is the diagram's end.
    root: Option<Pid>,
    lifelines: HashMap<Pid, Lifeline>,
    /// Processes in order of appearance.
    order: Vec<Pid>,
    numbers: Renumber,
    arrows: usize,
    body: String,
}

impl Drawing {
    fn new(events: &[Event]) -> Drawing {
        let root = events.iter().find_map(|e| match e {
            Event::Adopt { pid, .. } => Some(*pid),
            _ => None,
        });
        Drawing {
            names: names(events),
            root,
            lifelines: HashMap::new(),
            order: Vec::new(),
            numbers: Renumber::default(),
            arrows: 0,
            body: String::new(),
        }
    }

    /// The lifeline of `pid`, `p1`, `p2`...: made on first appearance.
    fn line(&mut self, pid: Pid) -> String {
        self.numbers.pid(pid.0);
        let next = self.order.len() + 1;
        let line = self.lifelines.entry(pid).or_insert_with(|| Lifeline {
            id: next,
            ..Lifeline::default()
        });
        if line.id == next {
            self.order.push(pid);
        }
        format!("p{}", line.id)
    }

    fn acts(&mut self, pid: Pid, at: usize) {
        self.line(pid);
        self.lifelines.get_mut(&pid).expect("made by line").last_act = Some(at);
    }

    /// A note over `over` (one lifeline, or the span of two). Message texts in `text` come
    /// through `shown` first.
    fn note(&mut self, over: &[Pid], text: &str) {
        let mut over: Vec<String> = over.iter().map(|&p| self.line(p)).collect();
        if over.is_empty() {
            over.push("p0".to_string()); // see `finish`
        }
        let text = escape_keep_br(text);
        let _ = writeln!(self.body, "    Note over {}: {text}", over.join(","));
    }

    /// A message's (or a reason's) text as a diagram shows it: renumbered, then cut.
    fn shown(&mut self, text: &str) -> String {
        cut(&self.numbers.text(text))
    }

    /// A note across `from` and `to` saying that `from` did `what` to `to`, an arrow in
    /// its text pointing the way (`spawn_link →` when `from` is drawn on the left).
    fn between(&mut self, from: Pid, what: &str, to: Pid) {
        let (a, b) = (self.line(from), self.line(to));
        if from == to {
            return self.note(&[from], what);
        }
        let left_to_right = self.lifelines[&from].id < self.lifelines[&to].id;
        let text = if left_to_right {
            format!("{what} →")
        } else {
            format!("← {what}")
        };
        let _ = writeln!(self.body, "    Note over {a},{b}: {}", escape(&text));
    }

    /// An arrow from `from` to `to`, numbered, labelled with a text `shown` made.
    fn arrow(&mut self, from: Pid, arrow: &str, to: Pid, label: &str) -> usize {
        let (a, b) = (self.line(from), self.line(to));
        let label = escape(label);
        let _ = writeln!(self.body, "    {a}{arrow}{b}: {label}");
        self.arrows += 1;
        self.arrows
    }

    /// Puts a message in `to`'s mailbox, or says that it was dropped.
    fn post(&mut self, to: Pid, flight: InFlight) {
        let line = self
            .lifelines
            .get_mut(&to)
            .expect("drawn before it is posted");
        if line.exited {
            let note = format!("{} is dropped: this process has exited", flight.number);
            self.note(&[to], &note);
        } else {
            line.mailbox.push_back(flight);
        }
    }

    fn draw(&mut self, at: usize, event: &Event) {
        match event {
            Event::Spawn { parent, child, how } => {
                match parent {
                    Some(parent) => {
                        self.acts(*parent, at);
                        self.between(*parent, how, *child);
                    }
                    None => self.note(&[*child], how),
                }
                self.acts(*child, at);
            }
            // Names the lifeline (see `names`): nothing to draw.
            Event::Adopt { .. } | Event::Label { .. } => {}
            Event::Note { pid, text } => {
                let text = self.shown(text);
                self.note(&[*pid], &text);
            }
            // Another process may have done it: not something `pid` did.
            Event::Register { pid, name } => self.note(&[*pid], &format!("register {name:?}")),
            Event::TrapExit { pid, on } => {
                self.acts(*pid, at);
                self.note(&[*pid], &format!("trap_exit {on}"));
            }
            Event::Link { from, to } | Event::Monitor { from, to } => {
                let what = if matches!(event, Event::Link { .. }) {
                    "link"
                } else {
                    "monitor"
                };
                self.acts(*from, at);
                self.between(*from, what, *to);
            }
            Event::Send { from, to, msg } => {
                self.acts(*from, at);
                let label = self.shown(msg);
                let number = self.arrow(*from, "->>", *to, &label);
                let text = msg.clone();
                self.post(*to, InFlight { number, text, at });
            }
            Event::SendToAlias { from, msg, .. } => {
                self.acts(*from, at);
                let msg = self.shown(msg);
                self.note(
                    &[*from],
                    &format!("sends {msg} to an inactive alias: dropped"),
                );
            }
            Event::Receive { pid, msg } => {
                if !self.take(*pid, msg) {
                    self.acts(*pid, at);
                }
            }
            Event::Timeout { pid, after } => {
                self.acts(*pid, at);
                self.note(&[*pid], &format!("after {after:?}: timeout"));
            }
            Event::Sleep { pid, time } => {
                self.acts(*pid, at);
                self.note(&[*pid], &format!("sleep {time:?}"));
            }
            Event::ExitSignal {
                from,
                to,
                reason,
                fate,
            } => {
                let shown = self.shown(&reason.to_string());
                let label = format!("exit signal: {shown}{}", fate.remark());
                let number = self.arrow(*from, "--x", *to, &label);
                // A trapped signal is a message: an `Exit` in the mailbox.
                if *fate == Fate::Trapped {
                    let text = Event::exit_message(*from, reason);
                    self.post(*to, InFlight { number, text, at });
                }
            }
            Event::Exit { pid, reason } => {
                self.acts(*pid, at);
                let text = match reason {
                    ExitReason::Panic(message) => {
                        format!("crash: {}", self.shown(&format!("{message:?}")))
                    }
                    reason => format!("exit {}", self.shown(&reason.to_string())),
                };
                self.note(&[*pid], &text);
                self.lifelines.get_mut(pid).expect("made by acts").exited = true;
            }
            Event::Down { to, down } => {
                let text = format!("{down:?}");
                let label = self.shown(&text);
                let number = self.arrow(down.pid, "-->>", *to, &label);
                self.post(*to, InFlight { number, text, at });
            }
        }
    }

    /// `pid` takes the message `msg`. Taken at once (the oldest in its mailbox, and it
    /// did nothing since it came), its arrow says it all; otherwise a note says so. Returns
    /// whether it was the oldest message in the mailbox.
    fn take(&mut self, pid: Pid, msg: &str) -> bool {
        self.line(pid);
        let line = self.lifelines.get_mut(&pid).expect("made by line");
        let Some(i) = line.mailbox.iter().position(|m| m.text == msg) else {
            // Sent before tracing began, or by a process outside this diagram.
            let msg = self.shown(msg);
            self.note(&[pid], &format!("takes {msg}"));
            return false;
        };
        let taken = line.mailbox.remove(i).expect("found");
        let waited = line.last_act.is_some_and(|last| last > taken.at);
        let passed: Vec<String> = (line.mailbox.iter().take(i))
            .map(|m| m.number.to_string())
            .collect();
        let mut note = format!("takes {}", taken.number);
        if waited {
            note.push_str(", which waited in the mailbox");
        }
        if !passed.is_empty() {
            let (list, verb) = match passed.as_slice() {
                [one] => (one.clone(), "stays"),
                many => (many.join(", "), "stay"),
            };
            let _ = write!(note, "<br/>{list} {verb} in the mailbox");
        }
        if waited || !passed.is_empty() {
            self.note(&[pid], &note);
        }
        i == 0
    }

    fn finish(mut self, left_out: usize) -> String {
        if left_out > 0 {
            let text = format!(
                "… {left_out} more events left out: a diagram draws the first {MAX_EVENTS}"
            );
            let span: Vec<Pid> = match (self.order.first(), self.order.last()) {
                (Some(&first), Some(&last)) if first != last => vec![first, last],
                (Some(&first), _) => vec![first],
                _ => vec![],
            };
            self.note(&span, &text);
        } else {
            // What no receive took while the diagram lasted: only where that is settled, in
            // the mailbox of the process the diagram ends with (the test's, the scenario's)
            // and of those that exited. Another process may be taking its message right
            // now, and the same program must draw the same text.
            for pid in self.order.clone() {
                let line = &self.lifelines[&pid];
                if !(line.exited || Some(pid) == self.root) {
                    continue;
                }
                let left: Vec<String> = (line.mailbox.iter())
                    .map(|m| m.number.to_string())
                    .collect();
                if !left.is_empty() {
                    self.note(&[pid], &format!("never taken: {}", left.join(", ")));
                }
            }
        }
        let mut out = String::from("sequenceDiagram\n    autonumber\n");
        for pid in &self.order {
            let id = self.lifelines[pid].id;
            let pid_text = self.numbers.text(&pid.to_string());
            let _ = match self.names.get(pid) {
                Some(name) => writeln!(
                    out,
                    "    participant p{id} as {}<br/>{pid_text}",
                    escape(name)
                ),
                None => writeln!(out, "    participant p{id} as {pid_text}"),
            };
        }
        // A diagram with no process still draws: one empty lifeline.
        if self.order.is_empty() {
            out.push_str("    participant p0 as no process\n");
            if self.body.is_empty() {
                out.push_str("    Note over p0: nothing happened\n");
            }
        }
        out.push_str(&self.body);
        out
    }
}

/// The name each lifeline shows: its label, else its registered name, else, for a thread
/// that became a process, `main` or `test` (libtest runs each test on a thread named after
/// it; the diagram's title has the full name).
fn names(events: &[Event]) -> HashMap<Pid, String> {
    let mut labels = HashMap::new();
    let mut registered = HashMap::new();
    let mut threads = HashMap::new();
    for event in events {
        match event {
            Event::Label { pid, label } => labels.entry(*pid).or_insert(label.clone()),
            Event::Register { pid, name } => registered.entry(*pid).or_insert(name.clone()),
            Event::Adopt {
                pid,
                thread: Some(thread),
            } => {
                let name = if thread == "main" { "main" } else { "test" };
                threads.entry(*pid).or_insert(name.to_string())
            }
            _ => continue,
        };
    }
    registered.extend(labels);
    threads.extend(registered);
    threads
}

/// Pids and refs numbered in order of appearance, so that two runs draw the same text.
#[derive(Default)]
struct Renumber {
    pids: HashMap<u64, usize>,
    refs: HashMap<u64, usize>,
}

impl Renumber {
    fn pid(&mut self, id: u64) -> usize {
        let next = self.pids.len() + 1;
        *self.pids.entry(id).or_insert(next)
    }

    fn reference(&mut self, id: u64) -> usize {
        let next = self.refs.len() + 1;
        *self.refs.entry(id).or_insert(next)
    }

    /// `text` with every `<0.N.0>` and `#Ref<0.0.0.N>` in it renumbered.
    fn text(&mut self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find('<') {
            let (before, from) = rest.split_at(at);
            out.push_str(before);
            let reference =
                number_between(from, "<0.0.0.", ">").filter(|_| before.ends_with("#Ref"));
            if let Some((id, len)) = number_between(from, "<0.", ".0>") {
                let _ = write!(out, "<0.{}.0>", self.pid(id));
                rest = &from[len..];
            } else if let Some((id, len)) = reference {
                let _ = write!(out, "<{}>", self.reference(id));
                rest = &from[len..];
            } else {
                out.push('<');
                rest = &from[1..];
            }
        }
        out.push_str(rest);
        out
    }
}

/// The number N of a text that starts `{open}N{close}`, and the length of that part.
fn number_between(text: &str, open: &str, close: &str) -> Option<(u64, usize)> {
    let digits = text.strip_prefix(open)?;
    let len = digits.bytes().take_while(u8::is_ascii_digit).count();
    if len == 0 || !digits[len..].starts_with(close) {
        return None;
    }
    let n = digits[..len].parse().ok()?;
    Some((n, open.len() + len + close.len()))
}

/// `text` cut to `MAX_TEXT` characters, saying how many more there were.
fn cut(text: &str) -> String {
    match text.char_indices().nth(MAX_TEXT) {
        None => text.to_string(),
        Some((at, _)) => {
            let more = text[at..].chars().count();
            format!("{}… (+{more} chars)", &text[..at])
        }
    }
}

/// Text that Mermaid shows as it is. `;` ends a statement and `#` starts an entity code
/// (`#59;` is a `;`); `<` before a letter would start an HTML tag; a line break would end
/// the statement.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '#' => out.push_str("#35;"),
            ';' => out.push_str("#59;"),
            '&' => out.push_str("#38;"),
            '<' if chars
                .peek()
                .is_some_and(|n| n.is_alphabetic() || matches!(n, '/' | '!' | '?')) =>
            {
                out.push_str("#lt;")
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// As `escape`, keeping the `<br/>` the drawing itself put in.
fn escape_keep_br(text: &str) -> String {
    text.split("<br/>")
        .map(escape)
        .collect::<Vec<_>>()
        .join("<br/>")
}

#[cfg(test)]
mod tests {
    use super::{Renumber, cut, escape};

    #[test]
    fn pids_and_refs_are_numbered_in_order_of_appearance() {
        let mut numbers = Renumber::default();
        let text = "(#Ref<0.0.0.2048>, <0.205.0>, <0.101.0>, #Ref<0.0.0.7>, <0.205.0>)";
        assert_eq!(
            numbers.text(text),
            "(#Ref<1>, <0.1.0>, <0.2.0>, #Ref<2>, <0.1.0>)"
        );
        // A second text goes on with the same numbers.
        assert_eq!(
            numbers.text("<0.101.0> #Ref<0.0.0.2048>"),
            "<0.2.0> #Ref<1>"
        );
        // Angle brackets that hold no pid or ref stay as they are.
        let other = "a < b, <0.x.0>, Ref<0.0.0.1>, <0.1.2>, <";
        assert_eq!(numbers.text(other), other);
    }

    #[test]
    fn cut_counts_characters_not_bytes() {
        let long = "é".repeat(70);
        assert_eq!(cut(&long), format!("{}… (+10 chars)", "é".repeat(60)));
        assert_eq!(cut("short"), "short");
    }

    #[test]
    fn escape_leaves_pids_and_comparisons_readable() {
        assert_eq!(escape("<0.1.0> < 2 -> x"), "<0.1.0> < 2 -> x");
        assert_eq!(escape("<b>;#&\n"), "#lt;b>#59;#35;#38; ");
    }
}
