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
/// Elixir's pin has no Rust pattern: where Elixir writes `{^reference, n}`, bind a new name
/// and compare it in the guard, `(r, n): (Ref, i32) if r == reference`. A plain name binds
/// anything: `(reference, n): (Ref, i32)` takes any ref, and rustc warns that the new
/// `reference` is unused. Elixir's `when` is `if`, and each clause names its type; a clause
/// written the Elixir way gets a compile error that says what to write.
///
/// An optional first line `since reference;` says that the awaited message carries a ref
/// made by this process: messages queued before that ref was made are skipped unseen, so a
/// reply is found in constant time however full the mailbox is (OTP's receive mark).
///
/// In a test, an `after` that gives up can show what did arrive, each message with its type,
/// as a failed [`assert_receive!`](crate::assert_receive) does:
/// `after RECEIVE_TIMEOUT => panic!("no reply.\n{}", otp_core::testing::mailbox_report())`.
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
/// Elixir: `receive do {^ref, n} -> {:ok, n} after 200 -> {:error, :timeout} end`; the pin
/// `^ref` is the guard `if r == reference`.
#[macro_export]
macro_rules! receive {
    (since $mark:expr; $($rest:tt)*) => { $crate::__receive!(@clause [$mark] [] [] $($rest)*) };
    ($($rest:tt)*) => { $crate::__receive!(@clause [] [] [] $($rest)*) };
}

