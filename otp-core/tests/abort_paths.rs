//! What one process can still do to the whole program, and what it no longer can: every item
//! of the README's list "What can still take the whole program down" is a test here, and so
//! is every fault that the program now survives. A case that ends the program runs in a
//! child: this test binary again, told by an environment variable to run that one test's
//! scenario; the test then checks how the child ended and what it wrote. Its own test
//! binary: it captures every crash report of the program.
//! Elixir: no equivalent; one BEAM process cannot take the VM down this way
#![cfg(unix)]

use std::os::unix::process::ExitStatusExt;
use std::process::Command;
use std::sync::mpsc;
use std::sync::{Arc, Barrier, Mutex, OnceLock};
use std::time::{Duration, Instant};

use otp_core::{
    Down, Error, ExitReason, Pid, Process, assert_receive, receive, self_pid, send, spawn,
    spawn_link, spawn_monitor, try_send, try_spawn,
};
use pretty_assertions::assert_eq;

const SLOW: Duration = Duration::from_secs(5);

// ---------------------------------------------------------------------------------------
// Messages whose Drop panics

/// A message whose Drop tells `dropped` that it ran, then panics with "{name} went off".
#[derive(Debug)]
struct Bomb {
    name: &'static str,
    dropped: mpsc::Sender<&'static str>,
}

impl Drop for Bomb {
    fn drop(&mut self) {
        let _ = self.dropped.send(self.name);
        panic!("{} went off", self.name);
    }
}

/// `n` bombs called `name`, and the receiver that hears each one's Drop.
fn bombs(name: &'static str, n: usize) -> (Vec<Bomb>, mpsc::Receiver<&'static str>) {
    let (dropped, heard) = mpsc::channel();
    let bombs = (0..n)
        .map(|_| Bomb {
            name,
            dropped: dropped.clone(),
        })
        .collect();
    (bombs, heard)
}

/// Waits until `n` Drops have been heard on `heard`, and no more come.
fn assert_dropped(heard: &mpsc::Receiver<&'static str>, n: usize) {
    for i in 0..n {
        heard
            .recv_timeout(SLOW)
            .unwrap_or_else(|e| panic!("{i} of {n} messages dropped: {e}"));
    }
    // Every sender is gone with its bomb: a bomb never dropped would keep the channel open.
    assert_eq!(
        heard.recv_timeout(SLOW),
        Err(mpsc::RecvTimeoutError::Disconnected)
    );
}

// ---------------------------------------------------------------------------------------
// Crash reports

/// Every crash report of this program, as written.
fn reports() -> &'static Mutex<Vec<u8>> {
    static REPORTS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    REPORTS.get_or_init(|| {
        let reports = Arc::new(Mutex::new(Vec::new()));
        otp_core::trace::set_writer(Shared(reports.clone()));
        reports
    })
}

