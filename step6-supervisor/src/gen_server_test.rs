//! Tests of our GenServer beyond the Stack: naming (section 4), then each exercise's tests,
//! with callback modules that fail, wait or clean up on demand.
//! Elixir: tests a learner writes for `lib/otp/gen_server.ex`

use std::time::Duration;

use otp_core::{Down, Error, Exit, ExitReason, Process, assert_receive, refute_receive, send};
use pretty_assertions::assert_eq;

use crate::gen_server::{self, StartError};
use crate::stack::Stack;

/// Long enough for anything that must happen on a loaded machine.
const SLOW: Duration = Duration::from_secs(5);

#[test]
fn a_named_server_is_reached_by_name() {
    let pid = gen_server::start_link::<Stack>(vec![], Some("named_stack")).unwrap();
    assert_eq!(Process::whereis("named_stack"), Some(pid));
    gen_server::cast::<Stack>("named_stack", ("push", 7));
    assert_eq!(gen_server::call::<Stack>("named_stack", "pop"), Ok(Ok(7)));
}

#[test]
fn starting_with_a_taken_name_is_an_error_and_starts_no_process() {
    Process::trap_exit(true);
    let first = gen_server::start_link::<Stack>(vec![], Some("taken_stack")).unwrap();
    let second = gen_server::start_link::<Stack>(vec![], Some("taken_stack"));
    assert_eq!(
        second,
        Err(StartError::Spawn(Error::NameTaken {
            name: "taken_stack".into(),
            owner: first
        }))
    );
    // A started (linked) process would have left an Exit behind when it ended.
    refute_receive!(e: Exit, Duration::from_millis(20));
    assert_eq!(Process::whereis("taken_stack"), Some(first));
}

#[test]
fn starting_with_an_invalid_name_is_an_error_and_leaves_no_process() {
    Process::trap_exit(true);
    assert_eq!(
        gen_server::start_link::<Stack>(vec![], Some("")),
        Err(StartError::Spawn(Error::InvalidName("".into())))
    );
    refute_receive!(e: Exit, Duration::from_millis(20));
}

#[test]
fn out_of_band_messages_are_dropped() {
    let pid = Stack::start_link(vec![1]).unwrap();
    send(pid, "junk");
    send(pid, ("$call", 42));
    send(pid, ("$cast", "not a push"));
    assert_eq!(Stack::pop(pid), Ok(Ok(1)));
    assert!(Process::alive(pid));
}

#[test]
fn a_cast_to_a_dead_or_unknown_server_still_returns() {
    let pid = Stack::start_link(vec![]).unwrap();
    // Unlinked first, so that its death does not take the test with it.
    Process::unlink(pid);
    let watch = Process::monitor(pid);
    Process::exit(pid, ExitReason::Kill);
    assert_receive!(Down { reference, .. }: Down if reference == watch, SLOW);
    gen_server::cast::<Stack>(pid, ("push", 1));
    gen_server::cast::<Stack>("nobody_by_this_name", ("push", 1));
}

// Not a workshop test: a callback that panics crashes its server, with the panic as the
// reason; the BEAM (here otp-core) gives that for free, as it does for any process.
#[test]
fn a_panic_in_a_callback_crashes_the_server_with_the_panic_as_reason() {
    otp_core::set_crash_reports(false);
    Process::trap_exit(true);
    let pid = Stack::start_link(vec![]).unwrap();
    let watch = Process::monitor(pid);
    // A cast the Stack has no clause for: it panics, as a missing clause raises in Elixir.
    gen_server::cast::<Stack>(pid, ("boom", 0));
    let down = assert_receive!(Down { reference, .. }: Down if reference == watch, SLOW);
    assert_eq!(
        down.reason,
        ExitReason::Panic("Stack: unknown cast (\"boom\", 0)".into())
    );
    // The caller is linked: it traps exits, so the crash reaches it as a message.
    let exit = assert_receive!(Exit { from, .. }: Exit if from == pid, SLOW);
    assert_eq!(exit.reason, down.reason);
}

