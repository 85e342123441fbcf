//! `assert_receive!` and `refute_receive!`, the assertions the workshop's tests are made of.
//! Elixir: `ExUnit.Assertions.assert_receive/3`, `refute_receive/3`

use std::time::Duration;

use crate::mailbox;
use crate::{__unbox, Message};

pub use crate::readme::assert_diagram_in_readme;

/// How long `assert_receive!` waits by default: ExUnit's 100 ms, which the workshop's tests
/// rely on.
///
/// Elixir: `ExUnit`'s `:assert_receive_timeout`, 100 ms.
pub const ASSERT_RECEIVE_TIMEOUT: Duration = Duration::from_millis(100);

/// How long `refute_receive!` waits by default: ExUnit's 100 ms.
///
/// Elixir: `ExUnit`'s `:refute_receive_timeout`, 100 ms.
pub const REFUTE_RECEIVE_TIMEOUT: Duration = Duration::from_millis(100);

/// Asserts that a matching message arrives within the timeout (default
/// [`ASSERT_RECEIVE_TIMEOUT`]), takes it out of the mailbox and returns it. On failure it
/// panics with what the mailbox held.
///
/// - `assert_receive!(value)` / `assert_receive!(value, timeout)`: a message equal to `value`.
/// - `assert_receive!(pattern: Type)`, `assert_receive!(pattern: Type if guard, timeout)`: a
///   message of `Type` that matches, returned whole.
///
/// ```
/// use otp_core::{assert_receive, send, self_pid, Down, ExitReason};
///
/// send(self_pid(), "hello");
/// assert_receive!("hello");
///
/// let (pid, reference) = otp_core::spawn_monitor(|| ());
/// let down = assert_receive!(Down { reference: r, .. }: Down if r == reference);
/// assert_eq!((down.pid, down.reason), (pid, ExitReason::Normal));
/// ```
///
/// Elixir: `assert_receive :hello` and `assert_receive {:DOWN, ^ref, :process, _, _}`.
#[macro_export]
macro_rules! assert_receive {
    ($($args:tt)+) => { $crate::__assertion!(assert @scan [] $($args)+) };
}

/// Asserts that no matching message arrives within the timeout (default
/// [`REFUTE_RECEIVE_TIMEOUT`]); takes the same forms as [`assert_receive!`].
///
/// ```
/// use otp_core::refute_receive;
/// use std::time::Duration;
///
/// refute_receive!("hello", Duration::from_millis(10));
/// ```
///
/// Elixir: `refute_receive :hello`.
#[macro_export]
macro_rules! refute_receive {
    ($($args:tt)+) => { $crate::__assertion!(refute @scan [] $($args)+) };
}

