//! Raw HTTP responses as `curl -i` and `curl -D -` save them: a status line (HTTP/1.1 or
//! HTTP/2), headers, a blank line, the body. Interim responses (`100 Continue`, a proxy's
//! `200 Connection established`) before the final one are skipped.

use super::capture::{Body, BodyText, Unit, container_error, http_checks};
use crate::diagnostic::Span;
use crate::lint::Exchange;
use crate::source::Source;

pub fn unit(source: &Source, text: &str, exchange: Exchange) -> Unit {
    let mut unit = Unit {
        name: source.name.clone(),
        source: source.clone(),
        bodies: Vec::new(),
        diagnostics: Vec::new(),
        in_file: true,
    };
    let mut at = text.len() - text.trim_start().len();
    loop {
        let Some(head) = parse_head(text, at) else {
            let d = container_error("expected an HTTP status line such as `HTTP/1.1 200 OK`", line_span(text, at))
                .with_help("save responses with `curl -i` (or `curl -D -`), which keeps the status line and headers");
            unit.diagnostics.push(d);
            return unit;
        };
        let Some(body_start) = head.body_start else {
            let d = container_error(
                "the headers do not end with a blank line",
                Span::new(head.fault, 0),
            )
            .with_help("an HTTP response has a blank line between its headers and its body");
            unit.diagnostics.push(d);
            return unit;
        };
        // `curl -i` through a proxy, or after `100 Continue`, shows more than one response.
        if text[body_start..].starts_with("HTTP/") {
            at = body_start;
            continue;
        }
        if let Some(span) = head.chunked {
            let d = container_error(
                "the body is chunked (Transfer-Encoding: chunked), not the JSON itself",
                span,
            )
            .with_help("save responses with `curl -i` (which decodes chunks), not `curl --raw`");
            unit.diagnostics.push(d);
            return unit;
        }
        let content_type = head.content_type.map(|(value, span)| (&text[value], span));
        let response = Span::new(at, 1);
        if http_checks(Some(head.status), content_type, response, &mut unit.diagnostics) {
            unit.bodies.push(Body { text: BodyText::Source(body_start..text.len()), exchange });
        }
        return unit;
    }
}

struct Head {
    status: (u16, Span),
    content_type: Option<(std::ops::Range<usize>, Span)>,
    /// Where `Transfer-Encoding: chunked` is, if the body is still in chunks.
    chunked: Option<Span>,
    /// Where the body starts, after the blank line.
    body_start: Option<usize>,
    /// Where the headers went wrong, when they do not end.
    fault: usize,
}

fn parse_head(text: &str, at: usize) -> Option<Head> {
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let status_line = text[at..line_end].trim_end_matches('\r');
    let mut parts = status_line.split(' ');
    let version = parts.next()?;
    if !version.starts_with("HTTP/") {
        return None;
    }
    let code = parts.next()?;
    let status = code
        .parse::<u16>()
        .ok()
        .filter(|_| code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit()))?;
    let code_at = at + version.len() + 1;
    let mut head = Head {
        status: (status, Span::new(code_at, 3)),
        content_type: None,
        chunked: None,
        body_start: None,
        fault: text.len(),
    };
    let mut line_start = (line_end + 1).min(text.len());
    while line_start < text.len() {
        let end = text[line_start..].find('\n').map_or(text.len(), |i| line_start + i);
        let line = text[line_start..end].trim_end_matches('\r');
        if line.is_empty() {
            head.body_start = Some((end + 1).min(text.len()));
            return Some(head);
        }
        let Some((name, value)) = line.split_once(':').filter(|(n, _)| is_token(n)) else {
            // A body right after the headers: the blank line is missing here.
            head.fault = line_start;
            return Some(head);
        };
        if name.eq_ignore_ascii_case("transfer-encoding")
            && value.to_ascii_lowercase().contains("chunked")
        {
            head.chunked = Some(Span::new(line_start, line.len()));
        }
        if name.eq_ignore_ascii_case("content-type") {
            let value_start =
                line_start + name.len() + 1 + (value.len() - value.trim_start().len());
            let value_end = line_start + line.len();
            head.content_type =
                Some((value_start..value_end, Span::new(value_start, value_end - value_start)));
        }
        line_start = end + 1;
    }
    Some(head)
}

/// An HTTP header name (RFC 9110 token).
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn line_span(text: &str, at: usize) -> Span {
    let end = text[at..].find(['\r', '\n']).map_or(text.len(), |i| at + i);
    Span::new(at, end - at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Code;

    fn parse(text: &str) -> Unit {
        unit(&Source::new("r.http", text), text, Exchange::default())
    }

    #[test]
    fn status_headers_and_body_are_found() {
        let text =
            "HTTP/2 200\r\ncontent-type: application/json; charset=utf-8\r\nallow: GET\r\n\r\n[]";
        let unit = parse(text);
        assert!(unit.diagnostics.is_empty(), "{:?}", unit.diagnostics);
        let BodyText::Source(range) = &unit.bodies[0].text else { panic!() };
        assert_eq!(&text[range.clone()], "[]");
    }

    #[test]
    fn a_status_is_three_digits() {
        let unit = parse("HTTP/1.1 +20 OK\ncontent-type: application/json\n\n[]");
        assert_eq!(unit.diagnostics[0].code, Code::InvalidContainer);
    }

    #[test]
    fn interim_responses_are_skipped() {
        let text = "HTTP/1.1 100 Continue\n\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n{}";
        let unit = parse(text);
        assert!(unit.diagnostics.is_empty(), "{:?}", unit.diagnostics);
        assert_eq!(unit.bodies.len(), 1);
    }

    #[test]
    fn a_missing_blank_line_is_reported_where_the_body_starts() {
        let text = "HTTP/1.1 200 OK\ncontent-type: application/json\n[{\"id\": \"x\"}]\n";
        let unit = parse(text);
        assert_eq!(unit.diagnostics[0].code, Code::InvalidContainer);
        assert_eq!(unit.diagnostics[0].span.unwrap().offset, text.find('[').unwrap());
    }

    #[test]
    fn an_error_status_is_reported_and_its_body_not_checked() {
        let text = "HTTP/1.1 500 Internal Server Error\ncontent-type: text/html\n\n<html></html>";
        let unit = parse(text);
        assert_eq!(unit.diagnostics[0].code, Code::UnexpectedStatus);
        assert_eq!(&text[9..12], "500");
        assert_eq!(unit.diagnostics[0].span.unwrap().offset, 9);
        assert!(unit.bodies.is_empty());
    }
}