// Not a workshop test: a linked caller that does not trap exits dies with its server.
#[test]
fn a_linked_caller_that_does_not_trap_dies_with_the_server() {
    otp_core::set_crash_reports(false);
    let (caller, watch) = otp_core::spawn_monitor(|| {
        let pid = Stack::start_link(vec![]).unwrap();
        gen_server::cast::<Stack>(pid, ("boom", 0));
        // Waits for nothing: the server's crash ends this process.
        otp_core::receive! { never: () => never }
    });
    let down = assert_receive!(Down { reference, .. }: Down if reference == watch, SLOW);
    assert_eq!(
        down.reason,
        ExitReason::Panic("Stack: unknown cast (\"boom\", 0)".into())
    );
    assert!(!Process::alive(caller));
}

// BEGIN EXERCISE 5.1
/// Waits for the Down of `reference` and returns its reason.
fn down_reason(reference: otp_core::Ref) -> ExitReason {
    assert_receive!(Down { reference: r, .. }: Down if r == reference, SLOW).reason
}
// END EXERCISE 5.1

// BEGIN EXERCISE 5.1: failure cases for handle_call/3 and handle_cast/2
use std::time::Instant;

use otp_core::{Pid, Ref, receive, self_pid};

use crate::gen_server::{CALL_TIMEOUT, CallError, CallReply, CastReply, GenServer};

/// A server that does what it is told, including failing. Its state counts the calls.
struct Faulty;

impl GenServer for Faulty {
    type State = u32;
    type Call = &'static str;
    type Reply = u32;
    type Cast = &'static str;

    fn handle_call(msg: &'static str, _from: gen_server::From, calls: u32) -> CallReply<u32, u32> {
        let calls = calls + 1;
        match msg {
            "count" => CallReply::Reply(calls, calls),
            "stop" => CallReply::Stop(ExitReason::Other("asked to stop".into()), calls, calls),
            "stop_silently" => {
                CallReply::StopNoReply(ExitReason::Other("asked to stop".into()), calls)
            }
            "panic" => panic!("handle_call panicked"),
            "slow" => {
                // Answers only when the test says so: however loaded the machine, the
                // caller has given up by then.
                receive! { "go on": &str => () }
                CallReply::Reply(calls, calls)
            }
            "call_myself" => {
                let answer = gen_server::call::<Faulty>(self_pid(), "count");
                assert_eq!(answer, Err(CallError::CallingSelf));
                CallReply::Reply(0, calls)
            }
            other => panic!("unknown call {other}"),
        }
    }

    fn handle_cast(msg: &'static str, calls: u32) -> CastReply<u32> {
        match msg {
            "die_when_stopped" => {
                // Stands in for a server that fails while it stops: it takes the stop
                // request itself and ends with another reason.
                receive! { ("$stop", _asked): (&str, ExitReason) => () }
                CastReply::Stop(ExitReason::Other("failed to stop".into()), calls)
            }
            "stop" => CastReply::Stop(ExitReason::Shutdown, calls),
            "panic" => panic!("handle_cast panicked"),
            _ => CastReply::NoReply(calls),
        }
    }
}

/// An unlinked Faulty server, so that its failures do not take the test down.
fn faulty() -> Pid {
    otp_core::set_crash_reports(false);
    gen_server::start::<Faulty>(0, None).unwrap()
}

#[test]
fn exercise_5_1_call_stop_replies_then_exits_with_the_reason() {
    let pid = faulty();
    let watch = Process::monitor(pid);
    assert_eq!(gen_server::call::<Faulty>(pid, "stop"), Ok(1));
    assert_eq!(
        down_reason(watch),
        ExitReason::Other("asked to stop".into())
    );
}

