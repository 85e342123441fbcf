//! Links, exit signals, monitors and death: how the end of one process reaches the others.
//! Elixir: `Process.link/1`, `Process.exit/2`, `Process.flag(:trap_exit, true)`,
//! `Process.monitor/1` · OTP: erlang:link/1, erlang:exit/2, erlang:monitor/2

use std::collections::VecDeque;
use std::sync::atomic::Ordering;
use std::sync::{Arc, MutexGuard};

use crate::exit::Fate;
use crate::message::Envelope;
use crate::table::{self, Proc, State};
use crate::{Down, Exit, ExitReason, Message, Pid, Ref, tracer};

/// What a death sends out: exit signals to links, then `Down`s to monitors.
enum Notice {
    Signal(Signal),
    Down(Pid, Down),
}

/// An exit signal on its way: `from` ended (or called `Process::exit`) with `reason`.
struct Signal {
    from: Pid,
    to: Pid,
    reason: ExitReason,
    /// Came through a link (the sender died), rather than from `Process::exit/2`.
    link: bool,
}

/// Ends `me` with `reason`: a no-op if it is already dead.
pub(crate) fn terminate(me: &Arc<Proc>, reason: ExitReason) {
    let mut signals = VecDeque::new();
    let st = me.lock();
    if st.exit.is_none() {
        die(me, st, reason, false, &mut signals);
        propagate(signals);
    }
}

/// Marks `p` dead (under its lock, so nothing is added to it afterwards), then tells
/// everyone who asked to know.
fn die(
    p: &Arc<Proc>,
    mut st: MutexGuard<'_, State>,
    reason: ExitReason,
    killed: bool,
    out: &mut VecDeque<Notice>,
) {
    st.exit = Some(reason.clone());
    p.dead.store(true, Ordering::SeqCst);
    let links = std::mem::take(&mut st.links);
    let watchers = std::mem::take(&mut st.watchers);
    let watching = std::mem::take(&mut st.watching);
    let name = st.name.take();
    let aliases = std::mem::take(&mut st.aliases);
    drop(st);

    // OTP: the name is free before anyone learns of the death, so a restart can take it.
    if let Some(name) = name {
        crate::registry::release(&name, p.pid);
    }
    for alias in aliases {
        crate::alias::remove(alias);
    }
    table::remove(p.pid);
    if killed {
        // A message the victim is sending right now goes in before anyone hears of its
        // death (see kernel::put); it cannot start another.
        while p.sending.load(Ordering::SeqCst) {
            std::hint::spin_loop();
        }
        // It may be blocked in receive: wake it, to stop its thread.
        let _ = p.mailbox.send(Envelope::Wake);
    }
    if tracer::enabled() {
        tracer::exit(p.pid, &reason);
    }
    for (r, watched) in watching {
        if let Some(other) = table::lookup(watched) {
            other.lock().watchers.retain(|(w, _)| *w != r);
        }
    }
    // Links first: a trapping process linked to `p` (a supervisor) has its Exit queued
    // before anyone watching `p` sees the Down, so whoever saw the Down and then asks that
    // process something is answered after it has handled the Exit.
    out.extend(links.into_iter().map(|to| {
        Notice::Signal(Signal {
            from: p.pid,
            to,
            reason: reason.clone(),
            link: true,
        })
    }));
    out.extend(watchers.into_iter().map(|(reference, watcher)| {
        Notice::Down(
            watcher,
            Down {
                reference,
                pid: p.pid,
                reason: reason.clone(),
            },
        )
    }));
}

