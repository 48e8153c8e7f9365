//! Every finding lands on the exact value as written: pointer, byte span, line and column.

use profile_lint::source::line_columns;
use profile_lint::{Code, Diagnostic, Linter};

/// The one finding with `code`, with the text it points at and its line and column.
fn find<'a>(
    text: &'a str,
    diagnostics: &[Diagnostic],
    code: Code,
) -> (Diagnostic, &'a str, (usize, usize)) {
    let matching: Vec<_> = diagnostics.iter().filter(|d| d.code == code).collect();
    assert_eq!(matching.len(), 1, "one {code} in {diagnostics:#?}");
    let d = matching[0].clone();
    let span = d.span.unwrap();
    let at = line_columns(text, &[span.offset])[0];
    (d, &text[span.offset..span.end()], at)
}

fn user_with(field: &str, value: &str) -> String {
    let mut user = String::from(
        r#"{"id":"7HFbzkQ5T2ZtqNvK9mWxYp","email":"ana@example.com","name":"Ana","title":"dev","is_billing_admin":false,"changed_by":{"id":"3kTMd8RqLwZs5VbNc2HxJe","email":"joao@example.com","name":"João"},"changed":"2023-08-09T13:27:43.8208302","active":true,"user_roles":"admin","last_login":null,"is_apiuser":false,"intercom_user_id":"","is_sso":false,"is_owner":false,"mfa_enabled":false,"first_login":null}"#,
    );
    let key = format!("\"{field}\":");
    let start = user.find(&key).unwrap() + key.len();
    let end = start + user[start..].find([',', '}']).unwrap();
    user.replace_range(start..end, value);
    user
}

