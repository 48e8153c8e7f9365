//! The one finding type. Every stage (load, parse, validate) produces [`Diagnostic`]s and every
//! reporter consumes them; nothing else carries a finding.

use std::fmt;

/// Bytes `offset..offset + len` of the input as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// The first byte.
    pub offset: usize,
    /// How many bytes.
    pub len: usize,
}

impl Span {
    /// Bytes `offset..offset + len`.
    pub const fn new(offset: usize, len: usize) -> Self {
        Span { offset, len }
    }

    /// The byte just past the span.
    pub const fn end(&self) -> usize {
        self.offset + self.len
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
/// How much a finding weighs: errors fail the run, warnings are reported.
pub enum Severity {
    /// Reported; fails the run only with `--max-warnings` or `-D warning`.
    Warning,
    /// Fails the run (exit code 1).
    Error,
}

impl Severity {
    /// `error` or `warning`, as every report writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// What a code is about; `--strict` turns every drift finding into an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// Reading the input or the schema.
    Input,
    /// The bytes and the JSON syntax.
    Syntax,
    /// A constraint of the JSON Schema.
    Schema,
    /// Where the live API is known to differ from the documentation.
    Drift,
    /// What no correct response can contain.
    Semantic,
    /// The HTTP exchange around the body (status, headers).
    Http,
    /// What an OpenAPI document (`--openapi`) says of the exchange.
    Contract,
}

impl Category {
    /// The category as `profile-lint rules` and the reports name it.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Input => "input",
            Category::Syntax => "syntax",
            Category::Schema => "schema",
            Category::Drift => "drift",
            Category::Semantic => "semantic",
            Category::Http => "http",
            Category::Contract => "contract",
        }
    }
}

/// The documentation of a code: a rule's is the Markdown file beside its code
/// (`rules/<module>.md`); that of a finding the pipeline makes itself is `rules/docs/<name>.md`.
macro_rules! docs_of {
    ($name:literal) => {
        include_str!(concat!("rules/docs/", $name, ".md"))
    };
    ($name:literal, $module:ident) => {
        include_str!(concat!("rules/", stringify!($module), ".md"))
    };
}

macro_rules! codes {
    ($( $variant:ident = $code:literal, $name:literal, $severity:ident, $category:ident, $phase:ident $($module:ident)?, $summary:literal; )*) => {
        /// Every kind of finding, with a stable code that users can configure and search for.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $( #[doc = $summary] $variant, )*
        }

        impl Code {
            /// All codes, in the order they are documented.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The stable code, e.g. `S004`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// The kebab-case name, which reads well after "allow".
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// The severity unless `profile-lint.toml` or a flag says otherwise.
            pub fn default_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            /// What the code is about.
            pub fn category(self) -> Category {
                match self { $(Code::$variant => Category::$category,)* }
            }

            /// One line on what the code reports.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary,)* }
            }

            /// What it reports, why it matters, and an example (Markdown).
            pub fn docs(self) -> &'static str {
                match self { $(Code::$variant => docs_of!($name $(, $module)?),)* }
            }
        }
    };
}

