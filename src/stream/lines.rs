//! A large JSON Lines file: read in blocks of whole lines, each line checked as its own body
//! on every core, the findings put back in the order of the lines. Each line is a response
//! of its own, so nothing is compared across blocks, and memory holds a few blocks.

use std::io::Read;
use std::sync::mpsc;

use super::{BLOCK, Cursor, Extent, Ordered, in_blocks, place_in_block, workers};
use crate::body::{self, Against};
use crate::exchange::Exchange;
use crate::findings::Findings;

/// Lines checked: their findings, and how many responses they held.
pub struct Lines {
    pub findings: Findings,
    pub responses: usize,
}

/// A run of whole lines, and where it starts in the file.
struct Block {
    index: usize,
    origin: usize,
    text: Vec<u8>,
}

/// A block checked: its findings, placed relative to its start, how far it moves the line,
/// and how many responses it held.
struct Checked {
    index: usize,
    findings: Findings,
    breaks: usize,
    responses: usize,
}

/// Checks each line of the JSON Lines `file` against `against`; `None` when the file
/// must be read whole (text that is not UTF-8, or no line at all).
pub fn lint_lines(
    file: impl Read + Send,
    against: Against<'_>,
    exchange: &Exchange,
    limit: Option<usize>,
    threads: Option<std::num::NonZeroUsize>,
) -> Option<Lines> {
    let check = |block: Block| check_block(block, against, exchange, limit);
    let merge = |checked: &mut dyn Iterator<Item = Checked>| merge(checked, limit);
    let lines = in_blocks(workers(threads), |blocks| cut(file, blocks), check, merge)?;
    (lines.responses > 0).then_some(lines)
}

/// Reads the file and sends it in blocks that end after a line feed (the last one, at the
/// end of the file).
fn cut(mut file: impl Read, blocks: mpsc::SyncSender<Block>) -> Option<()> {
    let mut buf: Vec<u8> = Vec::with_capacity(2 * BLOCK);
    let mut chunk = vec![0u8; BLOCK];
    let (mut origin, mut index) = (0, 0);
    loop {
        let n = file.read(&mut chunk).ok()?;
        buf.extend_from_slice(&chunk[..n]);
        let end = match n {
            0 => buf.len(),
            _ if buf.len() < BLOCK => continue,
            _ => memchr::memrchr(b'\n', &buf).map_or(0, |i| i + 1),
        };
        if end > 0 {
            let rest = buf.split_off(end);
            let text = std::mem::replace(&mut buf, rest);
            let len = text.len();
            blocks.send(Block { index, origin, text }).ok()?;
            origin += len;
            index += 1;
        }
        if n == 0 {
            return Some(());
        }
    }
}

/// Checks the lines of one block, cut as the whole read cuts a file into lines.
fn check_block(
    block: Block,
    against: Against<'_>,
    exchange: &Exchange,
    limit: Option<usize>,
) -> Option<Checked> {
    let text = std::str::from_utf8(&block.text).ok()?;
    let mut findings = Findings::new(limit);
    // A byte order mark is the recorder's, not the first response's.
    let mut start = if block.origin == 0 && text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut responses = 0;
    for line in text[start..].split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if !content.trim().is_empty() {
            let range = start..start + content.len();
            body::lint_body(text, range, against, exchange, &mut findings, None);
            responses += 1;
        }
        start += line.len();
    }
    // Each line is a body of its own, read from the block: its positions are the block's
    // until they are moved to where the block is.
    for d in findings.since(0) {
        if let Some(span) = d.span.as_mut() {
            span.offset += block.origin;
        }
        for related in &mut d.related {
            related.span.offset += block.origin;
        }
    }
    place_in_block(findings.since(0), text, block.origin, None);
    let breaks = Extent::of(&block.text).breaks;
    Some(Checked { index: block.index, findings, breaks, responses })
}

/// Takes the checked blocks in order and makes their lines absolute.
fn merge(checked_blocks: &mut dyn Iterator<Item = Checked>, limit: Option<usize>) -> Lines {
    let mut lines = Lines { findings: Findings::new(limit), responses: 0 };
    let mut cursor = Cursor { line: 1, column: 0 };
    for mut checked in checked_blocks {
        for d in checked.findings.since(0) {
            d.at = d.at.map(|at| cursor.place(at));
        }
        lines.findings.absorb(checked.findings);
        lines.responses += checked.responses;
        // Every block but the last ends with a line feed: the next starts a line.
        cursor.line += checked.breaks;
    }
    lines
}

impl Ordered for Checked {
    fn index(&self) -> usize {
        self.index
    }
}
