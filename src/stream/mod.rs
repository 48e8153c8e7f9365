//! Large captures: a top-level array read from disk in blocks, checked on every core, in
//! bounded memory, with the same findings as the whole-file path.
//!
//! The calling thread reads the file and cuts it into blocks of about [`BLOCK`] bytes at the
//! commas between the array's items. Workers parse and check each block's users (the schema,
//! every rule that looks at one user alone, and the facts the rules that compare users need),
//! and note lines and columns relative to the block (byte spans are the file's already: a
//! block is parsed at its place). A merger takes the blocks in order, makes the comparisons,
//! and makes the lines and columns absolute. Memory holds a few blocks and those
//! facts' fingerprints, not the file.
//!
//! Anything unusual (a syntax error, invalid UTF-8, a byte order mark, a root that is not an
//! array, text after it) makes [`lint_file`] give up and return `None`: the whole-file path
//! then reports it exactly as for a small file.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::{Arc, Mutex, mpsc};

use crate::body;
use crate::exchange::Exchange;
use crate::findings::Findings;
use crate::json::parse::Reader;
use crate::json::{self, Tape, bytes};
use crate::redact::Personal;
use crate::rules::{self, Compared, Context, Facts};
use crate::schema::Schema;
use crate::source::line_columns;

mod lines;

pub use lines::lint_lines;

/// Files at least this large are streamed.
pub const THRESHOLD: u64 = 8 << 20;

/// About how many bytes of users a block holds: small enough that the blocks in flight stay a
/// few MiB, large enough that each is worth a trip to a worker.
const BLOCK: usize = 1 << 18;

/// At most this many items to a block: a block of tiny items (`[1,1,1,...]`) would otherwise
/// hold a hundred thousand, and what is kept of each item would outweigh the block's text.
const BLOCK_ITEMS: usize = 4096;

/// A run of whole items of the root array, and where it starts.
struct Block {
    index: usize,
    /// Offset of `text` in the file.
    origin: usize,
    text: Vec<u8>,
    /// Index in the root array of the first item.
    first_item: usize,
    /// The text before the first block (up to and including `[`), for line numbers.
    prefix: Option<Vec<u8>>,
}

/// A block checked: its findings, each user's facts, and its text, for the positions of what
/// the comparisons find. Lines and columns are relative to the block's start until the merger,
/// which knows where it is; byte spans are the file's.
struct Checked {
    index: usize,
    findings: Findings,
    facts: Vec<Facts>,
    text: Vec<u8>,
    origin: usize,
    /// Where the block's text ends up, relative to where it starts.
    extent: Extent,
    /// The same for the text before the first block.
    prefix: Option<Extent>,
    /// With `--redact`, the personal values of the block's users, for what the comparisons
    /// find there.
    personal: Option<Personal>,
}

/// What a large file's check found, and where its blocks of whole items are (for reading
/// frames back with `--redact`).
pub struct Streamed {
    pub findings: Findings,
    pub blocks: Vec<std::ops::Range<usize>>,
}

/// How far a text moves the line and column: the line breaks in it, and the characters after
/// the last one (or in all of it, without a break).
#[derive(Debug, Clone, Copy)]
struct Extent {
    breaks: usize,
    tail: usize,
}

impl Extent {
    fn of(text: &[u8]) -> Extent {
        let chars = |bytes: &[u8]| bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count();
        if memchr::memchr(b'\r', text).is_none() {
            // The common case, without carriage returns: count newlines with a fast search.
            let breaks = memchr::memchr_iter(b'\n', text).count();
            let tail = memchr::memrchr(b'\n', text).map_or(text, |i| &text[i + 1..]);
            return Extent { breaks, tail: chars(tail) };
        }
        let mut extent = Extent { breaks: 0, tail: 0 };
        for (i, &b) in text.iter().enumerate() {
            if crate::source::is_line_break(text, i) {
                extent.breaks += 1;
                extent.tail = 0;
            } else if b & 0xC0 != 0x80 {
                extent.tail += 1;
            }
        }
        extent
    }
}

/// The running line and column (characters before, on that line) of the merger.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cursor {
    line: usize,
    column: usize,
}

impl Cursor {
    fn advance(&mut self, extent: Extent) {
        if extent.breaks > 0 {
            self.line += extent.breaks;
            self.column = extent.tail;
        } else {
            self.column += extent.tail;
        }
    }

    /// A position relative to a block starting here, made absolute.
    fn place(&self, (line, column): (usize, usize)) -> (usize, usize) {
        if line == 1 { (self.line, self.column + column) } else { (self.line + line - 1, column) }
    }
}

