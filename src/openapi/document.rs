//! An OpenAPI document as written, JSON or YAML: its value, and where each of its values is, so
//! that a problem in the document is reported at its line and column.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};
use serde_json::{Map, Number, Value as Json};

use crate::diagnostic::Span;
use crate::json::parse::Reader;
use crate::json::{Kind, Tape, Value, pointer};

/// A document's value and the place of each of its values, by JSON pointer (RFC 6901).
#[derive(Debug, Default)]
pub struct Document {
    pub value: Json,
    places: HashMap<String, Span>,
}

/// Why a document could not be read, and where.
#[derive(Debug)]
pub struct Unreadable {
    pub message: String,
    pub span: Span,
}

impl Document {
    /// Reads `text` as JSON when it starts like JSON, else as YAML.
    pub fn read(text: &str) -> Result<Document, Unreadable> {
        let start = text.trim_start_matches('\u{feff}').trim_start();
        if start.starts_with('{') || start.starts_with('[') {
            Document::json(text)
        } else {
            Document::yaml(text)
        }
    }

    /// Where the value at `pointer` is written; the nearest enclosing value's place when the
    /// pointer names nothing written (a default, or a member that is missing).
    pub fn place(&self, pointer: &str) -> Span {
        let mut at = pointer;
        loop {
            if let Some(span) = self.places.get(at) {
                return *span;
            }
            match at.rsplit_once('/') {
                Some((up, _)) => at = up,
                None => return Span::new(0, 0),
            }
        }
    }

    fn json(text: &str) -> Result<Document, Unreadable> {
        let mut tape = Tape::new(text);
        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let mut reader = Reader::new(text, bom);
        reader.value(&mut tape).and_then(|()| reader.end()).map_err(|e| Unreadable {
            message: format!("not valid JSON: {}", e.message),
            span: e.span,
        })?;
        if let Some((_, later)) = tape.duplicate_keys().min_by_key(|(_, later)| later.span().offset)
        {
            let key = later.as_str().unwrap_or_default();
            let message = format!("the key `{key}` is written twice in one mapping");
            return Err(Unreadable { message, span: later.span() });
        }
        let mut places = HashMap::new();
        let mut path = String::new();
        note_places(tape.root(), &mut path, &mut places);
        Ok(Document { value: tape.root().to_serde(), places })
    }

    fn yaml(text: &str) -> Result<Document, Unreadable> {
        let mut builder = Builder { chars: CharOffsets::new(text), ..Builder::default() };
        for event in Parser::new_from_str(text) {
            let (event, span) = event.map_err(|e| builder.scan_error(&e))?;
            let at = builder.chars.span(span.start.index(), span.end.index());
            builder.event(event, at)?;
        }
        let value = builder.done.unwrap_or(Json::Null);
        Ok(Document { value, places: builder.places })
    }
}

