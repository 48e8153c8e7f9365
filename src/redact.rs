//! `--redact`: captured profiles hold people's emails and names. A mask keeps each value's
//! length in bytes and in characters, so every span, line and column of a redacted report is
//! that of the plain one: `joao.silva@example.com` becomes `j***.s****@e******.com`, and
//! `João` becomes `J*·*` (a character of two bytes is masked by one of two bytes).
//!
//! Everything is done in one pass over what the linter already reads: [`Personal`] is filled
//! while each user is parsed for checking, then masks the text at the places it noted and
//! the findings wherever they quote one of its values. Findings quote values the way
//! `format!("{:?}")` (or a JSON encoder) writes them, so the quoted strings of the findings
//! (few) are decoded and gathered by fingerprint, then the values' fingerprints are scanned
//! once for them: time is linear in the length of the findings plus the number of values, and
//! memory holds a fingerprint per value, not the values.

use std::collections::HashMap;
use std::hash::Hasher;
use std::io::{self, Read, Seek, SeekFrom};
use std::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::json::parse::Reader;
use crate::json::{Kind, Tape, Value};
use crate::rules::{Documented, Object, User};
use crate::source::Source;

/// Messages quote a long string as its first this many characters and `…`.
const CUT: usize = 39;

/// The personal values of a text (a response body, a block of a large one): where each is
/// written, to mask the text, and fingerprints of their decoded texts and of their cuts, to
/// mask the findings. The request's search and ordering terms are kept whole: they are few,
/// and a finding may name them outside quotes (`ordering=name`).
#[derive(Debug, Clone, Default)]
pub struct Personal {
    written: Vec<Range<usize>>,
    whole: Vec<u64>,
    cut: Vec<u64>,
    terms: Vec<String>,
}

impl Personal {
    pub fn new() -> Self {
        Personal::default()
    }

    /// The same request terms, and no value: for another block of the same body.
    pub fn terms_only(&self) -> Self {
        Personal { terms: self.terms.clone(), ..Personal::default() }
    }

    /// One personal string, written at `written` (inside its quotes) and decoding to `decoded`.
    pub fn add(&mut self, written: Range<usize>, decoded: &str) {
        self.written.push(written);
        self.whole.push(fingerprint(decoded));
        if let Some((cut, _)) = decoded.char_indices().nth(CUT) {
            self.cut.push(fingerprint(&decoded[..cut]));
        }
    }

    /// A search or ordering term of the request, and where its URL's query is written.
    pub fn add_term(&mut self, written: Range<usize>, term: &str) {
        if !written.is_empty() {
            self.written.push(written);
        }
        // R007 quotes the term in lower case, as it compares it: mask that spelling too.
        for term in [term.to_owned(), term.to_lowercase()] {
            if !term.is_empty() && !self.terms.contains(&term) {
                self.terms.push(term);
            }
        }
    }

    /// The emails and names of a root array's users, or of a single user, or of the users of
    /// a list wrapper (`{"count": 1, "results": [...]}`).
    pub fn add_root(&mut self, root: Value<'_>) {
        let results = root.get("results").filter(|r| r.kind() == Kind::Array);
        match root.kind() {
            Kind::Array => root.elements().for_each(|user| self.add_user(user)),
            _ => self.add_user(root),
        }
        results.into_iter().flat_map(|r| r.elements()).for_each(|user| self.add_user(user));
    }

    /// The emails and names of a user and of its `changed_by` objects (those of its labels
    /// too), duplicates of a key included. Labels' own names are not personal.
    pub fn add_user(&mut self, user: Value<'_>) {
        if user.kind() != Kind::Object {
            return;
        }
        for &Documented { object, value, .. } in User::new(user, true).objects() {
            if object == Object::Label {
                continue;
            }
            for (key, value) in value.members_as_written() {
                let personal = key.is_key("email") || key.is_key("name");
                if let (true, Some(decoded)) = (personal, value.as_str()) {
                    let span = value.span();
                    self.add(span.offset + 1..span.end() - 1, decoded);
                }
            }
        }
    }

