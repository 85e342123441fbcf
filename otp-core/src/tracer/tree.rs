//! Where trace events go, and which test each one belongs to. Tests of a crate run in
//! parallel threads of one program; every process belongs to the tree of the thread that
//! started it (a test's thread, `main`, a `trace::diagram` scenario), so each test gets its
//! own diagram and each text line can name its test.
//! Elixir: a test's processes know it through `:"$callers"` · OTP: proc_lib's `$ancestors`

use std::cell::Cell;
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use once_cell::sync::Lazy;

use super::Event;
use super::mermaid;
use crate::Pid;
use crate::lock::lock;

/// Events a diagram draws at the most; the rest are counted, and a note says how many.
/// A browser draws a few hundred arrows; a learner reads far fewer.
pub(crate) const MAX_EVENTS: usize = 150;

type TreeId = u64;

/// Who wants events now.
pub(super) struct Sinks {
    /// `OTP_TRACE=1`, `trace::enable()`: text lines.
    pub text: bool,
    /// `OTP_TRACE=mermaid[:path]`: one diagram per tree, written when its thread ends.
    pub mermaid: Option<Output>,
    /// `trace::diagram` calls running now.
    pub diagrams: usize,
    trees: HashMap<TreeId, Tree>,
    /// The tree of every process started (or adopted) while tracing was on.
    tree_of: HashMap<Pid, TreeId>,
}

/// Where `OTP_TRACE=mermaid` writes its diagrams.
pub(super) enum Output {
    /// Standard error, or the writer given to `set_writer`.
    Stderr,
    /// Appended to this file.
    File(PathBuf),
}

struct Tree {
    /// The name of the thread the tree grew from: a test's name, `main`.
    thread: Option<String>,
    /// Events are kept for a diagram: the tree belongs to a `trace::diagram` call, or
    /// `OTP_TRACE=mermaid` is on.
    keep: bool,
    /// The tree is a `trace::diagram` call's: the call renders it, not `OTP_TRACE`.
    called: bool,
    events: Vec<(u64, Event)>,
    left_out: usize,
}

/// Read from `OTP_TRACE` on first use.
pub(super) static SINKS: Lazy<Mutex<Sinks>> = Lazy::new(|| Mutex::new(Sinks::from_env()));
/// Held while a diagram is written to a file: two tests that end at once append whole
/// diagrams, one after the other.
static FILE: Mutex<()> = Mutex::new(());

/// One order for every event of the program, taken as it happens: a diagram sorts by it.
static SEQ: AtomicU64 = AtomicU64::new(0);
static NEXT_TREE: AtomicU64 = AtomicU64::new(1);

thread_local! {
    /// This thread's tree, 0 until tracing first needs it. When the thread ends, so does
    /// the tree, and `OTP_TRACE=mermaid` writes its diagram.
    static THREAD_TREE: ThreadTree = const { ThreadTree(Cell::new(0)) };
}

struct ThreadTree(Cell<TreeId>);

impl Drop for ThreadTree {
    fn drop(&mut self) {
        let id = self.0.get();
        if id != 0 {
            if let Some(out) = finish(id) {
                write_diagram(&out);
            }
        }
    }
}

impl Sinks {
    /// `OTP_TRACE`: unset, empty or `0` is off; `mermaid` draws a diagram per test on
    /// standard error, `mermaid:PATH` appends them to the file PATH; anything else prints
    /// text lines.
    fn from_env() -> Sinks {
        let var = std::env::var("OTP_TRACE").unwrap_or_default();
        let mermaid = match var.strip_prefix("mermaid") {
            Some("" | ":") => Some(Output::Stderr),
            Some(path) => path.strip_prefix(':').map(|p| Output::File(p.into())),
            None => None,
        };
        Sinks {
            text: mermaid.is_none() && !var.is_empty() && var != "0",
            mermaid,
            diagrams: 0,
            trees: HashMap::new(),
            tree_of: HashMap::new(),
        }
    }

    /// Whether any sink wants events: what `trace::enabled` answers.
    pub fn wanted(&self) -> bool {
        self.text || self.mermaid.is_some() || self.diagrams > 0
    }

    /// The calling thread's tree, made on first use.
    fn thread_tree(&mut self, called: bool) -> Option<TreeId> {
        // Gone while the thread shuts down, after its tree ended.
        let id = THREAD_TREE.try_with(|t| t.0.get()).ok()?;
        if id != 0 {
            return Some(id);
        }
        let id = NEXT_TREE.fetch_add(1, Ordering::Relaxed);
        THREAD_TREE.try_with(|t| t.0.set(id)).ok()?;
        let keep = called || self.mermaid.is_some();
        let thread = std::thread::current().name().map(str::to_string);
        self.trees.insert(
            id,
            Tree {
                thread,
                keep,
                called,
                events: Vec::new(),
                left_out: 0,
            },
        );
        Some(id)
    }

