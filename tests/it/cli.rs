//! The real binary, run as a user or a CI job would: exit codes, formats, inputs.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::common;

/// The binary with `args`, from the project's folder, as it would run without `NO_COLOR`.
fn profile_lint(args: &[&str]) -> Output {
    common::profile_lint().args(args).env_remove("NO_COLOR").output().expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Writes `contents` to a file named `name` in a fresh folder and checks it, with no
/// configuration; the run must find something (exit 1). Returns its human output.
fn human_report_of(name: &str, contents: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, contents).unwrap();
    let output = profile_lint(&[path.to_str().unwrap(), "--no-config"]);
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    stdout(&output)
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).expect("stdout is one JSON document")
}

#[test]
fn valid_corpus_exits_zero_with_warnings_allowed() {
    let output = profile_lint(&["corpus/valid"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(
        stdout(&output).contains("0 errors, 7 warnings in 2 of 7 files"),
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
    let mut child = common::profile_lint()
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
    assert_eq!(report["version"], 2);
    let summary = serde_json::json!({
        "inputs": 1, "inputs_with_findings": 1, "responses": 1,
        "skipped": {"other_requests": 0, "redirects": 0, "not_modified": 0},
        "errors": 1, "warnings": 0, "baseline": null, "not_checked": null,
    });
    assert_eq!(report["summary"], summary);
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

/// Runs the binary in `dir` (for configuration discovery), with the JSON report parsed.
fn profile_lint_in(dir: &Path, args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let (status, report, _) = json_run_in(dir, args);
    (status, report)
}

/// The same, with stderr too.
fn json_run_in(dir: &Path, args: &[&str]) -> (Option<i32>, serde_json::Value, String) {
    let output = common::profile_lint()
        .args(args)
        .args(["--format", "json"])
        .current_dir(dir)
        .output()
        .expect("the binary runs");
    let report = serde_json::from_slice(&output.stdout).unwrap_or(serde_json::Value::Null);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code(), report, stderr)
}

fn codes(report: &serde_json::Value) -> Vec<String> {
    let mut codes: Vec<String> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["diagnostics"].as_array().unwrap().iter())
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

fn live_capture() -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/valid/live-api-single-user.json"),
    )
    .unwrap()
}

#[test]
fn configuration_is_found_from_a_nested_folder_and_can_be_ignored() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("profile-lint.toml"), "[rules]\nroot-is-object = \"error\"\n")
        .unwrap();
    let nested = dir.path().join("captures/today");
    std::fs::create_dir_all(&nested).unwrap();
    std::fs::write(nested.join("live.json"), live_capture()).unwrap();
    let (status, report) = profile_lint_in(&nested, &["live.json"]);
    assert_eq!(status, Some(1));
    let d001 = report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "D001")
        .unwrap();
    assert_eq!(d001["severity"], "error");
    assert_eq!(profile_lint_in(&nested, &["live.json", "--no-config"]).0, Some(0));
}

#[test]
fn overrides_apply_by_path_relative_to_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let config = "[[overrides]]\nfiles = [\"legacy/**\"]\nrules = { missing-field = \"off\" }\n";
    std::fs::write(dir.path().join("profile-lint.toml"), config).unwrap();
    for folder in ["legacy/2022", "new"] {
        std::fs::create_dir_all(dir.path().join(folder)).unwrap();
        std::fs::write(
            dir.path().join(folder).join("a.json"),
            r#"[{"id": "7HFbzkQ5T2ZtqNvK9mWxYp"}]"#,
        )
        .unwrap();
    }
    let (status, report) = profile_lint_in(dir.path(), &["legacy", "new"]);
    assert_eq!(status, Some(1));
    let files = report["files"].as_array().unwrap();
    assert_eq!(files[0]["diagnostics"].as_array().unwrap().len(), 0, "{report}");
    assert_eq!(files[1]["diagnostics"][0]["code"], "S003");
}

/// Runs the binary in `dir` with the JSON report parsed, and its stderr.
fn profile_lint_with_stderr(dir: &Path, args: &[&str]) -> (serde_json::Value, String) {
    let (_, report, stderr) = json_run_in(dir, args);
    (report, stderr)
}

