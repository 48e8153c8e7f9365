//! The official JSON-Schema-Test-Suite (draft 2020-12, vendored in
//! `tests/data/JSON-Schema-Test-Suite` with its licence), run through profile-lint with
//! `--schema`'s library path, beside the jsonschema crate used plainly. The goal: profile-lint
//! is never wrong where the plain crate is right. It may refuse a schema (I002) the plain crate
//! takes: a remote `$ref` is never fetched, and a schema that can multiply its work past the
//! budget is refused; a refusal is counted apart, never as a pass.
//!
//! profile-lint's own rules (drift, semantic) are allowed: only schema findings decide whether
//! it takes a value as valid. profile-lint asserts `format` (the 2020-12 default is an
//! annotation): the cases of `format.json` that test that default are where it departs, on
//! purpose. It refuses `idn-email` and `idn-hostname`, which it cannot check. The counts and every case where profile-lint departs from the
//! plain crate are pinned in a snapshot, so a change either way is seen.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use profile_lint::Linter;
use profile_lint::diagnostic::Category;

fn suite() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/JSON-Schema-Test-Suite")
}

/// The suite's `remotes/`, served the way the suite's `http://localhost:1234/` expects, to the
/// plain crate only (profile-lint never fetches).
struct Remotes;

impl jsonschema::Retrieve for Remotes {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<serde_json::Value, Box<dyn std::error::Error + Send + Sync>> {
        let path =
            uri.as_str().strip_prefix("http://localhost:1234/").ok_or("not a suite remote")?;
        let text = std::fs::read_to_string(suite().join("remotes").join(path))?;
        Ok(serde_json::from_str(&text)?)
    }
}

#[derive(Default)]
struct Tally {
    cases: usize,
    plain_right: usize,
    ours_right: usize,
    ours_refused: usize,
    /// Cases where the plain crate is right and profile-lint is wrong.
    worse: Vec<String>,
    /// Cases where profile-lint is right and the plain crate is wrong.
    better: Vec<String>,
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn run_file(path: &Path, formats: bool, tally: &mut Tally) {
    let name = path.strip_prefix(suite().join("tests/draft2020-12")).unwrap().display().to_string();
    let groups: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for group in groups.as_array().unwrap() {
        let schema = &group["schema"];
        let plain = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(formats)
            .with_retriever(Remotes)
            .build(schema)
            .ok();
        let ours = Linter::with_schema(&schema.to_string()).ok();
        for test in group["tests"].as_array().unwrap() {
            let valid = test["valid"].as_bool().unwrap();
            let case = format!(
                "{name}: {} / {}",
                group["description"].as_str().unwrap(),
                test["description"].as_str().unwrap()
            );
            tally.cases += 1;
            let data = &test["data"];
            let plain_right = plain.as_ref().is_some_and(|v| v.is_valid(data) == valid);
            let ours_verdict = ours.as_ref().map(|linter| {
                let found = linter.lint(data.to_string().as_bytes());
                !found.iter().any(|d| d.code.category() == Category::Schema)
            });
            let ours_right = ours_verdict == Some(valid);
            tally.plain_right += usize::from(plain_right);
            tally.ours_right += usize::from(ours_right);
            tally.ours_refused += usize::from(ours_verdict.is_none());
            if plain_right && ours_verdict.is_some() && !ours_right {
                tally.worse.push(case);
            } else if ours_right && !plain_right {
                tally.better.push(case);
            }
        }
    }
}

fn report(part: &str, tally: &Tally, out: &mut String) {
    let _ = writeln!(
        out,
        "{part}: {} cases; the plain crate right in {}; profile-lint right in {}, refused {}, \
         wrong where the plain crate is right in {}",
        tally.cases,
        tally.plain_right,
        tally.ours_right,
        tally.ours_refused,
        tally.worse.len()
    );
    for case in &tally.worse {
        let _ = writeln!(out, "  worse: {case}");
    }
    for case in &tally.better {
        let _ = writeln!(out, "  better: {case}");
    }
}

#[test]
fn the_json_schema_test_suite_draft_2020_12() {
    let root = suite().join("tests/draft2020-12");
    let mut out = String::new();
    let parts = [
        ("required", root.clone(), false),
        ("optional", root.join("optional"), false),
        ("optional/format", root.join("optional/format"), true),
    ];
    for (part, dir, formats) in parts {
        let mut tally = Tally::default();
        for path in files(&dir) {
            run_file(&path, formats, &mut tally);
        }
        report(part, &tally, &mut out);
    }
    println!("{out}");
    insta::assert_snapshot!(out);
}
