//! What is known of the exchange a response came from, besides its body: when it was
//! captured and what the request asked for. Inputs fill it in; rules read it.

use chrono::{DateTime, Utc};

use crate::diagnostic::{Code, Span};

/// What is known of the exchange a response body came from.
#[derive(Debug, Clone, Default)]
pub struct Exchange {
    /// When it was captured; `None` for now.
    pub captured: Option<DateTime<Utc>>,
    /// The request's `ordering` and `search` query parameters, with where they are written.
    pub ordering: Option<(String, Option<Span>)>,
    pub search: Option<(String, Option<Span>)>,
    /// Rules that are off for every input: their work is skipped (duplicate ids, for one,
    /// remember every id of a response).
    pub skip: Vec<Code>,
}