    /// Takes in the values of a part whose offsets `map` moves to where they are written.
    pub fn absorb_mapped(&mut self, part: Personal, map: &[usize]) {
        let last = map.len().saturating_sub(1);
        let at = |offset: usize| map.get(offset.min(last)).copied().unwrap_or(0);
        let written = part.written.into_iter().map(|w| at(w.start)..at(w.end));
        self.written.extend(written);
        self.whole.extend(part.whole);
        self.cut.extend(part.cut);
        for term in part.terms {
            self.add_term(0..0, &term);
        }
    }

    /// Lets go of where the values are written, keeping what masks the findings.
    pub fn forget_places(&mut self) {
        self.written = Vec::new();
    }

    /// Masks every noted value in `bytes`, the text the offsets are in.
    pub fn mask_text(&self, bytes: &mut [u8]) {
        let mut masked = String::new();
        for written in &self.written {
            if let Some(place) = bytes.get_mut(written.clone()) {
                mask_in_place(place, &mut masked);
            }
        }
    }

    /// Masks the values and terms wherever the findings' texts quote them.
    pub fn mask_findings(&self, diagnostics: &mut [Diagnostic]) {
        let mut quoted = Quoted::default();
        for d in diagnostics.iter_mut() {
            texts(d).for_each(|text| quoted.gather(text));
        }
        if !quoted.find(self) && self.terms.is_empty() {
            return;
        }
        for d in diagnostics {
            for text in texts(d) {
                if let Some(masked) = quoted.mask(text) {
                    *text = masked;
                }
                for term in &self.terms {
                    if text.contains(term.as_str()) {
                        *text = text.replace(term.as_str(), &mask(term));
                    }
                }
            }
        }
    }
}

/// Every text of a finding that a report shows.
fn texts(d: &mut Diagnostic) -> impl Iterator<Item = &mut String> {
    let related = d.related.iter_mut().map(|r| &mut r.label);
    [Some(&mut d.message), d.help.as_mut(), d.label.as_mut()].into_iter().flatten().chain(related)
}

/// The quoted stretches of some findings, by fingerprint, whole and (those ending in `…`)
/// cut, each marked once a personal value is found to be it.
#[derive(Default)]
struct Quoted {
    whole: HashMap<u64, bool>,
    cut: HashMap<u64, bool>,
}

impl Quoted {
    /// Each stretch between two unescaped quotes of `text`, decoded: a quote that opens no
    /// value (`is "a unique ... value"`) cannot throw the pairing off.
    fn stretches(text: &str) -> impl Iterator<Item = (Range<usize>, std::borrow::Cow<'_, str>)> {
        let quotes = unescaped_quotes(text.as_bytes());
        let pairs: Vec<(usize, usize)> = quotes.windows(2).map(|w| (w[0], w[1])).collect();
        pairs.into_iter().filter_map(move |(open, close)| {
            decode_quoted(&text[open + 1..close]).map(|decoded| (open..close + 1, decoded))
        })
    }

    /// The text after the last quote, for a text cut inside a quoted value (the validator's
    /// words are cut at 200 characters): where it starts, its first [`CUT`] characters if it
    /// has that many, and all of it, decoded.
    fn open_tail(text: &str) -> Option<(usize, String, String)> {
        let start = *unescaped_quotes(text.as_bytes()).last()? + 1;
        let tail = &text[start..];
        // The cut may have split an escape.
        let decoded = decode_quoted(tail).or_else(|| decode_quoted(&tail[..tail.rfind('\\')?]))?;
        let cut: String = decoded.chars().take(CUT).collect();
        (cut.chars().count() == CUT).then(|| (start, cut, decoded.into_owned()))
    }

