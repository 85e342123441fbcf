use otp_core::{Ref, receive};

// `reference` is a new binding that matches any ref: rustc's warning is the hint.
pub fn shadow(reference: Ref) -> (Ref, i32) {
    let n = receive! {
        (reference, n): (Ref, i32) => n, //~ WARN unused variable: `reference`
    };
    (reference, n)
}
