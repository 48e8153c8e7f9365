//! How much work a schema can make of one value, worked out from the schema alone, before any
//! input is checked.
//!
//! `allOf`, `anyOf`, `oneOf`, `not`, `if`/`then`/`else` and `$ref` apply subschemas to the
//! value they sit on, and when the value fails, the validator evaluates every branch and
//! collects its errors. Nested through shared `$defs`, a schema of a few lines can apply
//! millions of subschemas to one value: a `--schema` from elsewhere could make a run take
//! hours. [`applications`] bounds, for the worst value at any depth, how many subschemas are
//! applied to it; [`Schema::compile`](super::Schema::compile) refuses a schema over [`BUDGET`].

use std::collections::{HashMap, HashSet};

use referencing::{Registry, Resolver};
use serde_json::Value as Json;

use crate::json::parse::MAX_DEPTH;

/// The most subschemas a schema may apply to one value. The embedded schema applies at most
/// a handful; a chain of 13 `anyOf`s of two branches each, each referring to the next, is
/// over it.
pub const BUDGET: u64 = 10_000;

/// Subschemas followed one inside the next (in place, or a level down) before the schema is
/// judged too deep to reason about, and over budget. The walk runs on a thread with a stack
/// that holds this many.
const MAX_CHAIN: usize = 16_384;
const STACK: usize = 64 << 20;

/// Keywords whose subschemas apply to the value they sit on.
const IN_PLACE: &[&str] = &["allOf", "anyOf", "oneOf", "not", "if", "then", "else"];
/// Keywords whose subschemas apply to the values inside an array (its elements) or an object
/// (its members and their names), in groups: a value inside gets at most one subschema of a
/// group (an element is either one of `prefixItems` or under `items`; a member is under one of
/// `properties`), and may get one of every group. (`patternProperties` adds a group for each
/// pattern, since a name may match them all.) A value is an array or an object, never both,
/// so the two are counted apart: an `anyOf` of an object branch and an array branch, the
/// shape of a recursive "any JSON value", descends one way only.
const IN_ARRAY: &[&[&str]] =
    &[&["prefixItems", "items", "additionalItems"], &["contains"], &["unevaluatedItems"]];
const IN_OBJECT: &[&[&str]] =
    &[&["properties"], &["additionalProperties"], &["unevaluatedProperties"], &["propertyNames"]];
const REFERENCES: &[&str] = &["$ref", "$dynamicRef", "$recursiveRef"];

/// The most subschemas `document` (compiled with `draft`) applies to one value at any depth
/// of an input, up to [`BUDGET`] + 1; `None` when its references cannot be followed here.
pub fn applications(document: &Json, draft: jsonschema::Draft) -> Option<u64> {
    // The validator's own default base, so that a relative `$id` resolves as it did there.
    const BASE: &str = "json-schema:///";
    let registry = Registry::new().draft(draft).add(BASE, document).ok()?.prepare().ok()?;
    let resolver = registry.resolver(referencing::uri::from_str(BASE).ok()?);
    let walk = || Walk::default().widest(document, &resolver, MAX_DEPTH + 1);
    std::thread::scope(|scope| {
        let thread = std::thread::Builder::new().stack_size(STACK).spawn_scoped(scope, walk);
        // No thread to be had: the schema cannot be judged, so it is not trusted.
        thread.ok().and_then(|t| t.join().ok())
    })
}

#[derive(Default)]
struct Walk {
    counts: HashMap<usize, u64>,
    widest: HashMap<(usize, usize), u64>,
    below: HashMap<(usize, usize, bool), u64>,
    /// The in-place chain being counted, to stop at a cycle (the validator stops there too).
    counting: HashSet<usize>,
    /// The same for the walk down, at each depth.
    descending: HashSet<(usize, usize, bool)>,
}

type Children<'r> = Vec<(&'r Json, Resolver<'r>)>;

fn key(schema: &Json) -> usize {
    std::ptr::from_ref(schema) as usize
}

fn add(a: u64, b: u64) -> u64 {
    a.saturating_add(b).min(BUDGET + 1)
}

