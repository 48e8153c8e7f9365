//! The `email` format, fast for the addresses real responses hold.
//!
//! Every user has two or three emails, so the check runs on every one. The jsonschema crate's
//! own check parses the full RFC 5322 grammar, which is most of the time spent on a passing
//! user. An address of the plain shape (`dot-atom@host.name`) is valid under that grammar too,
//! so it is accepted here at once; anything else (quoted local parts, IP literals, non-ASCII,
//! and every invalid address) goes to the crate's own check, so the verdicts are the same.

use std::sync::Arc;

/// The format check to register under `email`.
pub fn checker() -> impl Fn(&str) -> bool + Send + Sync + 'static {
    let full = jsonschema::options()
        .should_validate_formats(true)
        .build(&serde_json::json!({"format": "email"}))
        .map(Arc::new)
        .ok();
    move |email: &str| {
        plain(email)
            || full
                .as_ref()
                .is_some_and(|v| v.is_valid(&serde_json::Value::String(email.to_owned())))
    }
}

/// `local@domain` where the local part is a dot-atom of RFC 5322 `atext` (at most 64
/// characters) and the domain is two or more hostname labels with a letter in the last.
pub fn plain(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else { return false };
    let atext = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~-".contains(&b);
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local.split('.').all(|atom| !atom.is_empty() && atom.bytes().all(atext));
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    let tld = domain.rsplit_once('.').map(|(_, tld)| tld);
    let domain_ok = domain.len() <= 253
        && domain.split('.').all(label_ok)
        && tld.is_some_and(|tld| tld.bytes().any(|b| b.is_ascii_alphabetic()));
    local_ok && domain_ok && email.len() <= 254
}

#[cfg(test)]
mod tests {
    use super::*;

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
