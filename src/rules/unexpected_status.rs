//! H001 `unexpected-status`: the response status is not the documented 200.

use crate::diagnostic::{Code, Diagnostic, Span};

pub fn unexpected_status(status: u16, span: Span) -> Diagnostic {
    let (checked, help) = what_it_means(status);
    Diagnostic::new(
        Code::UnexpectedStatus,
        format!("status {status}, where the documentation gives 200; {checked}"),
    )
    .with_span(span)
    .with_label(format!("status {status}"))
    .with_help(help)
}

/// What was done with the body, and what the status means for the capture: true for each
/// kind of status (a 204 has no body; a redirect is not the response).
fn what_it_means(status: u16) -> (&'static str, String) {
    const DOCUMENTED: &str = "GET /profile/ documents one response, 200 with the users";
    match status {
        204 | 205 => (
            "it has no body, so there was nothing to check",
            format!("{DOCUMENTED}; a {status} carries no profile (RFC 9110 15.3.5)"),
        ),
        200..=299 => (
            "the body is still checked",
            format!("{DOCUMENTED}; a {status} is not what the documentation promises"),
        ),
        300..=399 => (
            "a redirect, so the body is not the response",
            "the capture stops at a redirect: follow it (`curl -iL`, or record the whole page \
             load) so the final response is captured"
                .to_owned(),
        ),
        401 | 403 => (
            "the body is not checked against the user schema",
            format!(
                "{DOCUMENTED}; a {status} means the request had no valid API token, so the capture holds no profile"
            ),
        ),
        400..=499 => (
            "the body is not checked against the user schema",
            format!("{DOCUMENTED}; a {status} is a client error, so the capture holds no profile"),
        ),
        _ => (
            "the body is not checked against the user schema",
            format!(
                "{DOCUMENTED}; a {status} is not a profile: record the exchange again when it succeeds"
            ),
        ),
    }
}

pub const DOCS: &str = r#"## What it does
Reports a captured response (from a HAR entry or a raw HTTP response) whose status is not 200.
A body with a 2xx status is still checked, except a 204 or 205, which has none. Any other body
(a 401 error, a 500 page) is not checked against the user schema, and the message says so. A
redirect that a later response follows (a HAR entry with a `redirectURL` or a `Location`
header, `curl -iL` output) is a hop of the request, not its response: it is skipped, as is a
`304 Not Modified`, which has no body.

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
