//! What each message says to write, and the forms it keeps working: no diagnostics at all.
use std::time::Duration;

use otp_core::{
    Down, Pid, Ref, assert_receive, make_ref, receive, refute_receive, send,
};

pub fn guards(reference: Ref) -> i32 {
    receive! {
        (r, n): (Ref, i32) if r == reference => n,
        other if other.is::<u32>() => { drop(other); 0 }
        after Duration::from_millis(10) => 0,
    }
}

pub fn with_a_type() {
    receive! {
        (msg, caller): (&'static str, Pid) => send(caller, msg),
        n: i32 => drop(n),
        _ => {}
    }
}

pub fn assertions(reference: Ref) {
    assert_receive!(Down { .. }: Down);
    assert_receive!((_, "hello"): (Pid, &str));
    assert_receive!((r, "hello"): (Ref, &str) if r == reference);
    refute_receive!(n: u32 if n > 1, Duration::ZERO);
    refute_receive!((reference, "hello"));
    // A whole message under a name needs no guard: the assertion returns it.
    let pid: Pid = assert_receive!(p: Pid);
    drop(pid);
    // Values that only look like patterns: a struct update and an exclusive-or.
    let base = Down { reference: make_ref(), pid: otp_core::self_pid(), reason: otp_core::ExitReason::Normal };
    refute_receive!(Down { reference, ..base }, Duration::ZERO);
    refute_receive!(5u8 ^ 3, Duration::ZERO);
}
