//! The table of aliases: refs that deliver messages to the process that made them, until it
//! removes them. A call tags its request with one, so a reply that comes after the caller
//! gave up is dropped instead of waiting in its mailbox. `Process::alias` and
//! `Process::unalias` (process.rs) make and remove them; a process's death removes its own.
//! Elixir: `Process.alias/0`, `Process.unalias/1` · OTP: erlang:alias/0 (OTP 24)

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use once_cell::sync::Lazy;

use crate::lock::lock;
use crate::{Pid, Ref};

const SHARDS: usize = 16;

static ALIASES: Lazy<[Mutex<HashMap<Ref, Pid>>; SHARDS]> =
    Lazy::new(|| std::array::from_fn(|_| Mutex::new(HashMap::new())));

fn shard(alias: Ref) -> &'static Mutex<HashMap<Ref, Pid>> {
    &ALIASES[(alias.0 as usize) % SHARDS]
}

/// Makes `alias` deliver to `owner`.
pub(crate) fn add(alias: Ref, owner: Pid) {
    lock(shard(alias)).insert(alias, owner);
}

/// Makes `alias` deliver nowhere; false if it did already.
pub(crate) fn remove(alias: Ref) -> bool {
    lock(shard(alias)).remove(&alias).is_some()
}

/// The process an alias delivers to (none if the alias is inactive), looked up under the
/// alias's lock, which it holds: until it is dropped, `remove` waits, so nothing sent
/// through the alias meanwhile can arrive after `remove` has returned.
pub(crate) struct Owner {
    pub pid: Option<Pid>,
    _held: MutexGuard<'static, HashMap<Ref, Pid>>,
}

/// The owner of `alias`, with the alias held.
pub(crate) fn owner(alias: Ref) -> Owner {
    let held = lock(shard(alias));
    Owner {
        pid: held.get(&alias).copied(),
        _held: held,
    }
}
