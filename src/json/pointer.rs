//! RFC 6901 JSON pointers, walked against the document itself.
//!
//! A pointer segment is a key or an index depending on the node it meets, never on its looks:
//! `/0` names the key `"0"` in an object and the first element in an array. Splitting naively
//! (as the validator's own `Location` iterator does) loses empty keys and numeric-looking keys.

use std::collections::HashMap;

use super::{Kind, Value};

/// The node `pointer` (escaped form, e.g. `/labels/0/color`) names under `root`.
pub fn resolve<'a>(root: Value<'a>, pointer: &str) -> Option<Value<'a>> {
    if pointer.is_empty() {
        return Some(root);
    }
    pointer.strip_prefix('/')?.split('/').try_fold(root, step)
}

/// Resolves many pointers under one root, as for the errors of one user. A container with
/// many children is indexed the first time a pointer passes through it, so an error for each
/// element of a large array costs one walk of the array, not one walk each.
pub struct Resolver<'a> {
    root: Value<'a>,
    elements: HashMap<u32, Vec<Value<'a>>>,
    members: HashMap<u32, HashMap<&'a str, Value<'a>>>,
}

impl<'a> Resolver<'a> {
    /// Containers with fewer children than this are searched; a search is as fast there.
    const INDEXED: usize = 16;

    pub fn new(root: Value<'a>) -> Self {
        Resolver { root, elements: HashMap::new(), members: HashMap::new() }
    }

    /// The node `pointer` names under the root, as [`resolve`] finds it.
    pub fn resolve(&mut self, pointer: &str) -> Option<Value<'a>> {
        if pointer.is_empty() {
            return Some(self.root);
        }
        let mut node = self.root;
        for raw in pointer.strip_prefix('/')?.split('/') {
            node = match node.kind() {
                Kind::Object if node.len() >= Self::INDEXED => {
                    let members = self.members.entry(node.index).or_insert_with(|| {
                        node.members().map(|(k, v)| (k.as_str().unwrap_or_default(), v)).collect()
                    });
                    *members.get(unescape(raw).as_ref())?
                }
                Kind::Array if node.len() >= Self::INDEXED => {
                    let elements = self
                        .elements
                        .entry(node.index)
                        .or_insert_with(|| node.elements().collect());
                    *elements.get(parse_index(raw)?)?
                }
                _ => step(node, raw)?,
            };
        }
        Some(node)
    }
}

/// The child of `node` that one pointer segment names.
fn step<'a>(node: Value<'a>, raw: &str) -> Option<Value<'a>> {
    match node.kind() {
        Kind::Object => {
            let key = unescape(raw);
            Some(node.members().find(|(k, _)| k.as_str() == Some(&key))?.1)
        }
        Kind::Array => node.elements().nth(parse_index(raw)?),
        _ => None,
    }
}

/// The pointers from the tape's root to each of `targets` (in document order), found in one
/// walk of the tape rather than a walk each: an object may repeat a key thousands of times.
pub fn pointers_to(root: Value<'_>, targets: &[Value<'_>]) -> Vec<String> {
    let mut out = Vec::with_capacity(targets.len());
    walk(root, targets, &mut String::new(), &mut out);
    // Keeps the two lists in step should a target not be under `root` (none is).
    out.resize(targets.len(), String::new());
    out
}

