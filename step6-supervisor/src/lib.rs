//! The learner's project for the workshop's "Supervising a process" chapter: our own
//! `Supervisor`, restarting the `GenServer`s and `Stack`s of the chapter before.
//! Elixir: `lib/otp/supervisor.ex` · OTP: supervisor

pub mod echo;
pub mod gen_server;
pub mod stack;
pub mod supervisor;

#[cfg(test)]
mod echo_test;
#[cfg(test)]
mod gen_server_test;
#[cfg(test)]
mod stack_test;
#[cfg(test)]
mod supervisor_test;

pub use echo::Echo;
