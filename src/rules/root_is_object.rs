//! D001 `root-is-object`: the response is one user, where the documentation says an array.

use crate::diagnostic::{Code, Diagnostic, Span};
use crate::json::Value;

pub fn root_is_object(root: Value<'_>) -> Diagnostic {
    Diagnostic::new(Code::RootIsObject, "the response is a single user, not an array of users")
        .with_span(Span::new(root.span().offset, 1))
        .with_pointer("")
        .with_label("one user object")
        .with_help(
            "the documentation describes an array of users; the live API returns one user \
             object, which is checked as a user",
        )
}
