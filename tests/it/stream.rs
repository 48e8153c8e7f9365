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

/// A HAR entry, as browsers write them (pretty, with headers), of `method url` answered with
/// `status` and `text`, the body written as a JSON string.
fn har_entry(method: &str, url: &str, status: u16, mime: &str, content: &str) -> String {
    format!(
        r#"{{
      "startedDateTime": "2026-01-02T03:04:05.678Z",
      "request": {{"method": "{method}", "url": {url}, "httpVersion": "HTTP/1.1", "headers": [], "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0}},
      "response": {{"status": {status}, "statusText": "", "httpVersion": "HTTP/1.1",
        "headers": [{{"name": "Content-Type", "value": "{mime}"}}], "cookies": [],
        "content": {content}, "redirectURL": "", "headersSize": -1, "bodySize": -1}},
      "cache": {{}}, "timings": {{"send": 0, "wait": 1, "receive": 0}}
    }}"#,
        url = serde_json::to_string(url).unwrap(),
    )
}

/// `users` as a `/profile/` body, the way a HAR holds it: escaped in a JSON string.
fn har_text(users: &[serde_json::Value]) -> String {
    let body = serde_json::to_string_pretty(&users).unwrap();
    format!(
        r#"{{"size": {}, "mimeType": "application/json", "text": {}}}"#,
        body.len(),
        serde_json::to_string(&body).unwrap()
    )
}

/// Generated users, some of them invalid, as values.
fn users(dir: &Path, n: usize, seed: u64) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(generate(dir, n, false, seed)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// A browser session: images whose base64 bodies are too long to keep, a `data:` URL, a
/// redirect, a revalidation, and `/profile/` bodies small and large, plain and base64, one
/// asked for with a search term longer than what the walk keeps of a string.
fn browser_session(dir: &Path) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let image = b64.encode(vec![7u8; 200_000]);
    let picture = format!(
        r#"{{"size": 200000, "mimeType": "image/png", "encoding": "base64", "text": "{image}"}}"#
    );
    let few = users(dir, 30, 21);
    let many = users(dir, 400, 22);
    let encoded = b64.encode(serde_json::to_string(&few).unwrap());
    let entries = [
        har_entry("GET", "https://app.probely.com/logo.png", 200, "image/png", &picture),
        har_entry("GET", &format!("data:image/png;base64,{image}"), 200, "image/png", &picture),
        har_entry(
            "GET",
            "https://api.probely.com/profile/",
            200,
            "application/json",
            &har_text(&few),
        ),
        har_entry(
            "GET",
            "https://api.probely.com/profile/?ordering=name",
            200,
            "application/json",
            &har_text(&many),
        ),
        har_entry(
            "GET",
            "https://api.probely.com/profile/",
            304,
            "application/json",
            r#"{"size": 0, "mimeType": "application/json"}"#,
        ),
        har_entry(
            "GET",
            &format!("https://api.probely.com/profile/?search={}", "Jo".repeat(40_000)),
            200,
            "application/json",
            &har_text(&few),
        ),
        har_entry(
            "GET",
            "https://api.probely.com/profile/",
            200,
            "application/json",
            &format!(
                r#"{{"size": 1, "mimeType": "application/json", "encoding": "base64", "text": "{encoded}"}}"#
            ),
        ),
        har_entry(
            "POST",
            "https://api.probely.com/profile/",
            500,
            "text/html",
            r#"{"size": 4, "mimeType": "text/html", "text": "oops"}"#,
        ),
    ];
    format!(
        "{{\n  \"log\": {{\n    \"version\": \"1.2\",\n    \"creator\": {{\"name\": \"WebInspector\", \"version\": \"537.36\"}},\n    \"pages\": [],\n    \"entries\": [\n    {}\n    ]\n  }}\n}}\n",
        entries.join(",\n    ")
    )
}

