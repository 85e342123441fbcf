//! Tests of our Supervisor: the chapter's first (a name, a stop, an exit signal from a
//! stranger), then each exercise's. Every test that needs a child needs `start_child`, the
//! workshop's own exercise 6.1, so they sit in its region.
//! Elixir: tests a learner writes for `lib/otp/supervisor.ex`

use std::time::Duration;

use otp_core::{Error, ExitReason, Process, assert_receive, self_pid, send};
use pretty_assertions::assert_eq;

use crate::gen_server::StartError;
use crate::supervisor;

/// Long enough for anything that must happen on a loaded machine.
const SLOW: Duration = Duration::from_secs(5);

#[test]
fn the_supervisor_is_reachable_by_its_name_and_keeps_it() {
    let sup = supervisor::start("sup_named").unwrap();
    assert_eq!(Process::whereis("sup_named"), Some(sup));
    assert_eq!(
        supervisor::start("sup_named"),
        Err(StartError::Spawn(Error::NameTaken {
            name: "sup_named".into(),
            owner: sup
        }))
    );
    supervisor::stop("sup_named").unwrap();
    assert!(!Process::alive(sup));
    assert_eq!(Process::whereis("sup_named"), None);
}

// Not the workshop's: an exit signal from a process that is not a child is not taken for a
// child's, and does not end the supervisor, which traps exits from before `start` returns.
#[test]
fn an_exit_signal_from_a_stranger_is_ignored() {
    let sup = supervisor::start("sup_stranger").unwrap();
    let me = self_pid();
    otp_core::spawn(move || {
        Process::exit(sup, ExitReason::Other("from a stranger".into()));
        send(me, "signal sent");
    });
    assert_receive!("signal sent", SLOW);
    // The Exit is ahead of the stop request in the supervisor's mailbox: had it ended the
    // supervisor, or been taken for a reason to stop, stop would not answer Ok.
    assert_eq!(supervisor::stop(sup), Ok(()));
}

// BEGIN EXERCISE 6.1: start_child
use otp_core::{Down, Pid, Ref, exit, receive, spawn_monitor};

use crate::gen_server;
use crate::stack::Stack;
use crate::supervisor::StartChildError;

/// A child that tells `observer` when it starts, answers pings with its id, and crashes or
/// exits when told to.
fn worker((id, observer): (u32, Pid)) {
    send(observer, ("started", id, self_pid()));
    loop {
        receive! {
            ("ping", from): (&str, Pid) => send(from, ("pong", id)),
            "crash": &str => panic!("worker {id} crashed"),
            reason: ExitReason => exit(reason),
        }
    }
}

/// Waits for worker `id` to announce its start, and returns its pid.
fn started(id: u32) -> Pid {
    let (_, _, pid) = assert_receive!(("started", n, _): (&str, u32, Pid) if n == id, SLOW);
    pid
}

fn down_reason(reference: Ref) -> ExitReason {
    assert_receive!(Down { reference: r, .. }: Down if r == reference, SLOW).reason
}

/// Stops `pid` the way `how` says, and waits for its Down.
fn end(pid: Pid, how: impl otp_core::Message) {
    let watch = Process::monitor(pid);
    send(pid, how);
    down_reason(watch);
}

/// Monitors `pids`; `deaths` then tells in which order they died.
fn watch_all(pids: &[Pid]) -> Vec<Ref> {
    pids.iter().map(|&pid| Process::monitor(pid)).collect()
}

/// The next `n` of `pids` to die, in the order their Downs come: each process is stopped
/// only after the one before it is gone, so this is the order they were stopped in.
fn deaths(pids: &[Pid], watches: &[Ref], n: usize) -> Vec<Pid> {
    (0..n)
        .map(|_| {
            let down =
                assert_receive!(Down { reference, .. }: Down if watches.contains(&reference), SLOW);
            assert!(pids.contains(&down.pid));
            down.pid
        })
        .collect()
}