/// Checks the response body at offset `start` of `file` (all of it, or what
/// follows the head of a raw HTTP response) in blocks; `None` when it must be checked whole.
/// With `personal` (`--redact`, holding the request's terms), every finding is masked with
/// the values of its own block: findings quote the values they are about, and only the
/// comparisons of users look across blocks, at ids.
pub fn lint_file(
    file: impl Read + Send,
    start: usize,
    schema: &Schema,
    exchange: &Exchange,
    limit: Option<usize>,
    personal: Option<&Personal>,
    threads: Option<std::num::NonZeroUsize>,
) -> Option<Streamed> {
    if !schema.validates_items() {
        return None;
    }
    let check = |block: Block| {
        let ctx = Context::new(exchange);
        check_block(block, schema, &ctx, limit, personal)
    };
    let merge =
        |checked: &mut dyn Iterator<Item = Checked>| merge(checked, exchange, limit, personal);
    in_blocks(workers(threads), |blocks| cut(file, start, blocks), check, merge)
}

/// `-j N`, else the available cores, at most 8: past that, reading is the bottleneck.
fn workers(threads: Option<std::num::NonZeroUsize>) -> usize {
    let cores = || std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    threads.map_or_else(cores, std::num::NonZeroUsize::get)
}

/// Runs `read`, which sends blocks, `check` on each block on `workers` threads, and `merge`,
/// which is given what they give in the order the blocks were read; `None` when any block
/// gives up, or reading does.
fn in_blocks<B: Send, C: Ordered + Send, R: Send>(
    workers: usize,
    read: impl FnOnce(mpsc::SyncSender<B>) -> Option<()>,
    check: impl Fn(B) -> Option<C> + Sync,
    merge: impl FnOnce(&mut dyn Iterator<Item = C>) -> R + Send,
) -> Option<R> {
    let (blocks_tx, blocks_rx) = mpsc::sync_channel::<B>(workers);
    // Bounded too: when merging is the slow part, reading waits for it rather than piling
    // checked blocks up in memory.
    let (done_tx, done_rx) = mpsc::sync_channel::<Option<C>>(workers * 2);
    // Shared by the workers only: when they all stop, reading stops too.
    let blocks_rx = Arc::new(Mutex::new(blocks_rx));
    let check = &check;
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let done_tx = mpsc::SyncSender::clone(&done_tx);
            let blocks_rx = Arc::clone(&blocks_rx);
            scope.spawn(move || {
                loop {
                    let next = blocks_rx.lock().ok().and_then(|rx| rx.recv().ok());
                    let Some(block) = next else { break };
                    if done_tx.send(check(block)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_tx);
        drop(blocks_rx);
        let merger = scope.spawn(move || {
            let mut ordered =
                InOrder { done: done_rx, waiting: BTreeMap::new(), next: 0, failed: false };
            let merged = merge(&mut ordered);
            ordered.complete().then_some(merged)
        });
        let read = read(blocks_tx);
        let merged = merger.join().ok().flatten();
        read.and(merged)
    })
}

/// A checked block, which knows where its block was in the order read.
trait Ordered {
    fn index(&self) -> usize;
}

impl Ordered for Checked {
    fn index(&self) -> usize {
        self.index
    }
}

/// The checked blocks in the order their blocks were read, whatever order they come in. It
/// ends at the first block that gave up (`None`), which [`InOrder::complete`] then tells.
struct InOrder<C> {
    done: mpsc::Receiver<Option<C>>,
    /// Blocks checked before one read earlier.
    waiting: BTreeMap<usize, C>,
    next: usize,
    /// A block gave up.
    failed: bool,
}

impl<C: Ordered> Iterator for InOrder<C> {
    type Item = C;

    fn next(&mut self) -> Option<C> {
        loop {
            if let Some(checked) = self.waiting.remove(&self.next) {
                self.next += 1;
                return Some(checked);
            }
            match self.done.recv() {
                Ok(Some(checked)) => self.waiting.insert(checked.index(), checked),
                Ok(None) => {
                    self.failed = true;
                    return None;
                }
                Err(_) => return None,
            };
        }
    }
}

impl<C> InOrder<C> {
    /// Whether every block was given, in order: no block gave up, and none is left waiting
    /// for one that never came.
    fn complete(&self) -> bool {
        !self.failed && self.waiting.is_empty()
    }
}

/// Reads the file and sends its blocks; `None` when the file is not a plain array of items.
/// Only the structure is followed here (strings, brackets, commas between items), with a fast
/// search through strings, which are most of a response; workers do the rest.
fn cut(mut file: impl Read, start: usize, blocks: mpsc::SyncSender<Block>) -> Option<()> {
    let mut buf: Vec<u8> = Vec::with_capacity(2 * BLOCK);
    let mut chunk = vec![0u8; BLOCK];
    let mut cutter = Cutter::new(blocks, start);
    loop {
        let n = file.read(&mut chunk).ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        cutter.scan(&buf)?;
        // Keep only what the block being gathered still needs.
        let keep_from = match cutter.start {
            Some((from, _)) if !cutter.closed => from - cutter.base,
            _ if cutter.closed => buf.len(),
            _ => 0,
        };
        buf.drain(..keep_from);
        cutter.base += keep_from;
        cutter.scanned = buf.len();
    }
    // The file ended inside the array (a cut-off capture), or had no array: check it whole.
    cutter.closed.then_some(())
}

/// Where the reading of the root array is, across the chunks read.
struct Cutter {
    /// Where blocks go.
    blocks: mpsc::SyncSender<Block>,
    /// File offset of the buffer's first byte, and how much of the buffer is scanned.
    base: usize,
    scanned: usize,
    /// Where the body starts: what comes before (the head of a raw HTTP response) is not
    /// JSON, and only counts for line numbers.
    body: usize,
    depth: u32,
    in_string: bool,
    /// The file offset of the byte a backslash in a string escapes.
    escaped: usize,
    /// The root array has ended.
    closed: bool,
    /// The block being gathered: where it starts in the file, and its first item.
    start: Option<(usize, usize)>,
    /// The text up to and including `[`, sent with the first block.
    prefix: Option<Vec<u8>>,
    /// Items begun so far, and blocks sent.
    item: usize,
    index: usize,
}

impl Cutter {
    fn new(blocks: mpsc::SyncSender<Block>, body: usize) -> Cutter {
        Cutter {
            blocks,
            base: 0,
            scanned: 0,
            body,
            depth: 0,
            in_string: false,
            escaped: usize::MAX,
            closed: false,
            start: None,
            prefix: None,
            item: 0,
            index: 0,
        }
    }

    /// Follows the structure through what the buffer holds past what was scanned.
    fn scan(&mut self, buf: &[u8]) -> Option<()> {
        // (The buffer is kept whole until the root array starts, so `base` is 0 before.)
        let mut i = self.scanned.max(self.body.saturating_sub(self.base));
        'bytes: while i < buf.len() {
            if self.closed {
                // Only whitespace may follow the array.
                return buf[i..].iter().all(|&b| json::is_whitespace(b)).then_some(());
            }
            // Inside the array only strings, brackets and commas matter: the rest (most of it
            // indentation) is passed over sixteen bytes at a time.
            let chunk = buf[i..].first_chunk::<{ bytes::CHUNK }>();
            let Some(chunk) = chunk.filter(|_| self.depth > 0) else {
                self.byte(buf, i)?;
                i += 1;
                continue;
            };
            let mut mask = bytes::structural(chunk);
            while mask != 0 {
                let k = mask.trailing_zeros() as usize;
                mask &= mask - 1;
                // Quotes, and commas between members, are most of what is found: they are
                // dealt with here, the rest by `byte`.
                match (chunk[k], self.in_string) {
                    (b'"', false) => self.in_string = true,
                    (b'"', true) if self.base + i + k != self.escaped => self.in_string = false,
                    (b',', false) if self.depth > 1 => {}
                    (b, true) if b != b'\\' => {}
                    _ => self.byte(buf, i + k)?,
                }
                if self.closed {
                    i += k + 1;
                    continue 'bytes;
                }
            }
            i += bytes::CHUNK;
        }
        Some(())
    }

    /// One byte at `i` of the buffer: every byte before the root array, then at least every
    /// structural one.
    fn byte(&mut self, buf: &[u8], i: usize) -> Option<()> {
        let at = self.base + i;
        if at == self.escaped {
            return Some(());
        }
        if !self.in_string {
            return self.structure(buf, i);
        }
        match buf[i] {
            b'"' => self.in_string = false,
            b'\\' => self.escaped = at + 1,
            _ => {}
        }
        Some(())
    }

    /// One byte outside strings, at `i` of the buffer.
    fn structure(&mut self, buf: &[u8], i: usize) -> Option<()> {
        let b = buf[i];
        match b {
            b'"' => self.in_string = true,
            b'[' | b'{' if self.depth == 0 => {
                // A byte order mark, UTF-16, or a root that is not an array would have come
                // first: check those whole.
                if self.base > 0
                    || b == b'{'
                    || !buf[self.body..i].iter().all(|&b| json::is_whitespace(b))
                {
                    return None;
                }
                self.depth = 1;
                self.prefix = Some(buf[..=i].to_vec());
                self.start = Some((self.base + i + 1, 0));
            }
            b'[' | b'{' => self.depth += 1,
            b']' | b'}' => {
                self.depth = self.depth.checked_sub(1)?;
                if self.depth == 0 {
                    return self.close(buf, i);
                }
            }
            b',' if self.depth == 1 => {
                self.item += 1;
                let (from, first_item) = self.start?;
                let at = self.base + i;
                if at - from >= BLOCK || self.item - first_item >= BLOCK_ITEMS {
                    self.send(buf, from, at, first_item)?;
                    self.start = Some((at + 1, self.item));
                }
            }
            _ if self.depth == 0 && !json::is_whitespace(b) => return None,
            _ => {}
        }
        Some(())
    }

    /// The root array's closing bracket, at `i` of the buffer: the last block goes out.
    fn close(&mut self, buf: &[u8], i: usize) -> Option<()> {
        // `[ ... }` is for the parser to report: check it whole.
        if buf[i] != b']' {
            return None;
        }
        let (from, first_item) = self.start?;
        let blank = buf[from - self.base..i].iter().all(|&b| json::is_whitespace(b));
        // `[1,]` ends on an empty item: check it whole.
        if blank && self.item > 0 {
            return None;
        }
        if !blank {
            self.send(buf, from, self.base + i, first_item)?;
        }
        self.closed = true;
        Some(())
    }

    /// Sends the items at file offsets `from..to` as a block.
    fn send(&mut self, buf: &[u8], from: usize, to: usize, first_item: usize) -> Option<()> {
        let text = buf[from - self.base..to - self.base].to_vec();
        let block =
            Block { index: self.index, origin: from, text, first_item, prefix: self.prefix.take() };
        self.index += 1;
        self.blocks.send(block).ok()
    }
}

