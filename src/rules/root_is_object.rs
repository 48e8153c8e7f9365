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

pub const DOCS: &str = r#"## What it does
Reports a response whose root is a single user object, where the documentation describes an
array of users. The object is still checked as a user. A paginated wrapper such as
`{"count": 1, "results": [...]}`, or any other root, is an error (S001).

## Why
The documentation's schema for `GET /profile/` is `Array [ user ]`. The live API, its old
OpenAPI description and Probely's own clients all use one user object. A client written from
the documentation would fail on the live shape, and the other way round. Warning by default;
`--strict` makes it an error.

## Example
```json
{"id": "-sDw5iRCtV3Y", "email": "joao.silva+owner@probely.com", "name": "João Silva"}
```"#;
