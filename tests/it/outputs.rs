//! The whole output of the command line, pinned: every subcommand, `--help`, `explain` for
//! every code, the error paths and the summary lines. Each snapshot holds the command, its exit
//! status, stdout and stderr, as a person at a terminal with `NO_COLOR` would read them.

use std::path::Path;

use profile_lint::Code;

use crate::common::profile_lint;

/// Runs the binary in `dir` and renders what a person would see.
fn session(dir: &Path, args: &[&str]) -> String {
    let output = profile_lint()
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("the binary runs");
    let mut text = format!(
        "$ profile-lint {}\nexit status: {}\n",
        args.join(" "),
        output.status.code().unwrap_or(-1)
    );
    for (name, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
        if !bytes.is_empty() {
            text.push_str(&format!("--- {name}\n{}", String::from_utf8_lossy(bytes)));
        }
    }
    text
}

fn project() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A folder with copies of the corpus files named, under their own names.
fn folder_with(files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for file in files {
        let name = Path::new(file).file_name().unwrap();
        std::fs::copy(project().join(file), dir.path().join(name)).unwrap();
    }
    dir
}

macro_rules! pin {
    ($name:expr, $dir:expr, $args:expr) => {
        insta::assert_snapshot!($name, session($dir, $args))
    };
}

#[test]
fn help_version_and_the_subcommands() {
    pin!("help", project(), &["--help"]);
    pin!("short_help", project(), &["-h"]);
    pin!("rules", project(), &["rules"]);
    pin!("rules_markdown", project(), &["rules", "--markdown"]);
    pin!("explain_before_a_global_option", project(), &["--no-config", "explain", "P007"]);
    let version = session(project(), &["--version"]);
    assert!(version.contains(env!("CARGO_PKG_VERSION")), "{version}");
    for shell in ["bash", "zsh", "fish"] {
        let script = session(project(), &["completions", shell]);
        assert!(
            script.starts_with(&format!("$ profile-lint completions {shell}\nexit status: 0\n"))
        );
        assert!(script.contains("--write-baseline"), "{shell}");
    }
    let man = session(project(), &["man"]);
    assert!(man.contains(".TH profile-lint"), "{man}");
}

#[test]
fn explain_for_every_code() {
    for code in Code::ALL {
        pin!(format!("explain_{}", code.as_str()), project(), &["explain", code.as_str()]);
    }
}

#[test]
fn usage_errors() {
    pin!("unknown_flag", project(), &["--no-config", "--frobnicate", "corpus"]);
    pin!("unknown_format", project(), &["--no-config", "--format", "jsno", "corpus"]);
    pin!("unknown_rule_in_a_flag", project(), &["--no-config", "-D", "non-base85-id", "corpus"]);
    pin!("unknown_rule_to_explain", project(), &["explain", "D02"]);
    pin!("stdin_twice", project(), &["--no-config", "-", "-"]);
    pin!("no_path", project(), &["--no-config"]);
}

#[test]
fn files_the_run_cannot_use() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.schema.json"), r#"{"type": "strin"}"#).unwrap();
    std::fs::write(
        dir.path().join("profile-lint.toml"),
        "stirct = true\n[rules]\nD002 = \"warn\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("body.json"), "[]").unwrap();
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    pin!(
        "refused_schema",
        dir.path(),
        &["--no-config", "--schema", "bad.schema.json", "body.json"]
    );
    pin!("missing_schema", dir.path(), &["--no-config", "--schema", "nowhere.json", "body.json"]);
    pin!("broken_configuration", dir.path(), &["body.json"]);
    pin!(
        "unreadable_input_beside_a_good_one",
        dir.path(),
        &["--no-config", "missing.json", "body.json"]
    );
    pin!("empty_folder", dir.path(), &["--no-config", "empty"]);
}

#[test]
fn summary_lines() {
    let dir = folder_with(&[
        "corpus/invalid/title-in-capitals.json",
        "corpus/valid/documented-array.json",
        "corpus/captures/polly-recording.har",
        "corpus/captures/curl-i-http1.http",
        "corpus/captures/responses.jsonl",
    ]);
    let dir = dir.path();
    pin!("clean_file", dir, &["--no-config", "documented-array.json"]);
    pin!("quiet_clean_file", dir, &["--no-config", "-q", "documented-array.json"]);
    pin!("quiet_with_warnings", dir, &["--no-config", "-q", "polly-recording.har"]);
    pin!("har_with_skipped_entries", dir, &["--no-config", "polly-recording.har"]);
    pin!("har_verbose", dir, &["--no-config", "-v", "polly-recording.har"]);
    pin!("raw_http", dir, &["--no-config", "curl-i-http1.http"]);
    pin!("json_lines", dir, &["--no-config", "responses.jsonl"]);
    pin!("max_diagnostics", dir, &["--no-config", "--max-diagnostics", "2", "polly-recording.har"]);
    pin!(
        "write_baseline",
        dir,
        &["--no-config", "title-in-capitals.json", "--write-baseline", "baseline.json"]
    );
    pin!(
        "read_baseline",
        dir,
        &["--no-config", "title-in-capitals.json", "--baseline", "baseline.json"]
    );
    pin!(
        "output_file",
        dir,
        &["--no-config", "title-in-capitals.json", "-o", "report.json", "--format", "json"]
    );
}

#[test]
fn a_misspelt_field_gets_the_documented_name() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(project().join("corpus/valid/documented-array.json"))
        .unwrap()
        .replacen("\"email\"", "\"e-mail\"", 1)
        .replacen("\"mfa_enabled\"", "\"mfaEnabled\"", 1);
    std::fs::write(dir.path().join("renamed.json"), text).unwrap();
    pin!("misspelt_fields", dir.path(), &["--no-config", "renamed.json"]);
}

/// `--redact` masks people's names and emails, and not the names of fields: `ordering=name`
/// stays readable.
#[test]
fn redaction_keeps_field_names() {
    let dir = folder_with(&["corpus/rules/R005-unsorted-response/fail.har"]);
    let out = session(dir.path(), &["--no-config", "--redact", "fail.har"]);
    assert!(out.contains("ordering=name") && out.contains("each user's `name` must"), "{out}");
    assert!(!out.contains("Maria Costa") && !out.contains("ana.silva@example.com"), "{out}");
}