/// Parses and checks one block; `None` when anything is off.
fn check_block(
    block: Block,
    schema: &Schema,
    ctx: &Context,
    limit: Option<usize>,
    personal: Option<&Personal>,
) -> Option<Checked> {
    let mut personal = personal.map(Personal::terms_only);
    let text = std::str::from_utf8(&block.text).ok()?;
    let mut reader = Reader::items_of(text);
    // Placed where the block is: every span, kept facts' included, is the file's.
    let mut tape = Tape::placed(text, block.origin);
    let mut findings = Findings::new(limit);
    let mut facts = Vec::new();
    let mut item = block.first_item;
    let mut base = String::new();
    loop {
        reader.value(&mut tape).ok()?;
        if let Some(personal) = personal.as_mut() {
            personal.add_user(tape.root());
        }
        base.clear();
        let _ = std::fmt::Write::write_fmt(&mut base, format_args!("/{item}"));
        facts.extend(body::check_array_item(&tape, &base, schema, ctx, &mut findings));
        item += 1;
        if !reader.separator().ok()? {
            break;
        }
    }
    // Lines and columns of the findings (few) now, while the block's text is at hand.
    place_in_block(findings.since(0), text, block.origin, None);
    if let Some(personal) = personal.as_mut() {
        personal.mask_findings(findings.since(0));
        // The block's text is not shown from here: only the fingerprints are kept.
        personal.forget_places();
    }
    let extent = Extent::of(&block.text);
    let prefix = block.prefix.as_deref().map(Extent::of);
    let (text, origin) = (block.text, block.origin);
    Some(Checked { index: block.index, findings, facts, text, origin, extent, prefix, personal })
}

