//! Room for one more OS thread: the memory areas ("maps") a new thread needs, and a check that
//! the kernel will let it have them, so that a spawn past the kernel's limit fails with
//! system_limit instead of aborting the whole program.
//! Elixir: none needed, a BEAM process lives in the VM's own heap · OTP: `erl +P`, system_limit
//!
//! Linux lets a program have `vm.max_map_count` memory areas (65,530 by default): one per
//! mapping, and one more per run of pages with other permissions inside it. A new thread
//! needs up to six:
//!
//! - its stack and the guard page below it (2), mapped by `pthread_create` in the thread
//!   that starts it, which fails cleanly if it cannot (`Builder::spawn` returns an error);
//! - a malloc arena (2, 64 MiB reserved and the part in use), which glibc makes for each new
//!   thread until there are 8 per core, and the signal stack with its guard page (2), which
//!   Rust's std maps so that it can report a stack overflow. The new thread maps these itself
//!   before any otp-core code runs in it, and there a failure aborts the program: std panics
//!   where nothing can catch it ("failed to set up alternative stack guard page"), or malloc
//!   fails ("memory allocation of 41 bytes failed").
//!
//! Thread-local storage needs no area of its own: glibc puts it at the top of the stack.
//!
//! So before a thread is started, [`ROOM`] areas are mapped and unmapped again, and a thread
//! is started only if that worked. Threads are started one at a time, each once the one before
//! has mapped what it needs, so that two starts never count on the same room. Something else
//! in the program that maps memory at that very moment can still take the room first: the
//! check makes otp-core safe from itself and from what the program mapped before.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::lock::lock;

/// Areas checked for: the six a thread needs at most, and one more in case the kernel merged
/// the check's own first or last area with a neighbour of the same kind.
const ROOM: usize = 7;

/// Held while a thread is being started.
static STARTING: Mutex<()> = Mutex::new(());

/// False from the start of a thread until it runs its first line of otp-core code, by which
/// point its stack, arena and signal stack are mapped.
static STARTED: AtomicBool = AtomicBool::new(true);

/// Runs `start`, which starts an OS thread whose first act is to call [`started`], if the
/// kernel has room for what the thread needs; `None` if it has not.
pub(crate) fn with_room_for_a_thread<T, E>(
    start: impl FnOnce() -> Result<T, E>,
) -> Option<Result<T, E>> {
    let _one_at_a_time = lock(&STARTING);
    // The thread started before us may still be mapping its arena and signal stack: the
    // check must not take their room, nor count it as ours.
    while !STARTED.load(Ordering::Acquire) {
        std::thread::yield_now();
    }
    if !os::room(ROOM) {
        return None;
    }
    STARTED.store(false, Ordering::Release);
    let result = start();
    if result.is_err() {
        STARTED.store(true, Ordering::Release);
    }
    Some(result)
}

/// Called by a new thread first thing: what it maps as it starts is mapped.
pub(crate) fn started() {
    STARTED.store(true, Ordering::Release);
}

#[cfg(all(
    target_os = "linux",
    any(
        target_arch = "x86_64",
        target_arch = "aarch64",
        target_arch = "riscv64"
    )
))]
mod os {
    use std::ffi::{c_int, c_long, c_void};

    use once_cell::sync::Lazy;

    // glibc's and musl's own declarations, and the values of these constants on the
    // architectures above (std depends on the libc crate for them; otp-core does not).
    unsafe extern "C" {
        fn mmap(
            addr: *mut c_void,
            len: usize,
            prot: c_int,
            flags: c_int,
            fd: c_int,
            offset: c_long,
        ) -> *mut c_void;
        fn mprotect(addr: *mut c_void, len: usize, prot: c_int) -> c_int;
        fn munmap(addr: *mut c_void, len: usize) -> c_int;
        fn sysconf(name: c_int) -> c_long;
    }
    const PROT_NONE: c_int = 0;
    const PROT_READ: c_int = 1;
    const MAP_PRIVATE: c_int = 0x02;
    const MAP_ANONYMOUS: c_int = 0x20;
    const MAP_FAILED: *mut c_void = !0 as *mut c_void;
    const SC_PAGESIZE: c_int = 30;

    static PAGE: Lazy<usize> =
        Lazy::new(|| usize::try_from(unsafe { sysconf(SC_PAGESIZE) }).unwrap_or(4096));

    /// Whether the kernel lets this program map `areas` more areas now (`areas` odd): maps
    /// that many pages, takes the permission from every other one so that each page is an
    /// area of its own, and unmaps them all again.
    pub(super) fn room(areas: usize) -> bool {
        let page = *PAGE;
        let len = areas * page;
        // Readable, not PROT_NONE: the guard pages of thread stacks are PROT_NONE, and an
        // area next to one with the same permissions would merge into it.
        // SAFETY: a fresh private mapping that nothing else knows of; only its own pages are
        // changed and unmapped.
        unsafe {
            let at = mmap(
                std::ptr::null_mut(),
                len,
                PROT_READ,
                MAP_PRIVATE | MAP_ANONYMOUS,
                -1,
                0,
            );
            if at == MAP_FAILED {
                return false;
            }
            // Pages 1, 3, 5...: each splits one area into three.
            let split = (1..areas)
                .step_by(2)
                .all(|i| mprotect(at.byte_add(i * page), page, PROT_NONE) == 0);
            munmap(at, len);
            split
        }
    }
}

#[cfg(not(all(
    target_os = "linux",
    any(
        target_arch = "x86_64",
        target_arch = "aarch64",
        target_arch = "riscv64"
    )
)))]
mod os {
    /// Other systems have no such count of areas to run out of.
    pub(super) fn room(_areas: usize) -> bool {
        true
    }
}
