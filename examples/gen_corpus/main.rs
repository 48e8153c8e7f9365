//! Writes realistic `GET /profile/` captures for benchmarks and large-input tests:
//!
//! ```text
//! cargo run --release --example gen_corpus -- --users 200000 --pretty --out target/bench/big
//! cargo run --release --example gen_corpus -- --format har --out target/bench/har
//! cargo run --release --example gen_corpus -- --format jsonl --users 1 --out target/bench/lines
//! ```

mod generator;
mod har;
mod jsonl;

use std::path::PathBuf;

use clap::{CommandFactory, Parser, ValueEnum};

/// Generate captures, deterministic for a seed: arrays of users, browser sessions saved as
/// HAR whose `GET /profile/` entries answer with such arrays, or JSON Lines of them.
#[derive(Parser)]
#[command(name = "gen_corpus")]
struct Args {
    /// What to write.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Users per file (json), per /profile/ response (har), or per line (jsonl).
    #[arg(long, default_value_t = 20)]
    users: usize,
    /// How many files.
    #[arg(long, default_value_t = 1)]
    files: usize,
    /// Entries per HAR file (har).
    #[arg(long, default_value_t = 6000)]
    entries: usize,
    /// How many of those are GET /profile/, spread over the session (har).
    #[arg(long, default_value_t = 50)]
    profile_entries: usize,
    /// Lines per file (jsonl).
    #[arg(long, default_value_t = 200_000)]
    lines: usize,
    /// The folder to write the files and MANIFEST.tsv to.
    #[arg(long)]
    out: PathBuf,
    /// The share of users (0 to 1) given exactly one violation.
    #[arg(long, default_value_t = 0.0)]
    invalid_rate: f64,
    /// Indent by two spaces, like a saved response (json; a HAR is always indented, as
    /// browsers write it).
    #[arg(long)]
    pretty: bool,
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// One array of users a file: profile-00000.json...
    Json,
    /// A browser session (Chrome's "Save all as HAR with content"): session-00000.har...
    Har,
    /// One compact response a line: profile-00000.jsonl...
    Jsonl,
}

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    if args.format == Format::Har && args.profile_entries >= args.entries {
        let message =
            "--profile-entries must be fewer than --entries (the first is the app's page)";
        Args::command().error(clap::error::ErrorKind::ValueValidation, message).exit();
    }
    let (written, what) = match args.format {
        Format::Json => (generator::write(&json_options(&args)), format!("{} users", args.users)),
        Format::Har => {
            let what = format!(
                "{} entries ({} GET /profile/ of {} users)",
                args.entries, args.profile_entries, args.users
            );
            (har::write(&har_options(&args)), what)
        }
        Format::Jsonl => {
            let what = format!("{} lines of {} users", args.lines, args.users);
            (jsonl::write(&jsonl_options(&args)), what)
        }
    };
    match written {
        Ok(written) => {
            println!(
                "wrote {} file(s) x {what} to {}; invalid users: {}",
                written.files.len(),
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

fn json_options(args: &Args) -> generator::Options {
    generator::Options {
        users: args.users,
        files: args.files,
        out: args.out.clone(),
        invalid_rate: args.invalid_rate,
        pretty: args.pretty,
        seed: args.seed,
    }
}

fn har_options(args: &Args) -> har::Options {
    har::Options {
        files: args.files,
        entries: args.entries,
        profile_entries: args.profile_entries,
        users: args.users,
        invalid_rate: args.invalid_rate,
        out: args.out.clone(),
        seed: args.seed,
    }
}

fn jsonl_options(args: &Args) -> jsonl::Options {
    jsonl::Options {
        files: args.files,
        lines: args.lines,
        users: args.users,
        invalid_rate: args.invalid_rate,
        out: args.out.clone(),
        seed: args.seed,
    }
}