/// A supervised Stack that tells `observer` each time it starts.
fn stack((initial, observer): (Vec<i32>, Pid)) {
    send(observer, ("started", 0u32, self_pid()));
    gen_server::enter_loop::<Stack>(initial);
}

#[test]
fn exercise_6_1_start_child_answers_the_pid_of_a_linked_child() {
    let sup = supervisor::start("sup_start_child").unwrap();
    let child = supervisor::start_child(sup, stack, (vec![], self_pid())).unwrap();
    assert_eq!(started(0), child);
    assert_eq!(Stack::pop(child), Ok(Err("empty")));
    // Linked: when the supervisor is killed, the child (which does not trap exits) goes too.
    let watch = Process::monitor(child);
    Process::exit(sup, ExitReason::Kill);
    assert_eq!(down_reason(watch), ExitReason::Killed);
    assert_eq!(
        supervisor::start_child("sup_start_child", worker, (2, self_pid())),
        Err(StartChildError::Call(gen_server::CallError::Noproc))
    );
}

#[test]
fn exercise_6_1_a_crashed_child_is_restarted_with_a_new_pid_and_the_same_arguments() {
    otp_core::set_crash_reports(false);
    let sup = supervisor::start("sup_restart").unwrap();
    let first = supervisor::start_child(sup, worker, (7, self_pid())).unwrap();
    assert_eq!(started(7), first);
    end(first, "crash");
    let second = started(7);
    assert_ne!(second, first);
    send(second, ("ping", self_pid()));
    assert_receive!(("pong", 7u32), SLOW);
    supervisor::stop(sup).unwrap();
}

#[test]
fn exercise_6_1_a_supervised_stack_crashes_comes_back_and_serves_calls() {
    otp_core::set_crash_reports(false);
    let sup = supervisor::start("sup_stack").unwrap();
    supervisor::start_child(sup, stack, (vec![], self_pid())).unwrap();
    let first = started(0);
    Stack::push(first, 1);
    assert_eq!(Stack::pop(first), Ok(Ok(1)));
    // An unknown cast makes the Stack crash, as a missing clause would in Elixir.
    end(first, ("$cast", ("boom", 0)));
    let second = started(0);
    assert_ne!(second, first);
    // A fresh Stack, from the same arguments: empty.
    assert_eq!(Stack::pop(second), Ok(Err("empty")));
    supervisor::stop(sup).unwrap();
}

#[test]
fn exercise_6_1_stop_stops_every_child_last_started_first() {
    let sup = supervisor::start("sup_stop").unwrap();
    let children: Vec<Pid> = (1..=3)
        .map(|id| supervisor::start_child(sup, worker, (id, self_pid())).unwrap())
        .collect();
    let watches = watch_all(&children);
    supervisor::stop(sup).unwrap();
    assert!(!Process::alive(sup));
    let order = deaths(&children, &watches, 3);
    assert_eq!(order, vec![children[2], children[1], children[0]]);
}

#[test]
fn exercise_6_1_only_the_child_that_exited_is_restarted() {
    otp_core::set_crash_reports(false);
    let sup = supervisor::start("sup_one_for_one").unwrap();
    let pids: Vec<Pid> = (1..=3)
        .map(|id| {
            supervisor::start_child(sup, worker, (id, self_pid())).unwrap();
            started(id)
        })
        .collect();
    let watches = watch_all(&[pids[0], pids[2]]);
    end(pids[1], "crash");
    started(2);
    otp_core::refute_receive!(Down { reference, .. }: Down if watches.contains(&reference), Duration::from_millis(20));
    assert!(Process::alive(pids[0]) && Process::alive(pids[2]));
    supervisor::stop(sup).unwrap();
}

#[test]
fn exercise_6_1_a_child_that_exits_normally_is_restarted_too() {
    let sup = supervisor::start("sup_normal_exit").unwrap();
    supervisor::start_child(sup, worker, (1, self_pid())).unwrap();
    end(started(1), ExitReason::Normal);
    started(1);
    supervisor::stop(sup).unwrap();
}

