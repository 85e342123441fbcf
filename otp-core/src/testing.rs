//! `assert_receive!` and `refute_receive!`, the assertions the workshop's tests are made of.
//! Elixir: `ExUnit.Assertions.assert_receive/3`, `refute_receive/3`

use std::any::type_name;
use std::time::Duration;

use crate::mailbox;
use crate::{__unbox, AnyMessage, Message};

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
/// panics with the type it wanted and what the mailbox held, oldest first, each message with
/// its type, and a note when a message equals the expected value but has another type (a
/// `String` sent where the test expects a `&str`).
///
/// - `assert_receive!(value)` / `assert_receive!(value, timeout)`: a message of the value's
///   type, equal to it.
/// - `assert_receive!(pattern: Type)`, `assert_receive!(pattern: Type if guard, timeout)`: a
///   message of `Type` that matches, returned whole.
///
/// Elixir's pin is a guard here: `assert_receive {:DOWN, ^ref, :process, _, _}` is
/// `assert_receive!(Down { reference: r, .. }: Down if r == reference)`. A pattern binds
/// nothing the test can use, since the message comes back whole: a name in it that the guard
/// does not read (`(reference, "hello"): (Ref, &str)`, a new `reference` that matches any
/// ref) gets rustc's unused-variable warning. In the value form a variable is already
/// compared by value: `assert_receive!((reference, "hello"))`.
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
// As in `receive!`, the rules that end in `compile_error!` answer what a learner coming from
// Elixir writes with what to write instead.
#[doc(hidden)]
#[macro_export]
macro_rules! __assertion {
    ($mode:ident @scan [$($p:tt)+] : $($rest:tt)+) => {
        $crate::__assertion!($mode @type [$($p)+] [] $($rest)+)
    };
    ($mode:ident @scan [$($p:tt)+] when $($rest:tt)*) => {
        ::std::compile_error!(::std::concat!(
            ::std::stringify!($mode), "_receive!: a guard is written `if`, after the message's type: `",
            ::std::stringify!($mode), "_receive!(", ::std::stringify!($($p)+), ": Type if ",
            ::std::stringify!($($rest)*), ")`"
        ))
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
    ($mode:ident @type [$($p:tt)+] [$($t:tt)+] when $($rest:tt)*) => {
        ::std::compile_error!(::std::concat!(
            ::std::stringify!($mode), "_receive!: a guard is written `if`, not `when`: `",
            ::std::stringify!($mode), "_receive!(", ::std::stringify!($($p)+ : $($t)+), " if ",
            ::std::stringify!($($rest)*), ")`"
        ))
    };
    ($mode:ident @type $p:tt [$($t:tt)+] if $guard:expr , $timeout:expr $(,)?) => {
        $crate::__assertion!($mode @expand $p [$($t)+] [$guard] $timeout)
    };
    ($mode:ident @type $p:tt [$($t:tt)+] if $guard:expr) => {
        $crate::__assertion!($mode @expand $p [$($t)+] [$guard] $crate::__assertion!($mode @default))
    };
    ($mode:ident @type $p:tt [$($t:tt)+] , $timeout:expr $(,)?) => {
        $crate::__assertion!($mode @expand $p [$($t)+] [] $timeout)
    };
    ($mode:ident @type $p:tt [$($t:tt)+]) => {
        $crate::__assertion!($mode @expand $p [$($t)+] [] $crate::__assertion!($mode @default))
    };
    ($mode:ident @type $p:tt [$($t:tt)*] $next:tt $($rest:tt)*) => {
        $crate::__assertion!($mode @type $p [$($t)* $next] $($rest)*)
    };
    (assert @default) => { $crate::testing::ASSERT_RECEIVE_TIMEOUT };
    (refute @default) => { $crate::testing::REFUTE_RECEIVE_TIMEOUT };
    (assert @value [$($v:tt)+] $timeout:expr) => {
        $crate::testing::assert_receive_value(
            &($crate::__value!(assert [$($v)+])),
            $timeout,
            ::std::stringify!($($v)+),
        )
    };
    (refute @value [$($v:tt)+] $timeout:expr) => {
        $crate::testing::refute_receive_value(
            &($crate::__value!(refute [$($v)+])),
            $timeout,
            ::std::stringify!($($v)+),
        )
    };
    ($mode:ident @expand [$($p:tt)+] [$($t:tt)+] [$($guard:expr)?] $timeout:expr) => {{
        $crate::__pattern!(@report {
            [::std::stringify!($mode), "_receive!"]
            [::std::stringify!($mode), "_receive!("]
            [$($t)+] [$($guard)?] [")"]
        } $($p)+);
        let __timeout: ::std::time::Duration = $timeout;
        let __found = $crate::mailbox::receive_raw(
            ::std::option::Option::Some(__timeout),
            ::std::option::Option::None,
            $crate::__assertion!(@matcher [$($p)+] [$($t)+] [$($guard)?]),
        );
        let __shown = ::std::concat!(
            ::std::stringify!($($p)+), ": ", ::std::stringify!($($t)+)
            $(, " if ", ::std::stringify!($guard))?
        );
        $crate::__assertion!($mode @outcome __found __shown __timeout [$($t)+])
    }};
    // `name: Type` names the whole message, which the assertion returns: the name is there
    // to be read, not used. A binding inside a pattern is used by the guard or by nothing.
    (@matcher [$name:ident] $t:tt $guard:tt) => {
        $crate::__matcher!([unused_variables] {typed [$name] $t $guard})
    };
    (@matcher $p:tt $t:tt $guard:tt) => {
        $crate::__matcher!([] {typed $p $t $guard})
    };
    (assert @outcome $found:ident $shown:ident $timeout:ident [$($t:tt)+]) => {
        match $found {
            ::std::option::Option::Some((_, __msg)) => $crate::__unbox::<$($t)+>(__msg),
            ::std::option::Option::None => $crate::testing::no_match(
                $shown,
                $timeout,
                ::std::any::type_name::<$($t)+>(),
            ),
        }
    };
    (refute @outcome $found:ident $shown:ident $timeout:ident [$($t:tt)+]) => {
        if let ::std::option::Option::Some((_, __msg)) = $found {
            $crate::testing::unexpected($shown, $timeout, &__msg);
        }
    };
}

/// Reads the argument of `assert_receive!(value)` for what makes it a pattern (a `_`, a
/// `..` that closes a group) or Elixir's pin (`^name` where a value starts), and gives the
/// value back if it has neither. It walks nested groups too, keeping a stack of the tokens
/// that follow each one, and whether it stands where a value starts (`start`) or not (`mid`):
/// `a ^ b` is a value.
#[doc(hidden)]
#[macro_export]
macro_rules! __value {
    ($mode:ident [$($v:tt)+]) => { $crate::__value!(@walk [$mode [$($v)+]] [] [] start [] $($v)+) };
    // @walk [mode value] [the first pin] [a pattern's sign] position [after each group] tokens...
    (@walk $ctx:tt [] $sign:tt start $stack:tt ^ $pin:tt $($rest:tt)*) => {
        $crate::__value!(@walk $ctx [$pin] $sign mid $stack $($rest)*)
    };
    (@walk $ctx:tt $pin:tt $sign:tt $at:ident $stack:tt _ $($rest:tt)*) => {
        $crate::__value!(@walk $ctx $pin [_] mid $stack $($rest)*)
    };
    (@walk $ctx:tt $pin:tt $sign:tt $at:ident $stack:tt .. $(, $($rest:tt)*)?) => {
        $crate::__value!(@walk $ctx $pin [..] start $stack $($($rest)*)?)
    };
    (@walk $ctx:tt $pin:tt $sign:tt $at:ident [$($stack:tt)*] ( $($inner:tt)* ) $($rest:tt)*) => {
        $crate::__value!(@walk $ctx $pin $sign start [[$($rest)*] $($stack)*] $($inner)*)
    };
    (@walk $ctx:tt $pin:tt $sign:tt $at:ident [$($stack:tt)*] [ $($inner:tt)* ] $($rest:tt)*) => {
        $crate::__value!(@walk $ctx $pin $sign start [[$($rest)*] $($stack)*] $($inner)*)
    };
    (@walk $ctx:tt $pin:tt $sign:tt $at:ident [$($stack:tt)*] { $($inner:tt)* } $($rest:tt)*) => {
        $crate::__value!(@walk $ctx $pin $sign start [[$($rest)*] $($stack)*] $($inner)*)
    };
    (@walk $ctx:tt $pin:tt $sign:tt $at:ident $stack:tt , $($rest:tt)*) => {
        $crate::__value!(@walk $ctx $pin $sign start $stack $($rest)*)
    };
    (@walk $ctx:tt $pin:tt $sign:tt $at:ident $stack:tt : $($rest:tt)*) => {
        $crate::__value!(@walk $ctx $pin $sign start $stack $($rest)*)
    };
    (@walk $ctx:tt $pin:tt $sign:tt $at:ident $stack:tt $next:tt $($rest:tt)*) => {
        $crate::__value!(@walk $ctx $pin $sign mid $stack $($rest)*)
    };
    (@walk $ctx:tt $pin:tt $sign:tt $at:ident [[$($rest:tt)*] $($stack:tt)*]) => {
        $crate::__value!(@walk $ctx $pin $sign mid [$($stack)*] $($rest)*)
    };
    (@walk [$mode:ident [$($v:tt)+]] [] [] $at:ident []) => { $($v)+ };
    // A struct pattern names its type: `Down { .. }` is a `Down`.
    (@walk [$mode:ident [$name:ident { $($fields:tt)* }]] $pin:tt [$sign:tt] $at:ident []) => {
        ::std::compile_error!(::std::concat!(
            ::std::stringify!($mode), "_receive!: `", ::std::stringify!($name { $($fields)* }),
            "` is a pattern, and a pattern needs the message's type after it: `",
            ::std::stringify!($mode), "_receive!(", ::std::stringify!($name { $($fields)* }),
            ": ", ::std::stringify!($name), ")`"
        ))
    };
    (@walk [$mode:ident [$($v:tt)+]] $pin:tt [$sign:tt] $at:ident []) => {
        ::std::compile_error!(::std::concat!(
            ::std::stringify!($mode), "_receive!: `", ::std::stringify!($($v)+),
            "` is a pattern (it has a `", ::std::stringify!($sign),
            "`), and a pattern needs the message's type after it: `", ::std::stringify!($mode),
            "_receive!(", ::std::stringify!($($v)+), ": Type)`"
        ))
    };
    (@walk [$mode:ident [$($v:tt)+]] [$pin:tt] [] $at:ident []) => {
        ::std::compile_error!(::std::concat!(
            ::std::stringify!($mode), "_receive!: no pin needed: without a type, the argument is a value, compared with `==`; write `",
            ::std::stringify!($pin), "` for `^", ::std::stringify!($pin), "`"
        ))
    };
}

fn take_equal<T: Message + PartialEq>(expected: &T, timeout: Duration) -> Option<AnyMessage> {
    let found = mailbox::receive_raw(Some(timeout), None, |msg: AnyMessage| {
        match msg.downcast_ref::<T>() {
            Some(value) if value == expected => Ok((0, msg)),
            _ => Err(msg),
        }
    });
    found.map(|(_, msg)| msg)
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
        Some(msg) => __unbox::<T>(msg),
        None => fail(
            text,
            timeout,
            type_name::<T>(),
            Some(&format!("{expected:?}")),
        ),
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
        unexpected(text, timeout, &msg);
    }
}

