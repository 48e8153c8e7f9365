//! A baseline: the findings a team has accepted for now, so that the gate fails only on new
//! ones. A finding is matched by its file, code and pointer, never by line or column, so
//! reformatting a capture keeps it matched. Files are recorded relative to the baseline's own
//! folder, so `captures/`, `./captures` and `../project/captures` all match.
//!
//! What can never be configured (unreadable or malformed input) can never be baselined either:
//! a broken capture must not pass the gate for good.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Code, Diagnostic, Severity, Span};
use crate::input::{STDIN_NAME, normalize};
use crate::json::Tape;
use crate::json::parse::Reader;
use crate::report::FileReport;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    entries: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    /// The file, relative to the baseline's folder, with `/` separators.
    path: String,
    code: String,
    pointer: Option<String>,
    /// How many findings share this fingerprint.
    count: usize,
}

type Fingerprint = (String, Code, Option<String>);

/// Where the baseline file is, for relative paths.
#[derive(Debug, Clone)]
pub struct Place {
    dir: PathBuf,
}

impl Place {
    pub fn of(baseline: &Path) -> Place {
        let cwd = std::env::current_dir().unwrap_or_default();
        let dir =
            normalize(&cwd.join(baseline)).parent().map(Path::to_path_buf).unwrap_or_default();
        Place { dir }
    }

    /// How `name` (an input's name as reported) is recorded.
    fn key(&self, name: &str) -> String {
        if name == STDIN_NAME {
            return name.to_owned();
        }
        let cwd = std::env::current_dir().unwrap_or_default();
        let absolute = normalize(&cwd.join(name));
        let path = absolute.strip_prefix(&self.dir).map(Path::to_path_buf).unwrap_or(absolute);
        path.to_string_lossy().replace('\\', "/")
    }
}

fn fingerprints<'a>(
    place: &'a Place,
    report: &'a FileReport,
) -> impl Iterator<Item = Fingerprint> + 'a {
    let key = place.key(&report.name);
    report
        .diagnostics
        .iter()
        .filter(|d| d.code.is_configurable() && report.input)
        .map(move |d| (key.clone(), d.code, d.pointer.clone()))
}

/// Today's accepted findings, as baseline text, and how many entries it has.
pub fn render(reports: &[FileReport], place: &Place) -> (String, usize) {
    let mut counts: Vec<(Fingerprint, usize)> = Vec::new();
    let mut index: HashMap<Fingerprint, usize> = HashMap::new();
    for print in reports.iter().flat_map(|r| fingerprints(place, r)) {
        match index.get(&print) {
            Some(&i) => counts[i].1 += 1,
            None => {
                index.insert(print.clone(), counts.len());
                counts.push((print, 1));
            }
        }
    }
    let entries: Vec<Entry> = counts
        .into_iter()
        .map(|((path, code, pointer), count)| Entry {
            path,
            code: code.as_str().to_owned(),
            pointer,
            count,
        })
        .collect();
    let n = entries.len();
    let mut text = serde_json::to_string_pretty(&File { version: 1, entries }).unwrap_or_default();
    text.push('\n');
    (text, n)
}

/// A loaded baseline.
#[derive(Debug)]
pub struct Baseline {
    entries: Vec<(Fingerprint, usize)>,
    spans: Vec<Span>,
}

/// The findings a baseline accepted, by severity.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Accepted {
    pub errors: usize,
    pub warnings: usize,
}

impl Baseline {
    /// Parses baseline text; errors say what is wrong and where in the text.
    pub fn parse(text: &str) -> Result<Baseline, Vec<Diagnostic>> {
        let invalid = |message: String, span: Span| {
            Diagnostic::new(Code::InvalidBaseline, message)
                .with_span(span)
                .with_help("write a new baseline with --write-baseline FILE")
        };
        let file: File = serde_json::from_str(text).map_err(|e| {
            let offset = offset_of(text, e.line(), e.column());
            vec![invalid(format!("the baseline cannot be read: {e}"), Span::new(offset, 0))]
        })?;
        let spans = entry_spans(text);
        let span_of = |i: usize| spans.get(i).copied().unwrap_or(Span::new(0, 0));
        let mut errors = Vec::new();
        if file.version != 1 {
            errors.push(invalid(
                format!("baseline version {} is not 1", file.version),
                Span::new(0, 0),
            ));
        }
        let mut entries = Vec::new();
        for (i, e) in file.entries.into_iter().enumerate() {
            match Code::parse(&e.code).filter(|c| c.is_configurable()) {
                _ if e.count == 0 => {
                    errors.push(invalid("an entry with count 0".into(), span_of(i)))
                }
                Some(code) => entries.push(((e.path, code, e.pointer), e.count)),
                None => errors.push(invalid(
                    format!("`{}` is not a code a baseline can hold", e.code),
                    span_of(i),
                )),
            }
        }
        if errors.is_empty() { Ok(Baseline { entries, spans }) } else { Err(errors) }
    }

    /// Whether the baseline holds entries but none of them is for an input of this run: most
    /// likely a baseline written from another folder, or for other files.
    pub fn names_no_input(&self, reports: &[FileReport], place: &Place) -> bool {
        let keys: HashSet<String> =
            reports.iter().filter(|r| r.input).map(|r| place.key(&r.name)).collect();
        !self.entries.is_empty() && !self.entries.iter().any(|((path, ..), _)| keys.contains(path))
    }

