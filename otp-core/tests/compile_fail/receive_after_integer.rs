use otp_core::receive;

pub fn after_ten() -> i32 {
    receive! { //~ ERROR receive!: `after` takes a `Duration`, not a number of milliseconds: write `after Duration::from_millis(10) =>`
        n: i32 => n,
        after 10 => 0,
    }
}
