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
mod email;
mod exchange;
pub mod findings;
pub mod input;
pub mod json;
mod lint;
pub mod redact;
pub mod report;
pub mod rules;
pub mod schema;
pub mod source;
mod stream;
mod suggest;
pub mod write;

pub use diagnostic::{Code, Diagnostic, Severity, Span};
pub use report::FileReport;
pub use source::Source;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
pub use exchange::Exchange;
use findings::Findings;
use input::{BodyText, Input, InputFormat, Unit};
use schema::Schema;

/// How inputs are read, and what their requests asked for where an input does not say.
#[derive(Debug, Clone)]
pub struct Options {
    /// The input format; `None` detects it from the name, then the first bytes.
    pub format: Option<InputFormat>,
    /// The endpoint's path: HAR entries are those of `GET` requests to a URL ending in it.
    pub endpoint: String,
    /// For bodies whose capture says nothing of their request (all but HAR).
    pub exchange: Exchange,
    /// Mask people's emails and names in the source and in every finding (`--redact`).
    pub redact: bool,
    /// Response bodies at least this large are read in blocks and checked on every core,
    /// without holding the file in memory.
    pub stream_threshold: u64,
    /// Keep at most this many findings of each code in an input's report; the rest are
    /// counted ([`FileReport::omitted`]). `None` keeps all.
    pub max_per_rule: Option<usize>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            format: None,
            endpoint: "/profile/".to_owned(),
            exchange: Exchange::default(),
            redact: false,
            stream_threshold: stream::THRESHOLD,
            max_per_rule: None,
        }
    }
}

/// The reports of one input (a HAR file has one per entry), and a line about what was skipped.
#[derive(Debug)]
pub struct Checked {
    pub reports: Vec<FileReport>,
    pub note: Option<String>,
}

impl Checked {
    /// The report of an input whose check the schema's time limit stopped.
    fn timed_out(name: String, timed_out: schema::watchdog::TimedOut) -> Checked {
        let diagnostics = vec![timed_out_finding(timed_out)];
        Checked { reports: vec![FileReport::new(name, None, diagnostics)], note: None }
    }
}

/// What a HAR file held for the endpoint, and what was skipped.
fn har_note(name: &str, endpoint: &str, entries: &input::har::Entries) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut skipped = Vec::new();
    if entries.skipped.other > 0 || entries.skipped.redirects + entries.skipped.not_modified == 0 {
        skipped.push(plural(entries.skipped.other, "other", "others"));
    }
    if entries.skipped.redirects > 0 {
        skipped.push(plural(entries.skipped.redirects, "redirect hop", "redirect hops"));
    }
    if entries.skipped.not_modified > 0 {
        skipped.push(format!("{} 304 Not Modified (no body)", entries.skipped.not_modified));
    }
    format!(
        "{name}: checked {} GET {endpoint} {}, skipped {}",
        entries.matched,
        if entries.matched == 1 { "entry" } else { "entries" },
        skipped.join(", ")
    )
}

fn timed_out_finding(timed_out: schema::watchdog::TimedOut) -> Diagnostic {
    Diagnostic::new(Code::InvalidSchema, timed_out.message()).with_help(timed_out.help())
}

/// Checks responses against a compiled schema; build once, use for every input.
#[derive(Debug, Clone)]
pub struct Linter {
    schema: Arc<Schema>,
    options: Options,
}

impl Default for Linter {
    fn default() -> Self {
        Linter::new()
    }
}

impl Linter {
    /// A linter with the schema derived from the documentation, embedded in the binary.
    pub fn new() -> Self {
        Linter { schema: Arc::new(Schema::embedded()), options: Options::default() }
    }

    /// A linter with another schema; the errors point into `text`. Compiling it, and
    /// validating any one value with it, may take at most ten seconds: see
    /// [`Linter::with_schema_limit`].
    pub fn with_schema(text: &str) -> Result<Self, Vec<Diagnostic>> {
        Linter::with_schema_limit(text, schema::watchdog::DEFAULT_LIMIT)
    }

