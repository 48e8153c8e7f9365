//! profile-lint checks captured responses of Probely's `GET /profile/` against its documented
//! contract and says, precisely, where a response breaks it.
//!
//! The pipeline: [`input`] (bytes from files, directories, stdin) -> [`json`] (parse, keeping
//! spans, one user at a time) -> [`schema`] (the embedded JSON Schema) -> [`report`].
//! Every stage speaks in [`Diagnostic`]s.
//!
//! ```
//! let linter = profile_lint::Linter::new();
//! let diagnostics = linter.lint(br#"[{"id": "x"}]"#);
//! assert!(diagnostics.iter().any(|d| d.code.as_str() == "S003"));
//! ```

pub mod baseline;
pub mod cli;
pub mod config;
pub mod datetime;
pub mod diagnostic;
pub mod input;
pub mod json;
mod lint;
pub mod redact;
pub mod report;
pub mod rules;
pub mod schema;
pub mod source;
mod suggest;

pub use diagnostic::{Code, Diagnostic, Severity, Span};
pub use report::FileReport;
pub use source::Source;

use chrono::{DateTime, Utc};
use input::Input;
use schema::Schema;

/// Checks responses against a compiled schema; build once, use for every input.
#[derive(Debug)]
pub struct Linter {
    schema: Schema,
    /// When the responses were captured; `None` for "now", read once per input.
    captured: Option<DateTime<Utc>>,
}

impl Default for Linter {
    fn default() -> Self {
        Linter::new()
    }
}

impl Linter {
    /// A linter with the schema derived from the documentation, embedded in the binary.
    pub fn new() -> Self {
        Linter { schema: Schema::embedded(), captured: None }
    }

    /// A linter with another schema; the errors point into `text`.
    pub fn with_schema(text: &str) -> Result<Self, Vec<Diagnostic>> {
        Ok(Linter { schema: Schema::compile(text)?, captured: None })
    }

    /// Judges dates against this capture time instead of the current time.
    #[must_use]
    pub fn captured_at(mut self, captured: DateTime<Utc>) -> Self {
        self.captured = Some(captured);
        self
    }

    /// Every finding in one response body, ordered by where it is.
    pub fn lint(&self, bytes: &[u8]) -> Vec<Diagnostic> {
        lint::lint_bytes(bytes, &self.schema, self.captured.unwrap_or_else(Utc::now))
    }

    /// Reads and checks one input; an unreadable input is a report with that one finding.
    pub fn check(&self, name: String, input: std::io::Result<Input>) -> FileReport {
        match input.and_then(|i| i.load()) {
            Ok(source) => {
                let diagnostics = self.lint(&source.bytes);
                FileReport::new(name, Some(source), diagnostics)
            }
            Err(error) => {
                let diagnostics = vec![input::unreadable(&name, &error)];
                FileReport::new(name, None, diagnostics)
            }
        }
    }
}
