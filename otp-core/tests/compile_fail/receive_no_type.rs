// The error stands for the whole macro, so what only its clauses used goes unused too.
use otp_core::{receive, send}; //~ WARN unused import: `send`

pub fn no_type() {
    receive! { //~ ERROR receive!: a clause names the message's type after its pattern: `(msg, caller): Type =>`; only a clause that takes any message, `other =>` or `_ =>`, has none
        (msg, caller) => send(caller, msg),
    }
}
