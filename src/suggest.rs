//! "Did you mean": the documented value, field, rule or setting closest to what was written.

/// The option a person most likely meant by `written`: the same name in another case or
/// another separator style (`mfaEnabled`, `e-mail`), or one a couple of edits away. `None`
/// when nothing is close or two options tie.
pub fn closest<'a>(written: &str, options: &[&'a str]) -> Option<&'a str> {
    let wanted = fold(written);
    let options = options.iter().copied().filter(|o| !o.is_empty());
    let same: Vec<&str> = options.clone().filter(|o| fold(o) == wanted).collect();
    if let [one] = same[..] {
        return Some(one);
    }
    let budget = (wanted.chars().count() / 3).clamp(1, 3);
    let mut best: Option<(usize, &'a str)> = None;
    let mut tie = false;
    for option in options {
        let d = strsim::damerau_levenshtein(&wanted, &fold(option));
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

/// `; did you mean `x`?` when one option is close, or nothing: the one wording of the hint in
/// messages about a name (a rule, a setting, a level).
pub fn did_you_mean(written: &str, options: &[&str]) -> String {
    closest(written, options).map(|c| format!("; did you mean `{c}`?")).unwrap_or_default()
}

/// A name as compared: lower case, without the separators that naming styles differ in.
fn fold(name: &str) -> String {
    name.trim()
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
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
        assert_eq!(closest("maanger", TITLES), Some("manager"), "a transposition is one edit");
    }

    #[test]
    fn another_naming_style_is_the_same_name() {
        let fields = &["email", "mfa_enabled", "is_billing_admin", "name"];
        assert_eq!(closest("e-mail", fields), Some("email"));
        assert_eq!(closest("mfaEnabled", fields), Some("mfa_enabled"));
        assert_eq!(closest("IsBillingAdmin", fields), Some("is_billing_admin"));
    }

    #[test]
    fn nothing_close_gives_no_guess() {
        assert_eq!(closest("Chief Executive Officer", TITLES), None);
        // "cxo" is one edit from ceo, cto and cso alike: no honest single guess.
        assert_eq!(closest("cxo", TITLES), None);
        assert_eq!(did_you_mean("zzz", TITLES), "");
        assert_eq!(did_you_mean("Manager", TITLES), "; did you mean `manager`?");
    }
}
