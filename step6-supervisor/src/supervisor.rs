//! Our own Supervisor: a process that traps exits, starts children from specifications it
//! keeps, and starts a fresh child from the same specification when one exits.
//! Elixir: `lib/otp/supervisor.ex`, our `OTP.Supervisor` · OTP: supervisor.erl

use std::fmt;
use std::ops::Range;
use std::sync::Arc;
use std::time::Duration;

use otp_core::{Down, Exit, ExitReason, Pid, Process, receive};

use crate::gen_server::{self, CallError, StartError};

// BEGIN EXERCISE 6.1
/// How long a request to a supervisor waits for its answer: as long as it takes, as OTP's
/// do (`:infinity`). A supervisor answers unless it dies, and the call's monitor sees that.
const REQUEST_TIMEOUT: Duration = Duration::MAX;
// END EXERCISE 6.1

// BEGIN EXERCISE 6.2: strategies
/// Which children are restarted when one exits.
///
/// Elixir: `strategy: :one_for_one | :one_for_all | :rest_for_one`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Strategy {
    /// Only the child that exited.
    ///
    /// Elixir: `:one_for_one`.
    #[default]
    OneForOne,
    /// Every child: the others are stopped (last started first), then all are started.
    ///
    /// Elixir: `:one_for_all`.
    OneForAll,
    /// The child that exited and those started after it.
    ///
    /// Elixir: `:rest_for_one`.
    RestForOne,
}

/// How a supervisor behaves: its strategy and its restart intensity.
///
/// Elixir: the options of `Supervisor.init/2`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Which children restart together.
    pub strategy: Strategy,
    // BEGIN EXERCISE 6.4
    /// More restarts than this within `max_seconds` make the supervisor give up.
    pub max_restarts: usize,
    /// The period `max_restarts` counts over.
    pub max_seconds: Duration,
    // END EXERCISE 6.4
}

impl Default for Options {
    fn default() -> Self {
        Options {
            strategy: Strategy::OneForOne,
            // BEGIN EXERCISE 6.4
            max_restarts: MAX_RESTARTS,
            max_seconds: MAX_SECONDS,
            // END EXERCISE 6.4
        }
    }
}
// END EXERCISE 6.2

// BEGIN EXERCISE 6.4: restart intensity
/// How many restarts a supervisor allows within [`MAX_SECONDS`] before it gives up:
/// Elixir's default.
pub const MAX_RESTARTS: usize = 3;

/// The period [`MAX_RESTARTS`] counts over: Elixir's default, 5 seconds.
pub const MAX_SECONDS: Duration = Duration::from_secs(5);
// END EXERCISE 6.4

// BEGIN EXERCISE 6.3: restart types
/// When a child is restarted.
///
/// Elixir: `restart: :permanent | :transient | :temporary`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Restart {
    /// Always.
    ///
    /// Elixir: `:permanent`.
    Permanent,
    /// Only after an abnormal exit (not normal, not shutdown).
    ///
    /// Elixir: `:transient`.
    Transient,
    /// Never.
    ///
    /// Elixir: `:temporary`.
    Temporary,
}
// END EXERCISE 6.3

// BEGIN EXERCISE 6.6: supervision trees
/// How a child is stopped: by its supervisor's stop, a sibling's restart, or
/// `terminate_child`.
///
/// Elixir: `shutdown: :brutal_kill | timeout | :infinity`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shutdown {
    /// Killed at once, with no chance to clean up.
    ///
    /// Elixir: `:brutal_kill`.
    BrutalKill,
    /// Asked to shut down (an exit signal `shutdown`), and killed if it has not ended within
    /// this time. A child that traps exits cleans up in between.
    ///
    /// Elixir: a timeout in milliseconds; 5000 by default for a worker.
    Timeout(Duration),
    /// Asked to shut down, and given all the time it needs: a supervisor child, which stops
    /// its own children first.
    ///
    /// Elixir: `:infinity`, the default for a supervisor child.
    Infinity,
}

/// How long a child asked to shut down may take before it is killed: OTP's default for a
/// worker, 5000 ms.
pub const SHUTDOWN_TIMEOUT: Duration = Duration::from_millis(5000);
// END EXERCISE 6.6

