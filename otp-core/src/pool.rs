//! Parked OS threads that run one process after another, so that a spawn costs a hand-off
//! instead of a new thread. A thread keeps nothing of the process it ran: identity, mailbox,
//! links, monitors, name and trap flag all live in the process's entry and context.
//! Elixir: the BEAM's schedulers do this for every process · OTP: erts_scheduler
//!
//! One thing does outlive a process: the user's own `thread_local!` values, which belong to
//! the thread. A process must not count on them being fresh.

use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};
use once_cell::sync::Lazy;

use crate::system;
use crate::wait::{self, Pace};

pub(crate) type Job = Box<dyn FnOnce() + Send>;

/// Threads parked at the most: the rest end when their process does.
const MAX_IDLE: usize = 64;
/// A parked thread with nothing to do for this long ends.
const IDLE_TIME: Duration = Duration::from_secs(5);

struct Pool {
    jobs: Sender<Job>,
    waiting: Receiver<Job>,
    /// Parked threads not yet promised a job.
    idle: AtomicUsize,
    threads: AtomicUsize,
}

static POOL: Lazy<Pool> = Lazy::new(|| {
    let (jobs, waiting) = crossbeam_channel::unbounded();
    Pool {
        jobs,
        waiting,
        idle: AtomicUsize::new(0),
        threads: AtomicUsize::new(0),
    }
});

/// Runs `job` on a parked thread, or on a new one; `Err` if no thread could be started.
pub(crate) fn execute(job: Job) -> Result<(), ()> {
    let pool = &*POOL;
    // Taking one from `idle` promises the job to one parked thread.
    if pool
        .idle
        .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1))
        .is_ok()
    {
        pool.jobs.send(job).map_err(|_| ())?;
        return Ok(());
    }
    start_thread(job)
}

/// Starts a thread for `job`, unless the pool has as many as the process limit or the kernel
/// has no room for one more (see maps.rs).
// The limit counts threads, not only processes: a killed process is dead at once, but its
// thread runs on until its next otp-core call, and it is threads that the OS runs out of.
fn start_thread(job: Job) -> Result<(), ()> {
    let pool = &*POOL;
    let limit = system::process_limit();
    pool.threads
        .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
            (n < limit).then_some(n + 1)
        })
        .map_err(drop)?;
    let started = crate::maps::with_room_for_a_thread(|| {
        std::thread::Builder::new()
            .name("otp-process".into())
            .spawn(move || {
                crate::maps::started();
                worker(job)
            })
    });
    match started {
        Some(Ok(_)) => Ok(()),
        Some(Err(_)) | None => {
            pool.threads.fetch_sub(1, Ordering::AcqRel);
            Err(())
        }
    }
}

thread_local! {
    /// Whether this thread already offered itself for the next job, and was taken.
    static OFFERED: Cell<Option<bool>> = const { Cell::new(None) };
}

/// Called by a process's thread when the process's own code is done and only the news of
/// its end is left to send: the thread counts as parked from now on. A supervisor that
/// hears of the end and spawns a replacement at once then reuses this thread (the job
/// waits in the queue a moment) instead of starting a new one.
pub(crate) fn finishing() {
    let _ = OFFERED.try_with(|o| {
        if o.get().is_none() {
            o.set(Some(offer()));
        }
    });
}

/// Counts this thread among the parked ones, unless enough are; false if it should end.
fn offer() -> bool {
    // One atomic step: a look at the count, then an add, would let many threads that
    // finish at once all see room for one more, and more than MAX_IDLE would stay parked
    // for IDLE_TIME.
    POOL.idle
        .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
            (n < MAX_IDLE).then_some(n + 1)
        })
        .is_ok()
}

fn worker(first: Job) {
    let pool = &*POOL;
    let mut job = Some(first);
    while let Some(next) = job.take() {
        OFFERED.with(|o| o.set(None));
        // process::run catches the process's own unwinding; this is a last line of defence.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(next));
        if !OFFERED.with(|o| o.take()).unwrap_or_else(offer) {
            break;
        }
        // A supervisor that heard of our process's end spawns the replacement within
        // microseconds: wait for it as a receive waits, spinning a moment before sleeping.
        let idle_until = Instant::now() + IDLE_TIME;
        job = match wait::recv(&pool.waiting, Pace::Next, Some(idle_until)) {
            Ok(job) => Some(job),
            // Leave only if no spawn has promised us a job in the meantime.
            Err(_)
                if pool
                    .idle
                    .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1))
                    .is_ok() =>
            {
                None
            }
            Err(_) => pool.waiting.recv().ok(),
        };
    }
    pool.threads.fetch_sub(1, Ordering::AcqRel);
}

/// OS threads otp-core's pool holds now: running a process, finishing one that was killed
/// (until its next otp-core call), or parked for the next one.
///
/// Elixir: `:erlang.system_info(:schedulers)` is the closest: the BEAM runs every process
/// on a few scheduler threads, where otp-core needs one thread per live process.
pub fn pool_threads() -> usize {
    POOL.threads.load(Ordering::Acquire)
}

/// Pool threads parked, waiting for a process to run.
///
/// Elixir: no equivalent; BEAM schedulers are never one per process.
pub fn parked_threads() -> usize {
    POOL.idle.load(Ordering::Acquire)
}
