//! Our own GenServer: a process that threads a state through a receive loop, answering
//! calls (synchronous, with a reply) and casts (fire and forget) through a callback module.
//! Elixir: `lib/otp/gen_server.ex`, our `OTP.GenServer` · OTP: gen_server.erl, gen.erl

use std::time::Duration;

use otp_core::{
    Dest, Error, ExitReason, Message, Pid, Process, Ref, exit, receive, self_pid, send,
};

/// How long `call` waits for a reply: the workshop's 5000 ms.
pub const CALL_TIMEOUT: Duration = Duration::from_millis(5000);

// BEGIN EXERCISE 5.2
/// How long a start waits for the new server's `init`, unless the callback module says
/// otherwise ([`GenServer::START_TIMEOUT`]). OTP waits forever by default; here a start
/// that never answers is an error, not a hang.
pub const START_TIMEOUT: Duration = Duration::from_millis(5000);
// END EXERCISE 5.2

/// Who is calling: the tag its reply must carry, and its pid.
///
/// Elixir: `@type from :: {reference, pid}`.
pub type From = (Ref, Pid);

/// What `handle_call` answers.
///
/// Elixir: the return values of `handle_call/3`.
#[derive(Debug, PartialEq)]
pub enum CallReply<R, S> {
    /// Reply to the caller and go on with the new state.
    ///
    /// Elixir: `{:reply, reply, state}`.
    Reply(R, S),
    // BEGIN EXERCISE 5.3
    /// Go on without replying now; answer later with [`reply`].
    ///
    /// Elixir: `{:noreply, state}`.
    NoReply(S),
    // END EXERCISE 5.3
    // BEGIN EXERCISE 5.1
    /// Reply to the caller, then stop with the reason.
    ///
    /// Elixir: `{:stop, reason, reply, state}`.
    Stop(ExitReason, R, S),
    /// Stop with the reason without replying.
    ///
    /// Elixir: `{:stop, reason, state}`.
    StopNoReply(ExitReason, S),
    // END EXERCISE 5.1
}

/// What `handle_cast` (and `handle_info`) answers.
///
/// Elixir: the return values of `handle_cast/2`.
#[derive(Debug, PartialEq)]
pub enum CastReply<S> {
    /// Go on with the new state.
    ///
    /// Elixir: `{:noreply, state}`.
    NoReply(S),
    // BEGIN EXERCISE 5.1
    /// Stop with the reason.
    ///
    /// Elixir: `{:stop, reason, state}`.
    Stop(ExitReason, S),
    // END EXERCISE 5.1
}

/// The behaviour: what a callback module must provide. Implementing it is Rust's
/// `use OTP.GenServer`, and the compiler checks the contract that `@callback` declares.
///
/// Elixir: `@callback handle_call(term, from, term) :: {:reply, term, term}` and
/// `@callback handle_cast(term, term) :: {:noreply, term}`.
pub trait GenServer: 'static {
    /// The state threaded through the loop.
    type State: Send + 'static;
    /// What a call asks.
    type Call: Message;
    /// What a call is answered.
    type Reply: Message;
    /// What a cast says.
    type Cast: Message;

    /// Handles a call; the reply goes back to `from`.
    ///
    /// Elixir: `handle_call(msg, from, state)`.
    fn handle_call(
        msg: Self::Call,
        from: From,
        state: Self::State,
    ) -> CallReply<Self::Reply, Self::State>;

    /// Handles a cast.
    ///
    /// Elixir: `handle_cast(msg, state)`.
    fn handle_cast(msg: Self::Cast, state: Self::State) -> CastReply<Self::State>;

    // BEGIN EXERCISE 5.2
    /// Sets the server up, in the new process, before `start_link` returns: the state to
    /// loop with, or the reason not to start. By default the initial state as it is.
    ///
    /// Elixir: `init(arg)`, answering `{:ok, state}` or `{:stop, reason}`.
    fn init(state: Self::State) -> Result<Self::State, ExitReason> {
        Ok(state)
    }

    /// How long a start waits for `init` before it kills the new process.
    ///
    /// Elixir: the `:timeout` option of `GenServer.start_link/3`.
    const START_TIMEOUT: Duration = START_TIMEOUT;
    // END EXERCISE 5.2

    // BEGIN EXERCISE 5.3
    /// Handles any message that is not a call or a cast. By default it is dropped.
    ///
    /// Elixir: `handle_info(msg, state)`.
    fn handle_info(msg: otp_core::AnyMessage, state: Self::State) -> CastReply<Self::State> {
        drop(msg);
        CastReply::NoReply(state)
    }
    // END EXERCISE 5.3

    // BEGIN EXERCISE 5.4
    /// Cleans up as the server stops (a callback's stop, [`stop`], or, when the server traps
    /// exits, its parent's exit signal), with the state's last value. By default nothing.
    ///
    /// Elixir: `terminate(reason, state)`.
    fn terminate(reason: &ExitReason, state: Self::State) {
        let _ = (reason, state);
    }
    // END EXERCISE 5.4
}

