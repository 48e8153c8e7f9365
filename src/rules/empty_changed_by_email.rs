//! D006 `empty-changed-by-email`: a `changed_by` with an empty email (an API user).

use super::{Context, Field, Object, Place, User};
use crate::diagnostic::{Code, Diagnostic};
use crate::findings::Findings;
use crate::json::Value;

fn empty_changed_by_email(place: Place<'_>, value: Value<'_>, base: &str) -> Diagnostic {
    Diagnostic::new(Code::EmptyChangedByEmail, "`changed_by.email` is empty")
        .with_span(value.span())
        .with_pointer(place.pointer(base))
        .with_label("empty email")
        .with_help(
            "the documentation gives `changed_by.email` the format \"email\"; the live API sends \
             \"\" when the change was made by an API user",
        )
}

pub fn check(user: &User<'_>, base: &str, _: &Context, out: &mut Findings) {
    for (place, value, email) in user.strings(&[Object::ChangedBy], Field::Email) {
        if email.is_empty() {
            out.push(empty_changed_by_email(place, value, base));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Code;
    use crate::rules::testing::pointers;

    #[test]
    fn an_address_passes() {
        assert!(
            pointers(r#"{"changed_by": {"email": "a@b.co"}}"#, Code::EmptyChangedByEmail)
                .is_empty()
        );
    }

    #[test]
    fn an_api_user_is_reported_in_users_and_labels() {
        let src = r#"{"email": "", "changed_by": {"email": ""}, "labels": [{"changed_by": {"email": ""}}]}"#;
        // The user's own empty email is a schema error, not this drift.
        assert_eq!(
            pointers(src, Code::EmptyChangedByEmail),
            ["/changed_by/email", "/labels/0/changed_by/email"]
        );
    }
}
