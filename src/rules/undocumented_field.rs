//! D005 `undocumented-field`: a field the documentation does not list.

use super::{Context, Documented, Object, Place, User};
use crate::diagnostic::{Code, Diagnostic};
use crate::findings::Findings;
use crate::json::Value;

fn undocumented_field(place: Place<'_>, key: Value<'_>, base: &str, object: Object) -> Diagnostic {
    let (what, fields) = documented(object);
    let name = place.field();
    let mut d = Diagnostic::new(
        Code::UndocumentedField,
        format!("`{name}` is not a documented field of {what}"),
    )
    .with_span(key.span())
    .with_pointer(place.pointer(base))
    .with_label("not in the documentation");
    let close = crate::suggest::closest(name, fields);
    d = match close {
        Some(close) => {
            d.with_help(format!("did you mean `{close}`? {what} has: {}", fields.join(", ")))
        }
        None => d.with_help(format!("the documentation lists for {what}: {}", fields.join(", "))),
    };
    d
}

fn documented(object: Object) -> (&'static str, &'static [&'static str]) {
    let what = match object {
        Object::User => "a user",
        Object::Label => "a label",
        Object::ChangedBy => "`changed_by`",
    };
    (what, object.field_names())
}

pub fn check(user: &User<'_>, base: &str, _: &Context, out: &mut Findings) {
    for &Documented { place, object, value, only_documented, .. } in user.objects() {
        if only_documented {
            continue;
        }
        let (_, fields) = documented(object);
        // Servers write the fields in one order, mostly the documentation's: the field after
        // the last one found is tried first, which spares a search of the list for each key.
        let mut next = 0;
        for (key, _) in value.members() {
            let name = key.as_str().unwrap_or_default();
            let at = match fields.get(next) {
                Some(&expected) if expected == name => Some(next),
                _ => fields.iter().position(|&f| f == name),
            };
            next = at.map_or(next, |at| at + 1);
            if at.is_none() {
                out.push(undocumented_field(place.with(name), key, base, object));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Code;
    use crate::rules::testing::{pointers, run};

    #[test]
    fn documented_fields_pass() {
        let src = r##"{"id": "a", "labels": [{"id": "b", "color": "#000000", "changed_by": {"id": "c"}}]}"##;
        assert!(pointers(src, Code::UndocumentedField).is_empty());
    }

    #[test]
    fn extra_fields_are_reported_on_the_key_with_a_suggestion() {
        let src =
            r#"{"is_billing_admn": true, "changed_by": {"avatar": "x"}, "labels": [{"a/b": 1}]}"#;
        assert_eq!(
            pointers(src, Code::UndocumentedField),
            ["/is_billing_admn", "/changed_by/avatar", "/labels/0/a~1b"]
        );
        let first = &run(src)[0];
        assert_eq!(first.span.unwrap().offset, 1, "the label is on the key");
        assert!(first.help.as_deref().unwrap().starts_with("did you mean `is_billing_admin`?"));
    }
}
