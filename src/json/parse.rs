//! A strict RFC 8259 parser that records spans and reads a top-level array one item at a time.
//!
//! It is hand-written rather than serde_json's because the linter needs what serde throws away:
//! the span of every value and key, the keys that appear twice, and, for a syntax error, the
//! exact byte at fault with a message a person understands.

use std::collections::HashMap;

use super::{Entry, Kind, Tape, bytes};
use crate::diagnostic::Span;

/// The deepest nesting of arrays and objects accepted (serde_json's default limit). Deeper input
/// is an error, never a stack overflow.
pub const MAX_DEPTH: usize = 128;

/// Keys an object has before its duplicates are found through an index, not a scan.
const INDEXED_KEYS: usize = 32;

/// A syntax error: what is wrong, where, and what would be right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub help: Option<String>,
    pub span: Span,
    /// The nesting limit was hit: the input may be fine JSON, just too deep to check.
    pub too_deep: bool,
}

/// A cursor over JSON text.
pub struct Reader<'s> {
    src: &'s str,
    bytes: &'s [u8],
    pos: usize,
    /// Depth of the container being streamed (1 inside a top-level array).
    base_depth: usize,
    /// Where the last item separator of a streamed array was, for "trailing comma".
    pending_comma: Option<usize>,
    items_seen: usize,
    /// Scratch stack of key entries of the objects being parsed, for duplicate detection.
    keys: Vec<u32>,
}

impl<'s> Reader<'s> {
    pub fn new(src: &'s str, start: usize) -> Self {
        Reader {
            src,
            bytes: src.as_bytes(),
            pos: start,
            base_depth: 0,
            pending_comma: None,
            items_seen: 0,
            keys: Vec::new(),
        }
    }

    /// A reader over items of an array whose brackets are elsewhere (a block of a large file:
    /// `item, item, item`), each parsed at the depth of an array item.
    pub fn items_of(src: &'s str) -> Self {
        Reader { base_depth: 1, ..Reader::new(src, 0) }
    }

    /// Past the `,` after an item: `Ok(true)` after a comma, `Ok(false)` at the end of the text.
    pub fn separator(&mut self) -> Result<bool, SyntaxError> {
        match self.peek() {
            None => Ok(false),
            Some(b',') => {
                self.pos += 1;
                Ok(true)
            }
            Some(_) => Err(self.unexpected("expected `,` after an array item")),
        }
    }

