// BEGIN EXERCISE 6.1
// BEGIN EXERCISE 6.4
// BEGIN EXERCISE 6.5
// BEGIN EXERCISE 6.6
//! Fault injection: for two seconds (and at least `MIN_FAULTS` faults) a chaos process kills
//! random workers of a supervisor (kill, panic, normal exit) while four clients call them,
//! for each strategy, and for a two-level tree whose inner supervisor is a target too.
//! Every call ends within its timeout; at the end every worker is back, reachable by name.
//! A restart can fail under chaos (a child killed while it starts): first, one is made to
//! fail for sure, and the supervisor must try again until it works (exercise 6.4).
//! Its own test binary: it checks that no process in the program is left over.
//! Elixir: what a supervision tree promises, tested the way chaos tools test it.

use std::time::{Duration, Instant};

use otp_core::{Down, ExitReason, Pid, Process, assert_receive, self_pid, send, spawn};
use pretty_assertions::assert_eq;
use step6_supervisor::gen_server::{self, CallError};
use step6_supervisor::stack::Stack;
use step6_supervisor::supervisor::{self, ChildSpec, Options, Shutdown, Strategy};

const WORKERS: usize = 10;
const CLIENTS: usize = 4;
const CHAOS: Duration = Duration::from_secs(2);
/// However slow the machine, each chaos process injects this many faults and each client
/// makes this many calls, deadline or not: the test never passes on a quiet run.
const MIN_FAULTS: u32 = 30;
const MIN_CALLS: u32 = 30;
const CALL_TIMEOUT: Duration = Duration::from_millis(500);
/// How late past its timeout a call may return and still count: generous, since a loaded
/// two-core machine may not run the caller for a while; a hung call never returns at all.
const SLACK: Duration = Duration::from_secs(2);
const SLOW: Duration = Duration::from_secs(10);

const NAMES: [[&str; WORKERS]; 3] = [
    [
        "ofo0", "ofo1", "ofo2", "ofo3", "ofo4", "ofo5", "ofo6", "ofo7", "ofo8", "ofo9",
    ],
    [
        "ofa0", "ofa1", "ofa2", "ofa3", "ofa4", "ofa5", "ofa6", "ofa7", "ofa8", "ofa9",
    ],
    [
        "rfo0", "rfo1", "rfo2", "rfo3", "rfo4", "rfo5", "rfo6", "rfo7", "rfo8", "rfo9",
    ],
];

/// A Stack started by its own `start_link`, registered as `name`.
fn stack(name: &'static str) -> ChildSpec {
    ChildSpec::worker(move || gen_server::start_link::<Stack>(vec![], Some(name)))
}

/// The names in the two-level tree: a Stack under the top supervisor, the inner supervisor,
/// and the Stacks under it. The chaos process targets all of them, the inner supervisor too.
const TREE: [&str; 6] = [
    "tree_stack",
    "tree_inner",
    "tree_a",
    "tree_b",
    "tree_c",
    "tree_d",
];

/// A small deterministic random number generator (xorshift), so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Kills random workers until the deadline, one way or another; reports how many.
fn chaos(names: &'static [&'static str], seed: u64, until: Instant, report: Pid) {
    let mut rng = Rng(seed);
    let mut faults = 0u32;
    while faults < MIN_FAULTS || Instant::now() < until {
        if let Some(pid) = Process::whereis(names[rng.below(names.len())]) {
            match rng.below(3) {
                0 => Process::exit(pid, ExitReason::Kill),
                // A cast with no clause: the Stack panics.
                1 => send(pid, ("$cast", ("chaos", 0))),
                _ => {
                    let _ = gen_server::stop(pid, ExitReason::Normal);
                }
            }
            faults += 1;
        }
        Process::sleep(Duration::from_millis(2));
    }
    send(report, ("chaos done", faults));
}

/// Calls random workers until the deadline; checks each call ends in time; reports counts.
fn client(names: &'static [&'static str], seed: u64, until: Instant, report: Pid) {
    let mut rng = Rng(seed);
    let (mut replies, mut errors) = (0u32, 0u32);
    while replies + errors < MIN_CALLS || Instant::now() < until {
        let name = names[rng.below(names.len())];
        gen_server::cast::<Stack>(name, ("push", 1));
        let started = Instant::now();
        let result = gen_server::call_timeout::<Stack>(name, "pop", CALL_TIMEOUT);
        let took = started.elapsed();
        assert!(
            took <= CALL_TIMEOUT + SLACK,
            "a call took {took:?}: {result:?}"
        );
        match result {
            Ok(_) => replies += 1,
            Err(CallError::Noproc | CallError::Exit(_) | CallError::Timeout) => errors += 1,
            Err(e) => panic!("unexpected call error {e:?}"),
        }
    }
    send(report, ("client done", replies, errors));
}

/// Waits until every child of `sup` runs and its name points at it.
fn wait_for_all_workers(sup: Pid, names: &[&str]) {
    let deadline = Instant::now() + SLOW;
    loop {
        let children = supervisor::which_children(sup).expect("the supervisor is up");
        let pids: Vec<Option<Pid>> = children.iter().map(|c| c.pid).collect();
        let named: Vec<Option<Pid>> = names.iter().map(|n| Process::whereis(n)).collect();
        if pids.len() == names.len()
            && pids == named
            && pids.iter().all(|p| p.is_some_and(Process::alive))
        {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "workers did not come back: {pids:?} vs {named:?}"
        );
        Process::sleep(Duration::from_millis(5));
    }
}

