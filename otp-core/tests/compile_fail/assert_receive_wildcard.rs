use otp_core::assert_receive;

pub fn wildcard() {
    assert_receive!((_, "hello")); //~ ERROR assert_receive!: `(_, "hello")` is a pattern (it has a `_`), and a pattern needs the message's type after it: `assert_receive!((_, "hello"): Type)`
}
