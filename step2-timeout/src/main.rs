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
    Echo::send(pid, "hello");
    let reply = receive! {
        reply: &'static str => reply,
        after Duration::from_secs(1) => "(no reply)",
    };
    println!("sent \"hello\", the echo answered {reply:?}");
    // From now on the echo has nothing to do; a monitor tells us when it gives up.
    let idle_since = Instant::now();
    let monitor = Process::monitor(pid);
    let reason = receive! {
        Down { reference, reason, .. }: Down if reference == monitor => reason.to_string(),
        after Duration::from_secs(1) => "(still alive)".to_string(),
    };
    println!(
        "idle for {:?} (LOOP_TIMEOUT is {LOOP_TIMEOUT:?}): the echo exited with reason {reason}, alive? {}",
        idle_since.elapsed(),
        Process::alive(pid)
    );
}
