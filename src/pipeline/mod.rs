//! The pipeline for one input: load it, read its format into units (a HAR entry, a raw
//! response, a JSON Lines file), run the rules of the capture and the exchange, check each body
//! (`crate::body`, or `crate::stream` for a large one), and make the reports.

use crate::body::{self, Against};
use crate::diagnostic::{Code, Diagnostic};
use crate::exchange::Exchange;
use crate::findings::Findings;
use crate::input::{self, BodyText, Input, InputFormat, Unit};
use crate::openapi::Contract;
use crate::redact::{self, Personal};
use crate::report::{FileReport, Skipped};
use crate::rules;
use crate::schema::{self, Schema};
use crate::source::{self, Source};
use crate::stream;

mod contract;
mod large;

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
    /// How many threads check the blocks of a large body; `None` is the available cores.
    pub threads: Option<std::num::NonZeroUsize>,
    /// Keep at most this many findings of each code in an input's report; the rest are
    /// counted ([`FileReport::omitted`]). `None` keeps all.
    pub max_per_rule: Option<usize>,
    /// With an OpenAPI document, the operation of captures that do not record their request
    /// (a body, `curl -i`, JSON Lines): `GET /targets/{target_id}/` or an `operationId`.
    /// `None` is `GET` of the endpoint.
    pub operation: Option<String>,
    /// Counts the bytes of input read, for a progress bar.
    pub progress: crate::progress::Progress,
}

impl Options {
    /// The operation of captures that do not record their request: `--operation`, else `GET`
    /// of the endpoint.
    pub(crate) fn operation_or_default(&self) -> String {
        self.operation.clone().unwrap_or_else(|| format!("GET {}", self.endpoint))
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            format: None,
            endpoint: "/profile/".to_owned(),
            exchange: Exchange::default(),
            redact: false,
            stream_threshold: stream::THRESHOLD,
            threads: None,
            max_per_rule: None,
            operation: None,
            progress: crate::progress::Progress::default(),
        }
    }
}

/// The reports of one input (a HAR file has one per entry), and a line about what was skipped.
#[derive(Debug)]
pub struct Checked {
    /// A report per unit of the input: the file, or a HAR file's entries (the file's own
    /// first, when there is something to say of it).
    pub reports: Vec<FileReport>,
    /// What a HAR file held for the endpoint and what was skipped, for `--verbose`.
    pub note: Option<String>,
}

impl Checked {
    fn one(report: FileReport) -> Checked {
        Checked { reports: vec![report], note: None }
    }

    /// The report of an input whose check the schema's time limit stopped.
    pub(crate) fn timed_out(name: String, timed_out: schema::watchdog::TimedOut) -> Checked {
        let diagnostics = vec![timed_out_finding(timed_out)];
        Checked::one(FileReport::new(name, None, diagnostics))
    }
}

pub(crate) fn timed_out_finding(timed_out: schema::watchdog::TimedOut) -> Diagnostic {
    Diagnostic::new(Code::InvalidSchema, timed_out.message()).with_help(timed_out.help())
}

/// What inputs are checked against, and how they are read.
#[derive(Clone, Copy)]
pub(crate) struct Checks<'a> {
    /// The schema of `/profile/` (embedded, or `--schema`), without an OpenAPI document.
    pub schema: &'a Schema,
    /// The OpenAPI document (`--openapi`), whose operations give every schema.
    pub contract: Option<&'a Contract>,
    pub options: &'a Options,
}

/// Reads and checks one input; an unreadable input is a report with that one finding.
pub(crate) fn check_input(
    checks: Checks<'_>,
    name: String,
    input: std::io::Result<Input>,
) -> Checked {
    if let Ok(Input::File(path)) = &input
        && let Some(checked) = large::check(checks, &name, path)
    {
        return checked;
    }
    match input.and_then(|i| i.load()) {
        Ok(source) => {
            checks.options.progress.add(source.bytes.len() as u64);
            check_source(checks, source)
        }
        Err(error) => {
            let diagnostics = vec![input::unreadable(&name, &error)];
            Checked::one(FileReport { responses: 0, ..FileReport::new(name, None, diagnostics) })
        }
    }
}

