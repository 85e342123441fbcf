//! # otp-core: the runtime Elixir gives for free
//!
//! The workshop *Build your own small scale OTP* builds `Echo`, `GenServer` and
//! `Supervisor` on top of what the BEAM provides: processes, mailboxes with selective
//! receive and timeouts, refs, links, exit trapping and a registry of names. This crate is
//! that part, on OS threads, so that the step crates can build the rest as the workshop does.
//!
//! | Elixir | otp-core |
//! |---|---|
//! | `spawn(fn -> ... end)`, `spawn_link/1` | [`spawn`], [`spawn_link`]; [`try_spawn`], [`try_spawn_link`] return the error where Elixir raises |
//! | `send(pid, msg)` | [`send`] |
//! | `self()` | [`self_pid`] |
//! | `receive do ... after 10 -> ... end` | [`receive!`] |
//! | `receive do {^ref, msg} -> msg end` | `receive! { (r, msg): (Ref, &str) if r == reference => msg }`: the pin is a guard |
//! | `make_ref()` | [`make_ref`] |
//! | `ref = make_ref()`, then a receive of `{^ref, ...}`: the BEAM skips what came before the ref | `receive! { since reference; ... }` |
//! | `Process.alias()`, `Process.unalias/1` | [`Process::alias`], [`Process::unalias`]; [`send`] takes an alias as a [`Dest`] |
//! | `exit(reason)` | [`exit()`] |
//! | `Process.alive?/1`, `sleep/1`, `register/2`, `link/1`, `exit/2`, `monitor/1` | [`Process`] |
//! | `Process.flag(:trap_exit, true)` | [`Process::trap_exit`] |
//! | `{:EXIT, pid, reason}`, `{:DOWN, ref, :process, pid, reason}` | [`Exit`], [`Down`] |
//! | `assert_receive`, `refute_receive` | [`assert_receive!`], [`refute_receive!`]; a failure lists the mailbox with each message's type |
//! | `:dbg.p(:all, [:m, :procs])`, `:et`'s sequence charts | [`trace`]: `OTP_TRACE=1` prints lines, `OTP_TRACE=mermaid` and [`trace::diagram`] draw diagrams |
//! | `Process.set_label/1` | [`trace::label`] |
//!
//! ```
//! use otp_core::{receive, send, self_pid, spawn_link, Pid};
//!
//! // An echo process: it sends every message back to whoever sent it.
//! let echo = spawn_link(|| loop {
//!     receive! {
//!         (msg, caller): (&str, Pid) => send(caller, msg),
//!     }
//! });
//! send(echo, ("hello", self_pid()));
//! receive! {
//!     reply: &str => assert_eq!(reply, "hello"),
//! }
//! ```
//!
//! ## Threads are not BEAM processes
//!
//! Each process is an OS thread (reused from a pool once its process ends). A thread cannot
//! be stopped from outside: a process killed by another is dead for everyone at once (not
//! alive, links and monitors fired, name free, anything it sends afterwards dropped), and its
//! thread stops at its next otp-core call. A process busy in a long computation that never
//! calls otp-core runs on until it does. There is no preemption, and the number of processes
//! is bounded by the threads the machine allows ([`process_limit`], which counts the threads
//! of killed processes until they stop).
//!
//! Threads are reused: a process that ends leaves its OS thread parked for the next one.
//! Nothing of the process carries over (identity, mailbox, links, monitors, name, trap flag
//! all belong to the process), but the thread's own `thread_local!` values do: a process
//! must not count on them being fresh.
//!
//! A thread that otp-core did not start (a `#[test]`, `main`) becomes a process on its first
//! otp-core call; when the thread ends, its process exits with reason shutdown, taking linked
//! processes with it, as ExUnit ends a test's process.
//!
//! ## How a process ends, and what that means for its values
//!
//! - **It returns** from its function: exit reason normal. Its values are dropped in ordinary
//!   code, so a `Drop` that panics there is only that process's crash.
//! - **It panics**: the panic's message is its reason. Its stack unwinds to the top.
//! - **It calls [`exit()`]**: that reason, and its stack unwinds to the top, as for a panic
//!   (without a crash report).
//! - **Another process ends it** with an exit signal ([`Process::exit`], or the death of a
//!   linked process while it does not trap exits): it is dead at once, and its stack unwinds
//!   at its next otp-core call, since a thread cannot be stopped from outside.
//!
//! While a stack unwinds, Rust drops every value on it, and a `Drop` that panics then aborts
//! the whole program: no process can catch that. So a process that ends on purpose and holds
//! values whose `Drop` can panic ends by returning, or drops them before it calls `exit`.
//! The README lists everything that can still take the whole program down.
//!
//! After the process has died and its links and monitors have been told, the messages left
//! in its mailbox are dropped, one at a time; a `Drop` that panics is reported in one line,
//! as a crash is, and the next message is dropped all the same. So is a message sent to a
//! dead pid, an inactive alias or a name that no process has: the sender never notices.

