//! The runtime's performance table: each otp-core figure beside a baseline measured in the
//! same run (raw crossbeam channels, raw OS threads), and the goal it is held to.
//!
//! Run it with `cargo bench -p otp-core` (a release build; the run takes well under a
//! minute). It prints the machine, then one markdown table,
//! `| figure | otp-core | baseline | ratio | goal |`, then notes on the rows.
//!
//! How to read it:
//! - Every number is a median over several samples, after one warm-up round that is thrown
//!   away; restarts (5), whose goal is a time, are timed one by one and the median is over
//!   all of them. Where there is a baseline, otp-core and baseline samples alternate (A, B,
//!   A, B...), so a burst of load from another program on the machine falls on both alike.
//! - Times are per operation. For "lower is better" figures the ratio is otp-core /
//!   baseline; for throughput it is otp-core's rate / the baseline's rate. Each round of
//!   A, B gives one ratio and the table shows their median, which can differ a little from
//!   the ratio of the two medians beside it (see `median_pair`). The goal column says which
//!   way the goal points, then ✓ (met) or ✗ (missed).
//! - On a small shared machine the figures move by tens of percent from run to run: compare
//!   ratios, which are measured side by side, rather than absolute times across runs.
//!
//! Elixir: `:timer.tc/1` around `GenServer.call/2` and `spawn/1` · OTP: erlang:statistics/1

use std::hint::black_box;
use std::thread;
use std::time::{Duration, Instant};

use crossbeam_channel::unbounded;
use otp_core::{
    Down, Exit, ExitReason, Pid, Process, Ref, make_ref, receive, self_pid, send, spawn,
    spawn_link, spawn_monitor, try_spawn,
};

/// Samples per figure, each figure's otp-core and baseline alike.
const SAMPLES: usize = 7;
/// Calls per sample of the call figures.
const CALLS: u64 = 10_000;
/// Messages per sample of the throughput figure.
const MESSAGES: u64 = 1_000_000;
/// Unrelated messages waiting in the caller's mailbox in the "full mailbox" figure.
const NOISE: u64 = 100_000;
/// Spawns (or restarts) per sample.
const SPAWNS: u64 = 1_000;
/// Processes in the linked chain.
const CHAIN: usize = 1_000;
/// Processes alive at once; each sample spawns this many OS threads, so fewer samples.
const ALIVE: usize = 10_000;
const ALIVE_SAMPLES: usize = 3;

/// Tells a process of this bench to return.
#[derive(Debug)]
struct Stop;

/// "I am running and blocked in receive."
#[derive(Debug)]
struct Ready;

fn main() {
    let start = Instant::now();
    println!("{}\n", machine());
    let mut report = Report::default();
    call_round_trip(&mut report);
    throughput(&mut report);
    call_with_full_mailbox(&mut report);
    spawn_and_exit(&mut report);
    restart(&mut report);
    exit_along_a_chain(&mut report);
    many_alive(&mut report);
    largest_count(&mut report);
    report.print();
    println!(
        "\nThe whole bench took {:.1} s.",
        start.elapsed().as_secs_f64()
    );
}

// ---------------------------------------------------------------------------------------
// Sampling

/// Runs `a` and `b` alternately, one warm-up round first (the pool's threads, the
/// allocator's caches), then `samples` rounds of A, B; returns the samples of each.
/// Alternating matters on a shared machine: a neighbour's build slows A and B alike.
fn interleaved<T>(
    samples: usize,
    mut a: impl FnMut() -> T,
    mut b: impl FnMut() -> T,
) -> (Vec<T>, Vec<T>) {
    sampled(samples, || (a(), b())).into_iter().unzip()
}

/// Runs `f` once to warm up, then `samples` times; returns those samples.
fn sampled<T>(samples: usize, mut f: impl FnMut() -> T) -> Vec<T> {
    f();
    (0..samples).map(|_| f()).collect()
}

