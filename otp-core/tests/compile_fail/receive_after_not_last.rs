// The error stands for the whole macro, so what only its clauses used goes unused too.
use std::time::Duration; //~ WARN unused import: `std::time::Duration`

use otp_core::receive;

pub fn after_first() -> i32 {
    receive! { //~ ERROR receive!: `after` is the last clause: move `after Duration::from_millis(10) => ...` below the others
        after Duration::from_millis(10) => 0,
        n: i32 => n,
    }
}
