//! Watch messages move: every spawn, link, send, receive, exit signal, exit and Down, as
//! text lines or as a sequence diagram. Off by default and one relaxed atomic load when off.
//! Elixir: `:sys.trace/2`, `:dbg.p(pid, [:m, :procs])`, `:et` for diagrams · OTP: erlang:trace/3
//!
//! `OTP_TRACE=1` (or [`enable`]) prints one line per event; in a test binary each line
//! starts with the name of the test whose process it is:
//!
//! ```text
//! [echo_test::sync_echo] <0.101.0> spawn_link <0.102.0>
//! [echo_test::sync_echo] <0.101.0> ! <0.102.0> ("hello", <0.101.0>)
//! [echo_test::sync_echo] <0.102.0> << ("hello", <0.101.0>)
//! [echo_test::sync_echo] <0.102.0> ! <0.101.0> "hello"
//! ```
//!
//! `OTP_TRACE=mermaid` draws the same events as a Mermaid `sequenceDiagram`, one per test
//! (a test's process and every process it started), written on standard error when the test
//! ends; `OTP_TRACE=mermaid:trace.md` appends them to a file instead (relative paths start
//! where the program runs: `cargo test` runs a crate's tests in the crate's folder). In
//! code, [`diagram`] runs a scenario and returns its diagram, and [`note`] adds a remark.
//! GitHub, GitLab and most Markdown previews draw a ```` ```mermaid ```` block as a picture.
//!
//! What a diagram shows: one lifeline per process, named by its [`label`], else its
//! registered name, else its pid (a test's own process is `test`, and `main` is `main`);
//! an arrow per message, numbered, with the message's `Debug` text (long ones cut, saying
//! how much was cut); a crossed dotted arrow per exit signal, a dotted arrow per `Down`;
//! notes for spawns, links, monitors, timeouts, sleeps, exits and crashes. A message taken
//! later than it arrived (its process did something else first, or took a newer message
//! first) gets a note where it is taken: "takes 3, which waited in the mailbox", "2 stays
//! in the mailbox". Pids and refs are numbered in the order they appear (`<0.1.0>`,
//! `#Ref<1>`), so the same program draws the same text. A diagram stops after 150 events,
//! with a note saying how many were left out.

// The controls are defined with the tracer (tracer.rs), which every layer of the runtime
// reports to; `note` is defined here, as it asks which process calls it.
pub use crate::tracer::{diagram, disable, enable, enabled, label, reset_writer, set_writer};

/// Puts `text` in the trace as a remark of the calling process: a line in text traces, a
/// note over its lifeline in a diagram (say what a call returned, where the story needs
/// it). Only while tracing is on.
///
/// Elixir: `:et.trace_me/5` puts an event of the program's own in the trace for
/// `:et_viewer`.
pub fn note(text: &str) {
    if enabled() {
        crate::tracer::note(crate::self_pid(), text);
    }
}
