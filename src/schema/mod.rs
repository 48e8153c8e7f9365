//! The JSON Schema: compiled once, run over each user, and its errors turned into diagnostics a
//! person can act on.
//!
//! The schema in `schemas/profile.schema.json` is embedded in the binary. Its root describes the
//! documented array; its `items` subschema describes one user, and that is what each item of a
//! streamed array (or a single user object) is validated against.

use std::collections::{HashMap, HashSet};

use jsonschema::error::ValidationErrorKind;
use jsonschema::{ValidationError, Validator};
use serde_json::Value as Json;

mod budget;
mod compile;
mod describe;
pub(crate) mod watchdog;

use crate::email;
use crate::findings::Findings;
use crate::json::validate::{TapeJson, TapeNode};
use crate::json::{Value, pointer};
use compile::huge_number;
use describe::{field_name, too_large_to_compare};

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
    /// What a body is validated against: with `by_items`, the root's `items`, run on each item
    /// of a top-level array (or on a single object); else the root, run on the whole body.
    /// Only that one is kept, and the embedded schema compiles only that one (a schema from
    /// elsewhere is compiled whole, so that a fault anywhere in it is reported).
    validator: Validator<TapeJson>,
    /// Whether `validator` is the root's `items`: the root describes an array with `items`,
    /// nothing else at the root looks at the array as a whole, and the schema is `/profile/`'s
    /// (a response of another operation is validated whole).
    by_items: bool,
    /// The time limit on validating one value, for a schema from elsewhere (see [`watchdog`]).
    watch: Option<watchdog::Watch>,
    /// What its messages call the objects it describes.
    nouns: Nouns,
}

/// What a schema's messages call the objects it describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Nouns {
    /// `/profile/`'s: users, their labels and `changed_by`.
    Profile,
    /// Another API's: objects.
    Any,
}

impl std::fmt::Debug for Schema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Schema").field("items", &self.by_items).finish_non_exhaustive()
    }
}

