//! Exit reasons, the two messages a dying process leaves behind (`Exit` for links and
//! `Down` for monitors), and what an exit signal does to the process it reaches.
//! Elixir: `{:EXIT, pid, reason}`, `{:DOWN, ref, :process, pid, reason}` · OTP: erlang:exit/1,2

use std::fmt;

use crate::{Pid, Ref};

/// Why a process ended.
///
/// Elixir: the `reason` in `exit(reason)` and `{:EXIT, pid, reason}`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum ExitReason {
    /// The process finished its work. Linked processes that do not trap exits ignore it.
    ///
    /// Elixir: `:normal`.
    Normal,
    /// Sent with `Process::exit(pid, ExitReason::Kill)`: cannot be trapped.
    ///
    /// Elixir: `:kill`.
    Kill,
    /// The reason of a process that was sent `Kill`; linked processes see this one, and may
    /// trap it.
    ///
    /// Elixir: `:killed`.
    Killed,
    /// An orderly stop asked for by a supervisor or an owner.
    ///
    /// Elixir: `:shutdown`.
    Shutdown,
    /// The process did not exist (a link or monitor to a dead pid).
    ///
    /// Elixir: `:noproc`.
    Noproc,
    /// A spawn past the process limit.
    ///
    /// Elixir: `:system_limit`.
    SystemLimit,
    /// The process panicked; the panic's message.
    ///
    /// Elixir: a raised exception, e.g. `{%RuntimeError{message: "boom"}, stack}`.
    Panic(String),
    /// Any other reason the program chose.
    ///
    /// Elixir: any other term, e.g. `exit(:boom)`.
    Other(String),
}

impl ExitReason {
    /// True for `Normal`: the one reason a linked, non-trapping process ignores.
    ///
    /// Elixir: `reason == :normal`.
    pub fn is_normal(&self) -> bool {
        *self == ExitReason::Normal
    }
}

impl fmt::Display for ExitReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExitReason::Normal => f.write_str("normal"),
            ExitReason::Kill => f.write_str("kill"),
            ExitReason::Killed => f.write_str("killed"),
            ExitReason::Shutdown => f.write_str("shutdown"),
            ExitReason::Noproc => f.write_str("noproc"),
            ExitReason::SystemLimit => f.write_str("system_limit"),
            ExitReason::Panic(msg) => write!(f, "{{panic, {msg:?}}}"),
            ExitReason::Other(reason) => f.write_str(reason),
        }
    }
}

impl fmt::Debug for ExitReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl From<&str> for ExitReason {
    fn from(reason: &str) -> Self {
        ExitReason::Other(reason.to_string())
    }
}

impl From<String> for ExitReason {
    fn from(reason: String) -> Self {
        ExitReason::Other(reason)
    }
}

/// The message a process that traps exits receives when a linked process ends, or when
/// another process sends it an exit signal.
///
/// Elixir: `{:EXIT, from, reason}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exit {
    /// The process the signal came from.
    pub from: Pid,
    /// Why it ended (or the reason given to `Process::exit/2`).
    pub reason: ExitReason,
}

/// The message a monitoring process receives when the monitored process ends.
///
/// Elixir: `{:DOWN, reference, :process, pid, reason}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Down {
    /// The ref `Process::monitor` returned.
    pub reference: Ref,
    /// The monitored process.
    pub pid: Pid,
    /// Why it ended; `Noproc` if it was already dead when the monitor was set.
    pub reason: ExitReason,
}

/// What an exit signal does to the live process it reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fate {
    /// It ends the process.
    Kills,
    /// The process traps exits: the signal becomes an `Exit` message.
    Trapped,
    /// `normal` from another process, which a process that does not trap exits ignores.
    Ignored,
}
