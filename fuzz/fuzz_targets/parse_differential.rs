//! profile-lint's JSON parser against serde_json on the same bytes: the same verdict (accept or
//! reject) and, when both accept, the same value. The documented differences are left out:
//! numbers beyond `f64` (profile-lint keeps them as written; serde_json rejects them), and the
//! nesting limit (both stop near 128 levels, counted differently). Duplicate keys are accepted
//! by both, the last value winning in both.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|bytes: &[u8]| {
    let theirs = serde_json::from_slice::<Value>(bytes);
    // profile-lint reads text: bytes that are not UTF-8 are P001 before any parsing, and
    // serde_json rejects them too.
    let Ok(text) = std::str::from_utf8(bytes) else {
        assert!(theirs.is_err(), "serde_json accepted bytes that are not UTF-8");
        return;
    };
    let ours = profile_lint::parse_document(text);
    match (&ours, &theirs) {
        (Ok(mine), Ok(value)) => assert!(same(mine, value), "values differ: {mine} / {value}"),
        (Err(error), Ok(_)) => assert!(error.too_deep, "profile-lint rejected what serde_json took: {}", error.message),
        (Ok(_), Err(error)) => {
            let documented = error.to_string().contains("number out of range")
                || error.to_string().contains("recursion limit");
            assert!(documented, "profile-lint accepted what serde_json rejected: {error}");
        }
        (Err(_), Err(_)) => {}
    }
});

/// Equal as JSON values; numbers by their value as `f64` (serde_json reads integers past
/// `u64` as floats, profile-lint keeps the digits and converts the same way).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            x == y || x.as_f64().zip(y.as_f64()).is_some_and(|(x, y)| x == y)
        }
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}
