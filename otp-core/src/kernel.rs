//! The functions Elixir imports into every module: spawn a process, send it a message, know
//! yourself, make a ref, exit.
//! Elixir: `Kernel.spawn/1`, `spawn_link/1`, `send/2`, `self/0`, `make_ref/0`, `exit/1` · OTP: erlang:spawn/1

use std::sync::Arc;
use std::sync::atomic::Ordering;

use crate::crash::{self, Undelivered};
use crate::current::{self, Ctx};
use crate::message::Envelope;
use crate::table::{self, Proc};
use crate::{AnyMessage, Error, Message, Pid, Ref, alias, reference, signal, system, tracer};

/// Where a message goes: a pid, the name a process registered, or an alias
/// ([`Process::alias`](crate::Process::alias)).
///
/// Elixir: the `dest` of `send(dest, msg)`, a pid, an atom or an alias.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dest<'a> {
    /// A process by its pid.
    Pid(Pid),
    /// A process by its registered name.
    Name(&'a str),
    /// The process that made this alias, while the alias lasts (see `Process::alias`).
    Alias(Ref),
}

impl From<Ref> for Dest<'_> {
    fn from(alias: Ref) -> Self {
        Dest::Alias(alias)
    }
}

impl From<Pid> for Dest<'_> {
    fn from(pid: Pid) -> Self {
        Dest::Pid(pid)
    }
}

impl<'a> From<&'a str> for Dest<'a> {
    fn from(name: &'a str) -> Self {
        Dest::Name(name)
    }
}

impl<'a> From<&'a String> for Dest<'a> {
    fn from(name: &'a String) -> Self {
        Dest::Name(name)
    }
}

/// The pid of the calling process. A thread that was not started by otp-core (a `#[test]`,
/// `main`) becomes a process with its own mailbox on its first call.
///
/// Elixir: `self()`.
pub fn self_pid() -> Pid {
    let ctx = current::current();
    ctx.check_alive();
    ctx.me.pid
}

/// Makes a reference unique in the running program.
///
/// A process that makes a ref also remembers where its mailbox stood at that moment, so a
/// `receive! { since r; ... }` for the reply skips what was already queued (OTP's receive mark).
///
/// Elixir: `make_ref()`.
pub fn make_ref() -> Ref {
    let r = Ref(reference::next_id());
    crate::mailbox::mark(r);
    r
}

/// Starts a process that runs `f`; returning from `f` is a normal exit, a panic in `f` ends
/// this process only, with the panic's message as its reason. (How a process ends, and what
/// that means for the values it holds: see the crate's documentation.)
///
/// Panics in the caller past the process limit, as `spawn/1` raises `system_limit`; see
/// [`try_spawn`].
///
/// Elixir: `spawn(fn -> ... end)`.
pub fn spawn(f: impl FnOnce() + Send + 'static) -> Pid {
    unwrap_spawn(try_spawn(f))
}

/// Like [`spawn`], with the process limit as an error instead of a panic.
///
/// Elixir: `spawn/1`, rescuing `SystemLimitError`.
pub fn try_spawn(f: impl FnOnce() + Send + 'static) -> Result<Pid, Error> {
    start(Box::new(f), false, false).map(|(pid, _)| pid)
}

/// Starts a process linked to the caller: the link exists before `f` runs, so not even an
/// immediate crash can be missed.
///
/// Elixir: `spawn_link(fn -> ... end)`.
pub fn spawn_link(f: impl FnOnce() + Send + 'static) -> Pid {
    unwrap_spawn(try_spawn_link(f))
}

/// Like [`spawn_link`], with the process limit as an error instead of a panic.
///
/// Elixir: `spawn_link/1`, rescuing `SystemLimitError`.
pub fn try_spawn_link(f: impl FnOnce() + Send + 'static) -> Result<Pid, Error> {
    start(Box::new(f), true, false).map(|(pid, _)| pid)
}

/// Starts a process monitored by the caller, the monitor set before `f` runs.
///
/// Elixir: `spawn_monitor(fn -> ... end)`.
pub fn spawn_monitor(f: impl FnOnce() + Send + 'static) -> (Pid, Ref) {
    unwrap_spawn(try_spawn_monitor(f))
}

/// Like [`spawn_monitor`], with the process limit as an error instead of a panic.
///
/// Elixir: `spawn_monitor/1`, rescuing `SystemLimitError`.
pub fn try_spawn_monitor(f: impl FnOnce() + Send + 'static) -> Result<(Pid, Ref), Error> {
    let (pid, reference) = start(Box::new(f), false, true)?;
    Ok((pid, reference.expect("a monitor was asked for")))
}

#[track_caller]
fn unwrap_spawn<T>(result: Result<T, Error>) -> T {
    result.unwrap_or_else(|e| panic!("spawn failed: {e}"))
}

