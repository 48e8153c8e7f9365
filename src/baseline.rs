//! A baseline: the findings a team has accepted for now, so that the gate fails only on new
//! ones. A finding is matched by its path, code and pointer, never by line or column, so
//! reformatting a capture keeps it matched.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Code, Diagnostic};
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
    path: String,
    code: String,
    pointer: Option<String>,
    /// How many findings share this fingerprint (e.g. two syntax-free duplicate keys).
    count: usize,
}

type Fingerprint = (String, String, Option<String>);

fn fingerprint(path: &str, d: &Diagnostic) -> Fingerprint {
    (path.to_owned(), d.code.as_str().to_owned(), d.pointer.clone())
}

/// Today's findings, as baseline text.
pub fn render(reports: &[FileReport]) -> String {
    let mut counts: Vec<(Fingerprint, usize)> = Vec::new();
    let mut index: HashMap<Fingerprint, usize> = HashMap::new();
    for report in reports {
        for d in &report.diagnostics {
            let key = fingerprint(&report.name, d);
            match index.get(&key) {
                Some(&i) => counts[i].1 += 1,
                None => {
                    index.insert(key.clone(), counts.len());
                    counts.push((key, 1));
                }
            }
        }
    }
    let entries = counts
        .into_iter()
        .map(|((path, code, pointer), count)| Entry { path, code, pointer, count })
        .collect();
    let mut text = serde_json::to_string_pretty(&File { version: 1, entries }).unwrap_or_default();
    text.push('\n');
    text
}

/// Writes `text` to `path` so that a reader never sees half of it: a temporary file in the same
/// folder, then a rename over the old one.
pub fn write_atomically(path: &Path, text: impl AsRef<[u8]>) -> io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    temp.write_all(text.as_ref())?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A loaded baseline.
#[derive(Debug)]
pub struct Baseline {
    entries: Vec<Entry>,
}

impl Baseline {
    /// Parses baseline text; an error says what is wrong and where in the text.
    pub fn parse(text: &str) -> Result<Baseline, Vec<Diagnostic>> {
        let file: File = serde_json::from_str(text).map_err(|e| {
            let offset = offset_of(text, e.line(), e.column());
            vec![
                Diagnostic::new(Code::InvalidConfig, format!("the baseline cannot be read: {e}"))
                    .with_span(crate::Span::new(offset, 0))
                    .with_help("write a new baseline with --write-baseline FILE"),
            ]
        })?;
        Ok(Baseline { entries: file.entries })
    }

    /// Removes the findings the baseline accepts; returns how many, and a finding for each
    /// entry that matched nothing (with a span into `text`, the baseline as read).
    pub fn apply(&self, text: &str, reports: &mut [FileReport]) -> (usize, Vec<Diagnostic>) {
        let mut left: HashMap<Fingerprint, usize> = self
            .entries
            .iter()
            .map(|e| ((e.path.clone(), e.code.clone(), e.pointer.clone()), e.count))
            .collect();
        let mut suppressed = 0;
        for report in reports.iter_mut() {
            let name = report.name.clone();
            report.diagnostics.retain(|d| match left.get_mut(&fingerprint(&name, d)) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    suppressed += 1;
                    false
                }
                _ => true,
            });
        }
        let spans = entry_spans(text);
        let stale = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| left.get(&(e.path.clone(), e.code.clone(), e.pointer.clone())).is_some_and(|n| *n > 0))
            .map(|(i, e)| {
                let at = e.pointer.as_deref().map(|p| format!(" at {p}")).unwrap_or_default();
                let mut d = Diagnostic::new(
                    Code::StaleBaselineEntry,
                    format!("the baseline expects {} in {}{at}, which is no longer found", e.code, e.path),
                )
                .with_label("no longer found")
                .with_help("the problem was fixed or the file moved: rewrite the baseline with --write-baseline");
                if let Some(span) = spans.get(i) {
                    d = d.with_span(*span);
                }
                d
            })
            .collect();
        (suppressed, stale)
    }
}

/// The span of each entry of a baseline as written, for stale-entry labels.
fn entry_spans(text: &str) -> Vec<crate::Span> {
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
            .map(|(name, src)| FileReport {
                name: (*name).to_owned(),
                source: None,
                diagnostics: linter.lint(src.as_bytes()),
            })
            .collect()
    }

    #[test]
    fn a_baseline_accepts_todays_findings_and_not_new_ones() {
        let today = reports(&[("a.json", r#"[{"title": "CEO"}]"#)]);
        let text = render(&today);
        let baseline = Baseline::parse(&text).unwrap();

        // Reformatted, same findings: all accepted.
        let mut again = reports(&[("a.json", "[\n  {\n    \"title\": \"CEO\"\n  }\n]\n")]);
        let (suppressed, stale) = baseline.apply(&text, &mut again);
        assert_eq!((suppressed, stale.len()), (2, 0));
        assert!(again[0].diagnostics.is_empty());

        // A new finding is not accepted.
        let mut worse = reports(&[("a.json", r#"[{"title": "CEO"}, {"title": "CTO"}]"#)]);
        baseline.apply(&text, &mut worse);
        assert_eq!(worse[0].diagnostics.len(), 2, "{:?}", worse[0].diagnostics);
        assert!(
            worse[0].diagnostics.iter().all(|d| d.pointer.as_deref().unwrap().starts_with("/1"))
        );
    }

    #[test]
    fn fixed_findings_leave_stale_entries_pointing_into_the_baseline() {
        let text = render(&reports(&[("a.json", r#"[{"title": "CEO"}]"#)]));
        let mut fixed = reports(&[("a.json", "[]")]);
        let (_, stale) = Baseline::parse(&text).unwrap().apply(&text, &mut fixed);
        assert_eq!(stale.len(), 2);
        let span = stale[0].span.unwrap();
        assert!(text[span.offset..span.end()].starts_with('{'));
    }
}
