//! The tracer: what the runtime reports as it goes (every spawn, link, send, receive, exit
//! signal, exit and Down), sent where it is wanted (text lines, each test's sequence
//! diagram), and the writer that trace lines and crash reports go to. Off by default, and
//! one relaxed atomic load when off. Every layer above reports to it; a program turns it on
//! and off through `trace` (trace.rs), which re-exports the controls defined here.
//! Elixir: the tracer process that `:dbg.tracer/0` starts · OTP: dbg, erlang:trace/3

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
use crate::{Down, ExitReason, Pid, Ref};

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

/// `pid` put `text` in the trace (`trace::note`).
#[cold]
pub(crate) fn note(pid: Pid, text: &str) {
    let text = text.to_string();
    emit(Event::Note { pid, text });
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
pub(crate) fn received(pid: Pid, msg: Option<&dyn fmt::Debug>, timeout: Option<Duration>) {
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