#[test]
fn exercise_6_1_the_exit_of_the_supervisors_caller_does_not_take_the_children_down() {
    otp_core::set_crash_reports(false);
    let me = self_pid();
    let (caller, watch) = spawn_monitor(move || {
        let sup = supervisor::start("sup_orphan").unwrap();
        let child = supervisor::start_child(sup, worker, (1, me)).unwrap();
        send(me, (sup, child));
        panic!("the caller crashes");
    });
    let (sup, child) = assert_receive!(pids: (Pid, Pid), SLOW);
    assert_eq!(
        down_reason(watch),
        ExitReason::Panic("the caller crashes".into())
    );
    assert!(!Process::alive(caller));
    // Not linked to the caller: the supervisor and its child carry on.
    send(child, ("ping", self_pid()));
    assert_receive!(("pong", 1u32), SLOW);
    assert!(Process::alive(sup));
    supervisor::stop(sup).unwrap();
}

// BEGIN EXERCISE 6.2: strategies
use crate::supervisor::{Options, Strategy};

/// A supervisor with `strategy` and the default intensity.
fn start_with_strategy(name: &str, strategy: Strategy) -> Pid {
    let options = Options {
        strategy,
        ..Options::default()
    };
    supervisor::start_with(name, options).unwrap()
}

/// A supervisor with three workers, 1 to 3, started in that order.
fn three_workers(name: &str, strategy: Strategy) -> (Pid, Vec<Pid>) {
    let sup = start_with_strategy(name, strategy);
    let pids = (1..=3)
        .map(|id| {
            supervisor::start_child(sup, worker, (id, self_pid())).unwrap();
            started(id)
        })
        .collect();
    (sup, pids)
}

#[test]
fn exercise_6_2_one_for_all_stops_the_others_last_first_and_starts_all_in_order() {
    otp_core::set_crash_reports(false);
    let (sup, pids) = three_workers("sup_one_for_all", Strategy::OneForAll);
    let others = [pids[0], pids[2]];
    let watches = watch_all(&others);
    end(pids[1], "crash");
    assert_eq!(deaths(&others, &watches, 2), vec![pids[2], pids[0]]);
    let restarted: Vec<Pid> = (1..=3).map(started).collect();
    // Started in order: pids are handed out in spawn order. (Their "started" messages may
    // arrive in any order: each child runs on its own thread.)
    assert!(restarted.windows(2).all(|w| w[0] < w[1]), "{restarted:?}");
    supervisor::stop(sup).unwrap();
}

#[test]
fn exercise_6_2_rest_for_one_restarts_the_child_and_those_started_after_it() {
    otp_core::set_crash_reports(false);
    let (sup, pids) = three_workers("sup_rest_for_one", Strategy::RestForOne);
    let watches = watch_all(&[pids[0], pids[2]]);
    end(pids[1], "crash");
    assert_eq!(deaths(&[pids[2]], &watches, 1), vec![pids[2]]);
    started(2);
    started(3);
    assert!(Process::alive(pids[0]));
    supervisor::stop(sup).unwrap();
}
// END EXERCISE 6.2

// BEGIN EXERCISE 6.3: restart types
use crate::supervisor::{ChildSpec, Counts, Restart};

// BEGIN EXERCISE 6.5
#[test]
fn exercise_6_3_a_transient_child_is_restarted_only_after_an_abnormal_exit() {
    otp_core::set_crash_reports(false);
    let sup = supervisor::start("sup_transient").unwrap();
    let spec = ChildSpec::new(worker, (1, self_pid())).restart(Restart::Transient);
    supervisor::start_child_spec(sup, spec).unwrap();
    end(started(1), "crash");
    let again = started(1);
    end(again, ExitReason::Normal);
    otp_core::refute_receive!(("started", _, _): (&str, u32, Pid), Duration::from_millis(20));
    assert_eq!(
        supervisor::count_children(sup).unwrap(),
        Counts {
            specs: 1,
            active: 0
        }
    );
    supervisor::stop(sup).unwrap();
}
// END EXERCISE 6.5

