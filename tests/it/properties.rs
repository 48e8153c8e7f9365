//! Properties over random responses: a valid response passes, and one injected violation is
//! reported exactly once, at its pointer, on the exact bytes, at the right line and column,
//! whether the response is minified or pretty-printed.

use proptest::prelude::*;
use serde_json::{Value, json};

use profile_lint::source::line_columns;
use profile_lint::{Code, Linter};

const BASE58: &str = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const TITLES: &[&str] = &["ceo", "cto", "cso", "seceng", "dev", "devop", "manager", "other", ""];

fn id() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(BASE58.chars().collect::<Vec<_>>()), 12..23)
        .prop_map(|c| c.into_iter().collect())
}

/// Names with non-ASCII letters, quotes and backslashes, as JSON escapes them.
fn name() -> impl Strategy<Value = String> {
    "[A-Za-zÀ-ÿ\\u{0100}-\\u{017F}ßØ'\"\\\\ -]{1,40}"
        .prop_map(|s| s.trim().to_owned())
        .prop_filter("not empty", |s| !s.is_empty())
}

fn email() -> impl Strategy<Value = String> {
    ("[a-z]{1,10}", proptest::option::of("[a-z0-9]{1,6}"), "[a-z]{2,10}", "(com|io|pt|co\\.uk)")
        .prop_map(|(local, tag, host, tld)| match tag {
            Some(tag) => format!("{local}+{tag}@{host}.{tld}"),
            None => format!("{local}@{host}.{tld}"),
        })
}

fn date_time() -> impl Strategy<Value = String> {
    (2019u32..2026, 1u32..13, 1u32..29, 0u32..24, 0u32..60, 0u32..60, 0usize..3).prop_map(
        |(y, mo, d, h, mi, s, form)| {
            let base = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}");
            match form {
                0 => format!("{base}.8208302"),
                1 => format!("{base}.071929Z"),
                _ => format!("{base}Z"),
            }
        },
    )
}

fn changed_by() -> impl Strategy<Value = Value> {
    (id(), email(), name())
        .prop_map(|(id, email, name)| json!({"id": id, "email": email, "name": name}))
}

fn label() -> impl Strategy<Value = Value> {
    (id(), "[a-z]{1,12}", 0u32..0x1000000, changed_by(), date_time()).prop_map(|(id, name, color, cb, changed)| {
        json!({"id": id, "name": name, "color": format!("#{color:06X}"), "changed_by": cb, "changed": changed})
    })
}

/// A user as the documentation describes it; first and last logins in order, ids distinct
/// (the index makes them so), one `changed_by` person per id.
fn user(index: usize) -> impl Strategy<Value = Value> {
    (
        (id(), email(), name(), proptest::sample::select(TITLES), any::<bool>()),
        (changed_by(), date_time(), proptest::collection::vec(label(), 0..3), "[a-z]{0,8}"),
        (proptest::option::of((date_time(), date_time())), any::<[bool; 4]>()),
    )
        .prop_map(move |((id, email, name, title, billing), (cb, changed, labels, roles), (logins, flags))| {
            let (first, last) = match logins {
                Some((a, b)) if a[..19] <= b[..19] => (json!(a), json!(b)),
                Some((a, b)) => (json!(b), json!(a)),
                None => (Value::Null, Value::Null),
            };
            // Distinct changed_by ids per user, so no two users disagree about one person.
            let mut cb = cb;
            cb["id"] = json!(format!("{}{index}", cb["id"].as_str().unwrap_or_default()).replace('0', "1"));
            let labels: Vec<Value> = labels
                .into_iter()
                .enumerate()
                .map(|(i, mut l)| {
                    l["changed_by"] = cb.clone();
                    l["id"] = json!(format!("{}{i}", l["id"].as_str().unwrap_or_default()).replace('0', "1"));
                    l
                })
                .collect();
            json!({
                "id": format!("{id}{index}").replace('0', "1"), "email": email, "name": name, "title": title,
                "is_billing_admin": billing, "changed_by": cb, "changed": changed, "active": flags[0],
                "labels": labels, "user_roles": roles, "last_login": last, "is_apiuser": flags[1],
                "intercom_user_id": "", "is_sso": flags[2], "is_owner": flags[3], "mfa_enabled": false,
                "first_login": first,
            })
        })
}

fn response() -> impl Strategy<Value = Vec<Value>> {
    (1usize..6).prop_flat_map(|n| (0..n).map(user).collect::<Vec<_>>())
}

/// One violation: where it goes (a pointer under a user), the value, and its code.
fn violation() -> impl Strategy<Value = (&'static str, Value, Code)> {
    prop_oneof![
        Just(("/title", json!("CEO"), Code::UnknownValue)),
        Just(("/name", json!("x".repeat(61)), Code::TooLong)),
        Just(("/email", json!("not-an-email"), Code::InvalidEmail)),
        Just(("/changed", json!("2023-02-30T00:00:00Z"), Code::InvalidDateTime)),
        Just(("/is_sso", json!("false"), Code::WrongType)),
        Just(("/changed_by/name", json!(42), Code::WrongType)),
    ]
}

