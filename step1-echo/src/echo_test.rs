//! The workshop's tests of the echo process, then the tests of this chapter's exercise.
//! Elixir: `OTP.EchoTest` in `test/otp/echo_test.exs`

use std::time::Duration;

use otp_core::{assert_receive, self_pid};

use crate::echo::Echo;

/// How long a test waits for a message that must come. ExUnit's 100 ms default is short on
/// a loaded machine, where the echo can wait that long for a CPU; a passing test waits only
/// as long as the message takes.
const RECEIVE_TIMEOUT: Duration = Duration::from_secs(1);

// test "echo"
#[test]
fn echo() {
    let pid = Echo::start_link().unwrap();
    Echo::send(pid, "hello");
    assert_receive!("hello", RECEIVE_TIMEOUT);
    Echo::send(pid, "hi");
    assert_receive!("hi", RECEIVE_TIMEOUT);
}

// Not a workshop test: junk of any shape does not stop the echo from answering. Its receive
// steps over what no clause takes (and exercise 1.1 makes it drop that too).
#[test]
fn the_echo_still_answers_after_junk() {
    let pid = Echo::start_link().unwrap();
    let me = self_pid();
    otp_core::send(pid, "hello");
    otp_core::send(pid, (42, me));
    // A `String` is not a `&'static str`: junk as well.
    otp_core::send(pid, (String::from("hello"), me));
    Echo::send(pid, "hi");
    assert_receive!("hi", RECEIVE_TIMEOUT);
}

// BEGIN EXERCISE 1.1
use otp_core::Pid;

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
    let pid = Echo::start_link().unwrap();
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
