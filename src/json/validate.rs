//! Lets the jsonschema crate validate a [`Tape`] in place, through its `Json` representation
//! trait, so no `serde_json::Value` is built for a document that passes.

use std::borrow::Cow;
use std::sync::OnceLock;

use jsonschema::JsonType;
use jsonschema::json::{Array, Json, JsonNumber, Node, NodeIdentity, Object};
use jsonschema_value::LazyInstance;

use super::{Elements, Kind, Members, Tape, Value, number_from_text};

/// The tape as a JSON representation for the validator.
pub struct TapeJson;

/// A node the validator holds: one on a tape, or a bare property name it asks us to wrap.
#[derive(Clone, Copy)]
pub enum TapeNode<'a> {
    Node(Value<'a>),
    Name(&'a str),
}

impl Json for TapeJson {
    type Node<'a> = TapeNode<'a>;
    type PreparedKey = Box<str>;
    type StringBuffer = ();
    // Objects are small and looked up by a linear scan, so one members pass beats many lookups.
    const KEYS_PER_LOOKUP: usize = 8;
    const ACYCLIC: bool = true;

    fn prepare_key(key: &str) -> Box<str> {
        key.into()
    }

    fn with_string_node<T>((): &mut (), string: &str, f: impl FnOnce(TapeNode<'_>) -> T) -> T {
        f(TapeNode::Name(string))
    }
}

impl<'a> TapeNode<'a> {
    pub fn new(tape: &'a Tape<'a>) -> Self {
        TapeNode::Node(tape.root())
    }

    fn kind(&self) -> Kind {
        match self {
            TapeNode::Node(v) => v.kind(),
            TapeNode::Name(_) => Kind::String,
        }
    }

    fn str(&self) -> Option<&'a str> {
        match self {
            TapeNode::Node(v) => v.as_str(),
            TapeNode::Name(s) => Some(s),
        }
    }
}

/// A number, kept as written and read on demand.
pub struct TapeNumber<'a>(&'a str);

impl JsonNumber for TapeNumber<'_> {
    fn as_u64(&self) -> Option<u64> {
        self.0.parse().ok()
    }
    fn as_i64(&self) -> Option<i64> {
        self.0.parse().ok()
    }
    fn as_f64(&self) -> Option<f64> {
        self.0.parse::<f64>().ok().filter(|f| f.is_finite())
    }
    fn as_str(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.0)
    }
    fn to_number(&self) -> Cow<'_, serde_json::Number> {
        Cow::Owned(number_from_text(self.0))
    }
    fn is_written_as_integer(&self) -> bool {
        !self.0.contains(['.', 'e', 'E'])
    }
}

impl<'a> Node<'a, TapeJson> for TapeNode<'a> {
    type Object = Value<'a>;
    type Array = Value<'a>;
    type Number = TapeNumber<'a>;

    fn as_object(&self) -> Option<Value<'a>> {
        match self {
            TapeNode::Node(v) if v.kind() == Kind::Object => Some(*v),
            _ => None,
        }
    }

    fn as_array(&self) -> Option<Value<'a>> {
        match self {
            TapeNode::Node(v) if v.kind() == Kind::Array => Some(*v),
            _ => None,
        }
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        self.str().map(Cow::Borrowed)
    }

    fn as_number(&self) -> Option<TapeNumber<'a>> {
        match self {
            TapeNode::Node(v) if v.kind() == Kind::Number => Some(TapeNumber(v.raw())),
            _ => None,
        }
    }

    fn as_boolean(&self) -> Option<bool> {
        match self {
            TapeNode::Node(v) => v.as_bool(),
            TapeNode::Name(_) => None,
        }
    }

    fn is_null(&self) -> bool {
        self.kind() == Kind::Null
    }

    fn json_type(&self) -> JsonType {
        match self.kind() {
            Kind::Null => JsonType::Null,
            Kind::Bool(_) => JsonType::Boolean,
            Kind::Number => JsonType::Number,
            Kind::String => JsonType::String,
            Kind::Array => JsonType::Array,
            Kind::Object => JsonType::Object,
        }
    }

    fn equals_value(&self, expected: &serde_json::Value) -> bool {
        // `enum` of strings is the common case: compare without building a Value.
        match (self.str(), expected) {
            (Some(s), serde_json::Value::String(e)) => s == e,
            (Some(_), _) => false,
            _ => jsonschema::json::cmp::equal(&self.to_value(), expected),
        }
    }

    fn to_value(&self) -> Cow<'a, serde_json::Value> {
        match self {
            TapeNode::Node(v) => Cow::Owned(v.to_serde()),
            TapeNode::Name(s) => Cow::Owned(serde_json::Value::String((*s).to_owned())),
        }
    }

    // Every error carries its instance, and the default builds it at once: each of a user's
    // missing fields copied the whole user, 50 MB string and all. Build it only if read.
    fn lazy_value(&self) -> LazyInstance<'a> {
        let (bytes, tag) = match self {
            TapeNode::Node(v) => (v.raw().as_bytes(), WRITTEN),
            TapeNode::Name(s) => (s.as_bytes(), NAME),
        };
        LazyInstance::Deferred { bytes, tag, make: build_instance, cell: OnceLock::new() }
    }

    fn identity(&self) -> Option<NodeIdentity> {
        match self {
            TapeNode::Node(v) => {
                Some(NodeIdentity::tagged(std::ptr::from_ref(v.tape) as usize, v.index))
            }
            TapeNode::Name(_) => None,
        }
    }
}

