//! Captures as people keep them: bare bodies, HAR files, raw HTTP responses (`curl -i`) and
//! JSON Lines. Each becomes [`Unit`]s: a name to report under, the text that code frames show,
//! and the response bodies in it, with what is known of each exchange.

use std::ops::Range;

use clap::ValueEnum;

use crate::diagnostic::{Code, Diagnostic, Span};
pub use crate::exchange::url_path;
use crate::exchange::{Exchange, Http, Request, url_parts};
use crate::source::Source;

/// How an input holds responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// One response body.
    Json,
    /// HAR 1.2: the GET entries of the endpoint.
    Har,
    /// A raw HTTP response: status line, headers, blank line, body (`curl -i`).
    Http,
    /// One response body per line.
    Jsonl,
}

impl InputFormat {
    /// From the file name's extension, if it says.
    pub fn from_extension(name: &str) -> Option<InputFormat> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "json" => Some(InputFormat::Json),
            "har" => Some(InputFormat::Har),
            "http" => Some(InputFormat::Http),
            "jsonl" | "ndjson" => Some(InputFormat::Jsonl),
            _ => None,
        }
    }

    /// From the extension, else from the first bytes. A HAR saved as `.json` is a HAR.
    pub fn detect(name: &str, bytes: &[u8]) -> InputFormat {
        let by_name = Self::from_extension(name);
        if by_name.is_some_and(|f| f != InputFormat::Json) {
            return by_name.unwrap_or(InputFormat::Json);
        }
        let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let start =
            &start[start.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(start.len())..];
        let head = &start[..start.len().min(4096)];
        if head.starts_with(b"HTTP/") {
            InputFormat::Http
        } else if head.starts_with(b"{")
            && contains(head, b"\"log\"")
            && contains(head, b"\"entries\"")
        {
            InputFormat::Har
        } else if by_name.is_none() && looks_like_json_lines(head) {
            InputFormat::Jsonl
        } else {
            InputFormat::Json
        }
    }
}

/// Two or more lines that each start a JSON value, the first of them whole: JSON Lines. A
/// pretty-printed document's first line (`[` or `{` alone) is never whole.
fn looks_like_json_lines(head: &[u8]) -> bool {
    let mut lines = head.split(|&b| b == b'\n').map(<[u8]>::trim_ascii).filter(|l| !l.is_empty());
    let (Some(first), Some(second)) = (lines.next(), lines.next()) else { return false };
    let whole =
        std::str::from_utf8(first).is_ok_and(|line| crate::json::parse_whole(line, 0).is_ok());
    matches!(first.first(), Some(b'{' | b'['))
        && whole
        && matches!(second.first(), Some(b'{' | b'['))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Where a body's text is.
#[derive(Debug)]
pub enum BodyText {
    /// A range of the unit's source.
    Source(Range<usize>),
    /// A JSON string of the source (a HAR `content.text`), decoded. `map[i]` is the source
    /// offset of decoded byte `i` (one more entry for the end), so findings land on the exact
    /// character inside the escaped string.
    Decoded { text: String, map: Vec<usize> },
}

/// One response body to check.
#[derive(Debug)]
pub struct Body {
    pub text: BodyText,
    pub exchange: Exchange,
}

/// What to report under one name.
#[derive(Debug)]
pub struct Unit {
    pub name: String,
    /// What code frames show.
    pub source: Source,
    pub bodies: Vec<Body>,
    /// Findings about the capture itself (a malformed wrapper, a body that does not decode).
    pub diagnostics: Vec<Diagnostic>,
    /// The request, where the capture records it (HAR), for the operation that documents it.
    pub request: Option<Request>,
    /// The status and headers of the response, for the rules of the exchange.
    pub http: Option<Http>,
    /// The source is the file itself (not a body decoded out of it, as base64 HAR bodies are).
    pub in_file: bool,
    /// Responses recorded under this name (see [`crate::report::FileReport::responses`]).
    pub responses: usize,
}

impl Unit {
    /// The unit of one response recorded in `source`, reported under its name.
    pub fn new(source: Source) -> Unit {
        Unit {
            name: source.name.clone(),
            source,
            bodies: Vec::new(),
            diagnostics: Vec::new(),
            request: None,
            http: None,
            in_file: true,
            responses: 1,
        }
    }

    /// Makes `bytes`, a body decoded out of the capture (base64, gzip), the source and the
    /// body to check: findings about the wrapper keep no place in it. (The human report heads
    /// its frames "decoded body".)
    pub(crate) fn check_decoded(&mut self, bytes: Vec<u8>, exchange: Exchange) {
        for d in &mut self.diagnostics {
            d.span = None;
        }
        self.source = Source::new(self.name.clone(), bytes);
        self.in_file = false;
        let len = self.source.bytes.len();
        self.bodies.push(Body { text: BodyText::Source(0..len), exchange });
    }

    /// The unit of a capture file itself, for what is found about the file as a whole.
    pub fn file(source: Source, diagnostics: Vec<Diagnostic>) -> Unit {
        Unit { diagnostics, responses: 0, ..Unit::new(source) }
    }

    pub fn failed(source: Source, diagnostic: Diagnostic) -> Unit {
        Unit { diagnostics: vec![diagnostic], responses: 0, ..Unit::new(source) }
    }
}

pub(crate) fn container_error(message: impl Into<String>, span: Span) -> Diagnostic {
    Diagnostic::new(Code::InvalidCapture, message).with_span(span)
}

/// The query parameters `ordering` and `search` of a URL, percent-decoded.
pub(crate) fn query_params(url: &str) -> (Option<String>, Option<String>) {
    let (mut ordering, mut search) = (None, None);
    for pair in url_parts(url).1.unwrap_or_default().split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match percent_decode(key).as_str() {
            "ordering" => ordering = Some(percent_decode(value)),
            "search" => search = Some(percent_decode(value)),
            _ => {}
        }
    }
    (ordering, search)
}

