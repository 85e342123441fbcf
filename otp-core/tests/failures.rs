//! What a failed `assert_receive!` or `refute_receive!` says: each queued message with its
//! type, the type it wanted, and a note when a message looks right but has another type.
//! Elixir: ExUnit's "Assertion failed, no matching message after 100ms"

use std::time::Duration;

use otp_core::testing::mailbox_report;
use otp_core::{assert_receive, receive, refute_receive, self_pid, send};
use pretty_assertions::assert_eq;

/// Long enough to read as a timeout in the messages below; nothing is on its way.
const SHORT: Duration = Duration::from_millis(10);

/// The panic message of `f`, run in a thread of its own: a process with its own mailbox.
fn failure(f: impl FnOnce() + Send + 'static) -> String {
    let payload = std::thread::spawn(f)
        .join()
        .expect_err("the assertion must fail");
    match payload.downcast::<String>() {
        Ok(message) => *message,
        Err(_) => panic!("the panic carries a formatted message"),
    }
}

#[test]
fn a_value_of_another_type_that_prints_the_same_is_pointed_out() {
    let message = failure(|| {
        send(self_pid(), String::from("hello"));
        send(self_pid(), 42);
        assert_receive!("hello", SHORT);
    });
    assert_eq!(
        message,
        "assert_receive!(\"hello\"): no matching message of type &str after 10ms.\n\
         The process mailbox holds, oldest first:\n    \
         \"hello\": String\n    \
         42: i32\n\
         note: \"hello\" equals the expected value, but its type is String, not &str"
    );
}

#[test]
fn a_number_of_another_width_is_pointed_out_once() {
    let message = failure(|| {
        send(self_pid(), 1i32);
        send(self_pid(), 1i32);
        assert_receive!(1u64, SHORT);
    });
    assert_eq!(
        message,
        "assert_receive!(1u64): no matching message of type u64 after 10ms.\n\
         The process mailbox holds, oldest first:\n    \
         1: i32\n    \
         1: i32\n\
         note: 1 equals the expected value, but its type is i32, not u64"
    );
}

#[test]
fn a_pattern_says_when_no_message_has_its_type() {
    let message = failure(|| {
        send(self_pid(), (1u8, String::from("x")));
        assert_receive!((_, "x"): (u8, &'static str), SHORT);
    });
    assert_eq!(
        message,
        "assert_receive!((_, \"x\"): (u8, &'static str)): no matching message of type (u8, &str) after 10ms.\n\
         The process mailbox holds, oldest first:\n    \
         (1, \"x\"): (u8, String)\n\
         note: no message in the mailbox has type (u8, &str)"
    );
}

#[test]
fn a_pattern_with_a_guard_shows_the_guard_and_no_note_when_the_type_is_there() {
    let message = failure(|| {
        send(self_pid(), 1u32);
        assert_receive!(n: u32 if n > 1, SHORT);
    });
    assert_eq!(
        message,
        "assert_receive!(n: u32 if n > 1): no matching message of type u32 after 10ms.\n\
         The process mailbox holds, oldest first:\n    \
         1: u32"
    );
}

#[test]
fn an_empty_mailbox_is_said_to_be_empty() {
    let message = failure(|| {
        assert_receive!("hello", SHORT);
    });
    assert_eq!(
        message,
        "assert_receive!(\"hello\"): no matching message of type &str after 10ms.\n\
         The process mailbox is empty."
    );
}

#[test]
fn types_with_the_same_short_name_are_told_apart_by_their_paths() {
    mod a {
        #[derive(Debug, PartialEq)]
        pub struct Stop;
    }
    mod b {
        #[derive(Debug, PartialEq)]
        pub struct Stop;
    }
    let message = failure(|| {
        send(self_pid(), a::Stop);
        assert_receive!(b::Stop, SHORT);
    });
    let note = message.lines().last().unwrap();
    assert_eq!(
        note,
        "note: Stop equals the expected value, but its type is \
         failures::types_with_the_same_short_name_are_told_apart_by_their_paths::a::Stop, not \
         failures::types_with_the_same_short_name_are_told_apart_by_their_paths::b::Stop"
    );
}

#[test]
fn a_flooded_mailbox_shows_its_ten_oldest() {
    let message = failure(|| {
        for n in 0..25u32 {
            send(self_pid(), n);
        }
        assert_receive!("hello", SHORT);
    });
    let shown: Vec<&str> = message.lines().skip(2).collect();
    assert_eq!(shown.len(), 11, "{message}");
    assert_eq!(shown[0], "    0: u32");
    assert_eq!(shown[9], "    9: u32");
    assert_eq!(shown[10], "    ... and 15 more");
}

#[test]
fn refute_receive_shows_what_came_with_its_type() {
    let value = failure(|| {
        send(self_pid(), "hello");
        refute_receive!("hello", SHORT);
    });
    assert_eq!(
        value,
        "refute_receive!(\"hello\"): received \"hello\": &str within 10ms"
    );
    let pattern = failure(|| {
        send(self_pid(), 7u32);
        refute_receive!(n: u32 if n > 1, SHORT);
    });
    assert_eq!(
        pattern,
        "refute_receive!(n: u32 if n > 1): received 7: u32 within 10ms"
    );
}

#[test]
fn mailbox_report_lists_what_a_receive_that_gave_up_left() {
    send(self_pid(), String::from("late"));
    let report = receive! {
        reply: &str => panic!("no &str was sent, got {reply}"),
        after Duration::ZERO => mailbox_report(),
    };
    assert_eq!(
        report,
        "The process mailbox holds, oldest first:\n    \"late\": String"
    );
    assert_receive!(s: String if s == "late");
}
