//! Runs the rules over inline JSON for the rules' own tests.

use chrono::{DateTime, Utc};

use super::{Compared, Context};
use crate::diagnostic::Diagnostic;
use crate::exchange::Exchange;
use crate::findings::Findings;
use crate::json::parse::Reader;
use crate::json::{Kind, Tape};

pub const CAPTURED: &str = "2026-01-01T00:00:00Z";

pub fn captured() -> DateTime<Utc> {
    crate::datetime::instant(CAPTURED).unwrap()
}

/// A request with these `ordering` and `search` parameters.
pub fn exchange(ordering: Option<&str>, search: Option<&str>) -> Exchange {
    Exchange {
        captured: Some(captured()),
        ordering: ordering.map(|o| (o.to_owned(), None)),
        search: search.map(|s| (s.to_owned(), None)),
        skip: Vec::new(),
    }
}

/// The findings of the rules of one user and across users for `src`: an array of users, or
/// one user, in the order the rules found them.
pub fn run(src: &str) -> Vec<Diagnostic> {
    run_with(src, &exchange(None, None))
}

/// The same, for a response to the request `exchange` describes.
pub fn run_with(src: &str, exchange: &Exchange) -> Vec<Diagnostic> {
    let ctx = Context::new(exchange);
    let mut seen = Compared::default();
    let mut out = Findings::new(None);
    let mut tape = Tape::new(src);
    Reader::new(src, 0).value(&mut tape).unwrap();
    let root = tape.root();
    let users: Vec<_> = match root.kind() {
        Kind::Array => root.elements().enumerate().map(|(i, u)| (u, format!("/{i}"))).collect(),
        _ => vec![(root, String::new())],
    };
    for (user, base) in users {
        let facts = super::user(user, &base, root.kind() == Kind::Array, &ctx, &mut out);
        super::users(facts, &mut seen, &ctx, &mut out);
    }
    out.into_kept()
}

/// The pointers of the findings of `code`.
pub fn pointers(src: &str, code: crate::Code) -> Vec<String> {
    run(src).into_iter().filter(|d| d.code == code).filter_map(|d| d.pointer).collect()
}
