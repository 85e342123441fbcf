//! Demo of step 1: an echo process answers two messages and drops junk.
//! Run it with `cargo run -p step1-echo`; the trace lines (on standard error) show each
//! message move.
//! Elixir: `{:ok, pid} = Echo.start_link(); Echo.send(pid, :hello); flush()`

use std::time::Duration;

use otp_core::{receive, self_pid};
use step1_echo::Echo;

fn main() {
    otp_core::trace::enable();
    let pid = Echo::start_link().expect("start the echo");
    for msg in ["hello", "hi"] {
        Echo::send(pid, msg);
        let reply = receive! {
            reply: &'static str => reply,
            after Duration::from_secs(1) => "(no reply)",
        };
        println!("sent {msg:?}, the echo answered {reply:?}");
    }
    // Not a `{msg, caller}` pair: the echo takes it off its mailbox and drops it.
    otp_core::send(pid, (42, self_pid()));
    Echo::send(pid, "still there?");
    let reply = receive! {
        reply: &'static str => reply,
        after Duration::from_secs(1) => "(no reply)",
    };
    println!("after junk, the echo answered {reply:?}");
}
