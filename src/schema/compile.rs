//! Compiling a schema, or saying at its line and column why it cannot be used: not JSON, a
//! number or format that would not be checked exactly, a reference to nothing, or work without
//! bound.

use jsonschema::error::ValidationErrorKind;
use jsonschema::{ValidationError, Validator};
use serde_json::Value as Json;

use super::{Nouns, Schema, budget};
use crate::datetime;
use crate::diagnostic::{Code, Diagnostic, Span};
use crate::email;
use crate::json::parse::Reader;
use crate::json::validate::TapeJson;
use crate::json::{Kind, Tape, Value, pointer};

/// Formats the validator is built without (its `idna` feature is off), which would otherwise
/// pass anything.
const UNCHECKED_FORMATS: &[&str] = &["idn-email", "idn-hostname"];

/// The validator's options: the dialect, and profile-lint's format checks. (A macro: the
/// options' type is generic over the retriever and the checkers.)
macro_rules! options {
    () => {
        options!(jsonschema::Draft::Draft202012)
    };
    ($draft:expr) => {
        jsonschema::options_for::<TapeJson>()
            .with_draft($draft)
            .should_validate_formats(true)
            .with_format("date-time", datetime::is_valid)
            .with_format("email", email::checker())
            .with_format("byte", is_base64)
            .with_pattern_options(jsonschema::PatternOptions::regex())
            .offline()
    };
}

impl Schema {
    /// Compiles schema text; errors point into that text. Compiling an untrusted schema can
    /// take very long: [`super::watchdog::Watch::run`] bounds it.
    pub fn compile(text: &str) -> Result<Schema, Vec<Diagnostic>> {
        // Parse with our own parser first, so a schema error can point at its place.
        let mut tape = Tape::new(text);
        let mut reader = Reader::new(text, 0);
        if let Err(e) = reader.value(&mut tape).and_then(|()| reader.end()) {
            let message = format!("the schema is not valid JSON: {}", e.message);
            return Err(vec![invalid(message, e.span)]);
        }
        let root = tape.root();
        if let Some(d) = inexact(root) {
            return Err(vec![d]);
        }
        let document: Json = root.to_serde();
        let options = options!();
        // One compilation gives the root and `items` both. A schema it cannot take whole (a
        // bad regex, a missing `$ref`) is compiled again at its root, for the error that names
        // the fault.
        let map = options.build_map(&document).ok();
        let Some(validator) = map.as_ref().and_then(|m| m.get("#")).cloned() else {
            let error = options.build(&document).err().map_or_else(
                || invalid("the schema does not compile".into(), Span::new(0, 0)),
                |e| compile_error(root, &e),
            );
            return Err(vec![error]);
        };
        if let Some(d) = over_budget(root, &document) {
            return Err(vec![d]);
        }
        let items = map.as_ref().and_then(|m| m.get("#/items")).filter(|_| by_items(&document));
        Ok(Schema::of(document, validator, items.cloned(), Nouns::Profile))
    }

    /// Compiles the embedded schema. What [`Schema::compile`] judges of a schema from
    /// elsewhere (that it is JSON whose numbers and formats are checked exactly, and whose
    /// work on one value is bounded) is a property of this text, judged once by a test
    /// rather than on every run: the walk that bounds the work alone cost a small file's
    /// check 7% of its instructions, and a thread. Only the validator that is run is
    /// compiled, `items` alone, not the map of every subschema, which cost it a fifth.
    ///
    /// `items` is compiled as draft 7. The text is written for 2020-12, but uses only
    /// keywords that draft 7 reads the same way (a test holds it to `DRAFT_7_ALIKE`), and
    /// the validator checks every schema it compiles against its draft's meta-schema: that of
    /// 2020-12 cost a small file's check 40% of its instructions, draft 7's a tenth as much.
    pub(super) fn compile_embedded() -> Result<Schema, String> {
        let document: Json = serde_json::from_str(super::EMBEDDED).map_err(|e| e.to_string())?;
        let (validator, by_items) = match items_alone(&document) {
            Some(mut items) if by_items(&document) => {
                if let Json::Object(items) = &mut items {
                    items.remove("$schema");
                }
                (options!(jsonschema::Draft::Draft7).build(&items), true)
            }
            _ => (options!().build(&document), false),
        };
        let validator = validator.map_err(|e| e.to_string())?;
        Ok(Schema { document, validator, by_items, watch: None, nouns: Nouns::Profile })
    }

