//! Demo of step 2: an echo process answers, then exits normally once it has nothing to do.
//! Run it with `cargo run -p step2-timeout`; the trace lines (on standard error) show each
//! message move and the exit.
//! Elixir: `{:ok, pid} = Echo.start_link(); Process.sleep(50); Process.alive?(pid)`

use std::time::{Duration, Instant};

use otp_core::{Down, Process, receive};
use step2_timeout::echo::{Echo, LOOP_TIMEOUT};

fn main() {
    otp_core::trace::enable();
    let pid = Echo::start_link().expect("start the echo");
    // A monitor tells us when the echo gives up, however late we look: set before anything
    // else, so that even a machine too busy to run this demo for 10 ms sees reason normal.
    let monitor = Process::monitor(pid);
    let last_sent = Instant::now();
    Echo::send(pid, "hello");
    let reply = receive! {
        reply: &'static str => reply,
        after Duration::from_secs(1) => "(no reply)",
    };
    println!("sent \"hello\", the echo answered {reply:?}");
    // From now on the echo has nothing to do.
    let reason = receive! {
        Down { reference, reason, .. }: Down if reference == monitor => reason.to_string(),
        after Duration::from_secs(1) => "(still alive)".to_string(),
    };
    let idled = last_sent.elapsed() >= LOOP_TIMEOUT;
    println!(
        "the echo exited with reason {reason}, LOOP_TIMEOUT ({LOOP_TIMEOUT:?}) or more after its last message: {idled}; alive? {}",
        Process::alive(pid)
    );
}
