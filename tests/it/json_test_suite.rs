//! JSONTestSuite (Nicolas Seriot's parsing tests, vendored in `tests/data/JSONTestSuite`): every `y_` file
//! parses, every `n_` file gets a parse diagnostic with a span inside the file, every `i_` file
//! has the outcome recorded in a snapshot, and nothing panics.

use std::path::{Path, PathBuf};

use profile_lint::{Code, Diagnostic, Linter};

const PARSE_CODES: &[Code] =
    &[Code::InvalidEncoding, Code::ByteOrderMark, Code::InvalidJson, Code::NestingTooDeep];

fn suite() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/JSONTestSuite/test_parsing");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("JSONTestSuite is expected at {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() > 300, "the whole suite is there");
    files
}

fn parse_errors(diagnostics: &[Diagnostic]) -> Vec<&Diagnostic> {
    diagnostics.iter().filter(|d| PARSE_CODES.contains(&d.code)).collect()
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn accepted_documents_parse() {
    let linter = Linter::new();
    for path in suite().iter().filter(|p| name(p).starts_with("y_")) {
        let diagnostics = linter.lint(&std::fs::read(path).unwrap());
        let errors = parse_errors(&diagnostics);
        assert!(errors.is_empty(), "{}: {errors:?}", name(path));
    }
}

#[test]
fn rejected_documents_get_a_parse_diagnostic_inside_the_file() {
    let linter = Linter::new();
    for path in suite().iter().filter(|p| name(p).starts_with("n_")) {
        let bytes = std::fs::read(path).unwrap();
        let diagnostics = linter.lint(&bytes);
        let errors = parse_errors(&diagnostics);
        assert!(!errors.is_empty(), "{} was accepted", name(path));
        for error in errors {
            let span = error.span.expect("a parse error has a span");
            assert!(span.end() <= bytes.len(), "{}: {span:?} is outside the file", name(path));
        }
    }
}

#[test]
fn implementation_defined_documents_have_a_fixed_outcome() {
    let linter = Linter::new();
    let outcomes: Vec<String> = suite()
        .iter()
        .filter(|p| name(p).starts_with("i_"))
        .map(|path| {
            let diagnostics = linter.lint(&std::fs::read(path).unwrap());
            match parse_errors(&diagnostics).first() {
                None => format!("{}: accepted", name(path)),
                Some(d) => format!("{}: rejected {} {}", name(path), d.code, d.message),
            }
        })
        .collect();
    insta::assert_snapshot!(outcomes.join("\n"));
}