/// Every code, once: its variant, code, name, default severity and category, then who finds
/// it, then a one-line summary. `found` is a finding the pipeline makes itself (reading,
/// parsing, the schema); a rule gives its phase and its module in `src/rules/`, which is all
/// it takes to run it (the rules module writes its engine from these lines). The phases, in the order they run: `capture` (a
/// whole capture file), `exchange` (an HTTP response's status and headers), `request` (its
/// request's parameters), `document` (a response read whole), `user` (one user alone) and
/// `users` (each user against those before it).
macro_rules! registry {
    ($then:ident) => {
        $then! {
            UnreadableInput = "I001", "unreadable-input", Error, Input, found, "the input could not be read";
            InvalidSchema = "I002", "invalid-schema", Error, Input, found, "the schema given cannot be used";
            InvalidConfig = "I003", "invalid-config", Error, Input, found, "profile-lint.toml cannot be used";
            StaleBaselineEntry = "I004", "stale-baseline-entry", Warning, Input, found, "a baseline entry matches no finding any more";
            InvalidBaseline = "I005", "invalid-baseline", Error, Input, found, "the --baseline file cannot be used";
            InvalidOpenapi = "I006", "invalid-openapi", Error, Input, found, "the --openapi document cannot be used";
            InvalidEncoding = "P001", "invalid-encoding", Error, Syntax, found, "the input is not UTF-8 text";
            ByteOrderMark = "P002", "byte-order-mark", Error, Syntax, found, "the input starts with a byte order mark";
            InvalidJson = "P003", "invalid-json", Error, Syntax, found, "the input is not well-formed JSON";
            NestingTooDeep = "P004", "nesting-too-deep", Error, Syntax, found, "arrays and objects nest deeper than 128 levels";
            DuplicateKey = "P005", "duplicate-key", Error, Syntax, found, "an object has the same key twice";
            InvalidCapture = "P006", "invalid-capture", Error, Syntax, found, "a HAR file or HTTP response is malformed around the body";
            UserTooLarge = "P007", "user-too-large", Error, Syntax, found, "one user holds more than 100,000 values, too many to check";
            InvalidRoot = "S001", "invalid-root", Error, Schema, found, "the response is neither an array of users nor a user";
            WrongType = "S002", "wrong-type", Error, Schema, found, "a value has the wrong JSON type";
            MissingField = "S003", "missing-field", Error, Schema, found, "an object lacks required fields";
            TooLong = "S004", "too-long", Error, Schema, found, "a string is longer than the documented limit";
            UnknownValue = "S005", "unknown-value", Error, Schema, found, "a value is not one of the documented values";
            PatternMismatch = "S006", "pattern-mismatch", Error, Schema, found, "a string does not match its documented pattern";
            InvalidDateTime = "S007", "invalid-date-time", Error, Schema, found, "a value is not an ISO 8601 date-time";
            InvalidEmail = "S008", "invalid-email", Error, Schema, found, "a value is not an email address";
            SchemaViolation = "S009", "schema-violation", Error, Schema, found, "a value breaks another schema constraint";
            RootIsObject = "D001", "root-is-object", Warning, Drift, document root_is_object, "the response is one user, the documentation says an array";
            NonBase58Id = "D002", "non-base58-id", Warning, Drift, user non_base58_id, "an id is not Base58 as documented";
            NonUtcOffset = "D003", "non-utc-offset", Warning, Drift, user non_utc_offset, "a date-time has an offset other than UTC";
            ColorNotHex = "D004", "color-not-hex", Warning, Drift, user color_not_hex, "a label colour is not #RRGGBB as documented";
            UndocumentedField = "D005", "undocumented-field", Warning, Drift, user undocumented_field, "a field the documentation does not list";
            EmptyChangedByEmail = "D006", "empty-changed-by-email", Warning, Drift, user empty_changed_by_email, "changed_by.email is empty (an API user)";
            DuplicateUserId = "R001", "duplicate-user-id", Error, Semantic, users duplicate_user_id, "two users have the same id";
            FirstLoginAfterLastLogin = "R002", "first-login-after-last-login", Error, Semantic, user first_login_after_last_login, "first_login is later than last_login";
            FutureDateTime = "R003", "future-date-time", Warning, Semantic, user future_date_time, "a date-time is after the capture";
            InconsistentChangedBy = "R004", "inconsistent-changed-by", Warning, Semantic, users inconsistent_changed_by, "one changed_by id has two emails or names";
            UnsortedResponse = "R005", "unsorted-response", Error, Semantic, users unsorted_response, "the users are not in the requested ordering";
            UnknownOrderingField = "R006", "unknown-ordering-field", Warning, Semantic, request unknown_ordering_field, "the request orders by a field users do not have";
            SearchTermMissing = "R007", "search-term-missing", Warning, Semantic, user search_term_missing, "a user does not contain the search term";
            UnexpectedStatus = "H001", "unexpected-status", Error, Http, exchange unexpected_status, "the response is not the success (200) the documentation describes";
            WrongContentType = "H002", "wrong-content-type", Warning, Http, exchange wrong_content_type, "the Content-Type is not application/json";
            NoMatchingEntry = "H003", "no-matching-entry", Warning, Http, capture no_matching_entry, "a HAR file has no GET entry for the endpoint";
            UndocumentedOperation = "O001", "undocumented-operation", Warning, Contract, found, "no operation of the OpenAPI document describes the exchange";
            UndocumentedStatus = "O002", "undocumented-status", Error, Contract, found, "the operation does not document the response's status";
            UndocumentedMediaType = "O003", "undocumented-media-type", Error, Contract, found, "the response does not document the Content-Type";
            WriteOnlyInResponse = "O004", "write-only-in-response", Error, Contract, found, "a writeOnly property is in a response";
            UnlistedField = "O005", "unlisted-field", Warning, Drift, found, "a field the OpenAPI schema does not list";
        }
    };
}
pub(crate) use registry;

