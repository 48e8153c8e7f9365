//! `--format human`: miette's graphical reports, a code frame on each finding, then a summary.

use std::collections::HashMap;
use std::fmt;
use std::io::{self, Write};

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::{FileReport, Summary, thousands};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{Position, floor_char_boundary, positions};

/// Lines longer than this (in bytes) are shown as a window around the label.
const LONG_LINE: usize = 160;
/// Bytes of context either side of a label in a window.
const WINDOW: usize = 60;
/// Texts larger than this whose findings know their positions are framed a piece at a time.
const PIECEWISE: usize = 1 << 20;

/// Where pieces of a text are read from: a file on disk, or bytes in memory.
trait Pieces: std::io::Read + std::io::Seek {}
impl<T: std::io::Read + std::io::Seek> Pieces for T {}

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

/// Where the frames of a report whose text is not at hand read it: its bytes in memory, or
/// the file on disk, its personal values masked when the report is redacted.
fn pieces(report: &FileReport) -> Option<Box<dyn Pieces + '_>> {
    match (&report.source, &report.disk) {
        (Some(source), _) => Some(Box::new(std::io::Cursor::new(&source.bytes[..]))),
        (None, Some(path)) => std::fs::File::open(path).ok().map(|f| match &report.redacted {
            Some(blocks) => Box::new(crate::redact::Masked::new(f, blocks.clone())) as _,
            None => Box::new(f) as Box<dyn Pieces>,
        }),
        _ => None,
    }
}

