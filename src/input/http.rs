//! Raw HTTP responses as `curl -i` and `curl -D -` save them: a status line (HTTP/1.1 or
//! HTTP/2), headers, a blank line, the body. Interim responses (`100 Continue`, a proxy's
//! `200 Connection established`) and redirect hops (`curl -iL`) before the final one are
//! skipped.
//!
//! The body is what the file holds after the blank line, which is not always the JSON itself
//! (RFC 9112): `curl --raw` keeps the chunk framing of `Transfer-Encoding: chunked`, which is
//! decoded here with every position still in the file; and a body saved without
//! `--compressed` is still gzip or deflate, which is decoded and shown as its own source.

use std::io::Read;

use super::capture::{Body, BodyText, Unit, container_error};
use crate::diagnostic::{Code, Diagnostic, Span};
use crate::exchange::{Exchange, Http};
use crate::source::Source;

/// The response in `source` (a raw HTTP file, whose body may be bytes that are not text). With
/// `any_status` (an OpenAPI document gives error responses their schemas too), the body of a
/// response that is not a success is taken too.
pub fn unit(source: &Source, exchange: Exchange, any_status: bool) -> Unit {
    let mut unit = Unit::new(source.clone());
    let bytes: &[u8] = &source.bytes;
    // The head is text; a compressed body is not, so only the head has to be UTF-8.
    let text = crate::source::utf8_prefix(bytes);
    // A byte order mark is the capture tool's, not the response's.
    let after_bom = usize::from(text.starts_with('\u{feff}')) * 3;
    let mut at = after_bom + text[after_bom..].len() - text[after_bom..].trim_start().len();
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
        // `curl -i` through a proxy, after `100 Continue`, or following redirects (`-L`)
        // shows more than one response: the last is the one asked for.
        if bytes[body_start..].starts_with(b"HTTP/") {
            at = body_start;
            continue;
        }
        let content_type =
            head.content_type.clone().map(|(value, span)| (text[value].to_owned(), span));
        let http = Http { status: Some(head.status), content_type, response: Span::new(at, 1) };
        let has_body = http.has_body() || (any_status && http.can_have_body());
        unit.http = Some(http);
        if has_body {
            body(&mut unit, &head, body_start, exchange);
        }
        return unit;
    }
}

/// The body after the head: unframed and decoded as far as the head says it must be.
fn body(unit: &mut Unit, head: &Head, start: usize, exchange: Exchange) {
    let bytes = &unit.source.bytes[start..];
    let framed = head.chunked.is_some() && chunk_size_line(bytes).is_some();
    // The chunks' data, and for each of its bytes its offset in the file.
    let unchunked = if framed {
        match unchunk(bytes, start) {
            Ok(unchunked) => Some(unchunked),
            Err(at) => {
                let d = container_error("the chunk framing of the body is broken", Span::new(at, 0))
                    .with_label("a chunk should start here: its size in hex, then CRLF")
                    .with_help("save the response with `curl -i` (which removes the framing), or save it whole");
                unit.diagnostics.push(d);
                return;
            }
        }
    } else {
        None
    };
    match head.encoding.as_ref().map(|(name, span)| (name.as_str(), *span)) {
        None | Some(("identity", _)) => {}
        Some((name @ ("gzip" | "x-gzip" | "deflate"), span)) => {
            let compressed = unchunked.as_ref().map_or(bytes, |(data, _)| data.as_slice());
            match decompress(name, compressed) {
                Ok(plain) => unit.check_decoded(plain, exchange),
                Err(e) => unit.diagnostics.push(
                    container_error(format!("the {name} body does not decode: {e}"), span)
                        .with_help("save the response with `curl --compressed -i`, which stores it decoded"),
                ),
            }
            return;
        }
        Some((name, span)) => {
            unit.diagnostics.push(
                Diagnostic::new(
                    Code::InvalidCapture,
                    format!("the body is compressed ({name}), so it cannot be checked"),
                )
                .with_span(span)
                .with_label("Content-Encoding")
                .with_help("save the response decoded with `curl --compressed -i`"),
            );
            return;
        }
    }
    // Chunks that are not text are checked as the file holds them, which reports the first
    // byte that is not.
    let text = match unchunked.map(|(data, map)| (String::from_utf8(data), map)) {
        Some((Ok(text), map)) => BodyText::Decoded { text, map },
        _ => BodyText::Source(start..unit.source.bytes.len()),
    };
    unit.bodies.push(Body { text, exchange });
}