/// A writer that appends to a buffer shared with the test.
struct Shared(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Shared {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Waits for `n` report lines that mention `what`, and returns them.
fn assert_reported(what: &str, n: usize) -> Vec<String> {
    let deadline = Instant::now() + SLOW;
    loop {
        let lines: Vec<String> = String::from_utf8_lossy(&reports().lock().unwrap())
            .lines()
            .filter(|l| l.contains(what))
            .map(str::to_string)
            .collect();
        if lines.len() >= n || Instant::now() > deadline {
            assert_eq!(lines.len(), n, "reports of {what}: {lines:#?}");
            return lines;
        }
        std::thread::yield_now();
    }
}

/// An echo process, linked to the test: what a process the faults must not touch does.
fn echo() -> Pid {
    spawn_link(|| {
        loop {
            receive! { (msg, from): (&str, Pid) => send(from, msg) }
        }
    })
}

fn assert_echoes(echo: Pid) {
    send(echo, ("still here", self_pid()));
    assert_receive!("still here", SLOW);
}

// ---------------------------------------------------------------------------------------
// What the program survives

#[test]
fn every_message_left_in_a_dead_process_mailbox_is_dropped_and_each_panic_reported() {
    reports();
    let other = echo();
    let (mut bombs, heard) = bombs("left behind", 4);
    let in_channel = [bombs.pop().unwrap(), bombs.pop().unwrap()];
    let me = self_pid();
    let barrier = Arc::new(Barrier::new(2));
    let waits = barrier.clone();
    let (pid, reference) = spawn_monitor(move || {
        // Skips the bombs sent before "go": they are saved in the mailbox.
        receive! { "go": &str => send(me, "skipped") }
        // Waits outside otp-core while more bombs arrive: they stay in the channel.
        waits.wait();
    });
    for bomb in bombs {
        send(pid, bomb);
    }
    send(pid, "go");
    assert_receive!("skipped", SLOW);
    for bomb in in_channel {
        send(pid, bomb);
    }
    barrier.wait();

    let down = assert_receive!(Down { reference: r, .. }: Down if r == reference, SLOW);
    assert_eq!(down.reason, ExitReason::Normal);
    assert_dropped(&heard, 4);
    let lines = assert_reported("\"left behind went off\"", 4);
    assert!(
        lines[0].starts_with(&format!(
            "[error] dropped a message of type abort_paths::Bomb left in the mailbox of \
             {pid}, which ended; its Drop panicked: \"left behind went off\" at "
        )),
        "{}",
        lines[0]
    );
    assert_echoes(other);
}

#[test]
fn every_message_in_a_killed_process_mailbox_is_dropped_and_each_panic_reported() {
    reports();
    let other = echo();
    let (bombs, heard) = bombs("killed with it", 100);
    let (pid, reference) = spawn_monitor(|| receive! { _never: () => () });
    for bomb in bombs {
        send(pid, bomb);
    }
    Process::exit(pid, ExitReason::Kill);
    let down = assert_receive!(Down { reference: r, .. }: Down if r == reference, SLOW);
    assert_eq!(down.reason, ExitReason::Killed);
    assert_dropped(&heard, 100);
    assert_reported("\"killed with it went off\"", 100);
    assert_echoes(other);
}

#[test]
fn a_message_left_in_a_test_thread_mailbox_is_dropped_and_reported_as_the_thread_ends() {
    reports();
    let (bombs, heard) = bombs("left in a test", 2);
    // A thread of its own plays the #[test]: its process ends, and its mailbox is dropped,
    // in its thread-local destructors.
    let pid = std::thread::spawn(move || {
        for bomb in bombs {
            send(self_pid(), bomb);
        }
        self_pid()
    })
    .join()
    .expect("the thread ends as it should");
    assert!(!Process::alive(pid));
    assert_dropped(&heard, 2);
    let lines = assert_reported("\"left in a test went off\"", 2);
    assert!(lines[0].contains(&format!("left in the mailbox of {pid}, which ended")));
}

#[test]
fn a_message_sent_nowhere_is_dropped_and_its_panic_reported_without_touching_the_sender() {
    reports();
    let (mut bombs, heard) = bombs("sent nowhere", 3);
    let (dead, reference) = spawn_monitor(|| ());
    assert_receive!(Down { reference: r, .. }: Down if r == reference, SLOW);
    let me = self_pid();
    spawn(move || {
        send(dead, bombs.pop().unwrap());
        let alias = Process::alias();
        Process::unalias(alias);
        send(alias, bombs.pop().unwrap());
        let unknown = try_send("nobody has this name", bombs.pop().unwrap());
        send(me, (unknown, alias));
    });
    // The sender went on after each send: its reply is its last act.
    let (unknown, alias) = assert_receive!(reply: (Result<(), Error>, otp_core::Ref), SLOW);
    assert_eq!(
        unknown,
        Err(Error::Unregistered("nobody has this name".into()))
    );
    assert_dropped(&heard, 3);
    assert_reported("\"sent nowhere went off\"", 3);
    for why in [
        format!("sent to {dead}, which is dead"),
        format!("sent to {alias}, an inactive alias"),
        "sent to a name that no process has".to_string(),
    ] {
        assert_reported(&format!("Bomb {why}; its Drop panicked: \"sent nowhere"), 1);
    }
}

/// A message whose Drop sends a message of its own.
#[derive(Debug)]
struct SaysGoodbye(Pid);

impl Drop for SaysGoodbye {
    fn drop(&mut self) {
        send(self.0, "goodbye");
    }
}

#[test]
fn the_drop_of_a_message_sent_to_a_dead_pid_runs_in_the_sender_and_can_send() {
    let (dead, reference) = spawn_monitor(|| ());
    assert_receive!(Down { reference: r, .. }: Down if r == reference, SLOW);
    let me = self_pid();
    spawn(move || {
        send(me, "hello");
        // Its Drop runs inside this send, and sends in turn.
        send(dead, SaysGoodbye(me));
        send(me, "after");
    });
    assert_receive!("hello", SLOW);
    assert_receive!("goodbye", SLOW);
    assert_receive!("after", SLOW);
}

/// A message whose Drop calls otp-core: after its process has ended, that is an error.
#[derive(Debug)]
struct AsksWhoAmI(mpsc::Sender<()>);

impl Drop for AsksWhoAmI {
    fn drop(&mut self) {
        let _ = self.0.send(());
        self_pid();
    }
}

#[test]
fn a_message_whose_drop_calls_otp_core_after_its_process_ended_is_reported() {
    reports();
    let (dropped, heard) = mpsc::channel();
    let (pid, reference) = spawn_monitor(|| receive! { _go: () => () });
    send(pid, AsksWhoAmI(dropped));
    send(pid, ());
    assert_receive!(Down { reference: r, .. }: Down if r == reference, SLOW);
    heard.recv_timeout(SLOW).expect("dropped");
    assert_reported(
        &format!(
            "AsksWhoAmI left in the mailbox of {pid}, which ended; its Drop panicked: \
             \"otp-core was called from a message's Drop after its process ended\""
        ),
        1,
    );
}

// ---------------------------------------------------------------------------------------
// What no longer ends the program, in a child: it fills the program's memory maps

/// A spawn with `free` memory areas left before the kernel's limit: "ok" or "system_limit".
fn spawn_with_free_areas(areas: &mut Areas, free: usize) -> &'static str {
    areas.fill();
    areas.unmap(free);
    let me = self_pid();
    let spawned = try_spawn(move || {
        send(me, "running");
        receive! { "stop": &str => () }
    });
    match spawned {
        Ok(_) => {
            // Running: its thread has mapped all it needs, and stays busy, so that the next
            // spawn needs a new one.
            assert_receive!("running", SLOW);
            "ok"
        }
        Err(Error::SystemLimit) => "system_limit",
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn a_spawn_with_no_room_for_a_thread_memory_maps_fails_with_system_limit() {
    let ended = in_child(
        "a_spawn_with_no_room_for_a_thread_memory_maps_fails_with_system_limit",
        || {
            let Some(mut areas) = Areas::new() else {
                eprintln!("skipped: vm.max_map_count is too large to fill quickly");
                return;
            };
            // A few processes first, left running: the allocator is warm, and no thread is
            // parked, so that each spawn below needs a new one.
            let me = self_pid();
            for _ in 0..4 {
                spawn(move || {
                    send(me, "running");
                    receive! { "stop": &str => () }
                });
                assert_receive!("running", SLOW);
            }
            assert_eq!(otp_core::parked_threads(), 0);
            // Room for them all now: nothing may allocate while the areas are full.
            let mut outcomes = Vec::with_capacity(11);
            for free in 0..=10 {
                outcomes.push(spawn_with_free_areas(&mut areas, free));
            }
            drop(areas);
            for (free, outcome) in outcomes.iter().enumerate() {
                eprintln!("{free} free: {outcome}");
            }
            for pid in Process::list() {
                if pid != self_pid() {
                    send(pid, "stop");
                }
            }
        },
    );
    assert_eq!(
        (ended.code, ended.signal),
        (Some(0), None),
        "{}",
        ended.stderr
    );
    if ended.stderr.contains("skipped") {
        return;
    }
    let outcomes: Vec<&str> = ended
        .stderr
        .lines()
        .filter_map(|l| l.split_once(" free: "))
        .map(|(_, outcome)| outcome)
        .collect();
    assert_eq!(outcomes.len(), 11, "{}", ended.stderr);
    // No room for even a stack: refused. Room for all a thread maps: started. In between,
    // either, but the program lives: it used to abort from 2 to 5 free.
    assert_eq!(outcomes[..2], ["system_limit"; 2]);
    assert_eq!(outcomes[9..], ["ok"; 2]);
}

/// This program's memory areas, filled up to the kernel's limit (`vm.max_map_count`) by
/// pages of one big mapping whose permissions alternate, so that each page is an area.
struct Areas {
    base: *mut u8,
    page: usize,
    pages: usize,
    /// The next page whose permission `fill` changes.
    next: usize,
    /// The readable pages, each an area between two unreadable ones.
    readable: Vec<usize>,
}

mod libc {
    use std::ffi::{c_int, c_long, c_void};

    unsafe extern "C" {
        pub fn mmap(
            addr: *mut c_void,
            len: usize,
            prot: c_int,
            flags: c_int,
            fd: c_int,
            offset: c_long,
        ) -> *mut c_void;
        pub fn mprotect(addr: *mut c_void, len: usize, prot: c_int) -> c_int;
        pub fn munmap(addr: *mut c_void, len: usize) -> c_int;
        pub fn sysconf(name: c_int) -> c_long;
    }
    pub const PROT_NONE: c_int = 0;
    pub const PROT_READ: c_int = 1;
    pub const MAP_PRIVATE: c_int = 0x02;
    pub const MAP_ANONYMOUS: c_int = 0x20;
    pub const MAP_NORESERVE: c_int = 0x4000;
    pub const SC_PAGESIZE: c_int = 30;
}

impl Areas {
    /// `None` where the limit is so high that filling it would take seconds.
    fn new() -> Option<Areas> {
        let max: usize = std::fs::read_to_string("/proc/sys/vm/max_map_count")
            .ok()?
            .trim()
            .parse()
            .ok()?;
        if max > 262_144 {
            return None;
        }
        // SAFETY: sysconf has no preconditions; the mapping is fresh and this struct's own.
        unsafe {
            let page = usize::try_from(libc::sysconf(libc::SC_PAGESIZE)).ok()?;
            let pages = 2 * max + 64;
            let base = libc::mmap(
                std::ptr::null_mut(),
                pages * page,
                libc::PROT_NONE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            );
            assert_ne!(base as isize, -1, "mmap");
            Some(Areas {
                base: base.cast(),
                page,
                pages,
                next: 1,
                readable: Vec::with_capacity(max),
            })
        }
    }

    /// Makes areas until the kernel refuses one more. A page made readable in the middle of
    /// an unreadable area splits it in three: two more areas. When one is left, the first
    /// split takes it and the second fails, so the fill always ends with no room at all.
    fn fill(&mut self) {
        loop {
            assert!(self.next + 1 < self.pages, "the kernel let us map them all");
            // SAFETY: a page of this struct's own mapping.
            let split = unsafe {
                let at = self.base.add(self.next * self.page);
                libc::mprotect(at.cast(), self.page, libc::PROT_READ)
            };
            if split != 0 {
                return;
            }
            self.readable.push(self.next);
            self.next += 2;
        }
    }

    /// Unmaps `n` readable pages: `n` areas fewer, each a hole between two unreadable ones.
    fn unmap(&mut self, n: usize) {
        for _ in 0..n {
            let page = self.readable.pop().expect("a readable page");
            // SAFETY: a page of this struct's own mapping.
            let unmapped =
                unsafe { libc::munmap(self.base.add(page * self.page).cast(), self.page) };
            assert_eq!(unmapped, 0);
        }
    }
}

impl Drop for Areas {
    fn drop(&mut self) {
        // SAFETY: the whole mapping (holes included) is this struct's own.
        unsafe { libc::munmap(self.base.cast(), self.pages * self.page) };
    }
}

// ---------------------------------------------------------------------------------------
// What ends the program, each in a child

/// Names the test whose scenario a child runs.
const SCENARIO: &str = "OTP_CORE_TEST_SCENARIO";

/// How a child ended, and what it wrote to standard error.
struct Ended {
    code: Option<i32>,
    signal: Option<i32>,
    stderr: String,
}

const SIGABRT: i32 = 6;
const SIGSEGV: i32 = 11;

/// Runs `scenario` in a child program: this test binary, running the test named `test` (the
/// caller) with SCENARIO set to its name, so that there it runs `scenario` instead of
/// starting another child. A scenario that returns ends the child with success.
fn in_child(test: &str, scenario: impl FnOnce()) -> Ended {
    in_child_with(test, &[], scenario)
}

/// `in_child`, with environment variables set for the child.
fn in_child_with(test: &str, env: &[(&str, &str)], scenario: impl FnOnce()) -> Ended {
    if std::env::var(SCENARIO).is_ok_and(|s| s == test) {
        scenario();
        std::process::exit(0);
    }
    let output = Command::new(std::env::current_exe().expect("this test binary"))
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(SCENARIO, test)
        .env("RUST_BACKTRACE", "0")
        .env_remove("OTP_TRACE")
        .env_remove("RUST_MIN_STACK")
        .envs(env.iter().copied())
        .output()
        .expect("the test binary runs again");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("running 1 test"),
        "the child ran no test named {test}:\n{stdout}"
    );
    Ended {
        code: output.status.code(),
        signal: output.status.signal(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

impl Ended {
    /// Asserts that the program was killed by `signal` and said `said` on its way out.
    fn assert_killed_by(&self, signal: i32, said: &str) {
        assert_eq!(
            (self.code, self.signal),
            (None, Some(signal)),
            "how the program ended; it wrote:\n{}",
            self.stderr
        );
        assert!(
            self.stderr.contains(said),
            "no {said:?} in:\n{}",
            self.stderr
        );
    }
}

/// Runs `f` in a process, waits for it to end (a scenario that should have ended the
/// program then returns, and the child ends with success, failing its test).
fn in_a_process(f: impl FnOnce() + Send + 'static) {
    let (_, reference) = spawn_monitor(f);
    assert_receive!(Down { reference: r, .. }: Down if r == reference, SLOW);
}

/// Recurses forever; `black_box` keeps the compiler from turning it into a loop.
#[allow(unconditional_recursion)]
fn recurse(depth: u64) -> u64 {
    std::hint::black_box(depth) + recurse(std::hint::black_box(depth + 1))
}

#[test]
fn a_stack_overflow_in_a_process_aborts_the_program() {
    let ended = in_child("a_stack_overflow_in_a_process_aborts_the_program", || {
        in_a_process(|| {
            recurse(0);
        })
    });
    ended.assert_killed_by(SIGABRT, "thread 'otp-process'");
    ended.assert_killed_by(SIGABRT, "has overflowed its stack");
}

/// Recurses `depth` times, with 4 KiB on the stack at each level.
fn deep(depth: u32) -> u8 {
    let frame = std::hint::black_box([depth as u8; 4096]);
    if depth == 0 {
        frame[0]
    } else {
        deep(depth - 1).wrapping_add(frame[4095])
    }
}

/// 8 MiB of stack: four times what a thread has by default.
const DEEP: u32 = 2048;

#[test]
fn a_deep_recursion_that_overflows_a_process_stack_fits_with_a_bigger_rust_min_stack() {
    let test = "a_deep_recursion_that_overflows_a_process_stack_fits_with_a_bigger_rust_min_stack";
    let recursion = || {
        in_a_process(|| {
            deep(DEEP);
        })
    };
    in_child(test, recursion).assert_killed_by(SIGABRT, "has overflowed its stack");
    // 64 MiB a thread.
    let ended = in_child_with(test, &[("RUST_MIN_STACK", "67108864")], recursion);
    assert_eq!(
        (ended.code, ended.signal),
        (Some(0), None),
        "{}",
        ended.stderr
    );
}

/// A value whose Drop panics.
struct PanicsOnDrop;

impl Drop for PanicsOnDrop {
    fn drop(&mut self) {
        panic!("Drop went off");
    }
}

#[test]
fn a_drop_that_panics_while_its_process_unwinds_from_a_panic_aborts_the_program() {
    let ended = in_child(
        "a_drop_that_panics_while_its_process_unwinds_from_a_panic_aborts_the_program",
        || {
            in_a_process(|| {
                let _state = PanicsOnDrop;
                panic!("the first panic");
            })
        },
    );
    ended.assert_killed_by(
        SIGABRT,
        " panicked while it unwound from a panic at otp-core/tests/abort_paths.rs:",
    );
    ended.assert_killed_by(
        SIGABRT,
        ": \"Drop went off\" at otp-core/tests/abort_paths.rs:",
    );
    ended.assert_killed_by(SIGABRT, "thread caused non-unwinding panic. aborting.");
}

#[test]
fn a_drop_that_panics_while_its_process_unwinds_from_a_kill_aborts_the_program() {
    let ended = in_child(
        "a_drop_that_panics_while_its_process_unwinds_from_a_kill_aborts_the_program",
        || {
            let me = self_pid();
            let (pid, reference) = spawn_monitor(move || {
                let _state = PanicsOnDrop;
                send(me, "holding it");
                receive! { _never: () => () }
            });
            assert_receive!("holding it", SLOW);
            Process::exit(pid, ExitReason::Kill);
            assert_receive!(Down { reference: r, .. }: Down if r == reference, SLOW);
            // The Down comes before the thread has unwound: wait for the abort.
            std::thread::sleep(SLOW);
        },
    );
    ended.assert_killed_by(SIGABRT, " panicked while it unwound from an exit signal: ");
    ended.assert_killed_by(SIGABRT, "\"Drop went off\"");
}

#[test]
fn a_drop_that_panics_while_its_process_unwinds_from_exit_aborts_the_program() {
    let ended = in_child(
        "a_drop_that_panics_while_its_process_unwinds_from_exit_aborts_the_program",
        || {
            in_a_process(|| {
                let _state = PanicsOnDrop;
                otp_core::exit(ExitReason::Shutdown);
            })
        },
    );
    ended.assert_killed_by(SIGABRT, " panicked while it unwound from otp_core::exit: ");
    ended.assert_killed_by(SIGABRT, "\"Drop went off\"");
}

/// A message with two fields whose Drops panic: the second panics while the first unwinds.
#[derive(Debug)]
struct TwoBombs(#[allow(dead_code)] Bang, #[allow(dead_code)] Bang);

#[derive(Debug)]
struct Bang;

impl Drop for Bang {
    fn drop(&mut self) {
        panic!("bang");
    }
}

#[test]
fn a_message_whose_drop_panics_again_as_it_unwinds_aborts_the_program_even_undelivered() {
    let ended = in_child(
        "a_message_whose_drop_panics_again_as_it_unwinds_aborts_the_program_even_undelivered",
        || {
            let (dead, reference) = spawn_monitor(|| ());
            assert_receive!(Down { reference: r, .. }: Down if r == reference, SLOW);
            send(dead, TwoBombs(Bang, Bang));
        },
    );
    ended.assert_killed_by(
        SIGABRT,
        "[error] a message sent to <0.101.0>, which is dead, panicked while it unwound from a \
         panic at otp-core/tests/abort_paths.rs:",
    );
}

#[test]
fn std_process_exit_in_a_process_ends_the_program() {
    let ended = in_child("std_process_exit_in_a_process_ends_the_program", || {
        in_a_process(|| std::process::exit(3))
    });
    assert_eq!(
        (ended.code, ended.signal),
        (Some(3), None),
        "{}",
        ended.stderr
    );
}

#[test]
fn std_process_abort_in_a_process_ends_the_program() {
    let ended = in_child("std_process_abort_in_a_process_ends_the_program", || {
        in_a_process(|| std::process::abort())
    });
    assert_eq!(
        (ended.code, ended.signal),
        (None, Some(SIGABRT)),
        "{}",
        ended.stderr
    );
}

#[test]
fn memory_corruption_in_unsafe_code_ends_the_program() {
    let ended = in_child("memory_corruption_in_unsafe_code_ends_the_program", || {
        // SAFETY: none; this is the point. A write through a null pointer is what memory
        // corruption usually ends in: the OS kills the program with SIGSEGV.
        in_a_process(|| unsafe { std::ptr::null_mut::<u8>().write_volatile(1) })
    });
    assert_eq!(
        (ended.code, ended.signal),
        (None, Some(SIGSEGV)),
        "{}",
        ended.stderr
    );
}

#[test]
fn running_out_of_memory_in_a_process_aborts_the_program() {
    let ended = in_child(
        "running_out_of_memory_in_a_process_aborts_the_program",
        || {
            // 4 EiB: no machine has it, so the allocation fails.
            in_a_process(|| drop(std::hint::black_box(vec![0u8; 1 << 62])))
        },
    );
    ended.assert_killed_by(
        SIGABRT,
        "memory allocation of 4611686018427387904 bytes failed",
    );
}
