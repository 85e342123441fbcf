//! Sequence diagrams drawn from real runs: `trace::diagram` for a scenario in code, and
//! `OTP_TRACE=mermaid`, one diagram per test. Its own test binary: a running diagram turns
//! tracing on for the whole program.
//! Elixir: `:et_viewer`, `:dbg`

use std::process::Command;
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use otp_core::{
    Down, Exit, Pid, Process, assert_receive, receive, refute_receive, self_pid, send, spawn,
    spawn_link, trace,
};
use pretty_assertions::assert_eq;

/// Long enough for any message on a loaded machine: a passing test never waits for it.
const SLOW: Duration = Duration::from_secs(5);

/// Sends every `(msg, from)` back to `from`; panics on "crash".
fn echo() {
    loop {
        receive! {
            (msg, from): (&'static str, Pid) => send(from, msg),
            "crash": &str => panic!("boom"),
        }
    }
}

/// A little of everything a diagram draws, each step waiting for the one before.
fn scenario() {
    otp_core::set_crash_reports(false);
    let me = self_pid();
    trace::label(me, "test");
    Process::trap_exit(true);
    let echo = spawn_link(echo);
    trace::label(echo, "echo");

    // A message to ourselves waits while we talk to the echo.
    send(me, "early");
    send(echo, ("hello", me));
    assert_receive!("hello", SLOW);
    refute_receive!("nothing", Duration::from_millis(1));
    assert_receive!("early");
    trace::note("the mailbox is empty again");

    // A registered process, monitored until it stops.
    let logger = spawn(|| receive! { "stop": &str => () });
    Process::register(logger, "logger").unwrap();
    let watch = Process::monitor(logger);
    send("logger", "stop");
    assert_receive!(Down { reference, .. }: Down if reference == watch, SLOW);

    // A crash reaches us through the link as an `Exit`, since we trap exits.
    send(echo, "crash");
    assert_receive!(Exit { from, .. }: Exit if from == echo, SLOW);
    send(echo, ("too late", me));
}

#[test]
fn a_scenario_draws_its_messages_notes_and_late_receives() {
    let expected = r#"sequenceDiagram
    autonumber
    participant p1 as test<br/><0.1.0>
    participant p2 as echo<br/><0.2.0>
    participant p3 as logger<br/><0.3.0>
    Note over p1: trap_exit true
    Note over p1,p2: spawn_link →
    p1->>p1: "early"
    p1->>p2: ("hello", <0.1.0>)
    p2->>p1: "hello"
    Note over p1: takes 3<br/>1 stays in the mailbox
    Note over p1: after 1ms: timeout
    Note over p1: takes 1, which waited in the mailbox
    Note over p1: the mailbox is empty again
    Note over p1,p3: spawn →
    Note over p3: register "logger"
    Note over p1,p3: monitor →
    p1->>p3: "stop"
    Note over p3: exit normal
    p3-->>p1: Down { reference: #35;Ref<1>, pid: <0.3.0>, reason: normal }
    p1->>p2: "crash"
    Note over p2: crash: "boom"
    p2--xp1: exit signal: {panic, "boom"} (trapped)
    p1->>p2: ("too late", <0.1.0>)
    Note over p2: 8 is dropped: this process has exited
"#;
    assert_eq!(trace::diagram(scenario), expected);
}

#[test]
fn only_settled_mailboxes_say_what_was_never_taken() {
    let text = trace::diagram(|| {
        let me = self_pid();
        // Alive when the scenario ends, it could still take its message: nothing is said.
        let waiter = spawn_link(|| receive! { "never sent": &str => () });
        send(waiter, "not yet");
        // Our own mailbox is settled: the scenario is over.
        send(me, "kept");
    });
    let expected = r#"sequenceDiagram
    autonumber
    participant p1 as test<br/><0.1.0>
    participant p2 as <0.2.0>
    Note over p1,p2: spawn_link →
    p1->>p2: "not yet"
    p1->>p1: "kept"
    Note over p1: never taken: 2
"#;
    assert_eq!(text, expected);
}

#[test]
fn the_same_scenario_draws_the_same_text() {
    // Pids and refs are new at every run; the diagram numbers them in order of appearance.
    assert_eq!(trace::diagram(scenario), trace::diagram(scenario));
}

#[test]
fn a_long_trace_stops_at_the_cap_and_says_how_much_was_left_out() {
    let text = trace::diagram(|| {
        let me = self_pid();
        for i in 0..200 {
            send(me, i);
            assert_receive!(n: i32 if n == i);
        }
    });
    // The adoption of the scenario's thread, then 149 sends and receives of 400.
    let arrows = text.lines().filter(|l| l.contains("p1->>p1")).count();
    assert_eq!(arrows, 75);
    assert_eq!(
        text.lines().last(),
        Some("    Note over p1: … 251 more events left out: a diagram draws the first 150")
    );
}

#[test]
fn long_messages_are_cut_and_odd_characters_escaped() {
    let text = trace::diagram(|| {
        let me = self_pid();
        send(me, "x".repeat(100));
        send(me, "a; #b <i>c</i> & d\nnew line");
        receive! { _long: String => () }
        receive! { _odd: &str => () }
    });
    let x60 = "x".repeat(59);
    let lines: Vec<&str> = text.lines().skip(3).collect();
    assert_eq!(
        lines,
        [
            format!(r#"    p1->>p1: "{x60}… (+42 chars)"#),
            r#"    p1->>p1: "a#59; #35;b #lt;i>c#lt;/i> #38; d\nnew line""#.to_string(),
            // 1 waited while the process sent 2; 2 waited only for its turn, behind 1.
            "    Note over p1: takes 1, which waited in the mailbox".to_string(),
        ]
    );
}

// ---------------------------------------------------------------------------------------
// OTP_TRACE=mermaid: one diagram per test, though tests run at once in one program.

/// Child tests that have reached each meeting point.
static MET: Mutex<u32> = Mutex::new(0);
static ARRIVED: Condvar = Condvar::new();

/// Holds a child test until the other one has reached meeting point `point` (1, 2...)
/// too, so that both run at once. Gives up after a while: under `--test-threads=1` the
/// other one never comes.
fn meet(point: u32) {
    let mut met = MET.lock().unwrap();
    *met += 1;
    ARRIVED.notify_all();
    let (met, waited) = ARRIVED
        .wait_timeout_while(met, SLOW, |met| *met < 2 * point)
        .unwrap();
    assert!(
        !waited.timed_out(),
        "the other child test never came ({met} arrivals): run both with --test-threads=2"
    );
}

/// What each child test does: its own echo, talked to while the other test talks to its.
fn talk_while_the_other_test_talks(word: &'static str) {
    let me = self_pid();
    let echo = spawn_link(echo);
    trace::label(echo, "echo");
    meet(1);
    send(echo, (word, me));
    assert_receive!(w: &str if w == word, SLOW);
    meet(2);
}

#[test]
#[ignore = "run by each_test_gets_its_own_diagram, in a child process"]
fn child_a() {
    talk_while_the_other_test_talks("a");
}

#[test]
#[ignore = "run by each_test_gets_its_own_diagram, in a child process"]
fn child_b() {
    talk_while_the_other_test_talks("b");
}

/// The diagram `OTP_TRACE=mermaid` draws for `child_a` or `child_b`: the test's process and
/// its echo, ended by the link when the test's thread ends.
fn child_diagram(test: &str, word: &str) -> String {
    format!(
        r#"
## {test}

```mermaid
sequenceDiagram
    autonumber
    participant p1 as test<br/><0.1.0>
    participant p2 as echo<br/><0.2.0>
    Note over p1,p2: spawn_link →
    p1->>p2: ("{word}", <0.1.0>)
    p2->>p1: "{word}"
    Note over p1: exit shutdown
    p1--xp2: exit signal: shutdown
    Note over p2: exit shutdown
```
"#
    )
}

#[test]
fn each_test_gets_its_own_diagram() {
    let file = std::env::temp_dir().join(format!("otp-trace-{}.md", std::process::id()));
    let _ = std::fs::remove_file(&file);
    // This test binary again, running the two child tests at once with OTP_TRACE set.
    let run = Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "child_a",
            "child_b",
            "--test-threads=2",
        ])
        .env("OTP_TRACE", format!("mermaid:{}", file.display()))
        .output()
        .unwrap();
    let output = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "the child tests failed:\n{output}");
    let written = std::fs::read_to_string(&file).unwrap();
    std::fs::remove_file(&file).unwrap();
    // Whichever test ended first wrote first.
    let mut diagrams: Vec<&str> = written.split_inclusive("```\n").collect();
    diagrams.sort();
    assert_eq!(
        diagrams,
        [child_diagram("child_a", "a"), child_diagram("child_b", "b")]
    );
}