/// Why a call got no reply.
///
/// Elixir: the exits `GenServer.call/3` raises; the workshop's `{:error, :timeout}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallError {
    /// No reply within the timeout.
    ///
    /// Elixir: `{:error, :timeout}` in the workshop; `exit({:timeout, ...})` in Elixir.
    Timeout,
    // BEGIN EXERCISE 5.1
    /// The server is not alive (a dead pid or an unknown name).
    ///
    /// Elixir: `exit({:noproc, ...})`.
    Noproc,
    /// The server exited before replying, with this reason.
    ///
    /// Elixir: `exit({reason, ...})`.
    Exit(ExitReason),
    /// A server called itself: it would wait for its own reply forever.
    ///
    /// Elixir: `exit({:calling_self, ...})`.
    CallingSelf,
    // END EXERCISE 5.1
}

/// Why a server did not start.
///
/// Elixir: the `{:error, reason}` of `GenServer.start_link/3`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartError {
    /// No process could be spawned (the process limit), or it could not take its name.
    ///
    /// Elixir: `{:error, {:already_started, pid}}` for a taken name.
    Spawn(Error),
    // BEGIN EXERCISE 5.2
    /// `init` answered this reason, or crashed with it; no server is left running.
    ///
    /// Elixir: `{:error, reason}` after `init/1` returned `{:stop, reason}` or raised.
    Init(ExitReason),
    /// `init` did not answer in time ([`GenServer::START_TIMEOUT`]); the process was killed.
    ///
    /// Elixir: `{:error, :timeout}` with the `:timeout` option of `GenServer.start_link/3`.
    Timeout,
    // END EXERCISE 5.2
}

/// Starts a server running `M`'s callbacks over `state`, linked to the caller; with a
/// name, the server is registered under it before `start_link` returns. A taken or invalid
/// name is an error, and no server is left running.
///
/// Elixir: `OTP.GenServer.start_link(mod, loopdata, name: name)`.
pub fn start_link<M: GenServer>(state: M::State, name: Option<&str>) -> Result<Pid, StartError> {
    start_with::<M>(state, name, true)
}

// BEGIN EXERCISE 5.1
/// Like [`start_link`], without the link: the server's end does not reach the caller.
///
/// Elixir: `GenServer.start(mod, state, opts)`.
pub fn start<M: GenServer>(state: M::State, name: Option<&str>) -> Result<Pid, StartError> {
    start_with::<M>(state, name, false)
}
// END EXERCISE 5.1

fn start_with<M: GenServer>(
    state: M::State,
    name: Option<&str>,
    link: bool,
) -> Result<Pid, StartError> {
    // BEGIN SOLUTION 5.2: init, and a start that waits for it
    start_sync(
        name,
        link,
        M::START_TIMEOUT,
        move || M::init(state),
        serve::<M>,
    )
    // STARTER 5.2
    // let serve = move || exit(serve::<M>(state));
    // let spawned = if link {
    //     otp_core::try_spawn_link(serve)
    // } else {
    //     otp_core::try_spawn(serve)
    // };
    // let pid = spawned.map_err(StartError::Spawn)?;
    // if let Some(name) = name {
    //     if let Err(e) = Process::register(pid, name) {
    //         // The workshop's register raises in the caller; here the server goes, and
    //         // unlinked first, it leaves no Exit behind.
    //         Process::unlink(pid);
    //         Process::exit(pid, ExitReason::Kill);
    //         return Err(StartError::Spawn(e));
    //     }
    // }
    // Ok(pid)
    // END SOLUTION 5.2
}

