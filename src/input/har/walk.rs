//! A large HAR file walked from disk a piece at a time, without building it: each item of
//! `log.entries` is handed over as it ends, and long strings (base64 images, scripts) are
//! checked as they pass but not kept, so memory holds one entry, not the file.
//!
//! The walk follows only the structure: strings, brackets, commas, and the keys `log` and
//! `entries`. What it keeps (each entry, and the file around the entries) is parsed by the
//! JSON parser, so nothing passes that a whole read would refuse. Anything unusual (a root
//! that is not an object, a key written with escapes or twice, text that is not UTF-8) makes
//! [`walk`] give up and return `None`: the file is then read whole, and reported as always.

use std::io::Read;
use std::ops::Range;

/// Strings longer than this are checked but not kept: a HAR entry's text is mostly its
/// headers and its body, and the bodies worth keeping (JSON of the endpoint) are kept whole
/// when their entry is wanted (see [`Item::emptied`]).
const LONG: usize = 64 << 10;

/// How much is read at a time.
const CHUNK: usize = 1 << 20;

/// Deeper than this, the file is read whole (and the parser's nesting limit speaks).
const MAX_DEPTH: usize = 512;

/// One item of `log.entries`.
pub(super) struct Item<'a> {
    /// Its index in `log.entries`.
    pub index: usize,
    /// Where it is in the file, from its first byte to the `,` or `]` after it.
    pub range: Range<usize>,
    /// Its text, with long strings emptied (`""`), so offsets in it past the first emptied
    /// string are not the file's.
    pub text: &'a [u8],
    /// Where in `text` the emptied strings start (their opening quotes).
    pub emptied: &'a [usize],
}

/// What the walk found around the entries.
pub(super) struct Outline {
    /// Where `log.entries` is, from `[` to `]`.
    pub entries: Range<usize>,
}

/// The role of an open container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Root,
    Log,
    Entries,
    Other,
}

/// The key an object member is under, where it matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Log,
    Entries,
    Other,
}

#[derive(Debug, Clone, Copy)]
struct Open {
    role: Role,
    object: bool,
    /// An object whose next string is a key.
    expect_key: bool,
    /// The key of the member being read.
    key: Key,
}

/// The string being read: where its opening quote is in the text kept, how long it is so
/// far, and its check once it is too long to keep.
struct Str {
    start: usize,
    len: usize,
    key: bool,
    long: Option<StringCheck>,
}

/// The entry being gathered.
struct Gathering {
    origin: usize,
    text: Vec<u8>,
    emptied: Vec<usize>,
}

struct Walker<'f> {
    /// File offset of the byte being looked at.
    offset: usize,
    stack: Vec<Open>,
    string: Option<Str>,
    escaped: bool,
    /// The file outside the entries (`"entries": []`), long strings emptied, for the parser.
    skeleton: Vec<u8>,
    entry: Option<Gathering>,
    /// In `log.entries`: a comma read, and no item after it yet.
    after_comma: bool,
    items: usize,
    entries: Option<Range<usize>>,
    /// The root object has been opened.
    rooted: bool,
    /// The keys `log` and `entries` have been read.
    seen: [bool; 2],
    each: &'f mut dyn FnMut(Item<'_>) -> Option<()>,
}

