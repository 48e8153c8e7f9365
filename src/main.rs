use std::io::{self, Write};
use std::process::ExitCode;

use profile_lint::cli::{self, ExitStatus};

fn main() -> ExitCode {
    let invocation = cli::parse().unwrap_or_else(|e| e.exit());
    // A run that writes no file has no temporary file to remove, and dies of the signal as
    // promptly without the handler and the thread it waits on.
    if invocation.writes_a_file() {
        cli::stop_cleanly_on_interrupt();
    }
    let mut out = io::stdout().lock();
    match cli::run(invocation, &mut out).and_then(|status| out.flush().map(|()| status)) {
        Ok(status) => ExitCode::from(status.code()),
        // A reader that went away (`profile-lint dir | head -1`) is not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("profile-lint: {e}");
            ExitCode::from(ExitStatus::Error.code())
        }
    }
}

// With glibc's malloc a second thread cost a fifth more CPU on many small files (its fresh
// arena faults in new pages), so two cores gave only 1.4x. mimalloc's per-thread heaps do not.
// Built without transparent huge pages: with them, a streamed 2 GB capture peaked at 84 MiB.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