// BEGIN SOLUTION 5.2
// OTP: proc_lib's synchronous start, for any process that sets itself up before it runs. The
// new process takes its name, runs `init`, and tells the starter how it went (init_ack): the
// start returns only then, so the name works at once, and a failed start has its reason.
fn start_sync<S>(
    name: Option<&str>,
    link: bool,
    timeout: Duration,
    init: impl FnOnce() -> Result<S, ExitReason> + Send + 'static,
    run: impl FnOnce(S) -> ExitReason + Send + 'static,
) -> Result<Pid, StartError> {
    let starter = self_pid();
    let ack = otp_core::make_ref();
    let name = name.map(str::to_string);
    let body = move || {
        // Linked first thing, as if by spawn_link: see below.
        if link {
            Process::link(starter);
        }
        let named = match &name {
            Some(name) => Process::register(self_pid(), name).map_err(StartError::Spawn),
            None => Ok(()),
        };
        match named.and_then(|()| init().map_err(StartError::Init)) {
            Ok(state) => {
                send(starter, (ack, Ok::<(), StartError>(())));
                exit(run(state))
            }
            Err(failed) => {
                // Unlinked before it ends, so a failed start never takes the starter along.
                Process::unlink(starter);
                let reason = match &failed {
                    StartError::Init(reason) => reason.clone(),
                    _ => ExitReason::Normal,
                };
                send(starter, (ack, Err::<(), StartError>(failed)));
                exit(reason)
            }
        }
    };
    // Monitored from before it runs: an `init` that crashes at once has its reason in the
    // Down (a monitor set afterwards could only say noproc).
    let (pid, watch) = otp_core::try_spawn_monitor(body).map_err(StartError::Spawn)?;
    let mut gone = false;
    let started = receive! {
        since ack;
        (r, started): (Ref, Result<(), StartError>) if r == ack => started,
        // It crashed in `init`, or was killed, before it could answer.
        otp_core::Down { reference, reason, .. }: otp_core::Down if reference == watch => {
            gone = true;
            Err(StartError::Init(reason))
        }
        // OTP: proc_lib's start timeout; a process that never answers is killed.
        after timeout => {
            Process::unlink(pid);
            Process::exit(pid, ExitReason::Kill);
            Err(StartError::Timeout)
        }
    };
    if started.is_err() {
        // Return only once it is gone, leaving nothing of it behind: an Exit, or an answer
        // that came too late (both arrive before the Down).
        if !gone {
            receive! { otp_core::Down { reference, .. }: otp_core::Down if reference == watch => () }
        }
        receive! {
            otp_core::Exit { from, .. }: otp_core::Exit if from == pid => (),
            after Duration::ZERO => (),
        }
        receive! {
            (r, _late): (Ref, Result<(), StartError>) if r == ack => (),
            after Duration::ZERO => (),
        }
    }
    Process::demonitor_flush(watch);
    started.map(|()| pid)
}
// END SOLUTION 5.2

/// Turns the calling process into a server running `M`'s callbacks over `state` (no `init`:
/// the process is already set up), until it stops. What a supervised child runs.
///
/// Elixir: `OTP.GenServer.loop(mod, loopdata)` · OTP: gen_server:enter_loop/3.
pub fn enter_loop<M: GenServer>(state: M::State) -> ! {
    exit(serve::<M>(state))
}

