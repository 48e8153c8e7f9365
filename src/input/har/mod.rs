//! HAR 1.2 (browser dev tools, Playwright, Polly.JS): the GET entries of the endpoint, each
//! reported as `file.har#entries[3]`.
//!
//! A plain-text body is the JSON string `response.content.text`; it is decoded, checked, and
//! every finding is mapped back through the string's escapes to the exact character in the HAR
//! file. A base64 body is decoded and shown as its own source.

use base64::Engine;
use chrono::{DateTime, Utc};

use super::capture::{Body, BodyText, Unit, container_error, query_params, url_path};
use crate::diagnostic::{Code, Diagnostic, Span};
use crate::exchange::Skipped;
use crate::exchange::{Capture, Exchange, Http, Request};
use crate::json::parse::Reader;
use crate::json::{Kind, Tape, Value};
use crate::source::Source;

mod walk;

/// What a HAR file holds for the endpoint.
pub struct Entries {
    /// A unit per matching entry, after one for the file itself when there are findings about
    /// it (a byte order mark, no matching entry, not a HAR at all).
    pub units: Vec<Unit>,
    pub matched: usize,
    /// The entries passed over, by why.
    pub skipped: Skipped,
    /// What the file held, for the rules of the capture; `None` when it is not a HAR.
    pub capture: Option<Capture>,
}

/// Which entries of a HAR file are checked: those of `GET {endpoint}`, or, with an OpenAPI
/// document, those of its API (`api(method, url, json)`, where `json` says whether the
/// response is JSON).
pub enum Wanted<'a> {
    Endpoint(&'a str),
    Api(&'a dyn Fn(&str, &str, bool) -> bool),
}

impl Wanted<'_> {
    fn wants(&self, method: &str, url: &str, json: bool) -> bool {
        match self {
            Wanted::Endpoint(endpoint) => {
                method.eq_ignore_ascii_case("GET") && url_path(url).ends_with(endpoint)
            }
            Wanted::Api(api) => api(method, url, json),
        }
    }
}

/// The entries of `source` (a HAR file) that are `wanted`, and how many others were skipped.
pub fn units(source: &Source, text: &str, wanted: &Wanted<'_>) -> Entries {
    let mut file = Vec::new();
    // Fiddler and PowerShell write HARs with a byte order mark. It is the recorder's, not the
    // API's (a BOM at the start of a response body is still P002).
    let bom = text.starts_with('\u{feff}');
    let mut entries = Entries::new();
    let mut tape = Tape::new(text);
    let mut reader = Reader::new(text, if bom { 3 } else { 0 });
    let parsed = reader.value(&mut tape).and_then(|()| reader.end());
    let found = match parsed {
        Err(e) => Err(Diagnostic::new(
            Code::InvalidJson,
            format!("the HAR file is not valid JSON: {}", e.message),
        )
        .with_span(e.span)),
        Ok(()) => {
            let root = tape.root();
            let list = root
                .get("log")
                .and_then(|log| log.get("entries"))
                .filter(|e| e.kind() == Kind::Array);
            list.ok_or_else(|| {
                container_error(
                    "not a HAR file: there is no `log.entries` array",
                    Span::new(root.span().offset, 1),
                )
                .with_help(
                    "a HAR 1.2 file is {\"log\": {\"version\": \"1.2\", \"entries\": [...]}}",
                )
            })
        }
    };
    match found {
        Err(d) => file.push(d),
        Ok(list) => {
            for (i, entry) in list.elements().enumerate() {
                if let Some(unit) = entries.take(source, i, entry, wanted) {
                    entries.units.push(unit);
                }
            }
            entries.note_capture(wanted, list.span());
        }
    }
    if !file.is_empty() {
        entries.units.insert(0, Unit::file(source.clone(), file));
    }
    entries
}

