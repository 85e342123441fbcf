//! The process table: one entry per live process, and the context of the process that runs
//! on the current thread. The BEAM keeps the same for each process.
//! Elixir: `Process.list/0` · OTP: erlang:processes/0

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use crossbeam_channel::{Receiver, Sender};
use once_cell::sync::Lazy;

use crate::lock::lock;
use crate::mailbox::Mailbox;
use crate::message::Envelope;
use crate::system::COUNT;
use crate::{ExitReason, Pid, Ref};

/// One process as every other process sees it.
// In this order, and with the gaps: see `Gap`.
#[repr(C)]
pub(crate) struct Proc {
    pub pid: Pid,
    /// The process that spawned this one; `None` for a thread that became a process.
    pub parent: Option<Pid>,
    pub mailbox: Sender<Envelope>,
    /// Set once, when the process dies. Its own thread checks it at every otp-core call.
    pub dead: AtomicBool,
    _gap: Gap,
    /// True while the owner is putting a message in someone's mailbox (see `kernel::deliver`).
    pub sending: AtomicBool,
    _gap2: Gap,
    pub state: Mutex<State>,
}

/// Bytes that keep the fields around them on different cache lines (64 bytes): the owner
/// writes `sending` at every send, its peers read `mailbox` and `dead` at every send to it,
/// and links and monitors take `state`. Sharing a line would move it between cores each
/// time. Padding, not `#[repr(align(64))]`: an aligned allocation costs every spawn a slow
/// `posix_memalign`.
#[allow(dead_code)] // never read: it only takes room
struct Gap([u8; 63]);

const GAP: Gap = Gap([0; 63]);

/// What changes over a process's life, guarded by the entry's lock.
#[derive(Default)]
pub(crate) struct State {
    pub exit: Option<ExitReason>,
    pub links: Vec<Pid>,
    /// Monitors others hold on this process: (ref, watcher).
    pub watchers: Vec<(Ref, Pid)>,
    /// Monitors this process holds on others: (ref, watched).
    pub watching: Vec<(Ref, Pid)>,
    pub trap_exit: bool,
    pub name: Option<String>,
    /// Aliases this process made and has not removed.
    pub aliases: Vec<Ref>,
}

impl Proc {
    pub fn lock(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    #[inline]
    pub fn is_dead(&self) -> bool {
        self.dead.load(Ordering::Acquire)
    }
}

// ---------------------------------------------------------------------------------------
// The table of live processes

const SHARDS: usize = 16;

type Shard = Mutex<HashMap<u64, Arc<Proc>, BuildHasherDefault<PidHasher>>>;

struct Table {
    shards: [Shard; SHARDS],
}

static TABLE: Lazy<Table> = Lazy::new(|| Table {
    shards: std::array::from_fn(|_| Mutex::new(HashMap::default())),
});

/// Hashes a pid number. Pids are handed out in order, never chosen by an attacker, so the
/// standard SipHash (a defence against crafted keys, and most of the cost of a lookup) buys
/// nothing: a multiply by the golden ratio spreads consecutive numbers over the table, and
/// the rotation brings its best (highest) bits down to where the table picks a bucket.
#[derive(Default)]
struct PidHasher(u64);

impl Hasher for PidHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(26);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

static NEXT_PID: AtomicU64 = AtomicU64::new(100);

fn shard(id: u64) -> &'static Shard {
    &TABLE.shards[(id as usize) % SHARDS]
}

/// Makes a new entry and its mailbox, and puts the entry in the table.
pub(crate) fn create(parent: Option<Pid>) -> (Arc<Proc>, Receiver<Envelope>) {
    let (tx, rx) = crossbeam_channel::unbounded();
    let pid = Pid(NEXT_PID.fetch_add(1, Ordering::Relaxed));
    let proc = Arc::new(Proc {
        pid,
        parent,
        mailbox: tx,
        dead: AtomicBool::new(false),
        _gap: GAP,
        sending: AtomicBool::new(false),
        _gap2: GAP,
        state: Mutex::new(State::default()),
    });
    lock(shard(pid.0)).insert(pid.0, proc.clone());
    (proc, rx)
}

pub(crate) fn remove(pid: Pid) {
    if lock(shard(pid.0)).remove(&pid.0).is_some() {
        COUNT.fetch_sub(1, Ordering::AcqRel);
    }
}

pub(crate) fn lookup(pid: Pid) -> Option<Arc<Proc>> {
    lock(shard(pid.0)).get(&pid.0).cloned()
}

/// Every live process, in the order they were started.
pub(crate) fn all() -> Vec<Pid> {
    let mut pids: Vec<Pid> = TABLE
        .shards
        .iter()
        .flat_map(|s| {
            lock(s)
                .values()
                .filter(|p| !p.is_dead())
                .map(|p| p.pid)
                .collect::<Vec<_>>()
        })
        .collect();
    pids.sort();
    pids
}

// ---------------------------------------------------------------------------------------
// The process running on this thread

/// What only the process's own thread touches.
pub(crate) struct Ctx {
    pub me: Arc<Proc>,
    pub rx: Receiver<Envelope>,
    pub mailbox: Mailbox,
    /// The last few processes this one sent to, so a conversation skips the table lookup.
    pub peers: RefCell<Vec<Arc<Proc>>>,
    /// True for a thread that became a process on its first otp-core call (a `#[test]`).
    pub adopted: bool,
}

/// How many recent peers a process remembers.
const PEERS: usize = 8;

