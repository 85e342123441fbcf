//! The process limit: past it, spawn fails with system_limit and everything already
//! running carries on. Its own test binary: it changes a global setting.
//! Elixir: `spawn/1` raising `system_limit` past `+P`

use std::time::Duration;

use otp_core::{
    Down, Error, ExitReason, Pid, Process, assert_receive, process_count, receive, self_pid, send,
    set_process_limit, spawn, try_spawn, try_spawn_link, try_spawn_monitor,
};
use pretty_assertions::assert_eq;

const SLOW: Duration = Duration::from_secs(5);

#[test]
fn spawn_past_the_limit_fails_with_system_limit_and_the_rest_carries_on() {
    let me = self_pid();
    let echo = || {
        spawn(|| {
            loop {
                receive! {
                    reason: ExitReason => otp_core::exit(reason),
                    (msg, from): (&str, Pid) => send(from, msg),
                }
            }
        })
    };
    // This test's own process counts too.
    let running: Vec<Pid> = (0..4).map(|_| echo()).collect();
    set_process_limit(process_count());

    assert_eq!(try_spawn(|| ()), Err(Error::SystemLimit));
    assert_eq!(try_spawn_link(|| ()), Err(Error::SystemLimit));
    assert_eq!(try_spawn_monitor(|| ()), Err(Error::SystemLimit));
    let failure = std::thread::spawn(|| spawn(|| ()))
        .join()
        .expect_err("spawn panics");
    let msg = failure.downcast_ref::<String>().expect("a message");
    assert_eq!(
        msg,
        "spawn failed: system_limit: too many processes or OS threads"
    );

    // Everything already running still answers.
    for &pid in &running {
        send(pid, ("still up", me));
        assert_receive!("still up", SLOW);
    }

    // One ends; its place can be taken again.
    let reference = Process::monitor(running[0]);
    send(running[0], ExitReason::Normal);
    assert_receive!(Down { reference: r, .. }: Down if r == reference, SLOW);
    let replacement = try_spawn(|| ()).expect("a place is free again");
    assert_ne!(replacement, running[0]);

    set_process_limit(100_000);
    for &pid in &running[1..] {
        send(pid, ExitReason::Normal);
    }
}