    /// Removes the findings the baseline accepts. Returns how many of each severity, and a
    /// finding for each entry of a file checked in this run that matched nothing, unless its
    /// rule is now off there.
    pub fn apply(
        &self,
        reports: &mut [FileReport],
        place: &Place,
        is_off: impl Fn(Code, &str) -> bool,
    ) -> (Accepted, Vec<Diagnostic>) {
        // Two entries with one fingerprint (a baseline edited by hand) add up.
        let mut left: HashMap<&Fingerprint, usize> = HashMap::new();
        for (print, n) in &self.entries {
            *left.entry(print).or_default() += n;
        }
        let mut checked = HashSet::new();
        let mut accepted = Accepted::default();
        for report in reports.iter_mut().filter(|r| r.input) {
            let key = place.key(&report.name);
            report.diagnostics.retain(|d| {
                let print = (key.clone(), d.code, d.pointer.clone());
                match left.get_mut(&print) {
                    Some(n) if *n > 0 && d.code.is_configurable() => {
                        *n -= 1;
                        match d.severity {
                            Severity::Error => accepted.errors += 1,
                            Severity::Warning => accepted.warnings += 1,
                        }
                        false
                    }
                    _ => true,
                }
            });
            checked.insert((key, report.name.clone()));
        }
        let mut stale = Vec::new();
        for (i, (print, _)) in self.entries.iter().enumerate() {
            let (path, code, pointer) = print;
            let Some((_, name)) = checked.iter().find(|(key, _)| key == path) else { continue };
            if left[print] == 0 || is_off(*code, name) {
                continue;
            }
            let at = pointer.as_deref().map(|p| format!(" at {p:?}")).unwrap_or_default();
            stale.push(
                Diagnostic::new(
                    Code::StaleBaselineEntry,
                    format!("the baseline expects {code} in {path}{at}, which is no longer found"),
                )
                .with_span(self.spans.get(i).copied().unwrap_or(Span::new(0, 0)))
                .with_pointer(format!("/entries/{i}"))
                .with_label("no longer found")
                .with_help(
                    "the problem was fixed or moved: rewrite the baseline with --write-baseline",
                ),
            );
        }
        (accepted, stale)
    }
}

/// The span of each entry of a baseline as written, for labels.
fn entry_spans(text: &str) -> Vec<Span> {
    let mut tape = Tape::new(text);
    if Reader::new(text, 0).value(&mut tape).is_err() {
        return Vec::new();
    }
    let entries = tape.root().get("entries");
    entries.map(|e| e.elements().map(|v| v.span()).collect()).unwrap_or_default()
}

fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    (start + column.saturating_sub(1)).min(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Linter;

    fn reports(inputs: &[(&str, &str)]) -> Vec<FileReport> {
        let linter = Linter::new();
        inputs
            .iter()
            .map(|(name, src)| FileReport::new(*name, None, linter.lint(src.as_bytes())))
            .collect()
    }

    fn place() -> Place {
        Place::of(Path::new("baseline.json"))
    }

    #[test]
    fn a_baseline_accepts_todays_findings_and_not_new_ones() {
        let (text, n) = render(&reports(&[("a.json", r#"[{"title": "CEO"}]"#)]), &place());
        assert_eq!(n, 2);
        let baseline = Baseline::parse(&text).unwrap();

        // Reformatted, and named another way: all accepted.
        let mut again = reports(&[("./a.json", "[\n  {\n    \"title\": \"CEO\"\n  }\n]\n")]);
        let (accepted, stale) = baseline.apply(&mut again, &place(), |_, _| false);
        assert_eq!((accepted.errors + accepted.warnings, stale.len()), (2, 0));
        assert!(again[0].diagnostics.is_empty());

        // A new finding is not accepted.
        let mut worse = reports(&[("a.json", r#"[{"title": "CEO"}, {"title": "CTO"}]"#)]);
        baseline.apply(&mut worse, &place(), |_, _| false);
        assert_eq!(worse[0].diagnostics.len(), 2, "{:?}", worse[0].diagnostics);
        assert!(
            worse[0].diagnostics.iter().all(|d| d.pointer.as_deref().unwrap().starts_with("/1"))
        );
    }

    #[test]
    fn broken_input_is_never_baselined() {
        let (text, n) = render(&reports(&[("a.json", r#"[{"id": }"#)]), &place());
        assert_eq!(n, 0, "{text}");
    }

    #[test]
    fn stale_entries_point_into_the_baseline_only_for_files_checked() {
        let (text, _) = render(&reports(&[("a.json", r#"[{"title": "CEO"}]"#)]), &place());
        let baseline = Baseline::parse(&text).unwrap();
        let (_, stale) = baseline.apply(&mut reports(&[("b.json", "[]")]), &place(), |_, _| false);
        assert!(stale.is_empty(), "a.json was not checked");
        let (_, stale) = baseline.apply(&mut reports(&[("a.json", "[]")]), &place(), |_, _| false);
        assert_eq!(stale.len(), 2);
        let span = stale[0].span.unwrap();
        assert!(text[span.offset..span.end()].starts_with('{'));
        let (_, stale) = baseline.apply(&mut reports(&[("a.json", "[]")]), &place(), |_, _| true);
        assert!(stale.is_empty(), "entries of rules that are off are not stale");
    }

    #[test]
    fn invalid_baselines_are_rejected_with_a_place() {
        let bad = r#"{"version": 1, "entries": [{"path": "a.json", "code": "P003", "pointer": null, "count": 1}]}"#;
        let errors = Baseline::parse(bad).unwrap_err();
        assert_eq!(errors[0].span.unwrap().offset, 27);
        assert!(Baseline::parse(r#"{"version": 2, "entries": []}"#).is_err());
        assert!(Baseline::parse("[]").is_err());
    }
}
