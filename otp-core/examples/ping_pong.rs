//! Ping-pong: the runtime's own demo. `main` spawns `pong`, sends it three pings and then
//! "go"; `pong` waits for "go" first, while the pings wait in its mailbox, then answers each;
//! `main` takes the pongs last one first. Both sides use selective receive: a receive takes
//! the first message that one of its clauses matches, and leaves the others in order.
//! Tracing is on, so every spawn, send, receive and exit prints a line. Run it with
//! `cargo run -p otp-core --example ping_pong`, or draw it as a sequence diagram with
//! `OTP_TRACE=mermaid cargo run -p otp-core --example ping_pong`.
//! Elixir: `spawn_link/1`, `send/2`, `receive do ... after ... end`, `Process.monitor/1`

use std::time::Duration;

use otp_core::{Down, Pid, Process, receive, self_pid, send, spawn_link, trace};

const ROUNDS: u32 = 3;
/// Far longer than a round trip takes; only a bug would make either side wait this long.
const PATIENCE: Duration = Duration::from_secs(1);

/// Waits for "go", then answers `("ping", n, from)` with `("pong", n)` until told to stop.
fn pong() {
    // The pings that came before "go" stay in the mailbox, in order, for the loop below.
    receive! {
        "go": &str => {}
        after PATIENCE => panic!("pong: no go after {PATIENCE:?}"),
    }
    loop {
        receive! {
            ("ping", n, from): (&str, u32, Pid) => send(from, ("pong", n)),
            "stop": &str => break,
            after PATIENCE => panic!("pong: nobody pinged for {PATIENCE:?}"),
        }
    }
}

/// The game: spawn `pong`, play the rounds, stop it and wait until it is gone. The root
/// README's diagram is drawn from this function (otp-core/tests/readme_diagram.rs).
pub fn play() {
    // The calling thread becomes a process on its first otp-core call, as a test's does.
    let me = self_pid();
    let other = spawn_link(pong);
    trace::label(me, "ping");
    trace::label(other, "pong");
    println!("{me} started {other}");

    for n in 1..=ROUNDS {
        send(other, ("ping", n, me));
    }
    send(other, "go");
    // The last pong first: the others wait in the mailbox until their turn.
    for n in (1..=ROUNDS).rev() {
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

#[allow(dead_code)] // the README's test includes this file for `play` alone
fn main() {
    // Text lines unless OTP_TRACE asks for something else. Trace lines go to standard
    // error by default; one stream keeps them in order with the demo's own lines, even
    // through a pipe.
    if std::env::var_os("OTP_TRACE").is_none() {
        trace::set_writer(std::io::stdout());
        trace::enable();
    }
    play();
}
