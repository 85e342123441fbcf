//! What can be sent: any `Send + Debug + 'static` value, the envelope it travels in
//! (`AnyMessage`), and what goes through a process's channel (`Envelope`: a message, or a
//! wake-up).
//! Elixir: any term · OTP: erlang:send/2

use std::any::{Any, TypeId};
use std::fmt::{self, Debug};
use std::marker::PhantomData;
use std::mem::{self, ManuallyDrop, MaybeUninit};

/// A value that can travel between processes.
///
/// Every `Send + Debug + 'static` type is one, with nothing to implement: atoms become
/// `&'static str` or enum variants, tuples stay tuples. `Debug` is there so that a trace and
/// a failed `assert_receive!` can show the message.
///
/// Elixir: any term can be sent with `send/2`.
pub trait Message: Any + Send + Debug {}

impl<T: Any + Send + Debug> Message for T {}

/// A message of any type, as a `receive!` clause with no type binds it.
///
/// Small messages (up to 24 bytes: a ref, a pid and a number, say) travel inside it;
/// larger ones are boxed. The BEAM copies a small term into the receiver's heap just the
/// same; a heap allocation per message would cost more than the rest of a send.
///
/// Elixir: a term matched by `other ->`.
pub struct AnyMessage {
    /// The value itself if it fits (`fits::<T>()`), else a `Box<T>` holding it.
    bytes: Inline,
    vtable: &'static VTable,
    /// The auto traits of a boxed message: `Send`, as every message is, and not `Sync`, as
    /// a message need not be (the bytes and the vtable alone would make it both).
    _auto: PhantomData<Box<dyn Message>>,
}

const INLINE: usize = 24;

#[repr(C, align(8))]
struct Inline([MaybeUninit<u8>; INLINE]);

/// What the envelope needs to know of the type inside, in place of a `dyn`. A large value
/// is kept as a `Box<T>` in the same bytes: every envelope has one layout of 32 bytes, so
/// a mailbox slot (and the `Wake` beside it, in the vtable's niche) stays that small.
struct VTable {
    type_id: fn() -> TypeId,
    /// For the failures of `assert_receive!`, which show each message's type.
    type_name: fn() -> &'static str,
    drop: unsafe fn(*mut u8),
    debug: unsafe fn(*const u8, &mut fmt::Formatter<'_>) -> fmt::Result,
}

struct VTableOf<T>(T);

impl<T: Message> VTableOf<T> {
    const VTABLE: VTable = VTable {
        type_id: TypeId::of::<T>,
        type_name: std::any::type_name::<T>,
        // SAFETY (both): called only with the bytes of an envelope made for `T`.
        drop: |p| unsafe { drop_at::<T>(p) },
        debug: |p, f| unsafe { value_at::<T>(p).fmt(f) },
    };
}

const fn fits<T>() -> bool {
    mem::size_of::<T>() <= INLINE && mem::align_of::<T>() <= mem::align_of::<Inline>()
}

// A `Box<T>` is one pointer: it always fits.
const _: () = assert!(fits::<Box<u64>>());

/// The `T` held by the bytes at `p`, inline or behind the box.
///
/// SAFETY: `p` must point at the bytes of a live envelope made for `T`.
unsafe fn value_at<'a, T: Message>(p: *const u8) -> &'a T {
    // SAFETY: by the caller's promise, the bytes hold a `T`, or a `Box<T>` if it is large.
    unsafe {
        if fits::<T>() {
            &*p.cast::<T>()
        } else {
            &*p.cast::<Box<T>>()
        }
    }
}

/// Drops what the bytes at `p` hold.
///
/// SAFETY: as `value_at`, and the value must not be used or dropped again.
unsafe fn drop_at<T: Message>(p: *mut u8) {
    // SAFETY: by the caller's promise, the bytes hold a `T`, or a `Box<T>` if it is large.
    unsafe {
        if fits::<T>() {
            p.cast::<T>().drop_in_place()
        } else {
            p.cast::<Box<T>>().drop_in_place()
        }
    }
}

impl AnyMessage {
    /// Puts `value` in an envelope.
    ///
    /// Elixir: no equivalent; any term can be sent as it is.
    pub fn new<T: Message>(value: T) -> AnyMessage {
        let mut bytes = Inline([MaybeUninit::uninit(); INLINE]);
        let p = bytes.0.as_mut_ptr();
        // SAFETY: `fits` checked size and alignment (a box always fits); the bytes are ours.
        unsafe {
            if fits::<T>() {
                p.cast::<T>().write(value)
            } else {
                p.cast::<Box<T>>().write(Box::new(value))
            }
        }
        AnyMessage {
            bytes,
            vtable: &VTableOf::<T>::VTABLE,
            _auto: PhantomData,
        }
    }

    /// Whether the message is a `T`.
    ///
    /// Elixir: a type test in a guard, e.g. `is_integer(msg)`.
    pub fn is<T: Message>(&self) -> bool {
        // The same vtable is the same `type_id` function: the pointer test answers without
        // the call in the common case, and a copy of the vtable elsewhere falls back to it.
        std::ptr::eq(self.vtable, &VTableOf::<T>::VTABLE)
            || (self.vtable.type_id)() == TypeId::of::<T>()
    }

    /// The name of the message's type, as [`std::any::type_name`] gives it: what tells a
    /// `String` from a `&str` that prints the same.
    ///
    /// Elixir: none; a term carries no type name (`i/1` in IEx describes one).
    pub fn type_name(&self) -> &'static str {
        (self.vtable.type_name)()
    }

