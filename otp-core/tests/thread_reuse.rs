//! A process on a reused thread starts fresh: nothing of the thread's last process carries
//! over. Its own test binary, so that the pool holds only this test's threads.
//! Elixir: every BEAM process starts fresh; here threads are recycled, so we check.

use std::time::Duration;

use otp_core::{
    Down, Exit, ExitReason, Pid, Process, assert_receive, parked_threads, receive, refute_receive,
    self_pid, send, spawn, spawn_monitor,
};
use pretty_assertions::assert_eq;

const SLOW: Duration = Duration::from_secs(5);

fn thread_of(pid: Pid) -> std::thread::ThreadId {
    send(pid, self_pid());
    assert_receive!(id: std::thread::ThreadId, SLOW)
}

#[test]
fn a_process_on_a_reused_thread_starts_with_nothing_of_the_last_one() {
    let me = self_pid();
    Process::trap_exit(true);
    // The first process leaves everything it can behind: a trap flag, a name, a link, a
    // monitor, and unread messages.
    let watched = spawn(|| receive! { _never: () => () });
    let (first, first_down) = spawn_monitor(move || {
        Process::trap_exit(true);
        Process::register(self_pid(), "reuse_first").unwrap();
        Process::link(me);
        Process::monitor(watched);
        send(self_pid(), "left behind");
        let asker = receive! { p: Pid => p };
        send(asker, std::thread::current().id());
    });
    let used = thread_of(first);
    assert_receive!(Down { reference: r, .. }: Down if r == first_down, SLOW);
    assert_receive!(Exit { from, .. }: Exit if from == first, SLOW);
    // Wait until the thread is parked again, ready for the next process.
    let deadline = std::time::Instant::now() + SLOW;
    while parked_threads() == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the thread never parked"
        );
        std::thread::yield_now();
    }

    let (second, second_down) = spawn_monitor(move || {
        let asker = receive! { p: Pid => p };
        send(asker, std::thread::current().id());
        // No trap flag: the previous setting returned is false.
        let trapped_before = Process::trap_exit(false);
        // Empty mailbox: nothing left behind.
        let leftover = receive! { m: &str => Some(m), after Duration::ZERO => None };
        send(asker, (trapped_before, leftover, Process::registered()));
        receive! { reason: ExitReason => otp_core::exit(reason) }
    });
    assert_eq!(thread_of(second), used, "the pool reused the parked thread");
    assert_ne!(second, first, "a fresh identity");
    let (trapped, leftover, names) = assert_receive!(m: (bool, Option<&str>, Vec<String>), SLOW);
    assert_eq!((trapped, leftover), (false, None));
    assert!(!names.contains(&"reuse_first".to_string()));
    // No link to us: its crash sends us no Exit; no monitor: `watched` sends it no Down.
    send(second, ExitReason::Other("crash".into()));
    assert_receive!(Down { reference: r, .. }: Down if r == second_down, SLOW);
    refute_receive!(Exit { from, .. }: Exit if from == second, Duration::from_millis(20));
    Process::exit(watched, ExitReason::Kill);
}