/// The medians of interleaved samples of `a` and `b`, and the median of the rounds' own
/// ratios a / b. The ratio is taken round by round because each round measures both a
/// moment apart: where the OS and the hypervisor put the two threads of a figure can
/// change during a run (raw crossbeam throughput moves between 16 and 36 M msg/s with it),
/// and a ratio of two medians could set an A of one placement against a B of another.
fn median_pair(samples: usize, a: impl FnMut() -> f64, b: impl FnMut() -> f64) -> (f64, f64, f64) {
    let (a, b) = interleaved(samples, a, b);
    let ratios = a.iter().zip(&b).map(|(a, b)| a / b);
    (median(ratios), median(a), median(b))
}

/// Nanoseconds each of `n` runs of `f` took, timed one by one.
fn ns_each(n: u64, mut f: impl FnMut()) -> Vec<f64> {
    (0..n)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_nanos() as f64
        })
        .collect()
}

/// The value `p` of the way up the sorted samples (0.5: the median).
fn percentile(samples: &[f64], p: f64) -> f64 {
    let mut xs = samples.to_vec();
    xs.sort_by(f64::total_cmp);
    xs[((xs.len() - 1) as f64 * p).round() as usize]
}

/// The middle sample: one sample slowed down by a neighbour moves a mean, not a median.
fn median(samples: impl IntoIterator<Item = f64>) -> f64 {
    let mut xs: Vec<f64> = samples.into_iter().collect();
    xs.sort_by(f64::total_cmp);
    let mid = xs.len() / 2;
    if xs.len() % 2 == 1 {
        xs[mid]
    } else {
        (xs[mid - 1] + xs[mid]) / 2.0
    }
}

/// Nanoseconds per run of `f`, run `n` times; `black_box` keeps its result from being
/// optimised away.
fn ns_per<R>(n: u64, mut f: impl FnMut(u64) -> R) -> f64 {
    let start = Instant::now();
    for i in 0..n {
        black_box(f(i));
    }
    start.elapsed().as_nanos() as f64 / n as f64
}

// ---------------------------------------------------------------------------------------
// The figures

/// A process that answers `(ref, from, n)` with `(ref, n)`, the shape of a GenServer call.
fn echo() {
    loop {
        receive! {
            (r, from, n): (Ref, Pid, u64) => send(from, (r, n)),
            Stop: Stop => break,
        }
    }
}

/// One call as OTP makes it: a fresh ref tags the request, and the reply is taken by that
/// ref. `since r` starts the search where the mailbox stood when `r` was made.
fn call(echo: Pid, n: u64) -> u64 {
    let r = make_ref();
    send(echo, (r, self_pid(), n));
    receive! { since r; (x, reply): (Ref, u64) if x == r => reply }
}

/// 1. A call round trip against the least two threads can do: a request/reply ping-pong
///    over two crossbeam channels, the same channels otp-core's mailboxes are made of.
fn call_round_trip(report: &mut Report) {
    let server = spawn(echo);
    let (request_tx, request_rx) = unbounded::<u64>();
    let (reply_tx, reply_rx) = unbounded::<u64>();
    let raw_server = thread::spawn(move || {
        for n in request_rx {
            let _ = reply_tx.send(n);
        }
    });

    let (ratio, ours, raw) = median_pair(
        SAMPLES,
        || ns_per(CALLS, |n| call(server, n)),
        || {
            ns_per(CALLS, |n| {
                request_tx.send(n).unwrap();
                reply_rx.recv().unwrap()
            })
        },
    );

    send(server, Stop);
    drop(request_tx);
    raw_server.join().unwrap();
    report.row(
        "1. call round trip (make_ref, send, receive since ref)",
        time(ours),
        format!("{} (crossbeam ping-pong)", time(raw)),
        Ratio::Cost(ratio),
        Goal::AtMost(1.5),
    );
}

/// What the consumer of the throughput figure answers once it has every message.
#[derive(Debug)]
struct Done(u64);

