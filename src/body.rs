//! Checking one response body: bytes -> text -> spanned JSON, one user at a time -> schema ->
//! rules -> diagnostics.

use crate::diagnostic::{Code, Diagnostic, Span};
use crate::exchange::Exchange;
use crate::findings::Findings;
use crate::json::parse::{Reader, SyntaxError};
use crate::json::{Kind, Tape, Value, pointer};
use crate::redact::Personal;
use crate::rules::{self, Compared, Context};
use crate::schema::Schema;

/// The most values (keys included) one user may hold and still be checked: the schema
/// validator holds all of a user's errors at once, about a kilobyte each.
pub const MAX_USER_VALUES: usize = 100_000;

/// The finding for a user (at `base`) too large to check, or `None` to check it. With
/// `whole`, the tape is a whole response that a schema validates at once.
fn too_large(tape: &Tape<'_>, base: &str, whole: bool) -> Option<Diagnostic> {
    let values = tape.values();
    (values > MAX_USER_VALUES).then(|| {
        let root = tape.root();
        let start = Span::new(root.span().offset, 1);
        let what = if whole { "the response" } else { "this user" };
        let help = if whole {
            format!("this schema checks the whole response at once, and profile-lint checks at most {MAX_USER_VALUES} values at once; a schema whose root has only `type` and `items` checks each user alone")
        } else {
            format!("a user holds about forty values; profile-lint checks users of up to {MAX_USER_VALUES}, so that memory stays bounded")
        };
        Diagnostic::new(Code::UserTooLarge, format!("{what} holds {values} values, too many to check"))
            .with_span(start)
            .with_pointer(base)
            .with_label(format!("{what} is not checked"))
            .with_help(help)
    })
}

