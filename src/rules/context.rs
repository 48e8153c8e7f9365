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