/// How to start a child, again and again: the workshop's `{mod, func, args}`, and (OTP's)
/// what to do when it exits or has to stop.
///
/// Elixir: `%{id: ..., start: {mod, func, args}, restart: ..., shutdown: ...}`.
#[derive(Clone)]
pub struct ChildSpec {
    start: Start,
    /// What `Debug` shows of the start: the workshop's `args`.
    shown: String,
    // BEGIN EXERCISE 6.3
    restart: Restart,
    // END EXERCISE 6.3
    // BEGIN EXERCISE 6.6
    shutdown: Shutdown,
    // END EXERCISE 6.6
    // BEGIN EXERCISE 6.7
    id: Option<String>,
    // END EXERCISE 6.7
}

/// How a child's process comes to be.
#[derive(Clone)]
enum Start {
    /// The supervisor spawns a linked process that runs this: the workshop's
    /// `spawn_link(mod, func, args)`.
    Spawn(Arc<dyn Fn() + Send + Sync>),
    // BEGIN EXERCISE 6.6
    /// The supervisor calls this, which starts the child linked to its caller and answers
    /// once the child is ready: OTP's start function, such as a server's `start_link`.
    Link(Arc<dyn Fn() -> Result<Pid, StartError> + Send + Sync>),
    // END EXERCISE 6.6
}

impl ChildSpec {
    /// A child that runs `func(args.clone())` in a fresh linked process each time it starts.
    ///
    /// Elixir: `{mod, func, args}`.
    pub fn new<A>(func: fn(A), args: A) -> ChildSpec
    where
        A: Clone + fmt::Debug + Send + Sync + 'static,
    {
        let shown = format!("{args:?}");
        ChildSpec::with_start(Start::Spawn(Arc::new(move || func(args.clone()))), shown)
    }

    /// A child spec with every other setting at its default.
    fn with_start(start: Start, shown: String) -> ChildSpec {
        ChildSpec {
            start,
            shown,
            // The defaults:
            // BEGIN EXERCISE 6.3
            restart: Restart::Permanent,
            // END EXERCISE 6.3
            // BEGIN EXERCISE 6.6
            shutdown: Shutdown::Timeout(SHUTDOWN_TIMEOUT),
            // END EXERCISE 6.6
            // BEGIN EXERCISE 6.7
            id: None,
            // END EXERCISE 6.7
        }
    }

    // BEGIN EXERCISE 6.3
    /// The same child with another restart type.
    ///
    /// Elixir: `Supervisor.child_spec(spec, restart: restart)`.
    pub fn restart(self, restart: Restart) -> ChildSpec {
        ChildSpec { restart, ..self }
    }
    // END EXERCISE 6.3

    // BEGIN EXERCISE 6.6
    /// A child started by `start_link`, called in the supervisor: it starts the child linked
    /// to its caller and answers its pid once the child is ready, as a GenServer's
    /// `start_link` does.
    ///
    /// Elixir: `%{start: {Stack, :start_link, [[]]}}`.
    pub fn worker(
        start_link: impl Fn() -> Result<Pid, StartError> + Send + Sync + 'static,
    ) -> ChildSpec {
        ChildSpec::with_start(Start::Link(Arc::new(start_link)), "worker".to_string())
    }

    /// A child that is itself a supervisor, started by [`start_link`] with `options` and
    /// `children`, and given all the time it needs to stop its own children.
    ///
    /// Elixir: `%{start: {Supervisor, :start_link, [children, opts]}, type: :supervisor}`.
    pub fn supervisor(options: Options, children: Vec<ChildSpec>) -> ChildSpec {
        let shown = format!("supervisor of {children:?}");
        let start = move || start_link(None, options, children.clone());
        ChildSpec::with_start(Start::Link(Arc::new(start)), shown).shutdown(Shutdown::Infinity)
    }

    /// The same child, stopped another way.
    ///
    /// Elixir: `Supervisor.child_spec(spec, shutdown: shutdown)`.
    pub fn shutdown(self, shutdown: Shutdown) -> ChildSpec {
        ChildSpec { shutdown, ..self }
    }
    // END EXERCISE 6.6