#[test]
fn minified_and_pretty_files_point_at_the_same_value() {
    let minified = format!("[{}]", user_with("title", r#""CEO""#));
    let value: serde_json::Value = serde_json::from_str(&minified).unwrap();
    let pretty = serde_json::to_string_pretty(&value).unwrap();
    let linter = Linter::new();

    let (d, text, at) = find(&minified, &linter.lint(minified.as_bytes()), Code::UnknownValue);
    assert_eq!((d.pointer.as_deref(), text), (Some("/0/title"), r#""CEO""#));
    assert_eq!(at, (1, minified.find(r#""CEO""#).unwrap() + 1));

    let (d, text, at) = find(&pretty, &linter.lint(pretty.as_bytes()), Code::UnknownValue);
    assert_eq!((d.pointer.as_deref(), text), (Some("/0/title"), r#""CEO""#));
    let line = pretty[..pretty.find(r#""CEO""#).unwrap()].lines().count();
    assert_eq!(at, (line, 14));
}

#[test]
fn columns_count_characters_after_non_ascii_text_on_the_line() {
    // "João" and "Ünïcödé" come before the bad value on the same line.
    let src = format!(
        "[{}]",
        user_with("name", r#""Ünïcödé""#).replace(r#""title":"dev""#, r#""title":"Dev""#)
    );
    let (_, text, (line, column)) =
        find(&src, &Linter::new().lint(src.as_bytes()), Code::UnknownValue);
    assert_eq!(text, r#""Dev""#);
    let offset = src.find(r#""Dev""#).unwrap();
    assert_eq!(line, 1);
    assert_eq!(column, src[..offset].chars().count() + 1);
    assert!(column < offset + 1, "columns are characters, not bytes");
}

#[test]
fn escaped_value_is_spanned_as_written_and_judged_decoded() {
    let src = format!("[{}]", user_with("title", r#""C\u0045O""#));
    let (d, text, _) = find(&src, &Linter::new().lint(src.as_bytes()), Code::UnknownValue);
    assert_eq!(text, r#""C\u0045O""#);
    assert!(d.message.contains(r#""CEO""#), "{}", d.message);
    assert!(d.help.unwrap().contains(r#"did you mean "ceo""#));
}

#[test]
fn escaped_key_is_matched_by_its_decoded_name() {
    let long = format!("\"{}\"", "é".repeat(61));
    let src =
        format!("[{}]", user_with("name", &long).replace(r#""name":"é"#, r#""na\u006de":"é"#));
    let (d, text, _) = find(&src, &Linter::new().lint(src.as_bytes()), Code::TooLong);
    assert_eq!(d.pointer.as_deref(), Some("/0/name"));
    assert_eq!(text, long);
    assert!(d.message.contains("61 characters long, over the limit of 60"), "{}", d.message);
}

#[test]
fn keys_with_slash_and_tilde_are_escaped_in_pointers() {
    let schema = r#"{"type": "object", "properties": {"a/b": {"type": "string"}, "c~d": {"type": "string"}}}"#;
    let linter = Linter::with_schema(schema).unwrap();
    let src = "{\"c~d\": \"ok\", \"a/b\": 42}";
    let (d, text, at) = find(src, &linter.lint(src.as_bytes()), Code::WrongType);
    assert_eq!((d.pointer.as_deref(), text, at), (Some("/a~1b"), "42", (1, 22)));
}

#[test]
fn numeric_looking_key_is_a_key_not_an_index() {
    let schema = r#"{"type": "object", "properties": {"0": {"type": "string"}}}"#;
    let linter = Linter::with_schema(schema).unwrap();
    let src = "{\"1\": [], \"0\": [true]}";
    let (d, text, _) = find(src, &linter.lint(src.as_bytes()), Code::WrongType);
    assert_eq!((d.pointer.as_deref(), text), (Some("/0"), "[true]"));
}

#[test]
fn missing_fields_point_at_the_object_and_are_named_together() {
    let src = "[\n  {\"id\": \"x\", \"email\": \"a@b.co\"}\n]";
    let (d, text, at) = find(src, &Linter::new().lint(src.as_bytes()), Code::MissingField);
    assert_eq!(text, "{\"id\": \"x\", \"email\": \"a@b.co\"}");
    assert_eq!(at, (2, 3));
    assert_eq!(d.pointer.as_deref(), Some("/0"));
    for field in ["name", "title", "changed_by", "first_login"] {
        assert!(d.message.contains(&format!("`{field}`")), "{}", d.message);
    }
    assert!(!d.message.contains("`labels`"), "labels is optional");
}

#[test]
fn duplicate_key_labels_the_later_key_and_the_first() {
    let src = r#"[{"title": "dev", "title": "boss"}]"#;
    let diagnostics = Linter::new().lint(src.as_bytes());
    let (d, text, _) = find(src, &diagnostics, Code::DuplicateKey);
    assert_eq!(text, r#""title""#);
    assert_eq!(d.span.unwrap().offset, 18);
    assert_eq!(d.related[0].span.offset, 2);
    // The later value is the one validated.
    let (_, text, _) = find(src, &diagnostics, Code::UnknownValue);
    assert_eq!(text, r#""boss""#);
}

#[test]
fn diagnostics_are_ordered_by_offset() {
    let src = format!("[{}, {}]", user_with("title", "\"X\""), user_with("email", "\"nope\""));
    let offsets: Vec<usize> =
        Linter::new().lint(src.as_bytes()).iter().map(|d| d.span.unwrap().offset).collect();
    assert!(offsets.len() >= 2 && offsets.is_sorted(), "{offsets:?}");
}

#[test]
fn byte_order_mark_is_reported_and_the_rest_still_checked() {
    let src = "\u{feff}[{\"title\": \"CEO\"}]";
    let diagnostics = Linter::new().lint(src.as_bytes());
    assert_eq!(diagnostics[0].code, Code::ByteOrderMark);
    let (_, text, at) = find(src, &diagnostics, Code::UnknownValue);
    // Editors do not show the mark, so it takes no column.
    assert_eq!((text, at), ("\"CEO\"", (1, 12)));
}