// Both assertions read their arguments alike: a value, or `pattern: Type [if guard]`, then
// an optional timeout. The first token, `assert` or `refute`, picks what to do at the end.
#[doc(hidden)]
#[macro_export]
macro_rules! __assertion {
    ($mode:ident @scan [$($p:tt)+] : $($rest:tt)+) => {
        $crate::__assertion!($mode @type [$($p)+] [] $($rest)+)
    };
    ($mode:ident @scan [$($v:tt)+] , $timeout:expr $(,)?) => {
        $crate::__assertion!($mode @value [$($v)+] $timeout)
    };
    ($mode:ident @scan [$($v:tt)+]) => {
        $crate::__assertion!($mode @value [$($v)+] $crate::__assertion!($mode @default))
    };
    ($mode:ident @scan [$($acc:tt)*] $next:tt $($rest:tt)*) => {
        $crate::__assertion!($mode @scan [$($acc)* $next] $($rest)*)
    };
    ($mode:ident @type $p:tt [$($t:tt)+] if $guard:expr , $timeout:expr $(,)?) => {
        $crate::__assertion!($mode @expand $p [$($t)+] [$guard] $timeout)
    };
    ($mode:ident @type $p:tt [$($t:tt)+] if $guard:expr) => {
        $crate::__assertion!($mode @expand $p [$($t)+] [$guard] $crate::__assertion!($mode @default))
    };
    ($mode:ident @type $p:tt [$($t:tt)+] , $timeout:expr $(,)?) => {
        $crate::__assertion!($mode @expand $p [$($t)+] [true] $timeout)
    };
    ($mode:ident @type $p:tt [$($t:tt)+]) => {
        $crate::__assertion!($mode @expand $p [$($t)+] [true] $crate::__assertion!($mode @default))
    };
    ($mode:ident @type $p:tt [$($t:tt)*] $next:tt $($rest:tt)*) => {
        $crate::__assertion!($mode @type $p [$($t)* $next] $($rest)*)
    };
    (assert @default) => { $crate::testing::ASSERT_RECEIVE_TIMEOUT };
    (refute @default) => { $crate::testing::REFUTE_RECEIVE_TIMEOUT };
    (assert @value [$($v:tt)+] $timeout:expr) => {
        $crate::testing::assert_receive_value(&($($v)+), $timeout, ::std::stringify!($($v)+))
    };
    (refute @value [$($v:tt)+] $timeout:expr) => {
        $crate::testing::refute_receive_value(&($($v)+), $timeout, ::std::stringify!($($v)+))
    };
    ($mode:ident @expand [$($p:tt)+] [$($t:tt)+] [$guard:expr] $timeout:expr) => {{
        let __timeout: ::std::time::Duration = $timeout;
        let __found = $crate::mailbox::receive_raw(
            ::std::option::Option::Some(__timeout),
            ::std::option::Option::None,
            $crate::__matcher!({typed [$($p)+] [$($t)+] [$guard]}),
        );
        let __shown = ::std::concat!(::std::stringify!($($p)+), ": ", ::std::stringify!($($t)+));
        $crate::__assertion!($mode @outcome __found __shown __timeout [$($t)+])
    }};
    (assert @outcome $found:ident $shown:ident $timeout:ident [$($t:tt)+]) => {
        match $found {
            ::std::option::Option::Some((_, __msg)) => $crate::__unbox::<$($t)+>(__msg),
            ::std::option::Option::None => $crate::testing::no_match($shown, $timeout),
        }
    };
    (refute @outcome $found:ident $shown:ident $timeout:ident [$($t:tt)+]) => {
        if let ::std::option::Option::Some((_, __msg)) = $found {
            $crate::testing::unexpected($shown, &__msg);
        }
    };
}

fn take_equal<T: Message + PartialEq>(expected: &T, timeout: Duration) -> Option<T> {
    let found = mailbox::receive_raw(Some(timeout), None, |msg: crate::AnyMessage| {
        match msg.downcast_ref::<T>() {
            Some(value) if value == expected => Ok((0, msg)),
            _ => Err(msg),
        }
    });
    found.map(|(_, msg)| __unbox::<T>(msg))
}

/// `assert_receive!(value)`.
#[doc(hidden)]
#[track_caller]
pub fn assert_receive_value<T: Message + PartialEq>(
    expected: &T,
    timeout: Duration,
    text: &str,
) -> T {
    // A `match`, not `unwrap_or_else`: a closure would lose #[track_caller], and the
    // failure would point here instead of at the test.
    match take_equal(expected, timeout) {
        Some(msg) => msg,
        None => no_match(text, timeout),
    }
}

/// `refute_receive!(value)`.
#[doc(hidden)]
#[track_caller]
pub fn refute_receive_value<T: Message + PartialEq>(
    unexpected_value: &T,
    timeout: Duration,
    text: &str,
) {
    if let Some(msg) = take_equal(unexpected_value, timeout) {
        unexpected(text, &msg);
    }
}

/// The failure of `assert_receive!`, with what the mailbox held.
#[doc(hidden)]
#[track_caller]
pub fn no_match(expected: &str, timeout: Duration) -> ! {
    let held = mailbox::pending();
    let held = if held.is_empty() {
        "The process mailbox is empty.".to_string()
    } else {
        format!(
            "The process mailbox holds, oldest first:\n    {}",
            held.join("\n    ")
        )
    };
    panic!("assert_receive!({expected}): no matching message after {timeout:?}.\n{held}");
}

/// The failure of `refute_receive!`.
#[doc(hidden)]
#[track_caller]
pub fn unexpected(pattern: &str, msg: &dyn std::fmt::Debug) -> ! {
    panic!("refute_receive!({pattern}): received {msg:?}");
}