/// Checks an input already read, in its format.
pub(crate) fn check_source(checks: Checks<'_>, source: Source) -> Checked {
    let options = checks.options;
    let format = options.format.unwrap_or_else(|| InputFormat::detect(&source.name, &source.bytes));
    if format == InputFormat::Json {
        return Checked::one(check_body_file(checks, source));
    }
    let mut found = Findings::new(None);
    let text = if format == InputFormat::Http {
        // A raw response's body may be compressed bytes: only its head must be text.
        Some(source::utf8_prefix(&source.bytes))
    } else {
        body::decode(&source.bytes, &mut found)
    };
    let Some(text) = text else {
        let diagnostics = found.finish().0;
        return Checked::one(FileReport::new(source.name.clone(), Some(source), diagnostics));
    };
    let (units, note, skipped) = units(checks, &source, text, format);
    let mut reports: Vec<FileReport> =
        units.into_iter().map(|unit| check_unit(checks, unit)).collect();
    place_in_shared_text(&mut reports, text);
    if reports.is_empty() {
        let empty = FileReport::new(source.name.clone(), Some(source.clone()), Vec::new());
        reports.push(FileReport { responses: 0, ..empty });
    }
    reports[0].skipped = skipped;
    Checked { reports, note }
}

/// Every finding in one response body, ordered by where it is.
pub(crate) fn lint_bytes(checks: Checks<'_>, bytes: &[u8]) -> Vec<Diagnostic> {
    body_file_findings(checks, bytes, None, None).0.finish().0
}

/// A file that is one response body.
fn check_body_file(checks: Checks<'_>, mut source: Source) -> FileReport {
    let options = checks.options;
    let mut personal = options.redact.then(Personal::new);
    let limit = options.max_per_rule;
    let (findings, operation) = body_file_findings(checks, &source.bytes, limit, personal.as_mut());
    let (mut diagnostics, omitted) = findings.finish();
    if let Some(mut personal) = personal {
        request_terms(&options.exchange, Some(&source), &mut personal);
        redact::apply(&mut source, &personal, &mut diagnostics);
    }
    let report = FileReport::new(source.name.clone(), Some(source), diagnostics);
    FileReport { omitted, operation, ..report }
}

/// The findings of one response body (at most `limit` of each code), and with an OpenAPI
/// document, the operation that documents it.
fn body_file_findings(
    checks: Checks<'_>,
    bytes: &[u8],
    limit: Option<usize>,
    personal: Option<&mut Personal>,
) -> (Findings, Option<String>) {
    let exchange = &checks.options.exchange;
    let mut selection = checks.contract.map(|c| contract::request_less(checks, c));
    let said = selection.as_mut().map(contract::Selection::take_findings).unwrap_or_default();
    let mut findings = match contract::against(checks, selection.as_ref()) {
        Some(against) => body::lint_bytes(bytes, against, exchange, limit, personal),
        None => Findings::new(limit),
    };
    findings.extend(said);
    (findings, selection.as_ref().and_then(contract::Selection::label))
}

/// The units of a capture in `format` (not a plain body), a line on what a HAR held, and the
/// HAR entries skipped.
fn units(
    checks: Checks<'_>,
    source: &Source,
    text: &str,
    format: InputFormat,
) -> (Vec<Unit>, Option<String>, Skipped) {
    let options = checks.options;
    let exchange = &options.exchange;
    match format {
        InputFormat::Har => {
            let api = |method: &str, url: &str, json: bool| api_entry(checks, method, url, json);
            let wanted = har_wanted(checks, &api);
            let mut entries = input::har::units(source, text, &wanted);
            let note = har_note(checks, &source.name, &entries);
            if let Some(file) = har_file_unit(&entries, || source.clone()) {
                entries.units.insert(0, file);
            }
            (entries.units, Some(note), entries.skipped)
        }
        InputFormat::Http => {
            let any_status = checks.contract.is_some();
            let unit = input::http::unit(source, exchange.clone(), any_status);
            (vec![unit], None, Skipped::default())
        }
        // A body is checked before units are made (see `check_source`).
        InputFormat::Jsonl | InputFormat::Json => {
            (vec![input::jsonl::unit(source, text, exchange)], None, Skipped::default())
        }
    }
}

