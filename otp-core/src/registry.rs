//! Names for processes: one name per process, one process per name, freed when it dies.
//! Elixir: `Process.register/2`, `Process.whereis/1`, `Process.registered/0` · OTP: erlang:register/2

use std::collections::HashMap;
use std::sync::Mutex;

use once_cell::sync::Lazy;

use crate::lock::lock;
use crate::table;
use crate::{Error, Pid};

static NAMES: Lazy<Mutex<HashMap<String, Pid>>> = Lazy::new(|| Mutex::new(HashMap::new()));

fn valid(name: &str) -> bool {
    !name.is_empty() && name != "undefined"
}

pub(crate) fn register(pid: Pid, name: &str) -> Result<(), Error> {
    if !valid(name) {
        return Err(Error::InvalidName(name.to_string()));
    }
    // Lock order: the names, then a process. Death takes them one at a time, never both.
    let mut names = lock(&NAMES);
    if let Some(&owner) = names.get(name) {
        if table::lookup(owner).is_some_and(|p| !p.is_dead()) {
            return Err(Error::NameTaken {
                name: name.to_string(),
                owner,
            });
        }
    }
    let proc = table::lookup(pid).ok_or(Error::Noproc(pid))?;
    let mut st = proc.lock();
    if st.exit.is_some() {
        return Err(Error::Noproc(pid));
    }
    if let Some(name) = &st.name {
        return Err(Error::AlreadyRegistered {
            pid,
            name: name.clone(),
        });
    }
    st.name = Some(name.to_string());
    names.insert(name.to_string(), pid);
    if crate::tracer::enabled() {
        crate::tracer::register(pid, name);
    }
    Ok(())
}

pub(crate) fn unregister(name: &str) -> Result<(), Error> {
    let mut names = lock(&NAMES);
    let pid = names
        .remove(name)
        .ok_or_else(|| Error::Unregistered(name.to_string()))?;
    if let Some(proc) = table::lookup(pid) {
        proc.lock().name = None;
    }
    Ok(())
}

/// Frees `name` if `pid` still holds it: called as `pid` dies.
pub(crate) fn release(name: &str, pid: Pid) {
    let mut names = lock(&NAMES);
    if names.get(name) == Some(&pid) {
        names.remove(name);
    }
}

pub(crate) fn whereis(name: &str) -> Option<Pid> {
    let pid = *lock(&NAMES).get(name)?;
    table::lookup(pid).filter(|p| !p.is_dead()).map(|p| p.pid)
}

pub(crate) fn registered() -> Vec<String> {
    let mut names: Vec<String> = lock(&NAMES)
        .iter()
        .filter(|(_, pid)| table::lookup(**pid).is_some_and(|p| !p.is_dead()))
        .map(|(name, _)| name.clone())
        .collect();
    names.sort();
    names
}
