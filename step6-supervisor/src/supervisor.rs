//! Our own Supervisor: a process that traps exits, starts children from specifications it
//! keeps, and starts a fresh child from the same specification when one exits.
//! Elixir: `lib/otp/supervisor.ex`, our `OTP.Supervisor` · OTP: supervisor.erl

use std::collections::VecDeque;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;
use std::time::{Duration, Instant};

use otp_core::{Down, Error, Exit, ExitReason, Pid, Process, receive, self_pid, send};

use crate::gen_server::{self, CallError};

/// How many restarts a supervisor allows within [`MAX_SECONDS`] before it gives up:
/// Elixir's default.
pub const MAX_RESTARTS: usize = 3;

/// The period [`MAX_RESTARTS`] counts over: Elixir's default, 5 seconds.
pub const MAX_SECONDS: Duration = Duration::from_secs(5);

/// How long a child asked to shut down may take before it is killed: OTP's default for a
/// worker, 5000 ms.
pub const SHUTDOWN_TIMEOUT: Duration = Duration::from_millis(5000);

/// How long a request to a supervisor waits for its answer: as long as it takes, as OTP's
/// do (`:infinity`). A supervisor answers unless it dies, and the call's monitor sees that.
const REQUEST_TIMEOUT: Duration = Duration::MAX;

/// Which children are restarted when one exits.
///
/// Elixir: `strategy: :one_for_one | :one_for_all | :rest_for_one`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    /// Only the child that exited.
    ///
    /// Elixir: `:one_for_one`.
    OneForOne,
    /// Every child: the others are stopped (in reverse start order), then all are started.
    ///
    /// Elixir: `:one_for_all`.
    OneForAll,
    /// The child that exited and those started after it.
    ///
    /// Elixir: `:rest_for_one`.
    RestForOne,
}

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

/// How a supervisor behaves: its strategy and its restart intensity.
///
/// Elixir: the options of `Supervisor.init/2`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Which children restart together.
    pub strategy: Strategy,
    /// More restarts than this within `max_seconds` make the supervisor give up.
    pub max_restarts: usize,
    /// The period `max_restarts` counts over.
    pub max_seconds: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            strategy: Strategy::OneForOne,
            max_restarts: MAX_RESTARTS,
            max_seconds: MAX_SECONDS,
        }
    }
}

/// How to start a child, again and again: the workshop's `{mod, func, args}` triple as a
/// function and the arguments it is called with each time, plus its restart type.
///
/// Elixir: `%{id: ..., start: {mod, func, args}, restart: :permanent}`.
#[derive(Clone)]
pub struct ChildSpec {
    start: Arc<dyn Fn() + Send + Sync>,
    shown: String,
    restart: Restart,
    name: Option<String>,
}

impl ChildSpec {
    /// A permanent child that runs `func(args.clone())` in a fresh process each time.
    ///
    /// Elixir: `{mod, func, args}`.
    pub fn new<A>(func: fn(A), args: A) -> ChildSpec
    where
        A: Clone + fmt::Debug + Send + Sync + 'static,
    {
        let shown = format!("{args:?}");
        ChildSpec {
            start: Arc::new(move || func(args.clone())),
            shown,
            restart: Restart::Permanent,
            name: None,
        }
    }

    /// The same child with another restart type.
    ///
    /// Elixir: `Supervisor.child_spec(spec, restart: restart)`.
    pub fn restart(self, restart: Restart) -> ChildSpec {
        ChildSpec { restart, ..self }
    }

    /// The same child, registered as `name` each time it starts. The child takes the name
    /// first thing and tells the supervisor whether it could, so `start_child` answers only
    /// once the name works, and a child whose name is taken never runs.
    ///
    /// Elixir: `name: name` in the child's own `start_link` options.
    pub fn named(self, name: &str) -> ChildSpec {
        ChildSpec {
            name: Some(name.to_string()),
            ..self
        }
    }
}

impl fmt::Debug for ChildSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ChildSpec({}, {:?}, {:?})",
            self.shown, self.restart, self.name
        )
    }
}

/// A child as `which_children` shows it.
///
/// Elixir: `{id, child, type, modules}` from `Supervisor.which_children/1`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChildInfo {
    /// The running process; `None` for a transient child that ended and stays down, or a
    /// child whose restart failed and is about to be tried again.
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