#[test]
fn exercise_5_1_call_stop_without_reply_fails_the_call_with_the_reason() {
    let pid = faulty();
    assert_eq!(
        gen_server::call::<Faulty>(pid, "stop_silently"),
        Err(CallError::Exit(ExitReason::Other("asked to stop".into())))
    );
}

#[test]
fn exercise_5_1_a_panic_in_handle_call_fails_the_call_at_once() {
    let pid = faulty();
    let started = Instant::now();
    assert_eq!(
        gen_server::call::<Faulty>(pid, "panic"),
        Err(CallError::Exit(ExitReason::Panic(
            "handle_call panicked".into()
        )))
    );
    // The monitor ended the wait, not the five-second timeout.
    assert!(started.elapsed() < CALL_TIMEOUT / 2);
    assert!(!Process::alive(pid));
}

#[test]
fn exercise_5_1_cast_stop_ends_the_server_with_the_reason() {
    let pid = faulty();
    let watch = Process::monitor(pid);
    gen_server::cast::<Faulty>(pid, "stop");
    assert_eq!(down_reason(watch), ExitReason::Shutdown);
}

#[test]
fn exercise_5_1_a_call_to_a_dead_server_fails_at_once() {
    let pid = faulty();
    let watch = Process::monitor(pid);
    Process::exit(pid, ExitReason::Kill);
    down_reason(watch);
    let started = Instant::now();
    assert_eq!(
        gen_server::call::<Faulty>(pid, "count"),
        Err(CallError::Noproc)
    );
    assert_eq!(
        gen_server::call::<Faulty>("no_such_server", "count"),
        Err(CallError::Noproc)
    );
    assert!(started.elapsed() < CALL_TIMEOUT / 2);
}

#[test]
fn exercise_5_1_a_call_that_times_out_leaves_no_late_reply() {
    let pid = faulty();
    let result = gen_server::call_timeout::<Faulty>(pid, "slow", Duration::from_millis(1));
    assert_eq!(result, Err(CallError::Timeout));
    send(pid, "go on");
    // The next call is answered after the slow one: by then its late reply was sent.
    assert_eq!(gen_server::call::<Faulty>(pid, "count"), Ok(2));
    refute_receive!(late: (Ref, u32), Duration::from_millis(20));
}

#[test]
fn exercise_5_1_a_server_that_calls_itself_gets_an_error_not_a_hang() {
    let pid = faulty();
    assert_eq!(gen_server::call::<Faulty>(pid, "call_myself"), Ok(0));
}
// END EXERCISE 5.1

// BEGIN EXERCISE 5.2: init, and a start that waits for it
/// A server whose `init` tells `observer` it ran, and who has its name by then, then
/// answers as the test planned: a state ten times `n`, a stop, or a crash.
struct Starting;

#[derive(Debug)]
struct Plan {
    observer: Pid,
    name: Option<&'static str>,
    init: Result<(), ExitReason>,
    n: u32,
}

fn plan(name: Option<&'static str>, init: Result<(), ExitReason>, n: u32) -> Plan {
    let observer = self_pid();
    Plan {
        observer,
        name,
        init,
        n,
    }
}

impl GenServer for Starting {
    type State = Plan;
    type Call = ();
    type Reply = u32;
    type Cast = ();

    fn init(plan: Plan) -> Result<Plan, ExitReason> {
        let named = plan.name.and_then(Process::whereis);
        send(plan.observer, ("init", self_pid(), named));
        match plan.init {
            Ok(()) => Ok(Plan {
                n: plan.n * 10,
                ..plan
            }),
            Err(ExitReason::Panic(message)) => panic!("{message}"),
            Err(reason) => Err(reason),
        }
    }

    fn handle_call(_: (), _: gen_server::From, plan: Plan) -> CallReply<u32, Plan> {
        CallReply::Reply(plan.n, plan)
    }

    fn handle_cast(_: (), plan: Plan) -> CastReply<Plan> {
        CastReply::NoReply(plan)
    }
}