    /// The first byte of the next token, if any.
    pub fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.bytes.get(self.pos).copied()
    }

    /// Parses one whole value into `tape` (cleared first).
    pub fn value(&mut self, tape: &mut Tape<'s>) -> Result<(), SyntaxError> {
        tape.clear();
        self.parse_value(tape, self.base_depth)
    }

    /// Consumes the `[` of an array whose items will be read with [`Reader::next_item`].
    pub fn begin_array(&mut self) -> Result<(), SyntaxError> {
        if self.peek() != Some(b'[') {
            return Err(self.unexpected("expected `[`"));
        }
        self.pos += 1;
        self.base_depth = 1;
        Ok(())
    }

    /// Reads the next item of the array opened by [`Reader::begin_array`] into `tape`;
    /// `Ok(false)` after the closing `]`.
    pub fn next_item(&mut self, tape: &mut Tape<'s>) -> Result<bool, SyntaxError> {
        match self.peek() {
            Some(b']') => {
                if let Some(comma) = self.pending_comma {
                    return Err(trailing_comma(comma));
                }
                self.pos += 1;
                self.base_depth = 0;
                return Ok(false);
            }
            Some(b',') if self.items_seen > 0 && self.pending_comma.is_none() => {
                self.pending_comma = Some(self.pos);
                self.pos += 1;
                return self.next_item(tape);
            }
            None => return Err(self.end_of_input("the array is not closed with `]`")),
            Some(_) if self.items_seen > 0 && self.pending_comma.is_none() => {
                return Err(self.unexpected("expected `,` or `]` after an array item"));
            }
            Some(_) => {}
        }
        self.pending_comma = None;
        self.items_seen += 1;
        self.value(tape)?;
        Ok(true)
    }

    /// Checks that only whitespace follows the document.
    pub fn end(&mut self) -> Result<(), SyntaxError> {
        let after = self.pos;
        match self.peek() {
            None => Ok(()),
            // Another value on a line of its own: most likely JSON Lines read as one body
            // (from standard input, or a file not named `.jsonl`).
            Some(b'{' | b'[') if self.bytes[after..self.pos].contains(&b'\n') => Err(self
                .unexpected_with(
                    "unexpected text after the end of the JSON document",
                    "this looks like JSON Lines (one response per line): check it with \
                 `--input-format jsonl`, or name the file `.jsonl`",
                )),
            Some(_) => Err(self.unexpected("unexpected text after the end of the JSON document")),
        }
    }

    fn skip_ws(&mut self) {
        // Most values follow no whitespace or one space; indentation is passed over in chunks.
        if self.bytes.get(self.pos).is_some_and(|&b| super::is_whitespace(b)) {
            let next = bytes::whitespace_end(self.bytes, self.pos + 1);
            self.pos = next.unwrap_or(self.bytes.len());
        }
    }

    fn push(tape: &mut Tape<'s>, kind: Kind, offset: usize) -> u32 {
        let index = tape.entries.len() as u32;
        tape.entries.push(Entry {
            kind,
            span: Span::new(offset, 0),
            next: index + 1,
            aux: 0,
            shadowed: false,
        });
        index
    }

    fn parse_value(&mut self, tape: &mut Tape<'s>, depth: usize) -> Result<(), SyntaxError> {
        match self.peek() {
            Some(b'{') => self.object(tape, depth + 1),
            Some(b'[') => self.array(tape, depth + 1),
            Some(b'"') => self.string(tape).map(drop),
            Some(b'-' | b'0'..=b'9') => self.number(tape),
            Some(b't') => self.literal(tape, "true", Kind::Bool(true)),
            Some(b'f') => self.literal(tape, "false", Kind::Bool(false)),
            Some(b'n') => self.literal(tape, "null", Kind::Null),
            Some(_) => Err(self.unexpected("expected a JSON value")),
            None => Err(self.end_of_input("expected a JSON value")),
        }
    }

    fn enter(&self, depth: usize) -> Result<(), SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(SyntaxError {
                message: format!("nesting deeper than {MAX_DEPTH} levels"),
                help: Some(format!(
                    "a /profile/ response nests five levels deep; profile-lint reads up to \
                     {MAX_DEPTH} levels of arrays and objects"
                )),
                span: Span::new(self.pos, 1),
                too_deep: true,
            });
        }
        Ok(())
    }

    fn finish(tape: &mut Tape<'s>, index: u32, end: usize, count: u32) {
        let next = tape.entries.len() as u32;
        let entry = &mut tape.entries[index as usize];
        entry.span.len = end - entry.span.offset;
        entry.next = next;
        entry.aux = count;
    }

    fn array(&mut self, tape: &mut Tape<'s>, depth: usize) -> Result<(), SyntaxError> {
        self.enter(depth)?;
        let index = Self::push(tape, Kind::Array, self.pos);
        self.pos += 1;
        let mut count = 0;
        if self.peek() == Some(b']') {
            self.pos += 1;
            Self::finish(tape, index, self.pos, 0);
            return Ok(());
        }
        loop {
            self.parse_value(tape, depth)?;
            count += 1;
            match self.peek() {
                Some(b',') => {
                    let comma = self.pos;
                    self.pos += 1;
                    if self.peek() == Some(b']') {
                        return Err(trailing_comma(comma));
                    }
                }
                Some(b']') => break,
                None => return Err(self.end_of_input("the array is not closed with `]`")),
                Some(_) => return Err(self.unexpected("expected `,` or `]` after an array item")),
            }
        }
        self.pos += 1;
        Self::finish(tape, index, self.pos, count);
        Ok(())
    }

    fn object(&mut self, tape: &mut Tape<'s>, depth: usize) -> Result<(), SyntaxError> {
        self.enter(depth)?;
        let index = Self::push(tape, Kind::Object, self.pos);
        self.pos += 1;
        if self.peek() == Some(b'}') {
            self.pos += 1;
            Self::finish(tape, index, self.pos, 0);
            return Ok(());
        }
        let keys_base = self.keys.len();
        // A linear search finds duplicates in the small objects of a response; an object with
        // many keys gets an index, so that a hostile one stays linear to parse.
        let mut index_of: Option<HashMap<String, u32>> = None;
        // A bit for each key's length and ends: most keys of an object differ there, so a
        // key whose bit is not yet set needs no search.
        let mut written = 0u64;
        let mut live = 0;
        loop {
            match self.peek() {
                Some(b'"') => {}
                None => return Err(self.end_of_input("the object is not closed with `}`")),
                Some(b'\'') => {
                    return Err(self.unexpected_with(
                        "expected a key in double quotes",
                        "JSON strings use double quotes, not single quotes",
                    ));
                }
                Some(_) => return Err(self.unexpected("expected a key in double quotes")),
            }
            let key = self.string(tape)?;
            live += 1;
            if index_of.is_none() && self.keys.len() - keys_base >= INDEXED_KEYS {
                let keys = self.keys[keys_base..].iter().copied();
                let live = keys.filter(|&k| !tape.entries[k as usize].shadowed);
                index_of = Some(live.map(|k| (tape_str(tape, k).to_owned(), k)).collect());
            }
            let bit = key_bit(tape_str(tape, key));
            let first = match &mut index_of {
                Some(index) => index.insert(tape_str(tape, key).to_owned(), key),
                None if written & bit == 0 => None,
                None => self.find_key(tape, keys_base, key),
            };
            written |= bit;
            if let Some(first) = first {
                tape.entries[first as usize].shadowed = true;
                tape.duplicates.push((first, key));
                live -= 1;
            }
            self.keys.push(key);
            match self.peek() {
                Some(b':') => self.pos += 1,
                None => return Err(self.end_of_input("expected `:` after the key")),
                Some(_) => return Err(self.unexpected("expected `:` after the key")),
            }
            self.parse_value(tape, depth)?;
            match self.peek() {
                Some(b',') => {
                    let comma = self.pos;
                    self.pos += 1;
                    if self.peek() == Some(b'}') {
                        return Err(trailing_comma(comma));
                    }
                }
                Some(b'}') => break,
                None => return Err(self.end_of_input("the object is not closed with `}`")),
                Some(_) => {
                    return Err(self.unexpected("expected `,` or `}` after an object member"));
                }
            }
        }
        self.keys.truncate(keys_base);
        self.pos += 1;
        Self::finish(tape, index, self.pos, live);
        Ok(())
    }

    /// The live key of the current object equal to `key`, if any.
    fn find_key(&self, tape: &Tape<'s>, base: usize, key: u32) -> Option<u32> {
        let name = tape_str(tape, key);
        self.keys[base..].iter().copied().find(|&k| {
            let entry = &tape.entries[k as usize];
            // Most keys differ in length: compare that before the text.
            let plausible = entry.aux > 0 || entry.span.len == name.len() + 2;
            plausible && !entry.shadowed && tape_str(tape, k) == name
        })
    }

    /// Parses a string and returns its entry index.
    fn string(&mut self, tape: &mut Tape<'s>) -> Result<u32, SyntaxError> {
        let start = self.pos;
        let index = Self::push(tape, Kind::String, start);
        let mut i = start + 1;
        let mut escaped = false;
        loop {
            let Some(at) = bytes::string_run_end(self.bytes, i) else {
                self.pos = self.bytes.len();
                return Err(SyntaxError {
                    message: "the string is not closed".into(),
                    help: Some("close the string with `\"`".into()),
                    span: Span::new(start, 1),
                    too_deep: false,
                });
            };
            i = at;
            match self.bytes[i] {
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    i = self.check_escape(i)?;
                }
                b => {
                    return Err(SyntaxError {
                        message: format!("control character U+{b:04X} inside a string"),
                        help: Some(
                            "JSON strings must escape control characters (`\\n`, `\\t`, `\\u0000`)"
                                .into(),
                        ),
                        span: Span::new(i, 1),
                        too_deep: false,
                    });
                }
            }
        }
        let end = i + 1;
        self.pos = end;
        let entry = &mut tape.entries[index as usize];
        entry.span.len = end - start;
        if escaped {
            let decoded = self.decode(start + 1, i)?;
            tape.decoded.push(decoded);
            tape.entries[index as usize].aux = tape.decoded.len() as u32;
        }
        Ok(index)
    }

    /// Checks the escape at `at` (a backslash); returns the index just past it.
    fn check_escape(&self, at: usize) -> Result<usize, SyntaxError> {
        let bad = |len: usize, message: &str| {
            SyntaxError {
            message: message.into(),
            help: Some(
                "valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\u followed by four hex digits"
                    .into(),
            ),
            span: Span::new(at, len),
            too_deep: false,
        }
        };
        match self.bytes.get(at + 1) {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => Ok(at + 2),
            Some(b'u') => {
                let hex = self.bytes.get(at + 2..at + 6);
                match hex {
                    Some(h) if h.iter().all(u8::is_ascii_hexdigit) => Ok(at + 6),
                    _ => {
                        let len = self.bytes[at..].iter().take(6).count();
                        Err(bad(
                            self.char_len_from(at, len),
                            "`\\u` must be followed by four hex digits",
                        ))
                    }
                }
            }
            Some(_) => Err(bad(self.char_len_from(at, 2), "invalid escape in string")),
            None => Err(bad(1, "the string is not closed")),
        }
    }

    /// A span length of at least `min` bytes that ends on a character boundary.
    fn char_len_from(&self, at: usize, min: usize) -> usize {
        let mut end = (at + min).min(self.src.len());
        while !self.src.is_char_boundary(end) {
            end += 1;
        }
        end - at
    }

    /// Decodes the escapes of the string body `from..to` (already checked).
    fn decode(&self, from: usize, to: usize) -> Result<String, SyntaxError> {
        let body = &self.src[from..to];
        let mut out = String::with_capacity(body.len());
        let mut rest = body;
        while let Some(slash) = rest.find('\\') {
            out.push_str(&rest[..slash]);
            let at = from + (body.len() - rest.len()) + slash;
            let (c, consumed) =
                unescape(&rest.as_bytes()[slash + 1..]).map_err(|high| lone_surrogate(at, high))?;
            out.push(c);
            rest = &rest[slash + consumed..];
        }
        out.push_str(rest);
        Ok(out)
    }

    fn number(&mut self, tape: &mut Tape<'s>) -> Result<(), SyntaxError> {
        let start = self.pos;
        let b = self.bytes;
        let mut i = start;
        let digits = |i: &mut usize| {
            let from = *i;
            while b.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
            *i - from
        };
        let src = self.src;
        let invalid = |i: usize, message: &str| {
            // At least one character, and never past the text or inside a character.
            let mut end = i.max(start + 1).min(src.len());
            while !src.is_char_boundary(end) {
                end += 1;
            }
            SyntaxError {
                message: message.into(),
                help: Some("JSON numbers look like `-12`, `0.5` or `1e-3`".into()),
                span: Span::new(start, end - start),
                too_deep: false,
            }
        };
        if b[i] == b'-' {
            i += 1;
        }
        match b.get(i) {
            Some(b'0') => {
                i += 1;
                if b.get(i).is_some_and(u8::is_ascii_digit) {
                    digits(&mut i);
                    return Err(invalid(i, "numbers cannot have leading zeros"));
                }
            }
            Some(b'1'..=b'9') => {
                digits(&mut i);
            }
            _ => {
                let next = src[i.min(src.len())..].chars().next().map_or(0, char::len_utf8);
                return Err(invalid(i + next, "invalid number"));
            }
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            if digits(&mut i) == 0 {
                return Err(invalid(i, "a decimal point must be followed by digits"));
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if digits(&mut i) == 0 {
                return Err(invalid(i, "an exponent must have digits"));
            }
        }
        let index = Self::push(tape, Kind::Number, start);
        tape.entries[index as usize].span.len = i - start;
        self.pos = i;
        Ok(())
    }

    fn literal(&mut self, tape: &mut Tape<'s>, word: &str, kind: Kind) -> Result<(), SyntaxError> {
        if !self.src[self.pos..].starts_with(word) {
            return Err(self.unexpected("expected a JSON value"));
        }
        let index = Self::push(tape, kind, self.pos);
        tape.entries[index as usize].span.len = word.len();
        self.pos += word.len();
        Ok(())
    }

    fn end_of_input(&self, message: &str) -> SyntaxError {
        let empty = self.src.trim_start_matches('\u{feff}').trim_ascii().is_empty();
        let (message, help) = if empty {
            ("the input is empty".to_owned(), "a /profile/ response is a JSON array of users")
        } else {
            (
                format!("unexpected end of input: {message}"),
                "the input ends early: was the response cut off?",
            )
        };
        SyntaxError {
            message,
            help: Some(help.into()),
            span: Span::new(self.bytes.len(), 0),
            too_deep: false,
        }
    }

    fn unexpected(&self, message: &str) -> SyntaxError {
        let rest = &self.src[self.pos..];
        let help = if rest.starts_with("//") || rest.starts_with("/*") {
            "JSON has no comments"
        } else if rest.starts_with('\'') {
            "JSON strings use double quotes, not single quotes"
        } else if ["NaN", "Infinity", "-Infinity", "undefined"].iter().any(|w| rest.starts_with(w))
        {
            "JSON has no NaN, Infinity or undefined; use null or a string"
        } else if ["True", "False", "None", "Null", "TRUE", "FALSE", "NULL"]
            .iter()
            .any(|w| rest.starts_with(w))
        {
            "JSON literals are lowercase: true, false, null"
        } else if rest.starts_with('<') {
            "this looks like HTML or XML, not JSON (an error page?)"
        } else {
            ""
        };
        let found =
            rest.chars().next().map_or_else(String::new, |c| format!(", found {}", describe(c)));
        SyntaxError {
            message: format!("{message}{found}"),
            help: (!help.is_empty()).then(|| help.to_string()),
            span: Span::new(self.pos, rest.chars().next().map_or(0, char::len_utf8)),
            too_deep: false,
        }
    }

    fn unexpected_with(&self, message: &str, help: &str) -> SyntaxError {
        SyntaxError { help: Some(help.into()), ..self.unexpected(message) }
    }
}