    // BEGIN EXERCISE 6.7
    /// The same child, known to its supervisor as `id`, unique among its children.
    ///
    /// Elixir: `Supervisor.child_spec(spec, id: id)`.
    pub fn id(self, id: &str) -> ChildSpec {
        ChildSpec {
            id: Some(id.to_string()),
            ..self
        }
    }
    // END EXERCISE 6.7
}

impl fmt::Debug for ChildSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut spec = f.debug_struct("ChildSpec");
        // BEGIN EXERCISE 6.7
        spec.field("id", &self.id);
        // END EXERCISE 6.7
        spec.field("start", &format_args!("{}", self.shown));
        // BEGIN EXERCISE 6.3
        spec.field("restart", &self.restart);
        // END EXERCISE 6.3
        // BEGIN EXERCISE 6.6
        spec.field("shutdown", &self.shutdown);
        // END EXERCISE 6.6
        spec.finish()
    }
}

/// Why `start_child` has no pid to answer.
///
/// Elixir: `{:error, reason}` from `Supervisor.start_child/2`, or the exit of the call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StartChildError {
    /// The supervisor did not answer: dead, or unknown.
    Call(CallError),
    /// The child did not start: the process limit, a taken name, its `init` failed.
    Start(StartError),
    // BEGIN EXERCISE 6.7
    /// A running child already has this id.
    ///
    /// Elixir: `{:error, {:already_started, pid}}`.
    AlreadyStarted(Pid),
    /// A child that is not running has this id; `restart_child` or `delete_child` it first.
    ///
    /// Elixir: `{:error, :already_present}`.
    AlreadyPresent,
    // END EXERCISE 6.7
}

impl From<CallError> for StartChildError {
    fn from(e: CallError) -> Self {
        StartChildError::Call(e)
    }
}

// BEGIN EXERCISE 6.5: a look inside
/// A child as `which_children` shows it.
///
/// Elixir: `{id, child, type, modules}` from `Supervisor.which_children/1`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChildInfo {
    /// Its id, if it has one.
    pub id: Option<String>,
    /// The running process; `None` for a child that ended and stays down, or whose restart
    /// failed and is about to be tried again.
    pub pid: Option<Pid>,
    /// Its restart type.
    pub restart: Restart,
}

/// What `count_children` answers.
///
/// Elixir: `%{specs: n, active: n, ...}` from `Supervisor.count_children/1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counts {
    /// Children the supervisor knows.
    pub specs: usize,
    /// Children running now.
    pub active: usize,
}
// END EXERCISE 6.5

// BEGIN EXERCISE 6.7: children by id
/// Why a request about one child (by id) failed.
///
/// Elixir: the `{:error, reason}` of `terminate_child/2`, `restart_child/2`, `delete_child/2`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChildError {
    /// The supervisor did not answer: dead, or unknown.
    Call(CallError),
    /// No child has this id.
    ///
    /// Elixir: `{:error, :not_found}`.
    NotFound,
    /// The child is running: terminate it first.
    ///
    /// Elixir: `{:error, :running}`.
    Running,
    /// The child did not start again.
    ///
    /// Elixir: `{:error, reason}` from `restart_child/2`.
    Start(StartError),
}

impl From<CallError> for ChildError {
    fn from(e: CallError) -> Self {
        ChildError::Call(e)
    }
}
// END EXERCISE 6.7

/// The requests a supervisor answers, over the GenServer call protocol.
#[derive(Debug)]
enum Request {
    StartChild(ChildSpec),
    // BEGIN EXERCISE 6.5
    WhichChildren,
    CountChildren,
    // END EXERCISE 6.5
    // BEGIN EXERCISE 6.7
    TerminateChild(String),
    RestartChild(String),
    DeleteChild(String),
    // END EXERCISE 6.7
}

/// Starts a supervisor registered as `name`. It is not linked to the caller.
///
/// Elixir: `OTP.Supervisor.start(name)`.
pub fn start(name: &str) -> Result<Pid, StartError> {
    spawn_supervisor(name, Supervisor::default())
}