fn start(
    f: Box<dyn FnOnce() + Send>,
    link: bool,
    monitor: bool,
) -> Result<(Pid, Option<Ref>), Error> {
    current::install_panic_hook();
    let parent = if link || monitor {
        Some(current::current())
    } else {
        current::current_if_any()
    };
    if let Some(parent) = &parent {
        parent.check_alive();
    }
    system::reserve()?;
    let parent_proc = parent.as_ref().map(|p| p.me.clone());
    let (child, rx) = table::create(parent_proc.as_ref().map(|p| p.pid));
    let pid = child.pid;
    if link {
        signal::link_new(
            parent_proc.as_ref().expect("linking needs a parent"),
            &child,
        );
    }
    let reference = monitor.then(|| {
        let parent = parent_proc.as_ref().expect("monitoring needs a parent");
        let reference = Ref(reference::next_id());
        // The watcher's side first: a Down is delivered only if the watcher has the entry.
        parent.lock().watching.push((reference, pid));
        child.lock().watchers.push((reference, parent.pid));
        reference
    });
    if tracer::enabled() {
        let how = match (link, monitor) {
            (true, _) => "spawn_link",
            (_, true) => "spawn_monitor",
            _ => "spawn",
        };
        tracer::spawn(parent_proc.as_ref().map(|p| p.pid), pid, how);
    }
    let runner = child.clone();
    if crate::pool::execute(Box::new(move || current::run(runner, rx, f))).is_err() {
        abandon(&child, parent_proc.as_deref());
        return Err(Error::SystemLimit);
    }
    Ok((pid, reference))
}

/// Undoes a start whose thread could not be had: nobody has seen the child yet.
fn abandon(child: &Arc<Proc>, parent: Option<&Proc>) {
    child.lock().exit = Some(crate::ExitReason::SystemLimit);
    child.dead.store(true, std::sync::atomic::Ordering::Release);
    if let Some(parent) = parent {
        let mut st = parent.lock();
        st.links.retain(|&l| l != child.pid);
        st.watching.retain(|&(_, w)| w != child.pid);
    }
    table::remove(child.pid);
}

/// Sends `msg` to `dest` and returns at once. A message to a dead pid is dropped, as on
/// the BEAM. Messages from one process to another arrive in the order they were sent.
///
/// Panics if `dest` is a name no process has, as `send/2` raises; see [`try_send`].
///
/// Elixir: `send(dest, msg)`.
// Inlined, with try_send and with_peer: each layer's call cost about as much as the work
// it wraps (callgrind, a send and a receive: 500 -> 466 instructions with the macro helpers).
#[track_caller]
#[inline]
pub fn send<'a>(dest: impl Into<Dest<'a>>, msg: impl Message) {
    if let Err(e) = try_send(dest, msg) {
        panic!("send failed: {e}");
    }
}

/// Like [`send`], with an unknown name as an error instead of a panic.
///
/// Elixir: `send/2`, rescuing `ArgumentError`.
// Inlined: see `send`.
#[inline]
pub fn try_send<'a>(dest: impl Into<Dest<'a>>, msg: impl Message) -> Result<(), Error> {
    let ctx = current::current();
    ctx.check_alive();
    let pid = match dest.into() {
        Dest::Pid(pid) => pid,
        Dest::Name(name) => match crate::registry::whereis(name) {
            Some(pid) => pid,
            None => {
                discard(Envelope::Msg(AnyMessage::new(msg)), Undelivered::ToName);
                return Err(Error::Unregistered(name.to_string()));
            }
        },
        Dest::Alias(alias) => return send_to_alias(&ctx, alias, msg),
    };
    send_to_pid(&ctx, pid, msg);
    ctx.check_alive();
    Ok(())
}

/// `try_send` through an alias. Out of line: the rare case, and the usual one, a send to a
/// pid, stays short.
#[inline(never)]
fn send_to_alias(ctx: &Ctx, alias: Ref, msg: impl Message) -> Result<(), Error> {
    // Delivered under the alias's lock, so that unalias and a send never cross; a message
    // that is not delivered is dropped once the lock is let go.
    let owner = alias::owner(alias);
    let undelivered = match owner.pid {
        Some(pid) => {
            if tracer::enabled() {
                tracer::send(ctx.me.pid, pid, &msg);
            }
            let msg = AnyMessage::new(msg);
            with_peer(ctx, pid, |target| put(ctx, target, msg))
        }
        None => {
            if tracer::enabled() {
                tracer::send_to_inactive_alias(ctx.me.pid, alias, &msg);
            }
            Some(Envelope::Msg(AnyMessage::new(msg)))
        }
    };
    let pid = owner.pid;
    drop(owner);
    if let Some(returned) = undelivered {
        match pid {
            Some(pid) => dropped(ctx, pid, returned),
            None => discard(returned, Undelivered::ToAlias(alias)),
        }
    }
    ctx.check_alive();
    Ok(())
}

