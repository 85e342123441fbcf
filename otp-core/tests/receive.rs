//! Selective receive: clauses by type, pattern and guard, `after`, and the receive mark.
//! Elixir: `receive do ... after ... end`

use std::time::{Duration, Instant};

use otp_core::{
    Down, ExitReason, Pid, Ref, assert_receive, make_ref, receive, refute_receive, self_pid, send,
    spawn, spawn_monitor,
};
use pretty_assertions::assert_eq;

const SLOW: Duration = Duration::from_secs(5);

#[test]
fn receive_takes_the_first_message_that_matches_and_keeps_the_others_in_order() {
    let me = self_pid();
    send(me, "a");
    send(me, 1u32);
    send(me, "b");
    send(me, 2u32);
    let n = receive! { n: u32 => n };
    assert_eq!(n, 1);
    // The skipped strings are still there, in the order they came.
    assert_receive!("a");
    assert_receive!("b");
    assert_receive!(2u32);
}

#[test]
fn clauses_are_tried_in_order_on_each_message() {
    send(self_pid(), ("add", 2, 3));
    let result = receive! {
        ("sub", a, b): (&str, i32, i32) => a - b,
        ("add", a, b): (&str, i32, i32) => a + b,
    };
    assert_eq!(result, 5);
}

#[test]
fn a_guard_decides_with_the_bound_values() {
    let me = self_pid();
    for n in [1u32, 7, 12] {
        send(me, n);
    }
    let big = receive! { n: u32 if n > 10 => n };
    assert_eq!(big, 12);
    assert_receive!(1u32);
    assert_receive!(7u32);
}

#[test]
fn an_untyped_clause_takes_any_message() {
    send(self_pid(), vec![1, 2, 3]);
    let shown = receive! {
        n: u32 => format!("u32 {n}"),
        other => format!("{other:?}"),
    };
    assert_eq!(shown, "[1, 2, 3]");
}

/// A receive for a `u32` when none comes: it gives up with the `after` clause, and not
/// before `timeout` has passed.
fn assert_gives_up_after(timeout: Duration) {
    let start = Instant::now();
    let got = receive! {
        _n: u32 => "message",
        after timeout => "timeout",
    };
    assert_eq!(got, "timeout");
    assert!(start.elapsed() >= timeout);
}

#[test]
fn after_gives_up_at_the_deadline() {
    assert_gives_up_after(Duration::from_millis(30));
}

#[test]
fn a_receiver_that_caught_up_with_a_stream_still_gets_the_next_message_and_its_deadline() {
    let me = self_pid();
    let stream = || {
        for i in 0..40u32 {
            send(me, i);
        }
        for i in 0..40u32 {
            assert_eq!(receive! { n: u32 => n }, i);
        }
    };
    // Forty messages taken as they come make a stream (mailbox.rs, STREAK): the receive
    // after them waits at a stream's pace (wait.rs, Pace::Stream), and its deadline holds.
    stream();
    assert_gives_up_after(Duration::from_millis(5));
    // A message sent by another process at the end of a stream is taken, whether it lands
    // while the receive waits or just before.
    stream();
    spawn(move || send(me, 99u32));
    assert_eq!(receive! { n: u32 => n, after SLOW => 0 }, 99);
}

#[test]
fn receive_with_timeout_zero_on_an_empty_mailbox_returns_at_once() {
    let got = receive! {
        _n: u32 => "message",
        after Duration::ZERO => "empty",
    };
    assert_eq!(got, "empty");
}

#[test]
fn receive_with_timeout_zero_still_sees_what_is_already_there() {
    send(self_pid(), 5u32);
    let got = receive! {
        n: u32 => n,
        after Duration::ZERO => 0,
    };
    assert_eq!(got, 5);
}

#[test]
fn one_receive_tries_its_clauses_on_each_message_once() {
    let me = self_pid();
    send(me, 1u32);
    send(me, 2u32);
    let mut looked_at = Vec::new();
    let got = receive! {
        n: u32 if { looked_at.push(n); false } => n,
        after Duration::ZERO => 0,
    };
    assert_eq!(got, 0);
    assert_eq!(looked_at, [1, 2]);
}