/// A character as a message shows it: printable ones quoted, the others by code point.
fn describe(c: char) -> String {
    let invisible = c.is_control()
        || c.is_whitespace()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}');
    if invisible { format!("U+{:04X}", u32::from(c)) } else { format!("`{c}`") }
}

/// One of 64 bits for a key, from its length and first and last bytes: equal keys share it.
fn key_bit(key: &str) -> u64 {
    let bytes = key.as_bytes();
    let (first, last) = (bytes.first().copied(), bytes.last().copied());
    let mix =
        bytes.len() * 7 + usize::from(first.unwrap_or(0)) * 3 + usize::from(last.unwrap_or(0));
    1 << (mix % 64)
}

fn tape_str<'a>(tape: &'a Tape<'_>, index: u32) -> &'a str {
    let entry = &tape.entries[index as usize];
    if entry.aux > 0 {
        return &tape.decoded[entry.aux as usize - 1];
    }
    &tape.src[entry.span.offset + 1..entry.span.end() - 1]
}

/// The character an escape stands for, and how many bytes it is written in with its
/// backslash: `\n` is 2, `\u00e9` 6, a surrogate pair 12. `esc` is what follows the backslash,
/// already checked by the parser; `Err` holds a surrogate that has no partner.
pub(crate) fn unescape(esc: &[u8]) -> Result<(char, usize), u32> {
    let simple = match esc[0] {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        _ => {
            let high = hex4(&esc[1..5]);
            if !(0xD800..0xDC00).contains(&high) {
                return char::from_u32(high).map(|c| (c, 6)).ok_or(high);
            }
            let low = Some(&esc[5..])
                .filter(|rest| rest.starts_with(b"\\u") && rest.len() >= 6)
                .map(|rest| &rest[2..6])
                .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
                .map(hex4)
                .filter(|low| (0xDC00..0xE000).contains(low))
                .ok_or(high)?;
            let c = char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00));
            return c.map(|c| (c, 12)).ok_or(high);
        }
    };
    Ok((simple, 2))
}

