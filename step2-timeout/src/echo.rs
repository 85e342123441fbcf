//! The echo process: it answers every message with the message itself.
//! Elixir: `OTP.Echo` · OTP: the receive loop that gen_server is built around

use std::time::Duration;

use otp_core::{Error, Pid, receive, self_pid, try_spawn_link};

/// How long the echo waits for a message before it exits normally.
///
/// Elixir: `@loop_timeout 10`.
pub const LOOP_TIMEOUT: Duration = Duration::from_millis(10);

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

    /// Sends `msg` to the echo at `pid`, with the caller's pid so that it knows whom to
    /// answer.
    ///
    /// Elixir: `Echo.send(pid, msg)`, that is `Kernel.send(pid, {msg, self()})`.
    pub fn send(pid: Pid, msg: &'static str) {
        otp_core::send(pid, (msg, self_pid()));
    }

    // The process itself. Elixir's `loop/0` calls itself again after each message; Rust does
    // not promise tail calls, so a `loop` repeats the receive instead.
    fn run(loop_timeout: Duration) {
        loop {
            receive! {
                (msg, caller): (&'static str, Pid) => otp_core::send(caller, msg),
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
