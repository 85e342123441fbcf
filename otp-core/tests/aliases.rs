//! Aliases: a ref that reaches its maker until removed; what comes after is dropped.
//! Elixir: `Process.alias/0`, `Process.unalias/1`

use std::time::Duration;

use otp_core::{
    Down, Process, Ref, assert_receive, make_ref, receive, refute_receive, self_pid, send, spawn,
    spawn_monitor,
};

const SLOW: Duration = Duration::from_secs(5);

#[test]
fn a_message_sent_to_an_alias_reaches_its_maker() {
    let alias = Process::alias();
    spawn(move || send(alias, (alias, "through the alias")));
    assert_receive!((a, "through the alias"): (Ref, &str) if a == alias, SLOW);
}

#[test]
fn after_unalias_nothing_more_arrives_through_it() {
    let alias = Process::alias();
    assert!(Process::unalias(alias));
    let (_, reference) = spawn_monitor(move || send(alias, "late"));
    assert_receive!(Down { reference: r, .. }: Down if r == reference, SLOW);
    refute_receive!("late", Duration::from_millis(10));
}

#[test]
fn unalias_of_a_plain_ref_is_false() {
    assert!(!Process::unalias(make_ref()));
}

#[test]
fn an_alias_ends_with_its_process() {
    let me = self_pid();
    let (_, reference) = spawn_monitor(move || {
        send(me, Process::alias());
    });
    let alias = assert_receive!(a: Ref, SLOW);
    assert_receive!(Down { reference: r, .. }: Down if r == reference, SLOW);
    send(alias, "to nobody");
    assert!(receive! { _m: &str => false, after Duration::ZERO => true });
}
