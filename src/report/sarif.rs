//! `--format sarif`: SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps).

use std::collections::HashMap;
use std::io::{self, Write};

use serde_json::{Value, json};

use super::{FileReport, Summary};
use crate::diagnostic::{Code, Diagnostic, Severity};

pub fn write(reports: &[FileReport], summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
    let index: HashMap<Code, usize> = Code::ALL.iter().enumerate().map(|(i, c)| (*c, i)).collect();
    let results = reports.iter().flat_map(|report| results(report, &index)).collect();
    let notifications = notifications(reports, summary, &index);
    let document = document(summary, results, notifications);
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

/// One result for each finding kept in `report`.
fn results(report: &FileReport, index: &HashMap<Code, usize>) -> Vec<Value> {
    // The n-th finding of one code at one place keeps its fingerprint across runs.
    let mut seen: HashMap<(Code, Option<&str>), usize> = HashMap::new();
    let mut results = Vec::new();
    for (d, at) in report.diagnostics.iter().zip(report.positions()) {
        let occurrence = seen.entry((d.code, d.pointer.as_deref())).or_insert(0);
        *occurrence += 1;
        results.push(json!({
            "ruleId": d.code.as_str(),
            "ruleIndex": index[&d.code],
            "level": level(d.severity),
            "message": {"text": report.full_message(d)},
            "locations": [location(report, d, at)],
            "partialFingerprints": {"profileLint/v1": fingerprint(report, d, *occurrence)},
        }));
    }
    results
}

/// Where a finding is: the file, the region when its position is in the file, and, as logical
/// locations, the operation (with `--openapi`) and its pointer.
fn location(report: &FileReport, d: &Diagnostic, at: Option<(usize, usize)>) -> Value {
    let mut location = json!({
        "physicalLocation": {"artifactLocation": {"uri": uri(report.file())}}
    });
    let at = at.filter(|_| report.in_file);
    if let (Some(span), Some((line, column))) = (d.span, at) {
        location["physicalLocation"]["region"] = json!({
            "startLine": line,
            "startColumn": column,
            "byteOffset": span.offset,
            "byteLength": span.len,
        });
    }
    let mut logical = Vec::new();
    if let Some(operation) = &report.operation {
        logical.push(json!({"name": operation, "kind": "function"}));
    }
    if let Some(pointer) = &d.pointer {
        logical.push(json!({"fullyQualifiedName": pointer, "kind": "member"}));
    }
    if !logical.is_empty() {
        location["logicalLocations"] = Value::Array(logical);
    }
    location
}

/// The fingerprint of the `occurrence`-th finding of its code at its pointer in `report`.
fn fingerprint(report: &FileReport, d: &Diagnostic, occurrence: usize) -> String {
    let pointer = d.pointer.as_deref().unwrap_or("");
    let print = format!("{}\0{}\0{pointer}\0{occurrence}", report.name, d.code);
    format!("{:016x}", fnv1a(print.as_bytes()))
}

/// What the run says besides its results: findings counted but not kept, and a run that
/// checked nothing.
fn notifications(
    reports: &[FileReport],
    summary: &Summary,
    index: &HashMap<Code, usize>,
) -> Vec<Value> {
    // Findings counted but not kept are not results; the run says how many there were.
    let mut notifications: Vec<Value> = reports
        .iter()
        .flat_map(|report| report.omitted.iter().map(move |o| (report, o)))
        .map(|(report, o)| {
            // A note: the run itself went well; the findings' severity is in the text.
            json!({
                "level": "note",
                "message": {"text": format!("{}; their level is {}", o.sentence(), o.severity.as_str())},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(report.file())}}}],
                "associatedRule": {"id": o.code.as_str(), "index": index[&o.code]},
            })
        })
        .collect();
    // A run that checked nothing failed itself: SARIF says so in the invocation, not in a
    // result.
    if let Some(sentence) = summary.not_checked_sentence() {
        notifications.push(json!({"level": "error", "message": {"text": sentence}}));
    }
    notifications
}

/// The SARIF log: the rules, the results, and the run's notifications.
fn document(summary: &Summary, results: Vec<Value>, notifications: Vec<Value>) -> Value {
    let rules: Vec<Value> = Code::ALL.iter().map(|c| rule(*c)).collect();
    let mut document = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "profile-lint",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://docs.probely.com/",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": {"summary": summary.to_json()},
        }],
    });
    if !notifications.is_empty() {
        document["runs"][0]["invocations"] = json!([{
            "executionSuccessful": summary.not_checked.is_none(),
            "toolExecutionNotifications": notifications,
        }]);
    }
    document
}

fn rule(code: Code) -> Value {
    json!({
        "id": code.as_str(),
        "name": code.name(),
        "shortDescription": {"text": code.summary()},
        "fullDescription": {"text": code.docs()},
        "help": {"text": code.docs(), "markdown": code.docs()},
        "defaultConfiguration": {"level": level(code.default_severity())},
        "properties": {"category": code.category().as_str()},
    })
}

/// SARIF's `level` names ours the same way (`error`, `warning`).
fn level(severity: Severity) -> &'static str {
    severity.as_str()
}

/// A path as a URI: a relative reference, or a `file://` URI for an absolute path.
/// Unreserved characters and `/` stay, the rest is percent-encoded (`<stdin>` becomes
/// `%3Cstdin%3E`).
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 7);
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// FNV-1a: a stable hash for fingerprints, the same on every platform and release.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("captures/a b.json"), "captures/a%20b.json");
        assert_eq!(uri("<stdin>"), "%3Cstdin%3E");
        assert_eq!(uri("café.json"), "caf%C3%A9.json");
        assert_eq!(uri("/tmp/a.json"), "file:///tmp/a.json");
    }
}