    /// The message as a `&T`, if it is one.
    ///
    /// Elixir: a type test in a guard, then the term itself.
    pub fn downcast_ref<T: Message>(&self) -> Option<&T> {
        // SAFETY: `is` checked that the envelope was made for a `T`.
        self.is::<T>()
            .then(|| unsafe { value_at::<T>(self.bytes.0.as_ptr().cast()) })
    }

    /// Takes the `T` out, or gives the message back if it is another type.
    ///
    /// Elixir: matching a term against a pattern of that type.
    pub fn downcast<T: Message>(self) -> Result<T, AnyMessage> {
        if !self.is::<T>() {
            return Err(self);
        }
        let this = ManuallyDrop::new(self);
        let p = this.bytes.0.as_ptr();
        // SAFETY: the type was checked just above, and `this` is never dropped, so the
        // value (or its box) is read out exactly once.
        unsafe {
            if fits::<T>() {
                Ok(p.cast::<T>().read())
            } else {
                Ok(*p.cast::<Box<T>>().read())
            }
        }
    }
}

impl Drop for AnyMessage {
    fn drop(&mut self) {
        let (drop, bytes) = (self.vtable.drop, self.bytes.0.as_mut_ptr().cast());
        // SAFETY: the bytes hold the value `vtable` was made for, not yet taken out
        // (`downcast` never lets an emptied envelope drop).
        let drop_value = move || unsafe { drop(bytes) };
        match crate::crash::discarding_now() {
            None => drop_value(),
            // A message nobody will receive: a panic in its Drop is caught and reported.
            Some(why) => crate::crash::drop_undelivered(why, self.type_name(), drop_value),
        }
    }
}

impl Debug for AnyMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // SAFETY: the bytes hold the value `vtable` was made for.
        unsafe { (self.vtable.debug)(self.bytes.0.as_ptr().cast(), f) }
    }
}

/// What travels through a process's channel.
pub(crate) enum Envelope {
    Msg(AnyMessage),
    /// Wakes a process blocked in receive after another process killed it.
    Wake,
}

/// Takes a message out as the type a clause names, or hands it back. Used by the
/// `receive!` family of macros.
// Inlined into each receive!, as `__unbox`: a call cost more than the type check inside.
#[doc(hidden)]
#[inline]
pub fn __take<T: Message>(msg: AnyMessage) -> Result<T, AnyMessage> {
    msg.downcast::<T>()
}

/// Takes the message out as the type a clause already accepted.
#[doc(hidden)]
#[inline]
pub fn __unbox<T: Message>(msg: AnyMessage) -> T {
    match msg.downcast::<T>() {
        Ok(value) => value,
        Err(_) => unreachable!("the clause accepted this type"),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::AnyMessage;

    /// Every drop of an `Arc` clone shows in its count: a value dropped twice, or never,
    /// shows as a wrong count.
    #[test]
    fn inline_and_boxed_values_are_dropped_exactly_once() {
        let counted = Arc::new(());
        let small = AnyMessage::new((Arc::clone(&counted), 1u8));
        let large = AnyMessage::new((Arc::clone(&counted), [0u64; 16]));
        assert_eq!(Arc::strong_count(&counted), 3);
        drop(small);
        drop(large);
        assert_eq!(Arc::strong_count(&counted), 1);
    }

    #[test]
    fn downcast_moves_the_value_out_once_and_gives_other_types_back() {
        let counted = Arc::new(());
        let msg = AnyMessage::new(Arc::clone(&counted));
        let msg = msg.downcast::<u32>().expect_err("not a u32");
        let value = msg.downcast::<Arc<()>>().expect("an Arc");
        assert_eq!(Arc::strong_count(&counted), 2);
        drop(value);
        assert_eq!(Arc::strong_count(&counted), 1);

        let big = AnyMessage::new(vec![1, 2, 3]);
        assert_eq!(big.downcast_ref::<Vec<i32>>(), Some(&vec![1, 2, 3]));
        assert_eq!(big.downcast::<Vec<i32>>().unwrap(), vec![1, 2, 3]);
    }

    #[test]
    fn every_size_and_alignment_round_trips_and_prints() {
        let over_aligned = AnyMessage::new(u128::MAX);
        assert_eq!(format!("{over_aligned:?}"), u128::MAX.to_string());
        assert_eq!(over_aligned.downcast::<u128>().unwrap(), u128::MAX);
        let unit = AnyMessage::new(());
        assert!(unit.is::<()>() && !unit.is::<u8>());
        let large = AnyMessage::new([7u8; 100]);
        assert_eq!(large.downcast_ref::<[u8; 100]>(), Some(&[7u8; 100]));
        assert_eq!(format!("{:?}", AnyMessage::new(("hi", 3))), "(\"hi\", 3)");
    }

    #[test]
    fn the_type_name_tells_apart_what_prints_the_same() {
        let (borrowed, owned) = (
            AnyMessage::new("hello"),
            AnyMessage::new(String::from("hello")),
        );
        assert_eq!(format!("{borrowed:?}"), format!("{owned:?}"));
        assert_eq!(borrowed.type_name(), "&str");
        assert_eq!(owned.type_name(), "alloc::string::String");
        assert_eq!(AnyMessage::new([0u64; 16]).type_name(), "[u64; 16]");
    }
}
