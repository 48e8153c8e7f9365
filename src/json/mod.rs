//! A JSON value as it was written: every node keeps the byte span it came from.
//!
//! The linter never builds a `serde_json::Value` on its hot path. A document is parsed into a
//! flat [`Tape`] (one entry per node, in document order, strings borrowed from the source unless
//! they hold escapes), the schema validator walks the tape directly (see [`validate`]), and a
//! finding's JSON pointer is resolved back to a span by walking the same tape.
//! A top-level array is parsed one item at a time (see [`parse::Reader::next_item`]), so
//! memory holds one user, not the file.

pub(crate) mod bytes;
pub mod parse;
pub mod pointer;
pub mod validate;

use std::borrow::Cow;

use crate::diagnostic::Span;

/// What a node is. Containers know how many live members they have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Null,
    Bool(bool),
    Number,
    String,
    Array,
    Object,
}

#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) kind: Kind,
    pub(crate) span: Span,
    /// Index just past this node's subtree: the next sibling, for walking children.
    pub(crate) next: u32,
    /// Arrays: element count; objects: live member count (shadowed duplicates excluded);
    /// strings: 1 + index into `Tape::decoded` when the string had escapes, else 0.
    pub(crate) aux: u32,
    /// A key overridden by a later duplicate of itself in the same object.
    pub(crate) shadowed: bool,
}

/// Parses `text` as one JSON document with profile-lint's own parser, into a `serde_json`
/// value: for comparing the parser with others (the fuzz target does); the linter itself
/// never builds one.
pub fn parse_document(text: &str) -> Result<serde_json::Value, parse::SyntaxError> {
    Ok(parse_whole(text, 0)?.root().to_serde())
}

/// `text` parsed as one whole JSON document (only whitespace after it), placed at `origin`
/// of its file.
pub(crate) fn parse_whole(text: &str, origin: usize) -> Result<Tape<'_>, parse::SyntaxError> {
    let mut tape = Tape::placed(text, origin);
    let mut reader = parse::Reader::new(text, 0);
    reader.value(&mut tape).and_then(|()| reader.end())?;
    Ok(tape)
}

/// JSON's whitespace (RFC 8259, section 2): not the form feed that `u8::is_ascii_whitespace`
/// adds.
pub(crate) fn is_whitespace(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// One parsed JSON value and all its descendants.
#[derive(Debug)]
pub struct Tape<'src> {
    pub(crate) src: &'src str,
    /// Where `src` starts in its file: spans given out are the file's, so a block of a large
    /// file reports, and remembers for later comparisons, the positions a whole read would.
    origin: usize,
    pub(crate) entries: Vec<Entry>,
    pub(crate) decoded: Vec<String>,
    /// Keys written twice in one object: (first key, later key) entry indices.
    pub(crate) duplicates: Vec<(u32, u32)>,
}

impl<'src> Tape<'src> {
    pub(crate) fn new(src: &'src str) -> Self {
        Tape::placed(src, 0)
    }

    /// A tape for `src`, which starts at byte `origin` of its file.
    pub(crate) fn placed(src: &'src str, origin: usize) -> Self {
        Tape { src, origin, entries: Vec::new(), decoded: Vec::new(), duplicates: Vec::new() }
    }

    /// How many values the tape holds, keys included.
    pub fn values(&self) -> usize {
        self.entries.len()
    }

    pub(crate) fn clear(&mut self) {
        self.entries.clear();
        self.decoded.clear();
        self.duplicates.clear();
    }

    /// Keys written twice in one object, as (first key, later key).
    pub fn duplicate_keys(&self) -> impl Iterator<Item = (Value<'_>, Value<'_>)> {
        self.duplicates.iter().map(|&(a, b)| (self.node(a), self.node(b)))
    }

