use otp_core::{Down, Ref, assert_receive, refute_receive};

pub fn pattern_pin(reference: Ref) {
    assert_receive!((^reference, "hello"): (Ref, &str)); //~ ERROR assert_receive!: Rust patterns have no pin `^reference`: bind a new name in its place and compare it in a guard: `assert_receive!((r, "hello"): (Ref, &str) if r == reference)`
}

pub fn value_pin(reference: Ref) {
    refute_receive!((^reference, "hello")); //~ ERROR refute_receive!: no pin needed: without a type, the argument is a value, compared with `==`; write `reference` for `^reference`
}

pub fn down_pin(monitor: Ref) -> Down {
    assert_receive!(Down { reference: ^monitor, .. }: Down) //~ ERROR assert_receive!: Rust patterns have no pin `^monitor`: bind a new name in its place and compare it in a guard: `assert_receive!(Down { reference: r, .. }: Down if r == monitor)`
}
