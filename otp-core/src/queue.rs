//! A process's own side of its mailbox: the messages its thread took off the channel that no
//! receive has accepted yet, in arrival order and numbered, and the receive marks made from
//! those numbers. Only the process's own thread touches it; mailbox.rs receives through it.
//! Elixir: the messages `Process.info(pid, :messages)` lists · OTP: the BEAM's message queue and receive markers

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;

use crossbeam_channel::Receiver;

use crate::crash::{self, Undelivered};
use crate::message::Envelope;
use crate::{AnyMessage, Pid, Ref};

/// The part of the mailbox that only the owner touches: messages taken off the channel that
/// no receive has accepted yet, in arrival order, and the numbers that go with them.
// The numbers are `Cell`s, read and written with no borrow to check: only the saved queue,
// which a guard's own receive may change while a clause looks at one of its messages,
// needs a `RefCell`.
#[derive(Default)]
pub(crate) struct Queue {
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

/// A clause set: takes a message and answers the index of the clause that accepts it (with
/// the message), or gives the message back.
#[doc(hidden)]
pub type Matcher<'a> = &'a mut dyn FnMut(AnyMessage) -> Result<(usize, AnyMessage), AnyMessage>;

impl Queue {
    /// Marks where the mailbox stands as `r` is made: the next number, past the `waiting`
    /// messages still in the channel (see `mailbox::mark`).
    pub fn mark(&self, r: Ref, waiting: u64) {
        let slot = self.next_mark.get();
        self.marks[slot].set((r.0, self.next_seq.get() + waiting));
        self.next_mark.set((slot + 1) % MARKS);
    }

    /// The first number a message that holds `r` can have (0 if `r` has no mark here).
    #[inline]
    pub fn mark_of(&self, r: Ref) -> u64 {
        self.marks
            .iter()
            .map(Cell::get)
            .find(|(id, _)| *id == r.0)
            .map_or(0, |(_, seq)| seq)
    }

    /// The number of the next envelope taken off the channel (see `mark`).
    // Inlined: every message taken off the channel, in the caller's crate, goes through it.
    #[inline]
    pub fn next_seq(&self) -> u64 {
        let seq = self.next_seq.get();
        self.next_seq.set(seq + 1);
        seq
    }

    /// Keeps `msg` in arrival order. It is nearly always the newest; but a guard that runs
    /// a receive of its own may have saved later messages while it looked at this one.
    pub fn save(&self, seq: u64, msg: AnyMessage) {
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
    pub fn saved_from(&self, start: u64) -> bool {
        self.saved.borrow().back().is_some_and(|s| s.seq >= start)
    }

    /// Looks at the messages already taken off the channel numbered `start` or later, oldest
    /// first.
    pub fn scan(&self, start: u64, matcher: Matcher<'_>) -> Option<(usize, AnyMessage)> {
        let mut i = first_from(&self.saved.borrow(), start);
        loop {
            let (seq, msg) = {
                let mut saved = self.saved.borrow_mut();
                let slot = saved.get_mut(i)?;
                (slot.seq, slot.msg.take())
            };
            let Some(msg) = msg else {
                i += 1;
                continue;
            };
            // No borrow is held while the clauses run: a guard may call otp-core, even
            // receive or panic, without a RefCell error.
            let result = matcher(msg);
            let mut saved = self.saved.borrow_mut();
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

    /// A receive found its message without a wait: one more of a streak (a wait ends it).
    #[inline]
    pub fn found_at_once(&self) {
        self.streak.set(self.streak.get().saturating_add(1));
    }

    /// A receive has to wait: the streak ends. True if it was long enough that the receiver
    /// has caught up with a stream.
    pub fn streak_ends(&self) -> bool {
        self.streak.take() >= STREAK
    }

    /// Every saved message, oldest first, as `show` sees it.
    pub fn list<T>(&self, show: impl FnMut(&AnyMessage) -> T) -> Vec<T> {
        let saved = self.saved.borrow();
        saved
            .iter()
            .filter_map(|s| s.msg.as_ref())
            .map(show)
            .collect()
    }

    fn pop_saved(&self) -> Option<Saved> {
        self.saved.borrow_mut().pop_front()
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

/// Drops every message left in the mailbox of `pid`, which has ended: the saved ones, those
/// still in the channel, then, as the channel closes, any that a sender racing the death put
/// in meanwhile. One at a time, a panic in any `Drop` reported (see `crash::discarding`).
pub(crate) fn discard_all(pid: Pid, queue: &Queue, rx: Receiver<Envelope>) {
    crash::discarding(Undelivered::LeftIn(pid), || {
        // No borrow is held while a message is dropped: its Drop may call otp-core.
        while let Some(saved) = queue.pop_saved() {
            drop(saved);
        }
        while let Ok(envelope) = rx.try_recv() {
            drop(envelope);
        }
        drop(rx);
    });
}