    fn gather(&mut self, text: &str) {
        for (_, decoded) in Quoted::stretches(text) {
            self.whole.entry(fingerprint(&decoded)).or_insert(false);
            if let Some(cut) = decoded.strip_suffix('…') {
                self.cut.entry(fingerprint(cut)).or_insert(false);
            }
        }
        if let Some((_, cut, _)) = Quoted::open_tail(text) {
            self.cut.entry(fingerprint(&cut)).or_insert(false);
        }
    }

    /// Marks the stretches that are values of `personal`; whether any is.
    fn find(&mut self, personal: &Personal) -> bool {
        let mut any = false;
        for (found, values) in [(&mut self.whole, &personal.whole), (&mut self.cut, &personal.cut)]
        {
            if found.is_empty() {
                continue;
            }
            for value in values {
                if let Some(hit) = found.get_mut(value) {
                    *hit = true;
                    any = true;
                }
            }
        }
        any
    }

    /// `text` with every quoted personal value masked, or `None` when it quotes none.
    fn mask(&self, text: &str) -> Option<String> {
        let mut out: Option<String> = None;
        let mut copied = 0;
        for (place, decoded) in Quoted::stretches(text) {
            if place.start < copied {
                continue; // the closing quote of a stretch just masked
            }
            let masked = if self.whole.get(&fingerprint(&decoded)) == Some(&true) {
                mask(&decoded)
            } else {
                match decoded.strip_suffix('…') {
                    Some(cut) if self.cut.get(&fingerprint(cut)) == Some(&true) => {
                        format!("{}…", mask(cut))
                    }
                    _ => continue,
                }
            };
            let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
            out.push_str(&text[copied..place.start]);
            out.push_str(&format!("{masked:?}"));
            copied = place.end;
        }
        if let Some((start, cut, tail)) = Quoted::open_tail(text)
            && start >= copied
            && self.cut.get(&fingerprint(&cut)) == Some(&true)
        {
            let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
            out.push_str(&text[copied..start]);
            let quoted = format!("{:?}", mask(&tail));
            out.push_str(&quoted[1..quoted.len() - 1]);
            copied = text.len();
        }
        out.map(|mut out| {
            out.push_str(&text[copied..]);
            out
        })
    }
}

/// Masks `personal`'s values in `source` and wherever `diagnostics` quote them.
pub fn apply(source: &mut Source, personal: &Personal, diagnostics: &mut [Diagnostic]) {
    personal.mask_findings(diagnostics);
    if !personal.written.is_empty() {
        personal.mask_text(std::sync::Arc::make_mut(&mut source.bytes).as_mut_slice());
    }
}

/// A large file as the frames of a redacted report read it: each block of whole items (the
/// blocks it was checked in) is parsed again when a frame first touches it, and read with its
/// personal values masked. Memory holds two blocks; only the blocks frames touch are read.
pub struct Masked<R> {
    inner: R,
    blocks: Vec<Range<usize>>,
    pos: usize,
    /// The last blocks read, masked, by index.
    cache: Vec<(usize, Vec<u8>)>,
}

impl<R: Read + Seek> Masked<R> {
    pub fn new(inner: R, blocks: Vec<Range<usize>>) -> Self {
        Masked { inner, blocks, pos: 0, cache: Vec::new() }
    }

    /// Block `index`, masked.
    fn block(&mut self, index: usize) -> io::Result<&[u8]> {
        if let Some(at) = self.cache.iter().position(|(i, _)| *i == index) {
            return Ok(&self.cache[at].1);
        }
        let range = self.blocks[index].clone();
        let mut bytes = vec![0; range.len()];
        self.inner.seek(SeekFrom::Start(range.start as u64))?;
        self.inner.read_exact(&mut bytes)?;
        mask_items(&mut bytes)?;
        if self.cache.len() >= 2 {
            self.cache.remove(0);
        }
        self.cache.push((index, bytes));
        Ok(&self.cache[self.cache.len() - 1].1)
    }
}

