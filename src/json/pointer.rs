//! RFC 6901 JSON pointers, walked against the document itself.
//!
//! A pointer segment is a key or an index depending on the node it meets, never on its looks:
//! `/0` names the key `"0"` in an object and the first element in an array. Splitting naively
//! (as the validator's own `Location` iterator does) loses empty keys and numeric-looking keys.

use super::{Kind, Value};

/// The node `pointer` (escaped form, e.g. `/labels/0/color`) names under `root`.
pub fn resolve<'a>(root: Value<'a>, pointer: &str) -> Option<Value<'a>> {
    if pointer.is_empty() {
        return Some(root);
    }
    let rest = pointer.strip_prefix('/')?;
    let mut node = root;
    for raw in rest.split('/') {
        node = match node.kind() {
            Kind::Object => {
                let key = unescape(raw);
                node.members().find(|(k, _)| k.as_str() == Some(&key))?.1
            }
            Kind::Array => {
                let index = parse_index(raw)?;
                node.elements().nth(index)?
            }
            _ => return None,
        };
    }
    Some(node)
}

/// The pointer from the tape's root to `target`: the value's own, or for a key, its member's.
pub fn pointer_to(target: Value<'_>) -> String {
    let mut out = String::new();
    let mut node = target.tape.root();
    while node.index != target.index {
        let inside = |v: Value<'_>| (v.index..v.entry().next).contains(&target.index);
        match node.kind() {
            Kind::Array => {
                let Some((i, child)) = node.elements().enumerate().find(|(_, v)| inside(*v)) else {
                    break;
                };
                out.push('/');
                out.push_str(&i.to_string());
                node = child;
            }
            Kind::Object => {
                let Some((key, value)) =
                    node.members_as_written().find(|(k, v)| k.index == target.index || inside(*v))
                else {
                    break;
                };
                push_segment(&mut out, key.as_str().unwrap_or_default());
                if key.index == target.index {
                    break;
                }
                node = value;
            }
            _ => break,
        }
    }
    out
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
    fn pointer_to_a_key_names_its_member() {
        with_root(r#"[{"x": 1}, {"y": [true]}]"#, |root| {
            let second = root.elements().nth(1).unwrap();
            let (key, value) = second.members().next().unwrap();
            assert_eq!(pointer_to(key), "/1/y");
            assert_eq!(pointer_to(value.elements().next().unwrap()), "/1/y/0");
        });
    }
}