/// The entries of the HAR file at `path` (reported under `name`) that are `wanted`, read from
/// `file` (opened on it) a piece at a time: `each` checks each one's unit as it is reached, and memory holds one
/// entry, not the file. `None` when the file must be read whole after all (see
/// [`walk::walk`]); the units already handed over are then to be dropped.
pub fn stream(
    mut file: impl std::io::Read,
    path: &std::path::Path,
    name: &str,
    wanted: &Wanted<'_>,
    each: &mut dyn FnMut(Unit),
) -> Option<Entries> {
    use std::io::{Read, Seek, SeekFrom};
    let mut head = [0u8; 3];
    file.read_exact(&mut head).ok()?;
    let bom = head == *b"\xEF\xBB\xBF";
    let start = if bom { 3 } else { 0 };
    let file = std::io::Read::chain(&head[start..], file);
    // Entries whose long strings were let go are read again, whole, when they are wanted.
    let mut again = std::fs::File::open(path).ok()?;
    let source = Source::new(name, Vec::new());
    let mut entries = Entries::new();
    let outline = walk::walk(std::io::BufReader::new(file), start, &mut |item| {
        let tape = parsed(item.text, item.range.start)?;
        let entry = tape.root();
        let whole =
            item.emptied.is_empty() || !Entries::wants(entry, wanted) && !emptied_url(entry, &item);
        let unit = if whole {
            entries.take(&source, item.index, entry, wanted)
        } else {
            let mut text = Vec::with_capacity(item.range.len());
            again.seek(SeekFrom::Start(item.range.start as u64)).ok()?;
            (&mut again).take(item.range.len() as u64).read_to_end(&mut text).ok()?;
            let tape = parsed(&text, item.range.start)?;
            entries.take(&source, item.index, tape.root(), wanted)
        };
        unit.map(&mut *each);
        Some(())
    })?;
    let span = Span::new(outline.entries.start, outline.entries.len());
    entries.note_capture(wanted, span);
    Some(entries)
}

/// Whether the entry's URL is a string the walk let go (a `data:` URL, or a query of more
/// than 64 KiB): it is read whole, not judged by an empty URL.
fn emptied_url(entry: Value<'_>, item: &walk::Item<'_>) -> bool {
    let url = entry.get("request").and_then(|r| r.get("url"));
    url.is_some_and(|u| item.emptied.contains(&(u.span().offset - item.range.start)))
}

/// An entry's text parsed, at its place in the file.
fn parsed(text: &[u8], origin: usize) -> Option<Tape<'_>> {
    crate::json::parse_whole(std::str::from_utf8(text).ok()?, origin).ok()
}

impl Entries {
    fn new() -> Entries {
        Entries { units: Vec::new(), matched: 0, skipped: Skipped::default(), capture: None }
    }

    /// For the rules of the capture (without an OpenAPI document): what was found for the
    /// endpoint, and where `log.entries` is.
    fn note_capture(&mut self, wanted: &Wanted<'_>, entries: Span) {
        let Wanted::Endpoint(endpoint) = wanted else { return };
        let (matched, skipped) = (self.matched, self.skipped);
        self.capture = Some(Capture { endpoint: endpoint.to_string(), matched, skipped, entries });
    }

    /// Whether the entry's request is one to check.
    fn wants(entry: Value<'_>, wanted: &Wanted<'_>) -> bool {
        let request = entry.get("request");
        let method = request.and_then(|r| r.get("method")).and_then(|m| m.as_str());
        let url = request.and_then(|r| r.get("url")).and_then(|u| u.as_str());
        wanted.wants(method.unwrap_or_default(), url.unwrap_or_default(), response_is_json(entry))
    }

    /// Entry `i`: a unit when it is wanted and has a response to check, else counted as
    /// skipped, by why.
    fn take(
        &mut self,
        source: &Source,
        i: usize,
        entry: Value<'_>,
        wanted: &Wanted<'_>,
    ) -> Option<Unit> {
        if !Entries::wants(entry, wanted) {
            self.skipped.other += 1;
            return None;
        }
        match status_of(entry) {
            Some(304) => self.skipped.not_modified += 1,
            // A request the browser blocked or cancelled: HAR 1.2 records no response (status 0).
            Some(0) => self.skipped.other += 1,
            Some(300..=399) if is_hop(entry) => self.skipped.redirects += 1,
            _ => {
                self.matched += 1;
                let name = format!("{}#entries[{i}]", source.name);
                let any_status = matches!(wanted, Wanted::Api(_));
                return Some(entry_unit(source.renamed(name), entry, any_status));
            }
        }
        None
    }
}