// BEGIN EXERCISE 6.5
#[test]
fn exercise_6_3_a_temporary_child_is_never_restarted() {
    otp_core::set_crash_reports(false);
    let sup = supervisor::start("sup_temporary").unwrap();
    let spec = ChildSpec::new(worker, (1, self_pid())).restart(Restart::Temporary);
    supervisor::start_child_spec(sup, spec).unwrap();
    end(started(1), "crash");
    otp_core::refute_receive!(("started", _, _): (&str, u32, Pid), Duration::from_millis(20));
    assert_eq!(
        supervisor::count_children(sup).unwrap(),
        Counts {
            specs: 0,
            active: 0
        }
    );
    supervisor::stop(sup).unwrap();
}
// END EXERCISE 6.5

// BEGIN EXERCISE 6.2
// BEGIN EXERCISE 6.5
#[test]
fn exercise_6_3_a_temporary_child_stopped_for_a_sibling_is_gone_not_restarted() {
    otp_core::set_crash_reports(false);
    let sup = start_with_strategy("sup_temporary_sibling", Strategy::OneForAll);
    supervisor::start_child(sup, worker, (1, self_pid())).unwrap();
    let first = started(1);
    let spec = ChildSpec::new(worker, (2, self_pid())).restart(Restart::Temporary);
    supervisor::start_child_spec(sup, spec).unwrap();
    let temporary = started(2);
    let watch = Process::monitor(temporary);
    end(first, "crash");
    down_reason(watch);
    let again = started(1);
    let children = supervisor::which_children(sup).unwrap();
    assert_eq!(children.len(), 1);
    assert_eq!(children[0].pid, Some(again));
    supervisor::stop(sup).unwrap();
}
// END EXERCISE 6.5
// END EXERCISE 6.2
// END EXERCISE 6.3

// BEGIN EXERCISE 6.4: restart intensity
/// A child that crashes as soon as it starts.
fn crash_at_once(_: ()) {
    panic!("crash at start");
}

#[test]
fn exercise_6_4_a_child_crashing_in_a_loop_makes_the_supervisor_shut_down() {
    otp_core::set_crash_reports(false);
    let sup = supervisor::start("sup_storm").unwrap();
    let watch = Process::monitor(sup);
    let steady = supervisor::start_child(sup, worker, (1, self_pid())).unwrap();
    // The first start already crashes; three restarts later the supervisor gives up.
    supervisor::start_child(sup, crash_at_once, ()).ok();
    assert_eq!(down_reason(watch), ExitReason::Shutdown);
    assert!(
        !Process::alive(steady),
        "its other children are stopped too"
    );
    assert_eq!(Process::whereis("sup_storm"), None);
}
// END EXERCISE 6.4

// BEGIN EXERCISE 6.5: a look inside
use crate::supervisor::ChildInfo;

#[test]
fn exercise_6_5_which_children_and_count_children_show_the_children_in_start_order() {
    let sup = supervisor::start("sup_inspect").unwrap();
    let a = supervisor::start_child(sup, worker, (1, self_pid())).unwrap();
    let spec = ChildSpec::new(worker, (2, self_pid())).restart(Restart::Transient);
    let b = supervisor::start_child_spec(sup, spec).unwrap();
    assert_eq!(
        supervisor::which_children(sup).unwrap(),
        vec![
            ChildInfo {
                id: None,
                pid: Some(a),
                restart: Restart::Permanent
            },
            ChildInfo {
                id: None,
                pid: Some(b),
                restart: Restart::Transient
            },
        ]
    );
    assert_eq!(
        supervisor::count_children(sup).unwrap(),
        Counts {
            specs: 2,
            active: 2
        }
    );
    supervisor::stop(sup).unwrap();
}
// END EXERCISE 6.5
// END EXERCISE 6.1