// The receive loop. Elixir's `loop/2` calls itself with the new state; here the state is a
// variable the loop goes round with. When the server stops, the loop returns the reason,
// the state already gone: dropped in ordinary code, not while the process unwinds.
fn serve<M: GenServer>(mut state: M::State) -> ExitReason {
    // BEGIN SOLUTION 5.4
    let parent = Process::parent();
    // END SOLUTION 5.4
    loop {
        receive! {
            ("$call", from, msg): (&str, From, M::Call) => {
                state = match M::handle_call(msg, from, state) {
                    CallReply::Reply(answer, state) => {
                        reply(from, answer);
                        state
                    }
                    // BEGIN EXERCISE 5.3
                    // BEGIN SOLUTION 5.3
                    CallReply::NoReply(state) => state,
                    // STARTER 5.3
                    // CallReply::NoReply(_) => todo!("Exercise 5.3: go on without replying"),
                    // END SOLUTION 5.3
                    // END EXERCISE 5.3
                    // BEGIN EXERCISE 5.1
                    // BEGIN SOLUTION 5.1: a callback may stop the server
                    // OTP: the reply goes out before the exit signal.
                    CallReply::Stop(reason, answer, state) => {
                        reply(from, answer);
                        return end_with::<M>(reason, state);
                    }
                    CallReply::StopNoReply(reason, state) => return end_with::<M>(reason, state),
                    // STARTER 5.1
                    // CallReply::Stop(..) | CallReply::StopNoReply(..) => {
                    //     todo!("Exercise 5.1: stop the server with the callback's reason")
                    // }
                    // END SOLUTION 5.1
                    // END EXERCISE 5.1
                }
            }
            ("$cast", msg): (&str, M::Cast) => {
                state = match M::handle_cast(msg, state) {
                    CastReply::NoReply(state) => state,
                    // BEGIN EXERCISE 5.1
                    // BEGIN SOLUTION 5.1
                    CastReply::Stop(reason, state) => return end_with::<M>(reason, state),
                    // STARTER 5.1
                    // CastReply::Stop(..) => todo!("Exercise 5.1: stop the server"),
                    // END SOLUTION 5.1
                    // END EXERCISE 5.1
                }
            }
            // BEGIN EXERCISE 5.4
            // BEGIN SOLUTION 5.4
            ("$stop", reason): (&str, ExitReason) => return end_with::<M>(reason, state),
            // OTP: a server that traps exits stops when its parent does, and with it.
            otp_core::Exit { from, reason }: otp_core::Exit if Some(from) == parent => {
                return end_with::<M>(reason, state);
            }
            // END SOLUTION 5.4
            // END EXERCISE 5.4
            // BEGIN SOLUTION 5.3: any other message goes to handle_info
            info => {
                state = match M::handle_info(info, state) {
                    CastReply::NoReply(state) => state,
                    // BEGIN EXERCISE 5.1
                    // BEGIN SOLUTION 5.1
                    CastReply::Stop(reason, state) => return end_with::<M>(reason, state),
                    // STARTER 5.1
                    // CastReply::Stop(..) => todo!("Exercise 5.1: stop the server"),
                    // END SOLUTION 5.1
                    // END EXERCISE 5.1
                }
            }
            // STARTER 5.3
            // // Out-of-band messages are dropped.
            // _other => continue,
            // END SOLUTION 5.3
        }
    }
}

// BEGIN EXERCISE 5.1
/// Where the loop ends: the state goes to `terminate` (dropped here, in ordinary code), and
/// the reason goes back up to the process's top, which exits with it.
fn end_with<M: GenServer>(reason: ExitReason, state: M::State) -> ExitReason {
    // BEGIN SOLUTION 5.4
    M::terminate(&reason, state);
    // STARTER 5.4
    // drop(state);
    // END SOLUTION 5.4
    reason
}
// END EXERCISE 5.1

/// Sends `reply` to the caller `from`: what the loop does with a `Reply`.
// BEGIN EXERCISE 5.3
/// A callback that answered `NoReply` calls it itself, later.
// END EXERCISE 5.3
///
/// Elixir: `GenServer.reply(from, reply)`.
pub fn reply(from: From, reply: impl Message) {
    // BEGIN SOLUTION 5.1
    // The tag is the caller's alias: a reply that comes after the caller gave up is dropped.
    let (alias, _caller) = from;
    send(alias, (alias, reply));
    // STARTER 5.1
    // let (tag, caller) = from;
    // send(caller, (tag, reply));
    // END SOLUTION 5.1
}

/// Sends a cast and returns at once, whether or not the server is alive (as OTP's does).
///
/// Elixir: `GenServer.cast(server, msg)`.
pub fn cast<'a, M: GenServer>(server: impl Into<Dest<'a>>, msg: M::Cast) {
    let _ = otp_core::try_send(server, ("$cast", msg));
}

