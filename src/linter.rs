//! Checks one response body, or a whole capture, with the embedded schema or another.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::diagnostic::Diagnostic;
use crate::input::{self, Input};
use crate::openapi::Contract;
use crate::pipeline::{self, Checked, Options};
use crate::schema::{self, Schema};
use crate::source::Source;

/// Checks responses against a compiled schema; build once, use for every input.
///
/// ```
/// use profile_lint::{Code, Linter, Source};
///
/// let linter = Linter::new();
/// // One response body: every finding, ordered by where it is.
/// let body = br#"[{"id": "x", "email": "not an address"}]"#;
/// let found = linter.lint(body);
/// assert!(found.iter().any(|d| d.code == Code::InvalidEmail));
///
/// // A capture of any format, here a raw HTTP response: one report per response it holds.
/// let http = "HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\n\r\n{}";
/// let checked = linter.check_source(Source::new("dump.http", http));
/// let codes: Vec<Code> = checked.reports[0].diagnostics.iter().map(|d| d.code).collect();
/// assert_eq!(codes, [Code::UnexpectedStatus]);
/// ```
#[derive(Debug, Clone)]
pub struct Linter {
    schema: Arc<Schema>,
    /// The OpenAPI document, when the contract is read from it (`--openapi`).
    contract: Option<Arc<Contract>>,
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
        Linter { schema: Arc::new(Schema::embedded()), contract: None, options: Options::default() }
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
        let schema =
            compiled.map_err(|timed_out| vec![pipeline::timed_out_finding(timed_out)])??;
        let schema = Arc::new(schema.watched_by(watch));
        Ok(Linter { schema, contract: None, options: Options::default() })
    }

    /// A linter that reads the contract from the OpenAPI document at `path` (3.0 or 3.1, JSON
    /// or YAML), named `name` in messages: every exchange is checked against the operation
    /// that documents it, and `GET` of the endpoint keeps its rules. A document that cannot be
    /// used is an I006 finding, in the source it is about.
    pub fn with_openapi(path: &Path, name: &str) -> Result<Self, (Source, Vec<Diagnostic>)> {
        let contract = Contract::load(path, name).map_err(|e| (e.source, vec![e.diagnostic]))?;
        Ok(Linter { contract: Some(Arc::new(contract)), ..Linter::new() })
    }

    /// The JSON Schema a response is checked against: with an OpenAPI document, that of
    /// `operation` (`GET /x/` or an operationId; `GET` of the endpoint by default) for
    /// `status` (its success by default) and `media` (its JSON type by default); else the
    /// schema given, or the embedded one.
    pub fn json_schema(
        &self,
        operation: Option<&str>,
        status: Option<u16>,
        media: Option<&str>,
    ) -> Result<serde_json::Value, String> {
        let Some(contract) = &self.contract else { return Ok(self.schema.document().clone()) };
        let name = operation.map_or_else(|| self.options.operation_or_default(), str::to_owned);
        let op = contract
            .named(&name)
            .ok_or_else(|| format!("{} documents no operation {name:?}", contract.name))?;
        contract.selected_schema(op, status, media)
    }

    /// Whether the OpenAPI document documents `operation` (`GET /x/` or an operationId), and
    /// if not, the nearest it does; `Ok` without a document.
    pub fn knows_operation(&self, operation: &str) -> Result<(), Option<String>> {
        let Some(contract) = &self.contract else { return Ok(()) };
        if contract.named(operation).is_some() {
            return Ok(());
        }
        let names: Vec<&str> = contract
            .operations
            .iter()
            .flat_map(|op| [Some(op.label.as_str()), op.id.as_deref()])
            .flatten()
            .collect();
        Err(crate::suggest::closest(operation, &names).map(str::to_owned))
    }

    /// What inputs are checked against.
    fn checks(&self) -> pipeline::Checks<'_> {
        pipeline::Checks {
            schema: &self.schema,
            contract: self.contract.as_deref(),
            options: &self.options,
        }
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
    /// The same linter, reading inputs as `options` says.
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
        let run = |linter: &Linter, bytes: &[u8]| pipeline::lint_bytes(linter.checks(), bytes);
        if self.schema.watch().is_none() {
            return run(self, bytes);
        }
        let bytes = bytes.to_vec();
        self.guarded(move |linter| run(linter, &bytes))
            .unwrap_or_else(|timed_out| vec![pipeline::timed_out_finding(timed_out)])
    }

    /// Reads and checks one input; an unreadable input is a report with that one finding.
    pub fn check(&self, name: String, input: std::io::Result<Input>) -> Checked {
        let report_name = name.clone();
        self.guarded(move |linter| pipeline::check_input(linter.checks(), name, input))
            .unwrap_or_else(|timed_out| Checked::timed_out(report_name, timed_out))
    }

    /// Checks an input already read, in its format.
    pub fn check_source(&self, source: Source) -> Checked {
        let name = source.name.clone();
        self.guarded(move |linter| pipeline::check_source(linter.checks(), source))
            .unwrap_or_else(|timed_out| Checked::timed_out(name, timed_out))
    }
}
