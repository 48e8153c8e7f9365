//! What a run keeps of one input's findings: every finding is counted, and at most a set
//! number of each code is kept whole. A million-item array where every item fails is a
//! million findings; keeping each with its message, help and pointer would take hundreds of
//! MiB for a report whose reader looks at the first few.

use crate::diagnostic::{Code, Diagnostic, Severity};

const CODES: usize = Code::ALL.len();

/// Findings of one code that were counted but not kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Omitted {
    pub code: Code,
    pub severity: Severity,
    pub count: usize,
}

impl Omitted {
    /// What a report says in place of the findings.
    pub fn sentence(&self) -> String {
        let plural = if self.count == 1 { "" } else { "s" };
        format!(
            "{} more {} ({}) finding{plural} counted but not kept (--max-per-rule)",
            self.count,
            self.code,
            self.code.name()
        )
    }
}

/// The findings of one input as they are made, with the count of each code. Findings only
/// come in through [`Findings::push`] (or a part [absorbed](Findings::absorb)), which counts
/// each at once: there is nothing to settle afterwards.
#[derive(Debug)]
pub struct Findings {
    kept: Vec<Diagnostic>,
    /// At most this many of each code are kept; `None` keeps all.
    limit: Option<usize>,
    seen: [usize; CODES],
    kept_of: [usize; CODES],
}

impl Findings {
    pub fn new(limit: Option<usize>) -> Self {
        Findings { kept: Vec::new(), limit, seen: [0; CODES], kept_of: [0; CODES] }
    }

    pub fn limit(&self) -> Option<usize> {
        self.limit
    }

    /// Counts a finding, and keeps it while its code has room.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        let code = diagnostic.code as usize;
        self.seen[code] += 1;
        if self.limit.is_none_or(|limit| self.kept_of[code] < limit) {
            self.kept_of[code] += 1;
            self.kept.push(diagnostic);
        }
    }

    /// How many findings are kept so far: a mark for [`Findings::since`].
    pub fn len(&self) -> usize {
        self.kept.len()
    }

    pub fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }

    /// The findings kept since `mark`, to be placed or masked (never added to: see
    /// [`Findings::push`]).
    pub fn since(&mut self, mark: usize) -> &mut [Diagnostic] {
        let from = mark.min(self.kept.len());
        &mut self.kept[from..]
    }

    /// Takes in the findings of a part of the input (a block of a large file, a decoded body),
    /// in order: what the part kept is kept here while there is room, and what it counted
    /// but did not keep is counted here.
    pub fn absorb(&mut self, part: Findings) {
        for code in 0..CODES {
            self.seen[code] += part.seen[code] - part.kept_of[code];
        }
        part.kept.into_iter().for_each(|d| self.push(d));
    }

    /// The findings kept, sorted by where they are, and the counts of those that were not.
    pub fn finish(mut self) -> (Vec<Diagnostic>, Vec<Omitted>) {
        self.kept.sort_by_key(|d| d.span.map(|s| s.offset));
        let omitted = Code::ALL
            .iter()
            .map(|&code| Omitted {
                code,
                severity: code.default_severity(),
                count: self.seen[code as usize] - self.kept_of[code as usize],
            })
            .filter(|o| o.count > 0)
            .collect();
        (self.kept, omitted)
    }
}

#[cfg(test)]
impl Findings {
    /// The findings kept, in the order they were found.
    pub fn into_kept(self) -> Vec<Diagnostic> {
        self.kept
    }
}

impl Extend<Diagnostic> for Findings {
    fn extend<I: IntoIterator<Item = Diagnostic>>(&mut self, found: I) {
        found.into_iter().for_each(|d| self.push(d));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(code: Code, offset: usize) -> Diagnostic {
        Diagnostic::new(code, "x").with_span(crate::Span::new(offset, 1))
    }

    #[test]
    fn every_finding_is_counted_and_the_first_of_each_code_kept() {
        let mut findings = Findings::new(Some(2));
        for offset in 0..5 {
            findings.push(finding(Code::WrongType, offset));
        }
        findings.push(finding(Code::TooLong, 9));
        let (kept, omitted) = findings.finish();
        let offsets: Vec<_> = kept.iter().map(|d| d.span.unwrap().offset).collect();
        assert_eq!(offsets, [0, 1, 9]);
        assert_eq!(
            omitted,
            [Omitted { code: Code::WrongType, severity: Severity::Error, count: 3 }]
        );
    }

    #[test]
    fn a_part_adds_what_it_kept_while_there_is_room_and_counts_the_rest() {
        let mut whole = Findings::new(Some(3));
        whole.push(finding(Code::WrongType, 0));
        let mut part = Findings::new(Some(3));
        for offset in 1..10 {
            part.push(finding(Code::WrongType, offset));
        }
        whole.absorb(part);
        let (kept, omitted) = whole.finish();
        assert_eq!(kept.len(), 3);
        assert_eq!(omitted[0].count, 7);
    }

    #[test]
    fn without_a_limit_everything_is_kept() {
        let mut findings = Findings::new(None);
        for offset in 0..100 {
            findings.push(finding(Code::WrongType, offset));
        }
        let (kept, omitted) = findings.finish();
        assert_eq!((kept.len(), omitted.len()), (100, 0));
    }
}