/// Whether a HAR entry is one of the API of the OpenAPI document: a CORS preflight
/// (`OPTIONS`) is the browser's, unless the document has the operation.
fn api_entry(checks: Checks<'_>, method: &str, url: &str, json: bool) -> bool {
    checks.contract.is_some_and(|c| {
        c.serves(url, json)
            && (!method.eq_ignore_ascii_case("OPTIONS")
                || matches!(c.operation(method, crate::exchange::url_path(url)), Some(Some(_))))
    })
}

/// Which entries of a HAR file are checked: `api`'s with an OpenAPI document, else the
/// endpoint's.
fn har_wanted<'a>(
    checks: Checks<'a>,
    api: &'a dyn Fn(&str, &str, bool) -> bool,
) -> input::har::Wanted<'a> {
    match checks.contract {
        Some(_) => input::har::Wanted::Api(api),
        None => input::har::Wanted::Endpoint(&checks.options.endpoint),
    }
}

/// The unit of a HAR file itself, when the rules of the capture find something.
fn har_file_unit(entries: &input::har::Entries, source: impl FnOnce() -> Source) -> Option<Unit> {
    let capture = entries.capture.as_ref()?;
    let mut found = Findings::new(None);
    rules::capture(capture, &mut found);
    (!found.is_empty()).then(|| Unit::file(source(), found.finish().0))
}

/// The entries of a HAR file share its text: finds every finding's line and column in one
/// pass over it, not one pass an entry.
fn place_in_shared_text(reports: &mut [FileReport], text: &str) {
    place_shared(reports, |offsets| Some(source::line_columns(text, offsets)));
}

/// Gives the findings of the reports whose positions are in the file their line and column,
/// from `places`, which finds those of sorted offsets in one pass over the file; `None` when
/// it cannot.
fn place_shared(
    reports: &mut [FileReport],
    places: impl FnOnce(&[usize]) -> Option<Vec<(usize, usize)>>,
) -> Option<()> {
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
    for ((_, r, i), at) in shared.iter().zip(places(&offsets)?) {
        reports[*r].diagnostics[*i].at = Some(at);
    }
    Some(())
}

/// What a HAR file held of what is checked (`GET /profile/ entries`), and what was skipped.
fn har_note(checks: Checks<'_>, name: &str, entries: &input::har::Entries) -> String {
    let checked = match checks.contract {
        Some(contract) => format!("entries of the API of {}", contract.name),
        None => format!("GET {} entries", checks.options.endpoint),
    };
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
    let checked = match entries.matched {
        // One entry is written as such: `GET /profile/ entry`.
        1 => checked.replacen("entries", "entry", 1),
        _ => checked,
    };
    format!("{name}: checked {} {checked}, skipped {}", entries.matched, skipped.join(", "))
}

