//! D001 `root-is-object`: the response is one user, where the documentation says an array.

use super::Context;
use crate::diagnostic::{Code, Diagnostic, Span};
use crate::findings::Findings;
use crate::json::{Kind, Value};

fn root_is_object(root: Value<'_>) -> Diagnostic {
    Diagnostic::new(Code::RootIsObject, "the response is a single user, not an array of users")
        .with_span(Span::new(root.span().offset, 1))
        .with_pointer("")
        .with_label("one user object")
        .with_help(
            "the documentation describes an array of users; the live API returns one user \
             object, which is checked as a user",
        )
}

/// The root read whole is one user where the documentation says an array of them.
pub fn check(root: Value<'_>, _: &Context, out: &mut Findings) {
    if root.kind() == Kind::Object {
        out.push(root_is_object(root));
    }
}
