//! `--redact`: captured profiles hold people's emails and names. Masking keeps each value's
//! length in bytes, so every span, line and column of a report stays right:
//! `joao.silva@example.com` becomes `j***.s****@e******.com`.

use crate::json::parse::Reader;
use crate::json::{Kind, Tape, Value};
use crate::report::FileReport;
use crate::rules::{Object, User};

/// Masks the personal values of `report`'s source, and wherever its findings quote them.
pub fn redact(report: &mut FileReport) {
    let Some(source) = &mut report.source else { return };
    let text = source.text().into_owned();
    let values = personal_values(&text);
    if values.is_empty() {
        return;
    }
    for &(offset, len, ref decoded) in &values {
        let masked = mask(&text[offset..offset + len]);
        std::sync::Arc::make_mut(&mut source.bytes)[offset..offset + len]
            .copy_from_slice(masked.as_bytes());
        let mut replacements = vec![(decoded.clone(), mask(decoded))];
        // Messages quote long values cut short: mask the cut too.
        let cut: String = decoded.chars().take(39).collect();
        if cut.len() < decoded.len() {
            replacements.push((cut.clone(), mask(&cut)));
        }
        for d in &mut report.diagnostics {
            let texts = [Some(&mut d.message), d.help.as_mut(), d.label.as_mut()];
            for text in texts.into_iter().flatten() {
                for (from, to) in &replacements {
                    if !from.is_empty() && text.contains(from.as_str()) {
                        *text = text.replace(from.as_str(), to);
                    }
                }
            }
        }
    }
}

/// The byte range of each personal string (inside its quotes, as written) and its decoded text.
fn personal_values(text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut reader = Reader::new(text, usize::from(text.starts_with('\u{feff}')) * 3);
    let mut tape = Tape::new(text);
    let mut collect = |user: Value<'_>| {
        if user.kind() != Kind::Object {
            return;
        }
        let user = User::new(user);
        for field in ["email", "name"] {
            for (_, value, decoded) in user.strings(&[Object::User, Object::ChangedBy], field) {
                let span = value.span();
                out.push((span.offset + 1, span.len - 2, decoded.to_owned()));
            }
        }
    };
    if reader.peek() == Some(b'[') {
        if reader.begin_array().is_ok() {
            while let Ok(true) = reader.next_item(&mut tape) {
                collect(tape.root());
            }
        }
    } else if reader.value(&mut tape).is_ok() {
        collect(tape.root());
    }
    out
}

/// Each word keeps its first character; the rest of its bytes become `*`. Separators stay, as
/// does the last label of an email's domain (`.com`).
fn mask(text: &str) -> String {
    let keep_from = text.rfind('@').and_then(|at| text[at..].rfind('.').map(|dot| at + dot));
    let mut out = String::with_capacity(text.len());
    let mut in_word = false;
    for (i, c) in text.char_indices() {
        if keep_from.is_some_and(|k| i >= k) || !c.is_alphanumeric() {
            out.push(c);
            in_word = false;
        } else if in_word {
            out.extend(std::iter::repeat_n('*', c.len_utf8()));
        } else {
            out.push(c);
            in_word = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_length_and_shape() {
        assert_eq!(mask("joao.silva@example.com"), "j***.s****@e******.com");
        assert_eq!(mask("João Silva"), "J**** S****");
        assert_eq!(mask("João Silva").len(), "João Silva".len());
        assert_eq!(mask("a+b@mail.example.co.uk"), "a+b@m***.e******.c*.uk");
    }

    #[test]
    fn only_emails_and_names_of_users_and_changed_by_are_personal() {
        let src = r#"[{"email": "a@b.co", "name": "Ana", "title": "dev",
            "changed_by": {"email": "c@d.co", "name": "Rui"}, "labels": [{"name": "prod",
            "changed_by": {"name": "Eva"}}]}]"#;
        let found: Vec<String> = personal_values(src).into_iter().map(|(.., v)| v).collect();
        assert_eq!(found, ["a@b.co", "c@d.co", "Ana", "Rui", "Eva"]);
    }
}