/// Regression: `--config profile-lint.toml` (relative) and `--config ../profile-lint.toml`
/// from a subfolder used to drop every override, which only worked when the file was
/// discovered or named by an absolute path. However the file and the inputs are named, the
/// globs match the same files, relative to the file's folder.
#[test]
fn overrides_match_however_the_configuration_and_the_inputs_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let config = "[[overrides]]\nfiles = [\"legacy/**\"]\nrules = { missing-field = \"off\" }\n";
    std::fs::write(root.join("profile-lint.toml"), config).unwrap();
    std::fs::create_dir_all(root.join("legacy/2022")).unwrap();
    std::fs::write(root.join("legacy/2022/a.json"), r#"[{"id": "7HFbzkQ5T2ZtqNvK9mWxYp"}]"#)
        .unwrap();
    let absolute_config = root.join("profile-lint.toml");
    let absolute_input = root.join("legacy/2022/a.json");
    let (absolute_config, absolute_input) =
        (absolute_config.to_str().unwrap(), absolute_input.to_str().unwrap());
    let cases: &[(&str, &[&str])] = &[
        ("", &["--config", "profile-lint.toml", "legacy/2022/a.json"]),
        ("", &["--config", "./profile-lint.toml", "./legacy/2022/a.json"]),
        ("", &["--config", absolute_config, "legacy/2022/a.json"]),
        ("", &["--config", "profile-lint.toml", absolute_input]),
        ("", &["--config", "profile-lint.toml", "legacy"]),
        ("", &["legacy/2022/../2022/a.json"]),
        ("legacy", &["--config", "../profile-lint.toml", "2022/a.json"]),
        ("legacy", &["--config", "../profile-lint.toml", "."]),
        ("legacy/2022", &["--config", "../../profile-lint.toml", "../2022/a.json"]),
        ("legacy/2022", &["--config", absolute_config, "a.json"]),
        ("legacy/2022", &["a.json"]),
    ];
    for (folder, args) in cases {
        let (report, stderr) = profile_lint_with_stderr(&root.join(folder), args);
        assert_eq!(codes(&report), Vec::<String>::new(), "in {folder:?}: {args:?}: {report}");
        assert!(!stderr.contains("matches no input"), "{folder:?} {args:?}: {stderr}");
    }
}

