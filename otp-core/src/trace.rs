//! Watch messages move: every spawn, link, send, receive, exit signal, exit and Down, as
//! text lines or as a sequence diagram. Off by default and one relaxed atomic load when off.
//! Elixir: `:sys.trace/2`, `:dbg.p(pid, [:m, :procs])`, `:et` for diagrams · OTP: erlang:trace/3
//!
//! `OTP_TRACE=1` (or [`enable`]) prints one line per event; in a test binary each line
//! starts with the name of the test whose process it is:
//!
//! ```text
//! [echo_test::sync_echo] <0.101.0> spawn_link <0.102.0>
//! [echo_test::sync_echo] <0.101.0> ! <0.102.0> ("hello", <0.101.0>)
//! [echo_test::sync_echo] <0.102.0> << ("hello", <0.101.0>)
//! [echo_test::sync_echo] <0.102.0> ! <0.101.0> "hello"
//! ```
//!
//! `OTP_TRACE=mermaid` draws the same events as a Mermaid `sequenceDiagram`, one per test
//! (a test's process and every process it started), written on standard error when the test
//! ends; `OTP_TRACE=mermaid:trace.md` appends them to a file instead (relative paths start
//! where the program runs: `cargo test` runs a crate's tests in the crate's folder). In
//! code, [`diagram`] runs a scenario and returns its diagram, and [`note`] adds a remark.
//! GitHub, GitLab and most Markdown previews draw a ```` ```mermaid ```` block as a picture.
//!
//! What a diagram shows: one lifeline per process, named by its [`label`], else its
//! registered name, else its pid (a test's own process is `test`, and `main` is `main`);
//! an arrow per message, numbered, with the message's `Debug` text (long ones cut, saying
//! how much was cut); a crossed dotted arrow per exit signal, a dotted arrow per `Down`;
//! notes for spawns, links, monitors, timeouts, sleeps, exits and crashes. A message taken
//! later than it arrived (its process did something else first, or took a newer message
//! first) gets a note where it is taken: "takes 3, which waited in the mailbox", "2 stays
//! in the mailbox". Pids and refs are numbered in the order they appear (`<0.1.0>`,
//! `#Ref<1>`), so the same program draws the same text. A diagram stops after 150 events,
//! with a note saying how many were left out.

mod event;
mod mermaid;
mod tree;

use std::cell::Cell;
use std::fmt;
use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

pub(crate) use event::Event;

use crate::exit::Fate;
use crate::lock::lock;
use crate::padded::Padded;
use crate::{AnyMessage, Down, ExitReason, Pid, Ref};

const UNKNOWN: u8 = 0;
const OFF: u8 = 1;
const ON: u8 = 2;

// Read at every send and receive: on lines of its own (see padded.rs). ON while any sink
// (text, OTP_TRACE=mermaid, a running `diagram`) wants events.
static STATE: Padded<AtomicU8> = Padded(AtomicU8::new(UNKNOWN));
static WRITER: Mutex<Option<Box<dyn Write + Send>>> = Mutex::new(None);

/// Turns text tracing on for every process.
///
/// Elixir: `:dbg.tracer(); :dbg.p(:all, [:m, :procs])`.
pub fn enable() {
    let mut sinks = lock(&tree::SINKS);
    sinks.text = true;
    update(&sinks);
}

/// Turns tracing off: text lines, and the diagrams of `OTP_TRACE=mermaid`. A [`diagram`]
/// call still draws its own scenario.
///
/// Elixir: `:dbg.stop()`.
pub fn disable() {
    let mut sinks = lock(&tree::SINKS);
    sinks.text = false;
    sinks.mermaid = None;
    update(&sinks);
}

fn update(sinks: &tree::Sinks) {
    STATE.store(if sinks.wanted() { ON } else { OFF }, Ordering::Relaxed);
}

/// Whether events are traced; the first call reads `OTP_TRACE` from the environment.
///
/// Elixir: `:dbg.get_tracer()` answers the same question.
// Inlined, reading the environment out of line: every send and receive asks.
#[inline]
pub fn enabled() -> bool {
    match STATE.load(Ordering::Relaxed) {
        ON => true,
        OFF => false,
        _ => read_env(),
    }
}

