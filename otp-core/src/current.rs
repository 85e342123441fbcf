//! The process on this thread: its context (what only its own thread touches: the receiving
//! end of its channel, its saved messages, the peers it sends to), how a thread becomes a
//! process (a pooled thread running one, or any other thread on its first otp-core call) and
//! how that process ends, how a killed process's thread stops, and the panic hook, which
//! tells a process's crash from other panics.
//! Elixir: `self()` is the process running the code · OTP: the scheduler's current process

use std::cell::{Cell, RefCell};
use std::marker::PhantomData;
use std::ops::Deref;
use std::ptr::NonNull;
use std::rc::Rc;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Once};

use crossbeam_channel::Receiver;

use crate::message::Envelope;
use crate::queue::{self, Queue};
use crate::system::COUNT;
use crate::table::{Proc, create};
use crate::{ExitReason, crash, pool, signal, tracer};

/// What only the process's own thread touches.
pub(crate) struct Ctx {
    pub me: Arc<Proc>,
    pub rx: Receiver<Envelope>,
    /// Messages taken off `rx` that no receive has accepted yet, and the receive marks.
    pub queue: Queue,
    /// The last few processes this one sent to, so a conversation skips the table lookup
    /// (see `kernel::with_peer`).
    pub peers: RefCell<Vec<Arc<Proc>>>,
    /// True for a thread that became a process on its first otp-core call (a `#[test]`).
    pub adopted: bool,
}

impl Ctx {
    /// A thread cannot be stopped from outside. A process killed by another is dead for
    /// everyone at once; its own thread stops here, at its next otp-core call.
    // Inlined, with the stop out of line: every send and receive passes here.
    #[inline]
    pub fn check_alive(&self) {
        if self.me.is_dead() && !std::thread::panicking() {
            self.stop_own_thread();
        }
    }

    #[cold]
    fn stop_own_thread(&self) -> ! {
        let reason = self.me.lock().exit.clone().unwrap_or(ExitReason::Killed);
        if self.adopted {
            // A test's thread: fail the test the way libtest shows failures.
            panic!("process {} exited: {reason}", self.me.pid);
        }
        // resume_unwind skips the panic hook: this is an exit, not a crash to report.
        crash::unwinding(crash::Unwinding::Signal);
        std::panic::resume_unwind(Box::new(crash::Exiting));
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Rc<Ctx>>> = const { RefCell::new(None) };
    /// The same context as a plain pointer (null if there is none), for `current`.
    static CURRENT_PTR: Cell<*const Ctx> = const { Cell::new(std::ptr::null()) };
    /// Set while a thread cleans up after its process: otp-core calls from a message's `Drop`
    /// must not turn the thread into a new process.
    static RETIRING: Cell<bool> = const { Cell::new(false) };
    static ADOPTED: AdoptGuard = const { AdoptGuard(RefCell::new(None)) };
    /// The message of the last panic on this thread, for the exit reason of an adopted thread.
    pub(crate) static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The calling thread's process, for the length of one otp-core call: it derefs to the
/// context, which lives as long as the process runs on this thread.
pub(crate) struct Current {
    ctx: NonNull<Ctx>,
    /// Not `Send`: the context is this thread's.
    _here: PhantomData<*const Ctx>,
}

impl Deref for Current {
    type Target = Ctx;

    #[inline]
    fn deref(&self) -> &Ctx {
        // SAFETY: `install` points CURRENT_PTR at the context CURRENT owns, and the context
        // clears it before it is dropped (see `Drop for Ctx`). Only `install` drops a
        // context (and an adopted thread's end, after every call has returned), and no
        // `Current` lives when it does: a process is uninstalled by its own thread once its
        // function has returned or unwound, outside every otp-core call. A `Current` is made
        // by an otp-core call, used in it, and never kept.
        unsafe { self.ctx.as_ref() }
    }
}

/// The calling thread's process, made on first use for a thread otp-core did not start.
// Inlined (adopting out of line): every send and receive starts here. A plain pointer in a
// `Cell` costs one load, where the `Rc` in CURRENT would cost a borrow, a count up and a
// count down.
#[inline]
pub(crate) fn current() -> Current {
    let ctx = NonNull::new(CURRENT_PTR.with(Cell::get).cast_mut()).unwrap_or_else(adopt);
    Current {
        ctx,
        _here: PhantomData,
    }
}

/// The calling thread's process, if it already is one.
#[inline]
pub(crate) fn current_if_any() -> Option<Current> {
    let ctx = NonNull::new(CURRENT_PTR.with(Cell::get).cast_mut())?;
    Some(Current {
        ctx,
        _here: PhantomData,
    })
}

/// Makes `ctx` the process of this thread (`None`: no process), and gives back the one it
/// replaces.
pub(crate) fn install(ctx: Option<Rc<Ctx>>) -> Option<Rc<Ctx>> {
    let ptr = ctx.as_ref().map_or(std::ptr::null(), Rc::as_ptr);
    CURRENT_PTR.with(|p| p.set(ptr));
    CURRENT.with(|c| std::mem::replace(&mut *c.borrow_mut(), ctx))
}

impl Drop for Ctx {
    fn drop(&mut self) {
        // A context dropped without `install` (an adopted thread's, as the thread ends)
        // must not be reachable through CURRENT_PTR while its fields go.
        let _ = CURRENT_PTR.try_with(|p| {
            if std::ptr::eq(p.get(), self) {
                p.set(std::ptr::null());
            }
        });
        // The messages nobody took, one at a time, a panic in any Drop reported: the
        // channel goes with them, leaving a receiver that holds nothing in its place.
        let rx = std::mem::replace(&mut self.rx, crossbeam_channel::never());
        queue::discard_all(self.me.pid, &self.queue, rx);
    }
}

/// The context of a process that starts with an empty mailbox, on the thread that calls this.
pub(crate) fn new_ctx(me: Arc<Proc>, rx: Receiver<Envelope>, adopted: bool) -> Rc<Ctx> {
    Rc::new(Ctx {
        me,
        rx,
        queue: Queue::default(),
        peers: RefCell::new(Vec::new()),
        adopted,
    })
}

static HOOK: Once = Once::new();

/// Installs, once, the hook that reports a process's panic in one line. Panics of other
/// threads (a failed assertion in a `#[test]`) still go to the hook that was there before.
// Rust's default hook also takes a backtrace when RUST_BACKTRACE is set: slow for a
// supervisor restarting a crashing child in a loop.
pub(crate) fn install_panic_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        // The hook itself writes nothing, as a write that fails (a closed stderr) would panic
        // inside the hook and abort the program: it notes where the panic happened, and the
        // process's thread reports it once it has unwound. Unless no one will be able to
        // (see `crash::panicked_while_unwinding`).
        std::panic::set_hook(Box::new(move |info| {
            // The Drop of a message dropped undelivered: `crash::drop_undelivered` reports it.
            if let Some(why) = crash::discarding_now() {
                return crash::note(format_args!("a message {why},"), info);
            }
            match current_if_any() {
                Some(ctx) if !ctx.adopted => {
                    crash::note(format_args!("process {}", ctx.me.pid), info)
                }
                Some(_) => {
                    let _ =
                        LAST_PANIC.try_with(|p| p.replace(Some(crash::message(info.payload()))));
                    previous(info)
                }
                None => previous(info),
            }
        }));
    });
}

