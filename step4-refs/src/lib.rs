//! The learner's project for the workshop's "Message passing" chapter: the `Echo` process
//! and its tests, built on otp-core as the workshop builds it on Elixir.
//! Elixir: `lib/otp/echo.ex`, `test/otp/echo_test.exs` · OTP: a bare receive loop

pub mod echo;

#[cfg(test)]
mod echo_test;

pub use echo::Echo;
