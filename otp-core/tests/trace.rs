//! Tracing: what is printed for a send, a receive, a link exit and a crash, each line
//! naming the test whose process it is. Its own test binary: tracing is a global switch.
//! Elixir: `:sys.trace/2`, `:dbg`

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use otp_core::{
    Down, Exit, ExitReason, Process, Ref, assert_receive, make_ref, receive, refute_receive,
    self_pid, send, spawn_link, spawn_monitor, trace,
};

const SLOW: Duration = Duration::from_secs(5);

/// A writer the test can read back.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Capture {
    fn lines(&self) -> Vec<String> {
        String::from_utf8(self.0.lock().unwrap().clone())
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    }
}

/// A value whose Debug panics: a trace line must cost the sender only.
struct Unprintable;

impl std::fmt::Debug for Unprintable {
    fn fmt(&self, _: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        panic!("cannot print this")
    }
}

// One test function: the trace switch and writer are global to this binary.
#[test]
fn trace_prints_sends_receives_link_exits_and_crashes() {
    let capture = Capture::default();
    trace::set_writer(capture.clone());
    trace::enable();
    otp_core::set_crash_reports(true);

    // A send and its receive.
    let me = self_pid();
    trace::label(me, "me");
    trace::note("starting");
    let reference = make_ref();
    let (echo, watch) = spawn_monitor(move || {
        receive! {
            (r, from, msg): (Ref, otp_core::Pid, &str) => send(from, (r, msg)),
        }
    });
    send(echo, (reference, me, "hello"));
    assert_receive!((r, _): (Ref, &str) if r == reference, SLOW);
    assert_receive!(Down { reference: r, .. }: Down if r == watch, SLOW);

    // A receive that gives up, and a sleep.
    refute_receive!("nothing", Duration::from_millis(1));
    Process::sleep(Duration::from_millis(1));

    // A crash, and the exit signal it sends along a link.
    Process::trap_exit(true);
    let (parent, parent_watch) = spawn_monitor(|| {
        spawn_link(|| panic!("boom"));
        receive! { _never: () => () }
    });
    assert_receive!(Down { reference: r, .. }: Down if r == parent_watch, SLOW);

    // An exit signal we trap, and one that a process that does not trap ignores.
    let linked = spawn_link(|| ());
    assert_receive!(Exit { from, .. }: Exit if from == linked, SLOW);
    let (quiet, quiet_watch) = spawn_monitor(move || {
        // The child waits until it is watched: a monitor set on a child already gone would
        // answer noproc at once, and this process could end before the link's signal came.
        let child = spawn_link(|| receive! { "watched": &str => () });
        let watch = Process::monitor(child);
        send(child, "watched");
        // Links first: the Down comes after the exit signal.
        assert_receive!(Down { reference, .. }: Down if reference == watch, SLOW);
        send(me, child);
    });
    let quiet_child = assert_receive!(pid: otp_core::Pid, SLOW);
    assert_receive!(Down { reference: r, .. }: Down if r == quiet_watch, SLOW);

    // A message whose Debug panics crashes its sender only.
    let (printer, printer_watch) = spawn_monitor(move || send(me, Unprintable));
    let down = assert_receive!(Down { reference: r, .. }: Down if r == printer_watch, SLOW);
    assert_eq!(down.reason, ExitReason::Panic("cannot print this".into()));

    trace::disable();
    trace::reset_writer();
    let lines = capture.lines();
    // Every line of this test's processes starts with the test's name.
    let test = "[trace_prints_sends_receives_link_exits_and_crashes]";
    let has = |expected: &str| {
        let expected = format!("{test} {expected}");
        assert!(
            lines.contains(&expected),
            "no line {expected:?} in:\n{}",
            lines.join("\n")
        );
    };
    has(&format!("{me} label \"me\""));
    has(&format!("{me} note \"starting\""));
    has(&format!("{me} spawn_monitor {echo}"));
    has(&format!("{me} ! {echo} ({reference}, {me}, \"hello\")"));
    has(&format!("{echo} << ({reference}, {me}, \"hello\")"));
    has(&format!("{echo} ! {me} ({reference}, \"hello\")"));
    has(&format!("{echo} exit normal"));
    has(&format!("{echo} down normal -> {me}"));
    has(&format!("{me} receive timed out after 1ms"));
    has(&format!("{me} sleep 1ms"));
    has(&format!("{me} trap_exit true"));
    has(&format!("{me} spawn_monitor {parent}"));
    has(&format!("{parent} exit {{panic, \"boom\"}}"));
    let child_crash = lines
        .iter()
        .find(|l| l.starts_with("[error] process ") && l.contains("crashed: \"boom\""))
        .expect("a crash report");
    let child = child_crash.split(' ').nth(2).unwrap();
    has(&format!("{parent} spawn_link {child}"));
    has(&format!(
        "{child} exit signal {{panic, \"boom\"}} -> {parent}"
    ));
    has(&format!("{linked} exit signal normal -> {me} (trapped)"));
    has(&format!(
        "{quiet_child} exit signal normal -> {quiet} (ignored)"
    ));
    has(&format!("{printer} exit {{panic, \"cannot print this\"}}"));
    // Lines never interleave: each one is whole.
    for line in &lines {
        assert!(
            line.starts_with(test) || line.starts_with("[error]"),
            "{line}"
        );
    }
}
