//! The JSON Schema of one response, out of an OpenAPI document: the Schema Object itself, with
//! every schema it references (in the document or in files beside it) copied under `$defs`, so
//! that it stands alone, can be printed (`profile-lint schema`) and is compiled once.
//!
//! OpenAPI 3.1 Schema Objects are JSON Schema (2020-12 unless the document says otherwise) and
//! are copied as written. OpenAPI 3.0 ones are a dialect of their own and are translated:
//! `nullable`, boolean `exclusiveMinimum`/`exclusiveMaximum`, and a `$ref`'s siblings, which
//! 3.0 ignores. In both, the formats OpenAPI defines for numbers (`int32`, `int64`) become the
//! bounds they name.

use std::collections::HashMap;

use serde_json::{Map, Value as Json, json};

use super::Files;
use crate::json::pointer;

/// Keywords whose value is data, not a schema: copied as written.
const DATA: &[&str] = &[
    "enum",
    "const",
    "default",
    "example",
    "examples",
    "required",
    "type",
    "discriminator",
    "xml",
    "externalDocs",
    "description",
    "title",
    "format",
    "pattern",
];

/// The schema that allows anything, for a target that is not there.
static ANY: Json = Json::Bool(true);

/// Keywords whose value is a map of names to schemas.
const SCHEMA_MAPS: &[&str] =
    &["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];

/// The schema at `pointer` of `file`, standing alone.
pub fn bundle(files: &Files, file: &str, at: &str, dialect: &str) -> Json {
    let mut bundler = Bundler { files, v30: files.v30, defs: Map::new(), names: HashMap::new() };
    let mut root = bundler.schema(files.get(file, at).unwrap_or(&ANY), file);
    if let Json::Object(map) = &mut root {
        map.insert("$schema".into(), Json::from(dialect));
        if !bundler.defs.is_empty() {
            let defs = map.entry("$defs").or_insert_with(|| Json::Object(Map::new()));
            if let Json::Object(defs) = defs {
                defs.extend(std::mem::take(&mut bundler.defs));
            }
        }
    }
    root
}

struct Bundler<'a> {
    files: &'a Files,
    v30: bool,
    defs: Map<String, Json>,
    /// The name under `$defs` of each referenced schema, by file and pointer.
    names: HashMap<(String, String), String>,
}

impl Bundler<'_> {
    /// A copy of the schema `value` (written in `file`), its references made local.
    fn schema(&mut self, value: &Json, file: &str) -> Json {
        let Json::Object(object) = value else { return value.clone() };
        let mut out = Map::new();
        for (key, value) in object {
            let copied = if key == "$ref" && value.is_string() {
                Json::from(self.reference(value.as_str().unwrap_or_default(), file))
            } else if DATA.contains(&key.as_str()) || key.starts_with("x-") {
                value.clone()
            } else if SCHEMA_MAPS.contains(&key.as_str()) {
                match value {
                    Json::Object(map) => Json::Object(
                        map.iter().map(|(k, v)| (k.clone(), self.schema(v, file))).collect(),
                    ),
                    other => other.clone(),
                }
            } else if let Json::Array(items) = value {
                Json::Array(items.iter().map(|v| self.schema(v, file)).collect())
            } else {
                self.schema(value, file)
            };
            out.insert(key.clone(), copied);
        }
        if self.v30 {
            translate_30(&mut out);
        }
        // A property that is `writeOnly` and `required` is required in requests only (OpenAPI
        // 3.0.3, "Fixed Fields" of the Schema Object): in a response it must be absent (O004).
        drop_write_only_from_required(&mut out);
        bound_formats(&mut out);
        Json::Object(out)
    }

    /// `#/$defs/<name>` for a reference written in `file`; the target is copied once.
    fn reference(&mut self, reference: &str, file: &str) -> String {
        let (target_file, at) = self.files.target(reference, file);
        let key = (target_file.clone(), at.clone());
        if let Some(name) = self.names.get(&key) {
            return local(name);
        }
        let name = self.fresh_name(&at, &target_file);
        self.names.insert(key, name.clone());
        let files = self.files;
        let target = files.get(&target_file, &at).unwrap_or(&ANY);
        // A placeholder first: a recursive schema refers to itself while it is copied.
        self.defs.insert(name.clone(), Json::Bool(true));
        let copied = self.schema(target, &target_file);
        self.defs.insert(name.clone(), copied);
        local(&name)
    }

    /// A name for `$defs`: the target's own (`User`), made unique.
    fn fresh_name(&self, at: &str, file: &str) -> String {
        let last = at.rsplit('/').next().map(pointer::unescape).unwrap_or_default();
        let stem = if last.is_empty() {
            file.rsplit('/')
                .next()
                .unwrap_or("schema")
                .split('.')
                .next()
                .unwrap_or("schema")
                .to_owned()
        } else {
            last.into_owned()
        };
        let taken = |n: &str| self.names.values().any(|v| v == n);
        if !taken(&stem) {
            return stem;
        }
        (2..).map(|i| format!("{stem}{i}")).find(|n| !taken(n)).unwrap_or(stem)
    }
}

