//! D006 `empty-changed-by-email`: a `changed_by` with an empty email (an API user).

use super::{Object, Place, User};
use crate::diagnostic::{Code, Diagnostic};
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

pub const DOCS: &str = r#"## What it does
Reports a `changed_by` object, of the user or of a label, whose `email` is the empty string.

## Why
The documentation types `changed_by.email` as an email address. When the change was made by an
API user, the live API sends `""` (for example
`{"id": "2aDq6BEzAK5u", "email": "", "name": "CLI_dev"}`). A client that requires an address
fails on these. The schema allows the empty string so that real captures pass; this rule reports
it as drift. Warning by default; `--strict` makes it an error.

## Example
```json
{"changed_by": {"id": "2aDq6BEzAK5u", "email": "", "name": "CLI_dev"}}
```"#;

pub fn check(user: &User<'_>, base: &str, out: &mut Vec<Diagnostic>) {
    for (place, value, email) in user.strings(&[Object::ChangedBy], "email") {
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
