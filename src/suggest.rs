//! "Did you mean": the documented value closest to what was written.

/// The option a person most likely meant by `written`: the same letters in another case, or
/// one a couple of edits away. `None` when nothing is close or two options tie.
pub fn closest<'a>(written: &str, options: &[&'a str]) -> Option<&'a str> {
    if let Some(same) = options.iter().find(|o| o.eq_ignore_ascii_case(written.trim())) {
        return Some(same);
    }
    let budget = (written.chars().count() / 3).clamp(1, 3);
    let mut best: Option<(usize, &'a str)> = None;
    let mut tie = false;
    for option in options.iter().filter(|o| !o.is_empty()) {
        let d = distance(&written.to_lowercase(), option);
        match best {
            Some((b, _)) if d == b => tie = true,
            Some((b, _)) if d > b => {}
            _ => {
                best = Some((d, option));
                tie = false;
            }
        }
    }
    best.filter(|(d, _)| *d <= budget && !tie).map(|(_, o)| o)
}

/// Levenshtein distance over characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb { diagonal } else { 1 + diagonal.min(above).min(row[j]) };
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const TITLES: &[&str] =
        &["ceo", "cto", "cso", "seceng", "dev", "devop", "manager", "other", ""];

    #[test]
    fn another_case_is_the_first_guess() {
        assert_eq!(closest("CEO", TITLES), Some("ceo"));
    }

    #[test]
    fn a_typo_is_corrected() {
        assert_eq!(closest("mananger", TITLES), Some("manager"));
        assert_eq!(closest("devops", TITLES), Some("devop"));
    }

    #[test]
    fn nothing_close_gives_no_guess() {
        assert_eq!(closest("Chief Executive Officer", TITLES), None);
        // "cxo" is one edit from ceo, cto and cso alike: no honest single guess.
        assert_eq!(closest("cxo", TITLES), None);
    }
}