/// Pushes the pointer of every target in `node`'s subtree; `out.len()` is the next target.
fn walk(node: Value<'_>, targets: &[Value<'_>], path: &mut String, out: &mut Vec<String>) {
    let pending = |out: &Vec<String>| targets.get(out.len()).map(|t| t.index);
    let within = |v: Value<'_>, t: u32| (v.index..v.entry().next).contains(&t);
    while pending(out) == Some(node.index) {
        out.push(path.clone());
    }
    let len = path.len();
    match node.kind() {
        Kind::Array => {
            for (i, child) in node.elements().enumerate() {
                let Some(t) = pending(out) else { return };
                if within(child, t) {
                    path.push('/');
                    path.push_str(&i.to_string());
                    walk(child, targets, path, out);
                    path.truncate(len);
                }
            }
        }
        Kind::Object => {
            for (key, value) in node.members_as_written() {
                let Some(t) = pending(out) else { return };
                if t != key.index && !within(value, t) {
                    continue;
                }
                push_segment(path, key.as_str().unwrap_or_default());
                // A pointer to a key names its member.
                while pending(out) == Some(key.index) {
                    out.push(path.clone());
                }
                if pending(out).is_some_and(|t| within(value, t)) {
                    walk(value, targets, path, out);
                }
                path.truncate(len);
            }
        }
        _ => {}
    }
}

/// The pointer from the tape's root to `target`: the value's own, or for a key, its member's.
#[cfg(test)]
pub fn pointer_to(target: Value<'_>) -> String {
    pointers_to(target.tape.root(), &[target]).pop().unwrap_or_default()
}

/// Appends `/segment`, escaped (`~` as `~0`, `/` as `~1`).
pub fn push_segment(out: &mut String, segment: &str) {
    out.push('/');
    for c in segment.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

/// A pointer segment as the key it names (`~1` is `/`, `~0` is `~`).
pub fn unescape(raw: &str) -> std::borrow::Cow<'_, str> {
    if raw.contains('~') { raw.replace("~1", "/").replace("~0", "~").into() } else { raw.into() }
}

fn parse_index(raw: &str) -> Option<usize> {
    let canonical = raw == "0" || (!raw.starts_with('0') && !raw.is_empty());
    if canonical && raw.bytes().all(|b| b.is_ascii_digit()) { raw.parse().ok() } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{Tape, parse::Reader};

    fn with_root<T>(src: &str, f: impl FnOnce(Value<'_>) -> T) -> T {
        let mut tape = Tape::new(src);
        Reader::new(src, 0).value(&mut tape).unwrap();
        f(tape.root())
    }

    #[test]
    fn numeric_looking_key_is_a_key_in_an_object() {
        with_root(r#"{"0": "key", "a": ["elem"]}"#, |root| {
            assert_eq!(resolve(root, "/0").unwrap().raw(), r#""key""#);
            assert_eq!(resolve(root, "/a/0").unwrap().raw(), r#""elem""#);
            assert!(resolve(root, "/a/00").is_none());
        });
    }

    #[test]
    fn slash_and_tilde_in_keys_round_trip() {
        with_root(r#"{"a/b": {"c~d": 1, "": 2}}"#, |root| {
            let node = resolve(root, "/a~1b/c~0d").unwrap();
            assert_eq!(node.raw(), "1");
            assert_eq!(pointer_to(node), "/a~1b/c~0d");
            let empty = resolve(root, "/a~1b/").unwrap();
            assert_eq!(empty.raw(), "2");
            assert_eq!(pointer_to(empty), "/a~1b/");
        });
    }

    #[test]
    fn many_targets_are_found_in_one_walk_and_in_order() {
        with_root(r#"{"a": [0, {"b": 1, "b": 2}], "c": {"d": [true]}}"#, |root| {
            let mut resolver = Resolver::new(root);
            let targets: Vec<_> = ["/a/0", "/a/1/b", "/c", "/c/d/0"]
                .iter()
                .map(|p| resolver.resolve(p).unwrap())
                .collect();
            assert_eq!(pointers_to(root, &targets), ["/a/0", "/a/1/b", "/c", "/c/d/0"]);
        });
    }

    #[test]
    fn pointer_to_a_key_names_its_member() {
        with_root(r#"[{"x": 1}, {"y": [true]}]"#, |root| {
            let second = root.elements().nth(1).unwrap();
            let (key, value) = second.members().next().unwrap();
            assert_eq!(pointer_to(key), "/1/y");
            assert_eq!(pointer_to(value.elements().next().unwrap()), "/1/y/0");
        });
    }
}
