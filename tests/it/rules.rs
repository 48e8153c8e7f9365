//! Every rule, on a capture that passes and one that fails it (`corpus/rules/CODE-name/`): the
//! passing one has no finding at all, the failing one only findings of that rule, and what a
//! person sees for it is a reviewed snapshot.

use std::path::{Path, PathBuf};

use profile_lint::report::{self, FileReport, Format, HumanOptions};
use profile_lint::{Code, Linter, Source};

fn linter() -> Linter {
    // A fixed capture time keeps "in the future" stable.
    Linter::new().captured_at("2026-11-29T00:00:00Z".parse().unwrap())
}

fn rule_dirs() -> Vec<(Code, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/rules");
    let mut dirs: Vec<PathBuf> =
        std::fs::read_dir(root).unwrap().map(|e| e.unwrap().path()).collect();
    dirs.sort();
    dirs.into_iter()
        .map(|dir| {
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            let (code, rule) = name.split_once('-').unwrap();
            let code = Code::parse(code).unwrap_or_else(|| panic!("{name}: unknown code"));
            assert_eq!(code.name(), rule, "{name}: the folder names the code and its rule");
            (code, dir)
        })
        .collect()
}

/// The fixture `stem` (`pass` or `fail`) of a rule's folder: a body, or a HAR file for the
/// rules that need the request or the HTTP exchange.
fn reports_of(dir: &Path, stem: &str) -> Vec<FileReport> {
    let path = ["json", "har"]
        .iter()
        .map(|e| dir.join(format!("{stem}.{e}")))
        .find(|p| p.exists())
        .unwrap();
    let name =
        path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap().to_string_lossy().into_owned();
    let source = Source::new(name, std::fs::read(&path).unwrap());
    linter().check_source(source).reports
}

#[test]
fn every_drift_and_semantic_rule_has_fixtures() {
    let covered: Vec<Code> = rule_dirs().into_iter().map(|(c, _)| c).collect();
    for code in Code::ALL.iter().filter(|c| matches!(c.as_str().as_bytes()[0], b'D' | b'R' | b'H'))
    {
        assert!(covered.contains(code), "{code} has no folder in corpus/rules");
    }
}

#[test]
fn passing_fixtures_are_clean() {
    for (_, dir) in rule_dirs() {
        for report in reports_of(&dir, "pass") {
            assert!(report.diagnostics.is_empty(), "{}: {:#?}", report.name, report.diagnostics);
        }
    }
}

#[test]
fn failing_fixtures_show_only_their_rule() {
    for (code, dir) in rule_dirs() {
        let reports = reports_of(&dir, "fail");
        assert!(
            reports.iter().any(|r| !r.diagnostics.is_empty()),
            "{} found nothing",
            dir.display()
        );
        for report in &reports {
            for d in &report.diagnostics {
                assert_eq!(d.code, code, "{}: {d:#?}", report.name);
            }
        }
        let mut out = Vec::new();
        report::write(
            Format::Human(HumanOptions::default()),
            &reports,
            &report::Summary::of(&reports),
            &mut out,
        )
        .unwrap();
        insta::assert_snapshot!(
            format!("{}-{}", code.as_str(), code.name()),
            String::from_utf8(out).unwrap()
        );
    }
}

#[test]
fn readme_rules_table_is_current() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme.find("<!-- rules:start -->\n").expect("README marks the rules table") + 21;
    let end = readme.find("<!-- rules:end -->").unwrap();
    assert_eq!(
        &readme[start..end],
        report::rules::markdown_table(),
        "regenerate with `cargo run -- rules --markdown`"
    );
}
