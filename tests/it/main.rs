//! The integration tests, as one test binary: each former `tests/<name>.rs` is a module here.
//! One binary links the crate and its dependencies once, where a binary per file linked them
//! once per file. Tests still run in parallel, and `cargo test --test it <module>::` runs one
//! module's (`cargo test --test it cli::` those of `cli.rs`).

mod common;

mod architecture;
mod captures;
mod cli;
mod documentation;
mod formats;
mod hostile;
mod json_test_suite;
mod openapi;
mod outputs;
mod properties;
mod rules;
mod schema_test_suite;
mod snapshots;
mod spans;
mod stream;
