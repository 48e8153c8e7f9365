//! An input's bytes and name, and the line and column a person sees for a byte offset.

use std::borrow::Cow;
use std::sync::Arc;

/// One input as read: its name (the path as given, or `<stdin>`) and its bytes. The bytes are
/// shared: every entry of a HAR file reports against the same file.
#[derive(Debug, Clone)]
pub struct Source {
    /// The name reports give it: a path as given, or `<stdin>`.
    pub name: String,
    /// Its bytes, shared by the reports of its HAR entries.
    pub bytes: Arc<Vec<u8>>,
}

impl Source {
    /// A source named `name` holding `bytes`.
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Source { name: name.into(), bytes: Arc::new(bytes.into()) }
    }

    /// The same bytes under another name.
    pub fn renamed(&self, name: impl Into<String>) -> Self {
        Source { name: name.into(), bytes: Arc::clone(&self.bytes) }
    }

    /// The text for code frames and columns. Bytes that are not UTF-8 become `?`, one for one,
    /// so every byte offset still lands where it did in the file.
    pub fn text(&self) -> Cow<'_, str> {
        match std::str::from_utf8(&self.bytes) {
            Ok(text) => Cow::Borrowed(text),
            Err(_) => Cow::Owned(same_length_lossy(&self.bytes)),
        }
    }
}

fn same_length_lossy(mut bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    loop {
        match std::str::from_utf8(bytes) {
            Ok(valid) => {
                out.push_str(valid);
                return out;
            }
            Err(e) => {
                let (valid, rest) = bytes.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(valid).unwrap_or_default());
                let bad = e.error_len().unwrap_or(rest.len());
                out.extend(std::iter::repeat_n('?', bad));
                bytes = &rest[bad..];
            }
        }
    }
}

/// 1-based line and column of each offset; the column counts characters, as an editor does.
/// A line ends at `\n`, `\r\n` or a lone `\r`. One pass over the text whatever the number of
/// offsets, which must be sorted: a minified capture is one long line with many findings.
pub fn line_columns(text: &str, sorted_offsets: &[usize]) -> Vec<(usize, usize)> {
    positions(text, sorted_offsets).into_iter().map(|p| (p.line, p.column)).collect()
}

/// Where an offset is: its 1-based line and column, and the offset its line starts at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The offset the line starts at.
    pub line_start: usize,
}

/// [`line_columns`], with where each line starts.
pub fn positions(text: &str, sorted_offsets: &[usize]) -> Vec<Position> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(sorted_offsets.len());
    let (mut line, mut line_start, mut scanned) = (1, 0, 0);
    // Characters from the line start up to `scanned`, counted as the scan goes.
    let mut column = 0;
    for &offset in sorted_offsets {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        if offset > scanned {
            let mut counted_from = scanned;
            // Line breaks found by a fast search, not byte by byte: the text can be large.
            for i in
                memchr::memchr2_iter(b'\n', b'\r', &bytes[scanned..offset]).map(|i| scanned + i)
            {
                if is_line_break(bytes, i) {
                    line += 1;
                    line_start = i + 1;
                    counted_from = i + 1;
                    column = 0;
                }
            }
            column += text[counted_from..offset].chars().count();
            scanned = offset;
        }
        // Editors hide a byte order mark: it takes no column.
        let bom = usize::from(line_start == 0 && text.starts_with('\u{feff}') && offset > 0);
        out.push(Position { line, column: column - bom + 1, line_start });
    }
    out
}

/// [`line_columns`] of a text read a piece at a time from `read` (a file too large to hold),
/// which must be UTF-8.
pub fn line_columns_read(
    mut read: impl std::io::Read,
    sorted_offsets: &[usize],
) -> std::io::Result<Vec<(usize, usize)>> {
    let mut out = Vec::with_capacity(sorted_offsets.len());
    let mut counter = Counter { line: 1, column: 0, after_cr: false, head: Vec::new(), at: 0 };
    let mut chunk = vec![0u8; 1 << 20];
    let mut offsets = sorted_offsets.iter().copied().peekable();
    while offsets.peek().is_some() {
        let n = read.read(&mut chunk)?;
        // The piece is the text from `start` to `end`; at the end of the text (`n` is 0) the
        // offsets left are placed at the end.
        let (piece, start) = (&chunk[..n], counter.at);
        let end = start + n;
        while let Some(offset) = offsets.next_if(|&o| o < end || n == 0) {
            let offset = offset.min(end);
            counter.count(&piece[counter.at - start..offset - start]);
            out.push(counter.place(piece.get(offset - start).copied()));
        }
        counter.count(&piece[counter.at - start..]);
    }
    Ok(out)
}

/// The line and column at a point of a text read in order: what [`positions`] finds, counted
/// as the bytes go by.
struct Counter {
    line: usize,
    /// Characters since the line's start.
    column: usize,
    /// The last byte counted was a `\r`, which ends a line unless a `\n` follows.
    after_cr: bool,
    /// The first three bytes, for a byte order mark.
    head: Vec<u8>,
    /// The offset up to which bytes are counted.
    at: usize,
}