fn decompress(name: &str, compressed: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut plain = Vec::new();
    if name == "deflate" {
        // "deflate" is zlib-wrapped (RFC 9110 8.4.1.2), but some servers send it raw.
        let zlib = flate2::read::ZlibDecoder::new(compressed).read_to_end(&mut plain);
        if zlib.is_err() {
            plain.clear();
            flate2::read::DeflateDecoder::new(compressed).read_to_end(&mut plain)?;
        }
    } else {
        flate2::read::MultiGzDecoder::new(compressed).read_to_end(&mut plain)?;
    }
    Ok(plain)
}

/// The size of the chunk whose size line starts `bytes`, and where its data starts: a chunk
/// size in hex, an optional extension after `;`, and CRLF (RFC 9112 7.1).
fn chunk_size_line(bytes: &[u8]) -> Option<(usize, usize)> {
    let digits = bytes.iter().take_while(|b| b.is_ascii_hexdigit()).count();
    if digits == 0 || digits > 15 {
        return None;
    }
    let size = usize::from_str_radix(std::str::from_utf8(&bytes[..digits]).ok()?, 16).ok()?;
    let line_end = memchr::memchr(b'\n', bytes)?;
    let rest = &bytes[digits..line_end];
    let rest = rest.strip_suffix(b"\r").unwrap_or(rest);
    let extension = rest.is_empty() || rest.trim_ascii_start().starts_with(b";");
    extension.then_some((size, line_end + 1))
}

/// The data of a chunked body, and for each of its bytes the offset in the file it was
/// written at (one more for the end). `Err` is where the framing breaks.
fn unchunk(bytes: &[u8], origin: usize) -> Result<(Vec<u8>, Vec<usize>), usize> {
    let (mut data, mut map) = (Vec::new(), Vec::new());
    let mut at = 0;
    loop {
        let Some((size, data_start)) = chunk_size_line(&bytes[at..]) else {
            return Err(origin + at);
        };
        let data_start = at + data_start;
        if size == 0 {
            map.push(origin + data_start);
            return Ok((data, map));
        }
        let data_end = data_start.checked_add(size).filter(|&end| end <= bytes.len());
        let Some(data_end) = data_end else { return Err(origin + bytes.len()) };
        data.extend_from_slice(&bytes[data_start..data_end]);
        map.extend((data_start..data_end).map(|i| origin + i));
        at = match &bytes[data_end..] {
            [b'\r', b'\n', ..] => data_end + 2,
            [b'\n', ..] => data_end + 1,
            _ => return Err(origin + data_end),
        };
    }
}

