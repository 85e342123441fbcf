//! Tests of our GenServer beyond the Stack: naming (section 4) and the failure cases of
//! exercise 5.1, with a callback module made to fail on demand.
//! Elixir: tests a learner writes for `lib/otp/gen_server.ex`

use std::time::{Duration, Instant};

use otp_core::{
    Down, Error, Exit, ExitReason, Pid, Process, Ref, assert_receive, receive, refute_receive,
    self_pid, send, spawn_monitor,
};
use pretty_assertions::assert_eq;

use crate::gen_server::{self, CALL_TIMEOUT, CallError, CallReply, CastReply, GenServer};
use crate::stack::Stack;

const SLOW: Duration = Duration::from_secs(5);

/// A server that does what it is told, including failing. Its state counts the calls.
struct Faulty;

impl GenServer for Faulty {
    type State = u32;
    type Call = &'static str;
    type Reply = u32;
    type Cast = &'static str;

    fn handle_call(msg: &'static str, from: gen_server::From, calls: u32) -> CallReply<u32, u32> {
        let calls = calls + 1;
        match msg {
            "count" => CallReply::Reply(calls, calls),
            "stop" => CallReply::Stop(ExitReason::Other("asked to stop".into()), calls, calls),
            "stop_silently" => {
                CallReply::StopNoReply(ExitReason::Other("asked to stop".into()), calls)
            }
            "panic" => panic!("handle_call panicked"),
            "later" => {
                // Answer after this callback has returned, from another process.
                std::thread::spawn(move || gen_server::reply(from, 42u32));
                CallReply::NoReply(calls)
            }
            "slow" => {
                // Answers only when the test says so: however loaded the machine, the
                // caller has given up by then.
                receive! { "go on": &str => () }
                CallReply::Reply(calls, calls)
            }
            "call_myself" => {
                let answer = gen_server::call::<Faulty>(self_pid(), "count");
                assert_eq!(answer, Err(CallError::CallingSelf));
                CallReply::Reply(0, calls)
            }
            other => panic!("unknown call {other}"),
        }
    }

    fn handle_cast(msg: &'static str, calls: u32) -> CastReply<u32> {
        match msg {
            "die_when_stopped" => {
                // Stands in for a server that fails while it stops: it takes the stop
                // request itself and ends with another reason.
                receive! { ("$stop", _asked): (&str, ExitReason) => () }
                CastReply::Stop(ExitReason::Other("failed to stop".into()), calls)
            }
            "stop" => CastReply::Stop(ExitReason::Shutdown, calls),
            "panic" => panic!("handle_cast panicked"),
            _ => CastReply::NoReply(calls),
        }
    }
}

fn down_reason(reference: Ref) -> ExitReason {
    assert_receive!(Down { reference: r, .. }: Down if r == reference, SLOW).reason
}

/// An unlinked Faulty server, so that its failures do not take the test down.
fn faulty() -> Pid {
    otp_core::set_crash_reports(false);
    gen_server::start::<Faulty>(0, None).unwrap()
}

#[test]
fn a_named_server_is_reached_by_name() {
    let pid = gen_server::start_link::<Stack>(vec![], Some("named_stack")).unwrap();
    assert_eq!(Process::whereis("named_stack"), Some(pid));
    gen_server::cast::<Stack>("named_stack", ("push", 7));
    assert_eq!(gen_server::call::<Stack>("named_stack", "pop"), Ok(Ok(7)));
}

#[test]
fn starting_with_a_taken_name_is_an_error_and_starts_no_process() {
    Process::trap_exit(true);
    let first = gen_server::start_link::<Stack>(vec![], Some("taken_stack")).unwrap();
    let second = gen_server::start_link::<Stack>(vec![], Some("taken_stack"));
    assert_eq!(
        second,
        Err(Error::NameTaken {
            name: "taken_stack".into(),
            owner: first
        })
    );
    // A started (linked) process would have left an Exit behind when it ended.
    refute_receive!(e: Exit, Duration::from_millis(20));
    assert_eq!(Process::whereis("taken_stack"), Some(first));
}

#[test]
fn starting_with_an_invalid_name_is_an_error_and_leaves_no_process() {
    Process::trap_exit(true);
    assert_eq!(
        gen_server::start_link::<Stack>(vec![], Some("")),
        Err(Error::InvalidName("".into()))
    );
    refute_receive!(e: Exit, Duration::from_millis(20));
}

#[test]
fn out_of_band_messages_are_dropped() {
    let pid = Stack::start_link(vec![1]).unwrap();
    send(pid, "junk");
    send(pid, ("$call", 42));
    send(pid, ("$cast", "not a push"));
    assert_eq!(Stack::pop(pid), Ok(Ok(1)));
    assert!(Process::alive(pid));
}

#[test]
fn a_cast_to_a_dead_or_unknown_server_still_returns() {
    let pid = faulty();
    gen_server::stop(pid, ExitReason::Normal).unwrap();
    gen_server::cast::<Faulty>(pid, "anything");
    gen_server::cast::<Faulty>("nobody_by_this_name", "anything");
}

