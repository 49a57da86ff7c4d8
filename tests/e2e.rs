//! End to end: the generated client against a real HTTP server on 127.0.0.1, an in-memory fake
//! of the officeConfiguration service with OData semantics (fake.rs).
fn main() {}
