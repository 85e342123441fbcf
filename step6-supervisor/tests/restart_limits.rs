// BEGIN EXERCISE 6.1
//! A restart that cannot spawn (the process limit) is tried again, counting towards the
//! restart intensity: the child comes back once it can, and a supervisor that never can
//! shuts down instead of leaving the child down for good.
//! Its own test binary: it changes the process limit, a global setting.
//! (It uses exercise 6.2's `start_with` and 6.5's `which_children` too.)
//! Elixir: OTP supervisor's `try_again_restart`

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use otp_core::{
    Down, ExitReason, Pid, Process, assert_receive, process_limit, receive, self_pid, send,
    set_process_limit,
};
use pretty_assertions::assert_eq;
use step6_supervisor::supervisor::{self, Options};

const SLOW: Duration = Duration::from_secs(5);

/// The tests below share the process limit: one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

/// Lowers the process limit to room for this test's process and the supervisor only, so
/// no child can start; the old limit comes back when it is dropped, even on a failure.
struct NoRoom(usize);

impl NoRoom {
    fn new() -> NoRoom {
        let old = process_limit();
        set_process_limit(2);
        NoRoom(old)
    }
}

impl Drop for NoRoom {
    fn drop(&mut self) {
        set_process_limit(self.0);
    }
}

/// Tells `observer` it started, then waits to be told to exit.
fn worker(observer: Pid) {
    send(observer, ("started", self_pid()));
    receive! { reason: ExitReason => otp_core::exit(reason) }
}

fn started() -> Pid {
    assert_receive!(("started", _): (&str, Pid), SLOW).1
}

// BEGIN EXERCISE 6.4
// BEGIN EXERCISE 6.5
#[test]
fn a_restart_that_fails_is_tried_again_until_it_succeeds() {
    let _serial = SERIAL.lock().unwrap_or_else(PoisonError::into_inner);
    let options = Options {
        // Enough retries for however long the retries below take.
        max_restarts: usize::MAX,
        ..Options::default()
    };
    let sup = supervisor::start_with("sup_try_again", options).unwrap();
    let first = supervisor::start_child(sup, worker, self_pid()).unwrap();
    assert_eq!(started(), first);

    let no_room = NoRoom::new();
    send(first, ExitReason::Other("crash".into()));
    // Wait (on the supervisor's own answers, not a clock) until it has seen the exit: the
    // child is then down, and stays down while every try fails.
    while supervisor::which_children(sup).unwrap()[0].pid.is_some() {}
    drop(no_room);

    let again = started();
    assert_ne!(again, first);
    assert_eq!(supervisor::which_children(sup).unwrap()[0].pid, Some(again));
    supervisor::stop(sup).unwrap();
}
// END EXERCISE 6.5
// END EXERCISE 6.4

#[test]
fn a_restart_that_keeps_failing_ends_in_shutdown() {
    let _serial = SERIAL.lock().unwrap_or_else(PoisonError::into_inner);
    let sup = supervisor::start("sup_cannot_restart").unwrap();
    let watch = Process::monitor(sup);
    let child = supervisor::start_child(sup, worker, self_pid()).unwrap();
    assert_eq!(started(), child);

    let _no_room = NoRoom::new();
    send(child, ExitReason::Other("crash".into()));
    let down = assert_receive!(Down { reference, .. }: Down if reference == watch, SLOW);
    assert_eq!(down.reason, ExitReason::Shutdown);
}

// BEGIN EXERCISE 6.4
// BEGIN EXERCISE 6.5
#[test]
fn stopping_a_supervisor_while_a_restart_waits_to_be_tried_again_leaves_nothing() {
    let _serial = SERIAL.lock().unwrap_or_else(PoisonError::into_inner);
    let options = Options {
        max_restarts: usize::MAX,
        ..Options::default()
    };
    let sup = supervisor::start_with("sup_stop_while_restarting", options).unwrap();
    let child = supervisor::start_child(sup, worker, self_pid()).unwrap();
    assert_eq!(started(), child);

    let no_room = NoRoom::new();
    send(child, ExitReason::Other("crash".into()));
    while supervisor::which_children(sup).unwrap()[0].pid.is_some() {}
    // The child is down and its restart keeps failing: stop the supervisor meanwhile.
    assert_eq!(supervisor::stop(sup), Ok(()));
    drop(no_room);
    assert!(!Process::alive(sup));
    otp_core::refute_receive!(("started", _): (&str, Pid), Duration::from_millis(20));
}
// END EXERCISE 6.5
// END EXERCISE 6.4
// END EXERCISE 6.1
