//! `--redact`: captured profiles hold people's emails and names. A mask keeps each value's
//! length in bytes and in characters, so every span, line and column of a redacted report is
//! that of the plain one: `joao.silva@example.com` becomes `j***.s****@e******.com`, and
//! `João` becomes `J*·*` (a character of two bytes is masked by one of two bytes).

use std::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::json::parse::Reader;
use crate::json::{Kind, Tape, Value};
use crate::rules::{Object, User};
use crate::source::Source;

/// A personal value: the bytes of the source it is written in (inside its quotes), and its
/// decoded text, which messages quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Personal {
    pub written: Range<usize>,
    pub decoded: String,
}

/// Masks every personal value in `source` and wherever `diagnostics` quote it.
pub fn apply(source: &mut Source, values: &[Personal], diagnostics: &mut [Diagnostic]) {
    if values.is_empty() {
        return;
    }
    let bytes = std::sync::Arc::make_mut(&mut source.bytes);
    for value in values {
        let Some(written) = bytes.get(value.written.clone()) else { continue };
        let masked = mask(&String::from_utf8_lossy(written));
        if masked.len() == written.len() {
            bytes[value.written.clone()].copy_from_slice(masked.as_bytes());
        }
        let mut replacements = vec![(value.decoded.clone(), mask(&value.decoded))];
        // Messages quote long values cut short: mask the cut too.
        let cut: String = value.decoded.chars().take(39).collect();
        if cut.len() < value.decoded.len() {
            replacements.push((cut.clone(), mask(&cut)));
        }
        for d in diagnostics.iter_mut() {
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

/// The personal strings of the body at `range` of `text`: the emails and names of users and of
/// `changed_by` objects, duplicates of a key included. Offsets are in `text`.
pub fn personal_values(text: &str, range: Range<usize>) -> Vec<Personal> {
    let body = &text[..range.end];
    let start = range.start + usize::from(body[range.start..].starts_with('\u{feff}')) * 3;
    let mut out = Vec::new();
    let mut reader = Reader::new(body, start);
    let mut tape = Tape::new(body);
    let mut collect = |user: Value<'_>| {
        if user.kind() != Kind::Object {
            return;
        }
        let user = User::new(user);
        for &(_, object, value) in user.objects() {
            if object == Object::Label {
                continue;
            }
            for (key, value) in value.members_as_written() {
                let personal = key.is_key("email") || key.is_key("name");
                if let (true, Some(decoded)) = (personal, value.as_str()) {
                    let span = value.span();
                    out.push(Personal {
                        written: span.offset + 1..span.end() - 1,
                        decoded: decoded.to_owned(),
                    });
                }
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

/// Each word keeps its first character; every other character becomes a mask of the same
/// length in bytes (`*`, `·`, `∗` or `🞶`), so the text keeps its bytes and its characters.
/// Separators stay, as does the last label of an email's domain (`.com`).
fn mask(text: &str) -> String {
    let keep_from = text.rfind('@').and_then(|at| text[at..].rfind('.').map(|dot| at + dot));
    let mut out = String::with_capacity(text.len());
    let mut in_word = false;
    for (i, c) in text.char_indices() {
        if keep_from.is_some_and(|k| i >= k) || !c.is_alphanumeric() {
            out.push(c);
            in_word = false;
        } else if in_word {
            out.push(match c.len_utf8() {
                1 => '*',
                2 => '·',
                3 => '∗',
                _ => '🞶',
            });
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
    fn masks_keep_bytes_characters_and_shape() {
        assert_eq!(mask("joao.silva@example.com"), "j***.s****@e******.com");
        assert_eq!(mask("João Silva"), "J*·* S****");
        assert_eq!(mask("a+b@mail.example.co.uk"), "a+b@m***.e******.c*.uk");
        for text in ["João Silva", "Zoë Lefèvre", "李小龍", "𝒜𝒞𝒟 x", "Jose\u{301} A"]
        {
            let masked = mask(text);
            assert_eq!(masked.len(), text.len(), "{text}");
            assert_eq!(masked.chars().count(), text.chars().count(), "{text}");
            assert_ne!(masked, text);
        }
    }

    #[test]
    fn only_emails_and_names_of_users_and_changed_by_are_personal() {
        let src = r#"[{"email": "a@b.co", "name": "Ana", "name": "Ana 2", "title": "dev",
            "changed_by": {"email": "c@d.co", "name": "Rui"}, "labels": [{"name": "prod",
            "changed_by": {"name": "Eva"}}]}]"#;
        let found: Vec<String> =
            personal_values(src, 0..src.len()).into_iter().map(|p| p.decoded).collect();
        assert_eq!(found, ["a@b.co", "Ana", "Ana 2", "c@d.co", "Rui", "Eva"]);
    }
}