impl Schema {
    /// The embedded schema. It is tested to compile, so failure here is a build defect.
    pub fn embedded() -> Schema {
        match Schema::compile_embedded() {
            Ok(schema) => schema,
            Err(error) => panic!("the embedded schema does not compile: {error}"),
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

    /// The schema document, as compiled.
    pub fn document(&self) -> &Json {
        &self.document
    }

    /// Whether each item of a top-level array is validated on its own, with `items`.
    pub fn validates_items(&self) -> bool {
        self.by_items
    }

    /// Validates one user (an array item, or the root when it is a single object).
    pub fn check_item(&self, item: Value<'_>, base: &str, out: &mut Findings) {
        self.check(&self.validator, item, base, "user", out);
    }

    /// Validates a whole document against the root schema, for a schema that does not
    /// validate items ([`Schema::validates_items`]).
    pub fn check_document(&self, root: Value<'_>, out: &mut Findings) {
        self.check(&self.validator, root, "", "response", out);
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
        self.report(&errors, node, base, root_name, out);
    }

    /// The findings of a value's validation errors, each said once.
    fn report(
        &self,
        errors: &[ValidationError<'_>],
        node: Value<'_>,
        base: &str,
        root_name: &str,
        out: &mut Findings,
    ) {
        // A value of the wrong type gets that one finding, not also "not in the enum" and such;
        // an address too long for `maxLength` gets that one, not also "not an email" for the
        // same excess. (Sets, not lists: a hostile value can have an error per element.)
        let at_kind = |kind: fn(&ValidationErrorKind) -> bool| -> HashSet<&str> {
            errors.iter().filter(|e| kind(e.kind())).map(|e| e.instance_path().as_str()).collect()
        };
        let mistyped = at_kind(|k| matches!(k, ValidationErrorKind::Type { .. }));
        let too_long = at_kind(|k| matches!(k, ValidationErrorKind::MaxLength { .. }));
        let mut resolver = pointer::Resolver::new(node);
        // The fields each object lacks, in the order the objects are met.
        let mut missing: Vec<(Value<'_>, String, Vec<String>, String)> = Vec::new();
        let mut missing_at: HashMap<&str, usize> = HashMap::new();
        for error in errors {
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
                // One finding a field the schema does not allow, on the field's own key.
                ValidationErrorKind::AdditionalProperties { unexpected } => {
                    for name in unexpected {
                        out.push(self.unexpected_field(error, target, name, &at));
                    }
                }
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Code;
    use crate::json::Tape;
    use crate::json::parse::Reader;
    use describe::object_noun;
    use std::path::Path;

    #[test]
    fn the_version_macro_matches_the_schema() {
        let schema: Json = serde_json::from_str(EMBEDDED).unwrap();
        assert_eq!(schema["x-schema-version"], crate::schema_version!());
    }

    /// The embedded schema is compiled as draft 7 (see `compile_embedded`): it keeps to the
    /// keywords that mean the same there as in 2020-12.
    #[test]
    fn the_embedded_schema_means_the_same_in_draft_7() {
        fn walk(schema: &Json, at: &str) {
            let Json::Object(keywords) = schema else { panic!("{at}: not a schema object") };
            for (keyword, value) in keywords {
                let here = format!("{at}/{keyword}");
                let known = compile::DRAFT_7_ALIKE.contains(&keyword.as_str());
                assert!(known || keyword.starts_with("x-"), "{here}: not read alike in draft 7");
                match keyword.as_str() {
                    "$ref" => {
                        let annotations = ["$ref", "$comment", "description"];
                        let beside = keywords.keys().filter(|k| !annotations.contains(&k.as_str()));
                        assert_eq!(beside.count(), 0, "{here}: draft 7 ignores what is beside it");
                    }
                    "properties" | "$defs" => {
                        for (name, sub) in value.as_object().unwrap() {
                            walk(sub, &format!("{here}/{name}"));
                        }
                    }
                    "items" | "if" | "then" => walk(value, &here),
                    _ => {}
                }
            }
        }
        walk(&serde_json::from_str(EMBEDDED).unwrap(), "");
    }

    #[test]
    fn embedded_schema_compiles_and_validates_items() {
        assert!(Schema::embedded().validates_items());
    }

    /// The embedded schema passes every check of a schema from elsewhere, which its own
    /// compilation leaves out: it is valid JSON, checked exactly, with its work bounded.
    #[test]
    fn the_embedded_schema_passes_the_checks_of_any_schema() {
        let checked = Schema::compile(EMBEDDED).unwrap();
        assert!(checked.validates_items());
        assert_eq!(checked.document(), Schema::embedded().document());
    }

    /// Compiled as the embedded schema or as a schema from elsewhere, it finds the same in
    /// every JSON file of the corpus, user by user.
    #[test]
    fn the_embedded_schema_finds_what_the_same_schema_from_elsewhere_finds() {
        let (embedded, checked) = (Schema::embedded(), Schema::compile(EMBEDDED).unwrap());
        let (mut files, mut findings) = (0, 0);
        for path in corpus_json_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")) {
            let Ok(text) = std::fs::read_to_string(&path) else { continue };
            let mut tape = Tape::new(&text);
            if Reader::new(&text, 0).value(&mut tape).is_err() {
                continue;
            }
            let root = tape.root();
            let values: Vec<Value<'_>> = match root.kind() {
                crate::json::Kind::Array => root.elements().collect(),
                _ => vec![root],
            };
            let found = |schema: &Schema| {
                let mut out = Findings::new(None);
                for (i, value) in values.iter().enumerate() {
                    schema.check_item(*value, &format!("/{i}"), &mut out);
                }
                out.finish().0
            };
            let same = found(&embedded);
            assert_eq!(same, found(&checked), "{}", path.display());
            files += 1;
            findings += same.len();
        }
        assert!(files > 40 && findings > 20, "{files} files, {findings} findings");
    }

    fn corpus_json_files(dir: &Path) -> Vec<std::path::PathBuf> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                files.extend(corpus_json_files(&path));
            } else if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
        files
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