impl Walk {
    /// Subschemas applied to the value `schema` is applied to: itself and those in place.
    fn count<'r>(&mut self, schema: &'r Json, resolver: &Resolver<'r>) -> u64 {
        if let Some(&n) = self.counts.get(&key(schema)) {
            return n;
        }
        if self.counting.len() + self.descending.len() >= MAX_CHAIN {
            return BUDGET + 1;
        }
        if !self.counting.insert(key(schema)) {
            return 1;
        }
        let mut n = 1;
        for (child, resolver) in in_place(schema, resolver) {
            n = add(n, self.count(child, &resolver));
        }
        self.counting.remove(&key(schema));
        self.counts.insert(key(schema), n);
        n
    }

    /// The most subschemas applied to one value at most `depth` levels into the value
    /// `schema` is applied to, that value included.
    fn widest<'r>(&mut self, schema: &'r Json, resolver: &Resolver<'r>, depth: usize) -> u64 {
        let here = self.count(schema, resolver);
        if depth == 0 || here > BUDGET {
            return here;
        }
        if let Some(&n) = self.widest.get(&(key(schema), depth)) {
            return n;
        }
        let in_array = self.below(schema, resolver, depth, true);
        let n = here.max(in_array).max(self.below(schema, resolver, depth, false));
        self.widest.insert((key(schema), depth), n);
        n
    }

    /// An upper bound on the subschemas applied to one value inside the value `schema` is
    /// applied to, when that is an array (or else an object): what each subschema applied in
    /// place applies to the values inside.
    fn below<'r>(
        &mut self,
        schema: &'r Json,
        resolver: &Resolver<'r>,
        depth: usize,
        array: bool,
    ) -> u64 {
        let at = (key(schema), depth, array);
        if let Some(&n) = self.below.get(&at) {
            return n;
        }
        if self.counting.len() + self.descending.len() >= MAX_CHAIN {
            return BUDGET + 1;
        }
        if !self.descending.insert(at) {
            return 0;
        }
        let mut n = 0;
        for group in inside(schema, resolver, array) {
            let mut most = 0;
            for (child, resolver) in group {
                most = most.max(self.widest(child, &resolver, depth - 1));
            }
            n = add(n, most);
        }
        for (child, resolver) in in_place(schema, resolver) {
            n = add(n, self.below(child, &resolver, depth, array));
        }
        self.descending.remove(&at);
        self.below.insert(at, n);
        n
    }
}

/// The subschemas `schema` applies to its own value, each with the resolver for its refs.
fn in_place<'r>(schema: &'r Json, resolver: &Resolver<'r>) -> Children<'r> {
    let Some(object) = schema.as_object() else { return Vec::new() };
    let resolver = scope(schema, resolver);
    let mut out: Children<'r> = Vec::new();
    for keyword in IN_PLACE {
        subschemas(object.get(*keyword), &resolver, &mut out);
    }
    for keyword in ["dependentSchemas", "dependencies"] {
        if let Some(Json::Object(map)) = object.get(keyword) {
            for value in map.values().filter(|v| v.is_object() || v.is_boolean()) {
                out.push((value, resolver.clone()));
            }
        }
    }
    for keyword in REFERENCES {
        let Some(reference) = object.get(*keyword).and_then(Json::as_str) else { continue };
        // `$recursiveRef` is always `#`; a reference that does not resolve here did at compile
        // time through a mechanism this bound does not follow, and counts as itself.
        if let Ok(resolved) = resolver.lookup(reference) {
            let (contents, resolver, _) = resolved.into_inner();
            // The standard meta-schemas are known and finite: each applies a few dozen
            // subschemas to a value, however deep its `$dynamicRef`s recurse, so they are not
            // walked (their recursion would otherwise look unbounded).
            if !is_meta_schema(resolver.base_uri().as_str()) {
                out.push((contents, resolver));
            }
        }
    }
    out
}

/// Whether `uri` is one of the JSON Schema meta-schemas (or their vocabularies) that the
/// validator ships, rather than a schema from the user.
fn is_meta_schema(uri: &str) -> bool {
    uri.starts_with("https://json-schema.org/draft/")
        || uri.starts_with("http://json-schema.org/draft-")
}

/// The subschemas `schema` applies to the values inside its own when that is an array (or
/// else an object), in groups (see [`IN_ARRAY`]).
fn inside<'r>(schema: &'r Json, resolver: &Resolver<'r>, array: bool) -> Vec<Children<'r>> {
    let Some(object) = schema.as_object() else { return Vec::new() };
    let resolver = scope(schema, resolver);
    let mut groups = Vec::new();
    for keywords in if array { IN_ARRAY } else { IN_OBJECT } {
        let mut group = Vec::new();
        for keyword in *keywords {
            match object.get(*keyword) {
                Some(Json::Object(map)) if *keyword == "properties" => {
                    group.extend(map.values().map(|v| (v, resolver.clone())));
                }
                other => subschemas(other, &resolver, &mut group),
            }
        }
        groups.push(group);
    }
    // Every pattern a member's name matches applies: each is a group of its own.
    if let Some(Json::Object(map)) = object.get("patternProperties").filter(|_| !array) {
        groups.extend(map.values().map(|v| vec![(v, resolver.clone())]));
    }
    groups
}

/// A keyword's value as subschemas: one schema, or an array of them.
fn subschemas<'r>(value: Option<&'r Json>, resolver: &Resolver<'r>, out: &mut Children<'r>) {
    match value {
        Some(Json::Array(items)) => out.extend(items.iter().map(|v| (v, resolver.clone()))),
        Some(v @ (Json::Object(_) | Json::Bool(_))) => out.push((v, resolver.clone())),
        _ => {}
    }
}

