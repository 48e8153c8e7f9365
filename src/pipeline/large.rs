//! Inputs too large to hold (see [`super::Options::stream_threshold`]), checked from disk a piece at a
//! time, with the very reports a whole read gives: a response body and a JSON Lines file in
//! blocks on every core (`crate::stream`), a HAR file an entry at a time, and the body of a
//! raw HTTP response as a body. Code frames are read back from the file around each finding.
//!
//! Anything unusual makes these give up (`None`): the input is then read whole and reported
//! as always.

use std::io::Read;
use std::path::Path;

use super::{Checked, Checks, check_unit, contract, request_terms};
use crate::body::{self, Against};
use crate::findings::Findings;
use crate::input::{self, InputFormat};
use crate::redact::Personal;
use crate::report::FileReport;
use crate::source;
use crate::stream;

/// A large input, checked from disk; `None` when it is not one, or must be read whole.
pub(super) fn check(checks: Checks<'_>, name: &str, path: &Path) -> Option<Checked> {
    let options = checks.options;
    // Only a regular file: opening a FIFO would block (the whole read refuses it).
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() < options.stream_threshold {
        return None;
    }
    // Read once: enough to tell the format, and to hold the head of a raw HTTP response.
    let mut head = Vec::with_capacity(HEAD);
    std::fs::File::open(path).ok()?.take(HEAD as u64).read_to_end(&mut head).ok()?;
    match options.format.unwrap_or_else(|| InputFormat::detect(name, &head)) {
        InputFormat::Json => body(checks, name, path).map(Checked::one),
        InputFormat::Har => har(checks, name, path),
        InputFormat::Jsonl => json_lines(checks, name, path, &head),
        InputFormat::Http => http(checks, name, path, head),
    }
}

/// A large response body, checked in blocks.
fn body(checks: Checks<'_>, name: &str, path: &Path) -> Option<FileReport> {
    let options = checks.options;
    // The request terms given on the command line; each block adds its users' values.
    let personal = options.redact.then(|| {
        let mut personal = Personal::new();
        request_terms(&options.exchange, None, &mut personal);
        personal
    });
    // With an OpenAPI document, a body of `/profile/` is streamed with the document's schema;
    // one of another operation is checked whole.
    let derived = checks.contract.map(|c| contract::request_less(checks, c));
    let schema = match &derived {
        None => checks.schema,
        Some(selection) => match selection.schema()? {
            Against::Profile(schema) => schema,
            Against::Response(_) => return None,
        },
    };
    let (exchange, limit) = (&options.exchange, options.max_per_rule);
    let threads = options.threads;
    let file = options.progress.reader(std::fs::File::open(path).ok()?);
    let streamed = stream::lint_file(file, 0, schema, exchange, limit, personal.as_ref(), threads)?;
    Some(FileReport {
        disk: Some(path.to_path_buf()),
        redacted: personal.map(|_| streamed.blocks),
        ..FileReport::found(name, None, streamed.findings)
    })
}

/// A large HAR file, an entry at a time: each wanted entry is checked as it is reached, and
/// the others pass by without being kept.
fn har(checks: Checks<'_>, name: &str, path: &Path) -> Option<Checked> {
    // Frames read back from the file would show what `--redact` masks: such a file is read
    // whole.
    if checks.options.redact {
        return None;
    }
    let api = |method: &str, url: &str, json: bool| super::api_entry(checks, method, url, json);
    let wanted = super::har_wanted(checks, &api);
    let mut reports = Vec::new();
    let mut each = |unit| reports.push(check_unit(checks, unit));
    let file = checks.options.progress.reader(std::fs::File::open(path).ok()?);
    let entries = input::har::stream(file, path, name, &wanted, &mut each)?;
    let note = super::har_note(checks, name, &entries);
    let empty = || source::Source::new(name, Vec::new());
    if let Some(file) = super::har_file_unit(&entries, empty) {
        reports.insert(0, check_unit(checks, file));
    }
    place_from_disk(&mut reports, path)?;
    if reports.is_empty() {
        reports.push(FileReport { responses: 0, ..FileReport::new(name, None, Vec::new()) });
    }
    reports[0].skipped = entries.skipped;
    Some(Checked { reports, note: Some(note) })
}