/// A typo must not pass silently: an override that matches no input of the run, and a
/// baseline none of whose entries is for an input of the run, are said on stderr.
#[test]
fn an_override_or_a_baseline_that_matches_no_input_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let config = "[[overrides]]\nfiles = [\"legacy/**\"]\nrules = { missing-field = \"off\" }\n";
    std::fs::write(dir.path().join("profile-lint.toml"), config).unwrap();
    std::fs::write(dir.path().join("a.json"), r#"[{"title": "CEO"}]"#).unwrap();
    let (_, stderr) = profile_lint_with_stderr(dir.path(), &["a.json"]);
    assert!(
        stderr.contains(r#"the override for files = ["legacy/**"] in "#)
            && stderr.contains("matches no input of this run"),
        "{stderr}"
    );

    let baseline = r#"{"version": 1, "entries": [{"path": "b.json", "code": "S005", "pointer": "/0/title", "count": 1}]}"#;
    std::fs::write(dir.path().join("baseline.json"), baseline).unwrap();
    let (_, stderr) = profile_lint_with_stderr(
        dir.path(),
        &["a.json", "--no-config", "--baseline", "baseline.json"],
    );
    assert!(
        stderr.contains("no entry of the baseline baseline.json is for an input of this run"),
        "{stderr}"
    );
    // A baseline with an entry for a.json says nothing of the kind.
    std::fs::write(dir.path().join("baseline.json"), baseline.replace("b.json", "a.json")).unwrap();
    let (_, stderr) = profile_lint_with_stderr(
        dir.path(),
        &["a.json", "--no-config", "--baseline", "baseline.json"],
    );
    assert!(!stderr.contains("no entry"), "{stderr}");
}

/// Configuration errors speak the project's words, at their place, not serde's.
#[test]
fn configuration_errors_say_what_would_be_right() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.json"), "[]").unwrap();
    let cases = [
        ("[rules]\nD002 = \"deny\"\n", "`deny` is not a level: use error, warning or off", (2, 8)),
        ("[rules]\nD002 = \"warn\"\n", "did you mean `warning`?", (2, 8)),
        (
            "stirct = true\n",
            "`stirct` is not a setting of profile-lint.toml; did you mean `strict`?",
            (1, 1),
        ),
        ("strict = \"yes\"\n", "`strict` is true or false", (1, 10)),
        (
            "[[overrides]]\nfile = [\"a\"]\nrules = {}\n",
            "`file` is not a setting of an override (use `files` and `rules`); did you mean `files`?",
            (2, 1),
        ),
        (
            "[rules]\nD002 = \"off\"\nnon-base58-id = \"error\"\n",
            "is set twice in this table",
            (3, 1),
        ),
    ];
    for (config, said, (line, column)) in cases {
        std::fs::write(dir.path().join("profile-lint.toml"), config).unwrap();
        let (status, report) = profile_lint_in(dir.path(), &["a.json"]);
        assert_eq!(status, Some(2), "{config}");
        let d = &report["files"][0]["diagnostics"][0];
        assert_eq!(d["code"], "I003", "{config}");
        let message = d["message"].as_str().unwrap();
        assert!(message.contains(said), "{config}: {message}");
        assert!(!message.contains("unknown variant") && !message.contains("expected"), "{message}");
        assert_eq!(
            (d["line"].as_u64(), d["column"].as_u64()),
            (Some(line), Some(column)),
            "{config}"
        );
    }
}

#[test]
fn strict_fails_the_live_shape_and_flags_win_in_order() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("live.json"), live_capture()).unwrap();
    let run = |args: &[&str]| {
        profile_lint_in(dir.path(), &[&["live.json", "--no-config"], args].concat())
    };
    assert_eq!(run(&[]).0, Some(0));
    assert_eq!(run(&["--strict"]).0, Some(1));
    assert_eq!(
        run(&["--strict", "-A", "D001", "-A", "D002", "-A", "color-not-hex", "-W", "D006"]).0,
        Some(0)
    );
    assert_eq!(run(&["--deny", "warnings"]).0, Some(1));
    assert_eq!(
        run(&["-D", "D001", "-A", "D001", "-D", "warnings"]).1["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] == "D001")
            .count(),
        0
    );
    assert_eq!(run(&["-A", "D001", "-D", "D001"]).0, Some(1));
}

#[test]
fn a_bad_configuration_is_an_error_pointing_into_the_toml() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("profile-lint.toml"),
        "strict = true\n\n[rules]\nnon-base85-id = \"off\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("a.json"), "[]").unwrap();
    let (status, report) = profile_lint_in(dir.path(), &["a.json"]);
    assert_eq!(status, Some(2));
    let d = &report["files"][0]["diagnostics"][0];
    assert_eq!(d["code"], "I003");
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(4), Some(1)));
    assert!(d["message"].as_str().unwrap().contains("non-base58-id"));
}