fn note_places(value: Value<'_>, path: &mut String, places: &mut HashMap<String, Span>) {
    places.insert(path.clone(), value.span());
    let len = path.len();
    match value.kind() {
        Kind::Object => {
            for (key, member) in value.members() {
                pointer::push_segment(path, key.as_str().unwrap_or_default());
                note_places(member, path, places);
                path.truncate(len);
            }
        }
        Kind::Array => {
            for (i, element) in value.elements().enumerate() {
                path.push_str(&format!("/{i}"));
                note_places(element, path, places);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

/// Byte offsets of a text's characters: YAML positions count characters.
#[derive(Default)]
struct CharOffsets(Vec<usize>);

impl CharOffsets {
    fn new(text: &str) -> CharOffsets {
        let mut offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        offsets.push(text.len());
        CharOffsets(offsets)
    }

    fn byte(&self, char_index: usize) -> usize {
        self.0.get(char_index).or(self.0.last()).copied().unwrap_or(0)
    }

    fn span(&self, start: usize, end: usize) -> Span {
        let (start, end) = (self.byte(start), self.byte(end));
        Span::new(start, end.saturating_sub(start))
    }
}

/// A collection being built: its value, its place, and the key awaiting its value (mappings).
struct Open {
    value: Json,
    at: Span,
    anchor: usize,
    key: Option<String>,
    /// Keys a merge key (`<<`) added, which the mapping may still write itself.
    merged: Vec<String>,
}

/// Builds a JSON value from YAML events, noting each value's place.
#[derive(Default)]
struct Builder {
    chars: CharOffsets,
    stack: Vec<Open>,
    /// The pointer of the collection at each depth of `stack`.
    paths: Vec<String>,
    /// Each anchored value, and how many values it holds.
    anchors: HashMap<usize, (Json, usize)>,
    /// Values copied in by aliases so far: a few lines of aliases to aliases can stand for
    /// billions of values (a "billion laughs").
    expanded: usize,
    places: HashMap<String, Span>,
    done: Option<Json>,
}

/// The most values aliases may copy into one document.
const MAX_EXPANDED: usize = 1_000_000;

/// How many values `value` holds, itself included.
fn count(value: &Json) -> usize {
    match value {
        Json::Array(items) => 1 + items.iter().map(count).sum::<usize>(),
        Json::Object(map) => 1 + map.values().map(count).sum::<usize>(),
        _ => 1,
    }
}

impl Builder {
    fn scan_error(&self, e: &ScanError) -> Unreadable {
        let at = self.chars.byte(e.marker().index());
        Unreadable { message: format!("not valid YAML: {}", e.info()), span: Span::new(at, 0) }
    }

    fn event(&mut self, event: Event<'_>, at: Span) -> Result<(), Unreadable> {
        match event {
            Event::MappingStart(anchor, _) => self.open(Json::Object(Map::new()), at, anchor)?,
            Event::SequenceStart(anchor, _) => self.open(Json::Array(Vec::new()), at, anchor)?,
            Event::MappingEnd | Event::SequenceEnd => {
                let Some(open) = self.stack.pop() else { return Ok(()) };
                let path = self.paths.pop().unwrap_or_default();
                let end = at.end().max(open.at.offset);
                self.places.insert(path, Span::new(open.at.offset, end - open.at.offset));
                if open.anchor > 0 {
                    let size = count(&open.value);
                    self.anchors.insert(open.anchor, (open.value.clone(), size));
                }
                self.add(open.value, None)?;
            }
            Event::Scalar(text, style, anchor, tag) => {
                // `!!str 001` is the string "001", whatever it looks like.
                let string = tag.is_some_and(|t| t.suffix == "str");
                let value =
                    if string { Json::String(text.to_string()) } else { scalar(&text, style) };
                if anchor > 0 {
                    self.anchors.insert(anchor, (value.clone(), 1));
                }
                self.add(value, Some(at))?;
            }
            Event::Alias(anchor) => {
                let (value, size) =
                    self.anchors.get(&anchor).cloned().ok_or_else(|| Unreadable {
                        message: "an alias to an anchor that is not defined before it".into(),
                        span: at,
                    })?;
                self.expanded += size;
                if self.expanded > MAX_EXPANDED {
                    let message = format!("the aliases expand to more than {MAX_EXPANDED} values");
                    return Err(Unreadable { message, span: at });
                }
                self.add(value, Some(at))?;
            }
            Event::DocumentStart(_) if self.done.is_some() => {
                let message = "a second YAML document: an OpenAPI document is one".into();
                return Err(Unreadable { message, span: at });
            }
            _ => {}
        }
        Ok(())
    }

    /// The pointer the next value takes in the collection on top.
    fn next_path(&self) -> Option<String> {
        let open = self.stack.last()?;
        let mut path = self.paths.last().cloned().unwrap_or_default();
        match (&open.value, &open.key) {
            (Json::Object(_), Some(key)) => pointer::push_segment(&mut path, key),
            (Json::Array(items), _) => path.push_str(&format!("/{}", items.len())),
            _ => return None,
        }
        Some(path)
    }

    fn open(&mut self, value: Json, at: Span, anchor: usize) -> Result<(), Unreadable> {
        if matches!(self.stack.last(), Some(Open { value: Json::Object(_), key: None, .. })) {
            return Err(Unreadable { message: "a mapping key must be a scalar".into(), span: at });
        }
        let path = self.next_path().unwrap_or_default();
        self.paths.push(path);
        self.stack.push(Open { value, at, anchor, key: None, merged: Vec::new() });
        Ok(())
    }

    /// Adds a finished value (written at `at`, for a scalar) where it belongs.
    fn add(&mut self, value: Json, at: Option<Span>) -> Result<(), Unreadable> {
        let path = self.next_path();
        let Some(open) = self.stack.last_mut() else {
            if let Some(at) = at {
                self.places.insert(String::new(), at);
            }
            self.done = Some(value);
            return Ok(());
        };
        match &mut open.value {
            Json::Object(map) => match open.key.take() {
                None => {
                    let key = match value {
                        Json::String(s) => s,
                        Json::Null => "null".to_owned(),
                        other => other.to_string(),
                    };
                    if map.contains_key(&key) && !open.merged.contains(&key) {
                        let span = at.unwrap_or(open.at);
                        let message = format!("the key `{key}` is written twice in one mapping");
                        return Err(Unreadable { message, span });
                    }
                    open.key = Some(key);
                }
                // A merge key (`<<: *base`) adds the members the mapping does not have.
                Some(key) if key == "<<" && !map.contains_key("<<") => {
                    let merged: Vec<Json> = match value {
                        Json::Array(items) => items,
                        other => vec![other],
                    };
                    for member in merged {
                        if let Json::Object(members) = member {
                            for (k, v) in members {
                                if !map.contains_key(&k) {
                                    open.merged.push(k.clone());
                                    map.insert(k, v);
                                }
                            }
                        }
                    }
                }
                Some(key) => {
                    map.insert(key, value);
                    if let (Some(path), Some(at)) = (path, at) {
                        self.places.insert(path, at);
                    }
                }
            },
            Json::Array(items) => {
                items.push(value);
                if let (Some(path), Some(at)) = (path, at) {
                    self.places.insert(path, at);
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// A scalar as YAML 1.2's core schema reads it: quoted and block scalars are strings; plain
/// ones may be null, a boolean or a number.
fn scalar(text: &str, style: ScalarStyle) -> Json {
    if style != ScalarStyle::Plain {
        return Json::String(text.to_owned());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Json::Null,
        "true" | "True" | "TRUE" => return Json::Bool(true),
        "false" | "False" | "FALSE" => return Json::Bool(false),
        _ => {}
    }
    if let Some(n) = integer(text) {
        return Json::Number(n.into());
    }
    let decimal = text.bytes().any(|b| b.is_ascii_digit())
        && text.bytes().all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b));
    if decimal && let Some(n) = text.parse::<f64>().ok().and_then(Number::from_f64) {
        return Json::Number(n);
    }
    Json::String(text.to_owned())
}

fn integer(text: &str) -> Option<i64> {
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, text.strip_prefix('+').unwrap_or(text)),
    };
    let value = if let Some(hex) = digits.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()?
    } else if let Some(octal) = digits.strip_prefix("0o") {
        i64::from_str_radix(octal, 8).ok()?
    } else if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse().ok()?
    } else {
        return None;
    };
    Some(sign * value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_values_keep_their_places() {
        let text = "openapi: 3.1.0\npaths:\n  /a/{id}:\n    get:\n      responses:\n        200:\n          description: ok\n";
        let doc = Document::read(text).unwrap();
        assert_eq!(doc.value["openapi"], "3.1.0");
        let description = "/paths/~1a~1{id}/get/responses/200/description";
        assert_eq!(doc.value.pointer(description), Some(&Json::from("ok")));
        let at = doc.place(description);
        assert_eq!(&text[at.offset..at.end()], "ok");
        assert_eq!(&text[doc.place("/openapi").offset..][..5], "3.1.0");
    }

    #[test]
    fn json_values_keep_their_places() {
        let text = r#"{"openapi": "3.0.3", "paths": {"/x": {}}}"#;
        let doc = Document::read(text).unwrap();
        let at = doc.place("/openapi");
        assert_eq!(&text[at.offset..at.end()], "\"3.0.3\"");
        // A pointer to nothing written is placed at what encloses it.
        assert_eq!(doc.place("/paths/~1x/get"), doc.place("/paths/~1x"));
    }

    #[test]
    fn plain_scalars_follow_the_core_schema() {
        let doc =
            Document::read("a: 1\nb: 1.5\nc: true\nd: ~\ne: '1'\nf: 0x1F\ng: 1.0.0\n").unwrap();
        assert_eq!(
            doc.value,
            serde_json::json!({"a": 1, "b": 1.5, "c": true, "d": null, "e": "1", "f": 31, "g": "1.0.0"})
        );
    }

    #[test]
    fn anchors_and_aliases_are_followed() {
        let doc = Document::read("a: &x {k: 1}\nb: *x\n").unwrap();
        assert_eq!(doc.value["b"], serde_json::json!({"k": 1}));
    }

    #[test]
    fn merge_keys_add_what_the_mapping_does_not_write() {
        let doc = Document::read(
            "base: &b {type: object, required: [id]}\nuser: {<<: *b, type: array}\n",
        )
        .unwrap();
        assert_eq!(doc.value["user"], serde_json::json!({"type": "array", "required": ["id"]}));
    }

    #[test]
    fn tags_nulls_and_a_second_document() {
        let doc = Document::read("a: [!!str 001, 002]\nnull: 1\n").unwrap();
        assert_eq!(doc.value, serde_json::json!({"a": ["001", 2], "null": 1}));
        let two = Document::read("a: 1\n---\nb: 2\n").unwrap_err();
        assert!(two.message.starts_with("a second YAML document"), "{}", two.message);
    }

    #[test]
    fn aliases_that_expand_past_a_million_values_are_refused() {
        let mut text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n".to_owned();
        for i in 1..8 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let e = Document::read(&text).unwrap_err();
        assert_eq!(e.message, "the aliases expand to more than 1000000 values");
    }

    #[test]
    fn broken_yaml_is_placed() {
        let text = "a: 1\nb: [1, 2\n";
        let e = Document::read(text).unwrap_err();
        assert!(e.message.starts_with("not valid YAML"), "{}", e.message);
        let twice = Document::read("a: 1\na: 2\n").unwrap_err();
        assert_eq!(twice.span.offset, 5);
    }
}
