//! Demo of step 6: a supervised Stack crashes, its supervisor starts a fresh one from the
//! same specification, and the next call is served by the new process. Run it with
//! `cargo run -p step6-supervisor`; the trace lines (on standard error) show the crash, the
//! exit signal to the supervisor and the restart.
//! Elixir: `OTP.Supervisor.start(:sup)`, `OTP.Supervisor.start_child(:sup, Stack, :start, [[]])`

use otp_core::{Down, Process, receive};
use step6_supervisor::gen_server;
use step6_supervisor::stack::Stack;
use step6_supervisor::supervisor::{self, ChildSpec};

/// What the supervised child runs: the Stack server, from `initial`.
fn stack(initial: Vec<i32>) {
    gen_server::enter_loop::<Stack>(initial);
}

fn main() {
    let sup = supervisor::start("demo_sup").expect("start the supervisor");
    let spec = ChildSpec::new(stack, vec![]).named("stack");
    let first = supervisor::start_child_spec(sup, spec).expect("start the stack");
    Stack::push(first, 1);
    println!(
        "{first} pop = {:?}",
        gen_server::call::<Stack>("stack", "pop")
    );

    otp_core::trace::enable();
    // A cast the Stack has no clause for: it crashes, as Elixir's would.
    let watch = Process::monitor(first);
    gen_server::cast::<Stack>("stack", ("boom", 0));
    receive! { Down { reference, reason, .. }: Down if reference == watch => println!("{first} crashed: {reason}") }
    let next = supervisor::which_children(sup).expect("ask the supervisor")[0].pid;
    otp_core::trace::disable();

    let next = next.expect("restarted");
    println!(
        "restarted as {next}: pop = {:?}",
        gen_server::call::<Stack>("stack", "pop")
    );
    supervisor::stop(sup).expect("stop the supervisor");
    println!("stopped: {next} alive? {}", Process::alive(next));
}
