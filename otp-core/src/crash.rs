//! What happens when a process panics: the panic becomes its exit reason, and one line is
//! logged, as Erlang's logger reports a crash (no backtrace dump). Likewise for a message
//! that nobody will receive and whose `Drop` panics as it is dropped. The panic hook that
//! notes each panic is installed by current.rs, which knows the process a thread runs.
//! Elixir: `[error] Process #PID<0.42.0> raised an exception` · OTP: logger crash reports

use std::any::Any;
use std::cell::Cell;
use std::fmt;
use std::io::Write;
use std::panic::{AssertUnwindSafe, PanicHookInfo, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::{ExitReason, Pid, Ref};

/// The unwind payload of a process leaving through `exit(reason)`.
pub(crate) struct ExitWith(pub ExitReason);

/// The unwind payload of a process that is already dead (killed by another).
pub(crate) struct Exiting;

static REPORTS: AtomicBool = AtomicBool::new(true);

thread_local! {
    /// Where the last panic of this thread's process happened, for its crash report.
    static PANIC_AT: Cell<Option<String>> = const { Cell::new(None) };
    /// Set while this thread drops messages that nobody will receive (see `discarding`).
    static DISCARDING: Cell<Option<Undelivered>> = const { Cell::new(None) };
    /// What this thread's process is unwinding from, once it is (see `unwinding`).
    static UNWINDING: Cell<Option<Unwinding>> = const { Cell::new(None) };
}

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

/// The text of a panic's payload.
pub(crate) fn message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic with a non-string payload".to_string()
    }
}

/// Notes where a panic of `who` happened, for its report; but reports it at once if `who`
/// was already unwinding. Called by the panic hook (in current.rs, as it asks which process
/// the thread runs).
pub(crate) fn note(who: fmt::Arguments<'_>, info: &PanicHookInfo<'_>) {
    match UNWINDING.replace(Some(Unwinding::Panic)) {
        None => {
            let at = info.location().map(|l| l.to_string());
            let _ = PANIC_AT.try_with(|p| p.replace(at));
        }
        Some(from) => panicked_while_unwinding(who, from, info),
    }
}

/// Why a process unwinds.
#[derive(Clone, Copy)]
pub(crate) enum Unwinding {
    /// A panic of its own.
    Panic,
    /// An exit signal from another process (a kill, or a linked process's death).
    Signal,
    /// Its own call to `exit`.
    Exit,
    /// A panic during the unwinding has been reported already.
    Reported,
}

/// Notes that the calling process starts to unwind, `from` a signal or its own `exit`.
pub(crate) fn unwinding(from: Unwinding) {
    UNWINDING.set(Some(from));
}

/// Notes that the calling process has unwound: its function's frames are all gone.
pub(crate) fn unwound() {
    UNWINDING.set(None);
}

/// A panic while a process unwinds: in a Drop, most likely, and unless that Drop catches it,
/// Rust aborts the whole program at once ("thread caused non-unwinding panic"), before any
/// crash report. So it is reported now, with what the process was unwinding from.
fn panicked_while_unwinding(who: fmt::Arguments<'_>, from: Unwinding, info: &PanicHookInfo<'_>) {
    UNWINDING.set(Some(Unwinding::Reported));
    let from = match from {
        // Rust's own panic that follows ("panic in a destructor during cleanup").
        Unwinding::Reported => return,
        Unwinding::Panic => {
            let at = PANIC_AT.try_with(Cell::take).ok().flatten();
            let at = at.map(|l| format!(" at {l}")).unwrap_or_default();
            format!("a panic{at}")
        }
        Unwinding::Signal => "an exit signal".to_string(),
        Unwinding::Exit => "otp_core::exit".to_string(),
    };
    let message = message(info.payload());
    let at = info
        .location()
        .map(|l| format!(" at {l}"))
        .unwrap_or_default();
    // Straight to stderr, where Rust's own last words go: a write that fails is ignored, as
    // a panic inside the hook would abort the program.
    let _ = writeln!(
        std::io::stderr(),
        "[error] {who} panicked while it unwound from {from}: {message:?}{at}; a panic in a \
         Drop during unwinding aborts the program"
    );
}

/// Logs the one-line crash report of process `pid`, which panicked with `message`.
pub(crate) fn report(pid: Pid, message: &str) {
    log(format_args!("process {pid} crashed: {message:?}"));
}

/// Logs one `[error]` line, ending with where the last panic happened.
fn log(what: fmt::Arguments<'_>) {
    let at = PANIC_AT.try_with(Cell::take).ok().flatten();
    if REPORTS.load(Ordering::Relaxed) {
        let at = at.map(|l| format!(" at {l}")).unwrap_or_default();
        // A report that cannot be written must not take the process's thread with it.
        let _ = catch_unwind(|| crate::tracer::report(format_args!("[error] {what}{at}")));
    }
}

/// Why a message is dropped without being received.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Undelivered {
    /// It was left in the mailbox of this process, which has ended.
    LeftIn(Pid),
    /// It was sent to this pid, which is dead.
    To(Pid),
    /// It was sent by this process after another process killed it.
    From(Pid),
    /// It was sent to this alias, which is inactive.
    ToAlias(Ref),
    /// It was sent to a name that no process has.
    ToName,
}

impl fmt::Display for Undelivered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Undelivered::LeftIn(pid) => write!(f, "left in the mailbox of {pid}, which ended"),
            Undelivered::To(pid) => write!(f, "sent to {pid}, which is dead"),
            Undelivered::From(pid) => write!(f, "sent by {pid} after it was killed"),
            Undelivered::ToAlias(alias) => write!(f, "sent to {alias}, an inactive alias"),
            Undelivered::ToName => f.write_str("sent to a name that no process has"),
        }
    }
}

/// Runs `drop_them`, which drops messages that nobody will receive, for the reason `why`.
/// Each message's own drop catches a panic in its `Drop` and reports it in one line (see
/// `drop_undelivered`), so that one bad message neither stops the rest from being dropped
/// nor reaches the thread that drops them: a sender, or the thread of a process that ended.
// OTP: dropping a message cannot fail on the BEAM, where a term runs no code when freed.
pub(crate) fn discarding<R>(why: Undelivered, drop_them: impl FnOnce() -> R) -> R {
    struct Restore(Option<Undelivered>);
    impl Drop for Restore {
        fn drop(&mut self) {
            DISCARDING.set(self.0);
        }
    }
    let _restore = Restore(DISCARDING.replace(Some(why)));
    drop_them()
}

/// Why messages dropped on this thread now are dropped, if they are dropped undelivered.
#[inline]
pub(crate) fn discarding_now() -> Option<Undelivered> {
    DISCARDING.get()
}

/// Runs `drop`, the drop of a message of type `type_name` that is dropped undelivered for the
/// reason `why`; a panic in it is caught and reported.
// A panic caught here does not abort the program even where this drop runs while the thread
// unwinds: only a panic that leaves a Drop during unwinding does.
#[cold]
pub(crate) fn drop_undelivered(why: Undelivered, type_name: &str, drop: impl FnOnce()) {
    // The message's own unwinding, if its Drop panics, is not the process's.
    let process = UNWINDING.take();
    let dropped = catch_unwind(AssertUnwindSafe(drop));
    UNWINDING.set(process);
    if let Err(payload) = dropped {
        let message = message(&*payload);
        log(format_args!(
            "dropped a message of type {type_name} {why}; its Drop panicked: {message:?}"
        ));
    }
}