/// What a body is checked against.
#[derive(Clone, Copy)]
pub enum Against<'a> {
    /// A `/profile/` response: the schema (embedded, `--schema`, or an OpenAPI document's), and
    /// the rules that know the endpoint.
    Profile(&'a Schema),
    /// Another documented response: its schema (bundled from an OpenAPI document, `json`), and
    /// what the document says beyond it (writeOnly properties, fields it does not list).
    Response(&'a Schema),
}

/// Checks one response body file, keeping at most `limit` findings of each code. With
/// `personal`, notes the personal values of the users as they are read (for `--redact`).
pub fn lint_bytes(
    bytes: &[u8],
    against: Against<'_>,
    exchange: &Exchange,
    limit: Option<usize>,
    personal: Option<&mut Personal>,
) -> Findings {
    let mut out = Findings::new(limit);
    if matches!(against, Against::Profile(_)) {
        check_request(exchange, &mut out);
    }
    if let Some(text) = decode(bytes, &mut out) {
        lint_body(text, 0..text.len(), against, exchange, &mut out, personal);
    }
    out
}

/// The checks of the request a body answers (its `ordering`, for instance). Their spans are
/// where the request is written, so they are not part of [`lint_body`], whose spans may be
/// remapped.
pub fn check_request(exchange: &Exchange, out: &mut Findings) {
    rules::request(&Context::new(exchange), out);
}

/// Checks the body at `range` of `text` (a whole file, a line of JSON Lines, the body of an
/// HTTP response); spans are offsets in `text`, and so are the places of the values noted
/// in `personal`.
pub fn lint_body(
    text: &str,
    range: std::ops::Range<usize>,
    against: Against<'_>,
    exchange: &Exchange,
    out: &mut Findings,
    personal: Option<&mut Personal>,
) {
    let body = &text[..range.end];
    let mut start = range.start;
    if body[start..].starts_with('\u{feff}') {
        out.push(byte_order_mark(start));
        start += 3;
    }
    let first = body[start..].trim_start();
    if first.starts_with('<') {
        return out.push(markup(first, range.end - first.len()));
    }
    match against {
        Against::Profile(schema) => {
            let ctx = Context::new(exchange);
            lint_text(body, start, schema, &ctx, out, personal);
        }
        Against::Response(schema) => lint_response(body, start, schema, out, personal),
    }
}

/// A response of another operation than `/profile/`'s, read whole: its schema, and what the
/// OpenAPI document says beyond it.
fn lint_response(
    text: &str,
    start: usize,
    schema: &Schema,
    out: &mut Findings,
    personal: Option<&mut Personal>,
) {
    let mut reader = Reader::new(text, start);
    let mut tape = Tape::new(text);
    if let Err(error) = reader.value(&mut tape).and_then(|()| reader.end()) {
        return out.push(syntax_diagnostic(error));
    }
    if let Some(personal) = personal {
        personal.add_root(tape.root());
    }
    if let Some(d) = too_large(&tape, "", true) {
        return out.push(d);
    }
    duplicate_keys(&tape, "", out);
    schema.check_document(tape.root(), out);
    crate::openapi::extra_findings(schema.document(), tape.root(), "", true, out);
}

fn byte_order_mark(at: usize) -> Diagnostic {
    Diagnostic::new(Code::ByteOrderMark, "a UTF-8 byte order mark comes before the JSON text")
        .with_span(Span::new(at, 3))
        .with_label("byte order mark")
        .with_help("JSON text must not begin with a byte order mark (RFC 8259, section 8.1); save the file as UTF-8 without BOM")
}

/// An error page from a proxy or a framework (`text`, at `at`): one finding, not a parse
/// error dump.
fn markup(text: &str, at: usize) -> Diagnostic {
    let line = text.find('\n').unwrap_or(text.len()).min(80);
    let line = (0..=line).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
    Diagnostic::new(Code::InvalidJson, "the body is HTML or XML, not JSON")
        .with_span(Span::new(at, line))
        .with_label("an error page?")
        .with_help("GET /profile/ answers with JSON; this capture holds a page from a proxy, a login or an error")
}

/// A finding on a decoded body, moved to where its characters are written in the source.
pub fn remap(d: &mut Diagnostic, map: &[usize]) {
    let last = map.len().saturating_sub(1);
    let at = |span: Span| {
        let start = map[span.offset.min(last)];
        let end = map[span.end().min(last)];
        Span::new(start, end.saturating_sub(start))
    };
    d.span = d.span.map(at);
    for related in &mut d.related {
        related.span = at(related.span);
    }
}

/// The bytes as UTF-8 text, or a diagnostic saying why they are not.
pub fn decode<'a>(bytes: &'a [u8], out: &mut Findings) -> Option<&'a str> {
    let utf16 = bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF])
        || matches!(bytes, [0, a, 0, b, ..] | [a, 0, b, 0, ..] if a.is_ascii() && b.is_ascii() && *a != 0 && *b != 0);
    if utf16 {
        out.push(
            Diagnostic::new(Code::InvalidEncoding, "the file is UTF-16 text, not UTF-8")
                .with_span(Span::new(0, bytes.len().min(2)))
                .with_help("JSON exchanged between systems must be UTF-8 (RFC 8259, section 8.1); convert the file, e.g. `iconv -f UTF-16 -t UTF-8`"),
        );
        return None;
    }
    if let Some(format) = compressed(bytes) {
        out.push(
            Diagnostic::new(Code::InvalidEncoding, format!("the file is {format}-compressed, not JSON text"))
                .with_span(Span::new(0, 2))
                .with_label(format!("{format} magic bytes"))
                .with_help("save the response decompressed: `curl --compressed`, or decompress the file (`gunzip -c`, `zstd -d`)"),
        );
        return None;
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Some(text),
        Err(e) => {
            out.push(
                Diagnostic::new(Code::InvalidEncoding, "the file is not valid UTF-8")
                    .with_span(Span::new(e.valid_up_to(), e.error_len().unwrap_or(1)))
                    .with_label("this byte is not UTF-8")
                    .with_help("JSON text must be UTF-8 (RFC 8259, section 8.1); was the response saved in another encoding?"),
            );
            None
        }
    }
}

/// The compression format whose magic bytes start `bytes` (RFC 1952 for gzip, RFC 8878 for
/// zstd), which no JSON text can start with.
fn compressed(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0x1f, 0x8b, ..] => Some("gzip"),
        [0x28, 0xb5, 0x2f, 0xfd, ..] => Some("zstd"),
        _ => None,
    }
}

fn lint_text(
    text: &str,
    start: usize,
    schema: &Schema,
    ctx: &Context,
    out: &mut Findings,
    personal: Option<&mut Personal>,
) {
    let mut reader = Reader::new(text, start);
    let mut tape = Tape::new(text);
    let result = if reader.peek() == Some(b'[') && schema.validates_items() {
        check_items(&mut reader, &mut tape, schema, ctx, out, personal)
    } else {
        reader.value(&mut tape).map(|()| {
            if let Some(personal) = personal {
                personal.add_root(tape.root());
            }
            check_root(&tape, schema, ctx, out);
        })
    };
    if let Err(error) = result.and_then(|()| reader.end()) {
        out.push(syntax_diagnostic(error));
    }
}

