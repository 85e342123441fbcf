//! The mailbox and selective receive: take the first message, in arrival order, that one of
//! the clauses accepts; leave the others where they are for later receives.
//! Elixir: `receive do ... after ... end` · OTP: the BEAM's receive loop and receive marks

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError};

use crate::crash::{self, Undelivered};
use crate::current::{self, Ctx};
use crate::message::Envelope;
use crate::wait::{self, Pace};
use crate::{AnyMessage, Pid, Ref, tracer};

/// The part of the mailbox that only the owner touches: messages taken off the channel that
/// no receive has accepted yet, in arrival order, and the numbers that go with them.
// The numbers are `Cell`s, read and written with no borrow to check: only the saved queue,
// which a guard's own receive may change while a clause looks at one of its messages,
// needs a `RefCell`.
#[derive(Default)]
pub(crate) struct Mailbox {
    saved: RefCell<VecDeque<Saved>>,
    /// Number given to the next envelope taken off the channel.
    next_seq: Cell<u64>,
    /// Receive marks: (ref id, first seq that can hold the ref), the last `MARKS` made. An
    /// unused slot, (0, 0), sends a receive back to the start, as no mark at all does.
    marks: [Cell<(u64, u64)>; MARKS],
    /// The slot the next mark takes: the oldest.
    next_mark: Cell<usize>,
    /// Receives in a row that found their message already in the channel: a stream.
    streak: Cell<u32>,
}

struct Saved {
    seq: u64,
    /// Empty while a clause looks at the message (no borrow is held while user code runs).
    msg: Option<AnyMessage>,
}

const MARKS: usize = 4;

/// Receives in a row that found a message waiting, after which an empty channel means the
/// receiver has caught up with a stream (see `Pace::Stream`).
const STREAK: u32 = 8;

impl Mailbox {
    #[inline]
    fn mark_of(&self, r: Ref) -> u64 {
        self.marks
            .iter()
            .map(Cell::get)
            .find(|(id, _)| *id == r.0)
            .map_or(0, |(_, seq)| seq)
    }

    /// The number of the next envelope taken off the channel (see `mark`).
    // Inlined: every message taken off the channel, in the caller's crate, goes through it.
    #[inline]
    fn next_seq(&self) -> u64 {
        let seq = self.next_seq.get();
        self.next_seq.set(seq + 1);
        seq
    }

    /// Keeps `msg` in arrival order. It is nearly always the newest; but a guard that runs
    /// a receive of its own may have saved later messages while it looked at this one.
    fn save(&self, seq: u64, msg: AnyMessage) {
        let mut saved = self.saved.borrow_mut();
        let at = match saved.back() {
            Some(last) if last.seq > seq => first_from(&saved, seq),
            _ => saved.len(),
        };
        let msg = Some(msg);
        saved.insert(at, Saved { seq, msg });
    }

    /// Whether any saved message is numbered `start` or later.
    #[inline]
    fn saved_from(&self, start: u64) -> bool {
        self.saved.borrow().back().is_some_and(|s| s.seq >= start)
    }
}

/// Where the saved message numbered `seq` is now.
fn find(saved: &VecDeque<Saved>, seq: u64) -> Option<usize> {
    let at = first_from(saved, seq);
    (saved.get(at)?.seq == seq).then_some(at)
}

/// The index of the first saved message numbered `seq` or later (saved is in order).
fn first_from(saved: &VecDeque<Saved>, seq: u64) -> usize {
    saved.partition_point(|s| s.seq < seq)
}

// OTP: a message queued before a ref was made cannot contain it. make_ref notes where the
// mailbox stands (saved messages plus what waits in the channel), and a receive `since` that
// ref starts there instead of scanning everything again.
pub(crate) fn mark(r: Ref) {
    current::with_current_if_any(|ctx| {
        // Counting a channel walks its blocks; an empty one, the usual case, is seen at once.
        let waiting = if ctx.rx.is_empty() { 0 } else { ctx.rx.len() } as u64;
        let mb = &ctx.mailbox;
        let slot = mb.next_mark.get();
        mb.marks[slot].set((r.0, mb.next_seq.get() + waiting));
        mb.next_mark.set((slot + 1) % MARKS);
    });
}

