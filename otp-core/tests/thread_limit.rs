//! The process limit counts OS threads as well as processes: a killed process is dead for
//! everyone at once, but its thread runs on until its next otp-core call, and it is threads
//! that the OS runs out of. A spawn that would need one thread past the limit fails with
//! system_limit until those threads are gone. Its own test binary: it changes the limit and
//! counts every thread of the pool.
//! Elixir: `spawn/1` raising `system_limit` past `+P`

use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use otp_core::{
    Down, Error, ExitReason, Pid, Process, assert_receive, parked_threads, pool_threads,
    process_count, self_pid, set_process_limit, try_spawn, try_spawn_monitor,
};
use pretty_assertions::assert_eq;

const SLOW: Duration = Duration::from_secs(5);
const LIMIT: usize = 8;

/// A gate that processes wait at outside otp-core, as in `std::thread::sleep` or a socket.
#[derive(Clone, Default)]
struct Gate(Arc<(Mutex<bool>, Condvar)>);

impl Gate {
    fn wait(&self) {
        let (open, opened) = &*self.0;
        let mut open = open.lock().unwrap();
        while !*open {
            open = opened.wait(open).unwrap();
        }
    }

    fn open(&self) {
        let (open, opened) = &*self.0;
        *open.lock().unwrap() = true;
        opened.notify_all();
    }
}

/// Spawns processes that wait at `gate` until a spawn is refused; returns their pids.
fn spawn_until_refused(gate: &Gate) -> Vec<Pid> {
    let mut pids = Vec::new();
    loop {
        let gate = gate.clone();
        match try_spawn(move || gate.wait()) {
            Ok(pid) => pids.push(pid),
            Err(e) => {
                assert_eq!(e, Error::SystemLimit);
                return pids;
            }
        }
    }
}

/// Kills `pids` and waits until each is dead for everyone (its Down has come).
fn kill_all(pids: &[Pid]) {
    let watches: Vec<_> = pids.iter().map(|&p| Process::monitor(p)).collect();
    for &pid in pids {
        Process::exit(pid, ExitReason::Kill);
    }
    for reference in watches {
        assert_receive!(Down { reference: r, .. }: Down if r == reference, SLOW);
    }
}

// The loop, scaled down: spawn until refused, kill them all while they wait outside
// otp-core, spawn again.
#[test]
fn threads_of_killed_processes_count_against_the_limit_until_they_stop() {
    let me = self_pid();
    set_process_limit(LIMIT);
    let gate = Gate::default();

    // This test's process counts among the processes, not among the pool's threads.
    let first = spawn_until_refused(&gate);
    assert_eq!(first.len(), LIMIT - 1);
    kill_all(&first);
    assert_eq!(Process::list(), vec![me]);

    // Dead for everyone, but their threads still wait at the gate: one more thread fits
    // under the limit, then spawning is refused with only two processes alive.
    let second = spawn_until_refused(&gate);
    assert_eq!(second.len(), 1);
    assert_eq!(process_count(), 2);
    kill_all(&second);
    assert_eq!(try_spawn(|| ()), Err(Error::SystemLimit));
    assert_eq!(pool_threads(), LIMIT);

    // Once the threads get past the gate, their processes' functions return; the threads
    // park for the next process, and spawning works again.
    gate.open();
    let deadline = Instant::now() + SLOW;
    while parked_threads() < LIMIT {
        assert!(Instant::now() < deadline, "{} parked", parked_threads());
        std::thread::yield_now();
    }
    let spawned: Vec<_> = (1..LIMIT)
        .map(|_| try_spawn_monitor(|| ()).expect("a parked thread is free"))
        .collect();
    for (pid, reference) in spawned {
        let down = assert_receive!(Down { reference: r, .. }: Down if r == reference, SLOW);
        assert_eq!((down.pid, down.reason), (pid, ExitReason::Normal));
    }
}