/// The text around a finding of a file too large to keep, and where it starts: enough for a
/// frame and its labels (those far away are left out), as the terminal may show it.
fn read_piece(file: &mut dyn Pieces, d: &Diagnostic) -> Option<(usize, String)> {
    use std::io::{Read, SeekFrom};
    const AROUND: usize = 2048;
    let span = d.span?;
    let near = |s: &crate::Span| s.offset.abs_diff(span.offset) < 64 * AROUND;
    let spans = std::iter::once(span).chain(d.related.iter().map(|r| r.span)).filter(near);
    let from = spans.clone().map(|s| s.offset).min()?.saturating_sub(AROUND);
    let to = spans.map(|s| s.end()).max()? + AROUND;
    let mut bytes = Vec::with_capacity(to - from);
    file.seek(SeekFrom::Start(from as u64)).ok()?;
    std::io::Read::take(&mut *file, (to - from) as u64).read_to_end(&mut bytes).ok()?;
    let text = crate::source::Source::new("", bytes).text().into_owned();
    Some((from, terminal_text(&text)))
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

/// Whether the bytes a frame would show around `span` are binary rather than text in another
/// encoding: a NUL, or more than one character in eight that is not text. (A Latin-1 name
/// has a stray byte or two, and its frame is worth showing.)
fn is_binary_around(bytes: &[u8], span: crate::Span) -> bool {
    let from = span.offset.saturating_sub(WINDOW).min(bytes.len());
    let to = (span.end() + WINDOW).min(bytes.len());
    let window = &bytes[from..to];
    let text = String::from_utf8_lossy(window);
    let odd = text
        .chars()
        .filter(|&c| c == '\u{FFFD}' || (c.is_control() && !matches!(c, '\n' | '\r' | '\t')))
        .count();
    window.contains(&0) || (odd >= 3 && odd * 8 > text.chars().count())
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

/// The text of one input, read a few lines at a time. miette's own `SourceCode` for `str`
/// counts lines from the start of the file for every frame and counts columns in bytes; this
/// one looks up positions computed in one pass, counts columns in characters, as an editor
/// does, and never scans a long line end to end (a minified capture is one line).
struct Frame<'a> {
    name: &'a str,
    /// The input from offset `base` on: all of it, or a piece read from a large file.
    text: &'a str,
    base: usize,
    /// The position of every offset a label starts at.
    positions: HashMap<usize, Position>,
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
        let found = positions(text, &offsets);
        Frame { name, text, base: 0, positions: offsets.into_iter().zip(found).collect() }
    }

    /// A frame for one finding of a file too large to keep: `text` is the file from `base` on,
    /// a little around the finding, whose line and column are known (`diagnostic.at`).
    fn piece(name: &'a str, text: &'a str, base: usize, diagnostic: &Diagnostic) -> Option<Self> {
        let anchor = diagnostic.span?.offset;
        let (line, column) = diagnostic.at?;
        let mut offsets: Vec<usize> = std::iter::once(anchor)
            .chain(diagnostic.related.iter().map(|r| r.span.offset))
            .filter(|o| (base..=base + text.len()).contains(o))
            .collect();
        offsets.sort_unstable();
        offsets.dedup();
        let relative: Vec<usize> = offsets.iter().map(|o| o - base).collect();
        let found = positions(text, &relative);
        let of_anchor = found[offsets.iter().position(|o| *o == anchor)?];
        let absolute = found.into_iter().map(|p| {
            // Lines count on from the finding's; a line that starts before the piece is taken
            // to start where the piece does.
            let known_start = p.line > 1;
            Position {
                line: line + p.line - of_anchor.line,
                column: if p.line == of_anchor.line {
                    column + p.column - of_anchor.column
                } else {
                    p.column
                },
                line_start: base + if known_start { p.line_start } else { 0 },
            }
        });
        Some(Frame { name, text, base, positions: offsets.into_iter().zip(absolute).collect() })
    }

    /// Whether the line holding `offset` is too long to show whole, so frames on it are
    /// windows.
    fn on_long_line(&self, offset: usize) -> bool {
        let Some(rel) = self.rel(offset) else { return false };
        let first = self.position(offset).line_start.saturating_sub(self.base);
        !fits_on_its_line(self.text.as_bytes(), first, rel, rel)
    }

    /// `offset` in the file as an index into `text`, if it is there.
    fn rel(&self, offset: usize) -> Option<usize> {
        offset.checked_sub(self.base).filter(|&r| r <= self.text.len())
    }

    fn position(&self, offset: usize) -> Position {
        self.positions.get(&offset).copied().unwrap_or_else(|| {
            let p = positions(self.text, &[offset - self.base])[0];
            Position { line_start: p.line_start + self.base, ..p }
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
        let text = self.text;
        let (Some(offset), Some(end)) =
            (self.rel(span.offset()), self.rel(span.offset() + span.len()))
        else {
            return Err(MietteError::OutOfBounds);
        };
        let bytes = text.as_bytes();
        let at = self.position(span.offset());
        let (line, column) = (at.line - 1, at.column - 1);
        let first = at.line_start.saturating_sub(self.base);
        let contents = |start: usize, stop: usize, line: usize, column: usize| {
            let data = &bytes[start..stop];
            let lines = data.iter().filter(|&&b| b == b'\n').count();
            let named = MietteSpanContents::new_named(
                self.name.to_owned(),
                data,
                (self.base + start, stop - start).into(),
                line,
                column,
                lines,
            );
            Ok(Box::new(named) as Box<dyn SpanContents<'b> + 'b>)
        };
        if context_lines_before == 0 && context_lines_after == 0 {
            // The header's position: the span itself, at its column in characters.
            return contents(offset, end, line, column);
        }
        let last = end.saturating_sub(1).max(offset);
        if !fits_on_its_line(bytes, first, offset, last) {
            // A minified capture is one long line: show a window around the span, no context.
            let mut start = floor_char_boundary(text, offset.saturating_sub(WINDOW).max(first));
            // Positions give a byte order mark no column, so the window must not count it.
            if self.base + start == 0 && offset > 0 && text.starts_with('\u{feff}') {
                start = '\u{feff}'.len_utf8();
            }
            let limit = (end + WINDOW).min(bytes.len());
            let mut stop =
                next_line_break(bytes, end.min(limit), limit - end.min(limit)).unwrap_or(limit);
            while !text.is_char_boundary(stop) {
                stop += 1;
            }
            let column = column - text[start..offset].chars().count();
            return contents(start, stop.max(end), line, column);
        }
        let (mut start, mut line) = (first, line);
        for _ in 0..context_lines_before {
            let Some(previous) =
                start.checked_sub(1).and_then(|s| line_start_within(bytes, s, LONG_LINE))
            else {
                break;
            };
            start = previous;
            line -= 1;
        }
        let mut stop = next_line_break(bytes, last, LONG_LINE).map_or(bytes.len(), |b| b + 1);
        for _ in 0..context_lines_after {
            match next_line_break(bytes, stop, LONG_LINE) {
                Some(b) if stop < bytes.len() => stop = b + 1,
                _ => break,
            }
        }
        contents(start, stop.min(bytes.len()), line, 0)
    }
}

/// Whether `from..=last`, on the line starting at `first`, is shown with the whole line
/// around it; otherwise the frame is a window (see [`LONG_LINE`]).
fn fits_on_its_line(bytes: &[u8], first: usize, from: usize, last: usize) -> bool {
    from - first <= LONG_LINE
        && next_line_break(bytes, last, LONG_LINE).is_some_and(|b| b - first <= LONG_LINE)
}

/// The newline at or after `at`, looking at most `limit` bytes ahead; the end of the text
/// counts as one.
fn next_line_break(bytes: &[u8], at: usize, limit: usize) -> Option<usize> {
    let end = (at + limit + 1).min(bytes.len());
    match bytes[at.min(end)..end].iter().position(|&b| b == b'\n') {
        Some(i) => Some(at + i),
        None if end == bytes.len() => Some(bytes.len()),
        None => None,
    }
}

/// The start of the line holding `at`, if it is at most `limit` bytes back.
fn line_start_within(bytes: &[u8], at: usize, limit: usize) -> Option<usize> {
    let from = at.saturating_sub(limit);
    match bytes[from..at].iter().rposition(|&b| b == b'\n') {
        Some(i) => Some(from + i + 1),
        None if from == 0 => Some(0),
        None => None,
    }
}

/// Text that is safe to print on a terminal, with control characters escaped.
fn terminal_safe(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let escape = c != '\n' && (c.is_control() || is_invisible_control(c));
            let escaped: Vec<char> = if escape { c.escape_unicode().collect() } else { vec![c] };
            escaped
        })
        .collect()
}

/// Bidirectional and other invisible formatting controls that can reorder or hide text.
fn is_invisible_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The input as a code frame shows it: the same bytes at the same offsets, with a lone `\r`
/// turned into `\n` (a line break, as editors show it) and characters that would drive the
/// terminal replaced by inert ones of the same length.
fn terminal_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => out.push(c),
            '\r' => out.push('\n'),
            '\n' | '\t' => out.push(c),
            c if c.is_control() && c.len_utf8() == 1 => out.push('?'),
            c if c.is_control() => out.push('¤'),
            c if is_invisible_control(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_group_with_indices_wildcarded() {
        assert_eq!(wildcard("/12/labels/0/color"), "/*/labels/*/color");
        assert_eq!(wildcard(""), "");
    }

    #[test]
    fn terminal_text_keeps_every_offset() {
        let text = "a\u{1b}[2J\u{85}\u{202E}b\rc\r\nd";
        let shown = terminal_text(text);
        assert_eq!(shown.len(), text.len());
        assert_eq!(shown, "a?[2J¤\u{FFFD}b\nc\r\nd");
    }

    #[test]
    fn names_and_messages_cannot_drive_the_terminal() {
        assert_eq!(terminal_safe("a\u{1b}[2Jb.json"), "a\\u{1b}[2Jb.json");
    }
}
