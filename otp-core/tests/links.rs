//! Links and exit signals, with Erlang's rules.
//! Elixir: `spawn_link/1`, `Process.link/1`, `Process.exit/2`, `Process.flag(:trap_exit, true)`

use std::time::Duration;

use otp_core::{
    Down, Exit, ExitReason, Pid, Process, assert_receive, receive, refute_receive, self_pid, send,
    spawn, spawn_link, spawn_monitor,
};
use pretty_assertions::assert_eq;

const SLOW: Duration = Duration::from_secs(5);

fn down_reason(reference: otp_core::Ref) -> ExitReason {
    assert_receive!(Down { reference: r, .. }: Down if r == reference, SLOW).reason
}

/// A process that waits until told to exit with the given reason.
fn idle() -> Pid {
    spawn(|| {
        receive! { reason: ExitReason => otp_core::exit(reason) }
    })
}

#[test]
fn a_linked_crash_takes_down_a_process_that_does_not_trap() {
    otp_core::set_crash_reports(false);
    let (parent, reference) = spawn_monitor(|| {
        spawn_link(|| panic!("child crashed"));
        receive! { _never: () => () }
    });
    assert_eq!(
        down_reason(reference),
        ExitReason::Panic("child crashed".into())
    );
    assert!(!Process::alive(parent));
}

#[test]
fn a_trapping_process_receives_the_exit_as_a_message() {
    otp_core::set_crash_reports(false);
    Process::trap_exit(true);
    let child = spawn_link(|| panic!("oops"));
    let exit = assert_receive!(Exit { from, .. }: Exit if from == child, SLOW);
    assert_eq!(exit.reason, ExitReason::Panic("oops".into()));
    assert!(Process::alive(self_pid()));
}

#[test]
fn a_normal_exit_does_not_take_down_a_linked_process() {
    let (parent, reference) = spawn_monitor(|| {
        let child = spawn_link(|| ());
        let watch = Process::monitor(child);
        receive! { Down { reference: r, .. }: Down if r == watch => () }
        // The child ended normally and we are still here.
        receive! { _never: () => () }
    });
    assert!(Process::alive(parent));
    Process::exit(parent, ExitReason::Kill);
    assert_eq!(down_reason(reference), ExitReason::Killed);
}

#[test]
fn a_trapping_process_sees_a_normal_exit_of_a_link() {
    Process::trap_exit(true);
    let child = spawn_link(|| ());
    let exit = assert_receive!(Exit { from, .. }: Exit if from == child, SLOW);
    assert_eq!(exit.reason, ExitReason::Normal);
}

#[test]
fn kill_cannot_be_trapped_and_reaches_links_as_killed() {
    let me = self_pid();
    let (victim, reference) = spawn_monitor(move || {
        Process::trap_exit(true);
        Process::link(me);
        send(me, "linked");
        receive! { _never: () => () }
    });
    Process::trap_exit(true);
    assert_receive!("linked", SLOW);
    Process::exit(victim, ExitReason::Kill);
    assert_eq!(down_reason(reference), ExitReason::Killed);
    let exit = assert_receive!(Exit { from, .. }: Exit if from == victim, SLOW);
    assert_eq!(exit.reason, ExitReason::Killed);
}

#[test]
fn exit_with_a_reason_reaches_a_trapping_process_as_a_message() {
    let me = self_pid();
    let trapper = spawn(move || {
        Process::trap_exit(true);
        send(me, "trapping");
        let exit = receive! { e: Exit => e };
        send(me, exit);
    });
    assert_receive!("trapping", SLOW);
    Process::exit(trapper, ExitReason::Shutdown);
    let exit = assert_receive!(e: Exit, SLOW);
    assert_eq!(
        exit,
        Exit {
            from: me,
            reason: ExitReason::Shutdown
        }
    );
}

#[test]
fn exit_normal_to_another_process_is_ignored() {
    let pid = idle();
    let reference = Process::monitor(pid);
    Process::exit(pid, ExitReason::Normal);
    refute_receive!(Down { reference: r, .. }: Down if r == reference, Duration::from_millis(20));
    assert!(Process::alive(pid));
    send(pid, ExitReason::Normal);
    assert_eq!(down_reason(reference), ExitReason::Normal);
}

#[test]
fn exit_normal_to_oneself_ends_the_process() {
    let (_, reference) = spawn_monitor(|| {
        Process::exit(self_pid(), ExitReason::Normal);
        unreachable!("the exit above stops this process");
    });
    assert_eq!(down_reason(reference), ExitReason::Normal);
}

#[test]
fn exit_of_a_dead_pid_is_no_error() {
    let (pid, reference) = spawn_monitor(|| ());
    down_reason(reference);
    Process::exit(pid, ExitReason::Kill);
    Process::exit(pid, ExitReason::Shutdown);
    assert!(Process::alive(self_pid()));
}

#[test]
fn link_to_a_dead_pid_gives_noproc() {
    let (dead, reference) = spawn_monitor(|| ());
    down_reason(reference);

    assert_eq!(Process::try_link(dead), Err(otp_core::Error::Noproc(dead)));

    // Trapping: an Exit message with noproc.
    Process::trap_exit(true);
    Process::link(dead);
    let exit = assert_receive!(e: Exit, SLOW);
    assert_eq!(
        exit,
        Exit {
            from: dead,
            reason: ExitReason::Noproc
        }
    );

    // Not trapping: the caller exits with noproc.
    let (_, reference) = spawn_monitor(move || Process::link(dead));
    assert_eq!(down_reason(reference), ExitReason::Noproc);
}