/// Delivers exit signals and Downs, and those of the processes the signals kill, breadth
/// first (a chain of a thousand links must not become a thousand stack frames); the kills of
/// a cascade before what reaches the processes that live through it.
fn propagate(mut notices: VecDeque<Notice>) {
    loop {
        // Kills first; what reaches a process that lives on (the Exit it traps, a Down) waits
        // until every process this death takes down is dead. So a supervisor that hears of a
        // child's end finds what went down with the child (its own children, their names)
        // gone too, and can start them again at once. The BEAM promises no order between
        // signals to different processes; this is one of the orders it allows.
        let mut later = VecDeque::new();
        while let Some(notice) = notices.pop_front() {
            // Only a signal kills: with none left to deliver and nothing waiting, this one
            // need not wait (the usual case, a death with one link or one monitor).
            let now = later.is_empty() && !notices.iter().any(|n| matches!(n, Notice::Signal(_)));
            match notice {
                Notice::Signal(signal) => {
                    if let Some(target) = table::lookup(signal.to) {
                        if now || !is_trapped(&target, &signal) {
                            receive_signal(&target, signal, &mut notices);
                        } else {
                            later.push_back(Notice::Signal(signal));
                        }
                    }
                }
                Notice::Down(watcher, down) if now => fire_down(watcher, down),
                down => later.push_back(down),
            }
        }
        // Then what waited, in the order it came. A process that stopped trapping meanwhile
        // dies of its signal, and its death is propagated the same way.
        if later.is_empty() {
            return;
        }
        for notice in later {
            match notice {
                Notice::Signal(signal) => {
                    if let Some(target) = table::lookup(signal.to) {
                        receive_signal(&target, signal, &mut notices);
                    }
                }
                Notice::Down(watcher, down) => fire_down(watcher, down),
            }
        }
    }
}

/// Whether `signal` would reach `target` as an Exit message (it traps exits, and the signal
/// is not an untrappable kill), rather than end it.
fn is_trapped(target: &Proc, signal: &Signal) -> bool {
    let untrappable = signal.reason == ExitReason::Kill && !signal.link;
    !untrappable && target.lock().trap_exit
}

// OTP: kill cannot be trapped; a trapping process gets {:EXIT, from, reason} as a message;
// any other process dies of any reason but normal, and ignores normal from others.
fn receive_signal(target: &Arc<Proc>, signal: Signal, out: &mut VecDeque<Notice>) {
    let Signal {
        from, reason, link, ..
    } = signal;
    let mut st = target.lock();
    if st.exit.is_some() {
        return;
    }
    if link {
        if !st.links.contains(&from) {
            return; // unlinked while the signal was on its way
        }
        st.links.retain(|&l| l != from);
    }
    let kill = reason == ExitReason::Kill && !link;
    let fate = if kill {
        Fate::Kills
    } else if st.trap_exit {
        Fate::Trapped
    } else if reason == ExitReason::Normal && from != target.pid {
        // Only `Process.exit(self(), :normal)` ends a process with normal.
        Fate::Ignored
    } else {
        Fate::Kills
    };
    // Traced before the Exit is queued: the signal comes before the receive that takes it.
    if tracer::enabled() {
        tracer::exit_signal(from, target.pid, &reason, fate);
    }
    match fate {
        Fate::Kills if kill => die(target, st, ExitReason::Killed, true, out),
        Fate::Kills => die(target, st, reason, true, out),
        // Under the lock: the message is queued before anyone can see this process die.
        Fate::Trapped => push(target, Exit { from, reason }),
        Fate::Ignored => {}
    }
}

fn push(target: &Proc, msg: impl Message) {
    let _ = target
        .mailbox
        .send(Envelope::Msg(crate::AnyMessage::new(msg)));
}

/// Delivers a monitor's `Down`, and forgets the monitor on the watcher's side too; unless
/// the watcher has demonitored it meanwhile (under the same lock), which then wins: OTP
/// promises no Down after `demonitor(ref, [:flush])`.
fn fire_down(watcher: Pid, down: Down) {
    if let Some(target) = table::lookup(watcher) {
        let mut st = target.lock();
        let Some(at) = st.watching.iter().position(|(r, _)| *r == down.reference) else {
            return;
        };
        if st.exit.is_none() {
            st.watching.swap_remove(at);
            if tracer::enabled() {
                tracer::down(watcher, &down);
            }
            push(&target, down);
        }
    }
}

