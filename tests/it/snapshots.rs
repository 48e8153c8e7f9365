//! What a user sees for every capture in `corpus/`: the human report (no colour, 100 columns)
//! and the JSON report. Review changes with `cargo insta review`; CI fails on any difference.

use std::path::{Path, PathBuf};

use profile_lint::report::{self, FileReport, Format, HumanOptions};
use profile_lint::{Linter, Source};

fn corpus(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus").join(kind);
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(!files.is_empty());
    files
}

fn report_of(linter: &Linter, path: &Path) -> FileReport {
    let relative = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap();
    let name = relative.to_string_lossy().into_owned();
    let source = Source::new(name.clone(), std::fs::read(path).unwrap());
    let diagnostics = linter.lint(&source.bytes);
    FileReport::new(name, Some(source), diagnostics)
}

fn render(format: Format, reports: &[FileReport]) -> String {
    let mut out = Vec::new();
    report::write(format, reports, &report::Summary::of(reports), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn snapshot_corpus(kind: &str) {
    let linter = Linter::new();
    for path in corpus(kind) {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let reports = [report_of(&linter, &path)];
        let human = render(Format::Human(HumanOptions::default()), &reports);
        insta::assert_snapshot!(format!("{kind}__{stem}__human"), human);
        let json: serde_json::Value =
            serde_json::from_str(&render(Format::Json, &reports)).unwrap();
        insta::assert_snapshot!(
            format!("{kind}__{stem}__json"),
            serde_json::to_string_pretty(&json).unwrap()
        );
    }
}

#[test]
fn valid_corpus() {
    snapshot_corpus("valid");
}

#[test]
fn invalid_corpus() {
    snapshot_corpus("invalid");
}