/// Why `start_child` has no pid to answer.
///
/// Elixir: `{:error, reason}` from `Supervisor.start_child/2`, or the exit of the call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StartChildError {
    /// The supervisor did not answer: dead, unknown, or too slow.
    Call(CallError),
    /// The supervisor could not start the child: the process limit, or its name is taken.
    Spawn(Error),
}

impl From<CallError> for StartChildError {
    fn from(e: CallError) -> Self {
        StartChildError::Call(e)
    }
}

/// The requests a supervisor answers, over the GenServer call protocol.
#[derive(Debug)]
enum Request {
    StartChild(ChildSpec),
    WhichChildren,
    CountChildren,
}

/// Starts a supervisor registered as `name`, with the default options (one for one, 3
/// restarts in 5 seconds). It is not linked to the caller.
///
/// Elixir: `OTP.Supervisor.start(name)`.
pub fn start(name: &str) -> Result<Pid, Error> {
    start_with(name, Options::default())
}

/// Starts a supervisor registered as `name`, with `options`.
///
/// Elixir: `Supervisor.start_link(children, strategy: ..., max_restarts: ..., name: name)`.
pub fn start_with(name: &str, options: Options) -> Result<Pid, Error> {
    let pid = otp_core::try_spawn(move || init(options))?;
    if let Err(e) = Process::register(pid, name) {
        // It has done nothing but trap exits yet: it goes as if it had never started.
        Process::exit(pid, ExitReason::Kill);
        return Err(e);
    }
    Ok(pid)
}

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
    let started: Result<Pid, Error> = gen_server::do_call(
        supervisor.into(),
        Request::StartChild(spec),
        REQUEST_TIMEOUT,
    )?;
    started.map_err(StartChildError::Spawn)
}

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

/// Stops every child (in reverse start order), ends the supervisor, and waits until it is
/// gone.
///
/// Elixir: `Supervisor.stop(supervisor)`; the workshop's `:stop` message.
pub fn stop<'a>(supervisor: impl Into<otp_core::Dest<'a>>) -> Result<(), CallError> {
    gen_server::stop(supervisor, ExitReason::Normal)
}

/// One child: how to start it, and the process running it now.
struct Child {
    /// Names the child across restarts, for `TryAgain`.
    id: u64,
    spec: ChildSpec,
    pid: Option<Pid>,
}

/// The supervisor's loop data.
struct Supervisor {
    options: Options,
    children: Vec<Child>,
    restarts: VecDeque<Instant>,
    next_id: u64,
}

/// What the supervisor sends itself when a restart failed, to try it again (a private
/// type: no one else can send it). OTP: `{try_again_restart, Id}`.
#[derive(Debug)]
struct TryAgain(u64);

fn init(options: Options) {
    // Children's exits must reach us as messages, not end us.
    Process::trap_exit(true);
    Supervisor {
        options,
        children: Vec::new(),
        restarts: VecDeque::new(),
        next_id: 0,
    }
    .run();
}

impl Supervisor {
    fn run(mut self) {
        loop {
            receive! {
                ("$call", from, request): (&str, gen_server::From, Request) => match request {
                    Request::StartChild(spec) => {
                        let started = self.start_child(spec);
                        gen_server::reply(from, started);
                    }
                    Request::WhichChildren => gen_server::reply(from, self.which_children()),
                    Request::CountChildren => gen_server::reply(from, self.count_children()),
                },
                Exit { from, reason }: Exit => self.child_exited(from, reason),
                TryAgain(id): TryAgain => {
                    let down = self.children.iter().position(|c| c.id == id && c.pid.is_none());
                    if let Some(at) = down {
                        self.restart(at);
                    }
                }
                ("$stop", reason): (&str, ExitReason) => {
                    self.stop_children(0..self.children.len());
                    otp_core::exit(reason);
                }
                _other => continue,
            }
        }
    }

    // Exercise 6.1 (solution): start, link and record the child; answer its pid.
    fn start_child(&mut self, spec: ChildSpec) -> Result<Pid, Error> {
        let pid = spawn_child(&spec)?;
        self.next_id += 1;
        self.children.push(Child {
            id: self.next_id,
            spec,
            pid: Some(pid),
        });
        Ok(pid)
    }

