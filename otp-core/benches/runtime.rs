//! Placeholder: the benchmark table is being written.
fn main() {}