/// Masks the personal values of `bytes`, items of an array (`item, item`). A block that no
/// longer parses (the file changed since) is an error: nothing of it is shown unmasked.
fn mask_items(bytes: &mut [u8]) -> io::Result<()> {
    let unreadable = || io::Error::new(io::ErrorKind::InvalidData, "the file changed");
    let mut personal = Personal::new();
    {
        let text = std::str::from_utf8(bytes).map_err(|_| unreadable())?;
        let mut reader = Reader::items_of(text);
        let mut tape = Tape::new(text);
        loop {
            reader.value(&mut tape).map_err(|_| unreadable())?;
            personal.add_user(tape.root());
            if !reader.separator().map_err(|_| unreadable())? {
                break;
            }
        }
    }
    personal.mask_text(bytes);
    Ok(())
}

impl<R: Read + Seek> Read for Masked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let pos = self.pos;
        let index = self.blocks.partition_point(|b| b.end <= pos);
        let n = match self.blocks.get(index).cloned() {
            Some(block) if block.start <= pos => {
                let masked = &self.block(index)?[pos - block.start..];
                let n = buf.len().min(masked.len());
                buf[..n].copy_from_slice(&masked[..n]);
                n
            }
            next => {
                // Between blocks (the brackets, the commas between blocks): as written.
                let limit = next.map_or(buf.len(), |b| buf.len().min(b.start - pos));
                self.inner.seek(SeekFrom::Start(pos as u64))?;
                self.inner.read(&mut buf[..limit])?
            }
        };
        self.pos += n;
        Ok(n)
    }
}

impl<R: Read + Seek> Seek for Masked<R> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let pos = match to {
            SeekFrom::Start(at) => at,
            SeekFrom::Current(by) => (self.pos as u64).checked_add_signed(by).ok_or_else(|| {
                io::Error::new(io::ErrorKind::InvalidInput, "before the start of the file")
            })?,
            SeekFrom::End(_) => self.inner.seek(to)?,
        };
        self.pos = usize::try_from(pos).map_err(|_| io::Error::other("beyond memory"))?;
        Ok(pos)
    }
}

/// A stable 64-bit fingerprint of a text. Two texts sharing one would both be masked; none is
/// ever left unmasked by it.
fn fingerprint(text: &str) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    hasher.write(text.as_bytes());
    hasher.finish()
}

/// The offsets of the `"` of `bytes` that no backslash escapes.
fn unescaped_quotes(bytes: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut backslashes = 0usize;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\\' => backslashes += 1,
            b'"' if backslashes.is_multiple_of(2) => {
                out.push(i);
                backslashes = 0;
            }
            _ => backslashes = 0,
        }
    }
    out
}

/// The text between two quotes as Rust's `{:?}` or a JSON encoder writes it, decoded; `None`
/// when an escape is neither's.
fn decode_quoted(inner: &str) -> Option<std::borrow::Cow<'_, str>> {
    if !inner.contains('\\') {
        return Some(inner.into());
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let unescaped = match chars.next()? {
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            '0' => '\0',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'u' => unicode_escape(&mut chars)?,
            c @ ('"' | '\\' | '/' | '\'') => c,
            _ => return None,
        };
        out.push(unescaped);
    }
    Some(out.into())
}

/// After `\u`: Rust's `{301}` or JSON's `0301`, a surrogate pair written as two escapes.
fn unicode_escape(chars: &mut std::str::Chars<'_>) -> Option<char> {
    let rest = chars.as_str();
    if let Some(braced) = rest.strip_prefix('{') {
        let end = braced.find('}')?;
        let code = u32::from_str_radix(&braced[..end], 16).ok()?;
        *chars = braced[end + 1..].chars();
        return char::from_u32(code);
    }
    let hex = |text: &str| u32::from_str_radix(text.get(..4)?, 16).ok();
    let high = hex(rest)?;
    *chars = rest[4..].chars();
    if !(0xD800..0xDC00).contains(&high) {
        return char::from_u32(high);
    }
    let low = chars.as_str().strip_prefix("\\u").and_then(hex)?;
    *chars = chars.as_str()[6..].chars();
    char::from_u32(0x10000 + ((high - 0xD800) << 10) + low.checked_sub(0xDC00)?)
}