/// Puts `msg` in `to`'s mailbox if it is alive: a message otp-core itself sends, unlike
/// `kernel::send_to_pid`, a process's own send.
pub(crate) fn push_if_alive(to: Pid, msg: impl Message) {
    if let Some(target) = table::lookup(to) {
        if !target.is_dead() {
            push(&target, msg);
        }
    }
}

/// Sends an exit signal from `me` to `to`.
pub(crate) fn exit(me: &Proc, to: Pid, reason: ExitReason) {
    if let Some(target) = table::lookup(to) {
        let mut signals = VecDeque::new();
        receive_signal(
            &target,
            Signal {
                from: me.pid,
                to,
                reason,
                link: false,
            },
            &mut signals,
        );
        propagate(signals);
    }
}

/// Locks two entries in pid order, so that two processes linking each other cannot deadlock.
fn lock_pair<'a>(a: &'a Proc, b: &'a Proc) -> (MutexGuard<'a, State>, MutexGuard<'a, State>) {
    if a.pid < b.pid {
        let ga = a.lock();
        (ga, b.lock())
    } else {
        let gb = b.lock();
        (a.lock(), gb)
    }
}

/// Links `me` and `other`; `Err(())` if `other` is dead (noproc).
pub(crate) fn link(me: &Proc, other: Pid) -> Result<(), ()> {
    if other == me.pid {
        return Ok(());
    }
    let target = table::lookup(other).ok_or(())?;
    let (mut mine, mut theirs) = lock_pair(me, &target);
    if theirs.exit.is_some() {
        return Err(());
    }
    if !mine.links.contains(&other) {
        mine.links.push(other);
        theirs.links.push(me.pid);
    }
    drop((mine, theirs));
    if tracer::enabled() {
        tracer::link(me.pid, other);
    }
    Ok(())
}

/// Links a child that is not running yet to its parent (`spawn_link`).
pub(crate) fn link_new(parent: &Proc, child: &Proc) {
    let (mut p, mut c) = lock_pair(parent, child);
    p.links.push(child.pid);
    c.links.push(parent.pid);
}

/// Removes the link between `me` and `other`, if any.
pub(crate) fn unlink(me: &Proc, other: Pid) {
    match table::lookup(other) {
        Some(target) if other != me.pid => {
            let (mut mine, mut theirs) = lock_pair(me, &target);
            mine.links.retain(|&l| l != other);
            theirs.links.retain(|&l| l != me.pid);
        }
        _ => me.lock().links.retain(|&l| l != other),
    }
}

/// `me` monitors `pid` under `reference`; a dead pid gets its `Down` with noproc at once.
pub(crate) fn monitor(me: &Proc, pid: Pid, reference: Ref) {
    if tracer::enabled() {
        tracer::monitor(me.pid, pid);
    }
    // The watcher's side first: `fire_down` delivers a Down only if the watcher has the
    // entry, so it must be there before the target can fire it.
    me.lock().watching.push((reference, pid));
    if let Some(target) = table::lookup(pid) {
        let mut theirs = target.lock();
        if theirs.exit.is_none() {
            theirs.watchers.push((reference, me.pid));
            return;
        }
    }
    me.lock().watching.retain(|(r, _)| *r != reference);
    let down = Down {
        reference,
        pid,
        reason: ExitReason::Noproc,
    };
    if tracer::enabled() {
        tracer::down(me.pid, &down);
    }
    push(me, down);
}

/// Removes `me`'s monitor `reference`; false if there was none (or it already fired).
pub(crate) fn demonitor(me: &Proc, reference: Ref) -> bool {
    let watched = {
        let mut mine = me.lock();
        let at = mine.watching.iter().position(|(r, _)| *r == reference);
        at.map(|i| mine.watching.swap_remove(i).1)
    };
    let Some(watched) = watched else { return false };
    let Some(target) = table::lookup(watched) else {
        return false;
    };
    let mut theirs = target.lock();
    let before = theirs.watchers.len();
    theirs.watchers.retain(|(r, _)| *r != reference);
    before != theirs.watchers.len()
}