/// A large JSON Lines file, in blocks of lines, each line a body. The same steps as
/// `check_unit` for a unit that records no request.
fn json_lines(checks: Checks<'_>, name: &str, path: &Path, head: &[u8]) -> Option<Checked> {
    let options = checks.options;
    // What the whole read says of the file as such: not UTF-8 text, pretty-printed JSON. (The
    // head may end inside a character: text that is not UTF-8 further on makes a block give
    // up.)
    let text = source::utf8_prefix(head);
    let not_text = body::decode(text.as_bytes(), &mut Findings::new(None)).is_none();
    if options.redact || not_text || input::jsonl::pretty_printed(text) {
        return None;
    }
    let unit = input::Unit::new(source::Source::new(name, Vec::new()));
    let (mut out, selection) = super::prologue(checks, &unit);
    let against = contract::against(checks, selection.as_ref())?;
    let exchange = &options.exchange;
    if matches!(against, Against::Profile(_)) {
        body::check_request(exchange, &mut out);
    }
    let (limit, threads) = (options.max_per_rule, options.threads);
    let file = options.progress.reader(std::fs::File::open(path).ok()?);
    let lines = stream::lint_lines(file, against, exchange, limit, threads)?;
    out.absorb(lines.findings);
    let report = FileReport {
        operation: selection.as_ref().and_then(contract::Selection::label),
        responses: lines.responses,
        disk: Some(path.to_path_buf()),
        ..FileReport::found(name, None, out)
    };
    Some(Checked::one(report))
}

/// A large raw HTTP response (`curl -i`) whose body is plain JSON text: its head read as
/// usual, its body checked in blocks like a body file's. A body in chunks or compressed is
/// read whole.
fn http(checks: Checks<'_>, name: &str, path: &Path, head: Vec<u8>) -> Option<Checked> {
    let options = checks.options;
    let head = source::Source::new(name, head);
    let mut unit = input::http::unit(&head, options.exchange.clone(), checks.contract.is_some());
    let start = match unit.bodies.as_slice() {
        [input::Body { text: input::BodyText::Source(range), .. }] => range.start,
        _ => return None,
    };
    if options.redact || !unit.diagnostics.is_empty() {
        return None;
    }
    unit.bodies.clear();
    let (mut out, selection) = super::prologue(checks, &unit);
    let Some(Against::Profile(schema)) = contract::against(checks, selection.as_ref()) else {
        return None;
    };
    // What the head's rules found is placed in the head, which is at hand.
    stream::place_in_block(out.since(0), &head.text(), 0, None);
    let (exchange, limit) = (&options.exchange, options.max_per_rule);
    let file = options.progress.reader(std::fs::File::open(path).ok()?);
    let streamed = stream::lint_file(file, start, schema, exchange, limit, None, options.threads)?;
    out.absorb(streamed.findings);
    let report = FileReport {
        operation: selection.as_ref().and_then(contract::Selection::label),
        disk: Some(path.to_path_buf()),
        ..FileReport::found(name, None, out)
    };
    Some(Checked::one(report))
}

/// How much of a large input is read first: enough to tell its format, and more than any
/// server writes as the head of a raw HTTP response.
const HEAD: usize = 64 << 10;

/// Gives every finding in the file its line and column, in one more pass over the file, and
/// has the reports' frames read from it.
fn place_from_disk(reports: &mut [FileReport], path: &Path) -> Option<()> {
    for report in reports.iter_mut().filter(|r| r.in_file) {
        report.source = None;
        report.disk = Some(path.to_path_buf());
    }
    let file = std::io::BufReader::new(std::fs::File::open(path).ok()?);
    super::place_shared(reports, |offsets| source::line_columns_read(file, offsets).ok())
}
