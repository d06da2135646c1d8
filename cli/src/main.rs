//! The `butie` command line.
fn main() {}