/// Walks the HAR text read from `read` (its first byte at file offset `start`, past a byte
/// order mark), handing `each` every entry in order; `None` when the file must be read whole,
/// or when `each` says so.
pub(super) fn walk(
    mut read: impl Read,
    start: usize,
    each: &mut dyn FnMut(Item<'_>) -> Option<()>,
) -> Option<Outline> {
    let mut walker = Walker {
        offset: start,
        stack: Vec::new(),
        string: None,
        escaped: false,
        skeleton: Vec::new(),
        entry: None,
        after_comma: false,
        items: 0,
        entries: None,
        rooted: false,
        seen: [false; 2],
        each,
    };
    let mut chunk = vec![0u8; CHUNK];
    loop {
        let n = read.read(&mut chunk).ok()?;
        if n == 0 {
            break;
        }
        walker.scan(&chunk[..n])?;
    }
    if walker.string.is_some() || !walker.stack.is_empty() {
        return None;
    }
    // What is around the entries is JSON too.
    crate::json::parse_whole(std::str::from_utf8(&walker.skeleton).ok()?, 0).ok()?;
    Some(Outline { entries: walker.entries? })
}

impl Walker<'_> {
    fn scan(&mut self, buf: &[u8]) -> Option<()> {
        let mut i = 0;
        while i < buf.len() {
            if self.string.is_none() {
                self.structure(buf[i])?;
                i += 1;
                self.offset += 1;
                continue;
            }
            let taken = if self.escaped {
                self.escaped = false;
                self.content(&buf[i..=i])?;
                1
            } else {
                match memchr::memchr2(b'"', b'\\', &buf[i..]) {
                    None => {
                        self.content(&buf[i..])?;
                        buf.len() - i
                    }
                    Some(k) if buf[i + k] == b'\\' => {
                        self.content(&buf[i..=i + k])?;
                        self.escaped = true;
                        k + 1
                    }
                    Some(k) => {
                        self.content(&buf[i..i + k])?;
                        self.close_string()?;
                        k + 1
                    }
                }
            };
            i += taken;
            self.offset += taken;
        }
        Some(())
    }

    /// Where kept text goes: the entry being gathered, nowhere between entries, else the
    /// skeleton.
    fn sink(&mut self) -> Option<&mut Vec<u8>> {
        match (&mut self.entry, self.stack.last()) {
            (Some(entry), _) => Some(&mut entry.text),
            (None, Some(open)) if open.role == Role::Entries => None,
            (None, _) => Some(&mut self.skeleton),
        }
    }

    fn keep(&mut self, bytes: &[u8]) {
        if let Some(sink) = self.sink() {
            sink.extend_from_slice(bytes);
        }
    }

    /// Bytes inside a string (escapes included, as written).
    fn content(&mut self, bytes: &[u8]) -> Option<()> {
        let string = self.string.as_mut()?;
        string.len += bytes.len();
        if let Some(check) = string.long.as_mut() {
            return check.feed(bytes);
        }
        let (start, long) = (string.start, string.len > LONG && !string.key);
        self.keep(bytes);
        if long {
            // Too long to keep: what was kept of it is checked, then let go.
            let mut check = StringCheck::default();
            if let Some(sink) = self.sink() {
                check.feed(&sink[start + 1..])?;
                sink.truncate(start + 1);
            }
            if let Some(entry) = self.entry.as_mut() {
                entry.emptied.push(start);
            }
            self.string.as_mut()?.long = Some(check);
        }
        Some(())
    }

    fn close_string(&mut self) -> Option<()> {
        let string = self.string.take()?;
        if let Some(check) = string.long {
            check.finish()?;
        }
        self.keep(b"\"");
        if string.key {
            let key = self.sink().map(|sink| sink[string.start + 1..sink.len() - 1].to_vec());
            self.name_key(&key.unwrap_or_default())?;
        }
        Some(())
    }

    /// A key of the root or of `log` just read: the members that lead to the entries are
    /// noted, and must be written once and plainly, as the parser would read them.
    fn name_key(&mut self, key: &[u8]) -> Option<()> {
        let open = self.stack.last_mut()?;
        let (wanted, slot, name) = match open.role {
            Role::Root => (Key::Log, 0, b"log".as_slice()),
            Role::Log => (Key::Entries, 1, b"entries".as_slice()),
            _ => return Some(()),
        };
        if key.contains(&b'\\') {
            return None;
        }
        open.key = if key == name { wanted } else { Key::Other };
        if open.key == wanted {
            if self.seen[slot] {
                return None;
            }
            self.seen[slot] = true;
        }
        Some(())
    }

    /// One byte outside strings.
    fn structure(&mut self, b: u8) -> Option<()> {
        let top = self.stack.last().copied();
        if top.is_none() && !crate::json::is_whitespace(b) && (b != b'{' || self.rooted) {
            // The root must be an object, and only whitespace may follow it.
            return None;
        }
        if top.is_some_and(|t| t.role == Role::Entries) && !crate::json::is_whitespace(b) {
            self.in_entries(b)?;
        }
        self.keep(&[b]);
        match b {
            b'"' => {
                let key = top.is_some_and(|t| t.object && t.expect_key)
                    && matches!(top.map(|t| t.role), Some(Role::Root | Role::Log));
                let start = self.sink().map_or(0, |sink| sink.len() - 1);
                self.string = Some(Str { start, len: 0, key, long: None });
            }
            b'{' | b'[' => self.open(b, top)?,
            b'}' | b']' => self.close()?,
            b',' => {
                if let Some(open) = self.stack.last_mut().filter(|o| o.object) {
                    open.expect_key = true;
                    open.key = Key::Other;
                }
            }
            b':' => {
                if let Some(open) = self.stack.last_mut() {
                    open.expect_key = false;
                }
            }
            _ => {}
        }
        Some(())
    }

    /// A byte other than whitespace directly inside `log.entries`: an item starts, or the
    /// one being gathered ends.
    fn in_entries(&mut self, b: u8) -> Option<()> {
        match (b, self.entry.is_some()) {
            (b',' | b']', true) => {
                let entry = self.entry.take()?;
                let item = Item {
                    index: self.items,
                    range: entry.origin..self.offset,
                    text: &entry.text,
                    emptied: &entry.emptied,
                };
                (self.each)(item)?;
                self.items += 1;
                self.after_comma = b == b',';
            }
            // `[,` or `[1,,2]` or `[1,]`: for the parser to say.
            (b',', false) => return None,
            (b']', false) if self.after_comma => return None,
            (b']', false) => {}
            (_, true) => {}
            (_, false) => {
                let origin = self.offset;
                self.entry = Some(Gathering { origin, text: Vec::new(), emptied: Vec::new() });
                self.after_comma = false;
            }
        }
        Some(())
    }

    fn open(&mut self, b: u8, top: Option<Open>) -> Option<()> {
        let role = match (top.map(|t| (t.role, t.key)), b) {
            (None, b'{') => {
                self.rooted = true;
                Role::Root
            }
            (Some((Role::Root, Key::Log)), b'{') => Role::Log,
            (Some((Role::Log, Key::Entries)), b'[') => {
                self.entries = Some(self.offset..self.offset);
                Role::Entries
            }
            // `log` or `entries` of another kind than a HAR's: not a HAR, for the whole read.
            (Some((Role::Root, Key::Log) | (Role::Log, Key::Entries)), _) => return None,
            _ => Role::Other,
        };
        if self.stack.len() >= MAX_DEPTH {
            return None;
        }
        let object = b == b'{';
        self.stack.push(Open { role, object, expect_key: object, key: Key::Other });
        Some(())
    }

    fn close(&mut self) -> Option<()> {
        let open = self.stack.pop()?;
        if open.role == Role::Entries {
            // The entries are left out of the skeleton: `"entries": []`.
            self.skeleton.push(b']');
            let entries = self.entries.as_mut()?;
            entries.end = self.offset + 1;
        }
        Some(())
    }
}