impl Counter {
    fn count(&mut self, mut bytes: &[u8]) {
        self.at += bytes.len();
        if self.head.len() < 3 {
            self.head.extend(bytes.iter().take(3 - self.head.len()));
        }
        let leads = |bytes: &[u8]| bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count();
        while let Some(&first) = bytes.first() {
            if std::mem::take(&mut self.after_cr) && first != b'\n' {
                self.line += 1;
                self.column = 0;
            }
            let Some(k) = memchr::memchr2(b'\n', b'\r', bytes) else {
                self.column += leads(bytes);
                return;
            };
            self.column += leads(&bytes[..k]);
            if bytes[k] == b'\n' {
                self.line += 1;
                self.column = 0;
            } else {
                // A column until what follows says whether it ends the line.
                self.column += 1;
                self.after_cr = true;
            }
            bytes = &bytes[k + 1..];
        }
    }

    /// The position at the offset counted to, whose byte is `next` (`None` at the end).
    fn place(&mut self, next: Option<u8>) -> (usize, usize) {
        if self.after_cr && next != Some(b'\n') {
            self.line += 1;
            self.column = 0;
            self.after_cr = false;
        }
        // Inside a character (a continuation byte), the position is the character's.
        let counted = self.column - usize::from(next.is_some_and(|b| b & 0xC0 == 0x80));
        // Editors hide a byte order mark: it takes no column.
        let bom = usize::from(self.line == 1 && counted > 0 && self.head == b"\xEF\xBB\xBF");
        (self.line, counted - bom + 1)
    }
}

/// Whether the byte at `i` ends a line: `\n`, or a `\r` not followed by `\n`.
pub fn is_line_break(bytes: &[u8], i: usize) -> bool {
    match bytes[i] {
        b'\n' => true,
        b'\r' => bytes.get(i + 1) != Some(&b'\n'),
        _ => false,
    }
}

/// The largest offset at most `at` that is a character boundary of `text`.
pub fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The longest prefix of `bytes` that is UTF-8 text.
pub fn utf8_prefix(bytes: &[u8]) -> &str {
    match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An offset inside a character (a span cut by a byte count) is placed on the character,
    /// never past it. Found by mutation testing: no test reached this.
    #[test]
    fn an_offset_inside_a_character_is_placed_on_that_character() {
        let text = "ab€d";
        assert_eq!(floor_char_boundary(text, 3), 2);
        assert_eq!(floor_char_boundary(text, 4), 2);
        assert_eq!(floor_char_boundary(text, 5), 5);
        assert_eq!(line_columns(text, &[3, 4, 5]), [(1, 3), (1, 3), (1, 4)]);
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "{\"name\": \"João\", \"x\": 1}";
        let x = text.find("1}").unwrap();
        assert_eq!(line_columns(text, &[x]), vec![(1, 23)]);
    }

    #[test]
    fn lines_advance_over_newlines() {
        let text = "[\n  1,\n  22\n]";
        let offsets = [0, text.find('1').unwrap(), text.find("22").unwrap(), text.len()];
        assert_eq!(line_columns(text, &offsets), vec![(1, 1), (2, 3), (3, 3), (4, 2)]);
    }

    #[test]
    fn old_mac_and_windows_line_endings_count_as_editors_do() {
        let text = "[\r  1,\r\n  22\r]";
        let offsets = [text.find('1').unwrap(), text.find("22").unwrap(), text.find(']').unwrap()];
        assert_eq!(line_columns(text, &offsets), vec![(2, 3), (3, 3), (4, 1)]);
    }

    /// A text read a piece at a time is placed as when held whole, whatever the pieces.
    #[test]
    fn positions_read_in_pieces_are_those_of_the_whole_text() {
        let text = "\u{feff}[\r\n  {\"é\": 1},\r  \"x€\"\n\r\n\r]\r";
        let offsets: Vec<usize> = (0..=text.len() + 2).collect();
        let clamped: Vec<usize> = offsets.iter().map(|&o| o.min(text.len())).collect();
        let whole = line_columns(text, &clamped);
        for piece in [1, 2, 3, 7, 1 << 20] {
            let read = Pieces { bytes: text.as_bytes(), piece };
            assert_eq!(line_columns_read(read, &offsets).unwrap(), whole, "pieces of {piece}");
        }
    }

    /// A reader that gives at most `piece` bytes a read.
    struct Pieces<'a> {
        bytes: &'a [u8],
        piece: usize,
    }

    impl std::io::Read for Pieces<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.piece.min(buf.len()).min(self.bytes.len());
            buf[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    #[test]
    fn invalid_utf8_keeps_offsets() {
        let source = Source::new("x", b"ab\xffc\xe2\x82".to_vec());
        let text = source.text();
        assert_eq!(text.len(), source.bytes.len());
        assert_eq!(text, "ab?c??");
    }
}
