//! `--format github`: GitHub Actions workflow commands, which annotate the files of a pull
//! request: `::error file=...,line=...,col=...,title=CODE::message`.

use std::io::{self, Write};

use super::{FileReport, Summary};
use crate::diagnostic::Severity;

pub fn write(reports: &[FileReport], summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
    for report in reports {
        for (d, at) in report.diagnostics.iter().zip(report.positions()) {
            let command = command(d.severity);
            let mut properties = format!("file={}", property(report.file()));
            if let Some((line, column)) = at.filter(|_| report.in_file) {
                properties.push_str(&format!(",line={line},col={column}"));
            }
            let title = format!("{} ({})", d.code, d.code.name());
            properties.push_str(&format!(",title={}", property(&title)));
            writeln!(out, "::{command} {properties}::{}", data(&report.full_message(d)))?;
        }
        for omitted in &report.omitted {
            let command = command(omitted.severity);
            let title = format!("{} ({})", omitted.code, omitted.code.name());
            let properties = format!("file={},title={}", property(report.file()), property(&title));
            writeln!(out, "::{command} {properties}::{}", data(&omitted.sentence()))?;
        }
    }
    if let Some(sentence) = summary.not_checked_sentence() {
        writeln!(out, "::error title=profile-lint::{}", data(&sentence))?;
    }
    Ok(())
}

/// The workflow commands are named as our severities are (`::error`, `::warning`).
fn command(severity: Severity) -> &'static str {
    severity.as_str()
}

/// A command's message, escaped as the runner reads it back.
fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A property value: as data, and `:` and `,` too, which would end it.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_and_properties_escape_as_the_runner_expects() {
        assert_eq!(data("100% done\r\nnext"), "100%25 done%0D%0Anext");
        assert_eq!(property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
