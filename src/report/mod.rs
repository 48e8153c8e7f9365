//! One reporter per format, all fed by the same [`FileReport`]s.

mod frame;
mod github;
mod human;
mod json;
mod junit;
pub mod rules;
mod sarif;

use std::io::{self, Write};

use crate::diagnostic::{Diagnostic, Severity};
pub use crate::exchange::Skipped;
use crate::findings::{Findings, Omitted};
use crate::source::{Source, line_columns};

pub use human::{HumanOptions, summary_line};

/// The findings for one input, with its source when it could be read.
#[derive(Debug)]
pub struct FileReport {
    /// The path as given, or `<stdin>`.
    pub name: String,
    /// The text frames are shown from; `None` when the input could not be read.
    pub source: Option<Source>,
    /// The findings kept, in the order of the text.
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
    /// Responses checked under this name: one for a body, a HAR entry or a raw HTTP
    /// response, one a line for JSON Lines, none for a file that could not be read.
    pub responses: usize,
    /// HAR entries of the input passed over, on the input's first report only.
    pub skipped: Skipped,
    /// With an OpenAPI document, the operation that documents the exchange
    /// (`GET /targets/{target_id}/`).
    pub operation: Option<String>,
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
            responses: 1,
            skipped: Skipped::default(),
            operation: None,
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
        FileReport { input: false, responses: 0, ..FileReport::new(name, source, diagnostics) }
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

    /// The name with the operation, when there is one: `file.har#entries[3] GET /x/`.
    pub fn title(&self) -> String {
        match &self.operation {
            Some(operation) => format!("{} {operation}", self.name),
            None => self.name.clone(),
        }
    }

    /// A finding's message and help in one text, for formats with one message field, with the
    /// HAR entry (and the operation) when the file is named without it.
    pub fn full_message(&self, d: &Diagnostic) -> String {
        let place = [self.entry(), self.operation.as_deref()];
        let place: Vec<&str> = place.into_iter().flatten().collect();
        let entry = if place.is_empty() { String::new() } else { format!("{}: ", place.join(" ")) };
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

    /// The findings at error level, counted ones included.
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    /// The findings at warning level, counted ones included.
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
/// A report format, as `--format` names it.
pub enum Format {
    /// Code frames for people.
    Human(HumanOptions),
    /// One JSON document for machines.
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// JUnit XML, for CI test reports.
    Junit,
    /// GitHub Actions workflow commands (annotations).
    Github,
}

/// Writes every report in `format`, with the totals of the run.
pub fn write(
    format: Format,
    reports: &[FileReport],
    summary: &Summary,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human(options) => human::write(reports, summary, options, out),
        Format::Json => json::write(reports, summary, out),
        Format::Sarif => sarif::write(reports, summary, out),
        Format::Junit => junit::write(reports, summary, out),
        Format::Github => github::write(reports, summary, out),
    }
}

/// A line for the person at the terminal about what the run did besides checking (a
/// baseline written or applied); it goes to stderr, so machine formats on stdout stay clean.
pub fn note(text: &str) {
    // A closed stderr is no reason to stop (`eprintln!` would panic).
    let _ = writeln!(io::stderr(), "profile-lint: {text}");
}

/// Totals over all reports, and what a baseline did with the findings it holds.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Inputs checked: files, or standard input. The reports of one input follow each other
    /// and name the same file (a HAR file's entries).
    pub inputs: usize,
    /// Inputs with at least one finding.
    pub inputs_with_findings: usize,
    /// Responses checked (a HAR file holds many, a plain body one).
    pub responses: usize,
    /// HAR entries passed over, by why.
    pub skipped: Skipped,
    /// Findings at error level.
    pub errors: usize,
    /// Findings at warning level.
    pub warnings: usize,
    /// The baseline the run read or wrote, if any.
    pub baseline: Option<BaselineUse>,
    /// Why no capture was checked, when a file the run needs cannot be used (`the schema
    /// s.json cannot be used`).
    pub not_checked: Option<String>,
}

/// A baseline read (`--baseline`) or written (`--write-baseline`) by the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaselineUse {
    /// As given on the command line.
    pub path: String,
    /// Whether the run wrote it (`--write-baseline`) rather than read it.
    pub written: bool,
    /// Errors and warnings accepted by the baseline (read), or recorded in it (written).
    pub errors: usize,
    /// Warnings accepted or recorded, as `errors` are.
    pub warnings: usize,
}

impl Summary {
    /// The totals of `reports`.
    pub fn of(reports: &[FileReport]) -> Summary {
        let mut s = Summary::default();
        let mut previous: Option<&str> = None;
        let mut with_findings = false;
        for r in reports.iter().filter(|r| r.input) {
            if previous != Some(r.file()) {
                s.inputs += 1;
                s.inputs_with_findings += usize::from(with_findings);
                with_findings = false;
                previous = Some(r.file());
            }
            with_findings |= !r.diagnostics.is_empty() || !r.omitted.is_empty();
            s.responses += r.responses;
            s.skipped.add(r.skipped);
        }
        s.inputs_with_findings += usize::from(with_findings);
        for r in reports {
            s.errors += r.errors();
            s.warnings += r.warnings();
        }
        s
    }

    /// The same, with the baseline the run used.
    pub fn with_baseline(self, baseline: Option<BaselineUse>) -> Summary {
        Summary { baseline, ..self }
    }

    /// The totals of a run that stopped before checking any capture, and why.
    pub fn not_checked(self, why: String) -> Summary {
        Summary { not_checked: Some(why), ..self }
    }

    /// What every format says of a run that checked nothing.
    pub fn not_checked_sentence(&self) -> Option<String> {
        self.not_checked.as_ref().map(|why| format!("no capture was checked: {why}"))
    }
    /// The totals as machine formats carry them (the JSON report's `summary`, SARIF's run
    /// properties).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "inputs": self.inputs,
            "inputs_with_findings": self.inputs_with_findings,
            "responses": self.responses,
            "skipped": {
                "other_requests": self.skipped.other,
                "redirects": self.skipped.redirects,
                "not_modified": self.skipped.not_modified,
            },
            "errors": self.errors,
            "warnings": self.warnings,
            "baseline": self.baseline.as_ref().map(|b| serde_json::json!({
                "path": b.path,
                "action": if b.written { "written" } else { "read" },
                "errors": b.errors,
                "warnings": b.warnings,
            })),
            "not_checked": self.not_checked,
        })
    }
}

/// `1234567` as people read it: `1,234,567`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_separated_by_commas() {
        let cases = [(0, "0"), (999, "999"), (1000, "1,000"), (123456, "123,456")];
        for (n, text) in cases.into_iter().chain([(1_000_000, "1,000,000")]) {
            assert_eq!(thousands(n), text);
        }
    }

    #[test]
    fn a_har_file_is_one_input_of_many_responses() {
        let entry = |i: usize, found: bool| {
            let d = found.then(|| Diagnostic::new(crate::Code::InvalidJson, "x"));
            FileReport::new(format!("a.har#entries[{i}]"), None, d.into_iter().collect())
        };
        let mut first = entry(0, false);
        first.skipped.other = 2;
        let reports = [first, entry(1, true), FileReport::new("b.json", None, Vec::new())];
        let summary = Summary::of(&reports);
        assert_eq!((summary.inputs, summary.inputs_with_findings, summary.responses), (2, 1, 3));
        assert_eq!(summary.skipped, Skipped { other: 2, ..Skipped::default() });
    }
}