/// The checks the parser makes of a string's content, made a piece at a time: UTF-8, no
/// control characters, escapes that exist, and surrogates in pairs.
#[derive(Debug, Default)]
struct StringCheck {
    /// The first bytes of a character split between pieces.
    partial: Vec<u8>,
    escape: Escape,
    /// A high surrogate read, whose low half must follow at once.
    high: bool,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Escape {
    #[default]
    None,
    /// After a backslash.
    Started,
    /// Inside `\uXXXX`: the digits read, and their value.
    Hex(u8, u32),
}

impl StringCheck {
    fn feed(&mut self, mut bytes: &[u8]) -> Option<()> {
        while !bytes.is_empty() {
            match self.escape {
                Escape::None => {
                    let plain = memchr::memchr(b'\\', bytes).unwrap_or(bytes.len());
                    if plain > 0 && self.high {
                        return None;
                    }
                    self.plain(&bytes[..plain])?;
                    if plain < bytes.len() {
                        if !self.partial.is_empty() {
                            return None;
                        }
                        self.escape = Escape::Started;
                        bytes = &bytes[plain + 1..];
                    } else {
                        bytes = &[];
                    }
                }
                Escape::Started => {
                    self.escape = match bytes[0] {
                        b'u' => Escape::Hex(0, 0),
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' if !self.high => {
                            Escape::None
                        }
                        _ => return None,
                    };
                    bytes = &bytes[1..];
                }
                Escape::Hex(digits, value) => {
                    let digit = char::from(bytes[0]).to_digit(16)?;
                    let value = value * 16 + digit;
                    self.escape = Escape::Hex(digits + 1, value);
                    if digits == 3 {
                        self.unit(value)?;
                    }
                    bytes = &bytes[1..];
                }
            }
        }
        Some(())
    }

