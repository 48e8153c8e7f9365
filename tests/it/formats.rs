//! One set of findings through every reporter: a snapshot per format, SARIF validated against
//! the official schema, JUnit parsed back, and redaction checked in every format.

use std::path::Path;
use std::process::Output;

use crate::common::{failing_items, profile_lint, run};

const FIXTURES: &[&str] = &[
    "corpus/invalid/title-in-capitals.json",
    "corpus/invalid/duplicate-key.json",
    "corpus/valid/live-api-single-user.json",
    "corpus/invalid/truncated.json",
    "corpus/valid/empty-array.json",
];

fn report(format: &str) -> String {
    let mut args = FIXTURES.to_vec();
    args.extend(["--format", format]);
    let output = run(&args);
    assert_eq!(output.status.code(), Some(1));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn sarif_snapshot_and_schema() {
    let text = report("sarif");
    let sarif: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_valid_sarif(&sarif);
    // The rules' documentation is long and has its own tests: snapshot the results.
    insta::assert_json_snapshot!(sarif["runs"][0]["results"]);
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), profile_lint::Code::ALL.len());
}

fn assert_valid_sarif(sarif: &serde_json::Value) {
    let schema = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json"),
    )
    .unwrap();
    // The official schema's pattern for `run.language` has a stray `]`, which a strict regex
    // engine rejects when formats are checked; escape it so the rest can be checked strictly.
    let schema = schema.replace(r#"{2}]?$"#, r#"{2}\\]?$"#);
    let schema: serde_json::Value = serde_json::from_str(&schema).unwrap();
    let validator = jsonschema::options().should_validate_formats(true).build(&schema).unwrap();
    let errors: Vec<String> =
        validator.iter_errors(sarif).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn findings_over_the_limit_are_counted_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let capture = failing_items(dir.path(), 50);
    let path = capture.to_str().unwrap();
    let run_as = |format: &str| {
        let output = run(&[path, "--max-per-rule", "3", "--format", format]);
        assert_eq!(output.status.code(), Some(1), "{format}");
        String::from_utf8(output.stdout).unwrap()
    };
    let json: serde_json::Value = serde_json::from_str(&run_as("json")).unwrap();
    assert_eq!(json["files"][0]["diagnostics"].as_array().unwrap().len(), 3);
    assert_eq!(
        json["files"][0]["omitted"],
        serde_json::json!([{"code": "S002", "severity": "error", "count": 47}])
    );
    assert_eq!(json["summary"]["errors"], 50);

    let sarif: serde_json::Value = serde_json::from_str(&run_as("sarif")).unwrap();
    assert_valid_sarif(&sarif);
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 3);
    let notification = &sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(notification["associatedRule"]["id"], "S002");

    let sentence = "47 more S002 (wrong-type) findings counted but not kept (--max-per-rule)";
    let junit = run_as("junit");
    roxmltree::Document::parse(&junit).expect("well-formed XML");
    assert!(junit.contains("message=\"50 errors\""), "{junit}");
    assert!(junit.contains(sentence), "{junit}");
    assert!(run_as("github").lines().any(|l| l.starts_with("::error ") && l.ends_with(sentence)));
    let human = run_as("human");
    assert!(human.contains("... and 47 more S002 findings in"), "{human}");
    assert!(human.contains("\n50 errors, 0 warnings"), "{human}");

    // Counts follow the configuration like the findings kept.
    let output = run(&[path, "--max-per-rule", "3", "-W", "S002", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["files"][0]["omitted"][0]["severity"], "warning");
    assert_eq!(json["summary"]["warnings"], 50);
}

#[test]
fn a_baseline_keeps_every_finding() {
    let dir = tempfile::tempdir().unwrap();
    let capture = failing_items(dir.path(), 12_000);
    let baseline = dir.path().join("baseline.json");
    let (capture, baseline) = (capture.to_str().unwrap(), baseline.to_str().unwrap());
    let output = run(&[capture, "--write-baseline", baseline]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.ends_with(&format!(
            "no new problems in 1 file; 12,000 findings (12,000 errors, 0 warnings) recorded in \
             the baseline {baseline}\n"
        )),
        "{stdout}"
    );
    let output = run(&[capture, "--baseline", baseline]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stdout));
    let output = run(&[capture, "--baseline", baseline, "--max-per-rule", "5"]);
    assert_eq!(output.status.code(), Some(2), "a limit cannot go with a baseline");
    let output = run(&[capture, "--baseline", baseline, "--max-per-rule", "0"]);
    assert_eq!(output.status.code(), Some(0), "0 keeps all, as a baseline needs");
}

