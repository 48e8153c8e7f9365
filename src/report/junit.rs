//! `--format junit`: JUnit XML, one test case per input, failing when it has an error.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::{FileReport, Summary};
use crate::diagnostic::{Diagnostic, Severity};

pub fn write(reports: &[FileReport], summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
    let failures = reports.iter().filter(|r| r.errors() > 0).count();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let counts = format!("tests=\"{}\" failures=\"{failures}\" errors=\"0\"", reports.len());
    let _ = writeln!(xml, "<testsuites name=\"profile-lint\" {counts}>");
    let _ = writeln!(xml, "  <testsuite name=\"profile-lint\" {counts}>");
    properties(&mut xml, summary);
    for report in reports {
        testcase(&mut xml, report);
    }
    xml.push_str("  </testsuite>\n</testsuites>\n");
    out.write_all(xml.as_bytes())
}

/// The suite's properties: what the run counted besides test cases, and its baseline.
fn properties(xml: &mut String, summary: &Summary) {
    // A test case is a response; how many files held them, and what was passed over, are
    // the run's properties.
    xml.push_str("    <properties>\n");
    for (name, value) in [
        ("inputs", summary.inputs),
        ("responses", summary.responses),
        ("skipped-other-requests", summary.skipped.other),
        ("skipped-redirects", summary.skipped.redirects),
        ("skipped-not-modified", summary.skipped.not_modified),
    ] {
        let _ = writeln!(xml, "      <property name=\"{name}\" value=\"{value}\"/>");
    }
    if let Some(sentence) = summary.not_checked_sentence() {
        let sentence = attribute(&sentence);
        let _ = writeln!(xml, "      <property name=\"not-checked\" value=\"{sentence}\"/>");
    }
    if let Some(baseline) = &summary.baseline {
        let action = if baseline.written { "recorded" } else { "accepted" };
        let path = attribute(&baseline.path);
        let _ = writeln!(xml, "      <property name=\"baseline\" value=\"{path}\"/>");
        for (severity, n) in [("errors", baseline.errors), ("warnings", baseline.warnings)] {
            let name = format!("baseline-{action}-{severity}");
            let _ = writeln!(xml, "      <property name=\"{name}\" value=\"{n}\"/>");
        }
    }
    xml.push_str("    </properties>\n");
}

/// One report as a test case: failed by its errors, with its warnings as its output.
fn testcase(xml: &mut String, report: &FileReport) {
    let name = attribute(&report.title());
    let _ = write!(xml, "    <testcase name=\"{name}\" classname=\"profile-lint\"");
    if report.diagnostics.is_empty() {
        xml.push_str("/>\n");
        return;
    }
    xml.push_str(">\n");
    let errors = report.errors();
    if errors > 0 {
        let plural = if errors == 1 { "" } else { "s" };
        let _ = writeln!(
            xml,
            "      <failure type=\"profile-lint\" message=\"{errors} error{plural}\">{}</failure>",
            text(&lines(report, Severity::Error))
        );
    }
    let warnings = lines(report, Severity::Warning);
    if !warnings.is_empty() {
        let _ = writeln!(xml, "      <system-out>{}</system-out>", text(&warnings));
    }
    xml.push_str("    </testcase>\n");
}

/// The findings of one severity in `report`, a line each (and lines of help), then those
/// counted but not kept.
fn lines(report: &FileReport, severity: Severity) -> String {
    report
        .diagnostics
        .iter()
        .zip(report.positions())
        .filter(|(d, _)| d.severity == severity)
        .map(|(d, at)| line(report, d, at))
        .chain(
            report
                .omitted
                .iter()
                .filter(|o| o.severity == severity)
                .map(|o| format!("{}: {}\n", report.name, o.sentence())),
        )
        .collect()
}

/// A finding as a compiler would print it: `name:line:column: CODE name at "pointer": message`.
fn line(report: &FileReport, d: &Diagnostic, at: Option<(usize, usize)>) -> String {
    let place = at.map(|(l, c)| format!("{}:{l}:{c}: ", report.name)).unwrap_or_default();
    let pointer = d.pointer.as_deref().map(|p| format!(" at {p:?}")).unwrap_or_default();
    let help = d
        .help
        .as_deref()
        .map(|h| format!("\n    help: {}", h.replace('\n', "\n          ")))
        .unwrap_or_default();
    format!("{place}{} {}{pointer}: {}{help}\n", d.code, d.code.name(), d.message)
}

/// Text as XML 1.0 character data. Characters XML cannot carry at all (most control
/// characters) become U+FFFD.
fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' | '\t' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Text as a double-quoted XML attribute value; line breaks survive as character references.
fn attribute(value: &str) -> String {
    text(value)
        .replace('"', "&quot;")
        .replace('\n', "&#10;")
        .replace('\r', "&#13;")
        .replace('\t', "&#9;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_control_characters_are_escaped() {
        assert_eq!(text("a<b>&\"c\"\u{1}\n"), "a&lt;b&gt;&amp;\"c\"\u{FFFD}\n");
        assert_eq!(attribute("a\"b\nc"), "a&quot;b&#10;c");
    }
}
