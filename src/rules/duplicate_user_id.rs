//! R001 `duplicate-user-id`: two users with the same id in one response.

use super::id_set::IdSet;
use super::{Base, Context, Field, Place, Short, User};
use crate::diagnostic::{Code, Diagnostic, Span};
use crate::findings::Findings;

fn duplicate_user_id(fact: &Fact, base: Base, first: Span) -> Diagnostic {
    Diagnostic::new(Code::DuplicateUserId, format!("user id {:?} appears twice", fact.id.as_str()))
        .with_span(fact.span)
        .with_pointer(Place::User(Some("id")).pointer(&base.to_string()))
        .with_label("the same id as an earlier user")
        .with_related(first, "first used here")
        .with_help("the documentation says an id is \"a unique ... value identifying this object\"")
}

/// A user's id, as the comparison across users needs it.
#[derive(Debug, Clone)]
pub struct Fact {
    id: Short,
    print: u64,
    span: Span,
}

/// Every user id seen, as a 64-bit hash (a collision between two ids is a chance of one in
/// 2^64 per pair), and where it was first seen.
pub type Seen = IdSet;

pub fn fact(user: &User<'_>, _: &Context) -> Option<Fact> {
    let value = user.get(Field::Id)?;
    let id = value.as_str()?;
    Some(Fact { id: Short::new(id), print: super::fingerprint(id), span: value.span() })
}

pub fn compare(fact: Fact, base: Base, seen: &mut Seen, _: &Context, out: &mut Findings) {
    match seen.get(fact.print) {
        Some(first) => out.push(duplicate_user_id(&fact, base, first)),
        None => seen.insert(fact.print, fact.span),
    }
}

#[cfg(test)]
mod tests {
    use crate::Code;
    use crate::rules::testing::{pointers, run};

    #[test]
    fn distinct_ids_pass_and_labels_may_repeat() {
        let src = r#"[{"id": "a", "labels": [{"id": "L"}]}, {"id": "b", "labels": [{"id": "L"}]}]"#;
        assert!(pointers(src, Code::DuplicateUserId).is_empty());
    }

    #[test]
    fn a_repeated_user_id_points_at_the_second_and_names_the_first() {
        let src = r#"[{"id": "a"}, {"id": "b"}, {"id": "a"}]"#;
        let found = run(src);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].pointer.as_deref(), Some("/2/id"));
        assert_eq!(found[0].related[0].span.offset, 8);
    }
}
