//! Demo of step 4: `sync_send` returns the echo's reply, gives up after SYNC_SEND_TIMEOUT
//! on a message the echo never answers, and no longer takes a stray message for a reply:
//! only a reply tagged with its own ref will do. Run it with `cargo run -p step4-refs`; the
//! trace lines (on standard error) show each message move, refs included.
//! Elixir: `Echo.sync_send(pid, :hello)`, `Echo.sync_send(pid, :no_reply)`

use std::time::{Duration, Instant};

use otp_core::{receive, self_pid};
use step4_refs::Echo;

fn main() {
    otp_core::trace::enable();
    let pid = Echo::start_link().expect("start the echo");
    println!("sync_send(\"hello\") = {:?}", Echo::sync_send(pid, "hello"));

    let started = Instant::now();
    let result = Echo::sync_send(pid, "no_reply");
    println!(
        "sync_send(\"no_reply\") = {result:?} after {:?}",
        started.elapsed()
    );

    // A new echo (the first one has idled out by now), and a message from someone else
    // already waiting in our mailbox when the call begins.
    let pid = Echo::start_link().expect("start the echo");
    otp_core::send(self_pid(), "long_computation");
    let result = Echo::sync_send(pid, "no_reply");
    println!("sync_send(\"no_reply\") with a stray message waiting = {result:?}");
    let stray = receive! {
        msg: &'static str => msg,
        after Duration::ZERO => "(nothing)",
    };
    println!("the stray message is still in the mailbox: {stray:?}");
}
