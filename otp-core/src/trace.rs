//! Watch messages move: one line per spawn, link, send, receive, exit signal and exit.
//! Off by default and one relaxed atomic load when off. Turn it on with `trace::enable()` or
//! `OTP_TRACE=1` in the environment.
//! Elixir: `:sys.trace/2`, `:dbg.p(pid, [:m, :procs])` · OTP: erlang:trace/3
//!
//! ```text
//! <0.101.0> spawn <0.102.0>
//! <0.101.0> ! <0.102.0> (#Ref<0.0.0.1024>, <0.101.0>, "hello")
//! <0.102.0> << (#Ref<0.0.0.1024>, <0.101.0>, "hello")
//! <0.102.0> exit normal
//! ```

use std::fmt;
use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU8, Ordering};

use crate::padded::Padded;
use crate::table::lock;

const UNKNOWN: u8 = 0;
const OFF: u8 = 1;
const ON: u8 = 2;

// Read at every send and receive: on lines of its own (see padded.rs).
static STATE: Padded<AtomicU8> = Padded(AtomicU8::new(UNKNOWN));
static WRITER: Mutex<Option<Box<dyn Write + Send>>> = Mutex::new(None);

/// Turns tracing on for every process.
///
/// Elixir: `:dbg.tracer(); :dbg.p(:all, [:m, :procs])`.
pub fn enable() {
    STATE.store(ON, Ordering::Relaxed);
}

/// Turns tracing off.
///
/// Elixir: `:dbg.stop()`.
pub fn disable() {
    STATE.store(OFF, Ordering::Relaxed);
}

/// Whether trace lines are printed; the first call reads `OTP_TRACE` from the environment.
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
    let on = std::env::var("OTP_TRACE").is_ok_and(|v| !v.is_empty() && v != "0");
    // Only the first reader decides; enable()/disable() may have run meanwhile.
    let _ = STATE.compare_exchange(
        UNKNOWN,
        if on { ON } else { OFF },
        Ordering::Relaxed,
        Ordering::Relaxed,
    );
    STATE.load(Ordering::Relaxed) == ON
}

/// Sends trace lines (and crash reports) to `writer` instead of standard error; a test can
/// capture them this way.
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

/// Writes one whole trace line. The line is formatted before the lock is taken: a `Debug`
/// that panics ends the process that called it, and never holds the writer.
pub(crate) fn line(args: fmt::Arguments<'_>) {
    // Straight to stderr, past libtest's capture: `OTP_TRACE=1 cargo test` shows the trace.
    write_line(args, |text| {
        let _ = std::io::stderr().write_all(text.as_bytes());
    });
}

/// Writes one crash report line. Without a writer it goes through `eprint!`, which libtest
/// captures: a test's expected crashes stay quiet unless the test fails.
pub(crate) fn report(args: fmt::Arguments<'_>) {
    write_line(args, |text| eprint!("{text}"));
}

fn write_line(args: fmt::Arguments<'_>, default: impl FnOnce(&str)) {
    let text = format!("{args}\n");
    let mut writer = lock(&WRITER);
    match writer.as_mut() {
        Some(w) => {
            let _ = w.write_all(text.as_bytes());
        }
        None => default(&text),
    }
}
