//! Demo of step 3: `sync_send` returns the echo's reply, gives up after SYNC_SEND_TIMEOUT
//! on a message the echo never answers, and takes a stray message for a reply: the race
//! that step 4 fixes. Run it with `cargo run -p step3-sync`; the trace lines (on standard
//! error) show each message move.
//! Elixir: `Echo.sync_send(pid, :hello)`, `Echo.sync_send(pid, :no_reply)`

use std::time::Instant;

use otp_core::self_pid;
use step3_sync::Echo;

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
}
