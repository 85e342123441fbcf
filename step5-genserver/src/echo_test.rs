//! The workshop's tests of the echo process, then the tests of this chapter's exercise.
//! Elixir: `OTP.EchoTest` in `test/otp/echo_test.exs`

use std::time::{Duration, Instant};

use otp_core::{Down, Pid, Process, Ref, assert_receive, receive, self_pid};
use pretty_assertions::assert_eq;

use crate::echo::{Echo, SYNC_SEND_TIMEOUT, Timeout};

/// How long a test waits for a message that must come. ExUnit's 100 ms default is short on
/// a loaded machine, where the echo can wait that long for a CPU; a passing test waits only
/// as long as the message takes.
const RECEIVE_TIMEOUT: Duration = Duration::from_secs(1);

/// The idle timeout of the echo in every test but `timeout`. A busy machine can hold a test
/// back for longer than `LOOP_TIMEOUT` between two sends, and the echo would be gone before
/// the next message. It does not outlive its test: the link ends it with the test process.
const TEST_LOOP_TIMEOUT: Duration = Duration::from_secs(5);

// test "async echo"
#[test]
fn async_echo() {
    let pid = Echo::start_link_with_timeout(TEST_LOOP_TIMEOUT).unwrap();
    // BEGIN SOLUTION 4.1: fix the unit tests
    let reference = Echo::async_send(pid, "hello");
    assert_receive!((reference, "hello"), RECEIVE_TIMEOUT);
    let reference = Echo::async_send(pid, "hi");
    assert_receive!((reference, "hi"), RECEIVE_TIMEOUT);
    // STARTER 4.1
    // Echo::async_send(pid, "hello");
    // assert_receive!("hello", RECEIVE_TIMEOUT);
    // Echo::async_send(pid, "hi");
    // assert_receive!("hi", RECEIVE_TIMEOUT);
    // END SOLUTION 4.1
}

// test "timeout"
#[test]
fn timeout() {
    let pid = Echo::start_link().unwrap();
    // The workshop sleeps 50 ms, then asks whether the echo is alive; a busy machine may not
    // have run the echo's 10 ms by then. A monitor reports the exit whenever it happens.
    let monitor = Process::monitor(pid);
    assert_receive!(Down { reference, .. }: Down if reference == monitor, RECEIVE_TIMEOUT);
    assert!(!Process::alive(pid));
}

// test "sync echo"
#[test]
fn sync_echo() {
    let pid = Echo::start_link_with_timeout(TEST_LOOP_TIMEOUT).unwrap();
    assert_eq!(Ok("hello"), Echo::sync_send(pid, "hello"));
}

// test "sync send timeout"
#[test]
fn sync_send_timeout() {
    let pid = Echo::start_link_with_timeout(TEST_LOOP_TIMEOUT).unwrap();
    assert_eq!(Err(Timeout), Echo::sync_send(pid, "no_reply"));
}

// test "sync send timeout race condition"
#[test]
fn sync_send_timeout_race_condition() {
    let pid = Echo::start_link_with_timeout(TEST_LOOP_TIMEOUT).unwrap();
    // The test plays a third process whose message is waiting when the call begins. It
    // carries no ref of this call, so sync_send leaves it alone and times out.
    otp_core::send(self_pid(), "long_computation");
    assert_eq!(Err(Timeout), Echo::sync_send(pid, "no_reply"));
}

// Not a workshop test: the reply to an earlier request arrives first (the echo answers in
// order), and sync_send must not take it for its own.
#[test]
fn sync_send_skips_the_reply_to_an_earlier_request() {
    let pid = Echo::start_link_with_timeout(TEST_LOOP_TIMEOUT).unwrap();
    let earlier = Echo::async_send(pid, "hello");
    assert_eq!(Ok("hi"), Echo::sync_send(pid, "hi"));
    assert_receive!((earlier, "hello"), RECEIVE_TIMEOUT);
}

// Not a workshop test: the loop's "long_computation" clause answers, with the request's
// ref, only once a sync_send would have given up.
#[test]
fn long_computation_replies_after_the_sync_send_timeout() {
    let pid = Echo::start_link_with_timeout(TEST_LOOP_TIMEOUT).unwrap();
    let sent = Instant::now();
    let reference = Echo::async_send(pid, "long_computation");
    assert_receive!((reference, "long_computation"), RECEIVE_TIMEOUT);
    assert!(sent.elapsed() > SYNC_SEND_TIMEOUT);
}

// Not a workshop test, but the workshop's point: a sync_send that gave up leaves the reply
// that comes later in the caller's mailbox, where only its ref keeps it from being taken for
// the answer to the next request. The test plays an echo that answers when told to.
#[test]
fn a_sync_send_that_timed_out_leaves_the_late_reply_in_the_mailbox() {
    let me = self_pid();
    let slow_echo = otp_core::spawn_link(move || {
        let request = receive! { request: (Ref, Pid, &'static str) => request };
        receive! { "answer now": &str => () }
        let (reference, caller, msg) = request;
        otp_core::send(caller, (reference, msg));
        otp_core::send(me, "answered");
    });
    assert_eq!(Err(Timeout), Echo::sync_send(slow_echo, "hello"));
    otp_core::send(slow_echo, "answer now");
    assert_receive!("answered", RECEIVE_TIMEOUT);
    // Sent before "answered": already here, no waiting.
    assert_receive!((_, "hello"): (Ref, &'static str), Duration::ZERO);
}

// Not a workshop test: junk of any shape does not stop the echo from answering. Its receive
// steps over what no clause takes (and exercise 1.1 makes it drop that too).
#[test]
fn the_echo_still_answers_after_junk() {
    let pid = Echo::start_link_with_timeout(TEST_LOOP_TIMEOUT).unwrap();
    let me = self_pid();
    otp_core::send(pid, "hello");
    otp_core::send(pid, (42, me));
    // A `String` is not a `&'static str`: junk as well.
    otp_core::send(pid, (String::from("hello"), me));
    // BEGIN SOLUTION 4.1: fix the unit tests
    let reference = Echo::async_send(pid, "hi");
    assert_receive!((reference, "hi"), RECEIVE_TIMEOUT);
    // STARTER 4.1
    // Echo::async_send(pid, "hi");
    // assert_receive!("hi", RECEIVE_TIMEOUT);
    // END SOLUTION 4.1
}

// BEGIN EXERCISE 1.1
/// A message that tells `to` when it is dropped: from outside, the one way to see that the
/// echo threw it away instead of leaving it in its mailbox for ever.
#[derive(Debug)]
struct Probe {
    shape: &'static str,
    to: Pid,
}

impl Drop for Probe {
    fn drop(&mut self) {
        otp_core::send(self.to, ("dropped", self.shape));
    }
}

#[test]
fn exercise_1_1_junk_of_any_other_shape_is_dropped() {
    let pid = Echo::start_link_with_timeout(TEST_LOOP_TIMEOUT).unwrap();
    let me = self_pid();
    let probe = |shape| Probe { shape, to: me };
    otp_core::send(pid, probe("not a tuple"));
    otp_core::send(pid, ("hello", probe("no caller pid")));
    otp_core::send(pid, (probe("no atom"), me));
    otp_core::send(pid, ("hello", me, probe("three elements")));
    assert_receive!(("dropped", "not a tuple"), RECEIVE_TIMEOUT);
    assert_receive!(("dropped", "no caller pid"), RECEIVE_TIMEOUT);
    assert_receive!(("dropped", "no atom"), RECEIVE_TIMEOUT);
    assert_receive!(("dropped", "three elements"), RECEIVE_TIMEOUT);
}
// END EXERCISE 1.1
