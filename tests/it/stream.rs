//! Large bodies are read in blocks and checked on every core. Whatever the input, that path
//! gives the very same report as checking the file whole: same findings, same spans, same
//! lines and columns. Each case runs both ways and compares the JSON reports byte for byte.

use std::path::Path;

use crate::common::{failing_items, profile_lint};

#[path = "../../examples/gen_corpus/generator.rs"]
mod generator;

fn report(path: &Path, threshold: &str, extra: &[&str]) -> String {
    run(path, threshold, "json", extra)
}

fn run(path: &Path, threshold: &str, format: &str, extra: &[&str]) -> String {
    let output = profile_lint()
        .arg(path)
        .args(["--format", format, "--no-group", "--no-config", "--stream-threshold", threshold])
        .args(extra)
        .output()
        .unwrap();
    String::from_utf8(output.stdout).unwrap()
}

fn same_both_ways(path: &Path, extra: &[&str]) {
    same_json_both_ways(path, extra);
    // Code frames too: a large file's are read back from disk around each finding. (A second
    // label more than 128 KiB from the first is left out there: these cases have none.)
    let streamed = run(path, "0", "human", extra);
    let whole = run(path, "18446744073709551615", "human", extra);
    assert_eq!(streamed, whole, "{}: the human reports differ", path.display());
}

fn same_json_both_ways(path: &Path, extra: &[&str]) {
    let streamed = report(path, "0", extra);
    let whole = report(path, "18446744073709551615", extra);
    assert!(streamed.contains("\"summary\""), "{streamed}");
    assert_eq!(streamed, whole, "{} differs", path.display());
}

fn generate(dir: &Path, users: usize, pretty: bool, seed: u64) -> std::path::PathBuf {
    let out = dir.join(format!("gen-{users}-{pretty}-{seed}"));
    let options = generator::Options { users, files: 1, out, invalid_rate: 0.05, pretty, seed };
    let written = generator::write(&options).expect("the generator writes to a temporary folder");
    written.files[0].clone()
}

#[test]
fn generated_captures_with_errors_across_many_blocks() {
    let dir = tempfile::tempdir().unwrap();
    // About 2.6 MB pretty (three blocks) and 1.5 MB on one line (two).
    for (users, pretty) in [(2500, true), (2200, false)] {
        let path = generate(dir.path(), users, pretty, 7);
        same_both_ways(&path, &[]);
        let report = report(&path, "0", &[]);
        assert!(report.contains("\"line\""), "positions are there");
        // Kept and counted the same way too, whichever block a finding comes from.
        same_json_both_ways(&path, &["--max-per-rule", "7"]);
    }
}

#[test]
fn tiny_items_that_all_fail_are_counted_across_blocks() {
    let dir = tempfile::tempdir().unwrap();
    let path = failing_items(dir.path(), 300_000);
    same_json_both_ways(&path, &["--max-per-rule", "100"]);
    let report: serde_json::Value = serde_json::from_str(&report(&path, "0", &[])).unwrap();
    assert_eq!(report["summary"]["errors"], 300_000);
    assert_eq!(report["files"][0]["diagnostics"].as_array().unwrap().len(), 10_000);
}

#[test]
fn comparisons_across_blocks_and_line_endings() {
    let dir = tempfile::tempdir().unwrap();
    let user = |i: usize, name: &str| {
        format!(
            r#"{{"id": "U{i}", "email": "u{i}@example.com", "name": "{name}", "title": "dev", "is_billing_admin": false,
  "changed_by": {{"id": "C", "email": "c@example.com", "name": "Çarla {}"}}, "changed": "2023-01-01T00:00:00Z",
  "active": true, "user_roles": "", "last_login": null, "is_apiuser": false, "intercom_user_id": "",
  "is_sso": false, "is_owner": false, "mfa_enabled": false, "first_login": null}}"#,
            i % 1000 / 999
        )
    };
    // 2,500 users (two blocks): duplicate ids and an inconsistent changed_by far apart, names
    // out of order.
    let users: Vec<String> = (0..2500)
        .map(|i| user(if i == 2499 { 3 } else { i }, if i % 7 == 0 { "Zoë" } else { "Ana" }))
        .collect();
    for (name, separator) in
        [("lf.json", ",\n"), ("crlf.json", ",\r\n"), ("cr.json", ",\r"), ("tight.json", ",")]
    {
        let path = dir.path().join(name);
        let body = format!("  [{}]  \n", users.join(separator));
        let body = if name == "crlf.json" { body.replace('\n', "\r\n") } else { body };
        std::fs::write(&path, body).unwrap();
        same_json_both_ways(&path, &["--ordering", "name"]);
        same_json_both_ways(&path, &["--ordering", "name", "--redact"]);
    }
}