/// Makes the restart of worker `i` of `sup` fail: another process holds its name when the
/// supervisor starts it again. The supervisor must keep trying (each try counting towards
/// its intensity) until the name is free, and the worker comes back.
fn a_restart_fails_until_the_name_is_free(sup: Pid, names: &[&'static str], i: usize) {
    let me = self_pid();
    let name = names[i];
    let worker = Process::whereis(name).expect("the worker is up");
    Process::unregister(name).unwrap();
    let squatter = spawn(move || {
        Process::register(self_pid(), name).unwrap();
        send(me, "squatting");
        otp_core::receive! { "leave": &str => () }
    });
    assert_receive!("squatting", SLOW);
    let watch = Process::monitor(worker);
    Process::exit(worker, ExitReason::Kill);
    assert_receive!(Down { reference, .. }: Down if reference == watch, SLOW);
    // Asked, not timed: once the supervisor has seen the exit, the worker is down, and stays
    // down while every restart finds the name taken.
    while supervisor::which_children(sup).expect("the supervisor is up")[i]
        .pid
        .is_some()
    {}
    send(squatter, "leave");
    wait_for_all_workers(sup, names);
}

/// The two-level tree: a top supervisor (one for one) with a Stack and an inner supervisor
/// (one for all) of four Stacks, both named, so that chaos can find them.
fn start_tree(options: impl Fn(Strategy) -> Options) -> Pid {
    let inner_children: Vec<ChildSpec> = TREE[2..].iter().map(|&name| stack(name)).collect();
    let inner_options = options(Strategy::OneForAll);
    let inner = ChildSpec::worker(move || {
        supervisor::start_link(Some(TREE[1]), inner_options, inner_children.clone())
    })
    .shutdown(Shutdown::Infinity);
    let top = vec![stack(TREE[0]), inner];
    supervisor::start_link(Some("chaos_tree"), options(Strategy::OneForOne), top).unwrap()
}

/// Waits until every process of the tree runs and its name points at it.
fn wait_for_the_tree(top: Pid) {
    wait_for_all_workers(top, &TREE[..2]);
    let inner = Process::whereis(TREE[1]).expect("the inner supervisor is up");
    wait_for_all_workers(inner, &TREE[2..]);
}

#[test]
fn workers_under_chaos_come_back_and_every_call_ends_in_time() {
    otp_core::set_crash_reports(false);
    let me = self_pid();
    let strategies = [
        Strategy::OneForOne,
        Strategy::OneForAll,
        Strategy::RestForOne,
    ];
    // Chaos restarts far more than 3 in 5 seconds: raise the intensity for this test.
    let options = |strategy| Options {
        strategy,
        max_restarts: 100_000,
        max_seconds: Duration::from_secs(1),
    };
    let sups: Vec<Pid> = strategies
        .iter()
        .zip(["chaos_ofo", "chaos_ofa", "chaos_rfo"])
        .map(|(&strategy, name)| supervisor::start_with(name, options(strategy)).unwrap())
        .collect();
    for (sup, names) in sups.iter().zip(&NAMES) {
        for &name in names {
            supervisor::start_child_spec(*sup, stack(name)).unwrap();
        }
        wait_for_all_workers(*sup, names);
    }
    let tree = start_tree(options);
    wait_for_the_tree(tree);
    a_restart_fails_until_the_name_is_free(sups[0], &NAMES[0], 0);

    let until = Instant::now() + CHAOS;
    let mut helpers = Vec::new();
    let targets: [&'static [&'static str]; 4] = [&NAMES[0], &NAMES[1], &NAMES[2], &TREE];
    for (i, &names) in targets.iter().enumerate() {
        let seed = 0x9E37_79B9_7F4A_7C15 ^ (i as u64 + 1);
        helpers.push(spawn(move || chaos(names, seed, until, me)));
        // Clients call the Stacks (of the tree, all but the inner supervisor).
        let stacks: &'static [&'static str] = if i == 3 { &TREE[2..] } else { names };
        for c in 0..CLIENTS {
            let seed = seed.rotate_left(c as u32 + 7);
            helpers.push(spawn(move || client(stacks, seed, until, me)));
        }
    }
    // Every helper ends normally: a client whose call overran panics, and that shows here.
    let watches: Vec<_> = helpers.iter().map(|&p| Process::monitor(p)).collect();
    for watch in watches {
        let down =
            assert_receive!(Down { reference, .. }: Down if reference == watch, CHAOS + SLOW);
        assert_eq!(down.reason, ExitReason::Normal);
    }
    let mut faults = 0;
    for _ in 0..targets.len() {
        faults += assert_receive!(("chaos done", _): (&str, u32)).1;
    }
    let mut replies = 0;
    for _ in 0..targets.len() * CLIENTS {
        replies += assert_receive!(("client done", _, _): (&str, u32, u32)).1;
    }
    // The workers spend most of their time up: calls get answers, not only errors.
    assert!(replies > 0, "no call answered under {faults} faults");

    for (sup, names) in sups.iter().zip(&NAMES) {
        wait_for_all_workers(*sup, names);
    }
    wait_for_the_tree(tree);
    let stacks = NAMES.iter().flatten().chain(&TREE[..1]).chain(&TREE[2..]);
    for name in stacks {
        assert_eq!(
            gen_server::call::<Stack>(*name, "pop").map(|_| ()),
            Ok(()),
            "{name}"
        );
    }
    for sup in sups.into_iter().chain([tree]) {
        supervisor::stop(sup).unwrap();
    }
    // Nothing is left over: only this test's own process is alive.
    assert_eq!(Process::list(), vec![me]);
}
// END EXERCISE 6.6
// END EXERCISE 6.5
// END EXERCISE 6.4
// END EXERCISE 6.1