/// What the bytes of a deferred instance are: a value as written, or a bare property name.
const WRITTEN: u32 = 0;
const NAME: u32 = 1;

/// A deferred instance, built from its bytes when an error's instance is read.
fn build_instance(bytes: &[u8], tag: u32) -> serde_json::Value {
    let text = String::from_utf8_lossy(bytes);
    if tag == NAME {
        return serde_json::Value::String(text.into_owned());
    }
    // Written JSON, checked by our parser; serde_json refuses only numbers out of its range,
    // which are kept as they are written.
    serde_json::from_str(&text).unwrap_or_else(|_| serde_json::Value::String(text.into_owned()))
}

pub struct TapeMembers<'a>(Members<'a>);

impl<'a> Iterator for TapeMembers<'a> {
    type Item = (&'a str, TapeNode<'a>);
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k.as_str().unwrap_or_default(), TapeNode::Node(v)))
    }
}

impl<'a> Object<'a, TapeJson> for Value<'a> {
    type Node = TapeNode<'a>;
    type MemberName = &'a str;
    type MembersIter = TapeMembers<'a>;

    fn len(&self) -> usize {
        Value::len(self)
    }

    fn get(&self, key: &Box<str>) -> Option<TapeNode<'a>> {
        Value::get(self, key).map(TapeNode::Node)
    }

    fn members(&self) -> TapeMembers<'a> {
        TapeMembers(Value::members(self))
    }
}

pub struct TapeElements<'a>(Elements<'a>);

impl<'a> Iterator for TapeElements<'a> {
    type Item = TapeNode<'a>;
    fn next(&mut self) -> Option<TapeNode<'a>> {
        self.0.next().map(TapeNode::Node)
    }
}

impl<'a> Array<'a, TapeJson> for Value<'a> {
    type Node = TapeNode<'a>;
    type ElementsIter = TapeElements<'a>;

    fn len(&self) -> usize {
        Value::len(self)
    }

    fn elements(&self) -> TapeElements<'a> {
        TapeElements(Value::elements(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse::Reader;

    #[test]
    fn numbers_are_read_as_written() {
        let n = TapeNumber("-5");
        assert_eq!((n.as_u64(), n.as_i64(), n.as_f64()), (None, Some(-5), Some(-5.0)));
        assert_eq!(TapeNumber("18446744073709551615").as_u64(), Some(u64::MAX));
        assert_eq!(TapeNumber("1e400").as_f64(), None, "beyond f64 is not a float");
        assert_eq!(TapeNumber("1.50").as_str(), "1.50");
        let integers: Vec<bool> =
            ["1", "-0", "1.0", "1e2", "1E2"].map(|t| TapeNumber(t).is_written_as_integer()).into();
        assert_eq!(integers, [true, true, false, false, false]);
    }

    #[test]
    fn a_deferred_instance_is_the_value_as_written() {
        assert_eq!(
            build_instance(br#"{"a": [1, "x"]}"#, WRITTEN),
            serde_json::json!({"a": [1, "x"]})
        );
        assert_eq!(build_instance(b"title", NAME), serde_json::json!("title"));
        assert_eq!(build_instance(b"\"title\"", NAME), serde_json::json!("\"title\""));
        assert_eq!(
            build_instance(b"1e400", WRITTEN),
            serde_json::json!("1e400"),
            "kept as written"
        );
    }

    #[test]
    fn each_value_of_a_tape_has_its_own_identity() {
        let src = r#"[{"a": 1}, {"a": 1}]"#;
        let mut tape = Tape::new(src);
        Reader::new(src, 0).value(&mut tape).unwrap();
        let items: Vec<Value<'_>> = tape.root().elements().collect();
        let [first, second] = [items[0], items[1]].map(|v| TapeNode::Node(v).identity());
        assert!(first.is_some() && second.is_some());
        assert_ne!(first, second);
        assert_eq!(TapeNode::Node(items[0]).identity(), first, "the same value, the same identity");
        assert_eq!(TapeNode::Name("a").identity(), None);
        assert!(TapeNode::Node(items[0]).equals_value(&serde_json::json!({"a": 1})));
        let name = TapeNode::Node(items[0].get("a").unwrap());
        assert!(!name.equals_value(&serde_json::json!("1")), "a number is not its text");
    }
}
