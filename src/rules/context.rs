//! What every rule may read: the request a response answers, when it was captured, and which
//! rules are off.

use chrono::{DateTime, Utc};

use crate::diagnostic::{Code, Span};
use crate::exchange::Exchange;

/// What the rules know of one response's exchange. The same for every user of the response:
/// what rules remember across users is theirs (see `Seen` in each comparing rule).
pub struct Context {
    /// The capture time: dates after it are in the future.
    pub captured: DateTime<Utc>,
    /// Whether `captured` is when the capture was made (a HAR entry's `startedDateTime`), not
    /// the time of the run standing in for it.
    pub captured_recorded: bool,
    /// The request's `ordering`, as fields, as written, and where.
    pub ordering: Vec<OrderField>,
    pub ordering_text: String,
    pub ordering_span: Option<Span>,
    /// The request's `search` term, lowercase, and where it is written.
    pub search: Option<(String, Option<Span>)>,
    /// Rules turned off everywhere, whose work is skipped: a bit per code.
    off: u64,
}

/// One field of an `ordering` parameter: `-name` is `name`, descending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderField {
    pub name: String,
    pub descending: bool,
}

const _: () = assert!(Code::ALL.len() <= 64, "a bit per code in `Context::off`");

impl Context {
    /// What the rules know of `exchange`; a capture that does not say when it was made is
    /// judged as of now.
    pub fn new(exchange: &Exchange) -> Self {
        let (ordering_text, ordering_span) = exchange.ordering.clone().unwrap_or_default();
        let ordering = ordering_text
            .split(',')
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .map(|f| match f.strip_prefix('-') {
                Some(name) => OrderField { name: name.to_owned(), descending: true },
                None => OrderField { name: f.to_owned(), descending: false },
            })
            .collect();
        Context {
            captured: exchange.captured.unwrap_or_else(Utc::now),
            captured_recorded: exchange.captured.is_some(),
            ordering,
            ordering_text,
            ordering_span,
            search: exchange.search.as_ref().map(|(term, span)| (term.to_lowercase(), *span)),
            off: exchange.skip.iter().fold(0, |off, &code| off | 1 << code as u32),
        }
    }

    /// Whether the rule of `code` runs: it is not off everywhere.
    pub fn runs(&self, code: Code) -> bool {
        self.off & (1 << code as u32) == 0
    }
}

/// A stable 64-bit hash of a string, for the sets rules keep across users.
pub(crate) fn fingerprint(text: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    BuildHasherDefault::<DefaultHasher>::default().hash_one(text)
}

/// A string a fact keeps: by value when short (ids are about twelve characters), so that the
/// facts of a passing user, made on one thread and dropped on another, allocate nothing.
#[derive(Clone)]
pub(crate) enum Short {
    Inline { len: u8, bytes: [u8; 30] },
    Long(Box<str>),
}

impl Short {
    pub(crate) fn new(text: &str) -> Short {
        let mut bytes = [0; 30];
        match bytes.get_mut(..text.len()) {
            Some(inline) => {
                inline.copy_from_slice(text.as_bytes());
                Short::Inline { len: text.len() as u8, bytes }
            }
            None => Short::Long(text.into()),
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        match self {
            // Copied whole from a `&str`, so always UTF-8.
            Short::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            Short::Long(text) => text,
        }
    }
}

impl std::fmt::Debug for Short {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

/// A hasher for keys that are [`fingerprint`]s already: the key is its own hash.
#[derive(Default)]
pub(crate) struct Prehashed(u64);

impl std::hash::Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `u64` keys are hashed here; anything else is folded in, to stay a hash.
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A map whose keys are fingerprints.
pub(crate) type ByPrint<V> =
    std::collections::HashMap<u64, V, std::hash::BuildHasherDefault<Prehashed>>;

/// The pointer to a user, kept as its index: written out only for a finding.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Base(pub(crate) Option<usize>);

impl std::fmt::Display for Base {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(i) => write!(f, "/{i}"),
            None => Ok(()),
        }
    }
}