// BEGIN EXERCISE 6.2
/// Starts a supervisor registered as `name`, with `options`.
///
/// Elixir: `Supervisor.start_link([], strategy: ..., max_restarts: ..., name: name)`.
pub fn start_with(name: &str, options: Options) -> Result<Pid, StartError> {
    let supervisor = Supervisor {
        options,
        ..Supervisor::default()
    };
    spawn_supervisor(name, supervisor)
}
// END EXERCISE 6.2

// A synchronous start (exercise 5.2's): the supervisor takes its name and traps exits before
// `start` returns, so that no exit signal can reach it before it is ready for them.
fn spawn_supervisor(name: &str, supervisor: Supervisor) -> Result<Pid, StartError> {
    let init = move || supervisor.init();
    gen_server::start_sync(Some(name), false, Duration::MAX, init, Supervisor::run)
}

// BEGIN EXERCISE 6.6
/// Starts a supervisor linked to the caller, registered as `name` if there is one, and
/// starts `children` in order before it returns. If one fails to start, those already
/// started are stopped and the start fails with the reason.
///
/// Elixir: `Supervisor.start_link(children, strategy: ..., name: name)`.
pub fn start_link(
    name: Option<&str>,
    options: Options,
    children: Vec<ChildSpec>,
) -> Result<Pid, StartError> {
    // BEGIN SOLUTION 6.6
    let supervisor = Supervisor {
        options,
        ..Supervisor::default()
    };
    // A supervisor takes as long as its children take to start: each has its own timeout.
    let init = move || supervisor.init()?.start_children(children);
    gen_server::start_sync(name, true, Duration::MAX, init, Supervisor::run)
    // STARTER 6.6
    // todo!(
    //     "Exercise 6.6: start a linked supervisor with {options:?} and {children:?}, named {name:?}"
    // )
    // END SOLUTION 6.6
}
// END EXERCISE 6.6

/// Asks the supervisor to start a permanent child running `func(args)`, and answers its
/// pid. The same function and arguments start it again when it exits.
///
/// Elixir: `OTP.Supervisor.start_child(supervisor, mod, func, args)`.
pub fn start_child<'a, A>(
    supervisor: impl Into<otp_core::Dest<'a>>,
    func: fn(A),
    args: A,
) -> Result<Pid, StartChildError>
where
    A: Clone + fmt::Debug + Send + Sync + 'static,
{
    start_child_spec(supervisor, ChildSpec::new(func, args))
}

/// Asks the supervisor to start a child from `spec`, and answers its pid.
///
/// Elixir: `Supervisor.start_child(supervisor, spec)`.
pub fn start_child_spec<'a>(
    supervisor: impl Into<otp_core::Dest<'a>>,
    spec: ChildSpec,
) -> Result<Pid, StartChildError> {
    // BEGIN SOLUTION 6.1: start_child
    // The workshop's `{:start_child, ...}` message and its `{:ok, pid}` answer, over the
    // GenServer call protocol: tagged, so no other message is taken for the answer, and
    // monitored, so a dead supervisor is an error at once.
    gen_server::do_call(
        supervisor.into(),
        Request::StartChild(spec),
        REQUEST_TIMEOUT,
    )?
    // STARTER 6.1
    // let (supervisor, request) = (supervisor.into(), Request::StartChild(spec));
    // todo!("Exercise 6.1: send {request:?} to {supervisor:?}, and answer the child's pid")
    // END SOLUTION 6.1
}

// BEGIN EXERCISE 6.5
/// The children, in start order.
///
/// Elixir: `Supervisor.which_children(supervisor)`.
pub fn which_children<'a>(
    supervisor: impl Into<otp_core::Dest<'a>>,
) -> Result<Vec<ChildInfo>, CallError> {
    gen_server::do_call(supervisor.into(), Request::WhichChildren, REQUEST_TIMEOUT)
}

/// How many children the supervisor knows, and how many run.
///
/// Elixir: `Supervisor.count_children(supervisor)`.
pub fn count_children<'a>(supervisor: impl Into<otp_core::Dest<'a>>) -> Result<Counts, CallError> {
    gen_server::do_call(supervisor.into(), Request::CountChildren, REQUEST_TIMEOUT)
}
// END EXERCISE 6.5

