//! Hostile input: shapes no real response has, built to make a checker crash, hang or eat
//! memory. Each must get its findings, counted exactly, in time linear in its size. (A
//! quadratic slip shows here as a test that never ends; none of these asserts a time.)

use profile_lint::{Code, Linter};

fn codes(diagnostics: &[profile_lint::Diagnostic], code: Code) -> usize {
    diagnostics.iter().filter(|d| d.code == code).count()
}

/// A user with every required field, and `extra` spliced in after them.
fn user_with(extra: &str) -> String {
    format!(r#"{{"id": "2C5zbUFu3VDn", "email": "a@example.com", "name": "A"{extra}}}"#)
}

const MANY: usize = 100_000;

#[test]
fn an_object_that_repeats_one_key_a_hundred_thousand_times() {
    let members = vec![r#""title": "dev""#; MANY].join(",");
    let found = Linter::new().lint(format!("[{}]", user_with(&format!(", {members}"))).as_bytes());
    assert_eq!(codes(&found, Code::DuplicateKey), MANY - 1);
    let last = found.iter().rfind(|d| d.code == Code::DuplicateKey).unwrap();
    assert_eq!(last.pointer.as_deref(), Some("/0/title"));
}

#[test]
fn an_object_with_a_hundred_thousand_keys() {
    let members: Vec<String> = (0..MANY).map(|i| format!(r#""k{i}": 1"#)).collect();
    let found = Linter::new()
        .lint(format!("[{}]", user_with(&format!(", {}", members.join(",")))).as_bytes());
    assert_eq!(codes(&found, Code::UndocumentedField), MANY);
    assert_eq!(codes(&found, Code::DuplicateKey), 0);
}

#[test]
fn a_hundred_thousand_labels_each_lacking_its_fields() {
    let labels = vec!["{}"; MANY].join(",");
    let found = Linter::new()
        .lint(format!("[{}]", user_with(&format!(r#", "labels": [{labels}]"#))).as_bytes());
    let in_labels = |d: &&profile_lint::Diagnostic| {
        d.code == Code::MissingField
            && d.pointer.as_ref().is_some_and(|p| p.starts_with("/0/labels/"))
    };
    assert_eq!(found.iter().filter(in_labels).count(), MANY);
    let last = found.iter().rfind(|d| d.code == Code::MissingField).unwrap();
    assert_eq!(last.pointer.as_deref(), Some(format!("/0/labels/{}", MANY - 1).as_str()));
}

#[test]
fn a_hundred_thousand_labels_of_the_wrong_type() {
    let labels = vec!["1"; MANY].join(",");
    let found = Linter::new()
        .lint(format!("[{}]", user_with(&format!(r#", "labels": [{labels}]"#))).as_bytes());
    assert_eq!(codes(&found, Code::WrongType), MANY);
}