fn local(name: &str) -> String {
    let mut out = "#/$defs".to_owned();
    pointer::push_segment(&mut out, name);
    out
}

/// OpenAPI 3.0's Schema Object as JSON Schema 2020-12 says the same.
fn translate_30(schema: &mut Map<String, Json>) {
    // A Reference Object's siblings are ignored in 3.0, but for `nullable`, which documents
    // write beside a `$ref` to mean "or null" (read below).
    if schema.contains_key("$ref") {
        schema.retain(|k, _| k == "$ref" || k == "description" || k == "nullable");
    }
    for (flag, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        match schema.get(flag) {
            Some(Json::Bool(true)) => match schema.remove(bound) {
                Some(value) => {
                    schema.insert(flag.into(), value);
                }
                None => {
                    schema.remove(flag);
                }
            },
            Some(Json::Bool(false)) => {
                schema.remove(flag);
            }
            _ => {}
        }
    }
    if schema.remove("nullable") != Some(Json::Bool(true)) {
        return;
    }
    if let Some(Json::Array(values)) = schema.get_mut("enum")
        && !values.contains(&Json::Null)
    {
        values.push(Json::Null);
    }
    match schema.get_mut("type") {
        Some(Json::String(one)) => {
            let one = std::mem::take(one);
            schema.insert("type".into(), json!([one, "null"]));
        }
        Some(Json::Array(types)) if !types.contains(&Json::from("null")) => {
            types.push(Json::from("null"));
        }
        Some(_) => {}
        // `nullable` beside a `$ref` or `allOf` alone, as many documents write it: the
        // schema, or null.
        None => {
            let rest = std::mem::take(schema);
            let description = rest.get("description").cloned();
            schema.insert("anyOf".into(), json!([{"type": "null"}, Json::Object(rest)]));
            if let Some(description) = description {
                schema.insert("description".into(), description);
            }
        }
    }
}

fn drop_write_only_from_required(schema: &mut Map<String, Json>) {
    let write_only: Vec<String> = match schema.get("properties").and_then(Json::as_object) {
        Some(properties) => properties
            .iter()
            .filter(|(_, p)| p.get("writeOnly") == Some(&Json::Bool(true)))
            .map(|(name, _)| name.clone())
            .collect(),
        None => return,
    };
    if let Some(Json::Array(required)) = schema.get_mut("required") {
        required.retain(|r| r.as_str().is_none_or(|r| !write_only.iter().any(|w| w == r)));
    }
}

/// `int32` and `int64` (OpenAPI's "Data Types") as the bounds they name.
fn bound_formats(schema: &mut Map<String, Json>) {
    let (low, high) = match schema.get("format").and_then(Json::as_str) {
        Some("int32") => (json!(i32::MIN), json!(i32::MAX)),
        Some("int64") => (json!(i64::MIN), json!(i64::MAX)),
        _ => return,
    };
    schema.entry("minimum").or_insert(low);
    schema.entry("maximum").or_insert(high);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn translated(schema: Json) -> Json {
        let Json::Object(mut map) = schema else { unreachable!() };
        translate_30(&mut map);
        Json::Object(map)
    }

    #[test]
    fn nullable_adds_null_to_the_type_and_the_enum() {
        assert_eq!(
            translated(json!({"type": "string", "nullable": true, "enum": ["a"]})),
            json!({"type": ["string", "null"], "enum": ["a", null]})
        );
        assert_eq!(
            translated(json!({"type": "string", "nullable": false})),
            json!({"type": "string"})
        );
        let wrapped = translated(json!({"nullable": true, "allOf": [{"$ref": "#/x"}]}));
        assert_eq!(wrapped, json!({"anyOf": [{"type": "null"}, {"allOf": [{"$ref": "#/x"}]}]}));
    }

    #[test]
    fn boolean_exclusive_bounds_become_numbers() {
        assert_eq!(
            translated(
                json!({"minimum": 0, "exclusiveMinimum": true, "maximum": 9, "exclusiveMaximum": false})
            ),
            json!({"exclusiveMinimum": 0, "maximum": 9})
        );
    }

    #[test]
    fn a_reference_loses_its_siblings_in_3_0() {
        assert_eq!(translated(json!({"$ref": "#/a", "type": "string"})), json!({"$ref": "#/a"}));
    }

    #[test]
    fn integer_formats_become_bounds() {
        let mut map = Map::new();
        map.insert("format".into(), json!("int32"));
        map.insert("minimum".into(), json!(0));
        bound_formats(&mut map);
        assert_eq!(
            Json::Object(map),
            json!({"format": "int32", "minimum": 0, "maximum": i32::MAX})
        );
    }
}