// BEGIN EXERCISE 6.7
/// Stops the child `id` and keeps its specification, to restart it later; a temporary child
/// is forgotten.
///
/// Elixir: `Supervisor.terminate_child(supervisor, id)`.
pub fn terminate_child<'a>(
    supervisor: impl Into<otp_core::Dest<'a>>,
    id: &str,
) -> Result<(), ChildError> {
    let request = Request::TerminateChild(id.to_string());
    gen_server::do_call(supervisor.into(), request, REQUEST_TIMEOUT)?
}

/// Starts the stopped child `id` again from its specification, and answers its pid.
///
/// Elixir: `Supervisor.restart_child(supervisor, id)`.
pub fn restart_child<'a>(
    supervisor: impl Into<otp_core::Dest<'a>>,
    id: &str,
) -> Result<Pid, ChildError> {
    let request = Request::RestartChild(id.to_string());
    gen_server::do_call(supervisor.into(), request, REQUEST_TIMEOUT)?
}

/// Forgets the stopped child `id`.
///
/// Elixir: `Supervisor.delete_child(supervisor, id)`.
pub fn delete_child<'a>(
    supervisor: impl Into<otp_core::Dest<'a>>,
    id: &str,
) -> Result<(), ChildError> {
    let request = Request::DeleteChild(id.to_string());
    gen_server::do_call(supervisor.into(), request, REQUEST_TIMEOUT)?
}
// END EXERCISE 6.7

/// Stops every child (last started first), ends the supervisor, and waits until it is
/// gone.
///
/// Elixir: `Supervisor.stop(supervisor)`; the workshop's `:stop` message.
pub fn stop<'a>(supervisor: impl Into<otp_core::Dest<'a>>) -> Result<(), CallError> {
    gen_server::stop(supervisor, ExitReason::Normal)
}

/// One child: how to start it, and the process running it now (the workshop's
/// `{pid, mod, func, args}`).
struct Child {
    // BEGIN SOLUTION 6.4
    /// Names the child across restarts, for `TryAgain`.
    key: u64,
    // END SOLUTION 6.4
    spec: ChildSpec,
    pid: Option<Pid>,
}

/// The supervisor's loop data.
#[derive(Default)]
struct Supervisor {
    /// In start order.
    children: Vec<Child>,
    // BEGIN EXERCISE 6.2
    options: Options,
    // END EXERCISE 6.2
    // BEGIN SOLUTION 6.4
    /// When the recent restarts happened, oldest first.
    restarts: std::collections::VecDeque<std::time::Instant>,
    next_key: u64,
    // END SOLUTION 6.4
}

// BEGIN SOLUTION 6.4
/// What the supervisor sends itself when a restart failed, to try it again (a private
/// type: no one else can send it). OTP: `{try_again_restart, Id}`.
#[derive(Debug)]
struct TryAgain(u64);
// END SOLUTION 6.4

impl Supervisor {
    /// The workshop's `init/0`, in the supervisor's process before its loop.
    fn init(self) -> Result<Supervisor, ExitReason> {
        // Children's exits must reach us as messages, not end us.
        Process::trap_exit(true);
        Ok(self)
    }

    // BEGIN SOLUTION 6.6
    /// OTP: supervisor:init/1. Start the children in order; if one fails, stop those already
    /// started (last first) and fail with its reason.
    fn start_children(mut self, children: Vec<ChildSpec>) -> Result<Supervisor, ExitReason> {
        for spec in children {
            let shown = format!("{spec:?}");
            if let Err(failed) = self.start_child(spec) {
                self.stop_children(0..self.children.len());
                return Err(ExitReason::Other(format!(
                    "failed to start child {shown}: {failed:?}"
                )));
            }
        }
        Ok(self)
    }
    // END SOLUTION 6.6

