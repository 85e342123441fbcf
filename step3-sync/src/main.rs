//! Demo of step 3: `sync_send` returns the echo's reply, gives up after SYNC_SEND_TIMEOUT
//! on a message the echo never answers, and takes a stray message for a reply: the race
//! that step 4 fixes. Run it with `cargo run -p step3-sync`; the trace lines (on standard
//! error) show each message move.
//! Elixir: `Echo.sync_send(pid, :hello)`, `Echo.sync_send(pid, :no_reply)`

use std::time::{Duration, Instant};

use otp_core::self_pid;
use step3_sync::echo::{Echo, SYNC_SEND_TIMEOUT};

/// The demo's echo idles out after 5 s, not the workshop's 10 ms: on a busy machine 10 ms can
/// pass between two lines of this demo, and what it prints must not depend on that.
const DEMO_LOOP_TIMEOUT: Duration = Duration::from_secs(5);

fn main() {
    otp_core::trace::enable();
    let pid = Echo::start_link_with_timeout(DEMO_LOOP_TIMEOUT).expect("start the echo");
    println!("sync_send(\"hello\") = {:?}", Echo::sync_send(pid, "hello"));

    let started = Instant::now();
    let result = Echo::sync_send(pid, "no_reply");
    let waited = started.elapsed() >= SYNC_SEND_TIMEOUT;
    println!(
        "sync_send(\"no_reply\") = {result:?}, once SYNC_SEND_TIMEOUT ({SYNC_SEND_TIMEOUT:?}) had passed: {waited}"
    );

    // A message from someone else, already waiting in our mailbox when the call begins.
    otp_core::send(self_pid(), "long_computation");
    let result = Echo::sync_send(pid, "no_reply");
    println!("sync_send(\"no_reply\") with a stray message waiting = {result:?}");
}