#[cold]
fn read_env() -> bool {
    let sinks = lock(&tree::SINKS);
    update(&sinks);
    sinks.wanted()
}

/// Names `pid` in diagrams and trace lines: its lifeline shows `label` above its pid. Only
/// while tracing is on (a label costs nothing otherwise); the first label given wins.
///
/// Elixir: `Process.set_label/1` (Elixir 1.17) labels the calling process; here a test can
/// also label the processes it starts.
pub fn label(pid: Pid, label: &str) {
    if enabled() {
        emit(Event::Label {
            pid,
            label: label.to_string(),
        });
    }
}

/// Puts `text` in the trace as a remark of the calling process: a line in text traces, a
/// note over its lifeline in a diagram (say what a call returned, where the story needs
/// it). Only while tracing is on.
///
/// Elixir: `:et.trace_me/5` puts an event of the program's own in the trace for
/// `:et_viewer`.
pub fn note(text: &str) {
    if enabled() {
        let pid = crate::self_pid();
        emit(Event::Note {
            pid,
            text: text.to_string(),
        });
    }
}

/// Runs `scenario` as a new process, on a thread of its own as a test runs, and returns the
/// Mermaid `sequenceDiagram` of what it and every process it started did until `scenario`
/// returned. What they do afterwards (a linked process ended by the scenario's exit) is not
/// drawn. A panic in `scenario` is passed on to the caller.
///
/// For a diagram that is the same at every run, make the scenario causally ordered: wait
/// for each reply, or for a monitor's `Down`, before the next step.
///
/// ```
/// use otp_core::{assert_receive, send, self_pid, spawn_link, receive, trace, Pid};
///
/// let text = trace::diagram(|| {
///     let echo = spawn_link(|| receive! { (msg, from): (&str, Pid) => send(from, msg) });
///     trace::label(echo, "echo");
///     send(echo, ("hello", self_pid()));
///     assert_receive!("hello");
/// });
/// assert!(text.starts_with("sequenceDiagram\n"));
/// assert!(text.contains(r#"p1->>p2: ("hello", <0.1.0>)"#));
/// ```
///
/// Elixir: `:et_collector` and `:et_viewer` draw a trace the same way.
pub fn diagram(scenario: impl FnOnce() + Send) -> String {
    let _recording = Recording::start();
    let mut thread = std::thread::Builder::new();
    // Named as its caller (a test), as the thread of a test is.
    if let Some(name) = std::thread::current().name() {
        thread = thread.name(name.to_string());
    }
    let outcome = std::thread::scope(|scope| {
        let run = thread.spawn_scoped(scope, || {
            let tree = tree::start_diagram();
            let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(scenario));
            ran.map(|()| tree.map(tree::take_diagram))
        });
        run.expect("trace::diagram: cannot start a thread").join()
    });
    match outcome {
        Ok(Ok(Some(text))) => text,
        Ok(Ok(None)) => unreachable!("a thread has its tree until it ends"),
        Ok(Err(panic)) | Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// A `diagram` call running: events are traced until it ends.
struct Recording;

impl Recording {
    fn start() -> Recording {
        let mut sinks = lock(&tree::SINKS);
        sinks.diagrams += 1;
        update(&sinks);
        Recording
    }
}

impl Drop for Recording {
    fn drop(&mut self) {
        let mut sinks = lock(&tree::SINKS);
        sinks.diagrams -= 1;
        update(&sinks);
    }
}

/// Sends trace lines (and crash reports, and `OTP_TRACE=mermaid`'s diagrams) to `writer`
/// instead of standard error; a test can capture them this way.
///
/// Elixir: `:dbg.tracer(:process, {handler, state})` picks where trace output goes.
pub fn set_writer(writer: impl Write + Send + 'static) {
    *lock(&WRITER) = Some(Box::new(writer));
}

/// Sends trace lines back to standard error.
///
/// Elixir: the default tracer prints to the console.
pub fn reset_writer() {
    *lock(&WRITER) = None;
}

// ---------------------------------------------------------------------------------------
// What the runtime reports. Each call site asks `enabled()` first, inline; these are out
// of line, and format a message's `Debug` before any lock is taken: a `Debug` that panics
// ends the process that called it, and never holds a lock.

#[cold]
fn emit(event: Event) {
    tree::dispatch(event);
}

/// A process started `child`, with `how` (`spawn`, `spawn_link`, `spawn_monitor`).
#[cold]
pub(crate) fn spawn(parent: Option<Pid>, child: Pid, how: &'static str) {
    emit(Event::Spawn { parent, child, how });
}

/// A thread otp-core did not start became process `pid`.
#[cold]
pub(crate) fn adopted(pid: Pid) {
    let thread = std::thread::current().name().map(str::to_string);
    emit(Event::Adopt { pid, thread });
}

#[cold]
pub(crate) fn send(from: Pid, to: Pid, msg: &dyn fmt::Debug) {
    let msg = format!("{msg:?}");
    emit(Event::Send { from, to, msg });
}

#[cold]
pub(crate) fn send_to_inactive_alias(from: Pid, alias: Ref, msg: &dyn fmt::Debug) {
    let msg = format!("{msg:?}");
    emit(Event::SendToAlias { from, alias, msg });
}

thread_local! {
    /// Set by `sleep`: the receive that follows is the sleep itself, and its timeout no
    /// event of its own. The pid tells a process killed in its sleep from the next one
    /// on the same pooled thread.
    static SLEEPING: Cell<Option<Pid>> = const { Cell::new(None) };
}

/// `Process::sleep(time)` begins.
#[cold]
pub(crate) fn sleep(pid: Pid, time: Duration) {
    SLEEPING.set(Some(pid));
    emit(Event::Sleep { pid, time });
}

/// A receive of `pid` took `msg`, or, with `None`, gave up after `timeout`.
#[cold]
pub(crate) fn received(pid: Pid, msg: Option<&AnyMessage>, timeout: Option<Duration>) {
    if SLEEPING.take() == Some(pid) {
        return;
    }
    match (msg, timeout) {
        (Some(msg), _) => emit(Event::Receive {
            pid,
            msg: format!("{msg:?}"),
        }),
        // A poll (`after 0`) that finds nothing is no event: nothing was waited for.
        (None, Some(after)) if !after.is_zero() => emit(Event::Timeout { pid, after }),
        (None, _) => {}
    }
}

#[cold]
pub(crate) fn link(from: Pid, to: Pid) {
    emit(Event::Link { from, to });
}

#[cold]
pub(crate) fn monitor(from: Pid, to: Pid) {
    emit(Event::Monitor { from, to });
}

#[cold]
pub(crate) fn trap_exit(pid: Pid, on: bool) {
    emit(Event::TrapExit { pid, on });
}

#[cold]
pub(crate) fn register(pid: Pid, name: &str) {
    let name = name.to_string();
    emit(Event::Register { pid, name });
}

#[cold]
pub(crate) fn exit_signal(from: Pid, to: Pid, reason: &ExitReason, fate: Fate) {
    let reason = reason.clone();
    emit(Event::ExitSignal {
        from,
        to,
        reason,
        fate,
    });
}

#[cold]
pub(crate) fn exit(pid: Pid, reason: &ExitReason) {
    let reason = reason.clone();
    emit(Event::Exit { pid, reason });
}

/// A monitor fired: `down` went to `to`'s mailbox.
#[cold]
pub(crate) fn down(to: Pid, down: &Down) {
    let down = down.clone();
    emit(Event::Down { to, down });
}

// ---------------------------------------------------------------------------------------
// Output

/// Writes one whole trace line, to the writer or past libtest's capture to standard error:
/// `OTP_TRACE=1 cargo test` shows the trace.
fn line(args: fmt::Arguments<'_>) {
    write_whole(&format!("{args}\n"), |text| {
        let _ = std::io::stderr().write_all(text.as_bytes());
    });
}

/// Writes one crash report line. Without a writer it goes through `eprint!`, which libtest
/// captures: a test's expected crashes stay quiet unless the test fails.
pub(crate) fn report(args: fmt::Arguments<'_>) {
    write_whole(&format!("{args}\n"), |text| eprint!("{text}"));
}

/// Writes `text` in one piece to the writer, or with `default` if there is none.
fn write_whole(text: &str, default: impl FnOnce(&str)) {
    let mut writer = lock(&WRITER);
    match writer.as_mut() {
        Some(w) => {
            let _ = w.write_all(text.as_bytes());
        }
        None => default(text),
    }
}
