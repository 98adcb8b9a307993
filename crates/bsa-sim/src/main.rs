//! bsa-sim: a simulated model provider on 127.0.0.1 (to be written).
fn main() {}