#[test]
fn baseline_round_trip_accepts_todays_findings_and_fails_on_new_ones() {
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("capture.json");
    std::fs::write(&capture, r#"[{"title": "CEO"}]"#).unwrap();
    let (status, _) = profile_lint_in(
        dir.path(),
        &["capture.json", "--no-config", "--write-baseline", "baseline.json"],
    );
    assert_eq!(status, Some(0), "writing a baseline accepts what it records");
    let (status, report) = profile_lint_in(
        dir.path(),
        &["capture.json", "--no-config", "--baseline", "baseline.json"],
    );
    assert_eq!((status, codes(&report).len()), (Some(0), 0), "{report}");

    // Reformatted: still matched. A new user with a new problem: that one fails.
    std::fs::write(&capture, "[\n  {\"title\": \"CEO\"},\n  {\"title\": \"CTO\"}\n]\n").unwrap();
    let (status, report) = profile_lint_in(
        dir.path(),
        &["capture.json", "--no-config", "--baseline", "baseline.json"],
    );
    assert_eq!(status, Some(1));
    let pointers: Vec<&str> = report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(pointers, ["/1", "/1/title"]);

    // Fixed: the entries are stale, reported as warnings on the baseline file.
    std::fs::write(&capture, "[]").unwrap();
    let (status, report) = profile_lint_in(
        dir.path(),
        &["capture.json", "--no-config", "--baseline", "baseline.json"],
    );
    assert_eq!(status, Some(0));
    assert_eq!(report["files"][1]["path"], "baseline.json");
    assert_eq!(codes(&report), ["I004"]);
}

#[test]
fn rules_and_explain_document_every_code() {
    let output = profile_lint(&["rules"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("D002  non-base58-id"));
    let output = profile_lint(&["explain", "non-base58-id"]);
    assert!(stdout(&output).contains("## Why"));
    assert_eq!(profile_lint(&["explain", "D999"]).status.code(), Some(2));
}

// Regression: miette panicked on a label past column 65,535 of a line.
#[test]
fn a_finding_far_along_a_minified_line_is_rendered() {
    let out = human_report_of("wide.json", &format!("[{}1]", " ".repeat(70_000)));
    assert!(out.contains(":1:70002]"));
    assert!(out.len() < 2_000, "the frame is a window, not the whole line");
}

/// Regression: a finding with a second label far along a minified line drew both, in lines
/// about 1,000 columns wide. The far label is named by its position instead.
#[test]
fn two_labels_far_apart_on_a_minified_line_stay_in_one_window() {
    let user = r#"{"id": "7HFbzkQ5T2ZtqNvK9mWxYp", "email": "ana.silva@example.com", "name": "Ana Silva", "title": "seceng", "is_billing_admin": false, "changed_by": {"id": "3kTMd8RqLwZs5VbNc2HxJe", "email": "j@example.com", "name": "J"}, "changed": "2023-08-09T13:27:43Z", "active": true, "user_roles": "admin", "last_login": null, "is_apiuser": false, "intercom_user_id": "", "is_sso": false, "is_owner": true, "mfa_enabled": true, "first_login": null}"#;
    let body = format!("[{user}, {user}]");
    let har = serde_json::json!({"log": {"entries": [{
        "request": {"method": "GET", "url": "https://api.probely.com/profile/"},
        "response": {"status": 200, "content": {"mimeType": "application/json", "text": body}},
    }]}});
    for (name, text) in [("dup.json", body.clone()), ("dup.har", har.to_string())] {
        let out = human_report_of(name, &text);
        let widest = out.lines().map(|l| l.chars().count()).max().unwrap();
        assert!(widest < 200, "{name}: a line of {widest} columns:\n{out}");
        assert!(
            out.contains("(first used here: 1:"),
            "{name}: the first use is named by its place:\n{out}"
        );
    }
}

/// A binary file gets its finding and where it is, and no frame of noise.
#[test]
fn binary_bytes_are_never_printed_in_a_frame() {
    let gzip = [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xab, 0x8e, 0x05, 0x00];
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in
        [("body.json", &gzip[..]), ("noise.json", &[0xff, 0x00, 0x9c, 0x1b, 0xfe, 0x80, 0x00][..])]
    {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let output = profile_lint(&[path.to_str().unwrap(), "--no-config"]);
        let out = stdout(&output);
        assert!(out.contains("(binary bytes, not shown)"), "{out}");
        assert!(!out.contains(" 1 │") && !out.contains('\u{FFFD}'), "no line of the file: {out}");
    }
    let output = profile_lint(&[dir.path().join("body.json").to_str().unwrap(), "--no-config"]);
    assert!(stdout(&output).contains("the file is gzip-compressed, not JSON text"));
}

// Regression: a linked capture in a folder was skipped and the gate passed.
#[test]
fn links_inside_a_directory_are_followed_and_an_empty_directory_fails() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.json"), r#"[{"title": "CEO"}]"#).unwrap();
    let folder = dir.path().join("captures");
    std::fs::create_dir(&folder).unwrap();
    std::os::unix::fs::symlink("../bad.json", folder.join("linked.json")).unwrap();
    std::os::unix::fs::symlink("..", folder.join("loop")).unwrap();
    let (status, report) = profile_lint_in(dir.path(), &["captures", "--no-config"]);
    assert_eq!(status, Some(1));
    assert_eq!(
        report["summary"]["inputs"], 2,
        "the link, and bad.json once through the loop: {report}"
    );

    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let (status, report) = profile_lint_in(dir.path(), &["empty", "--no-config"]);
    assert_eq!(status, Some(2));
    assert!(
        report["files"][0]["diagnostics"][0]["message"].as_str().unwrap().contains("no capture")
    );
}

#[test]
fn standard_input_can_be_read_only_once() {
    assert_eq!(profile_lint(&["-", "-"]).status.code(), Some(2));
}

// Regression: --write-baseline could overwrite a capture, the baseline file was checked as a
// capture, and broken files could be baselined into passing for good.
#[test]
fn baselines_never_overwrite_inputs_nor_accept_broken_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("capture.json"), r#"[{"title": "CEO"}]"#).unwrap();
    std::fs::write(dir.path().join("broken.json"), r#"[{"id": }"#).unwrap();
    let (status, _) =
        profile_lint_in(dir.path(), &["capture.json", "--write-baseline", "capture.json"]);
    assert_eq!(status, Some(2));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("capture.json")).unwrap(),
        r#"[{"title": "CEO"}]"#
    );

    let (status, _) =
        profile_lint_in(dir.path(), &[".", "--no-config", "--write-baseline", "baseline.json"]);
    assert_eq!(status, Some(1), "the broken file is not accepted");
    let (status, report) =
        profile_lint_in(dir.path(), &["./", "--no-config", "--baseline", "baseline.json"]);
    assert_eq!(status, Some(1));
    assert_eq!(
        codes(&report),
        ["P003"],
        "the baseline file itself is not checked; paths match however named"
    );
}