    /// A linter with another schema, which may take at most `limit` to compile and to
    /// validate any one value. An untrusted schema can take hours; past the limit, compiling
    /// fails with an I002 finding, and so does the check of the input that was being
    /// validated and of every input after it. The validation that ran over is left to finish
    /// on a thread of its own (it cannot be interrupted): a process that got such a finding
    /// should not go on using this linter.
    pub fn with_schema_limit(text: &str, limit: Duration) -> Result<Self, Vec<Diagnostic>> {
        let watch = schema::watchdog::Watch::new(limit);
        let text = text.to_owned();
        let compiled = watch.run(Some(limit), move || Schema::compile(&text));
        let schema = compiled.map_err(|timed_out| vec![timed_out_finding(timed_out)])??;
        Ok(Linter { schema: Arc::new(schema.watched_by(watch)), options: Options::default() })
    }

    /// Runs `work` with this linter, on a watched thread when the schema is watched; a
    /// time-out is `Err`.
    fn guarded<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Linter) -> T + Send + 'static,
    ) -> Result<T, schema::watchdog::TimedOut> {
        match self.schema.watch() {
            None => Ok(work(self)),
            Some(watch) => {
                let linter = self.clone();
                watch.run(None, move || work(&linter))
            }
        }
    }

    #[must_use]
    pub fn with_options(mut self, mut options: Options) -> Self {
        // `--endpoint https://api.probely.com/profile/` means its path.
        if options.endpoint.contains("://") {
            options.endpoint = input::capture::url_path(&options.endpoint).to_owned();
        }
        self.options = options;
        self
    }

    /// Judges dates against this capture time instead of the current time.
    #[must_use]
    pub fn captured_at(mut self, captured: DateTime<Utc>) -> Self {
        self.options.exchange.captured = Some(captured);
        self
    }

    /// Every finding in one response body, ordered by where it is.
    pub fn lint(&self, bytes: &[u8]) -> Vec<Diagnostic> {
        let run = |linter: &Linter, bytes: &[u8]| {
            lint::lint_bytes(bytes, &linter.schema, &linter.options.exchange, None, None).finish().0
        };
        if self.schema.watch().is_none() {
            return run(self, bytes);
        }
        let bytes = bytes.to_vec();
        self.guarded(move |linter| run(linter, &bytes))
            .unwrap_or_else(|timed_out| vec![timed_out_finding(timed_out)])
    }

    /// Reads and checks one input; an unreadable input is a report with that one finding.
    pub fn check(&self, name: String, input: std::io::Result<Input>) -> Checked {
        let report_name = name.clone();
        self.guarded(move |linter| linter.check_now(name, input))
            .unwrap_or_else(|timed_out| Checked::timed_out(report_name, timed_out))
    }

    /// Checks an input already read, in its format.
    pub fn check_source(&self, source: Source) -> Checked {
        let name = source.name.clone();
        self.guarded(move |linter| linter.check_source_now(source))
            .unwrap_or_else(|timed_out| Checked::timed_out(name, timed_out))
    }

    fn check_now(&self, name: String, input: std::io::Result<Input>) -> Checked {
        if let Ok(Input::File(path)) = &input
            && let Some(report) = self.check_large(&name, path)
        {
            return Checked { reports: vec![report], note: None };
        }
        match input.and_then(|i| i.load()) {
            Ok(source) => self.check_source_now(source),
            Err(error) => {
                let diagnostics = vec![input::unreadable(&name, &error)];
                let report =
                    FileReport { responses: 0, ..FileReport::new(name, None, diagnostics) };
                Checked { reports: vec![report], note: None }
            }
        }
    }

    /// A large response body, checked in blocks from disk; `None` when it is not one, or must be
    /// checked whole after all.
    fn check_large(&self, name: &str, path: &std::path::Path) -> Option<FileReport> {
        use std::io::Read;
        if std::fs::metadata(path).ok()?.len() < self.options.stream_threshold {
            return None;
        }
        let mut head = Vec::with_capacity(4096);
        std::fs::File::open(path).ok()?.take(4096).read_to_end(&mut head).ok()?;
        let format = self.options.format.unwrap_or_else(|| InputFormat::detect(name, &head));
        if format != InputFormat::Json {
            return None;
        }
        // The request terms given on the command line; each block adds its users' values.
        let personal = self.options.redact.then(|| {
            let mut personal = redact::Personal::new();
            self.request_terms(&self.options.exchange, None, &mut personal);
            personal
        });
        let streamed = stream::lint_file(
            path,
            &self.schema,
            &self.options.exchange,
            self.options.max_per_rule,
            personal.as_ref(),
        )?;
        Some(FileReport {
            disk: Some(path.to_path_buf()),
            redacted: personal.map(|_| streamed.blocks),
            ..FileReport::found(name, None, streamed.findings)
        })
    }

    fn check_source_now(&self, source: Source) -> Checked {
        let format =
            self.options.format.unwrap_or_else(|| InputFormat::detect(&source.name, &source.bytes));
        if format == InputFormat::Json {
            let mut personal = self.options.redact.then(redact::Personal::new);
            let findings = lint::lint_bytes(
                &source.bytes,
                &self.schema,
                &self.options.exchange,
                self.options.max_per_rule,
                personal.as_mut(),
            );
            let (mut diagnostics, omitted) = findings.finish();
            let mut source = source;
            if let Some(mut personal) = personal {
                self.request_terms(&self.options.exchange, Some(&source), &mut personal);
                redact::apply(&mut source, &personal, &mut diagnostics);
            }
            let report = FileReport::new(source.name.clone(), Some(source), diagnostics);
            return Checked { reports: vec![FileReport { omitted, ..report }], note: None };
        }
        let mut diagnostics = Vec::new();
        let text = if format == InputFormat::Http {
            // A raw response's body may be compressed bytes: only its head must be text.
            Some(source::utf8_prefix(&source.bytes))
        } else {
            lint::decode(&source.bytes, &mut diagnostics)
        };
        let Some(text) = text else {
            return Checked {
                reports: vec![FileReport::new(source.name.clone(), Some(source), diagnostics)],
                note: None,
            };
        };
        let exchange = &self.options.exchange;
        let (units, note, skipped) = match format {
            InputFormat::Har => {
                let entries = input::har::units(&source, text, &self.options.endpoint);
                let note = har_note(&source.name, &self.options.endpoint, &entries);
                (entries.units, Some(note), entries.skipped)
            }
            InputFormat::Http => {
                (vec![input::http::unit(&source, exchange.clone())], None, Default::default())
            }
            _ => (vec![input::jsonl::unit(&source, text, exchange)], None, Default::default()),
        };
        let mut reports: Vec<FileReport> =
            units.into_iter().map(|unit| self.check_unit(unit)).collect();
        // The entries of a HAR file share its text: find every finding's line and column in
        // one pass over it, not one pass an entry.
        let mut shared: Vec<(usize, usize, usize)> = Vec::new();
        for (r, report) in reports.iter().enumerate().filter(|(_, r)| r.in_file) {
            for (i, d) in report.diagnostics.iter().enumerate() {
                if let Some(span) = d.span {
                    shared.push((span.offset, r, i));
                }
            }
        }
        shared.sort_unstable();
        let offsets: Vec<usize> = shared.iter().map(|(o, ..)| *o).collect();
        for ((_, r, i), at) in shared.iter().zip(source::line_columns(text, &offsets)) {
            reports[*r].diagnostics[*i].at = Some(at);
        }
        if reports.is_empty() {
            let empty = FileReport::new(source.name.clone(), Some(source.clone()), Vec::new());
            reports.push(FileReport { responses: 0, ..empty });
        }
        reports[0].skipped = skipped;
        Checked { reports, note }
    }

    /// With `--redact`, the request's search term is masked too: it is often a person's name
    /// or email. Where `source` is the text the request is written in, the URL's query is
    /// masked in it.
    fn request_terms(
        &self,
        exchange: &Exchange,
        source: Option<&Source>,
        personal: &mut redact::Personal,
    ) {
        // `ordering` names fields of the user, which are not personal: only the search term is.
        for (term, span) in exchange.search.iter() {
            let written = span
                .zip(source)
                .and_then(|(span, source)| {
                    let written = source.bytes.get(span.offset..span.end())?;
                    // A URL's query, or a HAR `queryString` value: a JSON string of its own.
                    let start = match written.iter().position(|&b| b == b'?') {
                        Some(query) => query + 1,
                        None => usize::from(written.first() == Some(&b'"')),
                    };
                    Some(span.offset + start..span.end() - 1)
                })
                .unwrap_or(0..0);
            personal.add_term(written, term);
        }
    }

    fn check_unit(&self, unit: Unit) -> FileReport {
        let mut out = Findings::new(self.options.max_per_rule);
        out.list().extend(unit.diagnostics);
        let mut personal = self.options.redact.then(redact::Personal::new);
        // Only a body that is a range of the source needs the source to be text.
        let in_source = unit.bodies.iter().any(|b| matches!(b.text, BodyText::Source(_)));
        let text = match std::str::from_utf8(&unit.source.bytes) {
            Ok(text) => Some(text),
            Err(_) if in_source => lint::decode(&unit.source.bytes, out.list()),
            Err(_) => None,
        };
        let mut requests = Vec::new();
        for mut body in unit.bodies {
            body.exchange.skip.clone_from(&self.options.exchange.skip);
            if let Some(personal) = personal.as_mut() {
                // Where the URL is written is in the HAR file, not in a decoded body.
                let source = unit.in_file.then_some(&unit.source);
                self.request_terms(&body.exchange, source, personal);
            }
            // The lines of a JSON Lines file share one request: say so once.
            if !requests.contains(&body.exchange.ordering) {
                let mut found = Vec::new();
                lint::check_request(&body.exchange, &mut found);
                if !unit.in_file {
                    // The request is in the HAR file; this source is a decoded body.
                    found.iter_mut().for_each(|d| d.span = None);
                }
                out.list().extend(found);
                requests.push(body.exchange.ordering.clone());
            }
            match (body.text, text) {
                (BodyText::Source(range), Some(text)) => {
                    let (schema, exchange) = (&self.schema, &body.exchange);
                    lint::lint_body(text, range, schema, exchange, &mut out, personal.as_mut());
                }
                (BodyText::Decoded { text, map }, _) => {
                    let mut found = Findings::new(out.limit());
                    let mut part = personal.as_ref().map(|_| redact::Personal::new());
                    let (schema, exchange) = (&self.schema, &body.exchange);
                    let whole = 0..text.len();
                    lint::lint_body(&text, whole, schema, exchange, &mut found, part.as_mut());
                    found.list().iter_mut().for_each(|d| lint::remap(d, &map));
                    out.absorb(found);
                    if let (Some(personal), Some(part)) = (personal.as_mut(), part) {
                        personal.absorb_mapped(part, &map);
                    }
                }
                (BodyText::Source(_), None) => {}
            }
        }
        let (mut out, omitted) = out.finish();
        let mut source = unit.source;
        if let Some(personal) = personal {
            redact::apply(&mut source, &personal, &mut out);
        }
        FileReport {
            in_file: unit.in_file,
            omitted,
            responses: unit.responses,
            ..FileReport::new(unit.name, Some(source), out)
        }
    }
}