/// Masks a value as written in place, through `masked`, a buffer used again for each value.
/// Text that is not UTF-8 (it cannot be, in a text that parsed) is masked byte by byte, which
/// keeps its length and its `?` for each bad byte.
fn mask_in_place(place: &mut [u8], masked: &mut String) {
    if place.is_ascii() {
        // Most emails, and many names: byte by byte, as `mask` would.
        let at = memchr::memrchr(b'@', place);
        let keep_from = at.and_then(|at| memchr::memrchr(b'.', &place[at..]).map(|dot| at + dot));
        let mut in_word = false;
        for (i, b) in place.iter_mut().enumerate() {
            if keep_from.is_some_and(|k| i >= k) || !b.is_ascii_alphanumeric() {
                in_word = false;
            } else if in_word {
                *b = b'*';
            } else {
                in_word = true;
            }
        }
        return;
    }
    match std::str::from_utf8(place) {
        Ok(text) => {
            masked.clear();
            mask_into(text, masked);
            if masked.len() == place.len() {
                place.copy_from_slice(masked.as_bytes());
            }
        }
        Err(_) => place.iter_mut().skip(1).for_each(|b| *b = b'*'),
    }
}

/// Each word keeps its first character; every other character becomes a mask of the same
/// length in bytes (`*`, `·`, `∗` or `🞶`), so the text keeps its bytes and its characters.
/// Separators stay, as does the last label of an email's domain (`.com`).
fn mask(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    mask_into(text, &mut out);
    out
}