fn hex4(digits: &[u8]) -> u32 {
    digits.iter().fold(0, |n, &d| n * 16 + char::from(d).to_digit(16).unwrap_or(0))
}

fn trailing_comma(at: usize) -> SyntaxError {
    SyntaxError {
        message: "trailing comma".into(),
        help: Some("JSON allows no comma after the last item; remove it".into()),
        span: Span::new(at, 1),
        too_deep: false,
    }
}

fn lone_surrogate(at: usize, unit: u32) -> SyntaxError {
    SyntaxError {
        message: format!("lone UTF-16 surrogate `\\u{unit:04X}` in a string"),
        help: Some(
            "a surrogate escape must be a high (D800-DBFF) and low (DC00-DFFF) pair; \
             this text cannot be decoded"
                .into(),
        ),
        span: Span::new(at, 6),
        too_deep: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Result<Tape<'_>, SyntaxError> {
        let mut tape = Tape::new(src);
        let mut reader = Reader::new(src, 0);
        reader.value(&mut tape)?;
        reader.end()?;
        Ok(tape)
    }

    /// Strings and whitespace are scanned sixteen bytes at a time (`json::bytes`): a quote,
    /// an escape or a control character at any place of a chunk, or across two, is read as
    /// serde_json reads it, and so is whitespace of any length.
    #[test]
    fn what_ends_a_run_is_found_at_every_place_of_a_chunk() {
        for before in 0..40 {
            let pad = "a".repeat(before);
            for inner in ["\\\"", "\\\\", "\\u00e9", "\u{1}", "\u{1f}", "é", "\u{7f}", ""] {
                let src = format!("[\"{pad}{inner}{pad}\", \"{pad}\"]");
                let ours = parse(&src).map(|t| t.root().to_serde()).ok();
                let theirs = serde_json::from_str::<serde_json::Value>(&src).ok();
                assert_eq!(ours, theirs, "{src:?}");
            }
            let ws = [" ", "\n", "\r", "\t"][before % 4].repeat(before);
            let src = format!("{ws}{{{ws}\"a\"{ws}:{ws}[{ws}1{ws},{ws}\"b\"{ws}]{ws}}}{ws}");
            let expected: serde_json::Value = serde_json::from_str(&src).unwrap();
            assert_eq!(parse(&src).unwrap().root().to_serde(), expected, "{src:?}");
            let form_feed = format!("[{ws}\u{c}1]");
            assert!(parse(&form_feed).is_err(), "a form feed is not JSON whitespace");
        }
    }

    #[test]
    fn spans_cover_values_as_written() {
        let tape = parse(r#"{"a": [1, "x\n"], "b": null}"#).unwrap();
        let root = tape.root();
        let a = root.get("a").unwrap();
        assert_eq!(a.raw(), r#"[1, "x\n"]"#);
        let x = a.elements().nth(1).unwrap();
        assert_eq!(x.raw(), r#""x\n""#);
        assert_eq!(x.as_str(), Some("x\n"));
        assert_eq!(root.get("b").unwrap().raw(), "null");
    }

    #[test]
    fn escaped_key_matches_its_decoded_name() {
        let tape = parse(r#"{"na\u006de": "Ana"}"#).unwrap();
        assert_eq!(tape.root().get("name").unwrap().as_str(), Some("Ana"));
    }

    #[test]
    fn surrogate_pair_decodes_to_one_character() {
        let tape = parse(r#""\ud83d\ude00""#).unwrap();
        assert_eq!(tape.root().as_str(), Some("😀"));
    }

    #[test]
    fn lone_surrogate_is_an_error_at_the_escape() {
        let err = parse(r#"["ab\ud800"]"#).unwrap_err();
        assert_eq!(err.span, Span::new(4, 6));
    }

    #[test]
    fn later_duplicate_key_wins_and_is_recorded() {
        let tape = parse(r#"{"a": 1, "a": 2}"#).unwrap();
        assert_eq!(tape.root().get("a").unwrap().raw(), "2");
        assert_eq!(tape.root().len(), 1);
        assert_eq!(tape.duplicates.len(), 1);
    }

    #[test]
    fn a_key_written_with_escapes_is_a_duplicate_of_its_plain_spelling() {
        for src in [r#"{"name": 1, "na\u006de": 2}"#, r#"{"na\u006de": 1, "name": 2}"#] {
            let tape = parse(src).unwrap();
            assert_eq!(tape.duplicates.len(), 1, "{src}");
            assert_eq!(tape.root().get("name").unwrap().raw(), "2", "{src}");
        }
    }

    #[test]
    fn duplicates_are_found_once_an_object_is_indexed() {
        // Past INDEXED_KEYS the search is by index: an early key written again is still found,
        // and so is a key written a third time.
        let keys: Vec<String> = (0..INDEXED_KEYS + 3).map(|i| format!("\"k{i}\": {i}")).collect();
        let src = format!("{{{}, \"k0\": \"again\", \"k0\": \"last\"}}", keys.join(", "));
        let tape = parse(&src).unwrap();
        assert_eq!(tape.duplicates.len(), 2);
        assert_eq!(tape.root().get("k0").unwrap().as_str(), Some("last"));
        assert_eq!(tape.root().len(), INDEXED_KEYS + 3);
    }

    #[test]
    fn an_unexpected_character_is_named_and_invisible_ones_by_code_point() {
        let message = |src| parse(src).unwrap_err().message;
        assert!(message("[1 x]").ends_with(", found `x`"), "{}", message("[1 x]"));
        assert!(message("[1\u{a0}]").ends_with(", found U+00A0"));
        assert!(message("[\u{200b}1]").ends_with(", found U+200B"));
        assert!(message("[1\u{1}]").ends_with(", found U+0001"));
        let help = |src| parse(src).unwrap_err().help;
        for comment in ["[1, /* two */ 2]", "[1, // two\n 2]"] {
            assert_eq!(help(comment).as_deref(), Some("JSON has no comments"), "{comment}");
        }
    }

    #[test]
    fn a_bad_number_is_spanned_to_the_character_after_the_sign() {
        assert_eq!(parse("[-x]").unwrap_err().span, Span::new(1, 2));
        assert_eq!(parse("[-]").unwrap_err().span, Span::new(1, 2));
    }

    #[test]
    fn trailing_comma_points_at_the_comma() {
        let err = parse("[1, 2,\n]").unwrap_err();
        assert_eq!(err.message, "trailing comma");
        assert_eq!(err.span, Span::new(5, 1));
    }

    #[test]
    fn nesting_beyond_the_limit_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        let err = parse(&deep).unwrap_err();
        assert!(err.too_deep);
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn an_invalid_number_is_spanned_inside_the_text() {
        assert_eq!(parse("-").unwrap_err().span, Span::new(0, 1));
        assert_eq!(parse("[-é]").unwrap_err().span, Span::new(1, 3));
    }

    #[test]
    fn leading_zero_is_rejected() {
        assert!(parse("012").is_err());
        assert!(parse("-0.5e+3").is_ok());
    }

    #[test]
    fn every_escape_decodes_to_its_character() {
        let tape = parse(r#""\"\\\/\b\f\n\r\t\u00e9""#).unwrap();
        assert_eq!(tape.root().as_str(), Some("\"\\/\u{8}\u{c}\n\r\té"));
    }

    #[test]
    fn a_bad_escape_is_spanned_to_a_character_boundary() {
        // The escape is `\` and `é`, two bytes of which are the `é`.
        assert_eq!(parse(r#""\é""#).unwrap_err().span, Span::new(1, 3));
        assert_eq!(parse(r#""\x""#).unwrap_err().span, Span::new(1, 2));
        assert_eq!(parse(r#""\u12é4""#).unwrap_err().span, Span::new(1, 6));
    }

    #[test]
    fn items_of_a_block_are_read_one_by_one_at_item_depth() {
        let mut tape = Tape::new("1, [2] ,3");
        let mut reader = Reader::items_of("1, [2] ,3");
        let mut raws = Vec::new();
        loop {
            reader.value(&mut tape).unwrap();
            raws.push(tape.root().raw().to_owned());
            if !reader.separator().unwrap() {
                break;
            }
        }
        assert_eq!(raws, ["1", "[2]", "3"]);
        let mut missing_comma = Reader::items_of("1 2");
        missing_comma.value(&mut Tape::new("1 2")).unwrap();
        assert!(missing_comma.separator().is_err());
        // An item is one level down: what is deep enough at the root is too deep as an item.
        let deepest = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(Reader::new(&deepest, 0).value(&mut Tape::new(&deepest)).is_ok());
        let err = Reader::items_of(&deepest).value(&mut Tape::new(&deepest)).unwrap_err();
        assert!(err.too_deep);
    }

    #[test]
    fn a_second_value_on_its_own_line_suggests_json_lines() {
        let help = |src| parse(src).unwrap_err().help;
        assert!(help("{}\n{}").is_some_and(|h| h.contains("--input-format jsonl")));
        assert!(help("[]\r\n[]").is_some_and(|h| h.contains("--input-format jsonl")));
        assert_eq!(help("{} {}"), None, "on the same line it is just text after the document");
        assert_eq!(help("{}\nx"), None);
    }

    #[test]
    fn truncated_input_points_at_the_end() {
        let err = parse(r#"{"a": "#).unwrap_err();
        assert_eq!(err.span, Span::new(6, 0));
    }
}
