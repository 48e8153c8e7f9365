//! A validation error as a person reads it: what is wrong with the value, what would be valid,
//! and what the documentation says of it (the schema's `description`s are its words).

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{JsonType, ValidationError};
use serde_json::Value as Json;

use super::Schema;
use crate::datetime;
use crate::diagnostic::{Code, Diagnostic};
use crate::email;
use crate::json::{Kind, Value, pointer};
use crate::suggest;

impl Schema {
    /// The subschema at a keyword location's parent, and the nearest description above it.
    fn context(&self, schema_path: &str) -> (Option<&Json>, Option<&str>) {
        let parent = schema_path.rsplit_once('/').map_or("", |(p, _)| p);
        let subschema = self.document.pointer(parent);
        let mut path = parent;
        loop {
            if let Some(d) = self.document.pointer(path).and_then(|s| s.get("description")) {
                return (subschema, d.as_str());
            }
            // The description must be the value's own: the search stops at the schema of a
            // property, an item or a definition, and never quotes an enclosing object's.
            let Some((up, last)) = path.rsplit_once('/') else { return (subschema, None) };
            let holder = up.rsplit('/').next().unwrap_or_default();
            let own_schema =
                matches!(holder, "properties" | "patternProperties" | "$defs" | "definitions")
                    || matches!(last, "items" | "additionalProperties" | "prefixItems");
            if own_schema {
                return (subschema, None);
            }
            path = up;
        }
    }

    /// The finding for one validation error, in words a person acts on: what is wrong, what
    /// would be valid, then the documentation's own description of the value.
    pub(super) fn describe(
        &self,
        error: &ValidationError<'_>,
        target: Value<'_>,
        field: String,
        at: String,
    ) -> Diagnostic {
        let (subschema, description) = self.context(error.schema_path().as_str());
        let date_time =
            subschema.is_some_and(|s| s.get("format") == Some(&Json::from("date-time")));
        let nullable = subschema
            .and_then(|s| s.get("type"))
            .and_then(Json::as_array)
            .is_some_and(|t| t.contains(&Json::from("null")));
        let value = Described { target, field, description, found: preview(target) };
        let diagnostic = match error.kind() {
            ValidationErrorKind::Type { kind } => value.wrong_type(kind, date_time, nullable),
            ValidationErrorKind::Enum { options } => value.unknown_value(options),
            ValidationErrorKind::MaxLength { limit } => value.too_long(*limit),
            ValidationErrorKind::Pattern { pattern } => value.pattern_mismatch(pattern),
            ValidationErrorKind::Format { format } if format == "date-time" => {
                value.invalid_date_time(nullable)
            }
            ValidationErrorKind::Format { format } if format == "email" => value.invalid_email(),
            _ => value.violation(error),
        };
        diagnostic.with_span(target.span()).with_pointer(at)
    }

    /// A member `name` of `target` (at `at`) that `additionalProperties: false` forbids.
    pub(super) fn unexpected_field(
        &self,
        error: &ValidationError<'_>,
        target: Value<'_>,
        name: &str,
        at: &str,
    ) -> Diagnostic {
        let (subschema, _) = self.context(error.schema_path().as_str());
        let listed: Vec<String> = subschema
            .and_then(|s| s.get("properties"))
            .and_then(Json::as_object)
            .map(|p| p.keys().map(|k| format!("`{k}`")).collect())
            .unwrap_or_default();
        let key = target.members_as_written().find(|(k, _)| k.as_str() == Some(name));
        let mut pointer = at.to_owned();
        crate::json::pointer::push_segment(&mut pointer, name);
        let help = match listed.is_empty() {
            true => "the schema allows no other fields (`additionalProperties: false`)".to_owned(),
            false => format!(
                "the schema allows {} and no other field (`additionalProperties: false`)",
                listed.join(", ")
            ),
        };
        Diagnostic::new(
            Code::SchemaViolation,
            format!("`{name}` is not a field the schema allows here"),
        )
        .with_span(key.map_or(target.span(), |(k, _)| k.span()))
        .with_pointer(pointer)
        .with_label("not allowed: additionalProperties is false")
        .with_help(help)
    }

