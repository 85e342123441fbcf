//! How a thread waits on an empty channel: it looks a few times, then spins for a few
//! microseconds, giving the CPU away between looks, and only then sleeps in the channel.
//! Elixir: the BEAM's schedulers busy-wait before they sleep · OTP: erl +sbwt
//!
//! Waking a thread that sleeps costs the waker a system call and the sleeper the time the
//! OS takes to run it again: a few microseconds on a quiet machine, tens on a virtual one
//! whose idle core the hypervisor has to wake. Most waits in a conversation (a reply, a
//! restart, the next job of a pooled thread) are shorter than that, so a waiter that keeps
//! looking for a moment is served at once. The BEAM's schedulers do the same before they
//! sleep; here the waiters are threads, so at most one of them a core spins at a time.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError};
use once_cell::sync::Lazy;

use crate::padded::Padded;

/// How often a waiter looks at its channel before it sleeps: what it is waiting for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pace {
    /// The reply to a request just sent: it comes within a microsecond and nothing else is
    /// on its way, so look back to back.
    Reply,
    /// A request, or the next job: look often.
    Next,
    /// The next message of a stream that the receiver has caught up with: look a few
    /// microseconds apart.
    // A look at the channel reads its tail, which the sender writes at every send: looking
    // between every two messages of a stream takes that cache line away from the sender
    // each time and slows it down (bench figure 2). A pause lets messages gather, and the
    // receiver takes them one after another.
    Stream,
}

/// Waits for the next value of `rx`, until `deadline` if there is one.
pub(crate) fn recv<T>(
    rx: &Receiver<T>,
    pace: Pace,
    deadline: Option<Instant>,
) -> Result<T, RecvTimeoutError> {
    if let Some(value) = look(rx, pace).or_else(|| spin(rx, pace, deadline)) {
        return Ok(value);
    }
    match deadline {
        Some(deadline) => rx.recv_deadline(deadline),
        None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
    }
}

/// Looks at the channel a few times, a few pauses apart, without giving the CPU away:
/// about a microsecond. crossbeam's own wait looks ever more rarely (1, 2, 4 ... 64 pauses
/// apart), and a reply could sit there for hundreds of nanoseconds.
fn look<T>(rx: &Receiver<T>, pace: Pace) -> Option<T> {
    let (looks, pauses) = match pace {
        Pace::Reply => (64, 0),
        Pace::Next => (16, 2),
        Pace::Stream => return None,
    };
    (0..looks).find_map(|_| {
        for _ in 0..pauses {
            std::hint::spin_loop();
        }
        rx.try_recv().ok()
    })
}

/// How long a waiter spins before it sleeps: longer than a restart takes, far shorter than
/// any timeout a program sets.
const SPIN: Duration = Duration::from_micros(20);

/// How far apart a stream's looks are while it spins.
const STREAM_GAP: Duration = Duration::from_micros(4);

/// Threads spinning now; on lines of its own, as every spinner writes it.
static SPINNING: Padded<AtomicUsize> = Padded(AtomicUsize::new(0));

/// The CPUs this program may run on: more spinning threads than that would only take turns
/// at burning them.
static CORES: Lazy<usize> =
    Lazy::new(|| std::thread::available_parallelism().map_or(1, |n| n.get()));

/// Looks at the channel between yields of the CPU, for `SPIN` at most (and not past the
/// deadline): `None` if nothing came, or if as many threads as there are cores already spin.
fn spin<T>(rx: &Receiver<T>, pace: Pace, deadline: Option<Instant>) -> Option<T> {
    if SPINNING.fetch_add(1, Ordering::Relaxed) >= *CORES {
        SPINNING.fetch_sub(1, Ordering::Relaxed);
        return None;
    }
    let gap = match pace {
        Pace::Stream => STREAM_GAP,
        Pace::Reply | Pace::Next => Duration::ZERO,
    };
    let start = Instant::now();
    let end = deadline.map_or(start + SPIN, |d| d.min(start + SPIN));
    let mut next_look = start + gap;
    let found = loop {
        // A yield, not a pause: a thread that is ready to run (the sender, perhaps) gets
        // this CPU at once.
        std::thread::yield_now();
        let now = Instant::now();
        if now >= next_look {
            if let Ok(value) = rx.try_recv() {
                break Some(value);
            }
            next_look = now + gap;
        }
        if now >= end {
            break None;
        }
    };
    SPINNING.fetch_sub(1, Ordering::Relaxed);
    found
}
