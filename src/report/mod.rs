//! One reporter per format, all fed by the same [`FileReport`]s.

mod human;
mod json;
pub mod rules;

use std::io::{self, Write};

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Source;

pub use human::HumanOptions;

/// The findings for one input, with its source when it could be read.
#[derive(Debug)]
pub struct FileReport {
    /// The path as given, or `<stdin>`.
    pub name: String,
    pub source: Option<Source>,
    pub diagnostics: Vec<Diagnostic>,
}

impl FileReport {
    /// A report on a file that is not an input (a schema, a configuration, a baseline).
    pub fn about(
        name: impl Into<String>,
        source: Option<Source>,
        diagnostics: Vec<Diagnostic>,
    ) -> Self {
        FileReport { name: name.into(), source, diagnostics }
    }
}

impl FileReport {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human(HumanOptions),
    Json,
}

/// Writes every report in `format`.
pub fn write(format: Format, reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Human(options) => human::write(reports, options, out),
        Format::Json => json::write(reports, out),
    }
}

/// Totals over all reports.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub files_with_findings: usize,
    pub errors: usize,
    pub warnings: usize,
}

impl Summary {
    pub fn of(reports: &[FileReport]) -> Summary {
        reports.iter().fold(Summary::default(), |mut s, r| {
            s.files += 1;
            s.errors += r.errors();
            s.warnings += r.warnings();
            s.files_with_findings += usize::from(!r.diagnostics.is_empty());
            s
        })
    }
}