fn render(users: &[Value], pretty: bool) -> String {
    if pretty {
        serde_json::to_string_pretty(users).unwrap()
    } else {
        serde_json::to_string(users).unwrap()
    }
}

fn linter() -> Linter {
    Linter::new().captured_at("2026-11-29T00:00:00Z".parse().unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn valid_responses_pass(users in response(), pretty in any::<bool>()) {
        let text = render(&users, pretty);
        let diagnostics = linter().lint(text.as_bytes());
        prop_assert!(diagnostics.is_empty(), "{diagnostics:#?}\n{text}");
    }

    #[test]
    fn one_violation_is_reported_once_at_its_place(
        users in response(),
        pick in any::<prop::sample::Index>(),
        (field, value, code) in violation(),
        pretty in any::<bool>(),
    ) {
        let mut users = users;
        let at = pick.index(users.len());
        *users[at].pointer_mut(field).unwrap() = value.clone();
        let text = render(&users, pretty);
        let diagnostics = linter().lint(text.as_bytes());
        prop_assert_eq!(diagnostics.len(), 1, "{:#?}\n{}", diagnostics, text);
        let d = &diagnostics[0];
        prop_assert_eq!(d.code, code);
        let expected = format!("/{at}{field}");
        prop_assert_eq!(d.pointer.as_deref(), Some(expected.as_str()));
        // The span is the value as written...
        let span = d.span.unwrap();
        let written: Value = serde_json::from_str(&text[span.offset..span.end()]).unwrap();
        prop_assert_eq!(&written, &value);
        // ...and line and column are where an editor shows its first character.
        let (line, column) = line_columns(&text, &[span.offset])[0];
        let line_text = text.lines().nth(line - 1).unwrap();
        let from_column: String = line_text.chars().skip(column - 1).collect();
        prop_assert!(from_column.starts_with(&text[span.offset..span.end()].chars().take(8).collect::<String>()));
    }
}

/// Names of every length of UTF-8 character: Latin, Cyrillic, CJK (three bytes), letters
/// beyond the Basic Multilingual Plane (four), combining accents, quotes and backslashes.
fn wide_name() -> impl Strategy<Value = String> {
    "[A-Za-zÀ-ÿĀ-ſЀ-џ李小龍𝒜𝒞𠀀\\u{301}'\"\\\\ -]{1,50}"
        .prop_map(|s| s.trim().to_owned())
        .prop_filter("not empty", |s| !s.is_empty())
}

/// Where each finding is, as every report says it: pointer, span, related spans, line and
/// column, and the header of its code frame.
fn places(path: &std::path::Path, redact: bool, streamed: bool) -> (Vec<String>, Vec<String>) {
    let path = path.to_path_buf();
    let options = profile_lint::Options {
        redact,
        stream_threshold: if streamed { 0 } else { u64::MAX },
        ..profile_lint::Options::default()
    };
    let linter = linter().with_options(options);
    let name = path.display().to_string();
    let checked = linter.check(name, Ok(profile_lint::input::Input::File(path)));
    let report = &checked.reports[0];
    let found = report.diagnostics.iter().zip(report.positions()).map(|(d, at)| {
        let related: Vec<_> = d.related.iter().map(|r| r.span).collect();
        format!("{} {:?} {:?} {related:?} {at:?}", d.code, d.pointer, d.span)
    });
    let mut human = Vec::new();
    let options = profile_lint::report::HumanOptions { group: false, ..Default::default() };
    profile_lint::report::write(
        profile_lint::report::Format::Human(options),
        &checked.reports,
        &profile_lint::report::Summary::of(&checked.reports),
        &mut human,
    )
    .unwrap();
    let headers = String::from_utf8(human)
        .unwrap()
        .lines()
        .filter(|l| l.contains("─["))
        .map(str::to_owned)
        .collect();
    (found.collect(), headers)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// A redacted report points where the plain one does, whole or streamed: masks keep the
    /// bytes and the characters of what they mask.
    #[test]
    fn redaction_moves_no_position(
        users in response(),
        names in proptest::collection::vec(wide_name(), 6),
        pick in any::<prop::sample::Index>(),
        (field, value, _) in violation(),
        pretty in any::<bool>(),
    ) {
        let mut users = users;
        for (i, user) in users.iter_mut().enumerate() {
            user["name"] = json!(names[i % names.len()]);
            user["changed_by"]["name"] = json!(names[(i + 1) % names.len()]);
            // An email that is not one: its finding quotes a non-ASCII value.
            if i % 2 == 1 {
                user["email"] = json!(names[(i + 2) % names.len()]);
            }
        }
        let at = pick.index(users.len());
        *users[at].pointer_mut(field).unwrap() = value;
        let text = render(&users, pretty);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.json");
        std::fs::write(&path, &text).unwrap();
        let plain = places(&path, false, false);
        prop_assert!(!plain.0.is_empty());
        for (redact, streamed) in [(true, false), (true, true), (false, true)] {
            let found = places(&path, redact, streamed);
            prop_assert_eq!(&found, &plain, "redact {} streamed {}\n{}", redact, streamed, text);
        }
    }
}