// BEGIN EXERCISE 6.6: supervision trees
use crate::gen_server::{CallReply, CastReply, GenServer};
use crate::gen_server_test::Hanging;
use crate::supervisor::Shutdown;

/// A child that traps exits: it tells `observer` when it is asked to shut down, then ends
/// as `how` says: at once, when the test says so, or never (to be killed).
fn trapping((id, observer, how): (u32, Pid, &'static str)) {
    Process::trap_exit(true);
    send(observer, ("started", id, self_pid()));
    receive! {
        otp_core::Exit { reason: ExitReason::Shutdown, .. }: otp_core::Exit => {
            send(observer, ("asked to shut down", id));
        }
    }
    match how {
        "at once" => exit(ExitReason::Shutdown),
        "when told" => receive! { "go": &str => exit(ExitReason::Shutdown) },
        _ => loop {
            receive! { _ignored: otp_core::Exit => () }
        },
    }
}

/// A server that tells `observer` it started, from its `init`: by the time its `start_link`
/// returns, the message is there.
struct Announced;

impl GenServer for Announced {
    type State = (u32, Pid);
    type Call = ();
    type Reply = ();
    type Cast = ();

    fn init((id, observer): (u32, Pid)) -> Result<(u32, Pid), ExitReason> {
        send(observer, ("started", id, self_pid()));
        Ok((id, observer))
    }

    fn handle_call(_: (), _: gen_server::From, state: (u32, Pid)) -> CallReply<(), (u32, Pid)> {
        CallReply::Reply((), state)
    }

    fn handle_cast(_: (), state: (u32, Pid)) -> CastReply<(u32, Pid)> {
        CastReply::NoReply(state)
    }
}

#[test]
fn exercise_6_6_start_link_starts_the_children_in_order_before_it_returns() {
    let me = self_pid();
    let announced =
        |id| ChildSpec::worker(move || gen_server::start_link::<Announced>((id, me), None));
    let children = (1..=3).map(announced).collect();
    let sup = supervisor::start_link(None, Options::default(), children).unwrap();
    // Each said it started before start_link returned: already here.
    let pids: Vec<Pid> = (1..=3)
        .map(|id| {
            let (_, _, pid) =
                assert_receive!(("started", n, _): (&str, u32, Pid) if n == id, Duration::ZERO);
            pid
        })
        .collect();
    assert!(
        pids.windows(2).all(|w| w[0] < w[1]),
        "started in order: {pids:?}"
    );
    supervisor::stop(sup).unwrap();
}

#[test]
fn exercise_6_6_a_child_that_fails_to_start_fails_start_link_and_leaves_nothing_running() {
    let me = self_pid();
    Process::register(me, "taken_by_the_test").unwrap();
    // The first child says it started from its `init`: before its start returned.
    let first = ChildSpec::worker(move || gen_server::start_link::<Announced>((1, me), None));
    let taken =
        ChildSpec::worker(|| gen_server::start_link::<Stack>(vec![], Some("taken_by_the_test")));
    let started_link = supervisor::start_link(
        Some("sup_failed_start"),
        Options::default(),
        vec![first, taken],
    );
    assert!(
        matches!(&started_link, Err(StartError::Init(ExitReason::Other(why))) if why.contains("NameTaken")),
        "{started_link:?}"
    );
    // The first child was started, then stopped again; the supervisor is gone.
    let (_, _, first) = assert_receive!(("started", 1, _): (&str, u32, Pid), Duration::ZERO);
    assert!(!Process::alive(first));
    assert_eq!(Process::whereis("sup_failed_start"), None);
}

#[test]
fn exercise_6_6_the_parents_exit_stops_the_children_last_first_and_the_supervisor_with_it() {
    let me = self_pid();
    let parent = otp_core::spawn(move || {
        let children = (1..=3).map(|id| ChildSpec::new(worker, (id, me))).collect();
        let sup = supervisor::start_link(None, Options::default(), children).unwrap();
        send(me, ("supervisor", sup));
        receive! { "go": &str => () }
        exit(ExitReason::Shutdown);
    });
    let (_, sup) = assert_receive!(("supervisor", _): (&str, Pid), SLOW);
    let children: Vec<Pid> = (1..=3).map(started).collect();
    let watch = Process::monitor(sup);
    let watches = watch_all(&children);
    send(parent, "go");
    assert_eq!(
        deaths(&children, &watches, 3),
        vec![children[2], children[1], children[0]]
    );
    assert_eq!(down_reason(watch), ExitReason::Shutdown);
}

#[test]
fn exercise_6_6_each_child_is_shut_down_its_own_way() {
    let me = self_pid();
    let children = vec![
        // Given all the time it needs: never killed.
        ChildSpec::new(trapping, (1, me, "when told")).shutdown(Shutdown::Infinity),
        // Given 20 ms, and then killed.
        ChildSpec::new(trapping, (2, me, "never"))
            .shutdown(Shutdown::Timeout(Duration::from_millis(20))),
        // Killed at once, with no word of a shutdown.
        ChildSpec::new(trapping, (3, me, "at once")).shutdown(Shutdown::BrutalKill),
    ];
    let sup = supervisor::start_link(None, Options::default(), children).unwrap();
    let pids: Vec<Pid> = (1..=3).map(started).collect();
    let watches = watch_all(&pids);
    otp_core::spawn(move || {
        supervisor::stop(sup).unwrap();
        send(me, "stopped");
    });
    // Last started first: 3 is killed without being asked, 2 is asked and then killed.
    assert_eq!(down_reason(watches[2]), ExitReason::Killed);
    assert_receive!(("asked to shut down", 2u32), SLOW);
    assert_eq!(down_reason(watches[1]), ExitReason::Killed);
    // 1 is asked, and waited for as long as it takes.
    assert_receive!(("asked to shut down", 1u32), SLOW);
    otp_core::refute_receive!("stopped", Duration::from_millis(50));
    send(pids[0], "go");
    assert_eq!(down_reason(watches[0]), ExitReason::Shutdown);
    assert_receive!("stopped", SLOW);
    otp_core::refute_receive!(("asked to shut down", 3u32), Duration::ZERO);
}

/// A server that traps exits, so that a shutdown reaches its `terminate`, and whose state
/// can fail as it drops.
struct CleansUp;

#[derive(Debug)]
struct Cleanup {
    observer: Pid,
    fail_on_drop: bool,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        if self.fail_on_drop {
            panic!("the state failed to drop");
        }
    }
}

