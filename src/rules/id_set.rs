//! The set of user ids a response has shown, for duplicate-user-id (R001): a 64-bit hash of
//! each id and where it was first seen, 16 bytes an id whatever its length. The newest ids sit
//! in a small table; older ones in sorted runs, searched by halving. Runs are merged only up to
//! a few MiB, so memory never jumps by more than that. A Bloom filter (about 10 bits an id)
//! answers "never seen" for almost every id without touching the runs, since ids repeat
//! rarely.
//!
//! Past [`SPILL_AT`] ids in memory, the runs are merged into one and written to a temporary
//! file, where the filter's rare "maybe" reads one page of each: a capture of ten million
//! users keeps about 1.3 bytes an id in memory (the filter, and the first hash of each page),
//! not 16. Without a temporary file (none can be made), the runs stay in memory, as for a
//! small capture.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use super::ByPrint;
use crate::diagnostic::Span;

/// Ids kept in the table before they are sorted into a run.
const RECENT: usize = 1 << 14;
/// Runs are not merged past this many ids (4 MiB).
const MAX_RUN: usize = 1 << 18;
/// Ids kept in memory's runs before they are written out (8 MiB).
const SPILL_AT: usize = 1 << 19;
/// Ids to a page of a run on disk: what one "maybe" reads of it (1 KiB).
const PAGE: usize = 64;

#[derive(Debug)]
pub struct IdSet {
    recent: ByPrint<u64>,
    runs: Vec<Vec<(u64, u64)>>,
    spill: Spill,
    /// How many ids in memory's runs make them go to disk.
    spill_at: usize,
    seen: Bloom,
    count: usize,
    /// Past this many ids, the filter grows.
    grow_at: usize,
}