/// With `--redact`, the request's search term is masked too: it is often a person's name
/// or email. Where `source` is the text the request is written in, the URL's query is
/// masked in it.
fn request_terms(exchange: &Exchange, source: Option<&Source>, personal: &mut Personal) {
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

/// What is found of a unit before its bodies are read: the endpoint's rules of the exchange,
/// and with an OpenAPI document, what it says of the operation, which it selects.
fn prologue(checks: Checks<'_>, unit: &Unit) -> (Findings, Option<contract::Selection>) {
    let mut out = Findings::new(checks.options.max_per_rule);
    let mut selection = checks.contract.map(|c| contract::select(checks, c, unit));
    // The endpoint's own exchange rules, without a document or for its own operation.
    if let Some(http) = &unit.http
        && selection.as_ref().is_none_or(|s| s.profile)
    {
        rules::exchange(http, &mut out);
    }
    out.extend(selection.as_mut().map(contract::Selection::take_findings).unwrap_or_default());
    (out, selection)
}

/// Checks one unit: the rules of its capture and exchange, then each of its bodies.
fn check_unit(checks: Checks<'_>, mut unit: Unit) -> FileReport {
    let options = checks.options;
    let (mut out, selection) = prologue(checks, &unit);
    let against = contract::against(checks, selection.as_ref());
    if !unit.in_file {
        // The status and headers are in the capture; this source is a decoded body.
        out.since(0).iter_mut().for_each(|d| d.span = None);
    }
    out.extend(std::mem::take(&mut unit.diagnostics));
    let mut personal = options.redact.then(Personal::new);
    match against {
        Some(against) => check_bodies(checks, against, &mut unit, &mut out, personal.as_mut()),
        None => unit.bodies.clear(),
    }
    let (mut out, omitted) = out.finish();
    let mut source = unit.source;
    if let Some(personal) = personal {
        redact::apply(&mut source, &personal, &mut out);
    }
    FileReport {
        in_file: unit.in_file,
        operation: selection.as_ref().and_then(contract::Selection::label),
        omitted,
        responses: unit.responses,
        ..FileReport::new(unit.name, Some(source), out)
    }
}

/// Checks the bodies of a unit: the rules of each one's request (once for the lines of a JSON
/// Lines file, which share one), then the body, in the source or decoded out of it.
fn check_bodies(
    checks: Checks<'_>,
    against: Against<'_>,
    unit: &mut Unit,
    out: &mut Findings,
    mut personal: Option<&mut Personal>,
) {
    let options = checks.options;
    // Only a body that is a range of the source needs the source to be text.
    let in_source = unit.bodies.iter().any(|b| matches!(b.text, BodyText::Source(_)));
    // (A HAR entry's body is decoded out of its string: reading the whole HAR file as text
    // again for each entry would make a recording's check grow with its square.)
    let text = match in_source {
        true => std::str::from_utf8(&unit.source.bytes)
            .ok()
            .or_else(|| body::decode(&unit.source.bytes, out)),
        false => None,
    };
    let bodies = std::mem::take(&mut unit.bodies);
    let mut requests = Vec::new();
    for mut response in bodies {
        response.exchange.skip.clone_from(&options.exchange.skip);
        if let Some(personal) = personal.as_deref_mut() {
            // Where the URL is written is in the HAR file, not in a decoded body.
            let source = unit.in_file.then_some(&unit.source);
            request_terms(&response.exchange, source, personal);
        }
        let request = (response.exchange.ordering.clone(), response.exchange.search.clone());
        if !requests.contains(&request) && matches!(against, Against::Profile(_)) {
            let mark = out.len();
            body::check_request(&response.exchange, out);
            if !unit.in_file {
                // The request is in the HAR file; this source is a decoded body.
                out.since(mark).iter_mut().for_each(|d| d.span = None);
            }
            requests.push(request);
        }
        let exchange = &response.exchange;
        match (response.text, text) {
            (BodyText::Source(range), Some(text)) => {
                body::lint_body(text, range, against, exchange, out, personal.as_deref_mut());
            }
            (BodyText::Decoded { text, map }, _) => {
                let mut found = Findings::new(out.limit());
                let mut part = personal.as_ref().map(|_| Personal::new());
                let whole = 0..text.len();
                body::lint_body(&text, whole, against, exchange, &mut found, part.as_mut());
                found.since(0).iter_mut().for_each(|d| body::remap(d, &map));
                out.absorb(found);
                if let (Some(personal), Some(part)) = (personal.as_deref_mut(), part) {
                    personal.absorb_mapped(part, &map);
                }
            }
            (BodyText::Source(_), None) => {}
        }
    }
}
