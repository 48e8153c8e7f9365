//! What the integration tests share: running the real binary from the project's folder, and
//! an input with many findings.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The binary, to be run from the project's folder, so that paths such as `corpus/valid`
/// resolve. Every test that runs the binary builds on this: add arguments, and where a test
/// needs it, a folder of its own (`current_dir`), stdin, pipes or environment. Nothing else
/// is set: no `--no-config` (add it, or use [`run`]) and the environment is the test's.
pub fn profile_lint() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_profile-lint"));
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    command
}

/// The binary with `args`, then `--no-config` (no profile-lint.toml is read), run from the
/// project's folder to the end: what it printed and its status.
pub fn run(args: &[&str]) -> Output {
    profile_lint().args(args).arg("--no-config").output().expect("the binary runs")
}

/// Writes `numbers.json` in `dir`: a response of `n` numbers where users belong, so that every
/// item fails (S002). The cheapest way to get many findings.
pub fn failing_items(dir: &Path, n: usize) -> PathBuf {
    let path = dir.join("numbers.json");
    std::fs::write(&path, format!("[{}]", vec!["1"; n].join(","))).unwrap();
    path
}
