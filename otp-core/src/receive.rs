//! `receive!`: selective receive that reads like Elixir's `receive do ... after ... end`.
//! Elixir: `receive do pattern when guard -> body after ms -> body end` · OTP: receive

/// Waits for the first message, in arrival order, that one of the clauses accepts, and
/// evaluates that clause's body. Messages no clause accepts stay in the mailbox, in order,
/// for later receives.
///
/// A clause is `pattern: Type => body` or `pattern: Type if guard => body`: the message must
/// be a `Type`, match `pattern`, and pass `guard`. A clause with no type, `other => body`,
/// takes a message of any type, bound as an [`AnyMessage`](crate::AnyMessage) (Elixir's
/// `_other -> ...`). The optional last clause
/// `after timeout => body` runs if nothing matches before `timeout` (a `Duration`) has passed;
/// `after Duration::ZERO` only looks at what is already there. Bodies are ordinary
/// expressions: `return`, `?`, `break` and `continue` act on the code around `receive!`.
///
/// An optional first line `since reference;` says that the awaited message carries a ref
/// made by this process: messages queued before that ref was made are skipped unseen, so a
/// reply is found in constant time however full the mailbox is (OTP's receive mark).
///
/// ```
/// use otp_core::{receive, send, self_pid, make_ref, Ref};
/// use std::time::Duration;
///
/// let reference = make_ref();
/// send(self_pid(), "unrelated");
/// send(self_pid(), (reference, 42));
/// let reply = receive! {
///     since reference;
///     (r, n): (Ref, i32) if r == reference => Ok(n),
///     after Duration::from_millis(200) => Err("timeout"),
/// };
/// assert_eq!(reply, Ok(42));
/// // The skipped message is still there.
/// receive! { msg: &str => assert_eq!(msg, "unrelated") }
/// ```
///
/// Elixir: `receive do {^ref, n} -> {:ok, n} after 200 -> {:error, :timeout} end`.
#[macro_export]
macro_rules! receive {
    (since $mark:expr; $($rest:tt)*) => { $crate::__receive!(@clause [$mark] [] [] $($rest)*) };
    ($($rest:tt)*) => { $crate::__receive!(@clause [] [] [] $($rest)*) };
}