// A FIFO or a device given as a path would block or never end: it is refused, and the other
// inputs are still checked.
#[test]
fn fifos_and_devices_are_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.json");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let output = profile_lint(&[
        fifo.to_str().unwrap(),
        "/dev/zero",
        "corpus/valid/empty-array.json",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let report = json(&output);
    assert_eq!(report["files"][0]["diagnostics"][0]["code"], "I001");
    assert_eq!(report["files"][1]["diagnostics"][0]["code"], "I001");
    assert_eq!(report["files"][2]["diagnostics"].as_array().unwrap().len(), 0);
}

// Regression: two labels on one minified line, 66,000 columns apart, crashed the code frame.
#[test]
fn labels_far_apart_on_one_line_do_not_crash_the_frame() {
    let wide = format!(r#"{{"a":1,"b":"{}","a":2}}"#, "x".repeat(66_000));
    let out = human_report_of("wide-duplicate.json", &wide);
    assert!(out.contains("duplicate key `a`"));
}

// Regression (found by fuzzing): a byte order mark before a long minified line made the
// frame's column underflow, a panic in debug builds and a line "0" in release builds.
#[test]
fn a_byte_order_mark_before_a_long_line_keeps_the_frame_on_line_one() {
    let out = human_report_of("bom-wide.json", &format!("\u{feff}[]{}", "]".repeat(200)));
    assert!(out.contains("bom-wide.json:1:3]"), "{out}");
    assert!(!out.contains(" 0 │"), "{out}");
}

// Regression: a `#` in a file name was read as a HAR entry.
#[test]
fn a_hash_in_a_file_name_is_part_of_the_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("x#y.json"), r#"[{"title": "CEO"}]"#).unwrap();
    let (_, report) = profile_lint_in(dir.path(), &["x#y.json", "--no-config"]);
    assert_eq!(report["files"][0]["path"], "x#y.json");
    let output = common::profile_lint()
        .args(["x#y.json", "--no-config", "--format", "github"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("file=x#y.json,") && !text.contains("::y.json: "), "{text}");
}

/// Regression: `--format json` with a `--write-baseline` that cannot be written printed
/// nothing on stdout. Every machine format still gives one well-formed report, which names
/// the baseline as the file at fault, and the status is 2.
#[test]
fn a_baseline_that_cannot_be_written_is_a_finding_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.json"), r#"[{"title": "CEO"}]"#).unwrap();
    for format in ["json", "sarif", "junit", "human"] {
        let output = common::profile_lint()
            .args(["a.json", "--no-config", "--format", format])
            .args(["--write-baseline", "missing/folder/baseline.json"])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{format}");
        let stdout = String::from_utf8(output.stdout).unwrap();
        match format {
            "json" => {
                let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
                assert_eq!(report["files"][1]["path"], "missing/folder/baseline.json");
                assert_eq!(report["files"][1]["diagnostics"][0]["code"], "I005");
            }
            "sarif" => {
                let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
                assert!(report["runs"][0]["results"].to_string().contains("I005"), "{report}");
            }
            "junit" => {
                let xml = roxmltree::Document::parse(&stdout).unwrap();
                assert!(
                    xml.descendants().any(|n| n.text().is_some_and(|t| t.contains("I005"))
                        || n.attributes().any(|a| a.value().contains("I005"))),
                    "{stdout}"
                );
            }
            _ => assert!(stdout.contains("cannot write the baseline"), "{stdout}"),
        }
    }
}

