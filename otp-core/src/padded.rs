//! A value alone on its cache lines. A counter that many threads write (spinning waiters,
//! live processes) must not share a line with a flag that every send and receive reads (is
//! tracing on?): each write would take the line away from every reader (false sharing).
//! Elixir: no equivalent; the BEAM pads its shared counters the same way · OTP: ERTS_ALC_CACHE_LINE_ALIGN_SIZE

use std::ops::Deref;

/// `T` on 128 bytes of its own: two cache lines, as Intel CPUs fetch lines in pairs.
#[repr(align(128))]
pub(crate) struct Padded<T>(pub T);

impl<T> Deref for Padded<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}