/// 2. One-way throughput: this process sends `MESSAGES` small messages to another, which
///    receives them all; against one thread sending as many to another over crossbeam.
fn throughput(report: &mut Report) {
    let me = self_pid();
    let ours = || {
        let consumer = spawn(move || {
            let mut sum = 0;
            for _ in 0..MESSAGES {
                receive! { n: u64 => sum += n }
            }
            send(me, Done(sum));
        });
        let start = Instant::now();
        for n in 0..MESSAGES {
            send(consumer, n);
        }
        receive! { Done(sum): Done => black_box(sum) };
        MESSAGES as f64 / start.elapsed().as_secs_f64()
    };
    let raw = || {
        let (tx, rx) = unbounded::<u64>();
        let consumer = thread::spawn(move || rx.iter().take(MESSAGES as usize).sum::<u64>());
        let start = Instant::now();
        for n in 0..MESSAGES {
            tx.send(n).unwrap();
        }
        black_box(consumer.join().unwrap());
        MESSAGES as f64 / start.elapsed().as_secs_f64()
    };

    let (ratio, ours, raw) = median_pair(SAMPLES, ours, raw);
    report.row(
        "2. one-way throughput, 1M messages",
        rate(ours),
        format!("{} (crossbeam unbounded)", rate(raw)),
        Ratio::Rate(ratio),
        Goal::AtLeast(0.3),
    );
}

/// 3. The call of figure 1 made with `NOISE` unrelated messages in the caller's mailbox,
///    against the same call with an empty mailbox. The same process makes both, to the same
///    echo process, so that the mailbox is the only difference (two different callers could
///    differ by where the OS happens to place their threads).
fn call_with_full_mailbox(report: &mut Report) {
    let server = spawn(echo);
    let me = self_pid();
    // The noise has the very shape of a reply, only with another ref: a receive without the
    // mark would have to test every one of them against the guard, on every call.
    let stale = make_ref();
    let mut first_calls = Vec::new();
    let full = || {
        for n in 0..NOISE {
            send(me, (stale, n));
        }
        // The first call also moves the noise off the channel into the saved queue (skipped
        // unseen, thanks to the mark); that one-off cost is reported apart.
        first_calls.push(ns_per(1, |n| call(server, n)));
        let ns = ns_per(CALLS, |n| call(server, n));
        // Empty the mailbox for the other half of the round: each receive takes the oldest.
        for _ in 0..NOISE {
            receive! { (x, _): (Ref, u64) if x == stale => {} }
        }
        ns
    };
    let empty = || ns_per(CALLS, |n| call(server, n));

    let (ratio, ours, base) = median_pair(SAMPLES, full, empty);
    send(server, Stop);
    report.row(
        "3. call with 100,000 unrelated messages in the mailbox",
        time(ours),
        format!("{} (same call, empty mailbox)", time(base)),
        Ratio::Cost(ratio),
        Goal::AtMost(2.0),
    );
    report.note(format!(
        "3: the first call after the 100,000 messages arrived took {}: it takes them off \
         the channel into the saved queue, unmatched; every later call skips them by the \
         receive mark.",
        time(median(first_calls))
    ));
}

/// Spawns a process that returns at once and waits for its Down: a whole process life.
fn spawn_and_wait() {
    let (_, r) = spawn_monitor(|| {});
    receive! { d: Down if d.reference == r => {} }
}

/// 4. Spawn and exit, observed through a monitor, against `thread::spawn` + `join`.
fn spawn_and_exit(report: &mut Report) {
    let (ratio, ours, raw) = median_pair(
        SAMPLES,
        || ns_per(SPAWNS, |_| spawn_and_wait()),
        || ns_per(SPAWNS, |_| thread::spawn(|| {}).join().unwrap()),
    );
    report.row(
        "4. spawn + exit (spawn_monitor, receive Down)",
        time(ours),
        format!("{} (thread::spawn + join)", time(raw)),
        Ratio::Cost(ratio),
        Goal::AtMost(0.2),
    );
}

/// The child of the restart figure: answers `(ref, from)` with `ref`, panics on "crash".
fn worker() {
    loop {
        receive! {
            "crash": &str => panic!("crash on request"),
            (r, from): (Ref, Pid) => send(from, r),
        }
    }
}

/// One restart, as a supervisor sees it: the child panics, the Exit arrives, a replacement
/// is spawned (linked) and answers a message. Returns the replacement.
fn restart_once(child: Pid) -> Pid {
    send(child, "crash");
    receive! { e: Exit if e.from == child => {} }
    let child = spawn_link(worker);
    let r = make_ref();
    send(child, (r, self_pid()));
    receive! { since r; x: Ref if x == r => {} }
    child
}