/// The pre-commit hook, for real: `pre-commit` installed in a virtual environment builds the
/// hook from this repository (its `.pre-commit-hooks.yaml`, at the commit checked out here),
/// a bad capture fails `git commit` with the finding printed, and a good one is committed.
/// Slow (pre-commit builds the binary in release mode) and it needs PyPI, so `.ci/run` runs it
/// with `--ignored`.
#[test]
#[ignore = "installs pre-commit and builds the hook; run by .ci/run"]
fn the_pre_commit_hook_fails_a_bad_capture_and_passes_a_good_one() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    // Whether a command succeeded, and all it printed.
    let outcome = |command: &mut Command| {
        let output = command.output().unwrap();
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        (output.status.success(), said)
    };
    let sh = |program: &Path, args: &[&str], cwd: &Path| {
        outcome(Command::new(program).args(args).current_dir(cwd))
    };
    let venv = dir.path().join("venv");
    let (made, said) =
        sh(Path::new("python3"), &["-m", "venv", venv.to_str().unwrap()], dir.path());
    assert!(made, "{said}");
    let (installed, said) =
        sh(&venv.join("bin/pip"), &["install", "--quiet", "pre-commit"], dir.path());
    assert!(installed, "{said}");

    let (_, rev) = sh(Path::new("git"), &["rev-parse", "HEAD"], here);
    let project = dir.path().join("project");
    std::fs::create_dir_all(&project).unwrap();
    let config = format!(
        "repos:\n  - repo: {}\n    rev: {}\n    hooks:\n      - id: profile-lint\n",
        here.display(),
        rev.trim()
    );
    std::fs::write(project.join(".pre-commit-config.yaml"), config).unwrap();
    const IDENTITY: [&str; 4] = ["-c", "user.name=Test", "-c", "user.email=test@example.com"];
    let git = |args: &[&str]| sh(Path::new("git"), &[&IDENTITY[..], args].concat(), &project);
    assert!(git(&["init", "--quiet"]).0);
    let home = dir.path().join("pre-commit-home");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| here.join("target"), std::path::PathBuf::from);
    // pre-commit, and the git commits that run it, in the project with the hook's own home;
    // the build reuses the project's compiled dependencies.
    let hooked = |program: &Path, args: &[&str]| {
        let mut command = Command::new(program);
        command
            .args(args)
            .current_dir(&project)
            .env("PRE_COMMIT_HOME", &home)
            .env("CARGO_TARGET_DIR", target.join("pre-commit"));
        outcome(&mut command)
    };
    let (installed, said) = hooked(&venv.join("bin/pre-commit"), &["install"]);
    assert!(installed, "{said}");

    std::fs::write(project.join("bad.json"), r#"[{"title": "CEO"}]"#).unwrap();
    assert!(git(&["add", "bad.json", ".pre-commit-config.yaml"]).0);
    let commit = |message: &str| {
        hooked(Path::new("git"), &[&IDENTITY[..], &["commit", "--quiet", "-m", message]].concat())
    };
    let (committed, said) = commit("a bad capture");
    assert!(!committed, "the bad capture was committed: {said}");
    assert!(said.contains("S005") && said.contains("bad.json"), "{said}");

    std::fs::write(project.join("bad.json"), "[]\n").unwrap();
    assert!(git(&["add", "bad.json"]).0);
    let (committed, said) = commit("a good capture");
    assert!(committed, "{said}");
}

