//! The command line: arguments, and running them to an exit status.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use clap::{Parser, ValueEnum};

use crate::diagnostic::{Code, Diagnostic};
use crate::report::{self, FileReport, Format, HumanOptions};
use crate::{Linter, Source, input};

/// Check captured responses of Probely's GET /profile/ against its documented contract.
///
/// Exit status: 0 when no input has an error (warnings allowed), 1 when one has, 2 when the
/// command line is wrong or an input could not be read (the others are still checked).
#[derive(Debug, Parser)]
#[command(name = "profile-lint", version, about, long_about)]
pub struct Args {
    /// Response bodies to check: files, directories (searched for *.json), or - for stdin.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// How to report findings.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,

    /// Check against this JSON Schema instead of the one embedded (derived from the documentation).
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Code frames for people.
    Human,
    /// One JSON document (version 1) for machines.
    Json,
}

/// How a run ended; maps to the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// No errors (warnings allowed): 0.
    Success,
    /// At least one error in an input: 1.
    Failure,
    /// Usage error or an input that could not be read: 2.
    Error,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Error => 2,
        }
    }
}

/// Runs the command; the only `Err` is a failure to write the report.
pub fn run(args: &Args, out: &mut dyn Write) -> io::Result<ExitStatus> {
    let format = match args.format {
        OutputFormat::Json => Format::Json,
        OutputFormat::Human => Format::Human(HumanOptions {
            color: io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
            width: 100,
        }),
    };
    let linter = match &args.schema {
        None => Linter::new(),
        Some(path) => match load_schema(path) {
            Ok(linter) => linter,
            Err(report) => {
                report::write(format, &[report], out)?;
                return Ok(ExitStatus::Error);
            }
        },
    };
    let reports: Vec<FileReport> = input::expand(&args.paths)
        .into_iter()
        .map(|(name, input)| linter.check(name, input))
        .collect();
    report::write(format, &reports, out)?;
    let unreadable =
        reports.iter().flat_map(|r| &r.diagnostics).any(|d| d.code == Code::Unreadable);
    Ok(if unreadable {
        ExitStatus::Error
    } else if reports.iter().any(|r| r.errors() > 0) {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

fn load_schema(path: &std::path::Path) -> Result<Linter, FileReport> {
    let name = path.to_string_lossy().into_owned();
    let source = input::Input::File(path.to_path_buf()).load().map_err(|e| FileReport {
        name: name.clone(),
        source: None,
        diagnostics: vec![input::unreadable(&name, &e)],
    })?;
    let schema_error = |diagnostics: Vec<Diagnostic>, source: Source| FileReport {
        name: name.clone(),
        source: Some(source),
        diagnostics,
    };
    let Ok(text) = std::str::from_utf8(&source.bytes) else {
        let d = Diagnostic::new(Code::InvalidSchema, "the schema is not UTF-8 text");
        return Err(schema_error(vec![d], source));
    };
    match Linter::with_schema(text) {
        Ok(linter) => Ok(linter),
        Err(diagnostics) => Err(schema_error(diagnostics, source)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Args::command().debug_assert();
    }
}
