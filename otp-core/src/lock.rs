//! The one way otp-core takes a lock: a `Mutex` whose poisoning is ignored. Every layer
//! borrows it, so it sits at the bottom.
//! Elixir: none, processes share no memory to lock · OTP: none, poisoning is Rust's

use std::sync::{Mutex, MutexGuard, PoisonError};

/// No user code runs under an otp-core lock, but a panic can still come from anywhere (a
/// full disk in a trace writer): a poisoned lock is taken as it is, never passed on.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}