/// Calls the server and waits for its reply, at most [`CALL_TIMEOUT`].
///
/// Elixir: `GenServer.call(server, msg)`.
pub fn call<'a, M: GenServer>(
    server: impl Into<Dest<'a>>,
    msg: M::Call,
) -> Result<M::Reply, CallError> {
    do_call(server.into(), msg, CALL_TIMEOUT)
}

// BEGIN EXERCISE 5.1
/// Calls the server and waits at most `timeout` for its reply.
///
/// Elixir: `GenServer.call(server, msg, timeout)`.
pub fn call_timeout<'a, M: GenServer>(
    server: impl Into<Dest<'a>>,
    msg: M::Call,
    timeout: Duration,
) -> Result<M::Reply, CallError> {
    do_call(server.into(), msg, timeout)
}
// END EXERCISE 5.1

// OTP: gen:do_call/4, the request-reply protocol under `call`, for any request and reply.
fn do_call<Req: Message, Rep: Message>(
    server: Dest<'_>,
    msg: Req,
    timeout: Duration,
) -> Result<Rep, CallError> {
    // BEGIN SOLUTION 5.1: a dead server fails the call at once; a late reply is dropped
    // OTP: tag the request with an alias, so that a reply after we gave up is dropped, and
    // monitor the server, so that its death ends the wait at once. The alias comes first:
    // `since tag` skips only what was queued before it, and the Down must come after.
    let pid = server_pid(server)?;
    let tag = Process::alias();
    let monitor = Process::monitor(pid);
    send(pid, ("$call", (tag, self_pid()), msg));
    let result = receive! {
        since tag;
        (r, answer): (Ref, Rep) if r == tag => Ok(answer),
        otp_core::Down { reference, reason, .. }: otp_core::Down if reference == monitor => {
            Err(match reason {
                ExitReason::Noproc => CallError::Noproc,
                reason => CallError::Exit(reason),
            })
        }
        after timeout => Err(CallError::Timeout),
    };
    Process::unalias(tag);
    Process::demonitor_flush(monitor);
    // A reply that arrived between the timeout and the unalias is dropped here.
    receive! {
        (r, _late): (Ref, Rep) if r == tag => (),
        after Duration::ZERO => (),
    }
    result
    // STARTER 5.1
    // let tag = otp_core::make_ref();
    // send(server, ("$call", (tag, self_pid()), msg));
    // receive! {
    //     (r, answer): (Ref, Rep) if r == tag => Ok(answer),
    //     after timeout => Err(CallError::Timeout),
    // }
    // END SOLUTION 5.1
}

// BEGIN EXERCISE 5.1
/// The pid a request goes to: not an unknown name, and not the caller itself, which would
/// wait for its own answer forever.
fn server_pid(server: Dest<'_>) -> Result<Pid, CallError> {
    let pid = match server {
        Dest::Pid(pid) => pid,
        Dest::Name(name) => Process::whereis(name).ok_or(CallError::Noproc)?,
        Dest::Alias(_) => return Err(CallError::Noproc),
    };
    if pid == self_pid() {
        return Err(CallError::CallingSelf);
    }
    Ok(pid)
}
// END EXERCISE 5.1

// BEGIN EXERCISE 5.4
/// Stops the server with `reason` and waits until it is gone, its `terminate` done. `Ok` if
/// it ended with that reason; if it ended with another (it died first, or was killed
/// meanwhile), that reason.
///
/// Elixir: `GenServer.stop(server, reason)`.
pub fn stop<'a>(server: impl Into<Dest<'a>>, reason: ExitReason) -> Result<(), CallError> {
    // BEGIN SOLUTION 5.4
    let pid = server_pid(server.into())?;
    let monitor = Process::monitor(pid);
    send(pid, ("$stop", reason.clone()));
    let ended = receive! {
        otp_core::Down { reference, reason, .. }: otp_core::Down if reference == monitor => reason,
    };
    // OTP: proc_lib:stop/3 answers ok only for the reason it asked for.
    match ended {
        ended if ended == reason => Ok(()),
        ExitReason::Noproc => Err(CallError::Noproc),
        ended => Err(CallError::Exit(ended)),
    }
    // STARTER 5.4
    // todo!(
    //     "Exercise 5.4: stop {:?} with {reason} and wait until it is gone",
    //     server.into()
    // )
    // END SOLUTION 5.4
}
// END EXERCISE 5.4
