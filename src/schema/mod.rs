//! The JSON Schema: compiled once, run over each user, and its errors turned into diagnostics a
//! person can act on.
//!
//! The schema in `schemas/profile.schema.json` is embedded in the binary. Its root describes the
//! documented array; its `items` subschema describes one user, and that is what each item of a
//! streamed array (or a single user object) is validated against.

use std::collections::{HashMap, HashSet};

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{JsonType, ValidationError, Validator};
use serde_json::Value as Json;

mod budget;
pub(crate) mod watchdog;

use crate::datetime;
use crate::diagnostic::{Code, Diagnostic, Span};
use crate::email;
use crate::findings::Findings;
use crate::json::parse::Reader;
use crate::json::validate::{TapeJson, TapeNode};
use crate::json::{Kind, Tape, Value, pointer};
use crate::suggest;

/// Formats the validator is built without (its `idna` feature is off), which would otherwise
/// pass anything.
const UNCHECKED_FORMATS: &[&str] = &["idn-email", "idn-hostname"];

/// The schema derived from the documentation page, as shipped.
pub const EMBEDDED: &str = include_str!("../../schemas/profile.schema.json");

/// The embedded schema's `x-schema-version`, as a literal for `--version` (a test keeps the
/// two equal).
#[macro_export]
macro_rules! schema_version {
    () => {
        "2"
    };
}

/// A compiled schema and the document it came from (for descriptions in help texts).
pub struct Schema {
    document: Json,
    root: Validator<TapeJson>,
    /// The validator for one array item, when the root schema describes an array with `items`.
    items: Option<Validator<TapeJson>>,
    /// The time limit on validating one value, for a schema from elsewhere (see [`watchdog`]).
    watch: Option<watchdog::Watch>,
}

impl std::fmt::Debug for Schema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Schema").field("items", &self.items.is_some()).finish_non_exhaustive()
    }
}

impl Schema {
    /// The embedded schema. It is tested to compile, so failure here is a build defect.
    pub fn embedded() -> Schema {
        match Schema::compile(EMBEDDED) {
            Ok(schema) => schema,
            Err(errors) => panic!("the embedded schema does not compile: {errors:?}"),
        }
    }

    /// Times each validation with `watch` from now on.
    #[must_use]
    pub fn watched_by(self, watch: watchdog::Watch) -> Schema {
        Schema { watch: Some(watch), ..self }
    }

    /// The watch on this schema's validations, if it has one.
    pub fn watch(&self) -> Option<&watchdog::Watch> {
        self.watch.as_ref()
    }