/// A clause set: takes a message and answers the index of the clause that accepts it (with
/// the message), or gives the message back.
#[doc(hidden)]
pub type Matcher<'a> = &'a mut dyn FnMut(AnyMessage) -> Result<(usize, AnyMessage), AnyMessage>;

/// The engine under `receive!`: waits at most `timeout` (forever if `None`) for the first
/// message that `matcher` accepts. With `since`, messages queued before that ref was made
/// are skipped unseen.
// Inlined into each `receive!`, with the saved queue and the waiting out of line: taking
// the next message off the channel and trying it, the usual case, goes through the caller's
// own clauses, compiled together with it, with no call through a `dyn`.
#[doc(hidden)]
#[inline]
pub fn receive_raw<M>(
    timeout: Option<Duration>,
    since: Option<Ref>,
    mut matcher: M,
) -> Option<(usize, AnyMessage)>
where
    M: FnMut(AnyMessage) -> Result<(usize, AnyMessage), AnyMessage>,
{
    current::with_current(|ctx| {
        ctx.check_alive();
        let (start, pace) = match since {
            Some(r) => (ctx.mailbox.mark_of(r), Pace::Reply),
            None => (0, Pace::Next),
        };
        // Nothing saved from `start` on is the usual case: no search of the saved queue.
        let from_saved = if ctx.mailbox.saved_from(start) {
            scan_saved(ctx, start, &mut matcher)
        } else {
            None
        };
        let found = from_saved.or_else(|| take_new(ctx, timeout, start, pace, matcher));
        if tracer::enabled() {
            let msg = found.as_ref().map(|(_, msg)| msg as &dyn std::fmt::Debug);
            tracer::received(ctx.me.pid, msg, timeout);
        }
        found
    })
}

/// Looks at the messages already taken off the channel numbered `start` or later, oldest
/// first.
fn scan_saved(ctx: &Ctx, start: u64, matcher: Matcher<'_>) -> Option<(usize, AnyMessage)> {
    let mut i = first_from(&ctx.mailbox.saved.borrow(), start);
    loop {
        let (seq, msg) = {
            let mut saved = ctx.mailbox.saved.borrow_mut();
            let slot = saved.get_mut(i)?;
            (slot.seq, slot.msg.take())
        };
        let Some(msg) = msg else {
            i += 1;
            continue;
        };
        // No borrow is held while the clauses run: a guard may call otp-core, even receive
        // or panic, without a RefCell error.
        let result = matcher(msg);
        let mut saved = ctx.mailbox.saved.borrow_mut();
        // A guard that received may have moved the slot: find it again by its number.
        if saved.get(i).is_none_or(|s| s.seq != seq) {
            i = find(&saved, seq).expect("a taken slot stays until it is filled again");
        }
        match result {
            Ok(found) => {
                saved.remove(i);
                return Some(found);
            }
            Err(msg) => {
                saved[i].msg = Some(msg);
                i += 1;
            }
        }
    }
}

