//! One reporter per format, all fed by the same [`FileReport`]s.

mod github;
mod human;
mod json;
mod junit;
pub mod rules;
mod sarif;

use std::io::{self, Write};

use crate::diagnostic::{Diagnostic, Severity};
use crate::findings::{Findings, Omitted};
use crate::source::{Source, line_columns};

pub use human::{HumanOptions, summary_line};

/// The findings for one input, with its source when it could be read.
#[derive(Debug)]
pub struct FileReport {
    /// The path as given, or `<stdin>`.
    pub name: String,
    pub source: Option<Source>,
    pub diagnostics: Vec<Diagnostic>,
    /// Findings counted but not kept, by code (see `--max-per-rule`).
    pub omitted: Vec<Omitted>,
    /// An input that was checked, as opposed to a schema, configuration or baseline file that
    /// a finding is about. Summaries count inputs.
    pub input: bool,
    /// Whether positions are in the file named by [`FileReport::file`]; not so for a base64
    /// HAR body, whose source is the decoded body.
    pub in_file: bool,
    /// A file too large to keep in memory (`source` is `None`): code frames read from it.
    pub disk: Option<std::path::PathBuf>,
    /// With `--redact`, where the blocks of whole items of `disk` are: frames read from it
    /// mask the personal values of each block they touch (see [`crate::redact::Masked`]).
    pub redacted: Option<Vec<std::ops::Range<usize>>>,
}

impl FileReport {
    /// The findings in one input.
    pub fn new(
        name: impl Into<String>,
        source: Option<Source>,
        diagnostics: Vec<Diagnostic>,
    ) -> Self {
        FileReport {
            name: name.into(),
            source,
            diagnostics,
            omitted: Vec::new(),
            input: true,
            in_file: true,
            disk: None,
            redacted: None,
        }
    }

    /// The findings in one input, as kept and counted.
    pub fn found(name: impl Into<String>, source: Option<Source>, findings: Findings) -> Self {
        let (diagnostics, omitted) = findings.finish();
        FileReport { omitted, ..FileReport::new(name, source, diagnostics) }
    }

    /// A report on a file that is not an input (a schema, a configuration, a baseline).
    pub fn about(
        name: impl Into<String>,
        source: Option<Source>,
        diagnostics: Vec<Diagnostic>,
    ) -> Self {
        FileReport { input: false, ..FileReport::new(name, source, diagnostics) }
    }
}

impl FileReport {
    /// The file on disk: the name without a HAR entry (`file.har#entries[3]` is `file.har`).
    pub fn file(&self) -> &str {
        self.name.split_once("#entries[").map_or(&self.name, |(file, _)| file)
    }

    /// The part of the name after the file (`entries[3]`), if any.
    pub fn entry(&self) -> Option<&str> {
        self.name.split_once("#entries[").map(|_| &self.name[self.file().len() + 1..])
    }

    /// A finding's message and help in one text, for formats with one message field, with the
    /// HAR entry when the file is named without it.
    pub fn full_message(&self, d: &Diagnostic) -> String {
        let entry = self.entry().map(|e| format!("{e}: ")).unwrap_or_default();
        match &d.help {
            Some(help) => format!("{entry}{}\n{help}", d.message),
            None => format!("{entry}{}", d.message),
        }
    }

    /// Findings of this severity, counted whether kept or not.
    pub fn count(&self, severity: Severity) -> usize {
        let kept = self.diagnostics.iter().filter(|d| d.severity == severity).count();
        let omitted: usize =
            self.omitted.iter().filter(|o| o.severity == severity).map(|o| o.count).sum();
        kept + omitted
    }

    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    /// The 1-based line and column (in characters) where each finding starts, in order;
    /// `None` for a finding without a span or an input that could not be read.
    pub fn positions(&self) -> Vec<Option<(usize, usize)>> {
        let known = self.diagnostics.iter().all(|d| d.span.is_none() || d.at.is_some());
        let Some(source) = self.source.as_ref().filter(|_| !known) else {
            return self.diagnostics.iter().map(|d| d.at).collect();
        };
        let mut spans: Vec<(usize, usize)> = self
            .diagnostics
            .iter()
            .enumerate()
            .filter_map(|(i, d)| d.span.map(|s| (s.offset, i)))
            .collect();
        spans.sort_unstable();
        let offsets: Vec<usize> = spans.iter().map(|(offset, _)| *offset).collect();
        let mut out = vec![None; self.diagnostics.len()];
        for ((_, i), at) in spans.iter().zip(line_columns(&source.text(), &offsets)) {
            out[*i] = Some(at);
        }
        out
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human(HumanOptions),
    Json,
    Sarif,
    Junit,
    Github,
}

/// Writes every report in `format`.
pub fn write(format: Format, reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Human(options) => human::write(reports, options, out),
        Format::Json => json::write(reports, out),
        Format::Sarif => sarif::write(reports, out),
        Format::Junit => junit::write(reports, out),
        Format::Github => github::write(reports, out),
    }
}

/// A line for the person at the terminal about what the run did besides checking (a
/// baseline written or applied); it goes to stderr, so machine formats on stdout stay clean.
pub fn note(text: &str) {
    // A closed stderr is no reason to stop (`eprintln!` would panic).
    let _ = writeln!(io::stderr(), "profile-lint: {text}");
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
            s.files += usize::from(r.input);
            s.errors += r.errors();
            s.warnings += r.warnings();
            s.files_with_findings += usize::from(r.input && !r.diagnostics.is_empty());
            s
        })
    }
}
