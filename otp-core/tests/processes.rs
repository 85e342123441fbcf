//! Processes: spawn, self, send, exit reasons, and what a dead process can no longer do.
//! Elixir: `spawn/1`, `send/2`, `self/0`, `exit/1`, `Process.alive?/1`, `Process.sleep/1`

use std::time::Duration;

use otp_core::{
    Down, ExitReason, Pid, Process, assert_receive, exit, receive, refute_receive, self_pid, send,
    spawn, spawn_monitor,
};
use pretty_assertions::assert_eq;

/// Long enough for anything that must happen on a loaded machine.
const SLOW: Duration = Duration::from_secs(5);

/// Waits for the `Down` of a monitor and returns its reason.
fn down_reason(pid: Pid, reference: otp_core::Ref) -> ExitReason {
    let down = assert_receive!(Down { reference: r, .. }: Down if r == reference, SLOW);
    assert_eq!(down.pid, pid);
    down.reason
}

#[test]
fn pid_prints_like_the_beam() {
    let pid = self_pid();
    assert_eq!(pid.to_string(), format!("<0.{}.0>", pid.id()));
    assert_eq!(format!("{pid:?}"), pid.to_string());
}

#[test]
fn a_test_thread_is_a_process_with_its_own_mailbox() {
    let me = self_pid();
    assert!(Process::alive(me));
    assert_eq!(self_pid(), me);
    send(me, "to myself");
    assert_receive!("to myself");
}

#[test]
fn a_process_knows_its_parent_and_a_test_thread_has_none() {
    let me = self_pid();
    assert_eq!(Process::parent(), None);
    let child = spawn(move || {
        send(me, ("parent", Process::parent()));
        spawn(move || send(me, ("grandparent?", Process::parent())));
    });
    assert_receive!(("parent", Some(me)), SLOW);
    assert_receive!(("grandparent?", Some(child)), SLOW);
}

#[test]
fn spawned_processes_get_distinct_pids() {
    let me = self_pid();
    let a = spawn(move || send(me, self_pid()));
    let b = spawn(move || send(me, self_pid()));
    assert_ne!(a, b);
    let first = assert_receive!(p: Pid, SLOW);
    let second = assert_receive!(p: Pid, SLOW);
    let mut seen = vec![first, second];
    seen.sort();
    let mut expected = vec![a, b];
    expected.sort();
    assert_eq!(seen, expected);
}

#[test]
fn returning_from_the_function_is_a_normal_exit() {
    let (pid, reference) = spawn_monitor(|| ());
    assert_eq!(down_reason(pid, reference), ExitReason::Normal);
    assert!(!Process::alive(pid));
}

#[test]
fn a_panic_ends_that_process_only_with_its_message_as_reason() {
    otp_core::set_crash_reports(false);
    let (pid, reference) = spawn_monitor(|| panic!("boom"));
    assert_eq!(
        down_reason(pid, reference),
        ExitReason::Panic("boom".into())
    );
    // The runtime goes on: the caller still sends and receives.
    send(self_pid(), "still here");
    assert_receive!("still here");
}

#[test]
fn exit_ends_the_process_with_that_reason() {
    let (pid, reference) = spawn_monitor(|| exit("bored"));
    assert_eq!(
        down_reason(pid, reference),
        ExitReason::Other("bored".into())
    );
    let (pid, reference) = spawn_monitor(|| exit(ExitReason::Shutdown));
    assert_eq!(down_reason(pid, reference), ExitReason::Shutdown);
}

#[test]
fn messages_from_one_process_arrive_in_the_order_sent() {
    let me = self_pid();
    spawn(move || {
        for i in 0..1000u32 {
            send(me, i);
        }
    });
    for i in 0..1000u32 {
        assert_receive!(i, SLOW);
    }
}

#[test]
fn send_to_a_dead_pid_is_dropped_without_error() {
    let (pid, reference) = spawn_monitor(|| ());
    down_reason(pid, reference);
    send(pid, "anyone there?");
    assert_eq!(otp_core::try_send(pid, "anyone there?"), Ok(()));
}

#[test]
fn sleep_leaves_the_mailbox_as_it_was() {
    send(self_pid(), 1u8);
    send(self_pid(), 2u8);
    Process::sleep(Duration::from_millis(5));
    assert_receive!(1u8);
    assert_receive!(2u8);
}

#[test]
fn a_killed_process_blocked_in_receive_stops() {
    let (pid, reference) = spawn_monitor(|| {
        receive! { _never: () => () }
    });
    Process::exit(pid, ExitReason::Kill);
    // Dead for everyone at once, before its thread has even woken up.
    assert!(!Process::alive(pid));
    assert_eq!(down_reason(pid, reference), ExitReason::Killed);
}

#[test]
fn a_killed_process_sends_nothing_more() {
    let me = self_pid();
    let (pid, reference) = spawn_monitor(move || {
        loop {
            // Busy, never blocked: only its next otp-core call can stop it.
            send(me, "tick");
        }
    });
    assert_receive!("tick", SLOW);
    Process::exit(pid, ExitReason::Kill);
    // Read the mailbox in arrival order: every tick came before the Down, none after it.
    let reason = loop {
        receive! {
            "tick": &str => continue,
            Down { reference: r, reason, .. }: Down if r == reference => break reason,
            after SLOW => panic!("no Down"),
        }
    };
    assert_eq!(reason, ExitReason::Killed);
    refute_receive!("tick", Duration::from_millis(20));
}

#[test]
fn a_killed_test_process_fails_its_test_with_the_reason() {
    let thread = std::thread::spawn(|| {
        let me = self_pid();
        Process::exit(me, ExitReason::Kill);
        self_pid(); // the next otp-core call stops the thread
    });
    let err = thread.join().expect_err("the thread must stop");
    let msg = err.downcast_ref::<String>().expect("a panic message");
    assert!(msg.contains("exited: killed"), "{msg}");
}