#[test]
fn junit_snapshot_parses_back() {
    let text = report("junit");
    let document = roxmltree::Document::parse(&text).expect("well-formed XML");
    let cases: Vec<_> = document.descendants().filter(|n| n.has_tag_name("testcase")).collect();
    assert_eq!(cases.len(), FIXTURES.len());
    let failing: Vec<&str> = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .map(|c| c.attribute("name").unwrap())
        .collect();
    assert_eq!(failing, [FIXTURES[0], FIXTURES[1], FIXTURES[3]]);
    insta::assert_snapshot!(text);
}

#[test]
fn github_snapshot() {
    let text = report("github");
    for line in text.lines() {
        assert!(line.starts_with("::error file=") || line.starts_with("::warning file="), "{line}");
        assert!(!line.contains('\r'));
    }
    insta::assert_snapshot!(text);
}

#[test]
fn redaction_leaves_no_email_or_name_in_any_format() {
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("people.json");
    std::fs::write(
        &capture,
        r##"[{"id": "x", "email": "zephyrine.quux@example.com", "name": "Zéphyrine Quuxley-Long-Name-That-Goes-On-And-On-Past-Sixty",
            "title": "CEO", "changed_by": {"id": "c", "email": "not-an-email", "name": "Bartholomew Ykk"},
            "labels": [{"id": "l", "name": "prod", "color": "#00FF00", "changed_by": {"id": "c2", "email": "", "name": "Rumpelstiltskin"}, "changed": "2023-01-01T00:00:00Z"}]}]"##,
    )
    .unwrap();
    let secrets = [
        "zephyrine",
        "Zéphyrine",
        "Quuxley",
        "not-an-email",
        "Bartholomew",
        "Rumpelstiltskin",
        "quux@",
    ];
    assert_no_secret_in_any_format(capture.to_str().unwrap(), &secrets);
    // Without --redact they are there: the test can fail.
    let output = run(&[capture.to_str().unwrap(), "--format", "json"]);
    assert!(String::from_utf8_lossy(&output.stdout).contains("not-an-email"));
}

/// `--redact` on `path`: every format still says what is wrong (a title "CEO"), and none
/// holds any of `secrets`.
fn assert_no_secret_in_any_format(path: &str, secrets: &[&str]) {
    for format in ["human", "json", "sarif", "junit", "github"] {
        let output = run(&[path, "--redact", "--no-group", "--format", format]);
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(text.contains("CEO"), "{format}: the report still says what is wrong");
        for secret in secrets {
            assert!(!text.contains(secret), "{format} leaks {secret:?}:\n{text}");
        }
    }
}

#[test]
fn output_file_is_written_and_the_terminal_gets_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("report.sarif");
    let output = run(&[FIXTURES[0], "--format", "sarif", "--output", target.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let sarif: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&target).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.starts_with("1 error, 0 warnings in 1 of 1 file; report written to"),
        "{stdout}"
    );
    let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 1, "no temporary file is left behind");
}

