//! The `Process` module: what one process can ask about, or do to, another.
//! Elixir: `Process` · OTP: the process BIFs of the `erlang` module

use std::time::Duration;

use crate::{Error, ExitReason, Pid, Ref, alias, current, mailbox, registry, signal, table};

/// Elixir's `Process` module: `Process::alive(pid)` reads as `Process.alive?(pid)`.
///
/// Elixir: `Process`.
pub struct Process;

impl Process {
    /// Whether `pid` is alive. A process killed by another is dead at once, even while its
    /// thread is still finishing the statement it was on.
    ///
    /// Elixir: `Process.alive?(pid)`.
    pub fn alive(pid: Pid) -> bool {
        table::lookup(pid).is_some_and(|p| !p.is_dead())
    }

    /// Suspends the caller for `duration`, leaving its mailbox as it is.
    ///
    /// Elixir: `Process.sleep(ms)`.
    pub fn sleep(duration: Duration) {
        if crate::tracer::enabled() {
            crate::tracer::sleep(crate::self_pid(), duration);
        }
        mailbox::sleep(duration);
    }

    /// Gives `pid` the name `name`, until it dies or `unregister` is called. Errors for an
    /// invalid name, a taken name, a dead pid, or a pid that already has a name.
    ///
    /// Elixir: `Process.register(pid, name)`.
    pub fn register(pid: Pid, name: &str) -> Result<(), Error> {
        registry::register(pid, name)
    }

    /// Removes the name `name`; an error if no process has it.
    ///
    /// Elixir: `Process.unregister(name)`.
    pub fn unregister(name: &str) -> Result<(), Error> {
        registry::unregister(name)
    }

    /// The live process registered as `name`.
    ///
    /// Elixir: `Process.whereis(name)`.
    pub fn whereis(name: &str) -> Option<Pid> {
        registry::whereis(name)
    }

    /// The names registered now, sorted.
    ///
    /// Elixir: `Process.registered()`.
    pub fn registered() -> Vec<String> {
        registry::registered()
    }

    /// The process that spawned the caller; `None` for a thread that became a process on
    /// its first otp-core call (a `#[test]`, `main`). A server that traps exits uses it to
    /// tell its parent's exit signal, which stops it, from any other.
    ///
    /// Elixir: `Process.info(self(), :parent)` (OTP 25's `process_info(Pid, parent)`).
    pub fn parent() -> Option<Pid> {
        let ctx = current::current();
        ctx.check_alive();
        ctx.me.parent
    }

    /// Every live process, oldest first.
    ///
    /// Elixir: `Process.list()`.
    pub fn list() -> Vec<Pid> {
        table::all()
    }

    /// Links the caller and `pid`: when one dies, the other receives an exit signal. If
    /// `pid` is dead, a caller that traps exits receives `Exit { from: pid, reason: Noproc }`
    /// and one that does not exits with reason noproc, as on the BEAM.
    ///
    /// Elixir: `Process.link(pid)`.
    pub fn link(pid: Pid) {
        if Self::try_link(pid).is_err() {
            let ctx = current::current();
            if ctx.me.lock().trap_exit {
                signal::push_if_alive(
                    ctx.me.pid,
                    crate::Exit {
                        from: pid,
                        reason: ExitReason::Noproc,
                    },
                );
            } else {
                crate::exit(ExitReason::Noproc);
            }
        }
    }

    /// Like [`Process::link`], with a dead `pid` as an error and no signal.
    ///
    /// Elixir: `Process.link/1`, rescuing the `:noproc` error.
    pub fn try_link(pid: Pid) -> Result<(), Error> {
        let ctx = current::current();
        ctx.check_alive();
        signal::link(&ctx.me, pid).map_err(|()| Error::Noproc(pid))
    }

    /// Removes the link between the caller and `pid`, if there is one.
    ///
    /// Elixir: `Process.unlink(pid)`.
    pub fn unlink(pid: Pid) {
        let ctx = current::current();
        ctx.check_alive();
        signal::unlink(&ctx.me, pid);
    }

    /// Sends an exit signal with `reason` to `pid`. `Kill` cannot be trapped; `Normal` is
    /// ignored unless `pid` is the caller; a process trapping exits gets an `Exit` message.
    /// A dead `pid` is no error. A process the signal ends is dead at once; its stack unwinds
    /// at its next otp-core call (see the crate's documentation on how a process ends).
    ///
    /// Elixir: `Process.exit(pid, reason)`.
    pub fn exit(pid: Pid, reason: ExitReason) {
        let ctx = current::current();
        signal::exit(&ctx.me, pid, reason);
        // The caller may have sent the signal to itself, or to a process linked to it.
        ctx.check_alive();
    }

    /// Sets whether exit signals reach the caller as `Exit` messages instead of ending it;
    /// returns the previous setting.
    ///
    /// Elixir: `Process.flag(:trap_exit, on)`.
    pub fn trap_exit(on: bool) -> bool {
        let ctx = current::current();
        ctx.check_alive();
        if crate::tracer::enabled() {
            crate::tracer::trap_exit(ctx.me.pid, on);
        }
        std::mem::replace(&mut ctx.me.lock().trap_exit, on)
    }

    /// Monitors `pid`: when it ends, the caller receives `Down { reference, pid, reason }`,
    /// at once with reason noproc if it is already dead.
    ///
    /// Elixir: `Process.monitor(pid)`.
    pub fn monitor(pid: Pid) -> Ref {
        let ctx = current::current();
        let reference = crate::make_ref();
        ctx.check_alive();
        signal::monitor(&ctx.me, pid, reference);
        reference
    }

    /// Makes an alias: a ref that delivers what is sent to it (`send(alias, msg)`) to the
    /// caller, until [`Process::unalias`] or the caller's death. Messages sent through it
    /// afterwards are dropped: the way a call makes sure a late reply never lands.
    ///
    /// Elixir: `Process.alias()`.
    pub fn alias() -> Ref {
        let ctx = current::current();
        ctx.check_alive();
        let alias = crate::make_ref();
        ctx.me.lock().aliases.push(alias);
        alias::add(alias, ctx.me.pid);
        alias
    }

    /// Removes an alias the caller made; false if it was not one. Once this returns, nothing
    /// more arrives through it.
    ///
    /// Elixir: `Process.unalias(alias)`.
    pub fn unalias(alias: Ref) -> bool {
        let ctx = current::current();
        let mut st = ctx.me.lock();
        let Some(at) = st.aliases.iter().position(|&a| a == alias) else {
            return false;
        };
        st.aliases.swap_remove(at);
        drop(st);
        alias::remove(alias)
    }

    /// Removes the monitor `reference`; true if it was active. A `Down` that already arrived
    /// stays in the mailbox (see [`Process::demonitor_flush`]).
    ///
    /// Elixir: `Process.demonitor(ref)`.
    pub fn demonitor(reference: Ref) -> bool {
        signal::demonitor(&current::current().me, reference)
    }

    /// Removes the monitor `reference` and any `Down` it already delivered.
    ///
    /// Elixir: `Process.demonitor(ref, [:flush])`.
    pub fn demonitor_flush(reference: Ref) -> bool {
        let active = Self::demonitor(reference);
        let now = Some(Duration::ZERO);
        mailbox::receive_raw(now, None, |msg: crate::AnyMessage| {
            match msg.downcast_ref::<crate::Down>() {
                Some(down) if down.reference == reference => Ok((0, msg)),
                _ => Err(msg),
            }
        });
        active
    }
}
