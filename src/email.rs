//! The `email` format, fast for the addresses real responses hold.
//!
//! Every user has two or three emails, so the check runs on every one. The jsonschema crate's
//! own check parses the full RFC 5322 grammar, which is most of the time spent on a passing
//! user. An address of the plain shape (`dot-atom@host.name`) is valid under that grammar too,
//! so it is accepted here at once; anything else (quoted local parts, IP literals, non-ASCII,
//! and every invalid address) goes to the crate's own check, so the verdicts are the same.

use std::sync::OnceLock;

/// The format check to register under `email`.
pub fn checker() -> impl Fn(&str) -> bool + Send + Sync + 'static {
    // The crate's check is compiled for the first address that is not plain, which most runs
    // never meet.
    let full = OnceLock::new();
    move |email: &str| {
        plain(email)
            || full
                .get_or_init(|| {
                    jsonschema::options()
                        .should_validate_formats(true)
                        .build(&serde_json::json!({"format": "email"}))
                        .ok()
                })
                .as_ref()
                .is_some_and(|v| v.is_valid(&serde_json::Value::String(email.to_owned())))
    }
}

/// The symbols RFC 5322 `atext` allows in a local part besides letters and digits.
const ATEXT_SYMBOLS: &str = "!#$%&'*+/=?^_`{|}~-";

/// `local@domain` where the local part is a dot-atom of RFC 5322 `atext` (at most 64
/// characters) and the domain is two or more hostname labels with a letter in the last.
pub fn plain(email: &str) -> bool {
    // One pass over the bytes: every user has two or three addresses, so this is on the
    // path of every check.
    let bytes = email.as_bytes();
    let Some(at) = memchr::memchr(b'@', bytes) else { return false };
    let (local, domain) = (&bytes[..at], &bytes[at + 1..]);
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local.first() != Some(&b'.')
        && local.last() != Some(&b'.')
        && !local.windows(2).any(|w| w == b"..")
        && local.iter().all(|&b| b == b'.' || ATEXT[usize::from(b)]);
    local_ok && domain.len() <= 253 && plain_domain(domain) && email.len() <= 254
}

/// Two or more hostname labels (letters, digits, inner hyphens, at most 63 each), with a
/// letter in the last.
fn plain_domain(domain: &[u8]) -> bool {
    let label_ok = |label: &[u8]| {
        !label.is_empty()
            && label.len() <= 63
            && label[0] != b'-'
            && label[label.len() - 1] != b'-'
            && label.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-')
    };
    let Some(dot) = memchr::memrchr(b'.', domain) else { return false };
    let tld = &domain[dot + 1..];
    tld.iter().any(u8::is_ascii_alphabetic) && domain.split(|&b| b == b'.').all(label_ok)
}

/// The bytes of RFC 5322 `atext`: letters, digits and [`ATEXT_SYMBOLS`].
const ATEXT: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    let symbols = ATEXT_SYMBOLS.as_bytes();
    let mut i = 0;
    while i < symbols.len() {
        table[symbols[i] as usize] = true;
        i += 1;
    }
    table
};

/// Why an address that failed the check is not one, in words a person can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    NoAt,
    Whitespace,
    NothingBeforeAt,
    NothingAfterAt,
    TwoAts,
    LongLocalPart(usize),
    LocalDot(&'static str),
    EmptyLabel,
    LongLabel(usize),
    LabelHyphen,
    NotInLocalPart(char),
    NotInDomain(char),
    /// A domain over 253 characters (RFC 1035 2.3.4): the address is too long as a whole too.
    LongDomain(usize),
    /// Something the full grammar rejects that no plainer rule above names.
    Other,
}

impl Problem {
    /// The first plain rule `email` breaks, for an address the check rejected.
    pub fn of(email: &str) -> Problem {
        let Some((local, domain)) = email.rsplit_once('@') else { return Problem::NoAt };
        let quoted = local.len() >= 2 && local.starts_with('"') && local.ends_with('"');
        if email.chars().any(char::is_whitespace) && !quoted {
            return Problem::Whitespace;
        }
        if local.is_empty() {
            return Problem::NothingBeforeAt;
        }
        if domain.is_empty() {
            return Problem::NothingAfterAt;
        }
        if local.contains('@') && !quoted {
            return Problem::TwoAts;
        }
        let length = local.chars().count();
        if length > 64 {
            return Problem::LongLocalPart(length);
        }
        if !quoted {
            if local.starts_with('.') {
                return Problem::LocalDot("starts with a dot");
            }
            if local.ends_with('.') {
                return Problem::LocalDot("ends with a dot");
            }
            if local.contains("..") {
                return Problem::LocalDot("has two dots in a row");
            }
            let atext = |c: char| c.is_alphanumeric() || c == '.' || ATEXT_SYMBOLS.contains(c);
            if let Some(c) = local.chars().find(|c| !atext(*c)) {
                return Problem::NotInLocalPart(c);
            }
        }
        if !(domain.starts_with('[') && domain.ends_with(']')) {
            for label in domain.split('.') {
                if label.is_empty() {
                    return Problem::EmptyLabel;
                }
                if label.chars().count() > 63 {
                    return Problem::LongLabel(label.chars().count());
                }
                if label.starts_with('-') || label.ends_with('-') {
                    return Problem::LabelHyphen;
                }
                if let Some(c) = label.chars().find(|c| !c.is_alphanumeric() && *c != '-') {
                    return Problem::NotInDomain(c);
                }
            }
        }
        match domain.chars().count() {
            n if n > 253 => Problem::LongDomain(n),
            _ => Problem::Other,
        }
    }