/// The unit of a wanted entry, with its request.
fn entry_unit(source: Source, entry: Value<'_>, any_status: bool) -> Unit {
    let request = entry.get("request");
    let method = request.and_then(|r| r.get("method")).and_then(|m| m.as_str());
    let url = request.and_then(|r| r.get("url"));
    let mut unit = unit(source, entry, request, any_status);
    unit.request = Some(Request {
        method: method.unwrap_or_default().to_ascii_uppercase(),
        url: url.and_then(|u| u.as_str()).unwrap_or_default().to_owned(),
        at: url.map_or(Span::new(entry.span().offset, 1), |u| u.span()),
    });
    unit
}

/// Whether the entry's response says it is JSON.
fn response_is_json(entry: Value<'_>) -> bool {
    let declared = entry.get("response").and_then(declared_type).and_then(|v| v.as_str());
    declared.is_some_and(crate::exchange::is_json_media)
}

/// The media type a response declares: its `Content-Type` header, else `content.mimeType`.
fn declared_type(response: Value<'_>) -> Option<Value<'_>> {
    header(response, "content-type")
        .or_else(|| response.get("content").and_then(|c| c.get("mimeType")))
}

fn status_of(entry: Value<'_>) -> Option<u16> {
    let status = entry.get("response")?.get("status")?;
    status.raw().parse().ok()
}

/// A redirect: HAR 1.2 gives its target in `response.redirectURL`; some recorders leave that
/// empty and keep only the `Location` header.
fn is_hop(entry: Value<'_>) -> bool {
    let Some(response) = entry.get("response") else { return false };
    let target =
        response.get("redirectURL").and_then(|u| u.as_str()).is_some_and(|u| !u.is_empty());
    target || header(response, "location").is_some()
}

/// The unit of one entry. With `any_status` (an OpenAPI document gives error responses their
/// schemas too), the body of a response that is not a success is taken when it is there.
fn unit(source: Source, entry: Value<'_>, request: Option<Value<'_>>, any_status: bool) -> Unit {
    let at_entry = Span::new(entry.span().offset, 1);
    let Some(response) = entry.get("response").filter(|r| r.kind() == Kind::Object) else {
        let d = container_error("the entry has no `response` object", at_entry);
        return Unit::failed(source, d);
    };
    let status = response.get("status").filter(|s| s.kind() == Kind::Number);
    let status = status.and_then(|s| s.raw().parse::<u16>().ok().map(|n| (n, s.span())));
    let content = response.get("content").filter(|c| c.kind() == Kind::Object);
    let content_type =
        declared_type(response).and_then(|v| Some((v.as_str()?.to_owned(), v.span())));
    let http = Http { status, content_type, response: Span::new(response.span().offset, 1) };
    let (has_body, can_have_body) = (http.has_body(), http.can_have_body());
    let mut unit = Unit { http: Some(http), ..Unit::new(source) };
    if !(has_body || any_status && can_have_body) {
        return unit;
    }
    let Some(text) = content.and_then(|c| c.get("text")).filter(|t| t.kind() == Kind::String)
    else {
        let head = request
            .and_then(|r| r.get("method"))
            .and_then(|m| m.as_str())
            .is_some_and(|m| m.eq_ignore_ascii_case("HEAD"));
        if !has_body || head {
            // An error response recorded without its body, or the answer to a HEAD request,
            // which has none (RFC 9110, section 9.3.2): nothing to check, nothing wrong.
            return unit;
        }
        let at =
            content.map_or(Span::new(response.span().offset, 1), |c| Span::new(c.span().offset, 1));
        unit.diagnostics.push(
            container_error("the entry has no response body (`response.content.text`)", at)
                .with_help("record the HAR with response bodies (browsers: \"Save all as HAR with content\")"),
        );
        return unit;
    };
    let exchange = exchange(entry, request);
    let base64 = content
        .and_then(|c| c.get("encoding"))
        .and_then(|e| e.as_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("base64"));
    if base64 {
        let encoded: String = text.as_str().unwrap_or_default().split_whitespace().collect();
        match LENIENT_BASE64.decode(encoded) {
            Ok(bytes) => unit.check_decoded(bytes, exchange),
            Err(e) => unit.diagnostics.push(container_error(
                format!("the base64 body does not decode: {e}"),
                text.span(),
            )),
        }
        return unit;
    }
    let decoded = text.as_str().unwrap_or_default().to_owned();
    let map = escape_map(text.raw(), text.span().offset);
    if map.len() == decoded.len() + 1 {
        unit.bodies.push(Body { text: BodyText::Decoded { text: decoded, map }, exchange });
    } else {
        // The string was parsed, so its escapes map; if they do not, say so rather than pass.
        let d = container_error(
            "the response body could not be mapped back to the HAR file",
            text.span(),
        );
        unit.diagnostics.push(d);
    }
    unit
}

/// The value of the response header `name` (any case).
fn header<'a>(response: Value<'a>, name: &str) -> Option<Value<'a>> {
    let headers = response.get("headers").filter(|h| h.kind() == Kind::Array)?;
    headers.elements().find_map(|h| {
        let matches =
            h.get("name").and_then(|n| n.as_str()).is_some_and(|n| n.eq_ignore_ascii_case(name));
        if matches { h.get("value") } else { None }
    })
}