#[test]
fn unlink_stops_the_signal() {
    let (parent, reference) = spawn_monitor(|| {
        let child = spawn_link(|| {
            receive! { reason: ExitReason => otp_core::exit(reason) }
        });
        Process::unlink(child);
        send(child, ExitReason::Other("crash".into()));
        receive! { _never: () => () }
    });
    refute_receive!(Down { reference: r, .. }: Down if r == reference, Duration::from_millis(30));
    assert!(Process::alive(parent));
    Process::exit(parent, ExitReason::Kill);
    down_reason(reference);
}

#[test]
fn a_crash_propagates_along_a_chain_of_links() {
    // head <- a <- b <- tail: killing the head ends them all.
    let me = self_pid();
    let head = idle();
    let tail = spawn(move || {
        Process::link(head);
        let a = spawn_link(move || {
            let b = spawn_link(|| receive! { _never: () => () });
            send(me, b);
            receive! { _never: () => () }
        });
        send(me, a);
        receive! { _never: () => () }
    });
    let a = assert_receive!(p: Pid, SLOW);
    let b = assert_receive!(p: Pid, SLOW);
    let watches: Vec<_> = [tail, a, b].into_iter().map(Process::monitor).collect();
    send(head, ExitReason::Other("boom".into()));
    for reference in watches {
        assert_eq!(down_reason(reference), ExitReason::Other("boom".into()));
    }
}

#[test]
fn an_adopted_thread_that_ends_takes_its_links_with_it() {
    // ExUnit ends a test's process when the test ends, and its linked processes die with it.
    let me = self_pid();
    std::thread::spawn(move || {
        let child = spawn_link(|| receive! { _never: () => () });
        send(me, child);
    })
    .join()
    .unwrap();
    let child = assert_receive!(p: Pid, SLOW);
    let reference = Process::monitor(child);
    let reason = down_reason(reference);
    // The Down may come with shutdown, or with noproc if the child was already gone.
    assert!(
        matches!(reason, ExitReason::Shutdown | ExitReason::Noproc),
        "{reason:?}"
    );
    assert!(!Process::alive(child));
}

#[test]
fn a_trapping_link_has_the_exit_queued_before_a_monitor_sees_the_down() {
    // So a supervisor asked something after a child's Down has already seen its Exit.
    let me = self_pid();
    let trapper = spawn(move || {
        Process::trap_exit(true);
        let child = spawn_link(|| receive! { reason: ExitReason => otp_core::exit(reason) });
        send(me, child);
        // Report the first two messages, in the order they are in the mailbox.
        let first = receive! { m => format!("{m:?}") };
        let second = receive! { m => format!("{m:?}") };
        send(me, (first, second));
    });
    let child = assert_receive!(p: Pid, SLOW);
    let watch = Process::monitor(child);
    send(child, ExitReason::Other("crash".into()));
    down_reason(watch);
    send(trapper, "query");
    let (first, second) = assert_receive!(m: (String, String), SLOW);
    assert_eq!(
        first,
        format!(
            "{:?}",
            Exit {
                from: child,
                reason: ExitReason::Other("crash".into())
            }
        )
    );
    assert_eq!(second, "\"query\"");
}

// What a supervisor counts on when it restarts a child that had children of its own: by the
// time the Exit of the child reaches it, everything the child's death took down is dead too,
// and their names are free to take again.
#[test]
fn a_trapping_process_hears_of_a_death_only_after_all_it_takes_down_is_dead() {
    const GRANDCHILDREN: usize = 50;
    let me = self_pid();
    let child = spawn(|| receive! { _never: () => () });
    // The watcher traps exits and links to the child first, so its Exit is the first signal
    // of the child's death; when it has that Exit, it looks at the grandchildren.
    let watcher = spawn(move || {
        Process::trap_exit(true);
        Process::link(child);
        send(me, ("linked", 0));
        let grandchildren = receive! { all: Vec<Pid> => all };
        receive! { Exit { from, .. }: Exit if from == child => () }
        let alive = grandchildren.iter().filter(|&&p| Process::alive(p)).count();
        let named = Process::whereis("grandchild_of_the_killed").is_some();
        send(me, ("after the Exit", alive, named));
    });
    assert_receive!(("linked", 0), SLOW);
    let grandchildren: Vec<Pid> = (1..=GRANDCHILDREN)
        .map(|i| {
            spawn(move || {
                Process::link(child);
                if i == 1 {
                    Process::register(self_pid(), "grandchild_of_the_killed").unwrap();
                }
                send(me, ("linked", i));
                receive! { _never: () => () }
            })
        })
        .collect();
    for i in 1..=GRANDCHILDREN {
        assert_receive!(("linked", n): (&str, usize) if n == i, SLOW);
    }
    send(watcher, grandchildren);
    Process::exit(child, ExitReason::Kill);
    let (_, alive, named) = assert_receive!(("after the Exit", _, _): (&str, usize, bool), SLOW);
    assert_eq!((alive, named), (0, false));
}
