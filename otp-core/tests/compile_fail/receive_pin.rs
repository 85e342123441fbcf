use otp_core::{Ref, receive};

pub fn pin(reference: Ref) -> i32 {
    receive! { //~ ERROR receive!: Rust patterns have no pin `^reference`: bind a new name in its place and compare it in a guard: `(r, n): (Ref, i32) if r == reference =>`
        (^reference, n): (Ref, i32) => n,
    }
}

pub fn pin_and_guard(reference: Ref) -> i32 {
    receive! { //~ ERROR receive!: Rust patterns have no pin `^reference`: bind a new name in its place and compare it in a guard: `(r, n): (Ref, i32) if r == reference && (n > 0) =>`
        (^reference, n): (Ref, i32) if n > 0 => n,
    }
}