/// 5. Restart of a crashed child by a trapping parent. Its baseline is otp-core's own
///    spawn + exit (figure 4) measured by the same parent, to show what a crash adds. The
///    goal is a time, not a ratio, so each restart is timed alone and the figure is their
///    median: a restart that waited for a core (a neighbour's burst) moves a mean of a
///    thousand by microseconds, and the mean and 90th percentile are printed beside it.
fn restart(report: &mut Report) {
    // One report line per crash would swamp the table, and printing is not what we measure.
    otp_core::set_crash_reports(false);
    let (me, tag) = (self_pid(), make_ref());
    // The parent is a process of its own: trapping exits in this one would outlive the figure.
    spawn(move || {
        Process::trap_exit(true);
        let sample_restarts = || {
            let mut child = spawn_link(worker);
            let each = ns_each(SPAWNS, || child = restart_once(child));
            Process::exit(child, ExitReason::Kill);
            receive! { e: Exit if e.from == child => {} }
            each
        };
        let (ours, base) =
            interleaved(SAMPLES, sample_restarts, || ns_each(SPAWNS, spawn_and_wait));
        let all = |samples: Vec<Vec<f64>>| samples.concat();
        send(me, (tag, (all(ours), all(base))));
    });
    let (ours, base) = receive! {
        since tag;
        (x, each): (Ref, (Vec<f64>, Vec<f64>)) if x == tag => each
    };
    otp_core::set_crash_reports(true);

    let mean = ours.iter().sum::<f64>() / ours.len() as f64;
    let (p90, ours, base) = (percentile(&ours, 0.9), median(ours), median(base));
    report.note(format!(
        "5: {} restarts timed one by one: median {}, 90th percentile {}, mean {}. The \
         baseline is otp-core's spawn + exit (figure 4), timed the same way by the same \
         trapping parent, interleaved; the ratio says how many of those one restart costs.",
        SAMPLES as u64 * SPAWNS,
        time(ours),
        time(p90),
        time(mean)
    ));
    report.row(
        "5. restart: child panics, parent gets Exit, replacement answers (median)",
        time(ours),
        format!("{} (otp-core spawn + exit)", time(base)),
        Ratio::Cost(ours / base),
        Goal::UnderUs {
            max: 20.0,
            ns: ours,
        },
    );
}

/// OS threads of the pool that are running a process (or finishing one) now.
fn busy_threads() -> usize {
    otp_core::pool_threads().saturating_sub(otp_core::parked_threads())
}

/// Waits until no more than `busy` pool threads are busy, and every OS thread that left the
/// pool has really ended: processes that are dead for everyone still have threads finishing
/// (unwinding, freeing their stacks), and that work must not fall into the next sample.
fn settle(busy: usize) {
    let deadline = Instant::now() + Duration::from_secs(10);
    // This bench's own threads are this one and the pool's; raw threads are joined.
    let settled = || busy_threads() <= busy && os_threads() <= 1 + otp_core::pool_threads();
    while !settled() && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(1));
    }
}

/// The OS threads of this program, from `/proc/self/status`.
fn os_threads() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

/// The tail of the chain tells the bench its pid.
#[derive(Debug)]
struct Tail(Pid);

/// Builds the rest of a chain of `left` processes, each linked to the one before, then waits
/// to be killed.
fn link_chain(left: usize, boss: Pid) {
    if left == 1 {
        send(boss, Tail(self_pid()));
    } else {
        spawn_link(move || link_chain(left - 1, boss));
    }
    receive! { Stop: Stop => {} }
}