/// Puts `msg` in `pid`'s mailbox, or drops it if the receiver is dead, or the sender is.
fn send_to_pid(ctx: &Ctx, pid: Pid, msg: impl Message) {
    if tracer::enabled() {
        tracer::send(ctx.me.pid, pid, &msg);
    }
    let msg = AnyMessage::new(msg);
    with_peer(ctx, pid, |target| {
        if let Some(returned) = put(ctx, target, msg) {
            // No lock is held here; a send from the message's Drop finds the peer cache in
            // use, and looks its receiver up in the table (see `with_peer`).
            dropped(ctx, pid, returned);
        }
    });
}

/// How many recent peers a process remembers.
const PEERS: usize = 8;

/// Runs `f` with the entry of `pid` (`None` if it is gone), from the caller's peer cache
/// when possible: a conversation does not take a table lock per message.
// A closure, so that `put` is compiled into each case with what it knows of the target (the
// caller itself, above all, whose entry needs no lookup): an entry handed back instead, as
// an enum that keeps the cache borrowed, cost a send and a receive on one thread 21 more
// instructions (callgrind), a send to another process 18.
#[inline]
fn with_peer<R>(ctx: &Ctx, pid: Pid, f: impl FnOnce(Option<&Proc>) -> R) -> R {
    if pid == ctx.me.pid {
        return f(Some(&ctx.me));
    }
    // Already borrowed: a message's Drop is sending, as `send_to_pid` drops what it could
    // not deliver; the table answers instead.
    let Ok(mut peers) = ctx.peers.try_borrow_mut() else {
        return f(table::lookup(pid).as_deref());
    };
    if let Some(i) = peers.iter().position(|p| p.pid == pid) {
        if peers[i].is_dead() {
            peers.swap_remove(i);
            return f(None);
        }
        return f(Some(&peers[i]));
    }
    let Some(proc) = table::lookup(pid) else {
        return f(None);
    };
    if peers.len() == PEERS {
        peers.remove(0);
    }
    peers.push(proc);
    f(peers.last().map(|p| &**p))
}

/// Puts `msg` in the mailbox of `target`. Gives it back if the receiver is dead, or the
/// sender is, for the caller to drop: its Drop is the user's code, which must run neither
/// while `sending` is up nor under an otp-core lock.
#[inline]
fn put(ctx: &Ctx, target: Option<&Proc>, msg: AnyMessage) -> Option<Envelope> {
    // Once another process has killed us, nothing we send may reach anyone, and what we
    // sent before must arrive before our exit signals. We raise `sending`, then look at
    // `dead`; the killer sets `dead`, then waits while `sending` is up (signal::die). With
    // both in one total order, either we see that we are dead, or the killer waits until
    // our message is in.
    let sending = &ctx.me.sending;
    sending.store(true, Ordering::SeqCst);
    let returned = match target.filter(|t| !t.is_dead()) {
        // A receiver that ended since it was looked at gives the message back.
        Some(target) if !ctx.me.dead.load(Ordering::SeqCst) => target
            .mailbox
            .send(Envelope::Msg(msg))
            .err()
            .map(|e| e.into_inner()),
        _ => Some(Envelope::Msg(msg)),
    };
    sending.store(false, Ordering::Release);
    returned
}

/// Drops a message to `pid` that `put` could not deliver.
#[cold]
#[inline(never)]
fn dropped(ctx: &Ctx, pid: Pid, msg: Envelope) {
    let why = if ctx.me.is_dead() {
        Undelivered::From(ctx.me.pid)
    } else {
        Undelivered::To(pid)
    };
    discard(msg, why);
}

/// Drops a message nobody will receive; a panic in its Drop is reported, and goes no further.
#[cold]
fn discard(msg: Envelope, why: Undelivered) {
    crash::discarding(why, || drop(msg));
}

/// Ends the calling process with `reason`. Linked processes receive the exit signal.
///
/// It never returns: the process's stack unwinds to its top, as for a panic but without a
/// crash report, and every value on it is dropped during that unwinding, where a `Drop` that
/// panics aborts the whole program. A process that holds such values drops them first, or
/// ends by returning from its function (reason normal). In a thread that became a process
/// (a `#[test]`, `main`), the process dies at once and the call panics with
/// `process <0.N.0> exited: reason`, failing the test as ExUnit would.
///
/// Elixir: `exit(reason)`.
pub fn exit(reason: impl Into<crate::ExitReason>) -> ! {
    let reason = reason.into();
    let ctx = current::current();
    if ctx.adopted {
        signal::terminate(&ctx.me, reason.clone());
        panic!("process {} exited: {reason}", ctx.me.pid);
    }
    crash::unwinding(crash::Unwinding::Exit);
    std::panic::resume_unwind(Box::new(crash::ExitWith(reason)))
}