impl GenServer for CleansUp {
    type State = Cleanup;
    type Call = ();
    type Reply = ();
    type Cast = ();

    fn init(state: Cleanup) -> Result<Cleanup, ExitReason> {
        Process::trap_exit(true);
        send(
            state.observer,
            ("started", u32::from(state.fail_on_drop), self_pid()),
        );
        Ok(state)
    }

    fn handle_call(_: (), _: gen_server::From, state: Cleanup) -> CallReply<(), Cleanup> {
        CallReply::Reply((), state)
    }

    fn handle_cast(_: (), state: Cleanup) -> CastReply<Cleanup> {
        CastReply::NoReply(state)
    }

    fn terminate(reason: &ExitReason, state: Cleanup) {
        send(state.observer, ("terminate", reason.clone()));
    }
}

#[test]
fn exercise_6_6_a_server_child_that_traps_exits_cleans_up_on_shutdown_even_if_its_state_fails_to_drop()
 {
    otp_core::set_crash_reports(false);
    let me = self_pid();
    let child = |fail_on_drop| {
        ChildSpec::worker(move || {
            let state = Cleanup {
                observer: me,
                fail_on_drop,
            };
            gen_server::start_link::<CleansUp>(state, None)
        })
    };
    let sup =
        supervisor::start_link(None, Options::default(), vec![child(false), child(true)]).unwrap();
    let pids = [started(0), started(1)];
    let watches = watch_all(&pids);
    // The failing one is stopped first: its Drop panics in ordinary code, so it is that
    // server's crash, and the rest of the program carries on.
    supervisor::stop(sup).unwrap();
    assert_receive!(("terminate", ExitReason::Shutdown), SLOW);
    assert_eq!(
        down_reason(watches[1]),
        ExitReason::Panic("the state failed to drop".into())
    );
    assert_receive!(("terminate", ExitReason::Shutdown), SLOW);
    assert_eq!(down_reason(watches[0]), ExitReason::Shutdown);
}

