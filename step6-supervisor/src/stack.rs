//! The workshop's Stack: a GenServer whose state is a list; `push` is a cast, `pop` a call.
//! Elixir: `lib/stack.ex` · OTP: a gen_server callback module

use otp_core::Pid;

use crate::gen_server::{self, CallError, CallReply, CastReply, GenServer, StartError};

/// A stack process. The type is the callback module; the state is a `Vec`, top last.
///
/// Elixir: `defmodule Stack do use GenServer ... end`.
pub struct Stack;

/// What `pop` answers: the top element, or `Err("empty")`.
///
/// Elixir: `{:ok, h}` or `{:error, :empty}`.
pub type Popped = Result<i32, &'static str>;

impl Stack {
    // PUBLIC

    /// Starts a stack holding `initial` (top last), linked to the caller.
    ///
    /// Elixir: `Stack.start_link(initial)`.
    pub fn start_link(initial: Vec<i32>) -> Result<Pid, StartError> {
        gen_server::start_link::<Stack>(initial, None)
    }

    /// Pushes `element` (a cast: returns at once).
    ///
    /// Elixir: `Stack.push(pid, element)`.
    pub fn push(pid: Pid, element: i32) {
        gen_server::cast::<Stack>(pid, ("push", element));
    }

    /// Pops the top element (a call: waits for the answer).
    ///
    /// Elixir: `Stack.pop(pid)`.
    pub fn pop(pid: Pid) -> Result<Popped, CallError> {
        gen_server::call::<Stack>(pid, "pop")
    }
}

// CALLBACKS

impl GenServer for Stack {
    type State = Vec<i32>;
    type Call = &'static str;
    type Reply = Popped;
    type Cast = (&'static str, i32);

    fn handle_call(
        msg: &'static str,
        _from: gen_server::From,
        mut state: Vec<i32>,
    ) -> CallReply<Popped, Vec<i32>> {
        match msg {
            "pop" => match state.pop() {
                None => CallReply::Reply(Err("empty"), state),
                Some(top) => CallReply::Reply(Ok(top), state),
            },
            // Elixir: no clause matches, and the server crashes.
            other => panic!("Stack: unknown call {other:?}"),
        }
    }

    fn handle_cast(msg: (&'static str, i32), mut state: Vec<i32>) -> CastReply<Vec<i32>> {
        match msg {
            ("push", element) => {
                state.push(element);
                CastReply::NoReply(state)
            }
            other => panic!("Stack: unknown cast {other:?}"),
        }
    }
}
