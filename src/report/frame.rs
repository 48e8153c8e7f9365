//! The code frame under a finding of the human report, where miette's own `SourceCode` for
//! `str` falls short on captures. A minified capture is one long line, so a line too long to
//! show whole is shown as a window around the label. A large file (a HAR file shared by its
//! entries, or one too large to keep) is framed a piece at a time, read back around each
//! finding, rather than copied whole for every report. Names and text are made safe for the
//! terminal before they are shown.

use std::collections::HashMap;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use super::FileReport;
use crate::diagnostic::Diagnostic;
use crate::source::{Position, floor_char_boundary, positions};

/// Lines longer than this (in bytes) are shown as a window around the label.
const LONG_LINE: usize = 160;
/// Bytes of context either side of a label in a window.
pub(super) const WINDOW: usize = 60;
/// Texts larger than this whose findings know their positions are framed a piece at a time.
pub(super) const PIECEWISE: usize = 1 << 20;

/// Where pieces of a text are read from: a file on disk, or bytes in memory.
pub(super) trait Pieces: std::io::Read + std::io::Seek {}
impl<T: std::io::Read + std::io::Seek> Pieces for T {}

/// Where the frames of a report whose text is not at hand read it: its bytes in memory, or
/// the file on disk, its personal values masked when the report is redacted.
pub(super) fn pieces(report: &FileReport) -> Option<Box<dyn Pieces + '_>> {
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
pub(super) fn read_piece(file: &mut dyn Pieces, d: &Diagnostic) -> Option<(usize, String)> {
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

/// Whether the bytes a frame would show around `span` are binary rather than text in another
/// encoding: a NUL, or more than one character in eight that is not text. (A Latin-1 name
/// has a stray byte or two, and its frame is worth showing.)
pub(super) fn is_binary_around(bytes: &[u8], span: crate::Span) -> bool {
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

/// The text of one input, read a few lines at a time. miette's own `SourceCode` for `str`
/// counts lines from the start of the file for every frame and counts columns in bytes; this
/// one looks up positions computed in one pass, counts columns in characters, as an editor
/// does, and never scans a long line end to end (a minified capture is one line).
pub(super) struct Frame<'a> {
    name: &'a str,
    /// The input from offset `base` on: all of it, or a piece read from a large file.
    pub(super) text: &'a str,
    base: usize,
    /// The position of every offset a label starts at.
    positions: HashMap<usize, Position>,
}

impl<'a> Frame<'a> {
    pub(super) fn new(name: &'a str, text: &'a str, diagnostics: &[Diagnostic]) -> Self {
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
    pub(super) fn piece(
        name: &'a str,
        text: &'a str,
        base: usize,
        diagnostic: &Diagnostic,
    ) -> Option<Self> {
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
    pub(super) fn on_long_line(&self, offset: usize) -> bool {
        let Some(rel) = self.rel(offset) else { return false };
        let first = self.position(offset).line_start.saturating_sub(self.base);
        !fits_on_its_line(self.text.as_bytes(), first, rel, rel)
    }

    /// `offset` in the file as an index into `text`, if it is there.
    pub(super) fn rel(&self, offset: usize) -> Option<usize> {
        offset.checked_sub(self.base).filter(|&r| r <= self.text.len())
    }

    pub(super) fn position(&self, offset: usize) -> Position {
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
        let (Some(offset), Some(end)) =
            (self.rel(span.offset()), self.rel(span.offset() + span.len()))
        else {
            return Err(MietteError::OutOfBounds);
        };
        let bytes = self.text.as_bytes();
        let at = self.position(span.offset());
        let (line, column) = (at.line - 1, at.column - 1);
        let first = at.line_start.saturating_sub(self.base);
        if context_lines_before == 0 && context_lines_after == 0 {
            // The header's position: the span itself, at its column in characters.
            return Ok(self.contents(offset, end, line, column));
        }
        let last = end.saturating_sub(1).max(offset);
        if !fits_on_its_line(bytes, first, offset, last) {
            // A minified capture is one long line: show a window around the span, no context.
            let (start, stop) = self.window(first, offset, end);
            let column = column - self.text[start..offset].chars().count();
            return Ok(self.contents(start, stop, line, column));
        }
        let (start, line) = lines_before(bytes, first, line, context_lines_before);
        let stop = lines_after(bytes, last, context_lines_after);
        Ok(self.contents(start, stop, line, 0))
    }
}

impl Frame<'_> {
    /// `start..stop` of `text` as miette shows it, the first line being `line` (0-based)
    /// and `start` at `column`.
    fn contents(
        &self,
        start: usize,
        stop: usize,
        line: usize,
        column: usize,
    ) -> Box<dyn SpanContents<'_> + '_> {
        let data = &self.text.as_bytes()[start..stop];
        let lines = data.iter().filter(|&&b| b == b'\n').count();
        Box::new(MietteSpanContents::new_named(
            self.name.to_owned(),
            data,
            (self.base + start, stop - start).into(),
            line,
            column,
            lines,
        ))
    }

    /// The window around `offset..end`, on the line starting at `first`: up to [`WINDOW`]
    /// bytes either side, within the line, cut at characters.
    fn window(&self, first: usize, offset: usize, end: usize) -> (usize, usize) {
        let (text, bytes) = (self.text, self.text.as_bytes());
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
        (start, stop.max(end))
    }
}

/// Where `count` lines of context before the line starting at `first` (0-based `line`)
/// start, and the line they start on; fewer at the start of the text or before a line too
/// long to scan back over.
fn lines_before(bytes: &[u8], first: usize, line: usize, count: usize) -> (usize, usize) {
    let (mut start, mut line) = (first, line);
    for _ in 0..count {
        let Some(previous) =
            start.checked_sub(1).and_then(|s| line_start_within(bytes, s, LONG_LINE))
        else {
            break;
        };
        start = previous;
        line -= 1;
    }
    (start, line)
}

/// Where the line holding `last` ends, with `count` lines of context after it; fewer at the
/// end of the text or after a line too long to scan.
fn lines_after(bytes: &[u8], last: usize, count: usize) -> usize {
    let mut stop = next_line_break(bytes, last, LONG_LINE).map_or(bytes.len(), |b| b + 1);
    for _ in 0..count {
        match next_line_break(bytes, stop, LONG_LINE) {
            Some(b) if stop < bytes.len() => stop = b + 1,
            _ => break,
        }
    }
    stop.min(bytes.len())
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
pub(super) fn terminal_safe(text: &str) -> String {
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
pub(super) fn terminal_text(text: &str) -> String {
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
