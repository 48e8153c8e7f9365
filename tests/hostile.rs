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

mod common;
use common::run;

/// Runs the binary on `files` (name, bytes) written to a fresh folder, with `args` after.
/// Returns the exit code (none if a signal ended it) and the JSON report.
fn check(files: &[(&str, &[u8])], args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let dir = tempfile::tempdir().unwrap();
    let mut argv: Vec<String> = Vec::new();
    for (name, bytes) in files {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        argv.push(path.to_str().unwrap().to_owned());
    }
    argv.extend(args.iter().map(|a| a.replace("{dir}", dir.path().to_str().unwrap())));
    argv.extend(["--format".into(), "json".into()]);
    let output = run(&argv.iter().map(String::as_str).collect::<Vec<_>>());
    let report = serde_json::from_slice(&output.stdout).unwrap_or(serde_json::Value::Null);
    (output.status.code(), report)
}

/// Each schema is refused (exit 2) with I002 at a place in the schema file, and a message.
#[test]
fn untrusted_schemas_are_refused_with_a_place_in_them() {
    let mut chain = serde_json::Map::new();
    for i in 0..30 {
        let next = serde_json::json!({"$ref": format!("#/$defs/a{}", i + 1)});
        chain.insert(format!("a{i}"), serde_json::json!({"anyOf": [next, {"allOf": [next]}]}));
    }
    chain.insert("a30".into(), serde_json::json!({"type": "string"}));
    let exponential =
        serde_json::json!({"$defs": chain, "type": "array", "items": {"$ref": "#/$defs/a0"}});
    let exponential = serde_json::to_string_pretty(&exponential).unwrap();
    let cases: &[(&str, &str, (u64, u64))] = &[
        ("{\n  \"type\": \"strng\"\n}", "does not compile", (2, 11)),
        (r#"{"type": "array", "items": {"pattern": "(unclosed"}}"#, "is not a \"regex\"", (1, 40)),
        (r#"{"type": "array", "items": {"pattern": "(?=look)"}}"#, "is not a \"regex\"", (1, 40)),
        (r##"{"type": "array", "items": {"$ref": "#/$defs/none"}}"##, "does not exist", (1, 37)),
        (
            r#"{"type": "array", "items": {"$ref": "https://example.com/user.json"}}"#,
            "Retrieval is disabled",
            (1, 37),
        ),
        (r#"{"type": "array", "items": {"$ref": "user.json"}}"#, "is not present", (1, 37)),
        (&exponential, "can apply more than 10000 subschemas to one value", (4, 7)),
    ];
    for (schema, message, (line, column)) in cases {
        let (code, report) = check(
            &[("response.json", b"[]"), ("schema.json", schema.as_bytes())],
            &["--schema", "{dir}/schema.json"],
        );
        assert_eq!(code, Some(2), "{schema}");
        let d = &report["files"][0]["diagnostics"][0];
        assert_eq!(d["code"], "I002", "{schema}");
        assert!(d["message"].as_str().unwrap().contains(message), "{schema}: {d}");
        assert_eq!(
            (d["line"].as_u64(), d["column"].as_u64()),
            (Some(*line), Some(*column)),
            "{schema}: {d}"
        );
    }
}

#[test]
fn a_pattern_that_backtracks_exponentially_elsewhere_runs_in_linear_time() {
    let schema = br#"{"type": "array", "items": {"properties": {"name": {"pattern": "^(a+)+$"}}}}"#;
    let response = format!(r#"[{{"name": "{}!"}}]"#, "a".repeat(100_000));
    let (code, report) = check(
        &[("response.json", response.as_bytes()), ("schema.json", schema)],
        &["--schema", "{dir}/schema.json"],
    );
    assert_eq!(code, Some(1));
    assert_eq!(report["files"][0]["diagnostics"][0]["code"], "S006");
}

// Ctrl-C in the middle of a long run: the run stops at once with 130, the report it was to
// replace is the old one, whole, and no temporary file is left beside it.
#[test]
fn an_interrupted_run_stops_and_leaves_the_old_report() {
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("numbers.json");
    // Seconds of work for a debug build, far more than the wait below.
    std::fs::write(&capture, format!("[{}]", vec!["1"; 1_000_000].join(","))).unwrap();
    let report = dir.path().join("report.json");
    std::fs::write(&report, "the old report").unwrap();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_profile-lint"))
        .arg(&capture)
        .args(["--no-config", "--format", "json", "--output"])
        .arg(&report)
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let pid = child.id().to_string();
    let kill = std::process::Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(kill.success());
    let status = child.wait_with_output().unwrap().status;
    assert_eq!(status.code(), Some(130));
    assert_eq!(std::fs::read_to_string(&report).unwrap(), "the old report");
    let mut left: Vec<_> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    left.sort();
    assert_eq!(left, ["numbers.json", "report.json"]);
}
