//! H001 `unexpected-status`: the response status is not the documented 200.

use crate::diagnostic::{Code, Diagnostic, Span};

pub fn unexpected_status(status: u16, span: Span) -> Diagnostic {
    let checked = if (200..300).contains(&status) {
        "the body is still checked"
    } else {
        "the body is not checked against the user schema"
    };
    Diagnostic::new(Code::UnexpectedStatus, format!("status {status}, where the documentation gives 200; {checked}"))
        .with_span(span)
        .with_label(format!("status {status}"))
        .with_help("GET /profile/ documents one response, 200 with the user; an error status means the capture holds no profile")
}

pub const DOCS: &str = r#"## What it does
Reports a captured response (from a HAR entry or a raw HTTP response) whose status is not 200.
A body with a 2xx status is still checked. Any other body (a 401 error, a 500 page) is not
checked against the user schema, and the message says so.

## Why
The documentation describes a single response for `GET /profile/`: 200, with the user. A
capture with another status does not show the contract at all, so a gate over captures should
not pass it silently. It is an error by default.

## Example
```http
HTTP/1.1 401 Unauthorized
content-type: application/json

{"detail": "Authentication credentials were not provided."}
```"#;
