//! The real binary, run as a user or a CI job would: exit codes, formats, inputs.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn profile_lint(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_profile-lint"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).expect("stdout is one JSON document")
}

#[test]
fn valid_corpus_exits_zero_with_warnings_allowed() {
    let output = profile_lint(&["corpus/valid"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(
        stdout(&output).contains("0 errors, 7 warnings in 2 of 6 files"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn every_invalid_fixture_fails_on_its_own() {
    for entry in
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/invalid")).unwrap()
    {
        let path = entry.unwrap().path();
        let output = profile_lint(&[path.to_str().unwrap(), "--format", "json"]);
        assert_eq!(output.status.code(), Some(1), "{}", path.display());
        assert!(json(&output)["summary"]["errors"].as_u64().unwrap() >= 1, "{}", path.display());
    }
}

#[test]
fn live_api_shape_passes_with_only_drift_warnings() {
    let output = profile_lint(&["corpus/valid/live-api-single-user.json", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    let report = json(&output);
    let diagnostics = report["files"][0]["diagnostics"].as_array().unwrap();
    let mut codes: Vec<&str> = diagnostics.iter().map(|d| d["code"].as_str().unwrap()).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes, ["D001", "D002", "D004", "D006"]);
    assert!(diagnostics.iter().all(|d| d["severity"] == "warning"));
}

#[test]
fn unreadable_input_exits_two_and_the_others_are_still_checked() {
    let output = profile_lint(&[
        "corpus/invalid/title-in-capitals.json",
        "no/such/file.json",
        "corpus/valid/empty-array.json",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let report = json(&output);
    let files = report["files"].as_array().unwrap();
    assert_eq!(files.len(), 3, "every input is reported, in the order given");
    assert_eq!(files[0]["diagnostics"][0]["code"], "S005");
    assert_eq!(files[1]["path"], "no/such/file.json");
    assert_eq!(files[1]["diagnostics"][0]["code"], "I001");
    assert_eq!(files[1]["diagnostics"][0]["line"], serde_json::Value::Null);
    assert_eq!(files[2]["diagnostics"].as_array().unwrap().len(), 0);
}

#[test]
fn usage_error_exits_two() {
    assert_eq!(profile_lint(&[]).status.code(), Some(2));
    assert_eq!(profile_lint(&["x.json", "--format", "yaml"]).status.code(), Some(2));
}

#[test]
fn stdin_is_read_with_a_dash() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_profile-lint"))
        .args(["-", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(br#"[{"title": "CTO"}]"#).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output);
    assert_eq!(report["files"][0]["path"], "<stdin>");
    let codes: Vec<_> = report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].clone())
        .collect();
    assert_eq!(codes, ["S003", "S005"]);
}

#[test]
fn json_report_has_the_documented_shape() {
    let output = profile_lint(&["corpus/invalid/title-in-capitals.json", "--format", "json"]);
    let report = json(&output);
    assert_eq!(report["version"], 1);
    assert_eq!(report["summary"], serde_json::json!({"files": 1, "errors": 1, "warnings": 0}));
    let d = &report["files"][0]["diagnostics"][0];
    let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    let mut expected =
        ["code", "severity", "message", "help", "pointer", "line", "column", "offset", "length"];
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    expected.sort_unstable();
    assert_eq!(sorted, expected);
    assert_eq!(d["pointer"], "/0/title");
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(6), Some(14)));
    assert_eq!(d["length"], 5);
    let raw = stdout(&output);
    assert!(
        raw.find("\"code\"").unwrap() < raw.find("\"length\"").unwrap(),
        "fields keep the documented order"
    );
}

#[test]
fn a_directory_is_searched_for_json_files_recursively() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("nested")).unwrap();
    std::fs::write(dir.path().join("nested/a.json"), "[]").unwrap();
    std::fs::write(dir.path().join("b.JSON"), "[]").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not json").unwrap();
    let output = profile_lint(&[dir.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    let report = json(&output);
    let paths: Vec<String> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(paths.len(), 2);
    assert!(paths[0].ends_with("b.JSON") && paths[1].ends_with("a.json"), "{paths:?}");
}

#[test]
fn a_schema_that_does_not_compile_is_a_usage_error_pointing_into_it() {
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("bad.schema.json");
    std::fs::write(&schema, "{\n  \"type\": \"strng\"\n}\n").unwrap();
    let output = profile_lint(&[
        "corpus/valid/empty-array.json",
        "--schema",
        schema.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let d = &json(&output)["files"][0]["diagnostics"][0];
    assert_eq!(d["code"], "I002");
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(2), Some(11)));
}

#[test]
fn no_color_when_not_a_terminal() {
    let output = profile_lint(&["corpus/invalid/title-in-capitals.json"]);
    assert!(!stdout(&output).contains('\u{1b}'), "no escape codes in a pipe");
}
