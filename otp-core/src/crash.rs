//! What happens when a process panics: the panic becomes its exit reason, and one line is
//! logged, as Erlang's logger reports a crash (no backtrace dump).
//! Elixir: `[error] Process #PID<0.42.0> raised an exception` · OTP: logger crash reports

use std::any::Any;
use std::cell::Cell;
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::ExitReason;
use crate::table::{self, LAST_PANIC};

/// The unwind payload of a process leaving through `exit(reason)`.
pub(crate) struct ExitWith(pub ExitReason);

/// The unwind payload of a process that is already dead (killed by another).
pub(crate) struct Exiting;

static REPORTS: AtomicBool = AtomicBool::new(true);

thread_local! {
    /// Where the last panic of this thread's process happened, for its crash report.
    static PANIC_AT: Cell<Option<String>> = const { Cell::new(None) };
}
static HOOK: Once = Once::new();

/// Whether a crashing process logs a one-line report (on by default). The setting is the
/// program's: in a test binary, one test that turns reports off turns them off for all, as
/// a test that crashes processes on purpose wants (tests run in one process, as in ExUnit).
///
/// Elixir: `Logger.configure(level: :none)` silences the same reports.
pub fn set_crash_reports(on: bool) {
    REPORTS.store(on, Ordering::Relaxed);
}

/// The exit reason an unwinding process carries.
pub(crate) fn reason_of(payload: Box<dyn Any + Send>) -> ExitReason {
    match payload.downcast::<ExitWith>() {
        Ok(exit) => exit.0,
        Err(payload) if payload.is::<Exiting>() => ExitReason::Killed,
        Err(payload) => ExitReason::Panic(message(&*payload)),
    }
}

fn message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic with a non-string payload".to_string()
    }
}

/// Installs, once, the hook that reports a process's panic in one line. Panics of other
/// threads (a failed assertion in a `#[test]`) still go to the hook that was there before.
// Rust's default hook also takes a backtrace when RUST_BACKTRACE is set: slow for a
// supervisor restarting a crashing child in a loop.
pub(crate) fn install_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        // The hook itself does no I/O: a write that fails (a closed stderr) would panic
        // inside the hook and abort the program. It notes where the panic happened; the
        // process's thread reports it once it has unwound.
        std::panic::set_hook(Box::new(move |info| match table::current_if_any() {
            Some(ctx) if !ctx.adopted => {
                let at = info.location().map(|l| l.to_string());
                let _ = PANIC_AT.try_with(|p| p.replace(at));
            }
            Some(_) => {
                let _ = LAST_PANIC.try_with(|p| p.replace(Some(message(info.payload()))));
                previous(info)
            }
            None => previous(info),
        }));
    });
}

/// Logs the one-line crash report of process `pid`, which panicked with `message`.
pub(crate) fn report(pid: crate::Pid, message: &str) {
    let at = PANIC_AT.try_with(Cell::take).ok().flatten();
    if REPORTS.load(Ordering::Relaxed) {
        let at = at.map(|l| format!(" at {l}")).unwrap_or_default();
        // A report that cannot be written must not take the process's thread with it.
        let _ = std::panic::catch_unwind(|| {
            crate::trace::report(format_args!(
                "[error] process {pid} crashed: {message:?}{at}"
            ))
        });
    }
}
