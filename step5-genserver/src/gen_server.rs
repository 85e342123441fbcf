//! Our own GenServer: a process that threads a state through a receive loop, answering
//! calls (synchronous, with a reply) and casts (fire and forget) through a callback module.
//! Elixir: `lib/otp/gen_server.ex`, our `OTP.GenServer` · OTP: gen_server.erl, gen.erl

use std::time::Duration;

use otp_core::{
    Down, Error, Exit, ExitReason, Message, Pid, Process, Ref, exit, receive, self_pid, send,
};

/// How long `call` waits for a reply: the workshop's 5000 ms.
pub const CALL_TIMEOUT: Duration = Duration::from_millis(5000);

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
    /// Go on without replying now; answer later with [`reply`].
    ///
    /// Elixir: `{:noreply, state}`.
    NoReply(S),
    /// Reply to the caller, then exit with the reason.
    ///
    /// Elixir: `{:stop, reason, reply, state}`.
    Stop(ExitReason, R, S),
    /// Exit with the reason without replying.
    ///
    /// Elixir: `{:stop, reason, state}`.
    StopNoReply(ExitReason, S),
}

/// What `handle_cast` answers.
///
/// Elixir: the return values of `handle_cast/2`.
#[derive(Debug, PartialEq)]
pub enum CastReply<S> {
    /// Go on with the new state.
    ///
    /// Elixir: `{:noreply, state}`.
    NoReply(S),
    /// Exit with the reason.
    ///
    /// Elixir: `{:stop, reason, state}`.
    Stop(ExitReason, S),
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
}

/// Starts a server running `M`'s callbacks over `state`, linked to the caller; with a
/// name, the server is registered under it before it handles anything. A taken or invalid
/// name is an error, and no server is left running.
///
/// Elixir: `OTP.GenServer.start_link(mod, loopdata, name: name)`.
pub fn start_link<M: GenServer>(state: M::State, name: Option<&str>) -> Result<Pid, Error> {
    start_with::<M>(state, name, true)
}

/// Like [`start_link`], without the link.
///
/// Elixir: `GenServer.start(mod, state, opts)`.
pub fn start<M: GenServer>(state: M::State, name: Option<&str>) -> Result<Pid, Error> {
    start_with::<M>(state, name, false)
}

fn start_with<M: GenServer>(state: M::State, name: Option<&str>, link: bool) -> Result<Pid, Error> {
    spawn_named(name, link, move || enter_loop::<M>(state))
}

// OTP: proc_lib's init_ack. The new process takes its name first thing and tells the
// starter whether it could, so that the start returns only once the name is reachable, and
// a process that could not take its name ends (normally) without running `run`.
fn spawn_named(
    name: Option<&str>,
    link: bool,
    run: impl FnOnce() + Send + 'static,
) -> Result<Pid, Error> {
    if let Some(owner) = name.and_then(Process::whereis) {
        let name = name.unwrap_or_default().to_string();
        return Err(Error::NameTaken { name, owner });
    }
    let starter = self_pid();
    let ack = otp_core::make_ref();
    let name = name.map(str::to_string);
    let body = move || {
        let registered = match &name {
            Some(name) => Process::register(self_pid(), name),
            None => Ok(()),
        };
        let ok = registered.is_ok();
        send(starter, (ack, registered));
        if ok {
            run();
        }
    };
    let pid = if link {
        otp_core::try_spawn_link(body)?
    } else {
        otp_core::try_spawn(body)?
    };
    let watch = Process::monitor(pid);
    let mut gone = false;
    let registered = receive! {
        since ack;
        (r, registered): (Ref, Result<(), Error>) if r == ack => registered,
        // Killed before it could answer: someone found its pid in `Process::list`.
        Down { reference, .. }: Down if reference == watch => {
            gone = true;
            Err(Error::Noproc(pid))
        }
    };
    if registered.is_err() {
        // Return only once the would-be process is gone, leaving no process and no Exit
        // message behind.
        Process::unlink(pid);
        if !gone {
            receive! { Down { reference, .. }: Down if reference == watch => () }
        }
        receive! { Exit { from, .. }: Exit if from == pid => (), after Duration::ZERO => () }
    }
    Process::demonitor_flush(watch);
    registered.map(|()| pid)
}