#[test]
fn exercise_5_2_init_runs_before_start_link_returns_and_sets_the_state() {
    let pid = gen_server::start_link::<Starting>(plan(None, Ok(()), 4), None).unwrap();
    // Sent by init before start_link returned: already here, no waiting.
    assert_receive!(("init", p, None): (&str, Pid, Option<Pid>) if p == pid, Duration::ZERO);
    assert_eq!(gen_server::call::<Starting>(pid, ()), Ok(40));
}

#[test]
fn exercise_5_2_the_name_is_taken_before_init_runs() {
    let name = Some("starting_server");
    let pid = gen_server::start_link::<Starting>(plan(name, Ok(()), 1), name).unwrap();
    assert_receive!(("init", p, Some(named)): (&str, Pid, Option<Pid>) if p == pid && named == pid, Duration::ZERO);
}

#[test]
fn exercise_5_2_an_init_that_stops_is_a_start_error_and_leaves_nothing_running() {
    // Not trapping exits: were the failed server's exit to reach this process, it would die.
    let asked = ExitReason::Other("not today".into());
    let started = gen_server::start_link::<Starting>(plan(None, Err(asked.clone()), 1), None);
    assert_eq!(started, Err(StartError::Init(asked)));
    let (_, pid, _) = assert_receive!(("init", _, _): (&str, Pid, Option<Pid>), Duration::ZERO);
    assert!(!Process::alive(pid));
}

#[test]
fn exercise_5_2_an_init_that_crashes_is_a_start_error_for_a_trapping_caller() {
    otp_core::set_crash_reports(false);
    Process::trap_exit(true);
    let crash = Err(ExitReason::Panic("init crashed".into()));
    let started = gen_server::start_link::<Starting>(plan(None, crash, 1), None);
    assert_eq!(
        started,
        Err(StartError::Init(ExitReason::Panic("init crashed".into())))
    );
    let (_, pid, _) = assert_receive!(("init", _, _): (&str, Pid, Option<Pid>), Duration::ZERO);
    assert!(!Process::alive(pid));
    // Its Exit was taken care of by start_link.
    refute_receive!(e: Exit, Duration::from_millis(20));
}

/// A server whose `init` never answers, and whose start gives up soon (step 6's supervisor
/// tests start one too).
pub(crate) struct Hanging;

impl GenServer for Hanging {
    type State = ();
    type Call = ();
    type Reply = ();
    type Cast = ();
    const START_TIMEOUT: Duration = Duration::from_millis(50);

    fn init(_: ()) -> Result<(), ExitReason> {
        Process::sleep(Duration::MAX);
        unreachable!("killed while asleep")
    }

    fn handle_call(_: (), _: gen_server::From, _: ()) -> CallReply<(), ()> {
        CallReply::Reply((), ())
    }

    fn handle_cast(_: (), _: ()) -> CastReply<()> {
        CastReply::NoReply(())
    }
}

#[test]
fn exercise_5_2_an_init_that_never_answers_is_a_timeout_and_is_killed() {
    let started = gen_server::start_link::<Hanging>((), Some("hanging_server"));
    assert_eq!(started, Err(StartError::Timeout));
    // Killed, and gone by the time start_link returned: its name is free again.
    assert_eq!(Process::whereis("hanging_server"), None);
}
// END EXERCISE 5.2

// BEGIN EXERCISE 5.3: handle_info, and a reply that comes later
/// A server that tells `observer` of every message that is not a call or a cast, and
/// answers a call from another process when asked to.
struct Informed;

impl GenServer for Informed {
    type State = Pid;
    type Call = &'static str;
    type Reply = u32;
    type Cast = &'static str;

