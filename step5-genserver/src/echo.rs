//! The echo process: it answers every message with the message itself.
//! Elixir: `OTP.Echo` · OTP: the receive loop that gen_server is built around

use std::time::Duration;

use otp_core::{Error, Pid, Process, Ref, make_ref, receive, self_pid, try_spawn_link};

/// How long the echo waits for a message before it exits normally.
///
/// Elixir: `@loop_timeout 10`.
pub const LOOP_TIMEOUT: Duration = Duration::from_millis(10);

/// How long `sync_send` waits for the reply before it gives up.
///
/// Elixir: `@sync_send_timeout 200`.
pub const SYNC_SEND_TIMEOUT: Duration = Duration::from_millis(200);

/// What `sync_send` returns when no reply came within [`SYNC_SEND_TIMEOUT`].
///
/// Elixir: `{:error, :timeout}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeout;

/// The echo's functions, grouped as the `OTP.Echo` module groups them. It holds no data:
/// the process is known by its pid.
///
/// Elixir: `defmodule OTP.Echo`.
pub struct Echo;

impl Echo {
    /// Starts an echo process linked to the caller. It exits normally once it has waited
    /// [`LOOP_TIMEOUT`] without a message.
    ///
    /// Elixir: `{:ok, pid} = Echo.start_link()`.
    pub fn start_link() -> Result<Pid, Error> {
        Self::start_link_with_timeout(LOOP_TIMEOUT)
    }

    /// Like [`Echo::start_link`], with another idle timeout: tests that are not about the
    /// idle exit give the echo longer, so that a busy machine cannot end it between two
    /// messages.
    ///
    /// Elixir: `start_link/0` with `@loop_timeout` made an argument.
    pub fn start_link_with_timeout(loop_timeout: Duration) -> Result<Pid, Error> {
        try_spawn_link(move || Self::run(loop_timeout))
    }

    /// Sends `msg` to the echo at `pid`, with a fresh ref and the caller's pid so that it
    /// knows whom to answer, and returns the ref at once: the reply arrives in the caller's
    /// mailbox as `(ref, msg)`.
    ///
    /// Elixir: `ref = Echo.async_send(pid, msg)`, sending `{ref, self(), msg}`.
    pub fn async_send(pid: Pid, msg: &'static str) -> Ref {
        let reference = make_ref();
        otp_core::send(pid, (reference, self_pid(), msg));
        reference
    }

    /// Sends `msg` to the echo at `pid` and waits for the reply, at most
    /// [`SYNC_SEND_TIMEOUT`]. Only a `(ref, reply)` that carries this call's ref is taken;
    /// any other message stays in the mailbox.
    ///
    /// Elixir: `Echo.sync_send(pid, msg)`, which returns the reply or `{:error, :timeout}`.
    pub fn sync_send(pid: Pid, msg: &'static str) -> Result<&'static str, Timeout> {
        let reference = Self::async_send(pid, msg);
        receive! {
            // Elixir: `{^ref, msg} -> msg`; the guard plays the pin.
            (r, reply): (Ref, &'static str) if r == reference => Ok(reply),
            after SYNC_SEND_TIMEOUT => Err(Timeout),
        }
    }

    // The process itself. Elixir's `loop/0` calls itself again after each message; Rust does
    // not promise tail calls, so a `loop` repeats the receive instead.
    fn run(loop_timeout: Duration) {
        loop {
            receive! {
                // Never answered: lets a test see the caller's timeout.
                (_reference, _caller, "no_reply"): (Ref, Pid, &'static str) => {}
                // An expensive request: the reply comes after the caller's sync_send gave up.
                (reference, caller, "long_computation"): (Ref, Pid, &'static str) => {
                    Process::sleep(SYNC_SEND_TIMEOUT + Duration::from_millis(1));
                    otp_core::send(caller, (reference, "long_computation"));
                }
                (reference, caller, msg): (Ref, Pid, &'static str) => {
                    otp_core::send(caller, (reference, msg));
                }
                // BEGIN SOLUTION 1.1: drop non-compliant messages
                junk => drop(junk),
                // STARTER 1.1
                // // Exercise 1.1: a last clause that takes any other message and drops it.
                // END SOLUTION 1.1
                // Returning from the process's function is a normal exit.
                after loop_timeout => break,
            }
        }
    }
}
