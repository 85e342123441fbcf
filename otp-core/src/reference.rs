//! References: values unique in the running program, used to tag requests and replies, and
//! the numbers they are made of. `make_ref`, which also marks the caller's mailbox, is in
//! kernel.rs.
//! Elixir: `make_ref/0` (`#Reference<0.0.0.7>`) · OTP: erlang:make_ref/0

use std::cell::Cell;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

/// A reference, unique in the running program, printed as `#Ref<0.0.0.7>`.
///
/// Workshop, "Caller race conditions": tag a request with a fresh ref and accept only the
/// reply that carries it back.
///
/// Elixir: `reference`, made by `make_ref()`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ref(pub(crate) u64);

impl fmt::Display for Ref {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#Ref<0.0.0.{}>", self.0)
    }
}

impl fmt::Debug for Ref {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

// So that a guard reads like the Elixir pin `{^ref, reply}`: `r == reference`.
impl PartialEq<Ref> for &Ref {
    fn eq(&self, other: &Ref) -> bool {
        **self == *other
    }
}

/// Ids are handed to each thread in blocks, so that two busy processes making refs do not
/// fight over one shared counter. Unique is all a ref promises; ordered it is not.
const BLOCK: u64 = 1024;
static NEXT_BLOCK: AtomicU64 = AtomicU64::new(1);

thread_local! {
    // (next id, end of this thread's block)
    static IDS: Cell<(u64, u64)> = const { Cell::new((0, 0)) };
}

/// A number no other call returns while the program runs: what a ref is made of.
pub(crate) fn next_id() -> u64 {
    let fresh = || {
        let start = NEXT_BLOCK.fetch_add(1, Ordering::Relaxed) * BLOCK;
        (start, start + BLOCK)
    };
    IDS.try_with(|ids| {
        let (mut next, mut end) = ids.get();
        if next == end {
            (next, end) = fresh();
        }
        ids.set((next + 1, end));
        next
    })
    // Thread-local storage is gone while the thread shuts down; a fresh block is still unique.
    .unwrap_or_else(|_| fresh().0)
}