struct Head {
    status: (u16, Span),
    content_type: Option<(std::ops::Range<usize>, Span)>,
    /// Where `Transfer-Encoding: chunked` is: the body may still be in chunks.
    chunked: Option<Span>,
    /// `Content-Encoding`, lower case, and where it is.
    encoding: Option<(String, Span)>,
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
        encoding: None,
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
        // obs-fold (RFC 9112 5.2): a line that starts with white space continues the header
        // before it, as old servers and proxies still write.
        if line.starts_with([' ', '\t']) && line_start > line_end + 1 {
            line_start = end + 1;
            continue;
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
        if name.eq_ignore_ascii_case("content-encoding") {
            let coding = value.trim().to_ascii_lowercase();
            head.encoding = Some((coding, Span::new(line_start, line.len())));
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
        parse_bytes(text.as_bytes())
    }

    fn parse_bytes(bytes: &[u8]) -> Unit {
        unit(&Source::new("r.http", bytes.to_vec()), Exchange::default(), false)
    }

    fn body_text(unit: &Unit) -> String {
        match &unit.bodies[0].text {
            BodyText::Source(range) => {
                String::from_utf8_lossy(&unit.source.bytes[range.clone()]).into()
            }
            BodyText::Decoded { text, .. } => text.clone(),
        }
    }

    /// What `curl -i` prints by default: the header says chunked, the body is already whole.
    #[test]
    fn a_chunked_header_over_a_decoded_body_is_checked_as_json() {
        let unit = parse(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n[]",
        );
        assert!(unit.diagnostics.is_empty(), "{:?}", unit.diagnostics);
        assert_eq!(body_text(&unit), "[]");
    }

    /// `curl --raw` keeps the framing (RFC 9112 7.1): decoded, with each byte's place in the file.
    #[test]
    fn a_chunk_framed_body_is_decoded_with_positions_in_the_file() {
        let text = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n4;ext=1\r\n[{\"a\r\n3\r\n\": \r\n3\r\n1}]\r\n0\r\n\r\n";
        let unit = parse(text);
        assert!(unit.diagnostics.is_empty(), "{:?}", unit.diagnostics);
        let BodyText::Decoded { text: body, map } = &unit.bodies[0].text else { panic!() };
        assert_eq!(body, "[{\"a\": 1}]");
        let one = body.find('1').unwrap();
        assert_eq!(&text[map[one]..map[one] + 1], "1");
        let broken = parse(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n5\r\n[]\r\n",
        );
        assert_eq!(broken.diagnostics[0].code, Code::InvalidCapture);
        assert!(broken.diagnostics[0].message.contains("chunk framing"));
    }

    /// RFC 9112 5.2: obs-fold continues the header line before it.
    #[test]
    fn folded_header_lines_are_unfolded() {
        let unit = parse(
            "HTTP/1.1 200 OK\r\nX-Note: one\r\n  two\r\nContent-Type: application/json\r\n\r\n[]",
        );
        assert!(unit.diagnostics.is_empty(), "{:?}", unit.diagnostics);
        assert_eq!(body_text(&unit), "[]");
    }

    #[test]
    fn a_gzip_body_is_decoded_as_its_own_source_and_brotli_is_named() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b"[{\"title\": \"CEO\"}]").unwrap();
        let mut bytes =
            b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Type: application/json\r\n\r\n"
                .to_vec();
        bytes.extend(gz.finish().unwrap());
        let unit = parse_bytes(&bytes);
        assert!(unit.diagnostics.is_empty(), "{:?}", unit.diagnostics);
        assert!(!unit.in_file);
        assert_eq!(body_text(&unit), "[{\"title\": \"CEO\"}]");
        let mut br =
            b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Type: application/json\r\n\r\n"
                .to_vec();
        br.extend([0x8b, 0x02, 0x80, 0xff, 0x00]);
        let unit = parse_bytes(&br);
        assert!(unit.bodies.is_empty());
        assert!(unit.diagnostics[0].message.contains("compressed (br)"), "{:?}", unit.diagnostics);
    }

    #[test]
    fn a_byte_order_mark_before_the_status_line_is_the_tool_s() {
        let unit = parse("\u{feff}HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n[]");
        assert!(unit.diagnostics.is_empty(), "{:?}", unit.diagnostics);
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
        assert_eq!(unit.diagnostics[0].code, Code::InvalidCapture);
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
        assert_eq!(unit.diagnostics[0].code, Code::InvalidCapture);
        assert_eq!(unit.diagnostics[0].span.unwrap().offset, text.find('[').unwrap());
    }

    #[test]
    fn an_error_status_is_reported_and_its_body_not_checked() {
        let text = "HTTP/1.1 500 Internal Server Error\ncontent-type: text/html\n\n<html></html>";
        let unit = parse(text);
        let http = unit.http.as_ref().expect("the status and headers, for the exchange's rules");
        assert_eq!(&text[9..12], "500");
        assert_eq!(http.status.map(|(status, span)| (status, span.offset)), Some((500, 9)));
        assert!(!http.has_body());
        assert!(unit.bodies.is_empty());
    }
}
