//! How far the check of the inputs has got, in bytes read: what a progress bar shows. The
//! readers of inputs count as they read; whoever draws the bar reads the count.

use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// A count of the bytes of input read so far, shared by everything that reads inputs. The
/// default counts nothing, at no cost.
#[derive(Debug, Clone, Default)]
pub struct Progress(Option<Arc<AtomicU64>>);

impl Progress {
    /// A count that counts.
    pub fn counting() -> Progress {
        Progress(Some(Arc::new(AtomicU64::new(0))))
    }

    /// Whether this counts (see [`Progress::counting`]).
    pub fn counts(&self) -> bool {
        self.0.is_some()
    }

    /// Counts `n` more bytes read.
    pub fn add(&self, n: u64) {
        if let Some(count) = &self.0 {
            count.fetch_add(n, Ordering::Relaxed);
        }
    }

    /// The bytes read so far.
    pub fn read(&self) -> u64 {
        self.0.as_ref().map_or(0, |count| count.load(Ordering::Relaxed))
    }

    /// `read`, counting what is read from it.
    pub fn reader<R: Read>(&self, read: R) -> Counted<R> {
        Counted { read, progress: self.clone() }
    }
}

/// A reader whose bytes are counted as they are read.
pub struct Counted<R> {
    read: R,
    progress: Progress,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.read.read(buf)?;
        self.progress.add(n as u64);
        Ok(n)
    }
}
