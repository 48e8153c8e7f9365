//! profile-lint checks captured responses of Probely's `GET /profile/` against its documented
//! contract and says, precisely, where a response breaks it.
//!
//! One finding type, [`Diagnostic`], flows through one pipeline: an input is loaded and read in
//! its format (`input`), each response body is parsed keeping spans (`json`), validated against
//! the schema (`schema`) and checked by the rules (`rules`), and the findings are reported
//! ([`report`]). The modules are layered without cycles; the README's "How it works" draws the
//! layers.
//!
//! A [`Linter`] holds a compiled schema; build it once and check every input with it:
//!
//! ```
//! use profile_lint::{Code, Linter};
//!
//! let linter = Linter::new();
//! let found = linter.lint(br#"[{"id": "x"}]"#);
//! // The user lacks the documented fields but its id.
//! let d = found.iter().find(|d| d.code == Code::MissingField).unwrap();
//! assert_eq!(d.pointer.as_deref(), Some("/0"));
//! ```
#![warn(missing_docs)]

mod baseline;
mod body;
pub mod cli;
mod config;
pub mod datetime;
pub mod diagnostic;
mod email;
mod exchange;
mod findings;
pub mod input;
mod json;
mod linter;
mod openapi;
mod pipeline;
mod progress;
mod redact;
pub mod report;
mod rules;
pub mod schema;
pub mod source;
mod stream;
mod suggest;
mod write;

pub use diagnostic::{Code, Diagnostic, Severity, Span};
pub use exchange::Exchange;
pub use json::parse_document;
pub use linter::Linter;
pub use pipeline::{Checked, Options};
pub use progress::Progress;
pub use report::FileReport;
pub use source::Source;