/// Takes new messages off the channel until one matches or the timeout passes.
#[inline]
fn take_new<M>(
    ctx: &Ctx,
    timeout: Option<Duration>,
    start: u64,
    pace: Pace,
    mut matcher: M,
) -> Option<(usize, AnyMessage)>
where
    M: FnMut(AnyMessage) -> Result<(usize, AnyMessage), AnyMessage>,
{
    // The clock is read only once the mailbox has nothing more to offer: a receive that
    // finds its message at once never pays for it. The timeout runs from that moment.
    let mut deadline = None;
    loop {
        let envelope = match ctx.rx.try_recv() {
            Ok(envelope) => envelope,
            Err(_) => wait_for_envelope(ctx, timeout, pace, &mut deadline)?,
        };
        let seq = ctx.mailbox.next_seq();
        let msg = match envelope {
            Envelope::Wake => {
                ctx.check_alive();
                continue;
            }
            Envelope::Msg(msg) => msg,
        };
        if seq < start {
            ctx.mailbox.save(seq, msg);
            continue;
        }
        match matcher(msg) {
            Ok(found) => {
                // Found without a wait: one more of a streak (a wait ends it).
                if deadline.is_none() {
                    let streak = &ctx.mailbox.streak;
                    streak.set(streak.get().saturating_add(1));
                }
                return Some(found);
            }
            Err(msg) => ctx.mailbox.save(seq, msg),
        }
    }
}

/// Waits for the next envelope of an empty channel until the deadline (`None` when it
/// passes). `deadline` is set from `timeout` on the first wait (to `Some(None)` if there is
/// no timeout), so it also tells whether the receive has waited.
#[inline(never)]
fn wait_for_envelope(
    ctx: &Ctx,
    timeout: Option<Duration>,
    pace: Pace,
    deadline: &mut Option<Option<Instant>>,
) -> Option<Envelope> {
    if timeout.is_some_and(|t| t.is_zero()) {
        return None;
    }
    let deadline = *deadline.get_or_insert_with(|| timeout.and_then(deadline_after));
    // A receive that had to wait ends a streak; one that waits at the end of a streak has
    // caught up with a stream.
    let streak = ctx.mailbox.streak.take();
    let pace = match pace {
        Pace::Next if streak >= STREAK => Pace::Stream,
        pace => pace,
    };
    match wait::recv(&ctx.rx, pace, deadline) {
        Ok(envelope) => Some(envelope),
        Err(RecvTimeoutError::Timeout) => None,
        // The entry holds a sender for as long as the context lives.
        Err(RecvTimeoutError::Disconnected) => unreachable!("own mailbox"),
    }
}

/// The deadline `timeout` from now; `None` (wait forever) if it is too far to represent.
fn deadline_after(timeout: Duration) -> Option<Instant> {
    Instant::now().checked_add(timeout)
}

/// Waits for a message with no clause: what `Process.sleep/1` is in Erlang.
pub(crate) fn sleep(duration: Duration) {
    receive_raw(Some(duration), None, |msg: AnyMessage| Err(msg));
}

/// Drops every message left in the mailbox of `pid`, which has ended: the saved ones, those
/// still in the channel, then, as the channel closes, any that a sender racing the death put
/// in meanwhile. One at a time, a panic in any `Drop` reported (see `crash::discarding`).
pub(crate) fn discard_all(pid: Pid, mailbox: &Mailbox, rx: Receiver<Envelope>) {
    crash::discarding(Undelivered::LeftIn(pid), || {
        // No borrow is held while a message is dropped: its Drop may call otp-core.
        while let Some(saved) = pop_saved(mailbox) {
            drop(saved);
        }
        while let Ok(envelope) = rx.try_recv() {
            drop(envelope);
        }
        drop(rx);
    });
}

fn pop_saved(mailbox: &Mailbox) -> Option<Saved> {
    mailbox.saved.borrow_mut().pop_front()
}

/// Every message in the caller's mailbox, oldest first, as `show` sees it; used by the
/// failure message of `assert_receive!`.
pub(crate) fn pending<T>(show: impl FnMut(&AnyMessage) -> T) -> Vec<T> {
    let ctx = current::current();
    while let Ok(envelope) = ctx.rx.try_recv() {
        let seq = ctx.mailbox.next_seq();
        if let Envelope::Msg(msg) = envelope {
            ctx.mailbox.save(seq, msg);
        }
    }
    let saved = ctx.mailbox.saved.borrow();
    saved
        .iter()
        .filter_map(|s| s.msg.as_ref())
        .map(show)
        .collect()
}