#[test]
fn a_selective_receive_finds_the_last_of_ten_thousand_queued_messages() {
    let me = self_pid();
    for i in 0..10_000u32 {
        send(me, i);
    }
    send(me, "last");
    assert_receive!("last");
    // The ten thousand are untouched and in order.
    for i in 0..10_000u32 {
        assert_eq!(
            receive! { n: u32 => n, after Duration::ZERO => u32::MAX },
            i
        );
    }
}

#[test]
fn bodies_are_ordinary_code_for_break_continue_and_question_mark() {
    fn first_even() -> Result<u32, String> {
        let me = self_pid();
        for m in [Ok::<u32, String>(1), Ok(3), Ok(4)] {
            send(me, m);
        }
        loop {
            receive! {
                r: Result<u32, String> => {
                    let n = r?;
                    if n % 2 == 1 {
                        continue;
                    }
                    break Ok(n);
                }
            }
        }
    }
    assert_eq!(first_even(), Ok(4));
}

#[test]
fn since_a_ref_finds_the_reply_without_looking_at_older_messages() {
    let me = self_pid();
    for i in 0..1000u32 {
        send(me, i);
    }
    let reference = make_ref();
    let echo = otp_core::spawn(|| {
        receive! { (r, from): (Ref, Pid) => send(from, (r, "reply")) }
    });
    send(echo, (reference, me));
    let reply = receive! {
        since reference;
        (r, reply): (Ref, &str) if r == reference => reply,
        after SLOW => "timeout",
    };
    assert_eq!(reply, "reply");
    // What was skipped is still there, in order.
    for i in 0..1000u32 {
        assert_receive!(i);
    }
}

#[test]
fn since_a_ref_still_sees_messages_that_arrive_after_it() {
    let reference = make_ref();
    send(self_pid(), "older? no: sent after the ref");
    let got = receive! {
        since reference;
        m: &str => m,
        after Duration::ZERO => "nothing",
    };
    assert_eq!(got, "older? no: sent after the ref");
}

#[test]
fn a_guard_that_receives_leaves_the_other_messages_whole_and_in_order() {
    let me = self_pid();
    send(me, "a");
    send(me, 1u32);
    send(me, 2u32);
    // Take all three off the channel, so that they wait as saved messages.
    refute_receive!(_: u8);
    // While the guard looks at 1, it takes "a", from before 1: the slots move under it.
    let taken = receive! {
        n: u32 if { receive! { _: &str => (), after Duration::ZERO => () }; n == 2 } => n,
        after Duration::ZERO => 0,
    };
    assert_eq!(taken, 2);
    assert_receive!(1u32);
    refute_receive!(_: u32);
    refute_receive!(_: &str);
}

#[test]
fn a_panic_in_a_guard_ends_that_process_only() {
    otp_core::set_crash_reports(false);
    let (pid, reference) = spawn_monitor(|| {
        send(self_pid(), 1u32);
        receive! { n: u32 if n / (n - 1) > 0 => () }
    });
    let down = assert_receive!(Down { reference: r, .. }: Down if r == reference, SLOW);
    assert_eq!(down.pid, pid);
    assert!(matches!(down.reason, ExitReason::Panic(ref m) if m.contains("divide by zero")));
    // Everyone else carries on.
    send(self_pid(), "fine");
    assert_receive!("fine");
}

#[test]
fn refute_receive_passes_when_nothing_matches() {
    send(self_pid(), 1u32);
    refute_receive!(2u32, Duration::from_millis(10));
    refute_receive!(n: u32 if n > 1, Duration::from_millis(10));
    assert_receive!(1u32);
}

#[test]
fn assert_receive_lists_the_mailbox_when_it_fails() {
    let failure = std::thread::spawn(|| {
        send(self_pid(), "something else");
        assert_receive!("hello", Duration::from_millis(10));
    })
    .join()
    .expect_err("the assertion must fail");
    let msg = failure.downcast_ref::<String>().expect("a message");
    assert!(msg.contains("assert_receive!(\"hello\")"), "{msg}");
    assert!(msg.contains("\"something else\""), "{msg}");
}