impl Ctx {
    /// Runs `f` with the entry of `pid` (`None` if it is gone), from the peer cache when
    /// possible: a conversation does not take a table lock per message.
    // Inlined into every send (see `kernel::send`).
    #[inline]
    pub fn with_peer<R>(&self, pid: Pid, f: impl FnOnce(Option<&Proc>) -> R) -> R {
        if pid == self.me.pid {
            return f(Some(&self.me));
        }
        // Already borrowed: a message's Drop is sending, as `deliver` drops what it could
        // not deliver; the table answers instead.
        let Ok(mut peers) = self.peers.try_borrow_mut() else {
            return f(lookup(pid).as_deref());
        };
        if let Some(i) = peers.iter().position(|p| p.pid == pid) {
            if peers[i].is_dead() {
                peers.swap_remove(i);
                return f(None);
            }
            return f(Some(&peers[i]));
        }
        let Some(proc) = lookup(pid) else {
            return f(None);
        };
        if peers.len() == PEERS {
            peers.remove(0);
        }
        peers.push(proc);
        f(peers.last().map(|p| &**p))
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Rc<Ctx>>> = const { RefCell::new(None) };
    /// The same context as a plain pointer (null if there is none), for `with_current`:
    /// every send and receive reads it, and a `Cell` of a pointer costs one load where the
    /// `Rc` costs a borrow, a count up and a count down.
    static CURRENT_PTR: Cell<*const Ctx> = const { Cell::new(std::ptr::null()) };
    /// Set while a thread cleans up after its process: otp-core calls from a message's `Drop`
    /// must not turn the thread into a new process.
    static RETIRING: Cell<bool> = const { Cell::new(false) };
    static ADOPTED: AdoptGuard = const { AdoptGuard(RefCell::new(None)) };
    /// The message of the last panic on this thread, for the exit reason of an adopted thread.
    pub(crate) static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The calling thread's process, made on first use for a thread otp-core did not start.
// Inlined (adopting out of line): every send and receive starts here.
#[inline]
pub(crate) fn current() -> Rc<Ctx> {
    // try_with: a thread that is ending drops its process's mailbox from thread-local
    // destructors, and a message's Drop that calls otp-core then gets adopt's clear panic.
    if let Some(ctx) = CURRENT.try_with(|c| c.borrow().clone()).ok().flatten() {
        return ctx;
    }
    adopt()
}

/// Runs `f` with the calling thread's process, made on first use, as `current` does.
// Inlined (adopting out of line): every send and receive starts here.
#[inline]
pub(crate) fn with_current<R>(f: impl FnOnce(&Ctx) -> R) -> R {
    let ctx = CURRENT_PTR.with(Cell::get);
    if ctx.is_null() {
        return f(&current());
    }
    // SAFETY: `install` points CURRENT_PTR at the context CURRENT owns, and the context
    // clears it before it is dropped (see `Drop for Ctx`). Only `install` drops a context,
    // and nothing that runs inside `f` calls it: a process is uninstalled by its own thread
    // once its function has returned or unwound, outside every otp-core call.
    f(unsafe { &*ctx })
}

/// Runs `f` with the calling thread's process, if it already is one.
#[inline]
pub(crate) fn with_current_if_any(f: impl FnOnce(&Ctx)) {
    let ctx = CURRENT_PTR.with(Cell::get);
    if !ctx.is_null() {
        // SAFETY: as in `with_current`.
        f(unsafe { &*ctx })
    }
}

/// The calling thread's process, if it already is one.
pub(crate) fn current_if_any() -> Option<Rc<Ctx>> {
    // try_borrow: the panic hook calls this, and must never panic itself.
    CURRENT
        .try_with(|c| c.try_borrow().ok().and_then(|c| c.clone()))
        .ok()
        .flatten()
}

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
        crate::mailbox::discard_all(self.me.pid, &self.mailbox, rx);
    }
}

pub(crate) fn new_ctx(me: Arc<Proc>, rx: Receiver<Envelope>, adopted: bool) -> Rc<Ctx> {
    Rc::new(Ctx {
        me,
        rx,
        mailbox: Mailbox::default(),
        peers: RefCell::new(Vec::new()),
        adopted,
    })
}

// Any thread becomes a process on its first otp-core call, so a #[test] can `self()`,
// receive and `assert_receive!` as an ExUnit test does. When the thread ends, so does the
// process: with reason shutdown, as ExUnit ends a test process, or with the thread's panic.
#[cold]
fn adopt() -> Rc<Ctx> {
    assert!(
        !RETIRING.with(Cell::get),
        "otp-core was called from a message's Drop after its process ended"
    );
    crate::crash::install_hook();
    COUNT.fetch_add(1, Ordering::AcqRel);
    let (me, rx) = create(None);
    let ctx = new_ctx(me, rx, true);
    install(Some(ctx.clone()));
    // Before ADOPTED's first use: thread-locals end in reverse order, so this thread's
    // trace tree ends after the process, and a test's diagram shows its process's exit.
    if crate::tracer::enabled() {
        crate::tracer::adopted(ctx.me.pid);
    }
    ADOPTED.with(|g| *g.0.borrow_mut() = Some(ctx.clone()));
    ctx
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
            crate::signal::terminate(&ctx.me, reason);
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
    crate::crash::unwound();
    let reason = match result {
        Ok(()) => ExitReason::Normal,
        Err(payload) => crate::crash::reason_of(payload),
    };
    crate::pool::finishing();
    // OTP: the crash report is logged before the exit signals go out, so whoever hears of
    // the crash can already find it in the log.
    if let ExitReason::Panic(message) = &reason {
        crate::crash::report(me.pid, message);
    }
    crate::signal::terminate(&me, reason);
    // Queued messages are dropped here (see `Drop for Ctx`), after everyone has learnt of
    // the death; a Drop that calls otp-core now gets a clear panic, reported with the
    // message, instead of a new process.
    RETIRING.set(true);
    drop(install(None));
    RETIRING.set(false);
}