    /// Compiles schema text; errors point into that text. Compiling an untrusted schema can
    /// take very long: [`watchdog::Watch::run`] bounds it.
    pub fn compile(text: &str) -> Result<Schema, Vec<Diagnostic>> {
        let invalid = |message: String, span: Span| {
            vec![
                Diagnostic::new(Code::InvalidSchema, message)
                    .with_span(span)
                    .with_help("the schema must be a JSON Schema document (draft 2020-12 unless its `$schema` says otherwise)"),
            ]
        };
        // Parse with our own parser first, so a schema error can point at its place.
        let mut tape = Tape::new(text);
        let mut reader = Reader::new(text, 0);
        if let Err(e) = reader.value(&mut tape).and_then(|()| reader.end()) {
            return Err(invalid(format!("the schema is not valid JSON: {}", e.message), e.span));
        }
        if let Some(huge) = huge_number(tape.root()) {
            let mut d = invalid(
                format!(
                    "the number {} is beyond 64-bit floating point, in which the validator \
                     compares numbers, so it cannot be checked exactly",
                    huge.raw()
                ),
                huge.span(),
            );
            d[0].help = Some("write numbers of at most about 1.8e308 in magnitude".into());
            return Err(d);
        }
        // A format that is not checked would pass every value: refuse it instead.
        let unchecked = first_in(tape.root(), &|key, value| {
            let format = value.as_str().filter(|_| key.as_str() == Some("format"))?;
            UNCHECKED_FORMATS.contains(&format).then_some(value)
        });
        if let Some(format) = unchecked {
            let name = format.as_str().unwrap_or_default();
            let mut d = invalid(
                format!(
                    "format `{name}` is not checked by profile-lint, so every value would pass"
                ),
                format.span(),
            );
            d[0].help = Some(
                "internationalised names need IDNA tables that profile-lint does not build in: \
                 use `email` or `hostname`, or remove the format"
                    .into(),
            );
            return Err(d);
        }
        let document: Json = tape.root().to_serde();
        let options = jsonschema::options_for::<TapeJson>()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .with_format("date-time", datetime::is_valid)
            .with_format("email", email::checker())
            .with_pattern_options(jsonschema::PatternOptions::regex())
            .offline();
        let compile_error = |e: ValidationError<'_>| {
            let at = e.instance_path().as_str();
            let node = match e.kind() {
                // A reference that does not resolve is named in the error, not placed: the
                // place is the first `$ref` that names it.
                ValidationErrorKind::Referencing(error) => {
                    Named::of(error).and_then(|named| reference_to(tape.root(), &named))
                }
                _ => None,
            };
            let node = node.or(pointer::resolve(tape.root(), at));
            let mut d = invalid(
                format!("the schema does not compile: {e}"),
                node.map_or(Span::new(0, 0), |n| n.span()),
            );
            match e.kind() {
                ValidationErrorKind::Referencing(referencing::Error::Unretrievable { .. }) => {
                    d[0].label = Some("not in this file".into());
                    d[0].help = Some(
                        "profile-lint never fetches schemas over the network; bundle every \
                         `$ref` into the schema file (under `$defs`)"
                            .into(),
                    );
                }
                ValidationErrorKind::Format { format } if format == "regex" => {
                    d[0].help = Some(
                        "patterns are run by the Rust regex engine, in time linear in the \
                         text: it has no look-around and no backreferences"
                            .into(),
                    );
                }
                _ => {}
            }
            d[0].pointer = Some(at.to_owned());
            d
        };
        // One compilation gives the root and `items` both. A schema it cannot take whole (a
        // bad regex, a missing `$ref`) is compiled again at its root, for the error that names
        // the fault.
        let map = options.build_map(&document).ok();
        let Some(root) = map.as_ref().and_then(|m| m.get("#")).cloned() else {
            let error = options.build(&document).err();
            let error = error.map_or_else(
                || invalid("the schema does not compile".into(), Span::new(0, 0)),
                compile_error,
            );
            return Err(error);
        };
        let applications = budget::applications(&document, jsonschema::Draft::Draft202012);
        if applications.is_none_or(|n| n > budget::BUDGET) {
            let root = tape.root();
            let branch = first_member(root, &["anyOf", "oneOf", "allOf"])
                .or_else(|| first_member(root, &["$ref"]));
            let span = branch.map_or(Span::new(0, 0), |key| key.span());
            let message = match applications {
                Some(_) => format!(
                    "the schema can apply more than {} subschemas to one value",
                    budget::BUDGET
                ),
                None => "profile-lint cannot follow this schema's references to bound its work"
                    .to_owned(),
            };
            let mut d = invalid(message, span);
            if applications.is_some() {
                d[0].label = Some("subschemas applied in place multiply from here".into());
            }
            d[0].help = Some(
                "a value that fails is checked against every branch of every `anyOf`, `oneOf` \
                 and `allOf`, so nesting them through `$ref` multiplies the work; profile-lint \
                 refuses such a schema rather than run for hours. Flatten the alternatives \
                 (an `enum`, fewer levels)"
                    .into(),
            );
            return Err(d);
        }
        let items =
            map.as_ref().and_then(|m| m.get("#/items")).filter(|_| by_items(&document)).cloned();
        Ok(Schema { root, items, document, watch: None })
    }

    /// Whether each item of a top-level array is validated on its own, with `items`.
    pub fn validates_items(&self) -> bool {
        self.items.is_some()
    }

    /// Validates one user (an array item, or the root when it is a single object).
    pub fn check_item(&self, item: Value<'_>, base: &str, out: &mut Findings) {
        let validator = self.items.as_ref().unwrap_or(&self.root);
        self.check(validator, item, base, "user", out);
    }

    /// Validates a whole document against the root schema.
    pub fn check_document(&self, root: Value<'_>, out: &mut Findings) {
        self.check(&self.root, root, "", "response", out);
    }

    fn check(
        &self,
        validator: &Validator<TapeJson>,
        node: Value<'_>,
        base: &str,
        root_name: &str,
        out: &mut Findings,
    ) {
        // The validator compares numbers as 64-bit floats, where 1e400 and 1e401 are one
        // number: a value holding such a number is not checked, and says so. (The embedded
        // schema has no numbers, so any number there is already of the wrong type.)
        if self.watch.is_some()
            && let Some(huge) = huge_number(node)
        {
            let at = pointer::pointers_to(node, &[huge]).pop().unwrap_or_default();
            out.push(too_large_to_compare(huge, format!("{base}{at}")));
            return;
        }
        let instance = TapeNode::Node(node);
        let timing = self.watch.as_ref().map(watchdog::Watch::time);
        if validator.is_valid(instance) {
            return;
        }
        let errors: Vec<ValidationError<'_>> = validator.iter_errors(instance).collect();
        drop(timing);
        // A value of the wrong type gets that one finding, not also "not in the enum" and such.
        // (Sets and maps, not lists: a hostile value can have an error per element.)
        let mistyped: HashSet<&str> = errors
            .iter()
            .filter(|e| matches!(e.kind(), ValidationErrorKind::Type { .. }))
            .map(|e| e.instance_path().as_str())
            .collect();
        // An address too long for `maxLength` gets that one finding, not also "not an email"
        // for the same excess.
        let too_long: HashSet<&str> = errors
            .iter()
            .filter(|e| matches!(e.kind(), ValidationErrorKind::MaxLength { .. }))
            .map(|e| e.instance_path().as_str())
            .collect();
        let mut resolver = pointer::Resolver::new(node);
        // The fields each object lacks, in the order the objects are met.
        let mut missing: Vec<(Value<'_>, String, Vec<String>, String)> = Vec::new();
        let mut missing_at: HashMap<&str, usize> = HashMap::new();
        for error in &errors {
            let rel = error.instance_path().as_str();
            let Some(target) = resolver.resolve(rel) else {
                continue;
            };
            let at = format!("{base}{rel}");
            match error.kind() {
                ValidationErrorKind::Required { property } => {
                    let name = property.as_str().unwrap_or_default().to_owned();
                    match missing_at.get(rel) {
                        Some(&i) => missing[i].2.push(name),
                        None => {
                            missing_at.insert(rel, missing.len());
                            let schema_path = error.schema_path().as_str().to_owned();
                            missing.push((target, at, vec![name], schema_path));
                        }
                    }
                }
                _ if !matches!(error.kind(), ValidationErrorKind::Type { .. })
                    && mistyped.contains(rel) => {}
                ValidationErrorKind::Format { format }
                    if format == "email"
                        && too_long.contains(rel)
                        && matches!(
                            target.as_str().map(email::Problem::of),
                            Some(email::Problem::LongDomain(_))
                        ) => {}
                _ => {
                    let field = field_name(&mut resolver, rel, root_name);
                    out.push(self.describe(error, target, field, at));
                }
            }
        }
        for (target, at, names, schema_path) in missing {
            out.push(self.missing_fields(target, at, &names, &schema_path));
        }
    }

    /// The subschema at a keyword location's parent, and the nearest description above it.
    fn context(&self, schema_path: &str) -> (Option<&Json>, Option<&str>) {
        let parent = schema_path.rsplit_once('/').map_or("", |(p, _)| p);
        let subschema = self.document.pointer(parent);
        let mut path = parent;
        loop {
            if let Some(d) = self.document.pointer(path).and_then(|s| s.get("description")) {
                return (subschema, d.as_str());
            }
            match path.rsplit_once('/') {
                Some((up, _)) => path = up,
                None => return (subschema, None),
            }
        }
    }

    fn describe(
        &self,
        error: &ValidationError<'_>,
        target: Value<'_>,
        field: String,
        at: String,
    ) -> Diagnostic {
        let (subschema, description) = self.context(error.schema_path().as_str());
        let found = preview(target);
        let date_time =
            subschema.is_some_and(|s| s.get("format") == Some(&Json::from("date-time")));
        let nullable = subschema
            .and_then(|s| s.get("type"))
            .and_then(Json::as_array)
            .is_some_and(|t| t.contains(&Json::from("null")));
        let diagnostic = match error.kind() {
            ValidationErrorKind::Type { kind } => {
                let expected = match (date_time, nullable) {
                    (true, true) => "an ISO 8601 date-time or null".to_owned(),
                    (true, false) => "an ISO 8601 date-time".to_owned(),
                    _ => expected_types(kind),
                };
                Diagnostic::new(
                    Code::WrongType,
                    format!("expected {expected}, found {}", target.kind().with_article()),
                )
                .with_label(format!("`{field}` must be {expected}"))
                .with_optional_help(help_text(description, date_time.then(date_time_rule)))
            }
            ValidationErrorKind::Enum { options } => {
                let allowed: Vec<&str> = options
                    .as_array()
                    .map_or_else(Vec::new, |a| a.iter().filter_map(Json::as_str).collect());
                let listed =
                    allowed.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", ");
                let mut help = format!("`{field}` is one of {listed}");
                if let Some(best) = target.as_str().and_then(|s| suggest::closest(s, &allowed)) {
                    help = format!("did you mean {best:?}? {help}");
                }
                Diagnostic::new(
                    Code::UnknownValue,
                    format!("{found} is not a documented `{field}`"),
                )
                .with_label("not a documented value")
                .with_optional_help(help_text(description, Some(help)))
            }
            ValidationErrorKind::MaxLength { limit } => {
                let length = target.as_str().map_or(0, |s| s.chars().count());
                Diagnostic::new(
                    Code::TooLong,
                    format!("`{field}` is {length} characters long, over the limit of {limit}"),
                )
                .with_label(format!("{length} characters"))
                .with_optional_help(help_text(
                    description,
                    Some(format!("at most {limit} characters")),
                ))
            }
            ValidationErrorKind::Pattern { pattern } => Diagnostic::new(
                Code::PatternMismatch,
                format!("{found} does not match the pattern of `{field}`"),
            )
            .with_label(format!("does not match {pattern}"))
            .with_optional_help(help_text(
                description,
                Some(format!("the documentation requires `{pattern}`")),
            )),
            ValidationErrorKind::Format { format } if format == "date-time" => {
                let written = target.as_str().unwrap_or_default();
                let invalid = datetime::parse(written).err();
                let reason = invalid
                    .as_ref()
                    .map_or_else(|| "is not a valid date-time".to_owned(), |e| e.reason());
                let fix = invalid.and_then(|e| e.fix(written)).unwrap_or_else(date_time_rule);
                let or_null = if nullable { ", or null" } else { "" };
                Diagnostic::new(Code::InvalidDateTime, format!("{found} {reason}"))
                    .with_label(format!("`{field}` must be an ISO 8601 date-time{or_null}"))
                    .with_optional_help(help_text(description, Some(fix)))
            }
            ValidationErrorKind::Format { format } if format == "email" => {
                let reason = email::Problem::of(target.as_str().unwrap_or_default()).reason();
                Diagnostic::new(Code::InvalidEmail, format!("{found} {reason}"))
                    .with_label("not an email address")
                    .with_optional_help(help_text(
                        description,
                        Some("an address like `joao.silva+owner@probely.com`".to_owned()),
                    ))
            }
            _ => {
                let keyword = error.schema_path().as_str().rsplit('/').next().unwrap_or_default();
                let said: String = error.to_string().chars().take(200).collect();
                Diagnostic::new(
                    Code::SchemaViolation,
                    format!("`{field}` breaks the schema's `{keyword}`"),
                )
                .with_label(format!("breaks `{keyword}`"))
                .with_optional_help(help_text(
                    description,
                    Some(format!("the validator says: {said}")),
                ))
            }
        };
        diagnostic.with_span(target.span()).with_pointer(at)
    }

    fn missing_fields(
        &self,
        target: Value<'_>,
        at: String,
        names: &[String],
        schema_path: &str,
    ) -> Diagnostic {
        let (subschema, _) = self.context(schema_path);
        let listed = names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
        let plural = if names.len() == 1 { "" } else { "s" };
        let required = subschema
            .and_then(|s| s.get("required"))
            .and_then(Json::as_array)
            .map(|r| r.iter().filter_map(Json::as_str).collect::<Vec<_>>().join(", "));
        let what = object_noun(&at);
        let mut d = Diagnostic::new(
            Code::MissingField,
            format!("{what} lacks required field{plural} {listed}"),
        )
        .with_span(target.span())
        .with_label(format!("this {what} lacks {} required field{plural}", names.len()))
        .with_pointer(at);
        if let Some(required) = required {
            d = d.with_help(format!("the documentation requires every {what} to have: {required}"));
        }
        d
    }
}

