use otp_core::{Ref, assert_receive, refute_receive};

pub fn when_typed(reference: Ref) {
    assert_receive!((r, "hello"): (Ref, &str) when r == reference); //~ ERROR assert_receive!: a guard is written `if`, not `when`: `assert_receive!((r, "hello"): (Ref, &str) if r == reference)`
}

pub fn when_untyped() {
    refute_receive!(n when n > 1, std::time::Duration::ZERO); //~ ERROR refute_receive!: a guard is written `if`, after the message's type: `refute_receive!(n: Type if n > 1, std::time::Duration::ZERO)`
}
