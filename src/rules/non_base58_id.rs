//! D002 `non-base58-id`: an id outside the Base58 alphabet the documentation promises.

use super::{Context, Field, Object, Place, User};
use crate::diagnostic::{Code, Diagnostic};
use crate::findings::Findings;
use crate::json::Value;

fn non_base58_id(place: Place<'_>, value: Value<'_>, base: &str, bad: Option<char>) -> Diagnostic {
    let field = place.field();
    let (message, label) = match bad {
        Some(bad) => (
            format!("`{field}` is not Base58: it contains {bad:?}"),
            format!("{bad:?} is not in the Base58 alphabet"),
        ),
        None => (format!("`{field}` is empty"), "an empty id identifies nothing".to_owned()),
    };
    Diagnostic::new(Code::NonBase58Id, message)
        .with_span(value.span())
        .with_pointer(place.pointer(base))
        .with_label(label)
        .with_help(
            "the documentation says ids are \"a unique Base58 value\" (digits and letters \
             without 0, O, I and l); the live API sends ids such as `-sDw5iRCtV3Y`",
        )
}

const ALPHABET: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// `BASE58[b]` says whether ASCII byte `b` is in the alphabet; every id of every user is
/// checked, so a table beats a search.
const BASE58: [bool; 128] = {
    let mut table = [false; 128];
    let mut i = 0;
    while i < ALPHABET.len() {
        table[ALPHABET[i] as usize] = true;
        i += 1;
    }
    table
};

pub fn check(user: &User<'_>, base: &str, _: &Context, out: &mut Findings) {
    const ALL: &[Object] = &[Object::User, Object::ChangedBy, Object::Label];
    for (place, value, id) in user.strings(ALL, Field::Id) {
        let bad = id.chars().find(|c| !BASE58.get(*c as usize).copied().unwrap_or(false));
        if bad.is_some() || id.is_empty() {
            out.push(non_base58_id(place, value, base, bad));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Code;
    use crate::rules::testing::pointers;

    #[test]
    fn base58_ids_pass() {
        let src =
            r#"{"id": "7HFbzkQ5T2ZtqNvK9mWxYp", "changed_by": {"id": "3kTMd8RqLwZs5VbNc2HxJe"}}"#;
        assert!(pointers(src, Code::NonBase58Id).is_empty());
    }

    #[test]
    fn live_api_ids_are_reported_wherever_they_are() {
        let src = r#"{"id": "-sDw5iRCtV3Y", "changed_by": {"id": "2aDq6BEzAK5u"},
            "labels": [{"id": "AxtkqTE0v3E-", "changed_by": {"id": "TXZw0LjnntGH"}}]}"#;
        assert_eq!(
            pointers(src, Code::NonBase58Id),
            ["/id", "/labels/0/id", "/labels/0/changed_by/id"]
        );
    }
}
