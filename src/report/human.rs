//! `--format human`: miette's graphical reports, a code frame on each finding, then a summary.

use std::collections::HashMap;
use std::fmt;
use std::io::{self, Write};

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};

use super::frame::{
    Frame, PIECEWISE, Pieces, WINDOW, is_binary_around, pieces, read_piece, terminal_safe,
    terminal_text,
};
use super::{FileReport, Summary, thousands};
use crate::diagnostic::{Code, Diagnostic, Severity};

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

impl HumanOptions {
    /// Whether `-q` leaves findings of this severity out.
    fn hides(self, severity: Severity) -> bool {
        self.quiet && severity == Severity::Warning
    }
}

/// Every report's findings in their code frames, then the summary line.
pub fn write(
    reports: &[FileReport],
    summary: &Summary,
    options: HumanOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let handler = handler(options);
    let mut tally = Tally::default();
    for report in reports {
        write_report(report, &handler, options, &mut tally, out)?;
    }
    if tally.unshown > 0 {
        writeln!(out, "... {} more not shown (--max-diagnostics)", thousands(tally.unshown))?;
    }
    write_summary(summary, options, out)
}

/// One report's findings in their frames, then what was left out of them.
fn write_report(
    report: &FileReport,
    handler: &GraphicalReportHandler,
    options: HumanOptions,
    tally: &mut Tally,
    out: &mut dyn Write,
) -> io::Result<()> {
    let name = display_name(report);
    let text = whole_text(report);
    let mut frames = Frames::new(report, &name, text.as_deref());
    let mut groups = Groups::default();
    for diagnostic in &report.diagnostics {
        if options.hides(diagnostic.severity) {
            continue;
        }
        let group = groups.of(diagnostic);
        if options.max.is_some_and(|max| tally.shown >= max) {
            tally.unshown += 1;
        } else if options.group && group.shown >= GROUP_SHOWN {
            group.more += 1;
        } else {
            group.shown += 1;
            tally.shown += 1;
            out.write_all(frames.render(handler, diagnostic)?.as_bytes())?;
        }
    }
    write_left_out(report, &groups, options, &name, out)
}

/// Findings shown so far in the run, and those `--max-diagnostics` left out.
#[derive(Default)]
struct Tally {
    shown: usize,
    unshown: usize,
}

/// The findings of one kind (code, pointer with indices wildcarded) in one report: how many
/// were shown, and how many were left out because a few of that kind had been shown.
struct Group {
    code: Code,
    pattern: String,
    shown: usize,
    more: usize,
}

/// A report's groups, in the order of their first findings. (A map finds the group: a
/// hostile input can make thousands of kinds.)
#[derive(Default)]
struct Groups {
    list: Vec<Group>,
    index: HashMap<(Code, String), usize>,
}

impl Groups {
    /// The group `diagnostic` belongs to, started if it is the first of its kind.
    fn of(&mut self, diagnostic: &Diagnostic) -> &mut Group {
        let pattern = diagnostic.pointer.as_deref().map(wildcard).unwrap_or_default();
        let list = &mut self.list;
        let index = *self.index.entry((diagnostic.code, pattern)).or_insert_with_key(|key| {
            list.push(Group { code: key.0, pattern: key.1.clone(), shown: 0, more: 0 });
            list.len() - 1
        });
        &mut self.list[index]
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

/// The name a report's frames and lines give it, safe for the terminal.
fn display_name(report: &FileReport) -> String {
    // Positions in a body decoded out of the capture (base64, gzip) are the decoded body's.
    match report.in_file {
        true => terminal_safe(&report.title()),
        false => format!("{} (decoded body)", terminal_safe(&report.title())),
    }
}

/// The report's text as its frames show it, or `None` when they read it a piece at a time.
fn whole_text(report: &FileReport) -> Option<String> {
    // A large text whose findings know their positions (a HAR file shared by its entries)
    // is framed a piece at a time, rather than copied whole for every report.
    let known = report.diagnostics.iter().all(|d| d.span.is_none() || d.at.is_some());
    let whole = report.source.as_ref().filter(|s| !known || s.bytes.len() <= PIECEWISE)?;
    Some(terminal_text(&whole.text()))
}

/// Where one report's findings are framed from: its whole text, or pieces read around each.
struct Frames<'a> {
    report: &'a FileReport,
    name: &'a str,
    whole: Option<Frame<'a>>,
    pieces: Option<Box<dyn Pieces + 'a>>,
}

impl<'a> Frames<'a> {
    fn new(report: &'a FileReport, name: &'a str, text: Option<&'a str>) -> Self {
        let whole = text.map(|text| Frame::new(name, text, &report.diagnostics));
        let pieces = if text.is_none() { pieces(report) } else { None };
        Frames { report, name, whole, pieces }
    }

    /// `diagnostic` as miette draws it, in its frame.
    fn render(
        &mut self,
        handler: &GraphicalReportHandler,
        diagnostic: &Diagnostic,
    ) -> io::Result<String> {
        let piece = match (&self.whole, &mut self.pieces) {
            (None, Some(pieces)) => read_piece(pieces.as_mut(), diagnostic),
            _ => None,
        };
        let piece_frame = piece
            .as_ref()
            .and_then(|(base, text)| Frame::piece(self.name, text, *base, diagnostic));
        let frame = self.whole.as_ref().or(piece_frame.as_ref());
        let view = Shown::new(diagnostic, frame, self.report, self.name);
        let mut rendered = String::new();
        handler
            .render_report(&mut rendered, &view)
            .map_err(|_| io::Error::other("could not render a diagnostic"))?;
        Ok(rendered)
    }
}

/// A line for each kind of finding past its first few, and for each code whose findings were
/// counted but not kept.
fn write_left_out(
    report: &FileReport,
    groups: &Groups,
    options: HumanOptions,
    name: &str,
    out: &mut dyn Write,
) -> io::Result<()> {
    for group in groups.list.iter().filter(|g| g.more > 0) {
        let (more, code, pattern) = (thousands(group.more), group.code, &group.pattern);
        let rule = code.name();
        writeln!(
            out,
            "... and {more} more {code} ({rule}) at {pattern} in {name} (--no-group shows all)"
        )?;
    }
    for omitted in report.omitted.iter().filter(|o| !options.hides(o.severity)) {
        let (count, code) = (thousands(omitted.count), omitted.code);
        writeln!(
            out,
            "... and {count} more {code} findings in {name}, counted but not kept (--max-per-rule)"
        )?;
    }
    Ok(())
}

/// The summary line, which `-q` leaves out when there are no errors.
fn write_summary(summary: &Summary, options: HumanOptions, out: &mut dyn Write) -> io::Result<()> {
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

impl<'a> Shown<'a> {
    /// `diagnostic` in `frame`, unless the bytes there are binary: they would print as noise,
    /// so it says where the finding is instead.
    fn new(
        diagnostic: &'a Diagnostic,
        frame: Option<&'a Frame<'a>>,
        report: &FileReport,
        name: &str,
    ) -> Self {
        let binary = |frame: &Frame<'_>| {
            let (source, span) = (report.source.as_ref()?, diagnostic.span?);
            is_binary_around(&source.bytes, span).then(|| frame.position(span.offset))
        };
        match frame.and_then(binary) {
            Some(at) => {
                let elided = Some(format!("{name}:{}:{}", at.line, at.column));
                Shown { diagnostic, frame: None, elided }
            }
            None => Shown { diagnostic, frame, elided: None },
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