    pub(crate) fn node(&self, index: u32) -> Value<'_> {
        Value { tape: self, index }
    }

    /// The root node. Only valid on a tape that holds a parsed value.
    pub fn root(&self) -> Value<'_> {
        Value { tape: self, index: 0 }
    }
}

impl Kind {
    /// The kind as a message names it: "a string", "an object", "null".
    pub fn with_article(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Bool(_) => "a boolean",
            Kind::Number => "a number",
            Kind::String => "a string",
            Kind::Array => "an array",
            Kind::Object => "an object",
        }
    }
}

/// A handle on one node of a tape; cheap to copy.
#[derive(Clone, Copy)]
pub struct Value<'a> {
    pub(crate) tape: &'a Tape<'a>,
    pub(crate) index: u32,
}

impl std::fmt::Debug for Value<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}@{:?}", self.kind(), self.span())
    }
}

impl<'a> Value<'a> {
    fn entry(&self) -> &'a Entry {
        &self.tape.entries[self.index as usize]
    }

    pub fn kind(&self) -> Kind {
        self.entry().kind
    }

    /// The bytes of the value as written, quotes and brackets included, in its file.
    pub fn span(&self) -> Span {
        let span = self.entry().span;
        Span::new(span.offset + self.tape.origin, span.len)
    }

    /// The text of the value as written.
    pub fn raw(&self) -> &'a str {
        let span = self.entry().span;
        &self.tape.src[span.offset..span.end()]
    }

    /// The decoded text of a string value.
    pub fn as_str(&self) -> Option<&'a str> {
        let entry = self.entry();
        if entry.kind != Kind::String {
            return None;
        }
        if entry.aux > 0 {
            return self.tape.decoded.get(entry.aux as usize - 1).map(String::as_str);
        }
        // Called for every key and string the validator and the rules look at: one slice
        // between the quotes, not the value's and then its inside.
        let span = entry.span;
        self.tape.src.get(span.offset + 1..span.end().saturating_sub(1))
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.kind() {
            Kind::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// Number of elements of an array or live members of an object.
    pub fn len(&self) -> usize {
        match self.kind() {
            Kind::Array | Kind::Object => self.entry().aux as usize,
            _ => 0,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn at(&self, index: u32) -> Value<'a> {
        Value { tape: self.tape, index }
    }

    /// The elements of an array (empty for anything else).
    pub fn elements(&self) -> Elements<'a> {
        let end = if self.kind() == Kind::Array { self.entry().next } else { self.index + 1 };
        Elements { tape: self.tape, cursor: self.index + 1, end }
    }

    /// The members of an object as (key, value), in document order, without the keys that a
    /// later duplicate overrides (the value that counts is the last one, as serde_json keeps it).
    pub fn members(&self) -> Members<'a> {
        let end = if self.kind() == Kind::Object { self.entry().next } else { self.index + 1 };
        Members { tape: self.tape, cursor: self.index + 1, end, all: false }
    }

    /// Every member as written, duplicates included.
    pub fn members_as_written(&self) -> Members<'a> {
        Members { all: true, ..self.members() }
    }

    /// The value of a member, the last one when the key is duplicated.
    pub fn get(&self, key: &str) -> Option<Value<'a>> {
        self.members().find(|(k, _)| k.is_key(key)).map(|(_, v)| v)
    }

    /// Whether this string is `key`. Keys are compared on every lookup, so the common case (no
    /// escapes) compares the bytes as written, length first.
    pub(crate) fn is_key(&self, key: &str) -> bool {
        let entry = self.entry();
        if entry.aux > 0 {
            return self.tape.decoded[entry.aux as usize - 1] == key;
        }
        let span = entry.span;
        span.len == key.len() + 2
            && self.tape.src.as_bytes().get(span.offset + 1..span.end() - 1) == Some(key.as_bytes())
    }

    /// Builds a `serde_json::Value`; for cold paths (error messages, `const` comparisons).
    pub fn to_serde(self) -> serde_json::Value {
        use serde_json::Value as J;
        match self.kind() {
            Kind::Null => J::Null,
            Kind::Bool(b) => J::Bool(b),
            Kind::Number => J::Number(number_from_text(self.raw())),
            Kind::String => J::String(self.as_str().unwrap_or_default().to_owned()),
            Kind::Array => J::Array(self.elements().map(|v| v.to_serde()).collect()),
            Kind::Object => J::Object(
                self.members()
                    .map(|(k, v)| (k.as_str().unwrap_or_default().to_owned(), v.to_serde()))
                    .collect(),
            ),
        }
    }

    /// Decoded text of a string, or the source text of anything else, for messages.
    pub fn display(&self) -> Cow<'a, str> {
        match self.as_str() {
            Some(s) => Cow::Owned(format!("{s:?}")),
            None => Cow::Borrowed(self.raw()),
        }
    }
}

