//! The workshop's test of the Stack.
//! Elixir: `OTP.StackTest` in `test/stack_test.exs`

use pretty_assertions::assert_eq;

use crate::stack::Stack;

// test "push and pop"
#[test]
fn push_and_pop() {
    let pid = Stack::start_link(vec![]).unwrap();
    assert_eq!(Ok(Err("empty")), Stack::pop(pid));
    // Elixir's `:ok = Stack.push(pid, 1)`: a cast returns nothing to match here.
    Stack::push(pid, 1);
    assert_eq!(Ok(Ok(1)), Stack::pop(pid));
}
