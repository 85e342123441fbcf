//! One test per step README: it plays the chapter's key moment with the step's own code,
//! draws it with `trace::diagram`, and checks the copy under `<!-- diagram: NAME -->` in the
//! README (`UPDATE_DIAGRAMS=1 cargo test -p readme-diagrams` rewrites a stale one).
//!
//! A diagram must be the same text at every run, on a loaded machine too: each scenario
//! waits for every reply or `Exit` before its next step, so that what two processes do
//! never happens at the same time. Where a process must tell the scenario that it is done,
//! and a message would be one more arrow racing with others, it tells through an
//! `std::sync::mpsc` channel, which no diagram draws. Processes a scenario leaves running
//! are stopped after the drawing, where no diagram sees it.
//! Elixir: `:et_viewer` on a trace of each chapter · OTP: et (Event Tracer)

use std::sync::mpsc;
use std::time::Duration;

use otp_core::testing::assert_diagram_in_readme;
use otp_core::{
    Exit, ExitReason, Message, Pid, Process, Ref, assert_receive, receive, self_pid, trace,
};

/// How long a scenario waits for a message that must come: long, as a loaded machine can
/// hold a process back; a run that passes waits only as long as the message takes.
const RECEIVE_TIMEOUT: Duration = Duration::from_secs(5);

/// Draws `scenario` and returns the diagram with what the scenario returned (the processes
/// to stop afterwards).
fn draw<T: Send>(scenario: impl FnOnce() -> T + Send) -> (String, T) {
    let mut out = None;
    let diagram = trace::diagram(|| out = Some(scenario()));
    (diagram, out.expect("the scenario returned"))
}

/// Checks `diagram` against the block `name` in the README of the step in folder `step`.
#[track_caller]
fn check(step: &str, name: &str, diagram: &str) {
    let readme = format!("{}/../{step}/README.md", env!("CARGO_MANIFEST_DIR"));
    assert_diagram_in_readme(readme, name, diagram);
}

/// Ends `pid`, out of any diagram. `kill`, as an echo loops for ever and a linked test
/// process's normal exit does not end it.
fn stop(pid: Pid) {
    Process::exit(pid, ExitReason::Kill);
}

// Step 1: the echo sends each message back to the process that sent it.
#[test]
fn step1_an_echo() {
    use step1_echo::Echo;

    let (diagram, echo) = draw(|| {
        let echo = Echo::start_link().unwrap();
        trace::label(echo, "echo");
        Echo::send(echo, "hello");
        assert_receive!("hello", RECEIVE_TIMEOUT);
        Echo::send(echo, "hi");
        assert_receive!("hi", RECEIVE_TIMEOUT);
        echo
    });
    stop(echo);
    check("step1-echo", "echo", &diagram);
}

// Step 2: an echo that hears nothing for LOOP_TIMEOUT returns, a normal exit. The test
// traps exits to be told through the link: a monitor set after the start could come too
// late on a busy machine (10 ms is short), where a link is there from the spawn.
#[test]
fn step2_the_idle_exit() {
    use step2_timeout::Echo;

    let (diagram, ()) = draw(|| {
        Process::trap_exit(true);
        let echo = Echo::start_link().unwrap();
        trace::label(echo, "echo");
        assert_receive!(Exit { from, reason: ExitReason::Normal }: Exit if from == echo, RECEIVE_TIMEOUT);
    });
    check("step2-timeout", "idle_exit", &diagram);
}

/// The echo of steps 3 and 4, played slow: it takes a request, answers it only once the
/// next one has come in, then answers that one too, with `answer`. The receiver tells when
/// both answers are sent. It then waits to be stopped.
fn slow_echo<R: Message>(answer: fn(R)) -> (Pid, mpsc::Receiver<()>) {
    let (answered, both_answered) = mpsc::channel();
    let slow = otp_core::spawn_link(move || {
        let first = receive! { request: R => request };
        let second = receive! { request: R => request };
        answer(first);
        answer(second);
        let _ = answered.send(());
        receive! { "stop": &str => () }
    });
    trace::label(slow, "slow echo");
    (slow, both_answered)
}