/// 6. Exit propagation: kill the head of a chain of `CHAIN` linked processes and wait for
///    the tail's Down. The time is divided by `CHAIN` (the kill of the head is a hop too).
fn exit_along_a_chain(report: &mut Report) {
    let me = self_pid();
    let busy = busy_threads();
    let sample = || {
        let head = spawn(move || link_chain(CHAIN, me));
        let tail = receive! { Tail(pid): Tail => pid };
        let r = Process::monitor(tail);
        let start = Instant::now();
        Process::exit(head, ExitReason::Kill);
        receive! { since r; d: Down if d.reference == r => {} }
        let ns = start.elapsed().as_nanos() as f64 / CHAIN as f64;
        settle(busy);
        ns
    };
    // No baseline runs beside it: the BEAM's figure is from elsewhere.
    let samples = sampled(SAMPLES, sample);
    report.row(
        "6. exit along 1,000 links, per hop",
        time(median(samples)),
        "-".to_string(),
        Ratio::None,
        Goal::Info("BEAM ~2 us"),
    );
    report.note(
        "6: the killer's own thread walks the whole chain (signal.rs, propagate); each hop \
         also wakes that process's thread so it can stop, and those threads unwind and end \
         on the same cores while the walk goes on. Each sample waits for them to finish."
            .to_string(),
    );
}

/// What one sample of the "many alive" figure measures, per process.
struct Alive {
    spawn_ns: f64,
    rss_bytes: f64,
    stop_ns: f64,
}

/// `ALIVE` processes, each blocked in receive: spawn them all (until each has said it is
/// running), measure the memory they hold, then tell each to return and wait for every Down.
fn alive_processes() -> Alive {
    let me = self_pid();
    let busy = busy_threads();
    let rss_before = rss();
    let start = Instant::now();
    let pids: Vec<Pid> = (0..ALIVE)
        .map(|_| {
            let (pid, _) = spawn_monitor(move || {
                send(me, Ready);
                receive! { Stop: Stop => {} }
            });
            pid
        })
        .collect();
    for _ in 0..ALIVE {
        receive! { Ready: Ready => {} }
    }
    let spawn_ns = start.elapsed().as_nanos() as f64;
    let rss_bytes = rss().saturating_sub(rss_before) as f64;

    let start = Instant::now();
    for &pid in &pids {
        send(pid, Stop);
    }
    for _ in 0..ALIVE {
        receive! { Down { .. }: Down => {} }
    }
    let stop_ns = start.elapsed().as_nanos() as f64;
    // Threads past the pool's few parked ones end now; not part of the next sample.
    settle(busy);
    per_process(spawn_ns, rss_bytes, stop_ns)
}

/// The same with raw threads, each blocked on a channel of its own (its "mailbox"). Each
/// says "done" as its last act, as a process's Down is sent before its thread is free;
/// the joins come after the clock stops.
fn alive_threads() -> Alive {
    let (ready_tx, ready_rx) = unbounded::<()>();
    let (done_tx, done_rx) = unbounded::<()>();
    let rss_before = rss();
    let start = Instant::now();
    let threads: Vec<_> = (0..ALIVE)
        .map(|_| {
            let (stop_tx, stop_rx) = unbounded::<Stop>();
            let (ready, done) = (ready_tx.clone(), done_tx.clone());
            let handle = thread::spawn(move || {
                ready.send(()).unwrap();
                let _ = stop_rx.recv();
                done.send(()).unwrap();
            });
            (stop_tx, handle)
        })
        .collect();
    for _ in 0..ALIVE {
        ready_rx.recv().unwrap();
    }
    let spawn_ns = start.elapsed().as_nanos() as f64;
    let rss_bytes = rss().saturating_sub(rss_before) as f64;

    let start = Instant::now();
    for (stop, _) in &threads {
        stop.send(Stop).unwrap();
    }
    for _ in 0..ALIVE {
        done_rx.recv().unwrap();
    }
    let stop_ns = start.elapsed().as_nanos() as f64;
    for (_, handle) in threads {
        handle.join().unwrap();
    }
    per_process(spawn_ns, rss_bytes, stop_ns)
}

/// Whole-sample totals, divided by the number of processes.
fn per_process(spawn_ns: f64, rss_bytes: f64, stop_ns: f64) -> Alive {
    let n = ALIVE as f64;
    Alive {
        spawn_ns: spawn_ns / n,
        rss_bytes: rss_bytes / n,
        stop_ns: stop_ns / n,
    }
}