/// A query's text decoded: `%XX` escapes, and `+` for a space (HTML forms).
fn percent_decode(text: &str) -> String {
    crate::exchange::percent_decode(text, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_detected_by_extension_then_content() {
        assert_eq!(InputFormat::detect("a.HAR", b""), InputFormat::Har);
        assert_eq!(InputFormat::detect("a.ndjson", b""), InputFormat::Jsonl);
        assert_eq!(InputFormat::detect("dump", b"HTTP/2 200\r\n"), InputFormat::Http);
        assert_eq!(
            InputFormat::detect("-", b" {\"log\": {\"version\": \"1.2\", \"entries\": []}}"),
            InputFormat::Har
        );
        assert_eq!(InputFormat::detect("x.txt", b"[]"), InputFormat::Json);
        // Several values, one per line, on standard input: JSON Lines.
        assert_eq!(InputFormat::detect("-", b"[{\"id\": 1}]\n[]\n"), InputFormat::Jsonl);
        assert_eq!(InputFormat::detect("-", b"[\n  {\"id\": 1}\n]\n"), InputFormat::Json);
        assert_eq!(InputFormat::detect("-", b"[]\n"), InputFormat::Json);
        // A name that says JSON is believed: its second line is then a syntax error.
        assert_eq!(InputFormat::detect("a.json", b"[]\n[]\n"), InputFormat::Json);
    }

    #[test]
    fn urls_give_their_path_and_parameters() {
        let url = "https://api.probely.com/profile/?ordering=-last_login&search=Jo%C3%A3o+S";
        assert_eq!(url_path(url), "/profile/");
        assert_eq!(query_params(url), (Some("-last_login".into()), Some("João S".into())));
        assert_eq!(url_path("/profile/?x=1"), "/profile/");
        assert_eq!(percent_decode("100%"), "100%");
        // RFC 3986 3.4 and 3.5: a fragment is not a query, even when it holds a `?`.
        let spa = "https://app.probely.com/profile/#/?ordering=name";
        assert_eq!(url_path(spa), "/profile/");
        assert_eq!(query_params(spa), (None, None));
        let both = "https://api.probely.com/profile/?ordering=name#section?search=x";
        assert_eq!(query_params(both), (Some("name".into()), None));
        // A URL the parser refuses is split by the same rules.
        let unencoded = "https://api.probely.com/profile/?search=Jo|ão S#?ordering=x";
        assert_eq!(url_path(unencoded), "/profile/");
        assert_eq!(query_params(unencoded), (None, Some("Jo|ão S".into())));
        assert_eq!(percent_decode("a%2"), "a%2");
    }
}