// BEGIN EXERCISE 6.1
#[test]
fn exercise_6_6_a_child_that_never_answers_its_start_is_an_error_and_leaves_nothing_running() {
    let sup = supervisor::start("sup_never_ready").unwrap();
    let spec = ChildSpec::worker(|| gen_server::start_link::<Hanging>((), Some("never_ready")));
    assert_eq!(
        supervisor::start_child_spec(sup, spec),
        Err(StartChildError::Start(StartError::Timeout))
    );
    assert_eq!(Process::whereis("never_ready"), None);
    supervisor::stop(sup).unwrap();
}
// END EXERCISE 6.1

// BEGIN EXERCISE 6.4
// BEGIN EXERCISE 6.5
#[test]
fn exercise_6_6_a_child_supervisor_that_gives_up_is_restarted_by_its_parent_and_then_escalates() {
    otp_core::set_crash_reports(false);
    let me = self_pid();
    // The inner supervisor gives up at the first crash; the top one allows one restart.
    let inner = Options {
        max_restarts: 0,
        ..Options::default()
    };
    let top = Options {
        max_restarts: 1,
        ..Options::default()
    };
    let tree = vec![
        ChildSpec::new(worker, (1, me)),
        ChildSpec::supervisor(inner, vec![ChildSpec::new(worker, (2, me))]),
    ];
    // Linked to the top supervisor, whose end is part of the test.
    Process::trap_exit(true);
    let sup = supervisor::start_link(None, top, tree).unwrap();
    let watch = Process::monitor(sup);
    let steady = started(1);
    let inner_before = supervisor::which_children(sup).unwrap()[1].pid.unwrap();
    // A crash deep down: the inner supervisor gives up, and the top one starts it again.
    end(started(2), "crash");
    let again = started(2);
    let inner_after = supervisor::which_children(sup).unwrap()[1].pid.unwrap();
    assert_ne!(inner_after, inner_before);
    assert!(
        Process::alive(steady),
        "a one-for-one top keeps its other child"
    );
    // Once more: the top has used its one restart, so it gives up too: the failure climbs.
    end(again, "crash");
    assert_eq!(down_reason(watch), ExitReason::Shutdown);
    assert!(!Process::alive(steady));
    assert_receive!(otp_core::Exit { from, reason: ExitReason::Shutdown }: otp_core::Exit if from == sup, SLOW);
}
// END EXERCISE 6.5
// END EXERCISE 6.4

// BEGIN EXERCISE 6.1
#[test]
fn exercise_6_6_a_child_whose_name_is_taken_is_an_error_and_never_runs() {
    let me = self_pid();
    Process::register(me, "name_of_the_test").unwrap();
    let sup = supervisor::start("sup_name_taken").unwrap();
    let spec =
        ChildSpec::worker(|| gen_server::start_link::<Stack>(vec![], Some("name_of_the_test")));
    assert_eq!(
        supervisor::start_child_spec(sup, spec),
        Err(StartChildError::Start(StartError::Spawn(
            Error::NameTaken {
                name: "name_of_the_test".into(),
                owner: me
            }
        )))
    );
    supervisor::stop(sup).unwrap();
}
// END EXERCISE 6.1
// END EXERCISE 6.6