    fn handle_call(
        msg: &'static str,
        from: gen_server::From,
        observer: Pid,
    ) -> CallReply<u32, Pid> {
        match msg {
            "later" => {
                // Answer after this callback has returned, from another process.
                otp_core::spawn(move || gen_server::reply(from, 42u32));
                CallReply::NoReply(observer)
            }
            "trap exits" => {
                Process::trap_exit(true);
                CallReply::Reply(0, observer)
            }
            _ => CallReply::Reply(0, observer),
        }
    }

    fn handle_cast(_: &'static str, observer: Pid) -> CastReply<Pid> {
        CastReply::NoReply(observer)
    }

    fn handle_info(msg: otp_core::AnyMessage, observer: Pid) -> CastReply<Pid> {
        if let Some(&text) = msg.downcast_ref::<&str>() {
            if text == "stop" {
                return CastReply::Stop(ExitReason::Other("told by info".into()), observer);
            }
        }
        send(observer, ("info", format!("{msg:?}")));
        CastReply::NoReply(observer)
    }
}

#[test]
fn exercise_5_3_other_messages_go_to_handle_info_in_order() {
    let pid = gen_server::start_link::<Informed>(self_pid(), None).unwrap();
    send(pid, "hello");
    send(pid, (1, 2));
    assert_receive!(("info", text): (&str, String) if text == "\"hello\"", SLOW);
    assert_receive!(("info", text): (&str, String) if text == "(1, 2)", SLOW);
}

#[test]
fn exercise_5_3_a_deferred_reply_reaches_the_caller() {
    let pid = gen_server::start_link::<Informed>(self_pid(), None).unwrap();
    assert_eq!(gen_server::call::<Informed>(pid, "later"), Ok(42));
}

#[test]
fn exercise_5_3_the_exit_of_a_linked_process_that_is_not_the_parent_goes_to_handle_info() {
    let pid = gen_server::start_link::<Informed>(self_pid(), None).unwrap();
    gen_server::call::<Informed>(pid, "trap exits").unwrap();
    // A process the server links to, which then ends.
    let neighbour = otp_core::spawn(move || {
        Process::link(pid);
        otp_core::exit("neighbour gone");
    });
    let expected = format!(
        "{:?}",
        Exit {
            from: neighbour,
            reason: "neighbour gone".into()
        }
    );
    assert_receive!(("info", text): (&str, String) if text == expected, SLOW);
    assert!(Process::alive(pid));
}

// BEGIN EXERCISE 5.1
#[test]
fn exercise_5_1_handle_info_may_stop_the_server() {
    let pid = gen_server::start::<Informed>(self_pid(), None).unwrap();
    let watch = Process::monitor(pid);
    send(pid, "stop");
    assert_eq!(down_reason(watch), ExitReason::Other("told by info".into()));
}
// END EXERCISE 5.1
// END EXERCISE 5.3

// BEGIN EXERCISE 5.4: terminate, and stop
/// A server that tells `observer` when `terminate` runs, with which reason.
struct Terminating;

impl GenServer for Terminating {
    type State = Pid;
    type Call = ();
    type Reply = ();
    type Cast = &'static str;

    fn init(observer: Pid) -> Result<Pid, ExitReason> {
        // OTP: only a server that traps exits hears of its parent's end in time to clean up.
        Process::trap_exit(true);
        Ok(observer)
    }

    fn handle_call(_: (), _: gen_server::From, observer: Pid) -> CallReply<(), Pid> {
        CallReply::Reply((), observer)
    }

    fn handle_cast(msg: &'static str, observer: Pid) -> CastReply<Pid> {
        match msg {
            "stop" => CastReply::Stop(ExitReason::Other("cast stop".into()), observer),
            _ => CastReply::NoReply(observer),
        }
    }

    fn terminate(reason: &ExitReason, observer: Pid) {
        send(observer, ("terminate", reason.clone()));
    }
}

