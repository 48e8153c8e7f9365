//! `--format human`: miette's graphical reports, a code frame on each finding, then a summary.

use std::collections::HashMap;
use std::fmt;
use std::io::{self, Write};

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};

use super::frame::{
    Frame, PIECEWISE, WINDOW, is_binary_around, pieces, read_piece, terminal_safe, terminal_text,
};
use super::{FileReport, Summary, thousands};
use crate::diagnostic::{Diagnostic, Severity};

/// Labels on spans longer than this, or over several lines, mark only their first character.
const LONG_SPAN: usize = 80;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// How the human report is drawn.
pub struct HumanOptions {
    /// ANSI colours (only on a terminal, and never with `NO_COLOR`).
    pub color: bool,
    /// Columns to wrap text at.
    pub width: usize,
    /// Show a few findings of each kind per file and count the rest (see [`GROUP_SHOWN`]).
    pub group: bool,
    /// Show at most this many findings in all.
    pub max: Option<usize>,
    /// Show errors only.
    pub quiet: bool,
}

impl Default for HumanOptions {
    fn default() -> Self {
        HumanOptions { color: false, width: 100, group: true, max: None, quiet: false }
    }
}

/// How many findings of one code at one place (array indices wildcarded) a file shows before
/// the rest are counted in one line.
pub const GROUP_SHOWN: usize = 3;

/// A pointer with its array indices as `*`: `/12/labels/0/color` is `/*/labels/*/color`.
fn wildcard(pointer: &str) -> String {
    pointer
        .split('/')
        .map(|s| if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) { "*" } else { s })
        .collect::<Vec<_>>()
        .join("/")
}

pub fn write(
    reports: &[FileReport],
    summary: &Summary,
    options: HumanOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let handler = handler(options);
    let mut rendered = String::new();
    let mut shown = 0;
    let mut unshown = 0;
    for report in reports {
        // Positions in a body decoded out of the capture (base64, gzip) are the decoded body's.
        let name = match report.in_file {
            true => terminal_safe(&report.name),
            false => format!("{} (decoded body)", terminal_safe(&report.name)),
        };
        // A large text whose findings know their positions (a HAR file shared by its entries)
        // is framed a piece at a time, rather than copied whole for every report.
        let known = report.diagnostics.iter().all(|d| d.span.is_none() || d.at.is_some());
        let whole = report.source.as_ref().filter(|s| !known || s.bytes.len() <= PIECEWISE);
        let text = whole.map(|s| terminal_text(&s.text()));
        let frame = text.as_deref().map(|text| Frame::new(&name, text, &report.diagnostics));
        let mut pieces = if whole.is_none() { pieces(report) } else { None };
        // Per kind of finding (code, pointer with indices wildcarded): how many were shown,
        // and how many were left out because a few of that kind had been shown.
        // (A map finds the group: a hostile input can make thousands of kinds.)
        let mut groups: Vec<(crate::Code, String, usize, usize)> = Vec::new();
        let mut group_of: HashMap<(crate::Code, String), usize> = HashMap::new();
        for diagnostic in &report.diagnostics {
            if options.quiet && diagnostic.severity == Severity::Warning {
                continue;
            }
            let pattern = diagnostic.pointer.as_deref().map(wildcard).unwrap_or_default();
            let index = *group_of.entry((diagnostic.code, pattern)).or_insert_with_key(|key| {
                groups.push((key.0, key.1.clone(), 0, 0));
                groups.len() - 1
            });
            let group = &mut groups[index];
            if options.max.is_some_and(|max| shown >= max) {
                unshown += 1;
                continue;
            }
            if options.group && group.2 >= GROUP_SHOWN {
                group.3 += 1;
                continue;
            }
            group.2 += 1;
            shown += 1;
            rendered.clear();
            let piece = match (&frame, &mut pieces) {
                (None, Some(pieces)) => read_piece(pieces.as_mut(), diagnostic),
                _ => None,
            };
            let piece_frame = piece
                .as_ref()
                .and_then(|(base, text)| Frame::piece(&name, text, *base, diagnostic));
            let mut view =
                Shown { diagnostic, frame: frame.as_ref().or(piece_frame.as_ref()), elided: None };
            // Bytes that are not text would print as noise: say where, and show no frame.
            if let (Some(shown), Some(source), Some(span)) =
                (view.frame, &report.source, diagnostic.span)
                && is_binary_around(&source.bytes, span)
            {
                let at = shown.position(span.offset);
                view.elided = Some(format!("{name}:{}:{}", at.line, at.column));
                view.frame = None;
            }
            handler
                .render_report(&mut rendered, &view)
                .map_err(|_| io::Error::other("could not render a diagnostic"))?;
            out.write_all(rendered.as_bytes())?;
        }
        for (code, pattern, _, more) in groups.into_iter().filter(|g| g.3 > 0) {
            let more = thousands(more);
            let rule = code.name();
            writeln!(
                out,
                "... and {more} more {code} ({rule}) at {pattern} in {name} (--no-group shows all)"
            )?;
        }
        for omitted in &report.omitted {
            if options.quiet && omitted.severity == Severity::Warning {
                continue;
            }
            let (count, code) = (thousands(omitted.count), omitted.code);
            writeln!(
                out,
                "... and {count} more {code} findings in {name}, counted but not kept (--max-per-rule)"
            )?;
        }
    }
    if unshown > 0 {
        writeln!(out, "... {} more not shown (--max-diagnostics)", thousands(unshown))?;
    }
    if options.quiet && summary.errors == 0 {
        return Ok(());
    }
    // The count of warnings stays true; say why they are not listed.
    let hidden =
        if options.quiet && summary.warnings > 0 { " (warnings not shown: -q)" } else { "" };
    writeln!(out, "{}{hidden}", summary_line(summary))
}

