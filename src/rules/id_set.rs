//! The set of user ids a response has shown, for duplicate-user-id (R001): a 64-bit hash of
//! each id and where it was first seen, 16 bytes an id whatever its length. The newest ids sit
//! in a small table; older ones in sorted runs, searched by halving. Runs are merged only up to
//! a few MiB, so memory never jumps by more than that. A Bloom filter (about 10 bits an id)
//! answers "never seen" for almost every id without touching the runs, since ids repeat
//! rarely.

use std::collections::HashMap;

use crate::diagnostic::Span;

/// Ids kept in the table before they are sorted into a run.
const RECENT: usize = 1 << 14;
/// Runs are not merged past this many ids (4 MiB).
const MAX_RUN: usize = 1 << 18;

#[derive(Debug)]
pub struct IdSet {
    recent: HashMap<u64, u64>,
    runs: Vec<Vec<(u64, u64)>>,
    seen: Bloom,
    count: usize,
}

impl Default for IdSet {
    fn default() -> Self {
        IdSet { recent: HashMap::new(), runs: Vec::new(), seen: Bloom::with_capacity(64), count: 0 }
    }
}

/// A blocked Bloom filter: each hash sets and tests six bits of one 64-byte block, so a test
/// costs one cache line.
#[derive(Debug)]
struct Bloom {
    blocks: Vec<[u64; 8]>,
}

impl Bloom {
    fn with_capacity(ids: usize) -> Bloom {
        // About 10 bits an id: a false "maybe" for 1 to 2 ids in 100.
        Bloom { blocks: vec![[0; 8]; (ids * 10).div_ceil(512).max(1)] }
    }

    fn place(&self, hash: u64) -> (usize, [u32; 6]) {
        let block = ((u128::from(hash) * self.blocks.len() as u128) >> 64) as usize;
        let bits = std::array::from_fn(|i| ((hash >> (i * 9)) & 511) as u32);
        (block, bits)
    }

    fn add(&mut self, hash: u64) {
        let (block, bits) = self.place(hash);
        for bit in bits {
            self.blocks[block][(bit / 64) as usize] |= 1 << (bit % 64);
        }
    }

    fn may_contain(&self, hash: u64) -> bool {
        let (block, bits) = self.place(hash);
        bits.iter().all(|bit| self.blocks[block][(bit / 64) as usize] & (1 << (bit % 64)) != 0)
    }
}

impl IdSet {
    /// Where the id with this hash was first seen, if it was.
    pub fn get(&self, hash: u64) -> Option<Span> {
        if !self.seen.may_contain(hash) {
            return None;
        }
        let packed = self.recent.get(&hash).copied().or_else(|| {
            self.runs
                .iter()
                .find_map(|run| run.binary_search_by_key(&hash, |(h, _)| *h).ok().map(|i| run[i].1))
        })?;
        Some(unpack(packed))
    }

    pub fn insert(&mut self, hash: u64, span: Span) {
        self.count += 1;
        if self.count > self.seen.blocks.len() * 512 / 10 {
            // Full: a filter twice the size, refilled from every id kept.
            let mut seen = Bloom::with_capacity(self.count * 2);
            let kept =
                self.recent.keys().copied().chain(self.runs.iter().flatten().map(|(h, _)| *h));
            kept.for_each(|h| seen.add(h));
            self.seen = seen;
        }
        self.seen.add(hash);
        self.recent.insert(hash, pack(span));
        if self.recent.len() < RECENT {
            return;
        }
        let mut run: Vec<(u64, u64)> = self.recent.drain().collect();
        run.sort_unstable();
        self.runs.push(run);
        // Merge equal-sized neighbours, as a binary counter does, up to the cap.
        while let [.., a, b] = self.runs.as_slice()
            && a.len() <= b.len() * 2
            && a.len() + b.len() <= MAX_RUN
        {
            let b = self.runs.pop().unwrap_or_default();
            let a = self.runs.pop().unwrap_or_default();
            self.runs.push(merge(a, b));
        }
    }
}

fn merge(a: Vec<(u64, u64)>, b: Vec<(u64, u64)>) -> Vec<(u64, u64)> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    while let (Some(x), Some(y)) = (a.peek(), b.peek()) {
        let next = if x.0 <= y.0 { a.next() } else { b.next() };
        out.extend(next);
    }
    out.extend(a);
    out.extend(b);
    out
}

/// A span in 8 bytes: 40 bits of offset (1 TiB), 24 of length (16 MiB, more is cut).
fn pack(span: Span) -> u64 {
    let offset = (span.offset as u64).min((1 << 40) - 1);
    let len = (span.len as u64).min((1 << 24) - 1);
    offset << 24 | len
}

fn unpack(packed: u64) -> Span {
    Span::new((packed >> 24) as usize, (packed & ((1 << 24) - 1)) as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_is_found_across_the_table_and_the_runs() {
        let mut set = IdSet::default();
        let n = 3 * RECENT as u64 + 17;
        for i in 0..n {
            let hash = i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
            assert_eq!(set.get(hash), None);
            set.insert(hash, Span::new(i as usize * 10, 5));
        }
        for i in (0..n).step_by(97) {
            let hash = i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
            assert_eq!(set.get(hash), Some(Span::new(i as usize * 10, 5)), "{i}");
        }
        assert!(set.runs.len() <= 3, "runs are merged: {}", set.runs.len());
    }
}