fn mask_into(text: &str, out: &mut String) {
    let keep_from = text.rfind('@').and_then(|at| text[at..].rfind('.').map(|dot| at + dot));
    let mut in_word = false;
    for (i, c) in text.char_indices() {
        if keep_from.is_some_and(|k| i >= k) || !c.is_alphanumeric() {
            out.push(c);
            in_word = false;
        } else if in_word {
            out.push(match c.len_utf8() {
                1 => '*',
                2 => '·',
                3 => '∗',
                _ => '🞶',
            });
        } else {
            out.push(c);
            in_word = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_bytes_characters_and_shape() {
        assert_eq!(mask("joao.silva@example.com"), "j***.s****@e******.com");
        assert_eq!(mask("João Silva"), "J*·* S****");
        assert_eq!(mask("a+b@mail.example.co.uk"), "a+b@m***.e******.c*.uk");
        for text in ["João Silva", "Zoë Lefèvre", "李小龍", "𝒜𝒞𝒟 x", "Jose\u{301} A"]
        {
            let masked = mask(text);
            assert_eq!(masked.len(), text.len(), "{text}");
            assert_eq!(masked.chars().count(), text.chars().count(), "{text}");
            assert_ne!(masked, text);
        }
        for text in ["joao.silva@example.com", "a+b@mail.example.co.uk", "x@y", "@.", "Ana 2"] {
            let mut place = text.as_bytes().to_vec();
            mask_in_place(&mut place, &mut String::new());
            assert_eq!(String::from_utf8(place).unwrap(), mask(text), "{text}");
        }
    }

    fn personal(src: &str) -> Personal {
        let mut reader = Reader::new(src, 0);
        let mut tape = Tape::new(src);
        reader.value(&mut tape).unwrap();
        let mut personal = Personal::new();
        personal.add_root(tape.root());
        personal
    }

    #[test]
    fn only_emails_and_names_of_users_and_changed_by_are_personal() {
        let src = r#"[{"email": "ana@bee.co", "name": "Ana", "name": "Ana 2", "title": "dev",
            "changed_by": {"email": "cid@dee.co", "name": "Rui"}, "labels": [{"name": "prod",
            "changed_by": {"name": "Eva"}}]}]"#;
        let mut bytes = src.as_bytes().to_vec();
        personal(src).mask_text(&mut bytes);
        let masked = String::from_utf8(bytes).unwrap();
        for gone in ["ana@bee.co", "\"Ana\"", "Ana 2", "cid@dee.co", "Rui", "Eva"] {
            assert!(!masked.contains(gone), "{gone}: {masked}");
        }
        for kept in ["\"dev\"", "\"prod\""] {
            assert!(masked.contains(kept), "{kept}: {masked}");
        }
    }

    #[test]
    fn quoted_values_are_masked_however_they_are_escaped_or_cut() {
        let long = "Bartholomew Ykk-Long-Name-That-Goes-On-And-On";
        let src = format!(
            r#"{{"email": "O\"Brien\\x@y.co", "name": "Jose\u0301", "changed_by": {{"name": "{long}"}}}}"#
        );
        let personal = personal(&src);
        let cut: String = long.chars().take(CUT).collect();
        let mut d =
            Diagnostic::new(crate::Code::InvalidEmail, format!("{:?} is bad", "O\"Brien\\x@y.co"))
                .with_help(format!("the validator says: {}", serde_json::json!("O\"Brien\\x@y.co")))
                .with_label(format!("{:?}, or {:?}", "Jose\u{301}", format!("{cut}…")));
        personal.mask_findings(std::slice::from_mut(&mut d));
        // The validator's words cut at 200 characters, inside a long value.
        let said = format!("the validator says: {}", serde_json::json!(format!("{long} and on")));
        let mut cut_inside = Diagnostic::new(crate::Code::SchemaViolation, &said[..said.len() - 8]);
        personal.mask_findings(std::slice::from_mut(&mut cut_inside));
        assert!(!cut_inside.message.contains("artholomew"), "{}", cut_inside.message);
        let all = format!("{} {} {}", d.message, d.help.unwrap(), d.label.unwrap());
        for secret in ["Brien", "ose", "Bartholomew", "artholomew"] {
            assert!(!all.contains(secret), "{secret}: {all}");
        }
        assert!(all.contains(" is bad") && all.contains("the validator says: "), "{all}");
    }

    #[test]
    fn a_file_read_back_is_masked_block_by_block_and_as_written_between() {
        let text = r#"[{"name": "Ana Rui"}, {"name": "Eva"} ,{"name": "Rui"}]"#;
        let first = 1..text.find(',').unwrap();
        let second = text.find(" ,").unwrap() + 2..text.len() - 1;
        let mut file = Masked::new(std::io::Cursor::new(text), vec![first, second]);
        let mut all = String::new();
        file.read_to_string(&mut all).unwrap();
        assert_eq!(all, r#"[{"name": "A** R**"}, {"name": "Eva"} ,{"name": "R**"}]"#);
        file.seek(SeekFrom::Start(13)).unwrap();
        let mut piece = [0; 4];
        file.read_exact(&mut piece).unwrap();
        assert_eq!(&piece, b"* R*");
    }

    #[test]
    fn a_quote_that_opens_no_value_does_not_hide_the_next() {
        let personal = personal(r#"{"name": "Ana"}"#);
        let mask = |text: &str| {
            let mut quoted = Quoted::default();
            quoted.gather(text);
            quoted.find(&personal);
            quoted.mask(text)
        };
        let masked = mask(r#"is "a unique" then "Ana" and "x"#).unwrap();
        assert_eq!(masked, r#"is "a unique" then "A**" and "x"#);
        assert_eq!(mask(r#""Ana""Ana""#).unwrap(), r#""A**""A**""#);
        assert_eq!(mask(r#""Anabela" and Ana"#), None);
    }
}