    /// The workshop's `loop/1`, until the supervisor stops. It returns the reason, the
    /// children already stopped; the supervisor's state is dropped as it returns, in
    /// ordinary code, and its process exits with the reason.
    fn run(mut self) -> ExitReason {
        // BEGIN SOLUTION 6.6
        let parent = Process::parent();
        // END SOLUTION 6.6
        loop {
            receive! {
                ("$call", from, request): (&str, gen_server::From, Request) => match request {
                    Request::StartChild(spec) => {
                        let started = self.start_child(spec);
                        gen_server::reply(from, started);
                    }
                    // BEGIN EXERCISE 6.5
                    Request::WhichChildren => gen_server::reply(from, self.which_children()),
                    Request::CountChildren => gen_server::reply(from, self.count_children()),
                    // END EXERCISE 6.5
                    // BEGIN EXERCISE 6.7
                    Request::TerminateChild(id) => {
                        gen_server::reply(from, self.terminate_child(&id));
                    }
                    Request::RestartChild(id) => gen_server::reply(from, self.restart_child(&id)),
                    Request::DeleteChild(id) => gen_server::reply(from, self.delete_child(&id)),
                    // END EXERCISE 6.7
                },
                // BEGIN SOLUTION 6.6
                // OTP: the parent's exit signal stops the children, last started first, then
                // the supervisor, with the same reason.
                Exit { from, reason }: Exit if Some(from) == parent => {
                    self.stop_children(0..self.children.len());
                    return reason;
                }
                // END SOLUTION 6.6
                Exit { from, reason }: Exit => {
                    if let Err(reason) = self.child_exited(from, reason) {
                        return reason;
                    }
                }
                // BEGIN SOLUTION 6.4
                TryAgain(key): TryAgain => {
                    let down = self.children.iter().position(|c| c.key == key && c.pid.is_none());
                    if let Some(at) = down {
                        if let Err(reason) = self.restart(at) {
                            return reason;
                        }
                    }
                }
                // END SOLUTION 6.4
                ("$stop", reason): (&str, ExitReason) => {
                    self.stop_children(0..self.children.len());
                    return reason;
                }
                // Not the workshop's: anything else is dropped, so that it cannot pile up.
                _other => continue,
            }
        }
    }

    /// Starts a child from `spec`, linked to us, and keeps it (the workshop's
    /// `{:start_child, ...}` clause).
    fn start_child(&mut self, spec: ChildSpec) -> Result<Pid, StartChildError> {
        // BEGIN EXERCISE 6.7
        // BEGIN SOLUTION 6.7
        if let Some(at) = spec.id.as_deref().and_then(|id| self.find(id)) {
            return Err(match self.children[at].pid {
                Some(pid) => StartChildError::AlreadyStarted(pid),
                None => StartChildError::AlreadyPresent,
            });
        }
        // END SOLUTION 6.7
        // END EXERCISE 6.7
        let pid = spawn_child(&spec).map_err(StartChildError::Start)?;
        self.children.push(Child {
            // BEGIN SOLUTION 6.4
            key: self.next_key,
            // END SOLUTION 6.4
            spec,
            pid: Some(pid),
        });
        // BEGIN SOLUTION 6.4
        self.next_key += 1;
        // END SOLUTION 6.4
        Ok(pid)
    }

    /// A child ended: restart it (the workshop's `{:EXIT, pid, _reason}` clause). `Err` if
    /// the supervisor must stop, with the reason, its children already stopped.
    fn child_exited(&mut self, pid: Pid, reason: ExitReason) -> Result<(), ExitReason> {
        let Some(at) = self.children.iter().position(|c| c.pid == Some(pid)) else {
            return Ok(()); // not one of ours (any more): nothing to do
        };
        self.children[at].pid = None;
        // BEGIN SOLUTION 6.3: the restart type decides whether an exit means a restart
        let abnormal = !matches!(reason, ExitReason::Normal | ExitReason::Shutdown);
        match self.children[at].spec.restart {
            Restart::Permanent => self.restart(at),
            Restart::Transient if abnormal => self.restart(at),
            Restart::Transient => Ok(()),
            Restart::Temporary => {
                self.children.remove(at);
                Ok(())
            }
        }
        // STARTER 6.3
        // // The workshop restarts a child, whatever its `reason`.
        // drop(reason);
        // self.restart(at)
        // END SOLUTION 6.3
    }