    /// Why, as the end of a sentence that starts with the address.
    pub fn reason(&self) -> String {
        match self.cause() {
            Some(cause) => format!("is not an email address: {cause}"),
            None => "is not an email address".into(),
        }
    }

    /// The rule broken, when a plain one names it.
    fn cause(&self) -> Option<String> {
        Some(match self {
            Problem::NoAt => "it has no `@`".into(),
            Problem::Whitespace => "it contains a space".into(),
            Problem::NothingBeforeAt => "nothing comes before the `@`".into(),
            Problem::NothingAfterAt => "no domain comes after the `@`".into(),
            Problem::TwoAts => "it has more than one `@`".into(),
            Problem::LongLocalPart(n) => {
                format!("the part before the `@` is {n} characters, over the limit of 64")
            }
            Problem::LocalDot(how) => format!("the part before the `@` {how}"),
            Problem::EmptyLabel => {
                "its domain has an empty label (a dot at an end, or two in a row)".into()
            }
            Problem::LongLabel(n) => {
                format!("a label of its domain is {n} characters, over the limit of 63")
            }
            Problem::LabelHyphen => "a label of its domain starts or ends with `-`".into(),
            Problem::NotInLocalPart(c) => {
                format!("{c:?} cannot appear before the `@` unless that part is quoted")
            }
            Problem::NotInDomain(c) => format!("{c:?} cannot appear in a domain name"),
            Problem::LongDomain(n) => {
                format!("the domain is {n} characters, over the limit of 253")
            }
            Problem::Other => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each way of failing names its own cause.
    #[test]
    fn each_problem_is_named() {
        let long_local = format!("{}@x.co", "a".repeat(65));
        let long_label = format!("a@{}.co", "b".repeat(64));
        let long_domain = format!("a@{}.co", [60, 60, 60, 60, 9].map(|n| "b".repeat(n)).join("."));
        let cases = [
            ("ana.silva.example.com", Problem::NoAt),
            ("ana silva@example.com", Problem::Whitespace),
            ("@example.com", Problem::NothingBeforeAt),
            ("ana@", Problem::NothingAfterAt),
            ("ana@silva@example.com", Problem::TwoAts),
            (&long_local, Problem::LongLocalPart(65)),
            (".ana@x.co", Problem::LocalDot("starts with a dot")),
            ("ana.@x.co", Problem::LocalDot("ends with a dot")),
            ("a..b@x.co", Problem::LocalDot("has two dots in a row")),
            ("a@x..co", Problem::EmptyLabel),
            ("a@.x.co", Problem::EmptyLabel),
            (&long_label, Problem::LongLabel(64)),
            ("a@-x.co", Problem::LabelHyphen),
            ("a,b@x.co", Problem::NotInLocalPart(',')),
            ("a@x_y.co", Problem::NotInDomain('_')),
            (&long_domain, Problem::LongDomain(256)),
        ];
        let check = checker();
        for (email, problem) in cases {
            assert!(!check(email), "{email:?} is rejected");
            assert_eq!(Problem::of(email), problem, "{email:?}");
        }
        // The length of the whole address is `maxLength`'s (S004): the format leaves it alone,
        // so one cause gives one finding.
        let domain = [60, 60, 60, 10].map(|n| "b".repeat(n)).join(".");
        let long = format!("{}@{domain}.co", "a".repeat(60));
        assert!(long.len() > 254 && check(&long), "{}", long.len());
    }

    /// Whatever the fast path accepts, the full check accepts too.
    #[test]
    fn the_fast_path_agrees_with_the_full_check() {
        let full = jsonschema::options()
            .should_validate_formats(true)
            .build(&serde_json::json!({"format": "email"}))
            .unwrap();
        let cases = [
            "joao.silva+owner@probely.com",
            "a@b.co",
            "x@mail.example.co.uk",
            "o'brien@example.ie",
            "a.b-c_d@sub-domain.example.org",
            "user{tag}@x-y.io",
            "1@2.a3",
            "ana.silva.example.com",
            "a..b@x.co",
            ".a@x.co",
            "a@-x.co",
            "a@x-.co",
            "a@x",
            "a@x.123",
            "\"quoted\"@x.co",
            "a@[127.0.0.1]",
            "joão@x.co",
            "a@xn--bcher-kva.example",
            "not-an-email",
            "",
        ];
        for email in cases {
            let fast = plain(email);
            let slow = full.is_valid(&serde_json::Value::String(email.to_owned()));
            assert!(!fast || slow, "{email:?}: the fast path accepts what the full check rejects");
        }
        let check = checker();
        for email in cases {
            assert_eq!(
                check(email),
                full.is_valid(&serde_json::Value::String(email.to_owned())),
                "{email:?}"
            );
        }
    }
}