fn date_time_rule() -> String {
    format!(
        "write it like \"{}\" (ISO 8601; a trailing `Z` is also accepted, and another `+hh:mm` offset is valid but not UTC, D003)",
        datetime::EXAMPLE
    )
}

/// What would be valid, then the documentation's own words.
fn help_text(description: Option<&str>, rule: Option<String>) -> Option<String> {
    match (rule, description) {
        (Some(rule), Some(d)) => Some(format!("{rule}\ndocumented as: {d}")),
        (Some(rule), None) => Some(rule),
        (None, Some(d)) => Some(format!("documented as: {d}")),
        (None, None) => None,
    }
}

fn expected_types(kind: &TypeKind) -> String {
    let name = |t: JsonType| match t {
        JsonType::Array => "an array",
        JsonType::Boolean => "a boolean",
        JsonType::Integer => "an integer",
        JsonType::Null => "null",
        JsonType::Number => "a number",
        JsonType::Object => "an object",
        JsonType::String => "a string",
    };
    match kind {
        TypeKind::Single(t) => name(*t).to_owned(),
        TypeKind::Multiple(set) => set.iter().map(name).collect::<Vec<_>>().join(" or "),
    }
}

/// The value for a message: strings quoted, long text cut.
fn preview(value: Value<'_>) -> String {
    const MAX: usize = 40;
    let Some(text) = value.as_str() else {
        let raw = value.raw();
        return if raw.chars().count() <= MAX { raw.to_owned() } else { "the value".to_owned() };
    };
    if text.chars().count() <= MAX {
        return format!("{text:?}");
    }
    let cut: String = text.chars().take(MAX - 1).collect();
    format!("{:?}", format!("{cut}…"))
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
fn huge_number(node: Value<'_>) -> Option<Value<'_>> {
    match node.kind() {
        Kind::Number => node.raw().parse::<f64>().map_or(true, f64::is_infinite).then_some(node),
        Kind::Array => node.elements().find_map(huge_number),
        Kind::Object => node.members_as_written().find_map(|(_, v)| huge_number(v)),
        _ => None,
    }
}

fn too_large_to_compare(number: Value<'_>, at: String) -> Diagnostic {
    Diagnostic::new(
        Code::SchemaViolation,
        format!("{} is beyond 64-bit floating point, so this value was not checked", number.raw()),
    )
    .with_span(number.span())
    .with_pointer(at)
    .with_label("too large to compare exactly")
    .with_help(
        "the validator compares numbers as 64-bit floats, in which 1e400 and 1e401 are the \
         same; a value holding such a number cannot be checked against the schema exactly",
    )
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

/// The name a person calls the field at `rel` under `node` by: its key, or `labels[1]` for an
/// array element. Whether a segment is a key or an index is read from the document.
fn field_name(resolver: &mut pointer::Resolver<'_>, rel: &str, root_name: &str) -> String {
    let unescape = |s: &str| pointer::unescape(s).into_owned();
    let Some((parent_rel, last)) = rel.rsplit_once('/') else {
        return root_name.to_owned();
    };
    let last = unescape(last);
    if resolver.resolve(parent_rel).is_some_and(|p| p.kind() == Kind::Array) {
        let parent = parent_rel.rsplit_once('/').map_or(root_name.to_owned(), |(_, k)| unescape(k));
        return format!("{parent}[{last}]");
    }
    if last.is_empty() { "\"\"".to_owned() } else { last }
}

/// What kind of object a pointer names, for "this user lacks ...".
fn object_noun(pointer: &str) -> &'static str {
    let mut segments = pointer.rsplit('/');
    let last = segments.next().unwrap_or_default();
    let is_index = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match (last, segments.next()) {
        ("changed_by", _) => "changed_by",
        (i, Some("labels")) if is_index(i) => "label",
        (i, _) if is_index(i) || i.is_empty() => "user",
        _ => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_macro_matches_the_schema() {
        let schema: Json = serde_json::from_str(EMBEDDED).unwrap();
        assert_eq!(schema["x-schema-version"], crate::schema_version!());
    }

    #[test]
    fn embedded_schema_compiles_and_validates_items() {
        assert!(Schema::embedded().validates_items());
    }

    #[test]
    fn field_names_read_like_a_person_would_say_them() {
        let src = r#"{"labels": [{"color": 1}], "a/b": 1, "": 1, "01": 1, "0": [1]}"#;
        let mut tape = Tape::new(src);
        Reader::new(src, 0).value(&mut tape).unwrap();
        let mut resolver = pointer::Resolver::new(tape.root());
        let mut name = |rel: &str| field_name(&mut resolver, rel, "user");
        assert_eq!(name("/labels/0/color"), "color");
        assert_eq!(name("/labels/0"), "labels[0]");
        assert_eq!(name(""), "user");
        assert_eq!(name("/a~1b"), "a/b");
        assert_eq!(name("/"), "\"\"");
        assert_eq!(name("/01"), "01");
        assert_eq!(name("/0/0"), "0[0]");
    }

    #[test]
    fn object_nouns() {
        assert_eq!(object_noun("/0"), "user");
        assert_eq!(object_noun(""), "user");
        assert_eq!(object_noun("/0/labels/2"), "label");
        assert_eq!(object_noun("/0/labels/2/changed_by"), "changed_by");
    }

    #[test]
    fn a_schema_that_does_not_compile_points_into_the_schema() {
        let text = "{\n  \"type\": \"strng\"\n}";
        let errors = Schema::compile(text).unwrap_err();
        assert_eq!(errors[0].code, Code::InvalidSchema);
        let span = errors[0].span.unwrap();
        assert_eq!(&text[span.offset..span.end()], "\"strng\"");
    }
}
