//! What the tracer sees: one value per spawn, send, receive, link, exit signal, exit and
//! Down, printed as a text line or kept for a diagram.
//! Elixir: the messages `:erlang.trace/3` sends its tracer, `{:trace, pid, :send, msg, to}`
//! · OTP: erlang:trace/3

use std::fmt;
use std::time::Duration;

use crate::exit::Fate;
use crate::{Down, Exit, ExitReason, Pid, Ref};

/// One traced moment. A message is kept as the text of its `Debug`, taken when it happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Event {
    /// `child` started; `how` is the call that started it (`spawn_link`...). No parent: the
    /// caller was a thread that is not a process.
    Spawn {
        parent: Option<Pid>,
        child: Pid,
        how: &'static str,
    },
    /// A thread otp-core did not start (a `#[test]`, `main`) became a process.
    Adopt {
        pid: Pid,
        thread: Option<String>,
    },
    /// `trace::label`.
    Label {
        pid: Pid,
        label: String,
    },
    /// `trace::note`: a remark of the program's own.
    Note {
        pid: Pid,
        text: String,
    },
    Register {
        pid: Pid,
        name: String,
    },
    TrapExit {
        pid: Pid,
        on: bool,
    },
    Link {
        from: Pid,
        to: Pid,
    },
    Monitor {
        from: Pid,
        to: Pid,
    },
    Send {
        from: Pid,
        to: Pid,
        msg: String,
    },
    /// A send through an alias that is no longer active: the message is dropped.
    SendToAlias {
        from: Pid,
        alias: Ref,
        msg: String,
    },
    Receive {
        pid: Pid,
        msg: String,
    },
    /// A receive's `after` ran out with no message taken.
    Timeout {
        pid: Pid,
        after: Duration,
    },
    /// `Process::sleep`: a receive with no clause, whose timeout is not news.
    Sleep {
        pid: Pid,
        time: Duration,
    },
    ExitSignal {
        from: Pid,
        to: Pid,
        reason: ExitReason,
        fate: Fate,
    },
    Exit {
        pid: Pid,
        reason: ExitReason,
    },
    /// A monitor fired: `down` was put in `to`'s mailbox.
    Down {
        to: Pid,
        down: Down,
    },
}

impl Event {
    /// The process whose tree the event belongs to: the one that acted, or, for what
    /// otp-core does on a dead process's behalf, the dead one.
    pub(crate) fn owner(&self) -> Option<Pid> {
        match *self {
            Event::Spawn { parent, .. } => parent,
            Event::Adopt { pid, .. }
            | Event::Label { pid, .. }
            | Event::Note { pid, .. }
            | Event::Register { pid, .. }
            | Event::TrapExit { pid, .. }
            | Event::Receive { pid, .. }
            | Event::Timeout { pid, .. }
            | Event::Sleep { pid, .. }
            | Event::Exit { pid, .. } => Some(pid),
            Event::Link { from, .. }
            | Event::Monitor { from, .. }
            | Event::Send { from, .. }
            | Event::SendToAlias { from, .. }
            | Event::ExitSignal { from, .. } => Some(from),
            Event::Down { ref down, .. } => Some(down.pid),
        }
    }

    /// The process that receives what the event carries, where another one does: asked
    /// for the tree when the owner has none (a signal from a process outside every tree).
    pub(crate) fn other(&self) -> Option<Pid> {
        match *self {
            Event::Spawn { child, .. } => Some(child),
            Event::Link { to, .. }
            | Event::Monitor { to, .. }
            | Event::Send { to, .. }
            | Event::ExitSignal { to, .. }
            | Event::Down { to, .. } => Some(to),
            _ => None,
        }
    }

    /// For an exit signal: the `Exit` message a trapping target finds in its mailbox.
    pub(crate) fn exit_message(from: Pid, reason: &ExitReason) -> String {
        let exit = Exit {
            from,
            reason: reason.clone(),
        };
        format!("{exit:?}")
    }
}

impl Fate {
    /// What a trace line or an arrow adds to an exit signal: nothing for one that kills,
    /// whose exit follows.
    pub(crate) fn remark(self) -> &'static str {
        match self {
            Fate::Kills => "",
            Fate::Trapped => " (trapped)",
            Fate::Ignored => " (ignored)",
        }
    }
}

/// The text trace line (`OTP_TRACE=1`), without the name of the test it belongs to.
impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::Spawn {
                parent: Some(parent),
                child,
                how,
            } => write!(f, "{parent} {how} {child}"),
            Event::Spawn {
                parent: None,
                child,
                how,
            } => write!(f, "{how} {child}"),
            Event::Adopt { pid, .. } => write!(f, "{pid} adopted"),
            Event::Label { pid, label } => write!(f, "{pid} label {label:?}"),
            Event::Note { pid, text } => write!(f, "{pid} note {text:?}"),
            Event::Register { pid, name } => write!(f, "{pid} register {name:?}"),
            Event::TrapExit { pid, on } => write!(f, "{pid} trap_exit {on}"),
            Event::Link { from, to } => write!(f, "{from} link {to}"),
            Event::Monitor { from, to } => write!(f, "{from} monitor {to}"),
            Event::Send { from, to, msg } => write!(f, "{from} ! {to} {msg}"),
            Event::SendToAlias { from, alias, msg } => {
                write!(f, "{from} ! {alias} (inactive alias) {msg}")
            }
            Event::Receive { pid, msg } => write!(f, "{pid} << {msg}"),
            Event::Timeout { pid, after } => write!(f, "{pid} receive timed out after {after:?}"),
            Event::Sleep { pid, time } => write!(f, "{pid} sleep {time:?}"),
            Event::ExitSignal {
                from,
                to,
                reason,
                fate,
            } => {
                write!(f, "{from} exit signal {reason} -> {to}{}", fate.remark())
            }
            Event::Exit { pid, reason } => write!(f, "{pid} exit {reason}"),
            Event::Down { to, down } => write!(f, "{} down {} -> {to}", down.pid, down.reason),
        }
    }
}