/// Reads and checks a top-level array one item at a time: memory holds one user.
fn check_items<'s>(
    reader: &mut Reader<'s>,
    tape: &mut Tape<'s>,
    schema: &Schema,
    ctx: &Context,
    out: &mut Findings,
    mut personal: Option<&mut Personal>,
) -> Result<(), SyntaxError> {
    let mut seen = Compared::default();
    reader.begin_array()?;
    let mut index = 0usize;
    let mut base = String::new();
    while reader.next_item(tape)? {
        if let Some(personal) = personal.as_deref_mut() {
            personal.add_user(tape.root());
        }
        base.clear();
        base.push('/');
        let _ = std::fmt::Write::write_fmt(&mut base, format_args!("{index}"));
        if let Some(facts) = check_array_item(tape, &base, schema, ctx, out) {
            rules::users(facts, &mut seen, ctx, out);
        }
        index += 1;
    }
    Ok(())
}

/// Checks one item of the root array (at `base`) on its own: its size, its keys, the schema,
/// and the rules that look at one user alone. Returns what the rules that compare users need
/// of it, or `None` for a user too large to check. Both paths use it: the whole file, and
/// each block of a large one.
pub(crate) fn check_array_item(
    tape: &Tape<'_>,
    base: &str,
    schema: &Schema,
    ctx: &Context,
    out: &mut Findings,
) -> Option<rules::Facts> {
    if let Some(d) = too_large(tape, base, false) {
        out.push(d);
        return None;
    }
    duplicate_keys(tape, base, out);
    schema.check_item(tape.root(), base, out);
    Some(rules::user(tape.root(), base, true, ctx, out))
}

/// The documented root is an array; the live API sends one user; anything else is wrong.
fn check_root(tape: &Tape<'_>, schema: &Schema, ctx: &Context, out: &mut Findings) {
    if root_is_checked_whole(tape, schema)
        && let Some(d) = too_large(tape, "", !schema.validates_items())
    {
        return out.push(d);
    }
    let root = tape.root();
    duplicate_keys(tape, "", out);
    if !schema.validates_items() {
        schema.check_document(root, out);
        return;
    }
    match root.kind() {
        Kind::Object if is_list_wrapper(root) => out.push(
            Diagnostic::new(Code::InvalidRoot, "the response is a paginated list wrapper, not a /profile/ response")
                .with_span(root.span())
                .with_pointer("")
                .with_label("`count` and `results` belong to Probely's list endpoints")
                .with_help("GET /profile/ is documented to return an array of users (the live API returns one user object); was this captured from another endpoint?"),
        ),
        Kind::Object => {
            rules::document(root, ctx, out);
            schema.check_item(root, "", out);
            let facts = rules::user(root, "", false, ctx, out);
            rules::users(facts, &mut Compared::default(), ctx, out);
        }
        _ => out.push(
            Diagnostic::new(Code::InvalidRoot, format!("the response is {}, not an array of users", root.kind().with_article()))
                .with_span(root.span())
                .with_pointer("")
                .with_label("expected `[` or `{` here")
                .with_help("GET /profile/ is documented to return an array of users, e.g. [{\"id\": \"...\", \"email\": \"...\", ...}]"),
        ),
    }
}

/// Whether the whole root goes to the validator at once: a single user, or any document
/// when the schema cannot take an array's items one at a time.
fn root_is_checked_whole(tape: &Tape<'_>, schema: &Schema) -> bool {
    let root = tape.root();
    !schema.validates_items() || (root.kind() == Kind::Object && !is_list_wrapper(root))
}

/// `{"count": .., "results": [..]}`, the shape of Probely's list endpoints.
fn is_list_wrapper(root: Value<'_>) -> bool {
    root.get("results").is_some_and(|r| r.kind() == Kind::Array) && root.get("id").is_none()
}

fn duplicate_keys(tape: &Tape<'_>, base: &str, out: &mut Findings) {
    let mut pairs: Vec<_> = tape.duplicate_keys().collect();
    pairs.sort_by_key(|(_, later)| later.index);
    let laters: Vec<_> = pairs.iter().map(|(_, later)| *later).collect();
    let pointers = pointer::pointers_to(tape.root(), &laters);
    for ((first, later), at) in pairs.into_iter().zip(pointers) {
        let name = match later.as_str().unwrap_or_default() {
            "" => "\"\"",
            name => name,
        };
        out.push(
            Diagnostic::new(Code::DuplicateKey, format!("duplicate key `{name}`"))
                .with_span(later.span())
                .with_pointer(format!("{base}{at}"))
                .with_label("written again here; this value is the one checked")
                .with_related(first.span(), "first written here")
                .with_help("an object must not repeat a key: parsers disagree on which value wins (profile-lint, like serde_json, keeps the last)"),
        );
    }
}

fn syntax_diagnostic(error: SyntaxError) -> Diagnostic {
    let code = if error.too_deep { Code::NestingTooDeep } else { Code::InvalidJson };
    let mut d = Diagnostic::new(code, error.message).with_span(error.span);
    if let Some(help) = error.help {
        d = d.with_help(help);
    }
    d
}