    /// Starts child `at` again (and any others its restart brings along). `Err` if the
    /// supervisor must stop, with the reason, its children already stopped.
    fn restart(&mut self, at: usize) -> Result<(), ExitReason> {
        // BEGIN SOLUTION 6.4: too many restarts, and the supervisor gives up
        if !self.may_restart() {
            // OTP: the supervisor stops, and lets its own supervisor (if any) decide.
            self.stop_children(0..self.children.len());
            return Err(ExitReason::Shutdown);
        }
        // END SOLUTION 6.4
        // BEGIN SOLUTION 6.2: the strategy decides which children restart with child `at`
        let restart = match self.options.strategy {
            Strategy::OneForOne => at..at + 1,
            Strategy::OneForAll => 0..self.children.len(),
            Strategy::RestForOne => at..self.children.len(),
        };
        // Stop the others, last started first; then start them all, in start order.
        self.stop_children(restart.clone());
        // BEGIN SOLUTION 6.3
        // OTP: a temporary child stopped for a sibling's sake is not restarted: it is gone.
        // (One that ended by itself was dropped then, so the only ones down are these.)
        self.children
            .retain(|c| c.pid.is_some() || c.spec.restart != Restart::Temporary);
        let restart = restart.start..restart.end.min(self.children.len());
        // END SOLUTION 6.3
        // STARTER 6.2
        // let restart = at..at + 1;
        // END SOLUTION 6.2
        for i in restart {
            match spawn_child(&self.children[i].spec) {
                Ok(pid) => self.children[i].pid = Some(pid),
                Err(_) => {
                    // BEGIN SOLUTION 6.4
                    // OTP: the failed child (and those after it) stay down, and the restart
                    // is tried again, counting towards the intensity, so that it cannot spin.
                    otp_core::send(otp_core::self_pid(), TryAgain(self.children[i].key));
                    break;
                    // STARTER 6.4
                    // // The workshop's spawn_link raises here, and the supervisor dies; ours
                    // // stops its children first.
                    // self.stop_children(0..self.children.len());
                    // return Err(ExitReason::Shutdown);
                    // END SOLUTION 6.4
                }
            }
        }
        Ok(())
    }

    // BEGIN SOLUTION 6.4
    /// OTP: more than `max_restarts` within `max_seconds`, and the supervisor gives up.
    fn may_restart(&mut self) -> bool {
        let now = std::time::Instant::now();
        self.restarts.push_back(now);
        while self
            .restarts
            .front()
            .is_some_and(|&t| now.duration_since(t) > self.options.max_seconds)
        {
            self.restarts.pop_front();
        }
        self.restarts.len() <= self.options.max_restarts
    }
    // END SOLUTION 6.4

    /// Stops the running children in `range`, last started first (the workshop's
    /// `kill_children`).
    fn stop_children(&mut self, range: Range<usize>) {
        for child in self.children[range].iter_mut().rev() {
            if let Some(pid) = child.pid.take() {
                // BEGIN SOLUTION 6.6
                shut_down(pid, child.spec.shutdown);
                // STARTER 6.6
                // kill(pid);
                // END SOLUTION 6.6
            }
        }
    }

    // BEGIN EXERCISE 6.5
    fn which_children(&self) -> Vec<ChildInfo> {
        // BEGIN SOLUTION 6.5
        self.children
            .iter()
            .map(|c| ChildInfo {
                id: c.spec.id.clone(),
                pid: c.pid,
                restart: c.spec.restart,
            })
            .collect()
        // STARTER 6.5
        // todo!(
        //     "Exercise 6.5: what each of the {} children is",
        //     self.children.len()
        // )
        // END SOLUTION 6.5
    }

    fn count_children(&self) -> Counts {
        // BEGIN SOLUTION 6.5
        Counts {
            specs: self.children.len(),
            active: self.children.iter().filter(|c| c.pid.is_some()).count(),
        }
        // STARTER 6.5
        // todo!("Exercise 6.5: count the {} children", self.children.len())
        // END SOLUTION 6.5
    }
    // END EXERCISE 6.5

