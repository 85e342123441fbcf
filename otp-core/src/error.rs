//! The errors otp-core returns where Erlang would raise.
//! Elixir: `ArgumentError` from `Process.register/2`, `:system_limit` from `spawn/1`

use std::fmt;

use crate::Pid;

/// What can go wrong when talking to the runtime. Each variant says what the BEAM answers
/// in the same place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// The process limit is reached (`set_process_limit`): as many processes are alive, or
    /// as many OS threads still run, counting those of killed processes that have not yet
    /// reached their next otp-core call; or the OS has no room for another thread.
    ///
    /// Elixir: `spawn/1` raises `system_limit`.
    SystemLimit,
    /// The process is not alive.
    ///
    /// Elixir: `:noproc`.
    Noproc(Pid),
    /// Another live process already has this name.
    ///
    /// Elixir: `Process.register/2` raises `ArgumentError`.
    NameTaken {
        /// The name asked for.
        name: String,
        /// Who has it.
        owner: Pid,
    },
    /// The process already has a name; a process has at most one.
    ///
    /// Elixir: `Process.register/2` raises `ArgumentError`.
    AlreadyRegistered {
        /// The process.
        pid: Pid,
        /// The name it has.
        name: String,
    },
    /// No live process has this name.
    ///
    /// Elixir: `send/2` to an unknown name raises `ArgumentError`; `Process.unregister/1` too.
    Unregistered(String),
    /// Not a name a process can take: empty, or `undefined` (as in Erlang).
    ///
    /// Elixir: `Process.register/2` raises `ArgumentError`.
    InvalidName(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::SystemLimit => f.write_str("system_limit: too many processes or OS threads"),
            Error::Noproc(pid) => write!(f, "noproc: {pid} is not alive"),
            Error::NameTaken { name, owner } => {
                write!(f, "name {name:?} is already taken by {owner}")
            }
            Error::AlreadyRegistered { pid, name } => {
                write!(f, "{pid} already has the name {name:?}")
            }
            Error::Unregistered(name) => write!(f, "no process is registered as {name:?}"),
            Error::InvalidName(name) => write!(f, "{name:?} is not a valid process name"),
        }
    }
}

impl std::error::Error for Error {}
