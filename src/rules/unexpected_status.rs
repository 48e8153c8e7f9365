//! H001 `unexpected-status`: the response is not the successful one the documentation
//! describes.

use crate::diagnostic::{Code, Diagnostic, Span};
use crate::exchange::Http;
use crate::findings::Findings;

pub fn unexpected_status(status: u16, span: Span) -> Diagnostic {
    let (checked, help) = what_it_means(status);
    Diagnostic::new(
        Code::UnexpectedStatus,
        format!("status {status}, not the success (200) the documentation describes; {checked}"),
    )
    .with_span(span)
    .with_label(format!("status {status}"))
    .with_help(help)
}

pub fn check(http: &Http, out: &mut Findings) {
    if let Some((status, span)) = http.status
        && status != 200
    {
        out.push(unexpected_status(status, span));
    }
}

/// What was done with the body, and what the status means for the capture: true for each
/// kind of status (a 204 has no body; a redirect is not the response).
fn what_it_means(status: u16) -> (&'static str, String) {
    const DOCUMENTED: &str =
        "the documentation describes one response of GET /profile/, the success with the users";
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
