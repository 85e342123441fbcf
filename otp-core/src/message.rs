//! What can be sent: any `Send + Debug + 'static` value.
//! Elixir: any term · OTP: erlang:send/2

use std::any::Any;
use std::fmt::Debug;

/// A value that can travel between processes.
///
/// Every `Send + Debug + 'static` type is one, with nothing to implement: atoms become
/// `&'static str` or enum variants, tuples stay tuples. `Debug` is there so that a trace and
/// a failed `assert_receive!` can show the message.
///
/// Elixir: any term can be sent with `send/2`.
pub trait Message: Any + Send + Debug {}

impl<T: Any + Send + Debug> Message for T {}

/// Turns a boxed message back into its type, or hands it back untouched. Used by the
/// `receive!` family of macros.
#[doc(hidden)]
pub fn __downcast<T: Message>(msg: Box<dyn Message>) -> Result<Box<T>, Box<dyn Message>> {
    if (&*msg as &dyn Any).is::<T>() {
        let any: Box<dyn Any + Send> = msg;
        Ok(any.downcast::<T>().expect("type checked just above"))
    } else {
        Err(msg)
    }
}

/// Takes the message out of its box as the type a clause already accepted.
#[doc(hidden)]
pub fn __unbox<T: Message>(msg: Box<dyn Message>) -> T {
    *__downcast::<T>(msg).expect("the clause accepted this type")
}
