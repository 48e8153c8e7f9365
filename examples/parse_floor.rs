//! The floor a check of a capture cannot go below: serde_json parsing the same bytes into
//! `IgnoredAny`, on one core, reading nothing but the syntax. `bench/run.py` compares
//! profile-lint's CPU time with this one's.
//!
//!     cargo run --release --example parse_floor -- FILE...

use serde::de::IgnoredAny;

fn main() {
    let mut failed = false;
    for path in std::env::args_os().skip(1) {
        let parsed = std::fs::read(&path).map_err(|e| e.to_string()).and_then(|bytes| {
            serde_json::from_slice::<IgnoredAny>(&bytes).map_err(|e| e.to_string())
        });
        if let Err(e) = parsed {
            eprintln!("{}: {e}", path.to_string_lossy());
            failed = true;
        }
    }
    std::process::exit(i32::from(failed));
}
