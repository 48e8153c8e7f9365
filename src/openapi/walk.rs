//! What a response schema says beyond validation: a `writeOnly` property has no place in a
//! response (O004), and a field the schema does not list is drift from the document (O005),
//! unless the schema allows other fields, or forbids them (then validation reports it).

use std::collections::HashMap;

use serde_json::Value as Json;

use crate::diagnostic::{Code, Diagnostic};
use crate::exchange::percent_decode;
use crate::findings::Findings;
use crate::json::{Kind, Value, pointer};

/// The findings of the walk of `value` (at pointer `base`) against the bundled schema `root`.
pub fn extra_findings(
    root: &Json,
    value: Value<'_>,
    base: &str,
    unlisted: bool,
    out: &mut Findings,
) {
    let mut walk = Walk { root, unlisted, out, resolved: HashMap::new() };
    let mut at = base.to_owned();
    walk.value(root, value, &mut at, 0);
}

struct Walk<'a, 'o> {
    root: &'a Json,
    unlisted: bool,
    out: &'o mut Findings,
    /// Each schema after its references, by where it is: an array's items are one schema.
    resolved: HashMap<*const Json, &'a Json>,
}

/// A part that allows any other field, for an object whose branch cannot be told.
static OPEN: std::sync::LazyLock<Json> =
    std::sync::LazyLock::new(|| serde_json::json!({"additionalProperties": true}));

/// How deep schemas and values are followed: a recursive schema meets a value's depth.
const MAX_DEPTH: usize = 64;

impl<'a> Walk<'a, '_> {
    fn value(&mut self, schema: &'a Json, value: Value<'_>, at: &mut String, depth: usize) {
        // Only objects have members to list; a scalar's own checks are the validator's.
        if depth > MAX_DEPTH || !matches!(value.kind(), Kind::Object | Kind::Array) {
            return;
        }
        let parts = self.parts(schema, value, 0);
        match value.kind() {
            Kind::Object => self.object(&parts, value, at, depth),
            Kind::Array => {
                let items: Vec<&Json> = parts.iter().filter_map(|p| p.get("items")).collect();
                let len = at.len();
                for (i, element) in value.elements().enumerate() {
                    let _ = std::fmt::Write::write_fmt(at, format_args!("/{i}"));
                    for items in &items {
                        self.value(items, element, at, depth + 1);
                    }
                    at.truncate(len);
                }
            }
            _ => {}
        }
    }

    fn object(&mut self, parts: &[&'a Json], value: Value<'_>, at: &mut String, depth: usize) {
        let listed = parts.iter().any(|p| p.get("properties").is_some());
        let open = parts.iter().any(|p| {
            ["additionalProperties", "patternProperties", "unevaluatedProperties"]
                .iter()
                .any(|k| p.get(k).is_some())
        });
        let len = at.len();
        for (key, member) in value.members() {
            let name = key.as_str().unwrap_or_default();
            pointer::push_segment(at, name);
            let schemas: Vec<&'a Json> =
                parts.iter().filter_map(|p| p.get("properties")?.get(name)).collect();
            if schemas.is_empty() && listed && !open && self.unlisted {
                self.out.push(unlisted_field(name, key, at));
            }
            for schema in &schemas {
                let resolved = self.resolve(schema);
                if resolved.get("writeOnly") == Some(&Json::Bool(true)) {
                    self.out.push(write_only(name, key, at));
                }
                self.value(schema, member, at, depth + 1);
            }
            at.truncate(len);
        }
    }

    /// The schemas that apply to `value` together: the schema, its references, its `allOf`,
    /// and the one branch of an `anyOf` or `oneOf` that can be told (the only one not null,
    /// or the one a discriminator names).
    fn parts(&mut self, schema: &'a Json, value: Value<'_>, depth: usize) -> Vec<&'a Json> {
        let schema = self.resolve(schema);
        let mut parts = vec![schema];
        if depth > 8 {
            return parts;
        }
        for all in schema.get("allOf").and_then(Json::as_array).into_iter().flatten() {
            parts.extend(self.parts(all, value, depth + 1));
        }
        for key in ["anyOf", "oneOf"] {
            let Some(branches) = schema.get(key).and_then(Json::as_array) else { continue };
            match self.branch(schema, branches, value) {
                Some(branch) => parts.extend(self.parts(branch, value, depth + 1)),
                // Which branch applies cannot be told: a field any of them lists may be its,
                // so none is called unlisted.
                None => parts.push(&OPEN),
            }
        }
        parts
    }

    fn branch(
        &mut self,
        schema: &'a Json,
        branches: &'a [Json],
        value: Value<'_>,
    ) -> Option<&'a Json> {
        let not_null: Vec<&Json> = branches
            .iter()
            .filter(|b| self.resolve(b).get("type").and_then(Json::as_str) != Some("null"))
            .collect();
        if let [only] = not_null.as_slice() {
            return Some(only);
        }
        let discriminator = schema.get("discriminator")?;
        let property = discriminator.get("propertyName")?.as_str()?;
        let named = value.get(property)?.as_str()?.to_owned();
        let mapped =
            discriminator.get("mapping").and_then(|m| m.get(&named)).and_then(Json::as_str);
        branches.iter().find(|b| {
            let reference = b.get("$ref").and_then(Json::as_str).unwrap_or_default();
            // Bundled references are `#/$defs/<name>`; a mapping names the original.
            let last = reference.rsplit('/').next().unwrap_or_default();
            last == named || mapped.is_some_and(|m| m.rsplit('/').next() == Some(last))
        })
    }

    /// `schema` after its local references, at most a few deep.
    fn resolve(&mut self, schema: &'a Json) -> &'a Json {
        if let Some(resolved) = self.resolved.get(&(schema as *const Json)) {
            return resolved;
        }
        let resolved = self.resolve_anew(schema);
        self.resolved.insert(schema as *const Json, resolved);
        resolved
    }

    fn resolve_anew(&self, mut schema: &'a Json) -> &'a Json {
        for _ in 0..16 {
            let Some(reference) = schema.get("$ref").and_then(Json::as_str) else { break };
            let pointer = reference.strip_prefix('#').map(|p| percent_decode(p, false));
            let Some(target) = pointer.and_then(|p| self.root.pointer(&p)) else {
                break;
            };
            schema = target;
        }
        schema
    }
}

fn unlisted_field(name: &str, key: Value<'_>, at: &str) -> Diagnostic {
    Diagnostic::new(Code::UnlistedField, format!("`{name}` is not a field the document lists here"))
        .with_span(key.span())
        .with_pointer(at)
        .with_label("not in the schema's `properties`")
        .with_help("the API sends a field its OpenAPI document does not describe: document it, or ignore it with `allow = [\"O005\"]`; a schema with `additionalProperties: false` makes it an error instead")
}

fn write_only(name: &str, key: Value<'_>, at: &str) -> Diagnostic {
    Diagnostic::new(Code::WriteOnlyInResponse, format!("`{name}` is writeOnly, yet the response holds it"))
        .with_span(key.span())
        .with_pointer(at)
        .with_label("writeOnly: sent in requests, never returned")
        .with_help("a writeOnly property (a password, a secret) is documented to appear in requests only; a response that returns it leaks it")
}