/// 7. `ALIVE` processes at once, against as many raw threads blocked on channels.
fn many_alive(report: &mut Report) {
    let (ours, raw) = interleaved(ALIVE_SAMPLES, alive_processes, alive_threads);
    let medians = |samples: &[Alive]| Alive {
        spawn_ns: median(samples.iter().map(|a| a.spawn_ns)),
        rss_bytes: median(samples.iter().map(|a| a.rss_bytes)),
        stop_ns: median(samples.iter().map(|a| a.stop_ns)),
    };
    let (ours, raw) = (medians(&ours), medians(&raw));
    let mut row = |name: &str, ours: f64, raw: f64, show: fn(f64) -> String| {
        report.row(
            &format!("7. 10,000 alive, each in receive: {name}"),
            show(ours),
            format!("{} (threads on channels)", show(raw)),
            Ratio::Cost(ours / raw),
            Goal::Info("report"),
        );
    };
    row("spawn, per process", ours.spawn_ns, raw.spawn_ns, time);
    row(
        "memory (RSS) per process",
        ours.rss_bytes,
        raw.rss_bytes,
        bytes,
    );
    row("stop all, per process", ours.stop_ns, raw.stop_ns, time);
    report.note(
        "7: spawn = spawn until every process has said it is in receive; stop = send each \
         one a message to return, until every Down (raw threads: a \"done\" from each); \
         memory = growth of the resident set / 10,000, with freed heap given back first."
            .to_string(),
    );
}

/// How far this machine lets the runtime go: spawn processes blocked in receive until the
/// runtime refuses, check that it refused at its own cap, then stop them all.
fn largest_count(report: &mut Report) {
    let limit = otp_core::process_limit();
    let busy = busy_threads();
    let start = Instant::now();
    let mut pids = Vec::new();
    let refused = loop {
        match try_spawn(|| receive! { Stop: Stop => {} }) {
            Ok(pid) => pids.push(pid),
            Err(e) => break e,
        }
    };
    let alive = otp_core::process_count();
    let spawn_time = start.elapsed();
    for &pid in &pids {
        Process::monitor(pid);
        send(pid, Stop);
    }
    for _ in &pids {
        receive! { Down { .. }: Down => {} }
    }
    settle(busy);

    let outcome = if alive == limit {
        "✓ reached"
    } else {
        "✗ the OS refused first"
    };
    report.row(
        "7. most processes alive at once (spawned until refused)",
        format!("{alive} alive"),
        format!("process_limit() = {limit}"),
        Ratio::None,
        Goal::Info(outcome),
    );
    report.note(format!(
        "7: {} processes spawned in {:.2} s on top of the {} already alive; the next spawn \
         failed with \"{refused}\". The cap comes from {} (a thread maps four memory \
         areas, so max_map_count / 4 threads are the most a program can have).",
        pids.len(),
        spawn_time.as_secs_f64(),
        alive - pids.len(),
        machine_limits(),
    ));
}

// ---------------------------------------------------------------------------------------
// The machine

