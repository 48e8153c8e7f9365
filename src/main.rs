use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use profile_lint::cli::{self, Args, ExitStatus};

fn main() -> ExitCode {
    let args = Args::parse();
    let mut out = io::stdout().lock();
    match cli::run(&args, &mut out).and_then(|status| out.flush().map(|()| status)) {
        Ok(status) => ExitCode::from(status.code()),
        // A reader that went away (`profile-lint dir | head -1`) is not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("profile-lint: cannot write the report: {e}");
            ExitCode::from(ExitStatus::Error.code())
        }
    }
}
