use otp_core::{Ref, assert_receive};

// `reference` is a new binding that matches any ref: rustc's warning is the hint.
pub fn shadow(reference: Ref) -> Ref {
    assert_receive!((reference, "hello"): (Ref, &'static str)); //~ WARN unused variable: `reference`
    reference
}
