//! What is known of the exchange a response came from, besides its body: when it was
//! captured, what the request asked for, the response's status and headers, and what a
//! capture file held. Inputs fill it in; rules read it.

use chrono::{DateTime, Utc};

use crate::diagnostic::{Code, Span};

/// What is known of the exchange a response body came from.
#[derive(Debug, Clone, Default)]
pub struct Exchange {
    /// When it was captured; `None` for now.
    pub captured: Option<DateTime<Utc>>,
    /// The request's `ordering` parameter, with where it is written.
    pub ordering: Option<(String, Option<Span>)>,
    /// The request's `search` parameter, with where it is written.
    pub search: Option<(String, Option<Span>)>,
    /// Rules that are off for every input: their work is skipped (duplicate ids, for one,
    /// remember every id of a response).
    pub skip: Vec<Code>,
}

/// The request line of an exchange, where the capture records it (a HAR entry).
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub url: String,
    /// Where the URL is written.
    pub at: Span,
}

/// The status line and headers of an HTTP response, where the capture records them.
#[derive(Debug, Clone)]
pub struct Http {
    /// The status code and where it is written.
    pub status: Option<(u16, Span)>,
    /// The `Content-Type` (or a HAR's `mimeType`) and where it is written.
    pub content_type: Option<(String, Span)>,
    /// Where the response starts, for what is missing from it.
    pub response: Span,
}

impl Http {
    /// Whether the response has a body to check: a success other than 204 and 205, which have
    /// no body by definition (RFC 9110, sections 15.3.5 and 15.3.6).
    pub fn has_body(&self) -> bool {
        self.status.is_none_or(|(status, _)| {
            (200..300).contains(&status) && status != 204 && status != 205
        })
    }
}

impl Http {
    /// Whether the response can have a body at all: not an interim (1xx) response, nor 204,
    /// 205 or 304 (RFC 9110, sections 15.3.5, 15.3.6 and 15.4.5).
    pub fn can_have_body(&self) -> bool {
        self.status.is_none_or(|(status, _)| status >= 200 && !matches!(status, 204 | 205 | 304))
    }
}

/// What a HAR file held for the endpoint.
#[derive(Debug, Clone)]
pub struct Capture {
    /// The endpoint's path, as `--endpoint` gives it.
    pub endpoint: String,
    /// The entries checked.
    pub matched: usize,
    pub skipped: Skipped,
    /// Where the `log.entries` array is.
    pub entries: Span,
}

/// HAR entries that are not checked, by why.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Skipped {
    /// Requests for other endpoints, or other methods.
    pub other: usize,
    /// Redirect hops of the endpoint (the request goes on in a later entry).
    pub redirects: usize,
    /// `304 Not Modified`: the browser's cache had the body.
    pub not_modified: usize,
}

impl Skipped {
    /// Adds the counts of `other`.
    pub fn add(&mut self, other: Skipped) {
        self.other += other.other;
        self.redirects += other.redirects;
        self.not_modified += other.not_modified;
    }
}

/// The path of a URL: after the scheme and host, before the query.
pub fn url_path(url: &str) -> &str {
    url_parts(url).0
}

/// A URL's path and query (RFC 3986 section 3). The fragment, after the first `#`, is
/// neither: `/profile/#/?ordering=name` has no query. A URL the parser refuses (a recorder
/// may leave a space or a `|` unencoded) is split by the same rule.
pub(crate) fn url_parts(url: &str) -> (&str, Option<&str>) {
    if let Ok(parsed) = fluent_uri::UriRef::parse(url) {
        return (parsed.path().as_str(), parsed.query().map(|q| q.as_str()));
    }
    let before_fragment = url.split('#').next().unwrap_or_default();
    let (rest, query) = match before_fragment.split_once('?') {
        Some((rest, query)) => (rest, Some(query)),
        None => (before_fragment, None),
    };
    let path = match rest.split_once("://") {
        Some((_, after)) => after.find('/').map_or("", |i| &after[i..]),
        None => rest,
    };
    (path, query)
}

/// `text` with its `%XX` escapes decoded (RFC 3986, section 2.1), and with `plus_is_space`, a
/// `+` as a space (as HTML forms write a query). An escape that is not two hex digits is kept.
pub(crate) fn percent_decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b'+', _) if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A media type without its parameters, in lower case: `application/json` of
/// `Application/JSON; charset=utf-8`.
pub fn media_essence(media: &str) -> String {
    media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// Whether a media type is JSON: `application/json`, or a `+json` type (RFC 6839).
pub fn is_json_media(media: &str) -> bool {
    let essence = media_essence(media);
    essence == "application/json" || essence.ends_with("+json")
}
