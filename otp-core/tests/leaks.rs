//! Nothing leaks: processes that end leave the process count, and the OS threads, where
//! they were (parked reusable threads aside, and bounded). Its own test binary: it counts
//! every process and thread in the program.
//! Elixir: `Process.list/0`, `:erlang.system_info(:process_count)`

use std::time::Duration;

use otp_core::{
    Down, ExitReason, Pid, Process, assert_receive, parked_threads, pool_threads, process_count,
    receive, self_pid, spawn, spawn_monitor,
};
use pretty_assertions::assert_eq;

const SLOW: Duration = Duration::from_secs(5);

/// Threads of this OS process, as Linux counts them.
fn os_threads() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("Threads:")).unwrap();
    line["Threads:".len()..].trim().parse().unwrap()
}

#[test]
fn spawn_exit_cycles_leave_the_process_and_thread_counts_where_they_were() {
    self_pid();
    let processes_before = process_count();
    let threads_before = os_threads();

    // 10,000 spawn-exit cycles, 50 at a time: the pool's threads are reused and parked,
    // and a busy machine still gets through them in well under a second.
    for _ in 0..200 {
        let watches: Vec<_> = (0..50).map(|_| spawn_monitor(|| ()).1).collect();
        for reference in watches {
            assert_receive!(Down { reference: r, .. }: Down if r == reference, SLOW);
        }
    }
    assert_eq!(process_count(), processes_before);
    assert_eq!(Process::list(), vec![self_pid()]);

    // Many at once, then all stopped: the threads that ran them park, up to a bound, or end.
    let pids: Vec<Pid> = (0..300)
        .map(|_| spawn(|| receive! { _never: () => () }))
        .collect();
    let watches: Vec<_> = pids.iter().map(|&p| Process::monitor(p)).collect();
    for &pid in &pids {
        Process::exit(pid, ExitReason::Kill);
    }
    for reference in watches {
        assert_receive!(Down { reference: r, .. }: Down if r == reference, SLOW);
    }
    assert_eq!(process_count(), processes_before);
    // A killed process's thread stops on its own a moment after its Down, then parks or
    // ends, and the OS takes a moment more to reap the ones that end: wait until no pool
    // thread is busy and the OS has caught up, with a deadline. Then at most 64 are parked,
    // however many finished at the same moment.
    let deadline = std::time::Instant::now() + SLOW;
    while pool_threads() > parked_threads() || os_threads() > threads_before + pool_threads() {
        assert!(
            std::time::Instant::now() < deadline,
            "{} pool threads, {} parked, {} OS threads ({threads_before} before)",
            pool_threads(),
            parked_threads(),
            os_threads()
        );
        std::thread::yield_now();
    }
    assert!(parked_threads() <= 64, "{} parked", parked_threads());
}
