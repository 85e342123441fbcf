//! Names: register, whereis, send by name, and every way registering can go wrong.
//! Elixir: `Process.register/2`, `Process.unregister/1`, `Process.whereis/1`

use std::time::Duration;

use otp_core::{
    Down, Error, ExitReason, Pid, Process, assert_receive, receive, self_pid, send, spawn,
    spawn_monitor, try_send,
};
use pretty_assertions::assert_eq;

const SLOW: Duration = Duration::from_secs(5);

fn waiting() -> Pid {
    spawn(|| {
        loop {
            receive! {
                reason: ExitReason => otp_core::exit(reason),
                (msg, from): (&str, Pid) => send(from, msg),
            }
        }
    })
}

#[test]
fn a_registered_process_is_found_and_reached_by_name() {
    let pid = waiting();
    Process::register(pid, "registry_echo").unwrap();
    assert_eq!(Process::whereis("registry_echo"), Some(pid));
    assert!(Process::registered().contains(&"registry_echo".to_string()));
    send("registry_echo", ("by name", self_pid()));
    assert_receive!("by name", SLOW);
    send(pid, ExitReason::Normal);
}

#[test]
fn register_a_taken_name_is_an_error() {
    let a = waiting();
    let b = waiting();
    Process::register(a, "registry_taken").unwrap();
    assert_eq!(
        Process::register(b, "registry_taken"),
        Err(Error::NameTaken {
            name: "registry_taken".into(),
            owner: a
        })
    );
    send(a, ExitReason::Normal);
    send(b, ExitReason::Normal);
}

#[test]
fn register_a_dead_pid_is_an_error() {
    let (pid, reference) = spawn_monitor(|| ());
    assert_receive!(Down { reference: r, .. }: Down if r == reference, SLOW);
    assert_eq!(
        Process::register(pid, "registry_dead"),
        Err(Error::Noproc(pid))
    );
    assert_eq!(Process::whereis("registry_dead"), None);
}

#[test]
fn a_process_has_at_most_one_name() {
    let pid = waiting();
    Process::register(pid, "registry_first").unwrap();
    assert_eq!(
        Process::register(pid, "registry_second"),
        Err(Error::AlreadyRegistered {
            pid,
            name: "registry_first".into()
        })
    );
    send(pid, ExitReason::Normal);
}

#[test]
fn invalid_names_are_refused() {
    let me = self_pid();
    assert_eq!(
        Process::register(me, ""),
        Err(Error::InvalidName("".into()))
    );
    assert_eq!(
        Process::register(me, "undefined"),
        Err(Error::InvalidName("undefined".into()))
    );
}

#[test]
fn unregister_an_unknown_name_is_an_error() {
    assert_eq!(
        Process::unregister("registry_nobody"),
        Err(Error::Unregistered("registry_nobody".into()))
    );
}

#[test]
fn unregister_frees_the_name() {
    let pid = waiting();
    Process::register(pid, "registry_free").unwrap();
    Process::unregister("registry_free").unwrap();
    assert_eq!(Process::whereis("registry_free"), None);
    // The process may take a name again.
    Process::register(pid, "registry_free_again").unwrap();
    send(pid, ExitReason::Normal);
}

#[test]
fn a_name_is_freed_before_anyone_learns_of_the_death() {
    let pid = waiting();
    Process::register(pid, "registry_restart").unwrap();
    let reference = Process::monitor(pid);
    send(pid, ExitReason::Other("crash".into()));
    assert_receive!(Down { reference: r, .. }: Down if r == reference, SLOW);
    // As soon as the Down is here, the name is free for a replacement.
    assert_eq!(Process::whereis("registry_restart"), None);
    let next = waiting();
    Process::register(next, "registry_restart").unwrap();
    assert_eq!(Process::whereis("registry_restart"), Some(next));
    send(next, ExitReason::Normal);
}

#[test]
fn send_to_an_unknown_name_is_an_error() {
    assert_eq!(
        try_send("registry_ghost", "hi"),
        Err(Error::Unregistered("registry_ghost".into()))
    );
    let failure = std::thread::spawn(|| send("registry_ghost", "hi"))
        .join()
        .expect_err("panics");
    let msg = failure.downcast_ref::<String>().expect("a message");
    assert!(
        msg.contains("no process is registered as \"registry_ghost\""),
        "{msg}"
    );
}