// Regression: --redact read every large file whole, and compared each personal value with
// each finding: a 17 MB capture took minutes.
#[test]
fn redacted_large_files_are_streamed_with_the_positions_of_the_plain_report() {
    let dir = tempfile::tempdir().unwrap();
    let path = generate(dir.path(), 2500, true, 11);
    same_both_ways(&path, &["--redact"]);
    let positions = |extra: &[&str]| {
        let report: serde_json::Value = serde_json::from_str(&report(&path, "0", extra)).unwrap();
        let diagnostics = report["files"][0]["diagnostics"].as_array().unwrap().clone();
        let at =
            |d: &serde_json::Value| (d["line"].clone(), d["column"].clone(), d["offset"].clone());
        diagnostics.iter().map(at).collect::<Vec<_>>()
    };
    assert_eq!(positions(&["--redact"]), positions(&[]));
    // The frames read back from disk are masked: no email of the file is in the report.
    let text = std::fs::read_to_string(&path).unwrap();
    let human = run(&path, "0", "human", &["--redact"]);
    assert!(human.contains("──"), "the report has frames");
    let emails = text.lines().filter_map(|l| l.trim().strip_prefix("\"email\": \""));
    for email in emails.map(|e| e.trim_end_matches(['"', ','])).filter(|e| e.len() > 8) {
        assert!(!human.contains(email), "{email} leaks");
    }
}

#[test]
fn unusual_files_are_reported_as_when_checked_whole() {
    let dir = tempfile::tempdir().unwrap();
    let one = r#"{"id": "x", "title": "CEO"}"#;
    let many = vec![one; 5_000].join(",\n");
    let cases: [(&str, Vec<u8>); 10] = [
        ("mismatched-root.json", format!("[{many}}}").into_bytes()),
        ("form-feed-before.json", format!("\x0c[{many}]").into_bytes()),
        ("form-feed-inside.json", b"[\x0c]".to_vec()),
        ("truncated.json", format!("[{many}").into_bytes()),
        ("trailing-comma.json", format!("[{many},]").into_bytes()),
        ("bom.json", [b"\xEF\xBB\xBF".as_slice(), format!("[{many}]").as_bytes()].concat()),
        ("object.json", one.as_bytes().to_vec()),
        ("garbage-after.json", format!("[{many}] x").into_bytes()),
        ("invalid-utf8.json", [format!("[{many},").as_bytes(), b"{\"name\": \"\xFF\"}]"].concat()),
        ("empty-array.json", b" [ ] ".to_vec()),
    ];
    for (name, bytes) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        same_json_both_ways(&path, &[]);
    }
}

#[test]
fn any_number_of_threads_gives_the_same_report() {
    let dir = tempfile::tempdir().unwrap();
    let path = generate(dir.path(), 2500, true, 11);
    let whole = report(&path, "18446744073709551615", &[]);
    for threads in ["1", "2", "5"] {
        assert_eq!(report(&path, "0", &["-j", threads]), whole, "-j {threads}, streamed");
    }
    // Many inputs, side by side or one after the other: the reports in the order given.
    // (Not all of corpus/: R003 names the time of the run.)
    let folder = report(Path::new("corpus/invalid"), "18446744073709551615", &["-j", "1"]);
    assert_eq!(report(Path::new("corpus/invalid"), "18446744073709551615", &["-j", "3"]), folder);
    let zero = profile_lint().args(["-j", "0", "corpus/valid"]).output().unwrap();
    assert_eq!(zero.status.code(), Some(2), "no threads is a usage error");
}