/// RFC 6901 section 5: the member whose key is the empty string is at `/0/`, not `/0` (which
/// is the user itself). Rules, duplicate keys, schema errors, the streamed path and the
/// baseline all use that pointer, and messages show the key as `""`.
#[test]
fn the_empty_key_has_its_own_pointer_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("capture.json");
    std::fs::write(&capture, r#"[{"": 1, "": {"x": 1}, "title": "CEO"}]"#).unwrap();
    let schema = dir.path().join("schema.json");
    std::fs::write(
        &schema,
        r#"{"type": "array", "items": {"properties": {"": {"type": "string"}}}}"#,
    )
    .unwrap();
    let findings = |args: &[&str]| -> Vec<(String, String, String)> {
        let (_, report) =
            profile_lint_in(dir.path(), &[&["capture.json", "--no-config"], args].concat());
        report["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let field = |k: &str| d[k].as_str().unwrap_or_default().to_owned();
                (field("code"), field("pointer"), field("message"))
            })
            .collect()
    };
    let whole = findings(&[]);
    let at = |code: &str| whole.iter().find(|(c, ..)| c == code).cloned().unwrap();
    assert_eq!(at("P005").1, "/0/");
    assert!(at("P005").2.contains("`\"\"`"), "{whole:?}");
    assert_eq!(at("D005").1, "/0/");
    assert!(at("D005").2.starts_with("`\"\"` is not a documented field"), "{whole:?}");
    assert_eq!(at("S003").1, "/0", "the user itself");
    assert_eq!(findings(&["--stream-threshold", "0"]), whole, "the streamed path");
    let custom = findings(&["--schema", "schema.json"]);
    assert!(custom.iter().any(|(c, p, _)| c == "S002" && p == "/0/"), "{custom:?}");

    // A baseline recorded with the pointer accepts the finding, and only that one.
    let (status, _) = profile_lint_in(
        dir.path(),
        &["capture.json", "--no-config", "--write-baseline", "baseline.json"],
    );
    assert_eq!(status, Some(0));
    let baseline = std::fs::read_to_string(dir.path().join("baseline.json")).unwrap();
    assert!(baseline.contains(r#""pointer": "/0/""#), "{baseline}");
    assert!(findings(&["--baseline", "baseline.json"]).is_empty());
}

#[test]
fn version_names_the_crate_and_the_schema() {
    let output = profile_lint(&["--version"]);
    assert_eq!(output.status.code(), Some(0));
    let expected = format!("profile-lint {} (schema ", env!("CARGO_PKG_VERSION"));
    assert!(stdout(&output).starts_with(&expected), "{}", stdout(&output));
}

/// Guards against install instructions that point somewhere else than the manifest does.
#[test]
fn readme_installs_from_the_manifest_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let url = env!("CARGO_PKG_REPOSITORY");
    for line in [
        format!("cargo install --git {url} --locked"),
        format!("repo: {url}"),
        "cargo install --path .".into(),
    ] {
        assert!(readme.contains(&line), "the README lacks `{line}`");
    }
    let hooks = std::fs::read_to_string(root.join(".pre-commit-hooks.yaml")).unwrap();
    assert!(hooks.contains(&format!("repo: {url}")), "{hooks}");
}
