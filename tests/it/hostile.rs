//! Hostile input: shapes no real response has, built to make a checker crash, hang or eat
//! memory. Each must get its findings, counted exactly, in time linear in its size. (A
//! quadratic slip shows here as a test that never ends; none of these asserts a time.)

use profile_lint::{Code, Linter};

fn codes(diagnostics: &[profile_lint::Diagnostic], code: Code) -> usize {
    diagnostics.iter().filter(|d| d.code == code).count()
}

/// A valid user (without labels, which are optional), with `extra` spliced in at the end.
fn user_with(extra: &str) -> String {
    let user = r#"{"id": "Kc7VtR2pWq9ZxNb4Ms8HdJ", "email": "api-bot@example.com", "name": "CI pipeline", "title": "other", "is_billing_admin": false, "changed_by": {"id": "3kTMd8RqLwZs5VbNc2HxJe", "email": "joao.santos@example.com", "name": "João Santos"}, "changed": "2023-08-09T13:27:43.8208302", "active": true, "user_roles": "admin", "last_login": null, "is_apiuser": true, "intercom_user_id": "7HFbzkQ5T2ZtqNvK9mWxYp", "is_sso": false, "is_owner": true, "mfa_enabled": true, "first_login": null"#;
    format!("{user}{extra}}}")
}

/// Members enough to make quadratic work show (minutes, before the fix), while a user stays
/// under the 100,000 values that are checked.
const MANY: usize = 40_000;