    // Exercise 6.3 (solution): the restart type decides whether an exit means a restart.
    fn child_exited(&mut self, pid: Pid, reason: ExitReason) {
        let Some(at) = self.children.iter().position(|c| c.pid == Some(pid)) else {
            return; // not one of ours (any more): nothing to do
        };
        self.children[at].pid = None;
        let abnormal = !matches!(reason, ExitReason::Normal | ExitReason::Shutdown);
        match self.children[at].spec.restart {
            Restart::Permanent => self.restart(at),
            Restart::Transient if abnormal => self.restart(at),
            Restart::Transient => {}
            Restart::Temporary => {
                self.children.remove(at);
            }
        }
    }

    // Exercise 6.2 (solution): the strategy decides which children restart with child `at`.
    fn restart(&mut self, at: usize) {
        if !self.may_restart() {
            // OTP: too many restarts; the supervisor stops and lets its own supervisor (if
            // any) decide.
            self.stop_children(0..self.children.len());
            otp_core::exit(ExitReason::Shutdown);
        }
        let restart = match self.options.strategy {
            Strategy::OneForOne => at..at + 1,
            Strategy::OneForAll => 0..self.children.len(),
            Strategy::RestForOne => at..self.children.len(),
        };
        // Stop the others in reverse start order, then start them all in start order.
        self.stop_children(restart.clone());
        // OTP: a temporary child stopped for a sibling's sake is not restarted: it is gone.
        // (One that ended by itself was dropped then, so the only ones down are these.)
        self.children
            .retain(|c| c.pid.is_some() || c.spec.restart != Restart::Temporary);
        let restart = restart.start..restart.end.min(self.children.len());
        for child in &mut self.children[restart] {
            match spawn_child(&child.spec) {
                Ok(pid) => child.pid = Some(pid),
                Err(_) => {
                    // OTP: the failed child (and those after it) stay down, and the restart
                    // is tried again, counting towards the intensity, so it cannot spin.
                    send(self_pid(), TryAgain(child.id));
                    break;
                }
            }
        }
    }

    // Exercise 6.4 (solution). OTP: more than max_restarts within max_seconds, and the
    // supervisor gives up.
    fn may_restart(&mut self) -> bool {
        let now = Instant::now();
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

    /// Stops the running children in `range`, in reverse start order.
    fn stop_children(&mut self, range: Range<usize>) {
        for child in self.children[range].iter_mut().rev() {
            if let Some(pid) = child.pid.take() {
                terminate(pid);
            }
        }
    }

    fn which_children(&self) -> Vec<ChildInfo> {
        self.children
            .iter()
            .map(|c| ChildInfo {
                pid: c.pid,
                restart: c.spec.restart,
            })
            .collect()
    }

    fn count_children(&self) -> Counts {
        Counts {
            specs: self.children.len(),
            active: self.children.iter().filter(|c| c.pid.is_some()).count(),
        }
    }
}

// The child takes its name (if it has one) before it runs anything, and tells us whether it
// could: a child whose name is taken, or that is killed first, is a start that failed.
fn spawn_child(spec: &ChildSpec) -> Result<Pid, Error> {
    let start = spec.start.clone();
    gen_server::spawn_named(spec.name.as_deref(), true, move || start())
}

// OTP: supervisor:shutdown/2. Unlink first, so that the child's exit is not taken for a
// crash to restart; ask it to shut down, and kill it if it takes too long.
fn terminate(pid: Pid) {
    let monitor = Process::monitor(pid);
    Process::unlink(pid);
    Process::exit(pid, ExitReason::Shutdown);
    let gone = receive! {
        Down { reference, .. }: Down if reference == monitor => true,
        after SHUTDOWN_TIMEOUT => false,
    };
    if !gone {
        Process::exit(pid, ExitReason::Kill);
        receive! { Down { reference, .. }: Down if reference == monitor => () }
    }
    // An Exit it sent before the unlink is not news any more.
    receive! {
        Exit { from, .. }: Exit if from == pid => (),
        after Duration::ZERO => (),
    }
}
