//! What the integration tests share: running the real binary from the project's folder.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The binary with `args`, without any profile-lint.toml, run from the project's folder.
#[allow(dead_code)] // not every test file uses it
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_profile-lint"))
        .args(args)
        .arg("--no-config")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

/// Writes `numbers.json` in `dir`: a response of `n` numbers where users belong, so that every
/// item fails (S002). The cheapest way to get many findings.
#[allow(dead_code)] // not every test file uses it
pub fn failing_items(dir: &Path, n: usize) -> PathBuf {
    let path = dir.join("numbers.json");
    std::fs::write(&path, format!("[{}]", vec!["1"; n].join(","))).unwrap();
    path
}