/// When the entry was captured, and what its request asked for: the `queryString` list that
/// HAR 1.2 gives every request, or the URL's query where the list does not name a parameter.
fn exchange(entry: Value<'_>, request: Option<Value<'_>>) -> Exchange {
    let captured = entry
        .get("startedDateTime")
        .and_then(|s| s.as_str())
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc));
    let url = request.and_then(|r| r.get("url"));
    let (ordering, search) = query_params(url.and_then(|u| u.as_str()).unwrap_or_default());
    let at = url.map(|u| u.span());
    let list = request.and_then(|r| r.get("queryString")).filter(|q| q.kind() == Kind::Array);
    let listed = |name: &str| {
        let value = list?
            .elements()
            .find(|p| p.get("name").and_then(|n| n.as_str()) == Some(name))?
            .get("value")?;
        Some((value.as_str()?.to_owned(), Some(value.span())))
    };
    // Some recorders (Polly.JS among them) leave the list empty while the URL has a query.
    let ordering = listed("ordering").or(ordering.map(|o| (o, at)));
    let search = listed("search").or(search.map(|s| (s, at)));
    Exchange { captured, ordering, search, skip: Vec::new() }
}

/// Base64 as recorders write it: padded or not.
const LENIENT_BASE64: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
);

/// For each byte of the decoded JSON string `raw` (as written, quotes included, starting at
/// `offset`), the offset of the character it came from; one more entry for the end.
pub fn escape_map(raw: &str, offset: usize) -> Vec<usize> {
    let body = raw.as_bytes();
    let inner = &body[1..body.len().saturating_sub(1).max(1)];
    let base = offset + 1;
    let mut map = Vec::with_capacity(inner.len() + 1);
    let mut i = 0;
    while i < inner.len() {
        if inner[i] != b'\\' {
            let len = utf8_len(inner[i]);
            map.extend((0..len).map(|k| base + i + k));
            i += len;
            continue;
        }
        // A lone surrogate cannot reach here: the parser refused it.
        let (decoded_len, written) = match crate::json::parse::unescape(&inner[i + 1..]) {
            Ok((c, written)) => (c.len_utf8(), written),
            Err(_) => (3, 6),
        };
        map.extend(std::iter::repeat_n(base + i, decoded_len));
        i += written;
    }
    map.push(base + inner.len());
    map
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_map_back_to_the_characters_written() {
        // Decoded: [{"n":"é😀"}] with the quote escaped, é written as \u00e9, 😀 as a pair.
        let raw = r#""[{\"n\":\"\u00e9\ud83d\ude00x\"}]""#;
        let map = escape_map(raw, 100);
        let decoded = "[{\"n\":\"é😀x\"}]";
        assert_eq!(map.len(), decoded.len() + 1);
        let x = decoded.find('x').unwrap();
        assert_eq!(&raw[map[x] - 100..map[x] - 100 + 1], "x");
        let e = decoded.find('é').unwrap();
        assert_eq!(&raw[map[e] - 100..map[e] - 100 + 6], r"\u00e9");
        assert_eq!(map[decoded.len()], 100 + raw.len() - 1, "the end is the closing quote");
    }
}