    /// A schema that runs `items` when it validates items, else `root`.
    fn of(
        document: Json,
        root: Validator<TapeJson>,
        items: Option<Validator<TapeJson>>,
        nouns: Nouns,
    ) -> Schema {
        let by_items = items.is_some();
        let validator = items.unwrap_or(root);
        Schema { document, validator, by_items, watch: None, nouns }
    }

    /// Compiles a schema built in memory (a response's, bundled from an OpenAPI document):
    /// the error, if any, in words, for the caller to place.
    pub fn from_bundle(document: Json, profile: bool) -> Result<Schema, String> {
        let draft = match document.get("$schema").and_then(Json::as_str) {
            Some(d) if d.contains("draft-07") => jsonschema::Draft::Draft7,
            Some(d) if d.contains("2019-09") => jsonschema::Draft::Draft201909,
            _ => jsonschema::Draft::Draft202012,
        };
        // One compilation gives the root and `items` both, as for a schema file.
        let options = options!(draft);
        let map = options.build_map(&document).ok();
        let Some(validator) = map.as_ref().and_then(|m| m.get("#")).cloned() else {
            let error = options.build(&document).err();
            return Err(
                error.map_or_else(|| "the schema does not compile".into(), |e| e.to_string())
            );
        };
        let applications = budget::applications(&document, draft);
        if applications.is_none_or(|n| n > budget::BUDGET) {
            return Err(format!(
                "the schema can apply more than {} subschemas to one value",
                budget::BUDGET
            ));
        }
        // A response of another operation than `/profile/`'s is validated whole.
        let items =
            map.as_ref().and_then(|m| m.get("#/items")).filter(|_| profile && by_items(&document));
        let nouns = if profile { Nouns::Profile } else { Nouns::Any };
        Ok(Schema::of(document, validator, items.cloned(), nouns))
    }
}

/// OpenAPI's `byte` format: base64 (RFC 4648), padded.
fn is_base64(text: &str) -> bool {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(text).is_ok()
}

/// An I002 finding at `span` of the schema.
fn invalid(message: String, span: Span) -> Diagnostic {
    Diagnostic::new(Code::InvalidSchema, message)
        .with_span(span)
        .with_help("the schema must be a JSON Schema document (draft 2020-12 unless its `$schema` says otherwise)")
}

/// The refusal of what the validator would not check exactly: a number beyond 64-bit floating
/// point, or a format that is not checked, which would pass every value.
fn inexact(root: Value<'_>) -> Option<Diagnostic> {
    if let Some(huge) = huge_number(root) {
        let message = format!(
            "the number {} is beyond 64-bit floating point, in which the validator compares \
             numbers, so it cannot be checked exactly",
            huge.raw()
        );
        return Some(
            invalid(message, huge.span())
                .with_help("write numbers of at most about 1.8e308 in magnitude"),
        );
    }
    let unchecked = first_in(root, &|key, value| {
        let format = value.as_str().filter(|_| key.as_str() == Some("format"))?;
        UNCHECKED_FORMATS.contains(&format).then_some(value)
    });
    if let Some(format) = unchecked {
        let name = format.as_str().unwrap_or_default();
        let message =
            format!("format `{name}` is not checked by profile-lint, so every value would pass");
        return Some(invalid(message, format.span()).with_help(
            "internationalised names need IDNA tables that profile-lint does not build in: use \
             `email` or `hostname`, or remove the format",
        ));
    }
    None
}