/// The failure of `assert_receive!(pattern: Type)`, with what the mailbox held.
#[doc(hidden)]
#[track_caller]
pub fn no_match(expected: &str, timeout: Duration, wanted_type: &'static str) -> ! {
    fail(expected, timeout, wanted_type, None)
}

/// The failure of `refute_receive!`.
#[doc(hidden)]
#[track_caller]
pub fn unexpected(pattern: &str, timeout: Duration, msg: &AnyMessage) -> ! {
    panic!(
        "refute_receive!({pattern}): received {msg:?}: {} within {timeout:?}",
        short_type_name(msg.type_name())
    );
}

/// What the calling process's mailbox holds, oldest first, each message with its type, as a
/// failed `assert_receive!` shows it. For a `receive!` in a test that gives up:
/// `after RECEIVE_TIMEOUT => panic!("no reply.\n{}", mailbox_report())`.
///
/// Elixir: `Process.info(self(), :messages)`.
pub fn mailbox_report() -> String {
    report(&queued())
}

/// One message in the mailbox as a failure shows it.
struct Queued {
    text: String,
    type_name: &'static str,
}

fn queued() -> Vec<Queued> {
    mailbox::pending(|msg| Queued {
        text: format!("{msg:?}"),
        type_name: msg.type_name(),
    })
}