    pub(super) fn missing_fields(
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
        let what = match self.nouns {
            super::Nouns::Profile => object_noun(&at),
            super::Nouns::Any => "object",
        };
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

/// A value that breaks the schema, as its message names it.
struct Described<'a, 'v> {
    target: Value<'v>,
    /// The name a person calls it by (`email`, `labels[1]`).
    field: String,
    /// The documentation's description of it, if the schema quotes one.
    description: Option<&'a str>,
    /// The value as the message shows it.
    found: String,
}

impl Described<'_, '_> {
    fn wrong_type(&self, kind: &TypeKind, date_time: bool, nullable: bool) -> Diagnostic {
        let expected = match (date_time, nullable) {
            (true, true) => "an ISO 8601 date-time or null".to_owned(),
            (true, false) => "an ISO 8601 date-time".to_owned(),
            _ => expected_types(kind),
        };
        Diagnostic::new(
            Code::WrongType,
            format!("expected {expected}, found {}", self.target.kind().with_article()),
        )
        .with_label(format!("`{}` must be {expected}", self.field))
        .with_optional_help(help_text(self.description, date_time.then(date_time_rule)))
    }

    fn unknown_value(&self, options: &Json) -> Diagnostic {
        let values = options.as_array().map_or(&[][..], Vec::as_slice);
        let allowed: Vec<&str> = values.iter().filter_map(Json::as_str).collect();
        // Strings as they are quoted everywhere else; other values as JSON writes them.
        let show = |v: &Json| v.as_str().map_or_else(|| v.to_string(), |s| format!("{s:?}"));
        let listed = values.iter().map(show).collect::<Vec<_>>().join(", ");
        let mut help = format!("`{}` is one of {listed}", self.field);
        if let Some(best) = self.target.as_str().and_then(|s| suggest::closest(s, &allowed)) {
            help = format!("did you mean {best:?}? {help}");
        }
        Diagnostic::new(
            Code::UnknownValue,
            format!("{} is not a documented `{}`", self.found, self.field),
        )
        .with_label("not a documented value")
        .with_optional_help(help_text(self.description, Some(help)))
    }

    fn too_long(&self, limit: u64) -> Diagnostic {
        let length = self.target.as_str().map_or(0, |s| s.chars().count());
        Diagnostic::new(
            Code::TooLong,
            format!("`{}` is {length} characters long, over the limit of {limit}", self.field),
        )
        .with_label(format!("{length} characters"))
        .with_optional_help(help_text(
            self.description,
            Some(format!("at most {limit} characters")),
        ))
    }

    fn pattern_mismatch(&self, pattern: &str) -> Diagnostic {
        Diagnostic::new(
            Code::PatternMismatch,
            format!("{} does not match the pattern of `{}`", self.found, self.field),
        )
        .with_label(format!("does not match {pattern}"))
        .with_optional_help(help_text(
            self.description,
            Some(format!("the documentation requires `{pattern}`")),
        ))
    }

    fn invalid_date_time(&self, nullable: bool) -> Diagnostic {
        let written = self.target.as_str().unwrap_or_default();
        let invalid = datetime::parse(written).err();
        let reason =
            invalid.as_ref().map_or_else(|| "is not a valid date-time".to_owned(), |e| e.reason());
        let fix = invalid.and_then(|e| e.fix(written)).unwrap_or_else(date_time_rule);
        let or_null = if nullable { ", or null" } else { "" };
        Diagnostic::new(Code::InvalidDateTime, format!("{} {reason}", self.found))
            .with_label(format!("`{}` must be an ISO 8601 date-time{or_null}", self.field))
            .with_optional_help(help_text(self.description, Some(fix)))
    }

    fn invalid_email(&self) -> Diagnostic {
        let reason = email::Problem::of(self.target.as_str().unwrap_or_default()).reason();
        Diagnostic::new(Code::InvalidEmail, format!("{} {reason}", self.found))
            .with_label("not an email address")
            .with_optional_help(help_text(
                self.description,
                Some("an address like `joao.silva+owner@probely.com`".to_owned()),
            ))
    }

    /// Any other keyword: named, with the validator's own words.
    fn violation(&self, error: &ValidationError<'_>) -> Diagnostic {
        let keyword = error.schema_path().as_str().rsplit('/').next().unwrap_or_default();
        let said: String = error.to_string().chars().take(200).collect();
        Diagnostic::new(
            Code::SchemaViolation,
            format!("`{}` breaks the schema's `{keyword}`", self.field),
        )
        .with_label(format!("breaks `{keyword}`"))
        .with_optional_help(help_text(
            self.description,
            Some(format!("the validator says: {said}")),
        ))
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

pub(super) fn too_large_to_compare(number: Value<'_>, at: String) -> Diagnostic {
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

/// The name a person calls the field at `rel` under `node` by: its key, or `labels[1]` for an
/// array element. Whether a segment is a key or an index is read from the document.
pub(super) fn field_name(
    resolver: &mut pointer::Resolver<'_>,
    rel: &str,
    root_name: &str,
) -> String {
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
pub(super) fn object_noun(pointer: &str) -> &'static str {
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