#[test]
fn a_large_har_file_is_walked_an_entry_at_a_time_with_the_report_of_a_whole_read() {
    let dir = tempfile::tempdir().unwrap();
    let session = browser_session(dir.path());
    let cases = [
        ("session.har", session.clone().into_bytes()),
        ("crlf.har", session.replace('\n', "\r\n").into_bytes()),
        ("bom.har", [b"\xEF\xBB\xBF".as_slice(), session.as_bytes()].concat()),
        ("minified.har", session.replace("\n", "").into_bytes()),
    ];
    for (name, bytes) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        same_both_ways(&path, &[]);
        same_json_both_ways(&path, &["--max-per-rule", "3"]);
        same_json_both_ways(&path, &["--openapi", "corpus/openapi/probely-profile.yaml"]);
    }
    let report = report(&dir.path().join("session.har"), "0", &[]);
    assert!(report.contains("#entries[3]") && report.contains("\"line\""), "{report}");
}

#[test]
fn unusual_har_files_are_reported_as_when_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let long = "A".repeat(100_000);
    let entry = |text: &str| {
        let content = format!(
            r#"{{"size": 1, "mimeType": "image/png", "encoding": "base64", "text": "{text}"}}"#
        );
        har_entry("GET", "https://x.test/a.png", 200, "image/png", &content)
    };
    let har = |entries: &str| format!(r#"{{"log": {{"version": "1.2", "entries": [{entries}]}}}}"#);
    let cases = [
        ("bad-escape-in-long-string.har", har(&entry(&format!("{long}\\x{long}")))),
        ("control-character-in-long-string.har", har(&entry(&format!("{long}\t{long}")))),
        ("lone-surrogate-in-long-string.har", har(&entry(&format!("{long}\\ud800{long}")))),
        ("truncated.har", har(&entry(&long))[..80_000].to_owned()),
        ("trailing-comma.har", har(&format!("{},", entry(&long)))),
        ("two-logs.har", format!(r#"{},"log": 1}}"#, har(&entry(&long)).trim_end_matches('}'))),
        ("escaped-key.har", har(&entry(&long)).replacen("\"log\"", "\"l\\u006fg\"", 1)),
        ("entries-not-an-array.har", format!(r#"{{"log": {{"entries": {{"a": "{long}"}}}}}}"#)),
        ("root-array.har", format!("[{}]", entry(&long))),
        ("garbage-after.har", format!("{} x", har(&entry(&long)))),
        ("scalar-entries.har", har(&format!("1, \"{long}\", null, {}", entry(&long)))),
    ];
    for (name, text) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        same_json_both_ways(&path, &[]);
    }
    let invalid = std::fs::read(dir.path().join("bad-escape-in-long-string.har")).unwrap();
    let path = dir.path().join("invalid-utf8.har");
    std::fs::write(&path, [&invalid[..50_000], b"\xFF", &invalid[50_001..]].concat()).unwrap();
    same_json_both_ways(&path, &[]);
}

#[test]
fn a_large_json_lines_file_is_checked_in_blocks_of_lines() {
    let dir = tempfile::tempdir().unwrap();
    let all = users(dir.path(), 3000, 23);
    let mut lines: Vec<String> = all.iter().map(|u| serde_json::to_string(&[u]).unwrap()).collect();
    lines[5] = "[{\"id\": ".to_owned();
    lines[9] = String::new();
    lines[700] = serde_json::to_string(&all[700]).unwrap();
    lines[1400] = "<html>502 Bad Gateway</html>".to_owned();
    let text = lines.join("\n");
    let cases = [
        ("lines.jsonl", text.clone().into_bytes()),
        ("crlf.jsonl", lines.join("\r\n").into_bytes()),
        ("bom.jsonl", [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat()),
        ("blank-lines.ndjson", format!("\n\n{}\n\n", lines.join("\n \n")).into_bytes()),
        ("pretty.jsonl", format!("[\n{}\n]", lines.join(",\n")).into_bytes()),
        ("invalid-utf8.jsonl", [text.as_bytes(), b"\n[\"\xFF\"]\n"].concat()),
    ];
    for (name, bytes) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        same_both_ways(&path, &[]);
        same_json_both_ways(&path, &["--max-per-rule", "5", "-j", "3"]);
        same_json_both_ways(&path, &["--openapi", "corpus/openapi/probely-profile.yaml"]);
    }
}

#[test]
fn the_body_of_a_large_raw_http_response_is_checked_in_blocks() {
    let dir = tempfile::tempdir().unwrap();
    let body = std::fs::read_to_string(generate(dir.path(), 2500, true, 24)).unwrap();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nDate: Tue, 01 Dec 2026 10:00:00 GMT\r\n\r\n";
    let cases = [
        ("ok.http", format!("{head}{body}")),
        ("wrong-type.http", format!("{}{body}", head.replace("application/json", "text/html"))),
        (
            "redirected.http",
            format!("HTTP/1.1 302 Found\r\nLocation: /profile/\r\n\r\n{head}{body}"),
        ),
        ("error.http", format!("{}{body}", head.replace("200 OK", "500 Internal Server Error"))),
        ("bom.http", format!("{head}\u{feff}{body}")),
        ("html.http", format!("{head}<html>{body}")),
        (
            "chunked.http",
            format!(
                "{}{:x}\r\n{body}\r\n0\r\n\r\n",
                head.replace("Date", "Transfer-Encoding: chunked\r\nDate"),
                body.len()
            ),
        ),
        ("no-blank-line.http", format!("{}{body}", head.trim_end())),
    ];
    for (name, text) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        same_both_ways(&path, &[]);
        same_json_both_ways(&path, &["--openapi", "corpus/openapi/probely-profile.yaml"]);
    }
}

/// What profile-lint writes to its standard error when that is a terminal (a pseudo-terminal
/// here), with the bar shown at once rather than after a second.
#[cfg(unix)]
fn stderr_on_a_terminal(path: &Path, extra: &[&str]) -> String {
    use std::io::Read;
    use std::os::fd::FromRawFd;
    let (mut leader, mut follower) = (0, 0);
    let (name, terminal, size) = (std::ptr::null_mut(), std::ptr::null(), std::ptr::null());
    // SAFETY: openpty writes two new descriptors, which are owned by the files made of them.
    let opened = unsafe { libc::openpty(&mut leader, &mut follower, name, terminal, size) };
    assert_eq!(opened, 0, "a pseudo-terminal");
    let (mut leader, follower) =
        unsafe { (std::fs::File::from_raw_fd(leader), std::fs::File::from_raw_fd(follower)) };
    let mut child = profile_lint()
        .arg(path)
        .args(["--no-config"])
        .args(extra)
        .env("PROFILE_LINT_PROGRESS_DELAY_MS", "0")
        .stdout(std::process::Stdio::null())
        .stderr(follower)
        .spawn()
        .unwrap();
    let reader = std::thread::spawn(move || {
        let mut seen = Vec::new();
        // The read ends with an error once the child, the last holder of the terminal, exits.
        let _ = leader.read_to_end(&mut seen);
        String::from_utf8_lossy(&seen).into_owned()
    });
    child.wait().unwrap();
    reader.join().unwrap()
}

#[cfg(unix)]
#[test]
fn a_progress_bar_is_drawn_only_for_a_person_watching() {
    let dir = tempfile::tempdir().unwrap();
    let path = generate(dir.path(), 9_000, true, 25);
    assert!(stderr_on_a_terminal(&path, &[]).contains("checking"), "a bar on a terminal");
    for quiet in [&["--quiet"][..], &["--format", "json"], &["--format", "sarif"]] {
        let seen = stderr_on_a_terminal(&path, quiet);
        assert!(!seen.contains("checking"), "no bar with {quiet:?}: {seen}");
    }
    let piped = profile_lint().arg(&path).env("PROFILE_LINT_PROGRESS_DELAY_MS", "0").output();
    assert!(
        !String::from_utf8_lossy(&piped.unwrap().stderr).contains("checking"),
        "no bar in a pipe"
    );
}