fn handler(options: HumanOptions) -> GraphicalReportHandler {
    let theme =
        if options.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_links(false)
        // Never split `2023-08-09T13:27:43` or a pointer at its hyphens.
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
        .with_break_words(false)
}

/// `3 errors, 1 warning in 2 of 5 files (9 responses); 4 HAR entries for other requests
/// skipped`: files are the inputs, and the responses in them are counted apart when they are
/// not one a file.
pub fn summary_line(s: &Summary) -> String {
    if let Some(sentence) = s.not_checked_sentence() {
        return terminal_safe(&sentence);
    }
    let plural =
        |n: usize, word: &str| format!("{} {word}{}", thousands(n), if n == 1 { "" } else { "s" });
    let files = plural(s.inputs, "file");
    let mut line = if s.errors == 0 && s.warnings == 0 {
        let new = if s.baseline.is_some() { "new " } else { "" };
        format!("no {new}problems in {files}")
    } else {
        let (errors, warnings) = (plural(s.errors, "error"), plural(s.warnings, "warning"));
        format!("{errors}, {warnings} in {} of {files}", thousands(s.inputs_with_findings))
    };
    if s.responses != s.inputs {
        line.push_str(&format!(" ({})", plural(s.responses, "response")));
    }
    let skipped: Vec<String> = [
        (s.skipped.other, "HAR entry for another request", "HAR entries for other requests"),
        (s.skipped.redirects, "redirect hop", "redirect hops"),
        (s.skipped.not_modified, "304 Not Modified", "304 Not Modified"),
    ]
    .into_iter()
    .filter(|(n, ..)| *n > 0)
    .map(|(n, one, many)| format!("{} {}", thousands(n), if n == 1 { one } else { many }))
    .collect();
    if let Some((last, rest)) = skipped.split_last() {
        let listed =
            if rest.is_empty() { last.clone() } else { format!("{} and {last}", rest.join(", ")) };
        line.push_str(&format!("; {listed} skipped"));
    }
    if let Some(baseline) = &s.baseline {
        let done = if baseline.written { "recorded in" } else { "accepted by" };
        let findings = plural(baseline.errors + baseline.warnings, "finding");
        let errors = plural(baseline.errors, "error");
        let warnings = plural(baseline.warnings, "warning");
        let path = terminal_safe(&baseline.path);
        line.push_str(&format!("; {findings} ({errors}, {warnings}) {done} the baseline {path}"));
    }
    line
}

/// A diagnostic as miette sees it.
struct Shown<'a> {
    diagnostic: &'a Diagnostic,
    frame: Option<&'a Frame<'a>>,
    /// Where the finding is, when its frame is left out because the bytes there are binary.
    elided: Option<String>,
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.diagnostic, f)
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&terminal_safe(&self.diagnostic.message))?;
        match &self.elided {
            Some(at) => write!(f, "\nat {at} (binary bytes, not shown)"),
            None => Ok(()),
        }
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
        self.diagnostic.help.as_deref().map(|h| Box::new(terminal_safe(h)) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.frame.map(|f| f as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let frame = self.frame?;
        let d = self.diagnostic;
        let span = d.span?;
        let label = |text: Option<&str>, offset: usize, len: usize| {
            // A long or multi-line value would fill the frame; its first character says where
            // it is. Machine formats keep the whole span.
            let rel = frame.rel(offset)?;
            let long = len > LONG_SPAN
                || frame.text.as_bytes().get(rel..rel + len).is_some_and(|b| b.contains(&b'\n'));
            let len =
                if long { frame.text[rel..].chars().next().map_or(0, char::len_utf8) } else { len };
            frame.rel(offset + len)?;
            Some((text.map(terminal_safe), (offset, len)))
        };
        // A label outside the text at hand (far away in a large file) is left out. One further
        // along a long line (a minified capture) than a window shows is named by its position
        // in the primary label instead: one window cannot show both.
        let line = frame.position(span.offset).line;
        let windowed = frame.on_long_line(span.offset);
        let (near, far): (Vec<_>, Vec<_>) =
            d.related.iter().filter(|r| frame.rel(r.span.offset).is_some()).partition(|r| {
                !windowed
                    || r.span.offset.abs_diff(span.offset) <= WINDOW
                    || frame.position(r.span.offset).line != line
            });
        let mut primary_text = d.label.as_deref().map(str::to_owned);
        for r in far {
            let at = frame.position(r.span.offset);
            let also = format!("{}: {}:{}", r.label, at.line, at.column);
            primary_text = Some(match primary_text {
                Some(text) => format!("{text} ({also})"),
                None => also,
            });
        }
        let (text, at) = label(primary_text.as_deref(), span.offset, span.len)?;
        let primary = LabeledSpan::new_primary_with_span(text, at);
        let related = near.into_iter().filter_map(move |r| {
            let (text, at) = label(Some(&r.label), r.span.offset, r.span.len)?;
            Some(LabeledSpan::new_with_span(text, at))
        });
        Some(Box::new(std::iter::once(primary).chain(related)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_group_with_indices_wildcarded() {
        assert_eq!(wildcard("/12/labels/0/color"), "/*/labels/*/color");
        assert_eq!(wildcard(""), "");
    }
}
