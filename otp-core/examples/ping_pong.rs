//! Ping-pong: the runtime's own demo. `main` pings a process it spawned, the process pongs
//! back, three times; tracing is on, so every spawn, send, receive and exit prints a line.
//! Run it with `cargo run -p otp-core --example ping_pong`.
//! Elixir: `spawn_link/1`, `send/2`, `receive do ... after ... end`, `Process.monitor/1`

use std::time::Duration;

use otp_core::{Down, Pid, Process, receive, self_pid, send, spawn_link, trace};

const ROUNDS: u32 = 3;
/// Far longer than a round trip takes; only a bug would make either side wait this long.
const PATIENCE: Duration = Duration::from_secs(1);

/// Answers `("ping", n, from)` with `("pong", n)` until told to stop.
fn pong() {
    loop {
        receive! {
            ("ping", n, from): (&str, u32, Pid) => send(from, ("pong", n)),
            "stop": &str => break,
            after PATIENCE => panic!("pong: nobody pinged for {PATIENCE:?}"),
        }
    }
}

fn main() {
    // Trace lines go to standard error by default; one stream keeps them in order with the
    // demo's own lines, even through a pipe.
    trace::set_writer(std::io::stdout());
    trace::enable();
    // `main` becomes a process on its first otp-core call, as a test's thread does.
    let me = self_pid();
    let other = spawn_link(pong);
    println!("{me} started {other}");

    for n in 1..=ROUNDS {
        send(other, ("ping", n, me));
        receive! {
            // Elixir: {:pong, ^n} -- the guard plays the pin.
            ("pong", m): (&str, u32) if m == n => println!("{me} got pong {m} from {other}"),
            after PATIENCE => panic!("no pong {n} after {PATIENCE:?}"),
        }
    }

    // Wait for `other` to be gone, so the trace ends with its exit.
    let watch = Process::monitor(other);
    send(other, "stop");
    receive! {
        Down { reference, reason, .. }: Down if reference == watch => {
            println!("{other} exited: {reason}");
        }
        after PATIENCE => panic!("{other} did not stop"),
    }
}
