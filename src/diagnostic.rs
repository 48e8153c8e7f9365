//! The one finding type. Every stage (load, parse, validate) produces [`Diagnostic`]s and every
//! reporter consumes them; nothing else carries a finding.

use std::fmt;

/// Bytes `offset..offset + len` of the input as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub offset: usize,
    pub len: usize,
}

impl Span {
    pub const fn new(offset: usize, len: usize) -> Self {
        Span { offset, len }
    }

    pub const fn end(&self) -> usize {
        self.offset + self.len
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $name:literal, $severity:ident, $summary:literal; )*) => {
        /// Every kind of finding, with a stable code that users can configure and search for.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
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

            pub fn default_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            /// One line on what the code reports.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary,)* }
            }
        }
    };
}

codes! {
    /// The input could not be read at all.
    Unreadable = "I001", "unreadable-input", Error, "the input could not be read";
    /// A schema given with `--schema` that is not valid JSON or does not compile.
    InvalidSchema = "I002", "invalid-schema", Error, "the schema given with --schema cannot be used";
    /// The bytes are not UTF-8 text.
    NotUtf8 = "P001", "invalid-encoding", Error, "the input is not UTF-8 text";
    /// A UTF-8 byte order mark before the JSON text.
    ByteOrderMark = "P002", "byte-order-mark", Error, "the input starts with a byte order mark";
    /// Malformed JSON.
    Syntax = "P003", "invalid-json", Error, "the input is not well-formed JSON";
    /// Arrays and objects nested deeper than the parser reads.
    TooDeep = "P004", "nesting-too-deep", Error, "arrays and objects nest deeper than 128 levels";
    /// The same key twice in one object.
    DuplicateKey = "P005", "duplicate-key", Error, "an object has the same key twice";
    /// The root is neither the documented array nor a single user.
    RootShape = "S001", "invalid-root", Error, "the response is neither an array of users nor a user";
    /// A value of the wrong JSON type.
    WrongType = "S002", "wrong-type", Error, "a value has the wrong JSON type";
    /// Required fields are missing.
    MissingField = "S003", "missing-field", Error, "an object lacks required fields";
    /// A string longer than documented.
    TooLong = "S004", "too-long", Error, "a string is longer than the documented limit";
    /// A value outside a documented list (such as `title`).
    NotAllowed = "S005", "unknown-value", Error, "a value is not one of the documented values";
    /// A string that does not match a documented pattern (such as a label `color`).
    PatternMismatch = "S006", "pattern-mismatch", Error, "a string does not match its documented pattern";
    /// A date-time the documentation's format does not allow, or an impossible date.
    InvalidDateTime = "S007", "invalid-date-time", Error, "a value is not an ISO 8601 date-time";
    /// An email address that is not one.
    InvalidEmail = "S008", "invalid-email", Error, "a value is not an email address";
    /// Any other schema keyword (from a schema given with `--schema`).
    SchemaViolation = "S009", "schema-violation", Error, "a value breaks another schema constraint";
    /// The root is one user object, where the documentation describes an array of users.
    RootIsObject = "D001", "root-is-object", Warning, "the response is one user, the documentation says an array";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secondary place that explains the finding (e.g. the first of two duplicate keys).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub span: Span,
    pub label: String,
}

/// One finding in one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
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
    pub related: Vec<Related>,
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
        }
    }

    #[must_use]
    pub fn with_span(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    #[must_use]
    pub fn with_pointer(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    #[must_use]
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    #[must_use]
    pub fn with_related(mut self, span: Span, label: impl Into<String>) -> Self {
        self.related.push(Related { span, label: label.into() });
        self
    }

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
    fn names_are_kebab_case() {
        for code in Code::ALL {
            let name = code.name();
            assert!(
                name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{name} is not kebab-case"
            );
        }
    }
}
