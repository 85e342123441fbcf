//! Demo of step 6: a supervised Stack crashes and its supervisor starts a fresh one from
//! the same specification, which serves the next call; then (exercise 6.6) a small
//! supervision tree, where a crash deep in the tree is mended where it happened, and a
//! crash loop climbs one level. Run it with `cargo run -p step6-supervisor`; the trace lines
//! (on standard error) show each exit signal and restart.
//! Elixir: `OTP.Supervisor.start(:sup)`, `OTP.Supervisor.start_child(:sup, Stack, :start, [[]])`

use otp_core::{Down, Pid, Process, receive, self_pid, send};
use step6_supervisor::gen_server;
use step6_supervisor::stack::Stack;
use step6_supervisor::supervisor;

fn main() {
    workshop();
    // BEGIN EXERCISE 6.6
    tree();
    // END EXERCISE 6.6
}

/// What the supervised child runs: it tells `observer` it started, then becomes the Stack
/// server, from `initial`.
fn stack((initial, observer): (Vec<i32>, Pid)) {
    send(observer, ("started", "stack", self_pid()));
    gen_server::enter_loop::<Stack>(initial);
}

/// Waits for the child `name` to say it started, and answers its pid.
fn started(name: &str) -> Pid {
    receive! { ("started", n, pid): (&str, &str, Pid) if n == name => pid }
}

/// Crashes the Stack at `pid` with a cast it has no clause for, as a missing clause would
/// in Elixir, and waits until it is gone.
fn crash(pid: Pid) {
    let watch = Process::monitor(pid);
    gen_server::cast::<Stack>(pid, ("boom", 0));
    receive! {
        Down { reference, reason, .. }: Down if reference == watch => println!("  {pid} crashed: {reason}"),
    }
}

/// The workshop's chapter: a supervisor restarts a crashed child from how it was started.
fn workshop() {
    println!("The workshop's supervisor:");
    let sup = supervisor::start("demo_sup").expect("start the supervisor");
    supervisor::start_child(sup, stack, (vec![], self_pid())).expect("start the stack");
    let first = started("stack");
    Stack::push(first, 1);
    println!("  {first} pop = {:?}", Stack::pop(first));

    otp_core::trace::enable();
    crash(first);
    let next = started("stack");
    otp_core::trace::disable();

    println!("  restarted as {next}: pop = {:?}", Stack::pop(next));
    supervisor::stop(sup).expect("stop the supervisor");
    println!("  stopped: {next} alive? {}", Process::alive(next));
}

// BEGIN EXERCISE 6.6
use std::time::Duration;

use step6_supervisor::supervisor::{ChildSpec, Options, Strategy};

/// A worker of the tree: a Stack server registered as `name`, started by its own
/// `start_link`, that tells `observer` it started.
fn stack_worker(name: &'static str, observer: Pid) -> ChildSpec {
    ChildSpec::worker(move || {
        let pid = gen_server::start_link::<Stack>(vec![], Some(name))?;
        send(observer, ("started", name, pid));
        Ok(pid)
    })
    .id(name)
}

/// Exercise 6.6: a tree of two supervisors.
fn tree() {
    println!("A supervision tree:");
    let me = self_pid();
    // The workers restart together, and give up after the third restart in 5 s.
    let workers = Options {
        strategy: Strategy::OneForAll,
        max_restarts: 2,
        max_seconds: Duration::from_secs(5),
    };
    let children = vec![
        stack_worker("top_stack", me),
        ChildSpec::supervisor(
            workers,
            vec![stack_worker("left", me), stack_worker("right", me)],
        )
        .id("workers"),
    ];
    let top =
        supervisor::start_link(Some("top"), Options::default(), children).expect("start the tree");
    let [top_stack, left, right] = ["top_stack", "left", "right"].map(started);
    let workers_sup = supervisor::which_children(top).expect("ask the top")[1].pid;
    println!(
        "  top {top}: top_stack {top_stack}, workers {workers_sup:?}: left {left}, right {right}"
    );

    otp_core::trace::enable();
    println!("A crash deep in the tree, mended by the workers' supervisor (one for all):");
    crash(left);
    let (left, right) = (started("left"), started("right"));
    println!("  restarted: left {left}, right {right}");

    println!("A crash loop: the workers' supervisor gives up, and the top starts it again:");
    crash(right);
    let (_, right) = (started("left"), started("right"));
    crash(right);
    let (left, right) = (started("left"), started("right"));
    otp_core::trace::disable();
    let now = supervisor::which_children(top).expect("ask the top")[1].pid;
    println!("  workers {now:?} (was {workers_sup:?}): left {left}, right {right}");
    println!("  top_stack untouched: {}", Process::alive(top_stack));

    supervisor::stop(top).expect("stop the tree");
    println!("  stopped: right alive? {}", Process::alive(right));
}
// END EXERCISE 6.6
