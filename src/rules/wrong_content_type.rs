//! H002 `wrong-content-type`: the response is not declared as JSON.

use crate::diagnostic::{Code, Diagnostic, Span};
use crate::exchange::Http;
use crate::findings::Findings;

pub fn wrong_content_type(found: Option<&str>, span: Span) -> Diagnostic {
    let message = match found {
        Some(found) => format!("the Content-Type is {found:?}, not application/json"),
        None => "the response has no Content-Type".to_owned(),
    };
    Diagnostic::new(Code::WrongContentType, message)
        .with_span(span)
        .with_label("not application/json")
        .with_help("the API answers with `content-type: application/json` (parameters such as charset are fine)")
}

pub fn check(http: &Http, out: &mut Findings) {
    if !http.has_body() {
        return;
    }
    match &http.content_type {
        Some((value, _)) if is_json(value) => {}
        Some((value, span)) => out.push(wrong_content_type(Some(value), *span)),
        None => out.push(wrong_content_type(None, http.response)),
    }
}

/// Whether a Content-Type value is JSON: `application/json`, with any parameters.
pub fn is_json(value: &str) -> bool {
    value
        .split(';')
        .next()
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn json_with_parameters_is_json() {
        assert!(super::is_json("application/json"));
        assert!(super::is_json("Application/JSON; charset=utf-8"));
        assert!(!super::is_json("text/html"));
        assert!(!super::is_json("application/problem+json"));
    }
}
