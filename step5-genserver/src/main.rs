//! Demo of step 5: a Stack on our own GenServer, pushed and popped by pid and by name; a
//! second start under a taken name is refused. Run it with `cargo run -p step5-genserver`;
//! the trace lines (on standard error) show each call and cast move.
//! Elixir: `Stack.push(pid, 1)`, `Stack.pop(pid)`, `GenServer.start_link(Stack, [], name: :my_stack)`

use step5_genserver::gen_server;
use step5_genserver::stack::Stack;

fn main() {
    otp_core::trace::enable();
    let pid = Stack::start_link(vec![]).expect("start the stack");
    println!("pop on an empty stack = {:?}", Stack::pop(pid));
    Stack::push(pid, 1);
    println!("push 1, then pop       = {:?}", Stack::pop(pid));

    gen_server::start_link::<Stack>(vec![2], Some("my_stack")).expect("start the named stack");
    println!(
        "pop by name            = {:?}",
        gen_server::call::<Stack>("my_stack", "pop")
    );
    let again = gen_server::start_link::<Stack>(vec![], Some("my_stack"));
    println!("start again as my_stack = {again:?}");
}