// Step 3: a reply that comes after sync_send gave up is taken as the answer to the next
// request.
#[test]
fn step3_the_race() {
    use step3_sync::echo::{Echo, Timeout};

    let (diagram, slow) = draw(|| {
        let (slow, both_answered) =
            slow_echo(|(msg, caller): (&'static str, Pid)| otp_core::send(caller, msg));
        let late = Echo::sync_send(slow, "hello");
        assert_eq!(Err(Timeout), late);
        trace::note(&format!("sync_send(\"hello\") = {late:?}"));
        let wrong = Echo::sync_send(slow, "hi");
        assert_eq!(Ok("hello"), wrong);
        // The answer to "hi" is on its way too: once it is in, it is drawn at every run.
        both_answered.recv_timeout(RECEIVE_TIMEOUT).unwrap();
        trace::note(&format!("sync_send(\"hi\") = {wrong:?}"));
        slow
    });
    stop(slow);
    check("step3-sync", "race", &diagram);
}

// Step 4: the same exchange with refs. The late answer to "hello" carries the first call's
// ref: the second call passes it by and takes the reply with its own.
#[test]
fn step4_the_race_fixed() {
    use step4_refs::echo::{Echo, Timeout};

    let (diagram, slow) = draw(|| {
        let (slow, both_answered) =
            slow_echo(|(reference, caller, msg): (Ref, Pid, &'static str)| {
                otp_core::send(caller, (reference, msg))
            });
        let late = Echo::sync_send(slow, "hello");
        assert_eq!(Err(Timeout), late);
        trace::note(&format!("sync_send(\"hello\") = {late:?}"));
        let right = Echo::sync_send(slow, "hi");
        assert_eq!(Ok("hi"), right);
        both_answered.recv_timeout(RECEIVE_TIMEOUT).unwrap();
        trace::note(&format!("sync_send(\"hi\") = {right:?}"));
        slow
    });
    stop(slow);
    check("step4-refs", "race_fixed", &diagram);
}

// Step 5: a cast and a call through the Stack server.
#[test]
fn step5_a_call_and_a_cast() {
    use step5_genserver::stack::Stack;

    let (diagram, stack) = draw(|| {
        let stack = Stack::start_link(vec![]).unwrap();
        trace::label(stack, "stack");
        Stack::push(stack, 1);
        let popped = Stack::pop(stack);
        assert_eq!(Ok(Ok(1)), popped);
        trace::note(&format!("pop = {popped:?}"));
        stack
    });
    stop(stack);
    check("step5-genserver", "call_and_cast", &diagram);
}

/// The supervised child of step 6's scenario: it tells the scenario its pid, through a
/// channel no diagram draws, then becomes the Stack server.
fn stack(started: mpsc::Sender<Pid>) {
    use step6_supervisor::{gen_server, stack::Stack};

    trace::label(self_pid(), "stack");
    let _ = started.send(self_pid());
    gen_server::enter_loop::<Stack>(vec![]);
}

// Step 6: a crash, the Exit to the supervisor, the restart. The child reports each start
// outside the trace: a message would race with the supervisor's reply to start_child.
#[test]
fn step6_a_crash_and_a_restart() {
    use step6_supervisor::{gen_server, stack::Stack, supervisor};

    const NAME: &str = "sup";
    let (diagram, ()) = draw(|| {
        let sup = supervisor::start(NAME).unwrap();
        trace::label(sup, "supervisor");
        let (tx, started) = mpsc::channel();
        let first = supervisor::start_child(sup, stack, tx).unwrap();
        assert_eq!(Ok(first), started.recv_timeout(RECEIVE_TIMEOUT));
        Stack::push(first, 1);
        // No handle_cast clause takes "boom": the Stack crashes.
        gen_server::cast::<Stack>(first, ("boom", 0));
        let next = started.recv_timeout(RECEIVE_TIMEOUT).unwrap();
        // A fresh Stack, started from the spec: the 1 pushed before the crash is gone.
        let popped = Stack::pop(next);
        assert_eq!(Ok(Err("empty")), popped);
        trace::note(&format!("pop = {popped:?}"));
    });
    supervisor::stop(NAME).unwrap();
    check("step6-supervisor", "restart", &diagram);
}