/// ExUnit shows ten; a failure that lists a flooded mailbox in full hides the one line that
/// matters.
const SHOWN: usize = 10;

fn report(held: &[Queued]) -> String {
    if held.is_empty() {
        return "The process mailbox is empty.".to_string();
    }
    let mut out = String::from("The process mailbox holds, oldest first:");
    for msg in held.iter().take(SHOWN) {
        out += &format!("\n    {}: {}", msg.text, short_type_name(msg.type_name));
    }
    if held.len() > SHOWN {
        out += &format!("\n    ... and {} more", held.len() - SHOWN);
    }
    out
}

/// The failure of `assert_receive!`: what it wanted, what the mailbox held, and a note
/// where a message looks right but has another type (`String` for `&str`, `i32` for `u64`),
/// which the two `Debug` texts alone would hide.
#[track_caller]
fn fail(expected: &str, timeout: Duration, wanted: &'static str, value: Option<&str>) -> ! {
    let held = queued();
    let mut text = format!(
        "assert_receive!({expected}): no matching message of type {} after {timeout:?}.\n{}",
        short_type_name(wanted),
        report(&held)
    );
    // Type names compared as text: `type_name` does not promise a unique name for each
    // type, but the note only ever adds a hint, never decides a test.
    let other_type = |msg: &&Queued| msg.type_name != wanted;
    match value {
        // The same `Debug` text and another type: most likely the same value in the wrong
        // type. An honest heuristic for a hint; `==` across types does not exist.
        Some(value) => {
            let mut noted: Vec<&str> = Vec::new();
            for msg in held.iter().filter(other_type).filter(|m| m.text == value) {
                if !noted.contains(&msg.type_name) {
                    noted.push(msg.type_name);
                    let (theirs, ours) = type_names(msg.type_name, wanted);
                    text += &format!(
                        "\nnote: {value} equals the expected value, but its type is {theirs}, not {ours}"
                    );
                }
            }
        }
        None if !held.is_empty() && held.iter().all(|m| m.type_name != wanted) => {
            text += &format!(
                "\nnote: no message in the mailbox has type {}",
                short_type_name(wanted)
            );
        }
        None => {}
    }
    panic!("{text}");
}