    /// A `\uXXXX` escape's value: surrogates must come in high-low pairs.
    fn unit(&mut self, value: u32) -> Option<()> {
        let (high, low) = ((0xD800..0xDC00).contains(&value), (0xDC00..0xE000).contains(&value));
        if low != self.high {
            return None;
        }
        self.high = high;
        self.escape = Escape::None;
        Some(())
    }

    /// Text between escapes.
    fn plain(&mut self, mut bytes: &[u8]) -> Option<()> {
        if bytes.iter().any(|&b| b < 0x20) {
            return None;
        }
        // Complete a character begun in the last piece.
        while !self.partial.is_empty() && !bytes.is_empty() {
            self.partial.push(bytes[0]);
            bytes = &bytes[1..];
            match std::str::from_utf8(&self.partial) {
                Ok(_) => self.partial.clear(),
                Err(e) if e.error_len().is_some() => return None,
                Err(_) => {}
            }
        }
        match std::str::from_utf8(bytes) {
            Ok(_) => Some(()),
            Err(e) if e.error_len().is_none() => {
                self.partial = bytes[e.valid_up_to()..].to_vec();
                Some(())
            }
            Err(_) => None,
        }
    }

    fn finish(&self) -> Option<()> {
        (self.escape == Escape::None && !self.high && self.partial.is_empty()).then_some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the parser takes `content` as a string's.
    fn parser_takes(content: &[u8]) -> bool {
        let mut text = b"\"".to_vec();
        text.extend_from_slice(content);
        text.push(b'"');
        std::str::from_utf8(&text).is_ok_and(|text| crate::json::parse_document(text).is_ok())
    }

    fn check_takes(content: &[u8], piece: usize) -> bool {
        let mut check = StringCheck::default();
        content.chunks(piece.max(1)).all(|p| check.feed(p).is_some()) && check.finish().is_some()
    }

    #[test]
    fn long_strings_are_checked_as_the_parser_checks_them() {
        let cases: &[&[u8]] = &[
            b"plain",
            "é😀".as_bytes(),
            b"\\n\\t\\\"\\\\\\/\\b\\f\\r",
            b"\\u00e9\\ud83d\\ude00",
            b"\\ud83d",
            b"\\ude00",
            b"\\ud83dx",
            b"\\ud83d\\n",
            b"\\u12",
            b"\\u12g4",
            b"\\x",
            b"tab\there",
            b"\xff",
            b"\xe2\x82",
            b"\xe2\x82\\n",
            b"\xc3\xa9\xc3",
            b"trailing\\",
        ];
        for content in cases {
            for piece in [1, 2, 3, 5, 64] {
                assert_eq!(
                    check_takes(content, piece),
                    parser_takes(content),
                    "{:?} in pieces of {piece}",
                    String::from_utf8_lossy(content)
                );
            }
        }
    }
}
