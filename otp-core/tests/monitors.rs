//! Monitors: one-way, a `Down` message when the watched process ends.
//! Elixir: `Process.monitor/1`, `Process.demonitor/2`, `{:DOWN, ref, :process, pid, reason}`

use std::time::Duration;

use otp_core::{
    Down, ExitReason, Process, assert_receive, receive, refute_receive, self_pid, send, spawn,
    spawn_monitor,
};
use pretty_assertions::assert_eq;

const SLOW: Duration = Duration::from_secs(5);

fn waiting() -> otp_core::Pid {
    spawn(|| receive! { reason: ExitReason => otp_core::exit(reason) })
}

#[test]
fn monitor_delivers_down_with_the_reason() {
    let pid = waiting();
    let reference = Process::monitor(pid);
    send(pid, ExitReason::Shutdown);
    let down = assert_receive!(d: Down, SLOW);
    assert_eq!(
        down,
        Down {
            reference,
            pid,
            reason: ExitReason::Shutdown
        }
    );
}

#[test]
fn monitor_of_a_dead_pid_gives_noproc_at_once() {
    let (pid, first) = spawn_monitor(|| ());
    assert_receive!(Down { reference, .. }: Down if reference == first, SLOW);
    let reference = Process::monitor(pid);
    let down = assert_receive!(d: Down, Duration::ZERO);
    assert_eq!(
        down,
        Down {
            reference,
            pid,
            reason: ExitReason::Noproc
        }
    );
}

#[test]
fn a_monitor_is_one_way() {
    // The watched process ending abnormally does not end the watcher.
    let pid = waiting();
    let reference = Process::monitor(pid);
    send(pid, ExitReason::Other("crash".into()));
    assert_receive!(Down { reference: r, .. }: Down if r == reference, SLOW);
    assert!(Process::alive(self_pid()));
}

#[test]
fn demonitor_means_no_down() {
    let pid = waiting();
    let reference = Process::monitor(pid);
    assert!(Process::demonitor(reference));
    send(pid, ExitReason::Normal);
    let watch = Process::monitor(pid);
    assert_receive!(Down { reference: r, .. }: Down if r == watch, SLOW);
    refute_receive!(Down { reference: r, .. }: Down if r == reference, Duration::from_millis(10));
    assert!(!Process::demonitor(reference));
}

#[test]
fn demonitor_flush_removes_a_down_already_delivered() {
    let (pid, reference) = spawn_monitor(|| receive! { "go": &str => () });
    // Wait for the end through a second monitor, made while it is surely alive: a death
    // sends its Downs in the order the monitors were made, so the first is queued by then.
    let second = Process::monitor(pid);
    send(pid, "go");
    assert_receive!(Down { reference: r, .. }: Down if r == second, SLOW);
    Process::demonitor_flush(reference);
    refute_receive!(Down { reference: r, .. }: Down if r == reference, Duration::from_millis(10));
}

#[test]
fn two_monitors_give_two_downs() {
    let pid = waiting();
    let a = Process::monitor(pid);
    let b = Process::monitor(pid);
    assert_ne!(a, b);
    send(pid, ExitReason::Normal);
    assert_receive!(Down { reference, .. }: Down if reference == a, SLOW);
    assert_receive!(Down { reference, .. }: Down if reference == b, SLOW);
}