// BEGIN EXERCISE 6.7: children by id
use crate::supervisor::ChildError;

// BEGIN EXERCISE 6.1
#[test]
fn exercise_6_7_terminate_child_keeps_its_spec_and_restart_child_starts_it_again() {
    let sup = supervisor::start("sup_by_id").unwrap();
    let spec = ChildSpec::new(worker, (1, self_pid())).id("one");
    let first = supervisor::start_child_spec(sup, spec).unwrap();
    assert_eq!(started(1), first);
    let watch = Process::monitor(first);
    assert_eq!(supervisor::terminate_child(sup, "one"), Ok(()));
    down_reason(watch);
    let again = supervisor::restart_child(sup, "one").unwrap();
    assert_ne!(again, first);
    assert_eq!(started(1), again);
    supervisor::stop(sup).unwrap();
}
// END EXERCISE 6.1

// BEGIN EXERCISE 6.1
#[test]
fn exercise_6_7_delete_child_forgets_a_stopped_child_and_refuses_a_running_one() {
    let sup = supervisor::start("sup_delete").unwrap();
    supervisor::start_child_spec(sup, ChildSpec::new(worker, (1, self_pid())).id("one")).unwrap();
    assert_eq!(
        supervisor::delete_child(sup, "one"),
        Err(ChildError::Running)
    );
    assert_eq!(
        supervisor::restart_child(sup, "one"),
        Err(ChildError::Running)
    );
    supervisor::terminate_child(sup, "one").unwrap();
    assert_eq!(supervisor::delete_child(sup, "one"), Ok(()));
    assert_eq!(
        supervisor::restart_child(sup, "one"),
        Err(ChildError::NotFound)
    );
    supervisor::stop(sup).unwrap();
}
// END EXERCISE 6.1

#[test]
fn exercise_6_7_an_unknown_id_is_not_found() {
    let sup = supervisor::start("sup_not_found").unwrap();
    assert_eq!(
        supervisor::terminate_child(sup, "nobody"),
        Err(ChildError::NotFound)
    );
    assert_eq!(
        supervisor::restart_child(sup, "nobody"),
        Err(ChildError::NotFound)
    );
    assert_eq!(
        supervisor::delete_child(sup, "nobody"),
        Err(ChildError::NotFound)
    );
    supervisor::stop(sup).unwrap();
}

// BEGIN EXERCISE 6.1
#[test]
fn exercise_6_7_an_id_is_unique_among_the_children() {
    let sup = supervisor::start("sup_unique").unwrap();
    let spec = || ChildSpec::new(worker, (1, self_pid())).id("one");
    let pid = supervisor::start_child_spec(sup, spec()).unwrap();
    assert_eq!(
        supervisor::start_child_spec(sup, spec()),
        Err(StartChildError::AlreadyStarted(pid))
    );
    supervisor::terminate_child(sup, "one").unwrap();
    assert_eq!(
        supervisor::start_child_spec(sup, spec()),
        Err(StartChildError::AlreadyPresent)
    );
    supervisor::stop(sup).unwrap();
}
// END EXERCISE 6.1

// BEGIN EXERCISE 6.1
#[test]
fn exercise_6_7_a_temporary_child_that_is_terminated_is_forgotten() {
    let sup = supervisor::start("sup_terminate_temporary").unwrap();
    let spec = ChildSpec::new(worker, (1, self_pid()))
        .id("once")
        .restart(Restart::Temporary);
    supervisor::start_child_spec(sup, spec).unwrap();
    supervisor::terminate_child(sup, "once").unwrap();
    assert_eq!(
        supervisor::restart_child(sup, "once"),
        Err(ChildError::NotFound)
    );
    supervisor::stop(sup).unwrap();
}
// END EXERCISE 6.1
// END EXERCISE 6.7