impl Default for IdSet {
    fn default() -> Self {
        IdSet::spilling_at(SPILL_AT)
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

    fn capacity(&self) -> usize {
        self.blocks.len() * 512 / 10
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
    fn spilling_at(spill_at: usize) -> IdSet {
        let seen = Bloom::with_capacity(64);
        IdSet {
            grow_at: seen.capacity(),
            seen,
            recent: ByPrint::default(),
            runs: Vec::new(),
            spill: Spill::default(),
            spill_at,
            count: 0,
        }
    }

    /// Where the id with this hash was first seen, if it was.
    pub fn get(&self, hash: u64) -> Option<Span> {
        if !self.seen.may_contain(hash) {
            return None;
        }
        let packed = self
            .recent
            .get(&hash)
            .copied()
            .or_else(|| self.runs.iter().find_map(|run| search(run, hash)))
            .or_else(|| self.spill.get(hash))?;
        Some(unpack(packed))
    }

    pub fn insert(&mut self, hash: u64, span: Span) {
        self.count += 1;
        if self.count > self.grow_at {
            self.grow_filter();
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
        let in_runs: usize = self.runs.iter().map(Vec::len).sum();
        if in_runs >= self.spill_at && self.spill.write(&self.runs) {
            self.runs.clear();
        }
    }

    /// A filter twice the size, refilled from every id kept. Should the ids on disk not be
    /// read back, the old filter stays: it holds every id, and only answers "maybe" more often.
    /// It is tried again only once the ids have doubled, not on every id after.
    fn grow_filter(&mut self) {
        let mut seen = Bloom::with_capacity(self.count * 2);
        let in_memory =
            self.recent.keys().copied().chain(self.runs.iter().flatten().map(|(h, _)| *h));
        in_memory.for_each(|h| seen.add(h));
        if self.spill.each_hash(|h| seen.add(h)).is_ok() {
            self.seen = seen;
            self.grow_at = self.seen.capacity();
        } else {
            self.grow_at = self.count * 2;
        }
    }
}

/// What a sorted run holds for this hash.
fn search(run: &[(u64, u64)], hash: u64) -> Option<u64> {
    run.binary_search_by_key(&hash, |(h, _)| *h).ok().map(|i| run[i].1)
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

/// The runs written to a temporary file: each one sorted, 16 bytes an id, with the first hash
/// of each of its pages kept in memory to find the one page that may hold a hash.
#[derive(Debug, Default)]
struct Spill {
    file: Option<File>,
    /// No temporary file could be made, or written: the runs stay in memory.
    failed: bool,
    runs: Vec<OnDisk>,
    end: u64,
}

#[derive(Debug)]
struct OnDisk {
    /// Where the run starts in the file, and how many ids it holds.
    at: u64,
    len: usize,
    /// The first hash of each page.
    fences: Vec<u64>,
}

impl Spill {
    /// Writes these sorted runs out as one; `false` when they could not be written.
    fn write(&mut self, runs: &[Vec<(u64, u64)>]) -> bool {
        if self.failed {
            return false;
        }
        if self.file.is_none() {
            self.file = tempfile::tempfile().ok();
        }
        let written = self.file.as_ref().and_then(|file| write_merged(file, self.end, runs).ok());
        match written {
            Some(run) => {
                self.end += run.len as u64 * 16;
                self.runs.push(run);
                true
            }
            None => {
                self.failed = true;
                false
            }
        }
    }

    fn get(&self, hash: u64) -> Option<u64> {
        let file = self.file.as_ref()?;
        let mut page = [(0u64, 0u64); PAGE];
        self.runs.iter().find_map(|run| {
            // The page whose first hash is the last one not above `hash`.
            let index = run.fences.partition_point(|&fence| fence <= hash).checked_sub(1)?;
            let from = index * PAGE;
            let ids = (run.len - from).min(PAGE);
            read_ids(file, run.at + from as u64 * 16, &mut page[..ids]).ok()?;
            search(&page[..ids], hash)
        })
    }

    /// Calls `each` with every hash on disk.
    fn each_hash(&self, mut each: impl FnMut(u64)) -> std::io::Result<()> {
        let Some(mut file) = self.file.as_ref() else { return Ok(()) };
        file.seek(SeekFrom::Start(0))?;
        let mut reader = BufReader::with_capacity(1 << 16, file).take(self.end);
        let mut entry = [0u8; 16];
        for _ in 0..self.end / 16 {
            reader.read_exact(&mut entry)?;
            each(u64::from_le_bytes(entry[..8].try_into().unwrap_or_default()));
        }
        Ok(())
    }
}

/// Writes the sorted `runs`, merged, at `at` of `file`.
fn write_merged(mut file: &File, at: u64, runs: &[Vec<(u64, u64)>]) -> std::io::Result<OnDisk> {
    file.seek(SeekFrom::Start(at))?;
    let mut out = BufWriter::with_capacity(1 << 16, file);
    let mut heads = vec![0usize; runs.len()];
    let mut fences = Vec::new();
    let mut len = 0;
    // Few runs (a binary counter's): the smallest head is found by looking at each.
    while let Some(r) =
        (0..runs.len()).filter(|&r| heads[r] < runs[r].len()).min_by_key(|&r| runs[r][heads[r]].0)
    {
        let (hash, packed) = runs[r][heads[r]];
        heads[r] += 1;
        if len % PAGE == 0 {
            fences.push(hash);
        }
        out.write_all(&hash.to_le_bytes())?;
        out.write_all(&packed.to_le_bytes())?;
        len += 1;
    }
    out.flush()?;
    Ok(OnDisk { at, len, fences })
}

/// Reads `ids.len()` ids at `at` of `file`.
fn read_ids(mut file: &File, at: u64, ids: &mut [(u64, u64)]) -> std::io::Result<()> {
    let mut bytes = [0u8; PAGE * 16];
    let bytes = &mut bytes[..ids.len() * 16];
    file.seek(SeekFrom::Start(at))?;
    file.read_exact(bytes)?;
    for (id, entry) in ids.iter_mut().zip(bytes.chunks_exact(16)) {
        let word = |i: usize| u64::from_le_bytes(entry[i..i + 8].try_into().unwrap_or_default());
        *id = (word(0), word(8));
    }
    Ok(())
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

    #[test]
    fn ids_written_to_disk_are_found_and_others_are_not() {
        let mut set = IdSet::spilling_at(RECENT);
        let n = 4 * RECENT as u64 + 17;
        let hash = |i: u64| i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5555;
        for i in 0..n {
            assert_eq!(set.get(hash(i)), None, "{i}");
            set.insert(hash(i), Span::new(i as usize * 10, 5));
        }
        assert_eq!(set.spill.runs.len(), 4, "each full run went to disk");
        assert!(set.runs.is_empty());
        for i in 0..n {
            assert_eq!(set.get(hash(i)), Some(Span::new(i as usize * 10, 5)), "{i}");
        }
        // The filter grew while ids were on disk: it was refilled from them.
        assert!(set.seen.capacity() >= n as usize);
        let absent = (n..n + 20_000).filter(|&i| set.get(hash(i)).is_some()).count();
        assert_eq!(absent, 0);
    }

    #[test]
    fn a_filter_that_cannot_be_refilled_stays_and_is_tried_again_only_when_ids_double() {
        let mut set = IdSet::spilling_at(RECENT);
        // Written, never read back: a file opened for writing only.
        let dir = tempfile::tempdir().unwrap();
        set.spill.file = Some(File::create(dir.path().join("ids")).unwrap());
        let n = 3 * RECENT as u64;
        for i in 0..n {
            set.insert(i.wrapping_mul(0x9E37_79B9_7F4A_7C15), Span::new(i as usize, 1));
        }
        assert!(!set.spill.runs.is_empty(), "runs went to disk");
        assert!(set.grow_at > set.count, "not tried again on every id");
        let kept = (0..n).all(|i| set.seen.may_contain(i.wrapping_mul(0x9E37_79B9_7F4A_7C15)));
        assert!(kept, "the old filter still holds every id");
    }

    #[test]
    fn without_a_temporary_file_the_runs_stay_in_memory() {
        let mut set = IdSet::spilling_at(RECENT);
        set.spill.failed = true;
        for i in 0..3 * RECENT as u64 {
            set.insert(i, Span::new(i as usize, 1));
        }
        assert!(set.spill.runs.is_empty());
        assert_eq!(set.get(2 * RECENT as u64 + 5), Some(Span::new(2 * RECENT + 5, 1)));
    }
}