// The clauses are read one token at a time: a pattern ends at a lone `:` (a `::` is another
// token) and a type ends at `if` or `=>`, which macro_rules cannot express otherwise.
#[doc(hidden)]
#[macro_export]
macro_rules! __receive {
    (@clause $mark:tt $clauses:tt []) => {
        $crate::__receive!(@expand $mark $clauses [])
    };
    (@clause $mark:tt $clauses:tt [] after $timeout:expr => $after:expr $(,)?) => {
        $crate::__receive!(@expand $mark $clauses [$timeout => $after])
    };
    (@clause $mark:tt $clauses:tt [] , $($rest:tt)*) => {
        $crate::__receive!(@clause $mark $clauses [] $($rest)*)
    };
    // A clause without a type takes any message, as the box it came in.
    (@clause $mark:tt [$($c:tt)*] [$($p:tt)+] if $guard:expr => $body:block $($rest:tt)*) => {
        $crate::__receive!(@clause $mark [$($c)* {any [$($p)+] [_] [$guard] [$body]}] [] $($rest)*)
    };
    (@clause $mark:tt [$($c:tt)*] [$($p:tt)+] if $guard:expr => $body:expr $(, $($rest:tt)*)?) => {
        $crate::__receive!(@clause $mark [$($c)* {any [$($p)+] [_] [$guard] [$body]}] [] $($($rest)*)?)
    };
    (@clause $mark:tt [$($c:tt)*] [$($p:tt)+] => $body:block $($rest:tt)*) => {
        $crate::__receive!(@clause $mark [$($c)* {any [$($p)+] [_] [true] [$body]}] [] $($rest)*)
    };
    (@clause $mark:tt [$($c:tt)*] [$($p:tt)+] => $body:expr $(, $($rest:tt)*)?) => {
        $crate::__receive!(@clause $mark [$($c)* {any [$($p)+] [_] [true] [$body]}] [] $($($rest)*)?)
    };
    (@clause $mark:tt $clauses:tt [$($p:tt)+] : $($rest:tt)*) => {
        $crate::__receive!(@type $mark $clauses [$($p)+] [] $($rest)*)
    };
    (@clause $mark:tt $clauses:tt [$($p:tt)*] $next:tt $($rest:tt)*) => {
        $crate::__receive!(@clause $mark $clauses [$($p)* $next] $($rest)*)
    };
    (@type $mark:tt [$($c:tt)*] $p:tt [$($t:tt)+] if $guard:expr => $body:block $($rest:tt)*) => {
        $crate::__receive!(@clause $mark [$($c)* {typed $p [$($t)+] [$guard] [$body]}] [] $($rest)*)
    };
    (@type $mark:tt [$($c:tt)*] $p:tt [$($t:tt)+] if $guard:expr => $body:expr $(, $($rest:tt)*)?) => {
        $crate::__receive!(@clause $mark [$($c)* {typed $p [$($t)+] [$guard] [$body]}] [] $($($rest)*)?)
    };
    (@type $mark:tt [$($c:tt)*] $p:tt [$($t:tt)+] => $body:block $($rest:tt)*) => {
        $crate::__receive!(@clause $mark [$($c)* {typed $p [$($t)+] [true] [$body]}] [] $($rest)*)
    };
    (@type $mark:tt [$($c:tt)*] $p:tt [$($t:tt)+] => $body:expr $(, $($rest:tt)*)?) => {
        $crate::__receive!(@clause $mark [$($c)* {typed $p [$($t)+] [true] [$body]}] [] $($($rest)*)?)
    };
    (@type $mark:tt $c:tt $p:tt [$($t:tt)*] $next:tt $($rest:tt)*) => {
        $crate::__receive!(@type $mark $c $p [$($t)* $next] $($rest)*)
    };
    (@expand [$($mark:expr)?] [$({$kind:ident [$($p:tt)+] [$($t:tt)+] [$guard:expr] [$body:expr]})*] [$($timeout:expr => $after:expr)?]) => {{
        let __found = $crate::mailbox::receive_raw(
            $crate::__receive!(@deadline $($timeout)?),
            $crate::__receive!(@mark $($mark)?),
            $crate::__matcher!($({$kind [$($p)+] [$($t)+] [$guard]})*),
        );
        match __found {
            ::std::option::Option::None => $crate::__receive!(@after $($after)?),
            ::std::option::Option::Some((__index, __msg)) => {
                #[allow(unused_mut, unused_assignments, unused_variables)]
                let mut __clause = 0usize;
                // An `if ... else if ...` chain, not a loop or a labeled block, so that
                // `break` and `continue` in a body reach the caller's own loop.
                $(
                    if { let __this = __clause == __index; __clause += 1; __this } {
                        // The guard already passed in the matcher; here the pattern binds by
                        // value (a binding only the guard used is not "unused").
                        #[allow(unreachable_patterns, unused_variables)]
                        match $crate::__receive!(@unbox $kind __msg [$($t)+]) {
                            $($p)+ => $body,
                            _ => ::std::unreachable!("receive!: the matcher chose this clause"),
                        }
                    } else
                )*
                { ::std::unreachable!("receive!: no clause {}", __index) }
            }
        }
    }};
    (@unbox typed $msg:ident [$($t:tt)+]) => { $crate::__unbox::<$($t)+>($msg) };
    (@unbox any $msg:ident [$($t:tt)+]) => { $msg };
    (@deadline) => { ::std::option::Option::None };
    (@deadline $timeout:expr) => { ::std::option::Option::Some($timeout) };
    (@mark) => { ::std::option::Option::None };
    (@mark $mark:expr) => { ::std::option::Option::Some($mark) };
    (@after) => { ::std::unreachable!("receive! without `after` waits forever") };
    (@after $after:expr) => { $after };
}

/// The clause test shared by `receive!`, `assert_receive!` and `refute_receive!`: a closure
/// that answers which clause accepts a message, or gives the message back.
#[doc(hidden)]
#[macro_export]
macro_rules! __matcher {
    ($({$kind:ident [$($p:tt)+] [$($t:tt)+] [$guard:expr]})*) => {
        |__msg: $crate::AnyMessage|
         -> ::std::result::Result<(usize, $crate::AnyMessage), $crate::AnyMessage> {
            #[allow(unused_mut, unused_assignments, unused_variables)]
            let mut __clause = 0usize;
            $(
                let __msg = $crate::__matcher!(@$kind __msg __clause [$($p)+] [$($t)+] [$guard]);
                __clause += 1;
            )*
            ::std::result::Result::Err(__msg)
        }
    };
    (@typed $msg:ident $clause:ident [$($p:tt)+] [$($t:tt)+] [$guard:expr]) => {
        match $crate::__take::<$($t)+>($msg) {
            ::std::result::Result::Ok(__value) => {
                // The guard runs inside the pattern's own guard, which then fails: bindings
                // are seen by value, as the body will see them, and nothing is moved out of
                // the message, which goes back to the mailbox intact if it is not accepted.
                let mut __hit = false;
                #[allow(unused_variables, clippy::redundant_guards)]
                match __value {
                    $($p)+ if { __hit = $guard; false } => ::std::unreachable!(),
                    _ => {}
                }
                let __msg = $crate::AnyMessage::new(__value);
                if __hit {
                    return ::std::result::Result::Ok(($clause, __msg));
                }
                __msg
            }
            ::std::result::Result::Err(__other) => __other,
        }
    };
    (@any $msg:ident $clause:ident [$($p:tt)+] [$($t:tt)+] [$guard:expr]) => {{
        let mut __hit = false;
        #[allow(unused_variables, clippy::redundant_guards)]
        match $msg {
            $($p)+ if { __hit = $guard; false } => ::std::unreachable!(),
            _ => {}
        }
        if __hit {
            return ::std::result::Result::Ok(($clause, $msg));
        }
        $msg
    }};
}