#[test]
fn an_object_that_repeats_one_key_forty_thousand_times() {
    let members = vec![r#""labels": []"#; MANY].join(",");
    let found = Linter::new().lint(format!("[{}]", user_with(&format!(", {members}"))).as_bytes());
    assert_eq!(codes(&found, Code::DuplicateKey), MANY - 1);
    let last = found.iter().rfind(|d| d.code == Code::DuplicateKey).unwrap();
    assert_eq!(last.pointer.as_deref(), Some("/0/labels"));
}

#[test]
fn an_object_with_forty_thousand_keys() {
    let members: Vec<String> = (0..MANY).map(|i| format!(r#""k{i}": 1"#)).collect();
    let found = Linter::new()
        .lint(format!("[{}]", user_with(&format!(", {}", members.join(",")))).as_bytes());
    assert_eq!(codes(&found, Code::UndocumentedField), MANY);
    assert_eq!(codes(&found, Code::DuplicateKey), 0);
}

#[test]
fn forty_thousand_labels_each_lacking_its_fields() {
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
fn forty_thousand_labels_of_the_wrong_type() {
    let labels = vec!["1"; MANY].join(",");
    let found = Linter::new()
        .lint(format!("[{}]", user_with(&format!(r#", "labels": [{labels}]"#))).as_bytes());
    assert_eq!(codes(&found, Code::WrongType), MANY);
}

#[test]
fn a_user_over_the_value_limit_gets_one_finding_and_the_next_is_still_checked() {
    let labels = vec!["{}"; 100_000].join(",");
    let huge = user_with(&format!(r#", "labels": [{labels}]"#));
    let found = Linter::new().lint(format!(r#"[{huge}, {{"id": 1}}]"#).as_bytes());
    let too_large: Vec<_> = found.iter().filter(|d| d.code == Code::UserTooLarge).collect();
    assert_eq!(too_large.len(), 1);
    assert_eq!(too_large[0].pointer.as_deref(), Some("/0"));
    assert!(
        found
            .iter()
            .all(|d| d.code == Code::UserTooLarge || d.pointer.as_ref().unwrap().starts_with("/1"))
    );
    assert!(found.iter().any(|d| d.code == Code::WrongType), "the next user is checked");
}

use crate::common::{failing_items, profile_lint, run};

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
        // The place is the `$ref` that fails, not another one that ends the same way.
        (
            r##"{"$defs": {"b": {"$anchor": "b"}, "c": {"$ref": "#b"}}, "items": {"$ref": "#/$defs/ab"}}"##,
            "does not exist",
            (1, 75),
        ),
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

/// A chain of `allOf` and `$ref`, `levels` long, each level with `extra` beside the `allOf`.
fn chain_schema(levels: usize, extra: serde_json::Value) -> String {
    let mut defs = serde_json::Map::new();
    for i in 0..levels {
        let next = if i + 1 < levels {
            serde_json::json!({"$ref": format!("#/$defs/n{}", i + 1)})
        } else {
            serde_json::json!({"properties": {"a": {"type": "integer"}}})
        };
        let mut level = serde_json::json!({"allOf": [next]});
        if let (Some(level), Some(extra)) = (level.as_object_mut(), extra.as_object()) {
            level.extend(extra.clone());
        }
        defs.insert(format!("n{i}"), level);
    }
    serde_json::json!({"$defs": defs, "$ref": "#/$defs/n0"}).to_string()
}

/// What the static budget does not foresee, the time limit stops: status 2 and a finding that
/// says why, not hours. Here `unevaluatedProperties`, which re-runs every branch beneath it on
/// each value, and a chain of references thousands long, which the validator's compiler takes
/// minutes and gigabytes over. A machine format still gets one well-formed report.
#[test]
fn a_schema_too_slow_to_compile_or_for_one_value_is_stopped() {
    let cases = [
        chain_schema(40, serde_json::json!({"unevaluatedProperties": false})),
        chain_schema(3000, serde_json::json!({})),
    ];
    let said = "the schema took more than 0.5 s to compile or to validate one value";
    for schema in cases {
        let dir = tempfile::tempdir().unwrap();
        let (response, schema_file) = (dir.path().join("r.json"), dir.path().join("s.json"));
        std::fs::write(&response, r#"{"a": 1}"#).unwrap();
        std::fs::write(&schema_file, &schema).unwrap();
        for format in ["human", "json"] {
            let output = run(&[
                response.to_str().unwrap(),
                "--schema",
                schema_file.to_str().unwrap(),
                "--schema-time-limit",
                "0.5",
                "--format",
                format,
            ]);
            assert_eq!(output.status.code(), Some(2), "an exit, not a signal");
            let stdout = String::from_utf8_lossy(&output.stdout);
            assert!(stdout.contains(said), "{stdout}");
            if format == "json" {
                let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
                assert_eq!(report["files"][0]["diagnostics"][0]["code"], "I002", "{report}");
            }
        }
    }
}

/// A library never ends its caller's process: a Rust test that uses profile-lint with a
/// schema too slow to validate gets a finding back, and goes on (this test is that caller).
#[test]
fn the_library_returns_a_finding_when_a_schema_runs_out_of_time() {
    // Twenty levels compile in milliseconds and take minutes on one value: far from the limit
    // both ways, so a loaded machine does not change the outcome.
    let schema = chain_schema(20, serde_json::json!({"unevaluatedProperties": false}));
    let limit = std::time::Duration::from_secs(3);
    let linter = Linter::with_schema_limit(&schema, limit).expect("it compiles in time");
    let started = std::time::Instant::now();
    let found = linter.lint(br#"{"a": 1}"#);
    assert!(started.elapsed() < std::time::Duration::from_secs(30), "the caller is not held");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].code, Code::InvalidSchema);
    assert!(found[0].message.contains("more than 3 s"), "{}", found[0].message);
    // The schema is spent: a later check says so at once, rather than hanging too.
    assert_eq!(linter.lint(b"{}")[0].code, Code::InvalidSchema);
}

/// A custom schema is checked one item at a time only when nothing at its root looks at the
/// array as a whole; then a response of any size is checked item by item.
#[test]
fn a_custom_schema_checks_items_one_at_a_time_when_it_can() {
    let items = r#""items": {"type": "object", "required": ["id"]}"#;
    let response = format!("[{}]", vec!["{}"; 60_000].join(","));
    for (schema, findings) in [
        (format!(r#"{{"type": "array", {items}}}"#), 60_000),
        (format!(r#"{{"type": ["array"], {items}}}"#), 60_000),
        // Without a type, the root may be anything: validated whole.
        (format!("{{{items}}}"), 60_000),
        // `maxItems` looks at the whole array: the response is validated whole.
        (format!(r#"{{"type": "array", "maxItems": 2, {items}}}"#), 60_001),
    ] {
        let linter = Linter::with_schema(&schema).unwrap();
        let found = linter.lint(response.as_bytes());
        assert_eq!(found.len(), findings, "{schema}");
    }
    // Without a type, a root that is not an array is valid, as JSON Schema says.
    let untyped = Linter::with_schema(&format!("{{{items}}}")).unwrap();
    assert!(untyped.lint(br#""hello""#).is_empty());
    let small = Linter::with_schema(&format!(r#"{{"type": "array", "maxItems": 2, {items}}}"#));
    let found = small.unwrap().lint(br#"[{"id": 1}, {"id": 2}, {"id": 3}]"#);
    assert_eq!(found.iter().map(|d| d.code).collect::<Vec<_>>(), [Code::SchemaViolation]);
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

// Ctrl-C in the middle of a long run: the run stops at once, dying of the signal as a shell
// expects (so a loop running it stops too); the report it was to replace is the old one, whole,
// and no temporary file is left beside it.
#[test]
fn an_interrupted_run_stops_and_leaves_the_old_report() {
    let dir = tempfile::tempdir().unwrap();
    // Seconds of work for a debug build, far more than the wait below.
    let capture = failing_items(dir.path(), 1_000_000);
    let report = dir.path().join("report.json");
    std::fs::write(&report, "the old report").unwrap();
    let child = profile_lint()
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
    assert_eq!(std::os::unix::process::ExitStatusExt::signal(&status), Some(2), "{status}");
    assert_eq!(std::fs::read_to_string(&report).unwrap(), "the old report");
    let mut left: Vec<_> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    left.sort();
    assert_eq!(left, ["numbers.json", "report.json"]);
}

/// The codes of each file's findings in a JSON report, by the file's name as reported.
fn codes_by_file(report: &serde_json::Value) -> std::collections::BTreeMap<String, Vec<String>> {
    let files = report["files"].as_array().expect("a report");
    let name = |f: &serde_json::Value| {
        let path = f["path"].as_str().unwrap();
        path.rsplit('/').next().unwrap().to_owned()
    };
    let codes = |f: &serde_json::Value| {
        let diagnostics = f["diagnostics"].as_array().unwrap().iter();
        let mut codes: Vec<String> =
            diagnostics.map(|d| d["code"].as_str().unwrap().into()).collect();
        codes.dedup();
        codes
    };
    files.iter().map(|f| (name(f), codes(f))).collect()
}

/// Every strange file of the issue, checked in one run: each gets its own finding (the first
/// code listed) and none keeps the others from being checked. The run ends with 2 (some
/// files could not be read), by an exit, never by a signal.
#[test]
fn strange_files_each_get_a_finding_and_none_stops_the_others() {
    let deep = |open: &str, close: &str, n: usize| format!("{}{}", open.repeat(n), close.repeat(n));
    // A root array, a user, and a field nesting 126 more levels: 128, the limit, in all.
    let just_under = format!("[{}]", user_with(&format!(r#", "x": {}"#, deep("[", "]", 126))));
    let long_integer =
        format!(r#"[{}]"#, user_with(&format!(r#", "labels": {}"#, "9".repeat(100_000))));
    let huge_name = format!(r#"[{{"id": "2C5zbUFu3VDn", "name": "{}"}}]"#, "a".repeat(50 << 20));
    let utf16: Vec<u8> =
        [0xFF, 0xFE].into_iter().chain("[]".encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let cases: Vec<(&str, Vec<u8>, &[&str])> = vec![
        ("empty.json", b"".to_vec(), &["P003"]),
        ("blank.json", b" \n\t\r\n ".to_vec(), &["P003"]),
        ("truncated.json", br#"[{"id": "2C5zbUFu3VDn", "na"#.to_vec(), &["P003"]),
        ("nul.json", b"[\0]".to_vec(), &["P003"]),
        ("nul-in-string.json", b"[\"a\0b\"]".to_vec(), &["P003"]),
        ("bom.json", b"\xEF\xBB\xBF[]".to_vec(), &["P002"]),
        ("utf16.json", utf16, &["P001"]),
        ("latin1.json", b"[{\"name\": \"Jo\xE3o\"}]".to_vec(), &["P001"]),
        ("lone-surrogate.json", br#"[{"name": "\ud800"}]"#.to_vec(), &["P003"]),
        (
            "huge-exponent.json",
            format!("[{}]", user_with(r#", "labels": 1e400"#)).into_bytes(),
            &["S002"],
        ),
        ("long-integer.json", long_integer.into_bytes(), &["S002"]),
        ("deep-arrays.json", deep("[", "]", 100_000).into_bytes(), &["P004"]),
        ("deep-objects.json", deep(r#"{"a":"#, "}", 100_000).into_bytes(), &["P004"]),
        ("deep-mixed.json", deep(r#"[{"a":"#, "}]", 50_000).into_bytes(), &["P004"]),
        ("just-under-the-limit.json", just_under.into_bytes(), &["D005"]),
        ("fifty-megabyte-name.json", huge_name.into_bytes(), &["S003", "S004"]),
    ];
    let files: Vec<(&str, &[u8])> = cases.iter().map(|(n, b, _)| (*n, b.as_slice())).collect();
    let (code, report) = check(&files, &["{dir}/gone.json"]);
    assert_eq!(code, Some(2), "an exit, not a signal");
    let found = codes_by_file(&report);
    for (name, _, expected) in &cases {
        assert_eq!(found[*name], *expected, "{name}");
    }
    assert_eq!(found["gone.json"], ["I001"]);
}

/// A folder with a link loop, a link to itself, a link to nothing (a file that vanished
/// after the folder was listed reads the same), and a name that is not UTF-8: the walk ends,
/// each strange entry is reported, and the good file is still checked.
#[test]
fn strange_folders_end_and_report_each_entry() {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("captures");
    std::fs::create_dir_all(root.join("nested")).unwrap();
    std::fs::write(root.join("good.json"), "[]").unwrap();
    symlink(&root, root.join("nested/loop")).unwrap();
    symlink("self.json", root.join("self.json")).unwrap();
    symlink("vanished-target.json", root.join("vanished.json")).unwrap();
    let latin1 = std::ffi::OsStr::from_bytes(b"caf\xE9.json");
    std::fs::write(root.join(latin1), "[1]").unwrap();

    let output = run(&[root.to_str().unwrap(), "--format", "json"]);
    assert_eq!(output.status.code(), Some(2), "an exit, not a signal");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let found = codes_by_file(&report);
    assert_eq!(found["good.json"], Vec::<String>::new());
    assert_eq!(found["self.json"], ["I001"]);
    assert_eq!(found["vanished.json"], ["I001"]);
    assert_eq!(found["caf\u{FFFD}.json"], ["S002"], "checked, named as it can be shown");
    assert_eq!(found.len(), 4, "the loop is not entered twice: {found:?}");
}

/// `profile-lint dir | head -1`: the reader goes away, and the run ends quietly.
#[test]
fn a_reader_that_goes_away_ends_the_run_quietly() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let capture = failing_items(dir.path(), 20_000);
    let mut child = profile_lint()
        .arg(&capture)
        .args(["--no-config", "--no-group"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    assert!(!first.is_empty());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "an exit, not a signal");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

/// Numbers beyond `f64` are compared by the validator as one number (1e400 and 1e401 are both
/// out of range): never a wrong verdict. A schema that holds one is refused at its place; a
/// value that holds one, with a schema from elsewhere, gets a finding that says it was not
/// checked, rather than a false `uniqueItems` or `const` failure.
#[test]
fn numbers_beyond_f64_are_reported_not_misjudged() {
    let refused = Linter::with_schema(r#"{"const": 1e400}"#).unwrap_err();
    assert_eq!(refused[0].code, Code::InvalidSchema);
    assert_eq!(refused[0].span.map(|s| s.offset), Some(10));
    let unique = Linter::with_schema(r#"{"uniqueItems": true}"#).unwrap();
    let found = unique.lint(b"[1e400, 1e401]");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].code, Code::SchemaViolation);
    assert!(found[0].message.contains("not checked"), "{}", found[0].message);
    assert_eq!(found[0].pointer.as_deref(), Some("/0"));
    // Within range, the schema decides as usual.
    assert!(unique.lint(b"[1e300, 1e301]").is_empty());
}