    // BEGIN EXERCISE 6.7
    // BEGIN SOLUTION 6.7
    /// Where the child with this id is.
    fn find(&self, id: &str) -> Option<usize> {
        self.children
            .iter()
            .position(|c| c.spec.id.as_deref() == Some(id))
    }
    // END SOLUTION 6.7

    fn terminate_child(&mut self, id: &str) -> Result<(), ChildError> {
        // BEGIN SOLUTION 6.7
        let at = self.find(id).ok_or(ChildError::NotFound)?;
        self.stop_children(at..at + 1);
        // OTP: a temporary child is not kept: it would never run again.
        if self.children[at].spec.restart == Restart::Temporary {
            self.children.remove(at);
        }
        Ok(())
        // STARTER 6.7
        // todo!("Exercise 6.7: terminate child {id:?}")
        // END SOLUTION 6.7
    }

    fn restart_child(&mut self, id: &str) -> Result<Pid, ChildError> {
        // BEGIN SOLUTION 6.7
        let at = self.find(id).ok_or(ChildError::NotFound)?;
        if self.children[at].pid.is_some() {
            return Err(ChildError::Running);
        }
        let pid = spawn_child(&self.children[at].spec).map_err(ChildError::Start)?;
        self.children[at].pid = Some(pid);
        Ok(pid)
        // STARTER 6.7
        // todo!("Exercise 6.7: restart child {id:?}")
        // END SOLUTION 6.7
    }

    fn delete_child(&mut self, id: &str) -> Result<(), ChildError> {
        // BEGIN SOLUTION 6.7
        let at = self.find(id).ok_or(ChildError::NotFound)?;
        if self.children[at].pid.is_some() {
            return Err(ChildError::Running);
        }
        self.children.remove(at);
        Ok(())
        // STARTER 6.7
        // todo!("Exercise 6.7: delete child {id:?}")
        // END SOLUTION 6.7
    }
    // END EXERCISE 6.7
}

/// Starts the child `spec` describes, linked to the supervisor, the caller.
fn spawn_child(spec: &ChildSpec) -> Result<Pid, StartError> {
    match &spec.start {
        Start::Spawn(run) => {
            let run = run.clone();
            otp_core::try_spawn_link(move || run()).map_err(StartError::Spawn)
        }
        // BEGIN EXERCISE 6.6
        // BEGIN SOLUTION 6.6
        Start::Link(start_link) => start_link(),
        // STARTER 6.6
        // Start::Link(_start_link) => todo!("Exercise 6.6: start a child by its start function"),
        // END SOLUTION 6.6
        // END EXERCISE 6.6
    }
}

/// Kills `pid` and waits until it is gone: the workshop's `Process.exit(pid, :kill)`.
/// Unlinked first, so that its exit is not taken for a crash to restart.
fn kill(pid: Pid) {
    let monitor = Process::monitor(pid);
    Process::unlink(pid);
    Process::exit(pid, ExitReason::Kill);
    receive! { Down { reference, .. }: Down if reference == monitor => () }
    // An Exit it sent before the unlink is not news any more.
    receive! {
        Exit { from, .. }: Exit if from == pid => (),
        after Duration::ZERO => (),
    }
}

// BEGIN SOLUTION 6.6
// OTP: supervisor:shutdown/2. Ask the child to shut down, and kill it if it takes too long;
// a child that traps exits cleans up in between (a server's `terminate`). Unlinked first,
// so that its exit is not taken for a crash to restart.
fn shut_down(pid: Pid, how: Shutdown) {
    let patience = match how {
        Shutdown::BrutalKill => return kill(pid),
        Shutdown::Timeout(patience) => patience,
        Shutdown::Infinity => Duration::MAX,
    };
    let monitor = Process::monitor(pid);
    Process::unlink(pid);
    Process::exit(pid, ExitReason::Shutdown);
    let gone = receive! {
        Down { reference, .. }: Down if reference == monitor => true,
        after patience => false,
    };
    if !gone {
        Process::exit(pid, ExitReason::Kill);
        receive! { Down { reference, .. }: Down if reference == monitor => () }
    }
    receive! {
        Exit { from, .. }: Exit if from == pid => (),
        after Duration::ZERO => (),
    }
}
// END SOLUTION 6.6