// The clauses are read one token at a time (the common shapes in one step, below): a
// pattern ends at a lone `:` (a `::` is another token) and a type ends at `if` or `=>`,
// which macro_rules cannot express otherwise.
// A clause is kept as `{kind [pattern] [type] [guard, if any] [body]}`.
//
// The rules that end in `compile_error!` catch what a learner coming from Elixir writes
// (`when`, `after 10`, a clause with no type...) and say what to write instead, as the only
// error: rustc's own would be about tokens. macro_rules can only point such an error at
// the whole `receive!`, so each message quotes the learner's clause.
#[doc(hidden)]
#[macro_export]
macro_rules! __receive {
    (@clause $mark:tt $clauses:tt []) => {
        $crate::__receive!(@expand $mark $clauses [])
    };
    (@clause $mark:tt $clauses:tt [] after $timeout:literal => $($rest:tt)*) => {
        ::std::compile_error!(::std::concat!(
            "receive!: `after` takes a `Duration`, not a number of milliseconds: write `after Duration::from_millis(",
            ::std::stringify!($timeout), ") =>`"
        ))
    };
    (@clause $mark:tt $clauses:tt [] after $timeout:expr => $after:expr $(,)?) => {
        $crate::__receive!(@expand $mark $clauses [$timeout => $after])
    };
    // A binding named `after` starts an ordinary clause.
    (@clause $mark:tt $clauses:tt [] after : $($rest:tt)*) => {
        $crate::__receive!(@type $mark $clauses [after] [] $($rest)*)
    };
    (@clause $mark:tt $clauses:tt [] after $timeout:expr => $($rest:tt)+) => {
        ::std::compile_error!(::std::concat!(
            "receive!: `after` is the last clause: move `after ", ::std::stringify!($timeout),
            " => ...` below the others"
        ))
    };
    (@clause $mark:tt $clauses:tt [] , $($rest:tt)*) => {
        $crate::__receive!(@clause $mark $clauses [] $($rest)*)
    };
    // The common shapes, a one-token pattern and then a type, take one step each rather
    // than one per token: each step counts against the macro recursion limit, and a long
    // `receive!` should not meet it.
    (@clause $mark:tt [$($c:tt)*] [] $p:tt : $t:tt if $guard:expr => $body:block $($rest:tt)*) => {
        $crate::__receive!(@clause $mark [$($c)* {typed [$p] [$t] [$guard] [$body]}] [] $($rest)*)
    };
    (@clause $mark:tt [$($c:tt)*] [] $p:tt : $t:tt if $guard:expr => $body:expr $(, $($rest:tt)*)?) => {
        $crate::__receive!(@clause $mark [$($c)* {typed [$p] [$t] [$guard] [$body]}] [] $($($rest)*)?)
    };
    (@clause $mark:tt [$($c:tt)*] [] $p:tt : $t:ty => $body:block $($rest:tt)*) => {
        $crate::__receive!(@clause $mark [$($c)* {typed [$p] [$t] [] [$body]}] [] $($rest)*)
    };
    (@clause $mark:tt [$($c:tt)*] [] $p:tt : $t:ty => $body:expr $(, $($rest:tt)*)?) => {
        $crate::__receive!(@clause $mark [$($c)* {typed [$p] [$t] [] [$body]}] [] $($($rest)*)?)
    };
    (@clause $mark:tt $clauses:tt [$($p:tt)+] when $guard:expr => $($rest:tt)*) => {
        ::std::compile_error!(::std::concat!(
            "receive!: a guard is written `if`, not `when`: `", ::std::stringify!($($p)+),
            " if ", ::std::stringify!($guard), " =>`"
        ))
    };
    // A clause without a type takes any message, as the box it came in: only a name or `_`
    // can take that.
    (@clause $mark:tt $clauses:tt [$($p:tt)+] if $($rest:tt)*) => {
        $crate::__receive!(@any $mark $clauses [$($p)+] if $($rest)*)
    };
    (@clause $mark:tt $clauses:tt [$($p:tt)+] => $($rest:tt)*) => {
        $crate::__receive!(@any $mark $clauses [$($p)+] => $($rest)*)
    };
    (@clause $mark:tt $clauses:tt [$($p:tt)+] : $($rest:tt)*) => {
        $crate::__receive!(@type $mark $clauses [$($p)+] [] $($rest)*)
    };
    (@clause $mark:tt $clauses:tt [$($p:tt)*] $next:tt $($rest:tt)*) => {
        $crate::__receive!(@clause $mark $clauses [$($p)* $next] $($rest)*)
    };
    (@clause $mark:tt $clauses:tt [$($p:tt)+]) => {
        ::std::compile_error!(::std::concat!(
            "receive!: `", ::std::stringify!($($p)+), "` needs a type and a body: `",
            ::std::stringify!($($p)+), ": Type => body`"
        ))
    };
    (@any $mark:tt $clauses:tt [_] $($rest:tt)*) => {
        $crate::__receive!(@body $mark $clauses any [_] [_] $($rest)*)
    };
    (@any $mark:tt $clauses:tt [$name:ident] $($rest:tt)*) => {
        $crate::__receive!(@body $mark $clauses any [$name] [_] $($rest)*)
    };
    (@any $mark:tt $clauses:tt [mut $name:ident] $($rest:tt)*) => {
        $crate::__receive!(@body $mark $clauses any [mut $name] [_] $($rest)*)
    };
    (@any $mark:tt $clauses:tt [$($p:tt)+] $($rest:tt)*) => {
        ::std::compile_error!(::std::concat!(
            "receive!: a clause names the message's type after its pattern: `",
            ::std::stringify!($($p)+), ": Type =>`; only a clause that takes any message, `other =>` or `_ =>`, has none"
        ))
    };
    (@type $mark:tt $clauses:tt [$($p:tt)+] [$($t:tt)+] when $guard:expr => $($rest:tt)*) => {
        ::std::compile_error!(::std::concat!(
            "receive!: a guard is written `if`, not `when`: `", ::std::stringify!($($p)+), ": ",
            ::std::stringify!($($t)+), " if ", ::std::stringify!($guard), " =>`"
        ))
    };
    (@type $mark:tt $clauses:tt $p:tt [$($t:tt)+] if $($rest:tt)*) => {
        $crate::__receive!(@body $mark $clauses typed $p [$($t)+] if $($rest)*)
    };
    (@type $mark:tt $clauses:tt $p:tt [$($t:tt)+] => $($rest:tt)*) => {
        $crate::__receive!(@body $mark $clauses typed $p [$($t)+] => $($rest)*)
    };
    (@type $mark:tt $clauses:tt $p:tt [$($t:tt)*] $next:tt $($rest:tt)*) => {
        $crate::__receive!(@type $mark $clauses $p [$($t)* $next] $($rest)*)
    };
    (@type $mark:tt $clauses:tt [$($p:tt)+] [$($t:tt)*]) => {
        ::std::compile_error!(::std::concat!(
            "receive!: the clause `", ::std::stringify!($($p)+ : $($t)*), "` needs `=> body`"
        ))
    };
    // A block body needs no comma after it; an expression body does, unless it is the last.
    (@body $mark:tt [$($c:tt)*] $kind:ident $p:tt $t:tt if $guard:expr => $body:block $($rest:tt)*) => {
        $crate::__receive!(@clause $mark [$($c)* {$kind $p $t [$guard] [$body]}] [] $($rest)*)
    };
    (@body $mark:tt [$($c:tt)*] $kind:ident $p:tt $t:tt if $guard:expr => $body:expr $(, $($rest:tt)*)?) => {
        $crate::__receive!(@clause $mark [$($c)* {$kind $p $t [$guard] [$body]}] [] $($($rest)*)?)
    };
    (@body $mark:tt [$($c:tt)*] $kind:ident $p:tt $t:tt => $body:block $($rest:tt)*) => {
        $crate::__receive!(@clause $mark [$($c)* {$kind $p $t [] [$body]}] [] $($rest)*)
    };
    (@body $mark:tt [$($c:tt)*] $kind:ident $p:tt $t:tt => $body:expr $(, $($rest:tt)*)?) => {
        $crate::__receive!(@clause $mark [$($c)* {$kind $p $t [] [$body]}] [] $($($rest)*)?)
    };
    (@body $mark:tt $c:tt $kind:ident [$($p:tt)+] $t:tt $(if $guard:expr)? =>) => {
        ::std::compile_error!(::std::concat!(
            "receive!: the clause `", ::std::stringify!($($p)+), "` needs a body after `=>`"
        ))
    };
    // What follows an expression body is neither a `,` nor the end.
    (@body $mark:tt $c:tt typed [$($p:tt)+] [$($t:tt)+] $(if $guard:expr)? => $($rest:tt)+) => {
        ::std::compile_error!(::std::concat!(
            "receive!: a `,` is missing after the body of `", ::std::stringify!($($p)+ : $($t)+),
            " => ...`: a body that is not a `{ block }` ends with a comma"
        ))
    };
    (@body $mark:tt $c:tt any [$($p:tt)+] $t:tt $(if $guard:expr)? => $($rest:tt)+) => {
        ::std::compile_error!(::std::concat!(
            "receive!: a `,` is missing after the body of `", ::std::stringify!($($p)+),
            " => ...`: a body that is not a `{ block }` ends with a comma"
        ))
    };
    (@expand [$($mark:expr)?] [$({$kind:ident [$($p:tt)+] [$($t:tt)+] [$($guard:expr)?] [$body:expr]})*] [$($timeout:expr => $after:expr)?]) => {{
        $( $crate::__pattern!(@report {["receive!"] [""] [$($t)+] [$($guard)?] [" =>"]} $($p)+); )*
        let __found = $crate::mailbox::receive_raw(
            $crate::__receive!(@deadline $($timeout)?),
            $crate::__receive!(@mark $($mark)?),
            $crate::__matcher!([unused_variables] $({$kind [$($p)+] [$($t)+] [$($guard)?]})*),
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
                        $crate::__receive!(@take $kind __msg [$($p)+] [$($t)+] [$($guard)?] $body)
                    } else
                )*
                { ::std::unreachable!("receive!: no clause {}", __index) }
            }
        }
    }};
    // The guard already passed in the matcher; here the pattern binds by value. A binding
    // that neither the guard nor the body uses gets rustc's warning, as in a `match`: the
    // only hint a learner gets when `(reference, n)` meant Elixir's `{^reference, n}`.
    (@take $kind:ident $msg:ident $p:tt $t:tt [] $body:expr) => {{
        #[allow(unreachable_patterns)]
        match $crate::__receive!(@unbox $kind $msg $t) {
            $crate::__pattern!(@quiet $p) => $body,
            _ => ::std::unreachable!("receive!: the matcher chose this clause"),
        }
    }};
    (@take $kind:ident $msg:ident $p:tt $t:tt [$guard:expr] $body:expr) => {{
        #[allow(unreachable_patterns, unused_variables)]
        match $crate::__receive!(@unbox $kind $msg $t) {
            $crate::__pattern!(@quiet $p) => $body,
            _ => ::std::unreachable!("receive!: the matcher chose this clause"),
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
/// that answers which clause accepts a message, or gives the message back. The lint in the
/// first brackets is allowed on the patterns: `receive!` allows `unused_variables`, as its
/// bindings are for the body; an assertion has no body, so a binding its guard does not
/// use is a mistake worth rustc's warning.
#[doc(hidden)]
#[macro_export]
macro_rules! __matcher {
    ($lint:tt $({$kind:ident [$($p:tt)+] [$($t:tt)+] [$($guard:expr)?]})*) => {
        |__msg: $crate::AnyMessage|
         -> ::std::result::Result<(usize, $crate::AnyMessage), $crate::AnyMessage> {
            #[allow(unused_mut, unused_assignments, unused_variables)]
            let mut __clause = 0usize;
            $(
                let __msg = $crate::__matcher!(@$kind $lint __msg __clause [$($p)+] [$($t)+] [$($guard)?]);
                __clause += 1;
            )*
            ::std::result::Result::Err(__msg)
        }
    };
    (@typed $lint:tt $msg:ident $clause:ident $p:tt [$($t:tt)+] $guard:tt) => {
        match $crate::__take::<$($t)+>($msg) {
            ::std::result::Result::Ok(__value) => {
                let __hit = $crate::__matcher!(@test $lint __value $p $guard);
                let __msg = $crate::AnyMessage::new(__value);
                if __hit {
                    return ::std::result::Result::Ok(($clause, __msg));
                }
                __msg
            }
            ::std::result::Result::Err(__other) => __other,
        }
    };
    (@any $lint:tt $msg:ident $clause:ident $p:tt $t:tt $guard:tt) => {{
        if $crate::__matcher!(@test $lint $msg $p $guard) {
            return ::std::result::Result::Ok(($clause, $msg));
        }
        $msg
    }};
    // The guard runs inside the pattern's own guard, which then fails: bindings are seen by
    // value, as the body will see them, and nothing is moved out of the message, which goes
    // back to the mailbox intact if it is not accepted.
    (@test [$($lint:ident)?] $value:ident $p:tt [$($guard:expr)?]) => {{
        let mut __hit = false;
        #[allow(clippy::redundant_guards $(, $lint)?)]
        match $value {
            $crate::__pattern!(@quiet $p) if {
                __hit = $crate::__matcher!(@guard $($guard)?);
                false
            } => ::std::unreachable!(),
            _ => {}
        }
        __hit
    }};
    (@guard) => { true };
    (@guard $guard:expr) => { $guard };
}

/// Finds Elixir's pin, `^name`, in a clause's pattern: Rust patterns have none, and a new
/// name compared in a guard does its work. `@report` gives the compile error that says so
/// (or nothing); `@quiet` gives the pattern to compile, the pin made a `_`, so that rustc
/// adds no error of its own. Both walk the pattern, nested groups included, keeping a stack
/// of the groups they are in; as siblings of the clause's code rather than steps of the
/// clause reader, they do not eat into the macro recursion limit clause after clause.
#[doc(hidden)]
#[macro_export]
macro_rules! __pattern {
    (@report $ctx:tt $($p:tt)+) => { $crate::__pattern!(@walk [report $ctx] [] [] [] $($p)+) };
    (@quiet [$($p:tt)+]) => { $crate::__pattern!(@walk [quiet [$($p)+]] [] [] [] $($p)+) };
    // @walk [mode] [the first pin, once found] [pattern so far] [open groups] tokens...
    (@walk [report $ctx:tt] [] [$($out:tt)*] $stack:tt ^ $pin:tt $($rest:tt)*) => {
        $crate::__pattern!(@walk [report $ctx] [$pin] [$($out)* r] $stack $($rest)*)
    };
    (@walk [quiet $p:tt] $found:tt [$($out:tt)*] $stack:tt ^ $pin:tt $($rest:tt)*) => {
        $crate::__pattern!(@walk [quiet $p] [$pin] [$($out)* _] $stack $($rest)*)
    };
    (@walk $mode:tt $found:tt $out:tt [$($stack:tt)*] ( $($inner:tt)* ) $($rest:tt)*) => {
        $crate::__pattern!(@walk $mode $found [] [{() $out [$($rest)*]} $($stack)*] $($inner)*)
    };
    (@walk $mode:tt $found:tt $out:tt [$($stack:tt)*] [ $($inner:tt)* ] $($rest:tt)*) => {
        $crate::__pattern!(@walk $mode $found [] [{[] $out [$($rest)*]} $($stack)*] $($inner)*)
    };
    (@walk $mode:tt $found:tt $out:tt [$($stack:tt)*] { $($inner:tt)* } $($rest:tt)*) => {
        $crate::__pattern!(@walk $mode $found [] [{{} $out [$($rest)*]} $($stack)*] $($inner)*)
    };
    (@walk $mode:tt $found:tt [$($out:tt)*] $stack:tt $next:tt $($rest:tt)*) => {
        $crate::__pattern!(@walk $mode $found [$($out)* $next] $stack $($rest)*)
    };
    // The end of a group: back to the tokens after it.
    (@walk $mode:tt $found:tt [$($inner:tt)*] [{() [$($out:tt)*] [$($rest:tt)*]} $($stack:tt)*]) => {
        $crate::__pattern!(@walk $mode $found [$($out)* ($($inner)*)] [$($stack)*] $($rest)*)
    };
    (@walk $mode:tt $found:tt [$($inner:tt)*] [{[] [$($out:tt)*] [$($rest:tt)*]} $($stack:tt)*]) => {
        $crate::__pattern!(@walk $mode $found [$($out)* [$($inner)*]] [$($stack)*] $($rest)*)
    };
    (@walk $mode:tt $found:tt [$($inner:tt)*] [{{} [$($out:tt)*] [$($rest:tt)*]} $($stack:tt)*]) => {
        $crate::__pattern!(@walk $mode $found [$($out)* { $($inner)* }] [$($stack)*] $($rest)*)
    };
    // The end of the pattern. A pattern without a pin is given back as it was written, so
    // that rustc's own errors about it point where they would without the macro.
    (@walk [quiet [$($p:tt)+]] [] $out:tt []) => { $($p)+ };
    (@walk [quiet $p:tt] [$pin:tt] [$($out:tt)*] []) => { $($out)* };
    (@walk [report $ctx:tt] [] $out:tt []) => {};
    // The context: [the macro's name] [what comes before the pattern] [type] [guard] [after].
    (@walk [report {[$($name:tt)+] [$($open:tt)+] [$($t:tt)+] [$($guard:expr)?] [$($close:tt)+]}] [$pin:tt] [$($out:tt)*] []) => {
        ::std::compile_error!(::std::concat!(
            $($name)+, ": Rust patterns have no pin `^", ::std::stringify!($pin),
            "`: bind a new name in its place and compare it in a guard: `", $($open)+,
            ::std::stringify!($($out)*), ": ", ::std::stringify!($($t)+), " if r == ",
            ::std::stringify!($pin), $(" && (", ::std::stringify!($guard), ")",)? $($close)+, "`"
        ))
    };
}