/// The resident set of this program, in bytes (`/proc/self/statm` counts 4 KiB pages on
/// the x86-64 and aarch64 Linux machines this runs on).
fn rss() -> u64 {
    release_free_heap();
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

/// Gives the heap that earlier samples freed back to the OS, so that a sample does not look
/// cheap by reusing memory the sample before it left resident.
#[cfg(target_env = "gnu")]
fn release_free_heap() {
    unsafe extern "C" {
        /// glibc's `int malloc_trim(size_t pad)`.
        fn malloc_trim(pad: usize) -> i32;
    }
    // SAFETY: malloc_trim only returns free heap pages to the OS; it has no preconditions.
    unsafe {
        malloc_trim(0);
    }
}

#[cfg(not(target_env = "gnu"))]
fn release_free_heap() {}

/// The lines above the table: the machine, how busy it was, how the figures were taken.
fn machine() -> String {
    let cpus = thread::available_parallelism().map_or(0, |n| n.get());
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map_or("unknown CPU", str::trim);
    format!(
        "machine: {cpus} cpus (nproc), {model}; other programs kept the cpus {:.0}% busy \
         in the half second before the run\n\
         otp-core runtime bench: medians of {SAMPLES} samples ({ALIVE_SAMPLES} for the 10,000 \
         processes), otp-core and baseline interleaved",
        busy_before_run() * 100.0
    )
}

/// The share of CPU time the machine spent busy over half a second, from `/proc/stat`: how
/// much the figures of this run are disturbed by other programs.
fn busy_before_run() -> f64 {
    // (busy, total) jiffies of all cpus; the 4th and 5th numbers are idle and iowait.
    let read = || {
        let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
        let times: Vec<u64> = stat
            .lines()
            .next()
            .unwrap_or_default()
            .split_whitespace()
            .skip(1)
            .filter_map(|t| t.parse().ok())
            .collect();
        let total: u64 = times.iter().sum();
        let idle = times.get(3).unwrap_or(&0) + times.get(4).unwrap_or(&0);
        (total - idle, total)
    };
    let (busy0, total0) = read();
    thread::sleep(Duration::from_millis(500));
    let (busy1, total1) = read();
    (busy1 - busy0) as f64 / (total1 - total0).max(1) as f64
}

/// The kernel settings the default process limit is derived from.
fn machine_limits() -> String {
    let read =
        |path: &str| std::fs::read_to_string(path).map_or("?".into(), |s| s.trim().to_string());
    format!(
        "vm.max_map_count = {} (/ 5) and kernel.threads-max = {} (/ 2)",
        read("/proc/sys/vm/max_map_count"),
        read("/proc/sys/kernel/threads-max")
    )
}

// ---------------------------------------------------------------------------------------
// The table

/// The ratio column: which way the comparison with the baseline goes.
enum Ratio {
    /// Lower is better: otp-core time / baseline time.
    Cost(f64),
    /// Higher is better: otp-core rate / baseline rate.
    Rate(f64),
    /// No baseline to compare with.
    None,
}

/// The goal column, checked against the figure.
enum Goal {
    /// The ratio must be at most this.
    AtMost(f64),
    /// The rate ratio must be at least this.
    AtLeast(f64),
    /// The otp-core time, `ns`, must be under `max` microseconds.
    UnderUs { max: f64, ns: f64 },
    /// No goal to check: a figure to report.
    Info(&'static str),
}

/// The table's rows and the notes printed under it.
#[derive(Default)]
struct Report {
    rows: Vec<[String; 5]>,
    notes: Vec<String>,
}

impl Report {
    fn row(&mut self, figure: &str, ours: String, baseline: String, ratio: Ratio, goal: Goal) {
        let mark = |met: bool| if met { "✓" } else { "✗" };
        let r = match ratio {
            Ratio::Cost(r) | Ratio::Rate(r) => r,
            Ratio::None => f64::NAN,
        };
        let goal = match goal {
            Goal::AtMost(max) => format!("<= {max} {}", mark(r <= max)),
            Goal::AtLeast(min) => format!(">= {min} {}", mark(r >= min)),
            Goal::UnderUs { max, ns } => format!("< {max} us {}", mark(ns / 1_000.0 < max)),
            Goal::Info(text) => text.to_string(),
        };
        let ratio = if r.is_nan() {
            "-".to_string()
        } else {
            format!("{r:.2}")
        };
        self.rows
            .push([figure.to_string(), ours, baseline, ratio, goal]);
    }

    fn note(&mut self, note: String) {
        self.notes.push(note);
    }

    fn print(&self) {
        println!("| figure | otp-core | baseline | ratio | goal |");
        println!("|---|---:|---:|---:|---|");
        for row in &self.rows {
            println!("| {} |", row.join(" | "));
        }
        println!();
        for note in &self.notes {
            println!("- {note}");
        }
    }
}

/// A time per operation, in the unit that keeps it readable.
fn time(ns: f64) -> String {
    if ns < 1_000.0 {
        format!("{ns:.0} ns")
    } else if ns < 1_000_000.0 {
        format!("{:.2} us", ns / 1_000.0)
    } else {
        format!("{:.2} ms", ns / 1_000_000.0)
    }
}

/// Messages per second, in millions.
fn rate(per_second: f64) -> String {
    format!("{:.1} M msg/s", per_second / 1e6)
}

/// A size in KiB.
fn bytes(n: f64) -> String {
    format!("{:.1} KiB", n / 1024.0)
}
