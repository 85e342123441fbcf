//! The process table: one entry per live process, as every other process sees it: its pid,
//! its channel's sending end, whether it is dead, and its links, monitors and name. The
//! BEAM keeps the same for each process.
//! Elixir: `Process.list/0` · OTP: erlang:processes/0

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use crossbeam_channel::{Receiver, Sender};
use once_cell::sync::Lazy;

use crate::lock::lock;
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
    /// True while the owner is putting a message in someone's mailbox (see `kernel::put`).
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