#![deny(missing_docs)]

// The modules in the order to read them, in layers: each module uses only modules listed
// before it, so each can be read knowing only what came before (`scripts/module-layers`
// checks it).

// 1. Values: what processes are and what they pass around, and two helpers every layer
//    borrows. No state of the runtime.
mod padded; // a value alone on its cache lines, away from false sharing
mod lock; // a Mutex lock that ignores poisoning
mod pid; // Pid: who a process is
mod reference; // Ref: unique in the running program, and the numbers refs are made of
mod exit; // ExitReason, the Exit and Down messages, what an exit signal does to a process
mod error; // Error: what otp-core returns where Erlang raises

// 2. Reports and messages: what the runtime writes down (trace events, crash reports), and
//    what processes send, whose Drop it reports when nobody receives them.
mod tracer; // every spawn, send, receive, signal and exit, as text lines or diagrams
mod crash; // a panic becomes an exit reason and a one-line report
mod message; // Message, AnyMessage, and the Envelope a process's channel carries

// 3. Threads: how many processes there may be, and the OS threads that run them.
mod system; // the process limit, and the count of live processes
mod maps; // room in the kernel for one more thread, checked before one is started
mod wait; // how a thread waits on a channel: look, spin, then sleep
mod pool; // parked threads that run one process after another

// 4. Between processes: what every process can see of the others, and the signals.
mod table; // the process table: each process's entry (channel, links, monitors, name)
mod registry; // names: register, whereis, registered
mod alias; // the table of aliases
mod signal; // links, exit signals, monitors, and death

// 5. The process on this thread: what only its own thread touches.
mod queue; // its saved messages, their numbers, its receive marks
mod current; // its context, a thread becoming a process, a pooled thread running one
#[doc(hidden)]
pub mod mailbox; // selective receive: the function `receive!` expands to

// 6. What Elixir imports: the functions and the Process module a program calls.
mod kernel; // spawn, send, self_pid, make_ref, exit
mod process; // Process: alive, sleep, register, link, exit, monitor, trap_exit, alias
pub mod trace; // tracing on and off, diagrams, labels and notes

// 7. Macros and test assertions.
mod receive; // receive!
mod readme; // a README's diagram, kept equal to what the code draws
pub mod testing; // assert_receive!, refute_receive!, mailbox_report

pub use crash::set_crash_reports;
pub use error::Error;
pub use exit::{Down, Exit, ExitReason};
pub use kernel::{
    Dest, exit, make_ref, self_pid, send, spawn, spawn_link, spawn_monitor, try_send, try_spawn,
    try_spawn_link, try_spawn_monitor,
};
#[doc(hidden)]
pub use message::{__take, __unbox};
pub use message::{AnyMessage, Message};
pub use pid::Pid;
pub use pool::{parked_threads, pool_threads};
pub use process::Process;
pub use reference::Ref;
pub use system::{process_count, process_limit, set_process_limit};
