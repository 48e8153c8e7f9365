//! Writes realistic `GET /profile/` captures for benchmarks and large-input tests:
//!
//! ```text
//! cargo run --release --example gen_corpus -- --users 200000 --pretty --out target/bench/big
//! ```

mod generator;

use std::path::PathBuf;

use clap::Parser;

/// Generate arrays of users, deterministic for a seed.
#[derive(Parser)]
struct Args {
    /// Users per file.
    #[arg(long, default_value_t = 20)]
    users: usize,
    /// How many files.
    #[arg(long, default_value_t = 1)]
    files: usize,
    /// The folder to write the files and MANIFEST.tsv to.
    #[arg(long)]
    out: PathBuf,
    /// The share of users (0 to 1) given exactly one violation.
    #[arg(long, default_value_t = 0.0)]
    invalid_rate: f64,
    /// Indent by two spaces, like a saved response.
    #[arg(long)]
    pretty: bool,
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let options = generator::Options {
        users: args.users,
        files: args.files,
        out: args.out.clone(),
        invalid_rate: args.invalid_rate,
        pretty: args.pretty,
        seed: args.seed,
    };
    match generator::write(&options) {
        Ok(written) => {
            println!(
                "wrote {} file(s) x {} users to {}; invalid users: {}",
                written.files.len(),
                args.users,
                args.out.display(),
                written.invalid
            );
            std::process::ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("gen_corpus: cannot write to {}: {error}", args.out.display());
            std::process::ExitCode::FAILURE
        }
    }
}