#[test]
fn a_deferred_reply_reaches_the_caller() {
    let pid = faulty();
    assert_eq!(gen_server::call::<Faulty>(pid, "later"), Ok(42));
}

#[test]
fn stop_waits_until_the_server_is_gone() {
    let pid = faulty();
    assert_eq!(gen_server::stop(pid, ExitReason::Normal), Ok(()));
    assert!(!Process::alive(pid));
    assert_eq!(
        gen_server::stop(pid, ExitReason::Normal),
        Err(CallError::Noproc)
    );
}

#[test]
fn stop_answers_the_reason_of_a_server_that_ended_otherwise() {
    let pid = faulty();
    gen_server::cast::<Faulty>(pid, "die_when_stopped");
    assert_eq!(
        gen_server::stop(pid, ExitReason::Normal),
        Err(CallError::Exit(ExitReason::Other("failed to stop".into())))
    );
}

// Exercise 5.1: failure cases for handle_call/3 and handle_cast/2.

#[test]
fn exercise_5_1_call_stop_replies_then_exits_with_the_reason() {
    let pid = faulty();
    let watch = Process::monitor(pid);
    assert_eq!(gen_server::call::<Faulty>(pid, "stop"), Ok(1));
    assert_eq!(
        down_reason(watch),
        ExitReason::Other("asked to stop".into())
    );
}

#[test]
fn exercise_5_1_call_stop_without_reply_fails_the_call_with_the_reason() {
    let pid = faulty();
    assert_eq!(
        gen_server::call::<Faulty>(pid, "stop_silently"),
        Err(CallError::Exit(ExitReason::Other("asked to stop".into())))
    );
}

#[test]
fn exercise_5_1_a_panic_in_handle_call_fails_the_call_at_once() {
    let pid = faulty();
    let started = Instant::now();
    assert_eq!(
        gen_server::call::<Faulty>(pid, "panic"),
        Err(CallError::Exit(ExitReason::Panic(
            "handle_call panicked".into()
        )))
    );
    // The monitor ended the wait, not the five-second timeout.
    assert!(started.elapsed() < CALL_TIMEOUT / 2);
    assert!(!Process::alive(pid));
}

#[test]
fn exercise_5_1_cast_stop_ends_the_server_with_the_reason() {
    let pid = faulty();
    let watch = Process::monitor(pid);
    gen_server::cast::<Faulty>(pid, "stop");
    assert_eq!(down_reason(watch), ExitReason::Shutdown);
}

#[test]
fn exercise_5_1_a_panic_in_handle_cast_crashes_the_server() {
    let pid = faulty();
    let watch = Process::monitor(pid);
    gen_server::cast::<Faulty>(pid, "panic");
    assert_eq!(
        down_reason(watch),
        ExitReason::Panic("handle_cast panicked".into())
    );
}

#[test]
fn exercise_5_1_a_linked_caller_sees_the_exit() {
    otp_core::set_crash_reports(false);
    Process::trap_exit(true);
    let pid = gen_server::start_link::<Faulty>(0, None).unwrap();
    gen_server::cast::<Faulty>(pid, "panic");
    let exit = assert_receive!(Exit { from, .. }: Exit if from == pid, SLOW);
    assert_eq!(
        exit.reason,
        ExitReason::Panic("handle_cast panicked".into())
    );
}

#[test]
fn exercise_5_1_a_linked_caller_that_does_not_trap_dies_with_the_server() {
    otp_core::set_crash_reports(false);
    let (caller, watch) = spawn_monitor(|| {
        let pid = gen_server::start_link::<Faulty>(0, None).unwrap();
        let _ = gen_server::call::<Faulty>(pid, "panic");
        unreachable!("the server's crash ends this process first");
    });
    let reason = down_reason(watch);
    assert_eq!(reason, ExitReason::Panic("handle_call panicked".into()));
    assert!(!Process::alive(caller));
}

#[test]
fn exercise_5_1_a_call_to_a_dead_server_fails_at_once() {
    let pid = faulty();
    gen_server::stop(pid, ExitReason::Normal).unwrap();
    let started = Instant::now();
    assert_eq!(
        gen_server::call::<Faulty>(pid, "count"),
        Err(CallError::Noproc)
    );
    assert_eq!(
        gen_server::call::<Faulty>("no_such_server", "count"),
        Err(CallError::Noproc)
    );
    assert!(started.elapsed() < CALL_TIMEOUT / 2);
}

#[test]
fn exercise_5_1_a_call_that_times_out_leaves_no_late_reply() {
    let pid = faulty();
    let result = gen_server::call_timeout::<Faulty>(pid, "slow", Duration::from_millis(1));
    assert_eq!(result, Err(CallError::Timeout));
    send(pid, "go on");
    // The next call is answered after the slow one: by then its late reply was sent.
    assert_eq!(gen_server::call::<Faulty>(pid, "count"), Ok(2));
    refute_receive!(late: (Ref, u32), Duration::from_millis(20));
}

#[test]
fn exercise_5_1_a_server_that_calls_itself_gets_an_error_not_a_hang() {
    let pid = faulty();
    assert_eq!(gen_server::call::<Faulty>(pid, "call_myself"), Ok(0));
}
