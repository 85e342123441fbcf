//! The mailbox and selective receive: take the first message, in arrival order, that one of
//! the clauses accepts; leave the others where they are for later receives (in the queue of
//! queue.rs), taking new ones off the channel and waiting for more as wait.rs says.
//! Elixir: `receive do ... after ... end` · OTP: the BEAM's receive loop and receive marks

use std::time::{Duration, Instant};

use crossbeam_channel::RecvTimeoutError;

use crate::current::{self, Ctx};
use crate::message::Envelope;
use crate::wait::{self, Pace};
use crate::{AnyMessage, Ref, tracer};

pub use crate::queue::Matcher;

// OTP: a message queued before a ref was made cannot contain it. make_ref notes where the
// mailbox stands (saved messages plus what waits in the channel), and a receive `since` that
// ref starts there instead of scanning everything again.
pub(crate) fn mark(r: Ref) {
    if let Some(ctx) = current::current_if_any() {
        // Counting a channel walks its blocks; an empty one, the usual case, is seen at once.
        let waiting = if ctx.rx.is_empty() { 0 } else { ctx.rx.len() } as u64;
        ctx.queue.mark(r, waiting);
    }
}

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
    let ctx = current::current();
    ctx.check_alive();
    let (start, pace) = match since {
        Some(r) => (ctx.queue.mark_of(r), Pace::Reply),
        None => (0, Pace::Next),
    };
    // Nothing saved from `start` on is the usual case: no search of the saved queue.
    let from_saved = if ctx.queue.saved_from(start) {
        ctx.queue.scan(start, &mut matcher)
    } else {
        None
    };
    let found = from_saved.or_else(|| take_new(&ctx, timeout, start, pace, matcher));
    if tracer::enabled() {
        let msg = found.as_ref().map(|(_, msg)| msg as &dyn std::fmt::Debug);
        tracer::received(ctx.me.pid, msg, timeout);
    }
    found
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
        let seq = ctx.queue.next_seq();
        let msg = match envelope {
            Envelope::Wake => {
                ctx.check_alive();
                continue;
            }
            Envelope::Msg(msg) => msg,
        };
        if seq < start {
            ctx.queue.save(seq, msg);
            continue;
        }
        match matcher(msg) {
            Ok(found) => {
                // Found without a wait: one more of a streak (a wait ends it).
                if deadline.is_none() {
                    ctx.queue.found_at_once();
                }
                return Some(found);
            }
            Err(msg) => ctx.queue.save(seq, msg),
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
    let caught_up = ctx.queue.streak_ends();
    let pace = match pace {
        Pace::Next if caught_up => Pace::Stream,
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

/// Every message in the caller's mailbox, oldest first, as `show` sees it; used by the
/// failure message of `assert_receive!`.
pub(crate) fn pending<T>(show: impl FnMut(&AnyMessage) -> T) -> Vec<T> {
    let ctx = current::current();
    while let Ok(envelope) = ctx.rx.try_recv() {
        let seq = ctx.queue.next_seq();
        if let Envelope::Msg(msg) = envelope {
            ctx.queue.save(seq, msg);
        }
    }
    ctx.queue.list(show)
}