#[test]
fn thousands_of_failing_items_are_grouped_in_the_human_report() {
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("many.json");
    let label = r##"{"id": "L", "name": "n", "color": "rgb(1,2,3)", "changed_by": {"id": "c", "email": "a@b.co", "name": "A"}, "changed": "2023-01-01T00:00:00Z"}"##;
    let user = format!(
        r#"{{"id": "ID", "email": "a@b.co", "name": "A", "title": "", "is_billing_admin": false, "changed_by": {{"id": "c", "email": "a@b.co", "name": "A"}}, "changed": "2023-01-01T00:00:00Z", "active": true, "labels": [{label}, {label}], "user_roles": "", "last_login": null, "is_apiuser": false, "intercom_user_id": "", "is_sso": false, "is_owner": false, "mfa_enabled": false, "first_login": null}}"#
    );
    let users: Vec<String> =
        (0..2000).map(|i| user.replace("\"ID\"", &format!("\"U{i}\""))).collect();
    std::fs::write(&capture, format!("[{}]", users.join(",\n"))).unwrap();
    let output = run(&[capture.to_str().unwrap()]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("... and 3,997 more S006 (pattern-mismatch) at /*/labels/*/color in"),
        "{}",
        text.chars().rev().take(500).collect::<String>().chars().rev().collect::<String>()
    );
    assert!(text.contains("\n4,000 errors, "), "{}", text.lines().last().unwrap_or_default());
    assert!(text.len() < 10_000, "readable: {} bytes", text.len());

    let json = run(&[capture.to_str().unwrap(), "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let errors = report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .count();
    assert_eq!(errors, 4000, "machines get every finding");
}

#[test]
fn pre_commit_hook_entry_runs_on_staged_files() {
    let hooks = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    let field = |name: &str| {
        hooks
            .lines()
            .find_map(|l| l.trim().trim_start_matches("- ").strip_prefix(&format!("{name}: ")))
            .unwrap_or_else(|| panic!("the hook has {name}"))
            .to_owned()
    };
    assert_eq!(field("id"), "profile-lint");
    assert_eq!(field("entry"), "profile-lint");
    let files = field("files");
    for ext in ["json", "har", "http", "jsonl", "ndjson"] {
        assert!(files.contains(ext), "{files} covers .{ext}");
    }
    // pre-commit runs `entry` with the staged paths as arguments.
    let output = run(&["corpus/valid/documented-array.json", "corpus/valid/minified.json"]);
    assert_eq!(output.status.code(), Some(0));
    let output =
        run(&["corpus/valid/documented-array.json", "corpus/invalid/title-in-capitals.json"]);
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn completions_and_manual_come_from_the_same_definition() {
    for shell in ["bash", "zsh", "fish"] {
        let output = run_bare(&["completions", shell]);
        assert_eq!(output.status.code(), Some(0));
        assert!(String::from_utf8_lossy(&output.stdout).contains("write-baseline"), "{shell}");
    }
    let man = run_bare(&["man"]);
    assert!(String::from_utf8_lossy(&man.stdout).contains(".TH profile-lint"));
}

fn run_bare(args: &[&str]) -> Output {
    profile_lint().args(args).output().unwrap()
}

// Regression: --redact masked only bare bodies; raw HTTP, plain HAR bodies, later JSON Lines and
// search terms in requests leaked.
#[test]
fn redaction_covers_every_capture_format() {
    let dir = tempfile::tempdir().unwrap();
    let user = |email: &str, name: &str| {
        format!(
            r#"{{"id": "x", "email": "{email}", "name": "{name}", "title": "CEO", "changed_by": {{"id": "c", "email": "not-an-email", "name": "{name}"}}}}"#
        )
    };
    std::fs::write(
        dir.path().join("r.http"),
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n[{}]",
            user("quincy.zorn@@x.co", "Quincy Zorn")
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("r.jsonl"),
        format!(
            "{}\n{}\n",
            user("first@@e.co", "Prudence Vexley"),
            user("second@@e.co", "Ottoline Brackwater")
        ),
    )
    .unwrap();
    let body =
        serde_json::to_string(&format!("[{}]", user("har.person@@x.co", "Hieronymus Plaice")))
            .unwrap();
    let har = format!(
        r#"{{"log": {{"version": "1.2", "entries": [{{"startedDateTime": "2023-01-01T00:00:00Z",
        "request": {{"method": "GET", "url": "https://api.probely.com/profile/?search=Wilhelmina%20Qwerty&ordering=name"}},
        "response": {{"status": 200, "headers": [{{"name": "content-type", "value": "application/json"}}],
        "content": {{"mimeType": "application/json", "text": {body}}}}}}}]}}}}"#
    );
    std::fs::write(dir.path().join("r.har"), har).unwrap();
    let secrets = [
        "quincy",
        "Quincy",
        "Zorn",
        "Prudence",
        "Vexley",
        "Ottoline",
        "Brackwater",
        "second@",
        "har.person",
        "Hieronymus",
        "Plaice",
        "Wilhelmina",
        "Qwerty",
        "not-an-email",
    ];
    assert_no_secret_in_any_format(dir.path().to_str().unwrap(), &secrets);
}

/// A refused `--schema` is the file at fault, and every format says that no capture was
/// checked, rather than that zero files were.
#[test]
fn a_refused_schema_says_in_every_format_that_no_capture_was_checked() {
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("bad.schema.json");
    std::fs::write(&schema, r#"{"type": "strin"}"#).unwrap();
    let schema = schema.to_str().unwrap();
    let why = format!("the schema {schema} cannot be used");
    for format in ["human", "json", "sarif", "junit", "github"] {
        let output = run(&["--schema", schema, "corpus/valid", "--format", format]);
        assert_eq!(output.status.code(), Some(2), "{format}");
        let out = String::from_utf8(output.stdout).unwrap();
        let said = match format {
            "json" => format!("\"not_checked\":\"{why}\""),
            _ => format!("no capture was checked: {why}"),
        };
        assert!(out.contains(&said), "{format}: {out}");
        assert!(out.contains("I002"), "{format}: the finding is on the schema: {out}");
        assert!(!out.contains("corpus/valid"), "{format}: no input was reported: {out}");
    }
    let output = run(&["--schema", schema, "corpus/valid", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["files"][0]["path"], schema);
    assert_eq!(json["summary"]["inputs"], 0);
    let sarif: serde_json::Value =
        serde_json::from_slice(&run(&["--schema", schema, "x.json", "--format", "sarif"]).stdout)
            .unwrap();
    assert_valid_sarif(&sarif);
    assert_eq!(sarif["runs"][0]["invocations"][0]["executionSuccessful"], false);
}