/// Turns the calling process into a server: the receive loop, threading `state` through
/// `M`'s callbacks. Out-of-band messages are dropped.
///
/// Elixir: `OTP.GenServer.loop(mod, loopdata)` · OTP: gen_server:enter_loop/3.
pub fn enter_loop<M: GenServer>(mut state: M::State) -> ! {
    loop {
        receive! {
            ("$call", from, msg): (&str, From, M::Call) => {
                state = match M::handle_call(msg, from, state) {
                    CallReply::Reply(answer, state) => {
                        reply(from, answer);
                        state
                    }
                    CallReply::NoReply(state) => state,
                    // Exercise 5.1 (solution): a callback may stop the server. OTP: the
                    // reply goes out before the exit signal.
                    CallReply::Stop(reason, answer, _) => {
                        reply(from, answer);
                        exit(reason)
                    }
                    CallReply::StopNoReply(reason, _) => exit(reason),
                }
            }
            ("$cast", msg): (&str, M::Cast) => {
                state = match M::handle_cast(msg, state) {
                    CastReply::NoReply(state) => state,
                    CastReply::Stop(reason, _) => exit(reason),
                }
            }
            ("$stop", reason): (&str, ExitReason) => exit(reason),
            _out_of_band => continue,
        }
    }
}

/// Sends `reply` to the caller `from`: what the loop does with a `Reply`, and what a
/// callback that answered `NoReply` calls later.
///
/// Elixir: `GenServer.reply(from, reply)`.
pub fn reply(from: From, reply: impl Message) {
    let (tag, _caller) = from;
    // The tag is the caller's alias: if the caller gave up, the reply is dropped.
    send(tag, (tag, reply));
}

/// Sends a cast and returns at once, whether or not the server is alive (as OTP's does).
///
/// Elixir: `GenServer.cast(server, msg)`.
pub fn cast<'a, M: GenServer>(server: impl Into<otp_core::Dest<'a>>, msg: M::Cast) {
    let _ = otp_core::try_send(server, ("$cast", msg));
}

/// Calls the server and waits for its reply, at most [`CALL_TIMEOUT`].
///
/// Elixir: `GenServer.call(server, msg)`.
pub fn call<'a, M: GenServer>(
    server: impl Into<otp_core::Dest<'a>>,
    msg: M::Call,
) -> Result<M::Reply, CallError> {
    call_timeout::<M>(server, msg, CALL_TIMEOUT)
}

/// Calls the server and waits at most `timeout` for its reply. Returns at once if the
/// server is dead, or dies during the call; a reply that comes after the timeout is dropped.
///
/// Elixir: `GenServer.call(server, msg, timeout)`.
pub fn call_timeout<'a, M: GenServer>(
    server: impl Into<otp_core::Dest<'a>>,
    msg: M::Call,
    timeout: Duration,
) -> Result<M::Reply, CallError> {
    do_call(server.into(), msg, timeout)
}

// OTP: gen:do_call/4, the request-reply protocol under `call`, for any request and reply.
fn do_call<Req: Message, Rep: Message>(
    server: otp_core::Dest<'_>,
    msg: Req,
    timeout: Duration,
) -> Result<Rep, CallError> {
    let pid = server_pid(server)?;
    // Exercise 5.1 (solution). OTP: tag the request with an alias, so that a reply after
    // we gave up is dropped, and monitor the server, so that its death ends the wait at once. The alias comes first:
    // `since tag` skips only what was queued before it, and the Down must come after.
    let tag = Process::alias();
    let monitor = Process::monitor(pid);
    send(pid, ("$call", (tag, self_pid()), msg));
    let result = receive! {
        since tag;
        (r, answer): (Ref, Rep) if r == tag => Ok(answer),
        Down { reference, reason, .. }: Down if reference == monitor => Err(match reason {
            ExitReason::Noproc => CallError::Noproc,
            reason => CallError::Exit(reason),
        }),
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
}

/// Stops the server with `reason` and waits until it is gone. `Ok` if it ended with that
/// reason; if it ended with another (it died first, or was killed meanwhile), that reason.
///
/// Elixir: `GenServer.stop(server, reason)`.
pub fn stop<'a>(
    server: impl Into<otp_core::Dest<'a>>,
    reason: ExitReason,
) -> Result<(), CallError> {
    let pid = server_pid(server.into())?;
    let monitor = Process::monitor(pid);
    send(pid, ("$stop", reason.clone()));
    let ended = receive! {
        Down { reference, reason, .. }: Down if reference == monitor => reason,
    };
    // OTP: proc_lib:stop/3 answers ok only for the reason it asked for.
    match ended {
        ended if ended == reason => Ok(()),
        ExitReason::Noproc => Err(CallError::Noproc),
        ended => Err(CallError::Exit(ended)),
    }
}

/// The pid a request goes to: not an unknown name, and not the caller itself, which would
/// wait for its own answer forever.
fn server_pid(server: otp_core::Dest<'_>) -> Result<Pid, CallError> {
    let pid = match server {
        otp_core::Dest::Pid(pid) => pid,
        otp_core::Dest::Name(name) => Process::whereis(name).ok_or(CallError::Noproc)?,
        otp_core::Dest::Alias(_) => return Err(CallError::Noproc),
    };
    if pid == self_pid() {
        return Err(CallError::CallingSelf);
    }
    Ok(pid)
}