/// The validator's compile error, placed in the schema (`root`).
fn compile_error(root: Value<'_>, e: &ValidationError<'_>) -> Diagnostic {
    let at = e.instance_path().as_str();
    let node = match e.kind() {
        // A reference that does not resolve is named in the error, not placed: the place is
        // the first `$ref` that names it.
        ValidationErrorKind::Referencing(error) => {
            Named::of(error).and_then(|named| reference_to(root, &named))
        }
        _ => None,
    };
    let node = node.or(pointer::resolve(root, at));
    let span = node.map_or(Span::new(0, 0), |n| n.span());
    let d = invalid(format!("the schema does not compile: {e}"), span).with_pointer(at);
    match e.kind() {
        ValidationErrorKind::Referencing(referencing::Error::Unretrievable { .. }) => {
            d.with_label("not in this file").with_help(
                "profile-lint never fetches schemas over the network; bundle every `$ref` \
                 into the schema file (under `$defs`)",
            )
        }
        ValidationErrorKind::Format { format } if format == "regex" => d.with_help(
            "patterns are run by the Rust regex engine, in time linear in the text: it has no \
             look-around and no backreferences",
        ),
        _ => d,
    }
}

/// A schema whose work on one value has no small bound: alternatives nested through `$ref`
/// multiply what a failing value is checked against.
fn over_budget(root: Value<'_>, document: &Json) -> Option<Diagnostic> {
    let applications = budget::applications(document, jsonschema::Draft::Draft202012);
    if applications.is_some_and(|n| n <= budget::BUDGET) {
        return None;
    }
    let branch =
        first_member(root, &["anyOf", "oneOf", "allOf"]).or_else(|| first_member(root, &["$ref"]));
    let span = branch.map_or(Span::new(0, 0), |key| key.span());
    let message = match applications {
        Some(_) => {
            format!("the schema can apply more than {} subschemas to one value", budget::BUDGET)
        }
        None => "profile-lint cannot follow this schema's references to bound its work".to_owned(),
    };
    let mut d = invalid(message, span);
    if applications.is_some() {
        d = d.with_label("subschemas applied in place multiply from here");
    }
    Some(d.with_help(
        "a value that fails is checked against every branch of every `anyOf`, `oneOf` and \
         `allOf`, so nesting them through `$ref` multiplies the work; profile-lint refuses such \
         a schema rather than run for hours. Flatten the alternatives (an `enum`, fewer levels)",
    ))
}

/// Whether a top-level array can be validated one item at a time against the root's `items`:
/// when nothing else at the root looks at the array as a whole (`maxItems`, `contains`,
/// `allOf`, a `$ref`...). Otherwise the document is validated whole.
fn by_items(document: &Json) -> bool {
    let Some(root) = document.as_object() else { return false };
    root.contains_key("items")
        && root.contains_key("type")
        && root.iter().all(|(keyword, value)| match keyword.as_str() {
            "type" => match value {
                Json::String(t) => t == "array",
                Json::Array(types) => types.len() == 1 && types[0] == "array",
                _ => false,
            },
            "items" => value.is_object() || value.is_boolean(),
            "$schema" | "$id" | "$defs" | "definitions" | "$comment" | "title" | "description"
            | "examples" | "default" | "readOnly" | "writeOnly" | "deprecated" => true,
            other => other.starts_with("x-"),
        })
}

/// The keywords of the embedded schema: each means the same in draft 7 as in 2020-12, where
/// `$ref` stands alone (draft 7 ignores what is beside it) and `$defs` is only a place that
/// `$ref`s point into. (`format` asserts in both only because the options ask it to.)
#[cfg(test)]
pub(super) const DRAFT_7_ALIKE: &[&str] = &[
    "$schema",
    "$defs",
    "$ref",
    "$comment",
    "title",
    "description",
    "default",
    "type",
    "items",
    "properties",
    "required",
    "enum",
    "format",
    "maxLength",
    "minLength",
    "pattern",
    "if",
    "then",
];

