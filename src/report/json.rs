//! `--format json`: one document with every finding, for machines. The shape is versioned.

use std::io::{self, Write};

use serde::Serialize;

use super::{FileReport, Summary};

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    files: Vec<File<'a>>,
    summary: serde_json::Value,
}

#[derive(Serialize)]
struct File<'a> {
    path: &'a str,
    /// With `--openapi`, the operation that documents the exchange.
    #[serde(skip_serializing_if = "Option::is_none")]
    operation: Option<&'a str>,
    diagnostics: Vec<Finding<'a>>,
    /// Present when findings of a code were counted but not kept (`--max-per-rule`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    omitted: Vec<Omitted>,
}

#[derive(Serialize)]
struct Omitted {
    code: &'static str,
    severity: &'static str,
    count: usize,
}

#[derive(Serialize)]
struct Finding<'a> {
    code: &'static str,
    severity: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    pointer: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    offset: Option<usize>,
    length: Option<usize>,
}

/// Version 2 counts inputs, responses and skipped HAR entries in `summary`, where version 1
/// had `files`, which counted responses.
pub fn write(reports: &[FileReport], summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
    let files = reports.iter().map(file).collect();
    let document = Document { version: 2, files, summary: summary.to_json() };
    serde_json::to_writer(&mut *out, &document)?;
    writeln!(out)
}

fn file(report: &FileReport) -> File<'_> {
    let positions = report.positions();
    let diagnostics = report
        .diagnostics
        .iter()
        .zip(positions)
        .map(|(d, at)| {
            let (line, column) = at.unzip();
            Finding {
                code: d.code.as_str(),
                severity: d.severity.as_str(),
                message: &d.message,
                help: d.help.as_deref(),
                pointer: d.pointer.as_deref(),
                line,
                column,
                offset: d.span.map(|s| s.offset),
                length: d.span.map(|s| s.len),
            }
        })
        .collect();
    let omitted = report
        .omitted
        .iter()
        .map(|o| Omitted { code: o.code.as_str(), severity: o.severity.as_str(), count: o.count })
        .collect();
    File { path: &report.name, operation: report.operation.as_deref(), diagnostics, omitted }
}
