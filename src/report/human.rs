//! `--format human`: miette's graphical reports, a code frame on each finding, then a summary.

use std::collections::HashMap;
use std::fmt;
use std::io::{self, Write};

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::{FileReport, Summary};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::line_columns;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HumanOptions {
    /// ANSI colours (only on a terminal, and never with `NO_COLOR`).
    pub color: bool,
    /// Columns to wrap text at.
    pub width: usize,
}

impl Default for HumanOptions {
    fn default() -> Self {
        HumanOptions { color: false, width: 100 }
    }
}

pub fn write(reports: &[FileReport], options: HumanOptions, out: &mut dyn Write) -> io::Result<()> {
    let theme =
        if options.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler =
        GraphicalReportHandler::new_themed(theme).with_width(options.width).with_links(false);
    let mut rendered = String::new();
    for report in reports {
        let text = report.source.as_ref().map(|s| s.text());
        let frame = text.as_deref().map(|text| Frame::new(&report.name, text, &report.diagnostics));
        for diagnostic in &report.diagnostics {
            rendered.clear();
            let shown = Shown { diagnostic, frame: frame.as_ref() };
            handler
                .render_report(&mut rendered, &shown)
                .map_err(|_| io::Error::other("could not render a diagnostic"))?;
            out.write_all(rendered.as_bytes())?;
        }
    }
    writeln!(out, "{}", summary_line(&Summary::of(reports)))
}

/// `3 errors, 1 warning in 2 of 5 files`.
fn summary_line(s: &Summary) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if s.errors == 0 && s.warnings == 0 {
        return format!("no problems in {}", plural(s.files, "file"));
    }
    format!(
        "{}, {} in {} of {}",
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        s.files_with_findings,
        plural(s.files, "file")
    )
}

/// A diagnostic as miette sees it.
struct Shown<'a> {
    diagnostic: &'a Diagnostic,
    frame: Option<&'a Frame<'a>>,
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.diagnostic, f)
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Shown<'_> {}

impl miette::Diagnostic for Shown<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let code = self.diagnostic.code;
        Some(Box::new(format!("{}({})", code.as_str(), code.name())))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.frame.map(|f| f as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let frame = self.frame?;
        let d = self.diagnostic;
        let span = d.span?;
        // An object or array over many lines would fill the frame; its opening bracket says
        // where it is. Machine formats keep the whole span.
        let multi_line =
            frame.text.as_bytes().get(span.offset..span.end()).is_some_and(|b| b.contains(&b'\n'));
        let shown = if multi_line { (span.offset, 1) } else { (span.offset, span.len) };
        let primary = LabeledSpan::new_primary_with_span(d.label.clone(), shown);
        let related = d.related.iter().map(|r| {
            LabeledSpan::new_with_span(Some(r.label.clone()), (r.span.offset, r.span.len))
        });
        Some(Box::new(std::iter::once(primary).chain(related)))
    }
}

/// The text of one input, read a few lines at a time. miette's own `SourceCode` for `str`
/// counts lines from the start of the file for every frame and counts columns in bytes; this
/// one looks up precomputed lines and counts columns in characters, as an editor does.
struct Frame<'a> {
    name: &'a str,
    text: &'a str,
    /// 0-based line of every offset a label starts at.
    lines: HashMap<usize, usize>,
}

impl<'a> Frame<'a> {
    fn new(name: &'a str, text: &'a str, diagnostics: &[Diagnostic]) -> Self {
        let mut offsets: Vec<usize> = diagnostics
            .iter()
            .flat_map(|d| d.span.into_iter().chain(d.related.iter().map(|r| r.span)))
            .map(|s| s.offset.min(text.len()))
            .collect();
        offsets.sort_unstable();
        offsets.dedup();
        let positions = line_columns(text, &offsets);
        let lines =
            offsets.into_iter().zip(positions).map(|(o, (line, _))| (o, line - 1)).collect();
        Frame { name, text, lines }
    }

    fn line_of(&self, offset: usize) -> usize {
        self.lines.get(&offset).copied().unwrap_or_else(|| {
            self.text.as_bytes()[..offset].iter().filter(|&&b| b == b'\n').count()
        })
    }
}

impl SourceCode for Frame<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let bytes = self.text.as_bytes();
        let offset = span.offset();
        let end = offset + span.len();
        if end > bytes.len() {
            return Err(MietteError::OutOfBounds);
        }
        let mut start = line_start(bytes, offset);
        let mut line = self.line_of(offset);
        let column = self.text[start..offset].chars().count();
        for _ in 0..context_lines_before {
            if start == 0 {
                break;
            }
            start = line_start(bytes, start - 1);
            line -= 1;
        }
        let mut stop = line_end(bytes, end.saturating_sub(1).max(offset));
        for _ in 0..context_lines_after {
            if stop >= bytes.len() {
                break;
            }
            stop = line_end(bytes, stop);
        }
        let data = &bytes[start..stop];
        let lines_in_data = data.iter().filter(|&&b| b == b'\n').count();
        let column = if context_lines_before == 0 { column } else { 0 };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_owned(),
            data,
            (start, stop - start).into(),
            line,
            column,
            line + lines_in_data,
        )))
    }
}

/// Offset of the first byte of the line holding `at`.
fn line_start(bytes: &[u8], at: usize) -> usize {
    bytes[..at].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1)
}

/// Offset just past the newline that ends the line holding `at` (or the end of the text).
fn line_end(bytes: &[u8], at: usize) -> usize {
    bytes[at..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |i| at + i + 1)
}
