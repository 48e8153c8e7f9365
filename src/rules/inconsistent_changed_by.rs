//! R004 `inconsistent-changed-by`: one `changed_by.id` with two emails or names.

use super::{Base, ByPrint, Context, Field, Place, Short, User, fingerprint};

use crate::diagnostic::{Code, Diagnostic, Span};
use crate::findings::Findings;

fn inconsistent_changed_by(
    place: Place<'_>,
    span: Span,
    base: Base,
    id: &str,
    first: Span,
) -> Diagnostic {
    let field = place.field();
    Diagnostic::new(
        Code::InconsistentChangedBy,
        format!("`changed_by` {id:?} has another {field} here"),
    )
    .with_span(span)
    .with_pointer(place.pointer(&base.to_string()))
    .with_label(format!("this {field} differs"))
    .with_related(first, format!("the {field} first seen for {id:?}"))
    .with_help(
        "every `changed_by` with the same id describes the same user, with the same email and name",
    )
}

/// The email and name first seen for one `changed_by.id`, as fingerprints (like ids in
/// duplicate-user-id: two different texts share one by a chance of one in 2^64).
pub struct First {
    fields: [(u64, Span); 2],
}

const FIELDS: [Field; 2] = [Field::Email, Field::Name];

/// How many distinct `changed_by` ids a response is checked for.
pub const MAX_REMEMBERED: usize = 10_000;

/// The email and name first seen for each `changed_by.id`, up to [`MAX_REMEMBERED`] of them.
pub type Seen = ByPrint<First>;

/// A user's `changed_by` objects.
pub type Fact = Vec<ChangedBy>;

/// A `changed_by` object, as the comparison across users needs it.
#[derive(Debug, Clone)]
pub struct ChangedBy {
    place: Place<'static>,
    id: Short,
    print: u64,
    fields: [Option<(u64, Span)>; 2],
}

pub fn fact(user: &User<'_>, _: &Context) -> Option<Fact> {
    let found: Fact = user
        .changed_bys()
        .filter_map(|object| {
            let id = object.get(Field::Id)?.as_str()?;
            let fields = FIELDS.map(|f| {
                let value = object.get(f)?;
                Some((fingerprint(value.as_str()?), value.span()))
            });
            Some(ChangedBy { place: object.place, id: Short::new(id), print: fingerprint(id), fields })
        })
        .collect();
    (!found.is_empty()).then_some(found)
}

pub fn compare(fact: Fact, base: Base, seen: &mut Seen, _: &Context, out: &mut Findings) {
    for fact in fact {
        let Some(first) = seen.get(&fact.print) else {
            // A response names a handful of people who made changes; past this many, new
            // ones are not remembered, so memory stays bounded whatever the response.
            if let [Some((email, email_at)), Some((name, name_at))] = &fact.fields
                && seen.len() < MAX_REMEMBERED
            {
                let first = First { fields: [(*email, *email_at), (*name, *name_at)] };
                seen.insert(fact.print, first);
            }
            continue;
        };
        for ((field, value), (first, first_span)) in
            FIELDS.iter().zip(&fact.fields).zip(&first.fields)
        {
            if let Some((value, span)) = value
                && value != first
            {
                out.push(inconsistent_changed_by(
                    fact.place.with(field.name()),
                    *span,
                    base,
                    fact.id.as_str(),
                    *first_span,
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Code;
    use crate::rules::testing::pointers;

    #[test]
    fn the_same_person_everywhere_passes() {
        let cb = r#"{"id": "c", "email": "a@b.co", "name": "Ana"}"#;
        let src = format!(
            r#"[{{"changed_by": {cb}, "labels": [{{"changed_by": {cb}}}]}}, {{"changed_by": {cb}}}]"#
        );
        assert!(pointers(&src, Code::InconsistentChangedBy).is_empty());
    }

    #[test]
    fn another_email_or_name_for_the_same_id_is_reported() {
        let src = r#"[{"changed_by": {"id": "c", "email": "a@b.co", "name": "Ana"}},
            {"labels": [{"changed_by": {"id": "c", "email": "x@b.co", "name": "Ana"}}]},
            {"changed_by": {"id": "c", "email": "a@b.co", "name": "Ana S."}}]"#;
        assert_eq!(
            pointers(src, Code::InconsistentChangedBy),
            ["/1/labels/0/changed_by/email", "/2/changed_by/name"]
        );
    }
}