registry!(codes);

impl Code {
    /// Every way to name a code: its names, then its codes.
    pub fn spellings() -> Vec<&'static str> {
        let names = Code::ALL.iter().map(|c| c.name());
        names.chain(Code::ALL.iter().map(|c| c.as_str())).collect()
    }

    /// The code named by `text`: its code (`D002`, any case) or its name (`non-base58-id`).
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(text) || c.name() == text)
    }

    /// Whether users may change its severity. A file that cannot be read or parsed cannot be
    /// checked, so those findings are always errors.
    pub fn is_configurable(self) -> bool {
        !matches!(
            self,
            Code::UnreadableInput
                | Code::InvalidSchema
                | Code::InvalidConfig
                | Code::InvalidBaseline
                | Code::InvalidOpenapi
                | Code::InvalidEncoding
                | Code::InvalidJson
                | Code::NestingTooDeep
                | Code::UserTooLarge
                | Code::InvalidCapture
        )
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secondary place that explains the finding (e.g. the first of two duplicate keys).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// The place.
    pub span: Span,
    /// What is there, in a few words.
    pub label: String,
}

/// One finding in one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// What kind of finding it is.
    pub code: Code,
    /// Its weight: the code's default, or as configured.
    pub severity: Severity,
    /// One short phrase of what is wrong.
    pub message: String,
    /// What would be valid, in the documentation's own words where it has them.
    pub help: Option<String>,
    /// RFC 6901 pointer of the offending value; `None` for input and syntax errors.
    pub pointer: Option<String>,
    /// Where in the input as written; `None` when the input could not be read.
    pub span: Option<Span>,
    /// Text of the label on the span in a code frame.
    pub label: Option<String>,
    /// Other places that explain it (the first of two duplicate keys).
    pub related: Vec<Related>,
    /// The 1-based line and column (in characters) of the span's start, when it was worked
    /// out while the text was at hand (large captures are not kept in memory).
    pub at: Option<(usize, usize)>,
}

impl Diagnostic {
    /// A finding with the code's default severity.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.default_severity(),
            message: message.into(),
            help: None,
            pointer: None,
            span: None,
            label: None,
            related: Vec::new(),
            at: None,
        }
    }

    #[must_use]
    /// Places the finding at `span`.
    pub fn with_span(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    #[must_use]
    /// The JSON pointer (RFC 6901) of the value, from the response's root.
    pub fn with_pointer(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    #[must_use]
    /// What would be valid.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    #[must_use]
    /// The help, if there is one.
    pub fn with_optional_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    #[must_use]
    /// The words beside the underlined value.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    #[must_use]
    /// Another place that explains the finding, with its own words.
    pub fn with_related(mut self, span: Span, label: impl Into<String>) -> Self {
        self.related.push(Related { span, label: label.into() });
        self
    }

    /// Whether the finding is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_and_names_are_unique() {
        let codes: HashSet<_> = Code::ALL.iter().map(|c| c.as_str()).collect();
        let names: HashSet<_> = Code::ALL.iter().map(|c| c.name()).collect();
        assert_eq!(codes.len(), Code::ALL.len());
        assert_eq!(names.len(), Code::ALL.len());
    }

    #[test]
    fn every_code_is_documented_in_three_parts() {
        for code in Code::ALL {
            let docs = code.docs();
            for part in ["## What it does", "## Why", "## Example"] {
                assert!(docs.contains(part), "{code} lacks {part:?}");
            }
        }
    }

    #[test]
    fn codes_parse_from_code_or_name() {
        assert_eq!(Code::parse("d002"), Some(Code::NonBase58Id));
        assert_eq!(Code::parse("non-base58-id"), Some(Code::NonBase58Id));
        assert_eq!(Code::parse("nope"), None);
    }

    #[test]
    fn names_are_kebab_case() {
        for code in Code::ALL {
            let name = code.name();
            assert!(
                name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{name} is not kebab-case"
            );
        }
    }

    /// One name per rule: `Code::UnknownValue` is S005 `unknown-value`.
    #[test]
    fn the_rust_name_is_the_kebab_name() {
        for code in Code::ALL {
            let camel: String =
                code.name().split('-').map(|word| word[..1].to_uppercase() + &word[1..]).collect();
            assert_eq!(format!("{code:?}"), camel, "{}", code.as_str());
        }
    }
}
