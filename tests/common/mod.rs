//! What the integration tests share: running the real binary from the project's folder.

use std::process::{Command, Output};

/// The binary with `args`, without any profile-lint.toml, run from the project's folder.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_profile-lint"))
        .args(args)
        .arg("--no-config")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}
