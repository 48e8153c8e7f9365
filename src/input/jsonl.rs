//! JSON Lines: one response body per line, each checked on its own, with the file's line
//! numbers.

use super::capture::{Body, BodyText, Unit};
use crate::exchange::Exchange;
use crate::source::Source;

pub fn unit(source: &Source, text: &str, exchange: &Exchange) -> Unit {
    let mut bodies = Vec::new();
    // A byte order mark is the recorder's, not the first response's.
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut start = bom;
    for line in text[bom..].split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if !content.trim().is_empty() {
            bodies.push(Body {
                text: BodyText::Source(start..start + content.len()),
                exchange: exchange.clone(),
            });
        }
        start += line.len();
    }
    let first = text.trim_start();
    if pretty_printed(text) {
        // One JSON document over many lines: every line would be a broken response.
        let at = text.len() - first.len();
        let d = super::capture::container_error("this is pretty-printed JSON, not JSON Lines (one response per line)", crate::diagnostic::Span::new(at, 1))
            .with_help("check it as one body with --input-format json, or write one response per line (`jq -c`)");
        return Unit::failed(source.clone(), d);
    }
    if bodies.is_empty() {
        // Checked as one empty body, which says the input is empty.
        bodies.push(Body { text: BodyText::Source(0..text.len()), exchange: exchange.clone() });
    }
    Unit { responses: bodies.len(), bodies, ..Unit::new(source.clone()) }
}

/// Whether `text` starts as one JSON document over many lines (`[` or `{` alone on the first
/// line), where every line would be a broken response.
pub(crate) fn pretty_printed(text: &str) -> bool {
    let first = text.trim_start();
    ["{\n", "[\n", "{\r\n", "[\r\n"].iter().any(|start| first.starts_with(start))
}