/// Gives each finding its line and column, from the text of the block it is in (`text`, at
/// `origin` in the file): relative to the block, or with `cursor` (where the block starts)
/// absolute.
pub(crate) fn place_in_block(
    found: &mut [crate::Diagnostic],
    text: &str,
    origin: usize,
    cursor: Option<Cursor>,
) {
    let mut offsets: Vec<usize> =
        found.iter().filter_map(|d| d.span).map(|s| s.offset - origin).collect();
    offsets.sort_unstable();
    offsets.dedup();
    let places = line_columns(text, &offsets);
    for d in found {
        let at = d.span.and_then(|s| offsets.binary_search(&(s.offset - origin)).ok());
        d.at = at.map(|i| cursor.map_or(places[i], |c| c.place(places[i])));
    }
}

/// Takes the checked blocks in order and compares their users.
fn merge(
    checked_blocks: &mut dyn Iterator<Item = Checked>,
    exchange: &Exchange,
    limit: Option<usize>,
    personal: Option<&Personal>,
) -> Streamed {
    let mut findings = Findings::new(limit);
    body::check_request(exchange, &mut findings);
    if let Some(personal) = personal {
        personal.mask_findings(findings.since(0));
    }
    let mut blocks = Vec::new();
    let ctx = Context::new(exchange);
    let mut seen = Compared::default();
    let mut cursor = Cursor { line: 1, column: 0 };
    for checked in checked_blocks {
        if let Some(prefix) = checked.prefix {
            cursor.advance(prefix);
        } else {
            // The comma between this block and the one before.
            cursor.column += 1;
        }
        let mut block = checked.findings;
        for d in block.since(0) {
            d.at = d.at.map(|at| cursor.place(at));
        }
        findings.absorb(block);
        let from = findings.len();
        for facts in checked.facts {
            rules::users(facts, &mut seen, &ctx, &mut findings);
        }
        // What the comparisons found (rarely anything) is placed in one pass over the text.
        let compared = findings.since(from);
        if !compared.is_empty() {
            let text = String::from_utf8_lossy(&checked.text);
            place_in_block(compared, &text, checked.origin, Some(cursor));
            if let Some(personal) = &checked.personal {
                personal.mask_findings(compared);
            }
        }
        blocks.push(checked.origin..checked.origin + checked.text.len());
        cursor.advance(checked.extent);
    }
    Streamed { findings, blocks }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that gives at most `piece` bytes a call, as a pipe may.
    struct Trickle<'a> {
        text: &'a [u8],
        piece: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = self.piece.min(out.len()).min(self.text.len());
            out[..n].copy_from_slice(&self.text[..n]);
            self.text = &self.text[n..];
            Ok(n)
        }
    }

    /// The blocks a text is cut into, read `piece` bytes at a time; `None` when it is not
    /// streamed.
    fn blocks_of(text: &str, piece: usize) -> Option<Vec<std::ops::Range<usize>>> {
        let (schema, exchange) = (Schema::embedded(), Exchange::default());
        let file = Trickle { text: text.as_bytes(), piece };
        let one = std::num::NonZeroUsize::new(1);
        lint_file(file, 0, &schema, &exchange, None, None, one).map(|s| s.blocks)
    }

    /// Each block is whole items, and the blocks with the commas between them are the array.
    fn assert_tiled(text: &str, blocks: &[std::ops::Range<usize>]) {
        let inside = text.find('[').unwrap() + 1..text.rfind(']').unwrap();
        assert_eq!(blocks.first().unwrap().start, inside.start);
        assert_eq!(blocks.last().unwrap().end, inside.end);
        for pair in blocks.windows(2) {
            assert_eq!(&text[pair[0].end..pair[1].start], ",", "cut at a comma between items");
        }
    }

    #[test]
    fn a_large_array_is_cut_at_commas_between_items_however_it_is_read() {
        // Escaped quotes and backslashes before brackets and commas, at every place of the
        // sixteen bytes the cutter looks at together.
        let user = r#"{"id": "aPAD", "name": "x, [y] {z} \"}], \\", "labels": [{"id": "b"}, {"id": "c\\\""}]}"#;
        let users: Vec<String> =
            (0..12_000).map(|i| user.replace("PAD", &"p".repeat(i % 17))).collect();
        let text = format!("  [\n{}\n]\n", users.join(",\n"));
        for piece in [BLOCK, 4096, 1000, 7] {
            let blocks = blocks_of(&text, piece).expect("streamed");
            assert!(blocks.len() >= 3, "{piece}: {} blocks", blocks.len());
            assert_tiled(&text, &blocks);
        }
    }

    #[test]
    fn tiny_items_are_cut_by_count() {
        let text = format!("[{}]", vec!["1"; 3 * BLOCK_ITEMS + 5].join(","));
        let blocks = blocks_of(&text, BLOCK).expect("streamed");
        assert_eq!(blocks.len(), 4);
        assert_tiled(&text, &blocks);
    }

    #[test]
    fn a_text_that_is_not_one_array_is_left_to_the_whole_read() {
        for text in ["[1,2", "[1,]", "{}", "[1] 2", "\u{feff}[1]"] {
            assert_eq!(blocks_of(text, 3), None, "{text}");
        }
    }
}