// Any thread becomes a process on its first otp-core call, so a #[test] can `self()`,
// receive and `assert_receive!` as an ExUnit test does. When the thread ends, so does the
// process: with reason shutdown, as ExUnit ends a test process, or with the thread's panic.
#[cold]
fn adopt() -> NonNull<Ctx> {
    assert!(
        !RETIRING.with(Cell::get),
        "otp-core was called from a message's Drop after its process ended"
    );
    install_panic_hook();
    COUNT.fetch_add(1, Ordering::AcqRel);
    let (me, rx) = create(None);
    let ctx = new_ctx(me, rx, true);
    install(Some(ctx.clone()));
    // Before ADOPTED's first use: thread-locals end in reverse order, so this thread's
    // trace tree ends after the process, and a test's diagram shows its process's exit.
    if tracer::enabled() {
        tracer::adopted(ctx.me.pid);
    }
    ADOPTED.with(|g| *g.0.borrow_mut() = Some(ctx.clone()));
    // CURRENT holds the context now, as long as the process runs.
    NonNull::from(&*ctx)
}

/// Ends an adopted thread's process as the thread ends. It holds the context too, so that,
/// whichever of the two thread-locals goes first, the mailbox goes after the process died.
struct AdoptGuard(RefCell<Option<Rc<Ctx>>>);

impl Drop for AdoptGuard {
    fn drop(&mut self) {
        if let Some(ctx) = self.0.borrow_mut().take() {
            let reason = LAST_PANIC
                .try_with(|p| p.borrow_mut().take())
                .ok()
                .flatten()
                .map_or(ExitReason::Shutdown, ExitReason::Panic);
            signal::terminate(&ctx.me, reason);
            // The thread is ending: see `run`.
            RETIRING.set(true);
        }
    }
}

/// Runs `f` as the process `me` on this (pooled) thread, then ends the process with the
/// reason `f` gave and leaves the thread with nothing of it.
pub(crate) fn run(me: Arc<Proc>, rx: Receiver<Envelope>, f: Box<dyn FnOnce() + Send>) {
    install(Some(new_ctx(me.clone(), rx, false)));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    crash::unwound();
    let reason = match result {
        Ok(()) => ExitReason::Normal,
        Err(payload) => crash::reason_of(payload),
    };
    pool::finishing();
    // OTP: the crash report is logged before the exit signals go out, so whoever hears of
    // the crash can already find it in the log.
    if let ExitReason::Panic(message) = &reason {
        crash::report(me.pid, message);
    }
    signal::terminate(&me, reason);
    // Queued messages are dropped here (see `Drop for Ctx`), after everyone has learnt of
    // the death; a Drop that calls otp-core now gets a clear panic, reported with the
    // message, instead of a new process.
    RETIRING.set(true);
    drop(install(None));
    RETIRING.set(false);
}