/// Two type names as a note shows them: short, unless the short names are the same.
fn type_names(theirs: &'static str, ours: &'static str) -> (String, String) {
    let (short_theirs, short_ours) = (short_type_name(theirs), short_type_name(ours));
    if short_theirs == short_ours {
        (theirs.to_string(), ours.to_string())
    } else {
        (short_theirs, short_ours)
    }
}

/// A type's name without the module paths: `alloc::string::String` is `String`,
/// `(otp_core::reference::Ref, &str)` is `(Ref, &str)`.
fn short_type_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    // Where the path segment being read began in `out`: a `::` drops it.
    let mut segment = 0;
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ':' && chars.peek() == Some(&':') {
            chars.next();
            out.truncate(segment);
        } else {
            out.push(c);
            if !(c.is_alphanumeric() || c == '_') {
                segment = out.len();
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::short_type_name;

    #[test]
    fn short_type_names_drop_the_module_paths() {
        let shown = |name| short_type_name(name);
        assert_eq!(shown("alloc::string::String"), "String");
        assert_eq!(shown("&str"), "&str");
        assert_eq!(
            shown("(otp_core::reference::Ref, core::option::Option<alloc::vec::Vec<u8>>)"),
            "(Ref, Option<Vec<u8>>)"
        );
        assert_eq!(shown("[otp_core::pid::Pid; 2]"), "[Pid; 2]");
    }
}
