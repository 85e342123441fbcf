//! The process limit, and the count of live processes it is checked against. (The pool's
//! OS threads, which the limit also caps, are counted in pool.rs.)
//! Elixir: `:erlang.system_info(:process_limit)`, `:erlang.system_info(:process_count)` · OTP: erl +P

use std::sync::atomic::{AtomicUsize, Ordering};

use once_cell::sync::Lazy;

use crate::Error;
use crate::padded::Padded;

static LIMIT: Lazy<AtomicUsize> = Lazy::new(|| AtomicUsize::new(default_limit()));
/// Live processes, including those being started: what the process limit counts. On lines
/// of its own, as every spawn and exit writes it.
pub(crate) static COUNT: Padded<AtomicUsize> = Padded(AtomicUsize::new(0));

// Every process is an OS thread, and a thread maps four memory areas (its stack and guard
// page, its signal stack and guard page; see maps.rs), so vm.max_map_count / 4 threads are
// the most a program can have. A fifth leaves the program room for its own mappings; half
// of the kernel's thread limit leaves room for other programs.
fn default_limit() -> usize {
    let read = |path: &str| {
        std::fs::read_to_string(path)
            .ok()
            .and_then(|s| s.trim().parse::<usize>().ok())
    };
    let by_maps = read("/proc/sys/vm/max_map_count").map(|n| n / 5);
    let by_threads = read("/proc/sys/kernel/threads-max").map(|n| n / 2);
    match (by_maps, by_threads) {
        (None, None) => 10_000,
        (a, b) => a.unwrap_or(usize::MAX).min(b.unwrap_or(usize::MAX)).max(64),
    }
}

/// The most processes that may be alive at once, and the most OS threads otp-core may run:
/// a killed process is dead at once, but its thread runs on until its next otp-core call,
/// and counts until then. A spawn past either fails with [`Error::SystemLimit`] (as does one
/// for which the OS has no room for another thread), and everything already running carries
/// on.
///
/// Elixir: `:erlang.system_info(:process_limit)`.
pub fn process_limit() -> usize {
    LIMIT.load(Ordering::Relaxed)
}

/// Sets the process limit (at least 1). Processes already alive past a lowered limit keep
/// running; only new spawns are refused.
///
/// Elixir: `elixir --erl "+P 1024"`, set when the VM starts.
pub fn set_process_limit(limit: usize) {
    LIMIT.store(limit.max(1), Ordering::Relaxed);
}

/// How many processes are alive now (threads that became processes included).
///
/// Elixir: `:erlang.system_info(:process_count)`.
pub fn process_count() -> usize {
    COUNT.load(Ordering::Acquire)
}

/// Takes a place under the limit for a process about to start.
pub(crate) fn reserve() -> Result<(), Error> {
    let limit = process_limit();
    COUNT
        .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
            (n < limit).then_some(n + 1)
        })
        .map(drop)
        .map_err(|_| Error::SystemLimit)
}
