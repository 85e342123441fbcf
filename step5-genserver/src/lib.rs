//! The learner's project for the workshop's "Introducing GenServer" chapter: our own
//! `GenServer` and the `Stack` built on it, beside the `Echo` of the message-passing chapter.
//! Elixir: `lib/otp/gen_server.ex`, `lib/stack.ex`, `test/stack_test.exs` · OTP: gen_server

pub mod echo;
pub mod gen_server;
pub mod stack;

#[cfg(test)]
mod echo_test;
#[cfg(test)]
mod gen_server_test;
#[cfg(test)]
mod stack_test;

pub use echo::Echo;