/// The resolver for references inside `schema`: a schema with its own `$id` is a new base.
fn scope<'r>(schema: &'r Json, resolver: &Resolver<'r>) -> Resolver<'r> {
    let id = schema.get("$id").and_then(Json::as_str);
    match id.filter(|id| !id.starts_with('#')).map(|id| resolver.lookup(id)) {
        Some(Ok(resolved)) => resolved.into_inner().1,
        _ => resolver.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A schema that refers to a standard meta-schema is not refused: the meta-schemas are
    /// known and finite (JSON-Schema-Test-Suite, draft 2020-12, `defs.json`).
    #[test]
    fn the_standard_meta_schemas_are_within_budget() {
        let schema = json!({"$ref": "https://json-schema.org/draft/2020-12/schema"});
        assert!(of(schema) <= BUDGET);
        let schema = json!({"$defs": {"a": {"$ref": "https://json-schema.org/draft/2020-12/schema"}},
            "properties": {"x": {"$ref": "#/$defs/a"}}});
        assert!(of(schema) <= BUDGET);
    }

    fn of(schema: Json) -> u64 {
        applications(&schema, jsonschema::Draft::Draft202012).unwrap()
    }

    /// `depth` definitions, each an `anyOf` of two references to the next.
    fn chain(depth: usize) -> Json {
        let mut defs = serde_json::Map::new();
        for i in 0..depth {
            let next = if i + 1 < depth {
                json!({"$ref": format!("#/$defs/a{}", i + 1)})
            } else {
                json!({"type": "string"})
            };
            defs.insert(format!("a{i}"), json!({"anyOf": [next.clone(), {"allOf": [next]}]}));
        }
        json!({"$defs": defs, "type": "array", "items": {"$ref": "#/$defs/a0"}})
    }

    #[test]
    fn the_embedded_schema_is_far_under_budget() {
        let document: Json = serde_json::from_str(super::super::EMBEDDED).unwrap();
        let n = of(document);
        assert!((1..100).contains(&n), "{n}");
    }

    #[test]
    fn nested_branches_through_shared_definitions_multiply() {
        assert!(of(chain(4)) < 100);
        assert!(of(chain(13)) > BUDGET);
        assert!(of(chain(60)) > BUDGET);
    }

    #[test]
    fn branches_multiply_across_depth_too() {
        // Each level of an object applies two subschemas to the next level down.
        let schema = json!({
            "$defs": {"node": {"anyOf": [
                {"properties": {"a": {"$ref": "#/$defs/node"}}},
                {"properties": {"a": {"$ref": "#/$defs/node"}}}
            ]}},
            "$ref": "#/$defs/node"
        });
        assert!(of(schema) > BUDGET);
        // A plain recursive schema (a tree) applies one subschema per level.
        let tree = json!({
            "$defs": {"node": {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}},
            "$ref": "#/$defs/node"
        });
        assert!(of(tree) < 10);
    }

    #[test]
    fn wide_schemas_are_not_deep_ones() {
        // Each property applies to its own member; a member meets one of them.
        let properties: serde_json::Map<String, Json> = (0..20_000)
            .map(|i| (format!("p{i}"), json!({"oneOf": [{"const": 1}, {"const": 2}]})))
            .collect();
        assert!(of(json!({"properties": properties})) < 10);
        let choices: Vec<Json> = (0..250).map(|i| json!({"const": i})).collect();
        assert!(of(json!({"items": {"oneOf": choices}})) < 300);
    }

    #[test]
    fn any_json_value_recursively_is_not_exponential() {
        let schema = json!({
            "$defs": {"any": {"anyOf": [
                {"type": "object", "additionalProperties": {"$ref": "#/$defs/any"}},
                {"type": "array", "items": {"$ref": "#/$defs/any"}},
                {"type": ["string", "number", "boolean", "null"]}
            ]}},
            "$ref": "#/$defs/any"
        });
        assert!(of(schema) < 20);
    }

    #[test]
    fn a_relative_id_does_not_hide_the_chain() {
        let mut schema = chain(20);
        schema["$id"] = json!("x.json");
        schema["$defs"]["unused"] = json!({"$id": "unused.json"});
        assert!(of(schema) > BUDGET);
    }

    #[test]
    fn a_reference_cycle_in_place_ends() {
        let schema = json!({"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"});
        assert!(of(schema) < 10);
    }

    #[test]
    fn references_resolve_against_nested_ids() {
        let schema = json!({
            "$id": "https://example.com/root.json",
            "$defs": {
                "inner": {"$id": "inner.json", "$defs": {"x": {"anyOf": [{"$ref": "#/$defs/y"}, {"$ref": "#/$defs/y"}]}, "y": {"anyOf": [{"$ref": "#/$defs/z"}, {"$ref": "#/$defs/z"}]}, "z": {}}},
            },
            "$ref": "inner.json#/$defs/x"
        });
        let n = of(schema);
        assert!((7..20).contains(&n), "{n}");
    }
}