#[test]
fn exercise_5_4_stop_runs_terminate_and_waits_until_the_server_is_gone() {
    let pid = gen_server::start_link::<Terminating>(self_pid(), None).unwrap();
    assert_eq!(gen_server::stop(pid, ExitReason::Normal), Ok(()));
    assert!(!Process::alive(pid));
    // Sent by terminate before the server ended: already here.
    assert_receive!(("terminate", ExitReason::Normal), Duration::ZERO);
}

#[test]
fn exercise_5_4_stopping_a_dead_or_unknown_server_is_noproc() {
    let pid = gen_server::start_link::<Terminating>(self_pid(), None).unwrap();
    gen_server::stop(pid, ExitReason::Normal).unwrap();
    assert_eq!(
        gen_server::stop(pid, ExitReason::Normal),
        Err(gen_server::CallError::Noproc)
    );
    assert_eq!(
        gen_server::stop("nobody_by_this_name", ExitReason::Normal),
        Err(gen_server::CallError::Noproc)
    );
}

// BEGIN EXERCISE 5.2
#[test]
fn exercise_5_4_a_trapping_server_stops_with_its_parent_and_runs_terminate() {
    let me = self_pid();
    let parent = otp_core::spawn(move || {
        let server = gen_server::start_link::<Terminating>(me, None).unwrap();
        send(me, ("server", server));
        receive! { "go": &str => () }
        otp_core::exit(ExitReason::Shutdown);
    });
    let (_, server) = assert_receive!(("server", _): (&str, Pid), SLOW);
    let watch = Process::monitor(server);
    send(parent, "go");
    assert_receive!(("terminate", ExitReason::Shutdown), SLOW);
    assert_receive!(Down { reference, reason: ExitReason::Shutdown, .. }: Down if reference == watch, SLOW);
    assert!(!Process::alive(parent));
}
// END EXERCISE 5.2

/// A state whose Drop panics: the cleanup that fails.
#[derive(Debug)]
struct FailsToDrop;

impl Drop for FailsToDrop {
    fn drop(&mut self) {
        panic!("the state failed to drop");
    }
}

/// A Stack-like server whose state fails as it is dropped.
struct Fragile;

impl GenServer for Fragile {
    type State = FailsToDrop;
    type Call = ();
    type Reply = ();
    type Cast = ();

    fn handle_call(_: (), _: gen_server::From, state: FailsToDrop) -> CallReply<(), FailsToDrop> {
        CallReply::Reply((), state)
    }

    fn handle_cast(_: (), state: FailsToDrop) -> CastReply<FailsToDrop> {
        CastReply::NoReply(state)
    }
}

#[test]
fn exercise_5_4_a_state_that_panics_as_it_drops_on_stop_crashes_only_its_server() {
    otp_core::set_crash_reports(false);
    let pid = gen_server::start::<Fragile>(FailsToDrop, None).unwrap();
    // The state is dropped in ordinary code as the server stops, so its panic is the
    // server's crash, with that reason; were it dropped while the process unwound, the
    // whole test program would abort here.
    assert_eq!(
        gen_server::stop(pid, ExitReason::Normal),
        Err(gen_server::CallError::Exit(ExitReason::Panic(
            "the state failed to drop".into()
        )))
    );
}

// BEGIN EXERCISE 5.1
#[test]
fn exercise_5_4_a_callback_stop_runs_terminate_with_its_reason() {
    let pid = gen_server::start::<Terminating>(self_pid(), None).unwrap();
    gen_server::cast::<Terminating>(pid, "stop");
    assert_receive!(("terminate", reason): (&str, ExitReason) if reason == ExitReason::Other("cast stop".into()), SLOW);
}

#[test]
fn exercise_5_4_stop_answers_the_reason_of_a_server_that_ended_otherwise() {
    let pid = faulty();
    gen_server::cast::<Faulty>(pid, "die_when_stopped");
    assert_eq!(
        gen_server::stop(pid, ExitReason::Normal),
        Err(CallError::Exit(ExitReason::Other("failed to stop".into())))
    );
}
// END EXERCISE 5.1
// END EXERCISE 5.4
