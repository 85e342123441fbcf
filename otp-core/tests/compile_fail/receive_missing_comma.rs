// The error stands for the whole macro, so what only its clauses used goes unused too.
use otp_core::{Pid, receive, send}; //~ WARN unused import: `send`

pub fn missing_comma(me: Pid) {
    receive! { //~ ERROR receive!: a `,` is missing after the body of `n: i32 => ...`
        n: i32 => send(me, n)
        s: &str => send(me, s),
    }
}
