//! Process identifiers: what `self()` returns and `send/2` takes.
//! Elixir: `pid` (`#PID<0.42.0>`) · OTP: erlang:self/0

use std::fmt;

/// A process identifier, printed the way the BEAM prints one: `<0.42.0>`.
///
/// It is a plain number, so it is `Copy`: pass it around as freely as a pid in Elixir.
/// Numbers are never reused while the program runs, so a stale pid never reaches
/// a newer process.
///
/// Elixir: `pid`, e.g. `#PID<0.42.0>`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pid(pub(crate) u64);

impl Pid {
    /// The number in the middle of `<0.N.0>`.
    ///
    /// Elixir: the `N` of `#PID<0.N.0>`.
    pub fn id(self) -> u64 {
        self.0
    }
}

impl fmt::Display for Pid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<0.{}.0>", self.0)
    }
}

impl fmt::Debug for Pid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

// So that a guard can compare a binding to a pid without a `*`: `caller == owner`.
impl PartialEq<Pid> for &Pid {
    fn eq(&self, other: &Pid) -> bool {
        **self == *other
    }
}
