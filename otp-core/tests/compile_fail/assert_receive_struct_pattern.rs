use otp_core::assert_receive;

pub fn struct_pattern() {
    assert_receive!(Down { .. }); //~ ERROR assert_receive!: `Down { .. }` is a pattern, and a pattern needs the message's type after it: `assert_receive!(Down { .. }: Down)`
}