/// The root's `items` as a document of its own, with the root's `$defs` and dialect. For a
/// schema whose `items` refers only into `$defs`, as the embedded one's does, it validates an
/// item as the whole document's `#/items` does, with the same schema paths (a test compares
/// their findings over the corpus).
fn items_alone(document: &Json) -> Option<Json> {
    let mut items = document.get("items")?.clone();
    if let Json::Object(alone) = &mut items {
        for keyword in ["$defs", "$schema"] {
            if let Some(value) = document.get(keyword) {
                alone.entry(keyword).or_insert_with(|| value.clone());
            }
        }
    }
    Some(items)
}

/// What the validator says a reference it cannot resolve is.
enum Named<'a> {
    /// An anchor or a pointer in this document, as `foo` or `/$defs/x`.
    InDocument(&'a str),
    /// A resource, resolved against the base: `json-schema:///user.json`.
    Resource(&'a str),
}

impl<'a> Named<'a> {
    /// The reference a resolution error is about.
    fn of(error: &'a referencing::Error) -> Option<Named<'a>> {
        use referencing::Error as E;
        match error {
            E::PointerToNowhere { pointer }
            | E::InvalidPercentEncoding { pointer, .. }
            | E::InvalidArrayIndex { pointer, .. } => Some(Named::InDocument(pointer)),
            E::NoSuchAnchor { anchor } | E::InvalidAnchor { anchor } => {
                Some(Named::InDocument(anchor))
            }
            E::Unretrievable { uri, .. } => Some(Named::Resource(uri)),
            _ => None,
        }
    }
}

/// Whether the reference `written` is the one the validator names.
fn names(written: &str, named: &Named<'_>) -> bool {
    match *named {
        Named::InDocument(name) => {
            !name.is_empty()
                && written.rsplit_once('#').is_some_and(|(_, fragment)| fragment == name)
        }
        Named::Resource(name) => {
            let written = written.trim_end_matches('#');
            !written.is_empty()
                && (written == name
                    || name.strip_suffix(written).is_some_and(|base| base.ends_with('/')))
        }
    }
}

/// The first `$ref` that the validator names `named` (see [`names`]).
fn reference_to<'a>(node: Value<'a>, named: &Named<'_>) -> Option<Value<'a>> {
    first_in(node, &|key, value| {
        let reference = value.as_str().filter(|_| key.as_str() == Some("$ref"));
        reference.filter(|r| names(r, named)).map(|_| value)
    })
}

/// The first number under `node`, in document order, too large in magnitude for an `f64`.
pub(super) fn huge_number(node: Value<'_>) -> Option<Value<'_>> {
    match node.kind() {
        Kind::Number => node.raw().parse::<f64>().map_or(true, f64::is_infinite).then_some(node),
        Kind::Array => node.elements().find_map(huge_number),
        Kind::Object => node.members_as_written().find_map(|(_, v)| huge_number(v)),
        _ => None,
    }
}

/// The first key, in document order, that is one of `keys`.
fn first_member<'a>(node: Value<'a>, keys: &[&str]) -> Option<Value<'a>> {
    first_in(node, &|key, _| key.as_str().is_some_and(|k| keys.contains(&k)).then_some(key))
}

/// The first member of the schema document, in document order and at any depth, that
/// `found` picks (from its key and value), and what it picks.
fn first_in<'a>(
    node: Value<'a>,
    found: &dyn Fn(Value<'a>, Value<'a>) -> Option<Value<'a>>,
) -> Option<Value<'a>> {
    match node.kind() {
        Kind::Object => node
            .members_as_written()
            .find_map(|(key, value)| found(key, value).or_else(|| first_in(value, found))),
        Kind::Array => node.elements().find_map(|e| first_in(e, found)),
        _ => None,
    }
}