/// A JSON number as the closest `serde_json::Number`. Magnitudes beyond `f64` saturate: no
/// documented field is a number, so only the fact that it is one matters to validation.
pub(crate) fn number_from_text(text: &str) -> serde_json::Number {
    if let Ok(n) = text.parse::<u64>() {
        return n.into();
    }
    if let Ok(n) = text.parse::<i64>() {
        return n.into();
    }
    let f = text.parse::<f64>().unwrap_or(0.0);
    let f = if f.is_finite() { f } else { f64::MAX.copysign(f) };
    serde_json::Number::from_f64(f).unwrap_or_else(|| 0.into())
}

pub struct Elements<'a> {
    tape: &'a Tape<'a>,
    cursor: u32,
    end: u32,
}

impl<'a> Iterator for Elements<'a> {
    type Item = Value<'a>;
    fn next(&mut self) -> Option<Value<'a>> {
        if self.cursor >= self.end {
            return None;
        }
        let value = Value { tape: self.tape, index: self.cursor };
        self.cursor = value.entry().next;
        Some(value)
    }
}

pub struct Members<'a> {
    tape: &'a Tape<'a>,
    cursor: u32,
    end: u32,
    all: bool,
}

impl<'a> Iterator for Members<'a> {
    type Item = (Value<'a>, Value<'a>);
    fn next(&mut self) -> Option<Self::Item> {
        while self.cursor < self.end {
            let key = Value { tape: self.tape, index: self.cursor };
            let value = key.at(self.cursor + 1);
            self.cursor = value.entry().next;
            if self.all || !key.entry().shadowed {
                return Some((key, value));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_parses_to_its_value_the_last_of_a_repeated_key_winning() {
        let value = parse_document(r#"{"a": [1, "x", null], "a": {"b": true}}"#).unwrap();
        assert_eq!(value, serde_json::json!({"a": {"b": true}}));
        assert!(parse_document("[1,]").is_err());
        assert!(parse_document("[] []").is_err());
    }

    /// The count behind the limit of values a user may hold (P007): keys count too.
    #[test]
    fn a_tape_counts_its_values_keys_included() {
        let text = r#"{"a": [1, 2], "b": "x"}"#;
        let mut tape = Tape::new(text);
        parse::Reader::new(text, 0).value(&mut tape).unwrap();
        // The object, two keys, the array and its two numbers, and the string.
        assert_eq!(tape.values(), 7);
    }

    #[test]
    fn len_counts_elements_and_the_members_that_count() {
        let text = r#"[[], [1, 2, 3], {"a": 1, "a": 2, "b": 3}, "xyz"]"#;
        let mut tape = Tape::new(text);
        parse::Reader::new(text, 0).value(&mut tape).unwrap();
        let lens: Vec<(usize, bool)> =
            tape.root().elements().map(|v| (v.len(), v.is_empty())).collect();
        // A repeated key counts once: the value that counts is the last.
        assert_eq!(lens, [(0, true), (3, false), (2, false), (0, true)]);
        assert_eq!(tape.root().len(), 4);
    }
}
