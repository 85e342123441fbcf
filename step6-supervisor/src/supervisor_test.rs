//! Tests of our Supervisor: the workshop's chapter (restart, stop, naming, start_child) and
//! the extensions (strategies, restart types, intensity, which_children/count_children).
//! Elixir: tests a learner writes for `lib/otp/supervisor.ex`

use std::time::Duration;

use otp_core::{
    Down, Exit, ExitReason, Pid, Process, Ref, assert_receive, exit, receive, refute_receive,
    self_pid, send, spawn_monitor,
};
use pretty_assertions::assert_eq;

use crate::gen_server;
use crate::stack::Stack;
use crate::supervisor::{
    self, ChildInfo, ChildSpec, Counts, Options, Restart, StartChildError, Strategy,
};

const SLOW: Duration = Duration::from_secs(5);

/// A child that tells `observer` when it starts and when it is shut down, answers pings
/// with its id, and crashes or exits when told to.
fn worker((id, observer): (u32, Pid)) {
    // Trapping exits lets it see the supervisor's shutdown, to report it.
    Process::trap_exit(true);
    send(observer, ("started", id, self_pid()));
    loop {
        receive! {
            ("ping", from): (&str, Pid) => send(from, ("pong", id)),
            "crash": &str => panic!("worker {id} crashed"),
            reason: ExitReason => exit(reason),
            Exit { reason: ExitReason::Shutdown, .. }: Exit => {
                send(observer, ("stopped", id));
                exit(ExitReason::Shutdown)
            }
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

/// Stops `pid` the way `reason` says, and waits for its Down.
fn end(pid: Pid, how: impl otp_core::Message) {
    let watch = Process::monitor(pid);
    send(pid, how);
    down_reason(watch);
}

#[test]
fn a_crashed_child_is_restarted_with_a_new_pid_and_the_same_arguments() {
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

/// A supervised Stack: the child becomes the Stack server.
fn stack(initial: Vec<i32>) {
    gen_server::enter_loop::<Stack>(initial);
}

#[test]
fn a_supervised_stack_crashes_comes_back_and_serves_calls() {
    otp_core::set_crash_reports(false);
    let sup = supervisor::start("sup_stack").unwrap();
    let spec = ChildSpec::new(stack, vec![]).named("supervised_stack");
    let first = supervisor::start_child_spec(sup, spec).unwrap();
    Stack::push(first, 1);
    assert_eq!(
        gen_server::call::<Stack>("supervised_stack", "pop"),
        Ok(Ok(1))
    );
    // An unknown cast makes the Stack crash, as a missing clause would in Elixir.
    end(first, ("$cast", ("boom", 0)));
    let children = supervisor::which_children(sup).unwrap();
    let second = children[0].pid.expect("restarted");
    assert_ne!(second, first);
    assert_eq!(Process::whereis("supervised_stack"), Some(second));
    assert_eq!(
        gen_server::call::<Stack>("supervised_stack", "pop"),
        Ok(Err("empty"))
    );
    supervisor::stop(sup).unwrap();
}

#[test]
fn stop_leaves_no_child_alive() {
    let sup = supervisor::start("sup_stop").unwrap();
    let children: Vec<Pid> = (1..=3)
        .map(|id| supervisor::start_child(sup, worker, (id, self_pid())).unwrap())
        .collect();
    supervisor::stop(sup).unwrap();
    assert!(!Process::alive(sup));
    for pid in children {
        assert!(!Process::alive(pid), "{pid} outlived its supervisor");
    }
}

#[test]
fn the_supervisor_is_reachable_by_its_name() {
    let sup = supervisor::start("sup_named").unwrap();
    assert_eq!(Process::whereis("sup_named"), Some(sup));
    let child = supervisor::start_child("sup_named", worker, (1, self_pid())).unwrap();
    assert_eq!(started(1), child);
    assert_eq!(
        supervisor::start("sup_named"),
        Err(otp_core::Error::NameTaken {
            name: "sup_named".into(),
            owner: sup
        })
    );
    supervisor::stop("sup_named").unwrap();
}

#[test]
fn the_exit_of_the_supervisors_caller_does_not_take_the_children_down() {
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

#[test]
fn exercise_6_1_start_child_answers_the_pid_of_a_linked_child() {
    let sup = supervisor::start("sup_start_child").unwrap();
    let child = supervisor::start_child(sup, stack, vec![]).unwrap();
    assert_eq!(Stack::pop(child), Ok(Err("empty")));
    assert_eq!(
        supervisor::which_children(sup).unwrap(),
        vec![ChildInfo {
            pid: Some(child),
            restart: Restart::Permanent
        }]
    );
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
fn exercise_6_1_a_child_whose_name_is_taken_is_an_error_and_never_runs() {
    let me = self_pid();
    Process::register(me, "name_of_the_test").unwrap();
    let sup = supervisor::start("sup_name_taken").unwrap();
    let spec = ChildSpec::new(worker, (1, me)).named("name_of_the_test");
    assert_eq!(
        supervisor::start_child_spec(sup, spec),
        Err(StartChildError::Spawn(otp_core::Error::NameTaken {
            name: "name_of_the_test".into(),
            owner: me
        }))
    );
    refute_receive!(("started", _, _): (&str, u32, Pid), Duration::from_millis(20));
    assert_eq!(supervisor::which_children(sup).unwrap(), vec![]);
    supervisor::stop(sup).unwrap();
}

/// A supervisor with `strategy` and the default intensity.
fn start_with_strategy(name: &str, strategy: Strategy) -> Pid {
    let options = Options {
        strategy,
        ..Options::default()
    };
    supervisor::start_with(name, options).unwrap()
}

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
fn exercise_6_2_one_for_one_restarts_only_the_child_that_exited() {
    otp_core::set_crash_reports(false);
    let (sup, pids) = three_workers("sup_one_for_one", Strategy::OneForOne);
    end(pids[1], "crash");
    let restarted = started(2);
    refute_receive!(("stopped", _): (&str, u32), Duration::from_millis(20));
    assert!(Process::alive(pids[0]) && Process::alive(pids[2]));
    let now: Vec<Option<Pid>> = supervisor::which_children(sup)
        .unwrap()
        .iter()
        .map(|c| c.pid)
        .collect();
    assert_eq!(now, vec![Some(pids[0]), Some(restarted), Some(pids[2])]);
    supervisor::stop(sup).unwrap();
}

#[test]
fn exercise_6_2_one_for_all_stops_the_others_in_reverse_order_and_starts_all_in_order() {
    otp_core::set_crash_reports(false);
    let (sup, pids) = three_workers("sup_one_for_all", Strategy::OneForAll);
    end(pids[1], "crash");
    // Each waits for the one before it to be gone, so their reports come in stop order.
    let order: Vec<u32> = (0..2)
        .map(|_| assert_receive!(("stopped", _): (&str, u32), SLOW).1)
        .collect();
    assert_eq!(order, vec![3, 1]);
    let restarted: Vec<Pid> = (1..=3).map(started).collect();
    assert!(pids.iter().all(|&p| !Process::alive(p)));
    // Started in order: pids are handed out in spawn order. (Their "started" messages may
    // arrive in any order: each child runs on its own thread.)
    assert!(restarted.windows(2).all(|w| w[0] < w[1]), "{restarted:?}");
    let now: Vec<Option<Pid>> = supervisor::which_children(sup)
        .unwrap()
        .iter()
        .map(|c| c.pid)
        .collect();
    assert_eq!(now, restarted.into_iter().map(Some).collect::<Vec<_>>());
    supervisor::stop(sup).unwrap();
}

#[test]
fn exercise_6_2_rest_for_one_restarts_the_child_and_those_started_after_it() {
    otp_core::set_crash_reports(false);
    let (sup, pids) = three_workers("sup_rest_for_one", Strategy::RestForOne);
    end(pids[1], "crash");
    assert_receive!(("stopped", 3u32), SLOW);
    started(2);
    started(3);
    refute_receive!(("stopped", 1u32), Duration::from_millis(20));
    assert!(Process::alive(pids[0]));
    supervisor::stop(sup).unwrap();
}

#[test]
fn exercise_6_2_children_are_stopped_in_reverse_start_order() {
    let (sup, _) = three_workers("sup_stop_order", Strategy::OneForOne);
    supervisor::stop(sup).unwrap();
    let order: Vec<u32> = (0..3)
        .map(|_| assert_receive!(("stopped", _): (&str, u32), SLOW).1)
        .collect();
    assert_eq!(order, vec![3, 2, 1]);
}

#[test]
fn exercise_6_3_a_transient_child_is_restarted_only_after_an_abnormal_exit() {
    otp_core::set_crash_reports(false);
    let sup = supervisor::start("sup_transient").unwrap();
    let spec = ChildSpec::new(worker, (1, self_pid())).restart(Restart::Transient);
    supervisor::start_child_spec(sup, spec).unwrap();
    end(started(1), "crash");
    let again = started(1);
    end(again, ExitReason::Normal);
    refute_receive!(("started", _, _): (&str, u32, Pid), Duration::from_millis(20));
    assert_eq!(
        supervisor::count_children(sup).unwrap(),
        Counts {
            specs: 1,
            active: 0
        }
    );
    supervisor::stop(sup).unwrap();
}

#[test]
fn exercise_6_3_a_temporary_child_is_never_restarted() {
    otp_core::set_crash_reports(false);
    let sup = supervisor::start("sup_temporary").unwrap();
    let spec = ChildSpec::new(worker, (1, self_pid())).restart(Restart::Temporary);
    supervisor::start_child_spec(sup, spec).unwrap();
    end(started(1), "crash");
    refute_receive!(("started", _, _): (&str, u32, Pid), Duration::from_millis(20));
    assert_eq!(
        supervisor::count_children(sup).unwrap(),
        Counts {
            specs: 0,
            active: 0
        }
    );
    supervisor::stop(sup).unwrap();
}

#[test]
fn exercise_6_3_a_temporary_child_stopped_for_a_sibling_is_gone_not_restarted() {
    otp_core::set_crash_reports(false);
    let sup = start_with_strategy("sup_temporary_sibling", Strategy::OneForAll);
    supervisor::start_child(sup, worker, (1, self_pid())).unwrap();
    let first = started(1);
    let spec = ChildSpec::new(worker, (2, self_pid())).restart(Restart::Temporary);
    supervisor::start_child_spec(sup, spec).unwrap();
    started(2);
    end(first, "crash");
    assert_receive!(("stopped", 2u32), SLOW);
    let again = started(1);
    assert_eq!(
        supervisor::which_children(sup).unwrap(),
        vec![ChildInfo {
            pid: Some(again),
            restart: Restart::Permanent
        }]
    );
    supervisor::stop(sup).unwrap();
}

#[test]
fn exercise_6_3_a_permanent_child_is_restarted_even_after_a_normal_exit() {
    let sup = supervisor::start("sup_permanent").unwrap();
    supervisor::start_child(sup, worker, (1, self_pid())).unwrap();
    end(started(1), ExitReason::Normal);
    started(1);
    supervisor::stop(sup).unwrap();
}

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
                pid: Some(a),
                restart: Restart::Permanent
            },
            ChildInfo {
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
