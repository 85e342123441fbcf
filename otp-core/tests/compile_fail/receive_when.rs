use otp_core::{Ref, receive};

pub fn typed(reference: Ref) -> i32 {
    receive! { //~ ERROR receive!: a guard is written `if`, not `when`: `(r, n): (Ref, i32) if r == reference =>`
        (r, n): (Ref, i32) when r == reference => n,
    }
}

pub fn untyped() {
    receive! { //~ ERROR receive!: a guard is written `if`, not `when`: `other if other.is::<u32>() =>`
        other when other.is::<u32>() => drop(other),
    }
}