    /// The tree `event` belongs to; a spawn or an adoption also puts its process in it.
    fn tree_for(&mut self, event: &Event) -> Option<TreeId> {
        let of = |pid: Option<Pid>| pid.and_then(|p| self.tree_of.get(&p).copied());
        let tree = match *event {
            // A thread that is not a process spawns into its own thread's tree.
            Event::Spawn {
                parent: None,
                child,
                ..
            } => {
                let tree = self.thread_tree(false)?;
                self.tree_of.insert(child, tree);
                Some(tree)
            }
            Event::Spawn {
                parent: Some(parent),
                child,
                ..
            } => {
                let tree = self.tree_of.get(&parent).copied()?;
                self.tree_of.insert(child, tree);
                Some(tree)
            }
            Event::Adopt { pid, .. } => {
                let tree = self.thread_tree(false)?;
                self.tree_of.insert(pid, tree);
                Some(tree)
            }
            _ => of(event.owner()).or_else(|| of(event.other())),
        };
        tree.filter(|t| self.trees.contains_key(t))
    }
}

/// Sends one event where it is wanted: a text line, a tree's diagram, or both.
pub(super) fn dispatch(event: Event) {
    let seq = SEQ.fetch_add(1, Ordering::Relaxed);
    let mut sinks = lock(&SINKS);
    let text = sinks.text;
    let tree = sinks.tree_for(&event);
    let tree = tree.and_then(|id| sinks.trees.get_mut(&id));
    // Every argument is a pid, a reason or text taken before: no user code runs here. An
    // adoption only names a lifeline; the lines of a test are named after it anyway.
    let line = (text && !matches!(event, Event::Adopt { .. })).then(|| {
        match tree.as_ref().and_then(|t| test_name(t.thread.as_deref())) {
            Some(name) => format!("[{name}] {event}"),
            None => event.to_string(),
        }
    });
    if let Some(tree) = tree.filter(|t| t.keep) {
        if tree.events.len() < MAX_EVENTS {
            tree.events.push((seq, event));
        } else {
            tree.left_out += 1;
        }
    }
    drop(sinks);
    if let Some(line) = line {
        super::line(format_args!("{line}"));
    }
}

/// The name a text line gives its tree: a test's, never `main`'s (a program has one tree).
fn test_name(thread: Option<&str>) -> Option<&str> {
    thread.filter(|name| *name != "main")
}

/// Makes the calling thread the root of a tree that `trace::diagram` will render.
pub(super) fn start_diagram() -> Option<TreeId> {
    lock(&SINKS).thread_tree(true)
}

/// Ends tree `id`: its processes belong to no tree from now on. Returns the diagram
/// `OTP_TRACE=mermaid` writes for it, if it has one.
pub(super) fn finish(id: TreeId) -> Option<(String, Output)> {
    let (tree, output) = {
        let mut sinks = lock(&SINKS);
        let tree = sinks.trees.remove(&id)?;
        sinks.tree_of.retain(|_, t| *t != id);
        let output = match &sinks.mermaid {
            Some(Output::Stderr) => Output::Stderr,
            Some(Output::File(path)) => Output::File(path.clone()),
            None => return None,
        };
        (tree, output)
    };
    if tree.called || tree.events.is_empty() {
        return None;
    }
    let title = (tree.thread.clone()).unwrap_or_else(|| "a thread with no name".to_string());
    let diagram = render(tree);
    Some((
        format!("\n## {title}\n\n```mermaid\n{diagram}```\n"),
        output,
    ))
}

/// Ends tree `id` and renders its diagram, for `trace::diagram`.
pub(super) fn take_diagram(id: TreeId) -> String {
    let tree = {
        let mut sinks = lock(&SINKS);
        sinks.tree_of.retain(|_, t| *t != id);
        sinks.trees.remove(&id)
    };
    tree.map(render).unwrap_or_else(|| mermaid::render(&[], 0))
}

fn render(mut tree: Tree) -> String {
    tree.events.sort_by_key(|(seq, _)| *seq);
    let events: Vec<Event> = tree.events.into_iter().map(|(_, e)| e).collect();
    mermaid::render(&events, tree.left_out)
}

fn write_diagram((text, output): &(String, Output)) {
    match output {
        Output::Stderr => super::write_whole(text, |text| {
            let _ = std::io::stderr().write_all(text.as_bytes());
        }),
        Output::File(path) => {
            let _whole = lock(&FILE);
            let file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path);
            let written = file.and_then(|mut f| f.write_all(text.as_bytes()));
            if let Err(e) = written {
                super::report(format_args!(
                    "[error] OTP_TRACE=mermaid: cannot write {}: {e}",
                    path.display()
                ));
            }
        }
    }
}
