//! R007 `search-term-missing`: a user that does not contain the search term.

use super::{Context, User};
use crate::diagnostic::{Code, Diagnostic, Span};
use crate::findings::Findings;
use crate::json::{Kind, Value};

fn search_term_missing(user: Value<'_>, base: &str, term: &str) -> Diagnostic {
    Diagnostic::new(Code::SearchTermMissing, format!("this user does not contain the search term {term:?}"))
        .with_span(Span::new(user.span().offset, 1))
        .with_pointer(base.to_owned())
        .with_label("no text field contains it")
        .with_help("with search=TERM, every result should contain the term (without case) in one of its text fields")
}

pub fn check(user: &User<'_>, base: &str, ctx: &Context, out: &mut Findings) {
    let user = user.value();
    let Some((term, _)) = &ctx.search else { return };
    if term.is_empty() || user.kind() != Kind::Object {
        return;
    }
    if !contains(user, term) {
        out.push(search_term_missing(user, base, term));
    }
}

/// Whether any string under `value` contains `term` (already lowercase), without case.
fn contains(value: Value<'_>, term: &str) -> bool {
    match value.kind() {
        Kind::String => value.as_str().is_some_and(|s| s.to_lowercase().contains(term)),
        Kind::Array => value.elements().any(|v| contains(v, term)),
        Kind::Object => value.members().any(|(_, v)| contains(v, term)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::Code;
    use crate::rules::testing;

    #[test]
    fn users_without_the_term_are_reported() {
        let exchange = testing::exchange(None, Some("SILVA"));
        let src = r#"[{"name": "João Silva"}, {"name": "Ana", "labels": [{"name": "silva-team"}]}, {"name": "Rui"}]"#;
        let found: Vec<_> = testing::run_with(src, &exchange)
            .into_iter()
            .filter(|d| d.code == Code::SearchTermMissing)
            .filter_map(|d| d.pointer)
            .collect();
        assert_eq!(found, ["/2"]);
    }
}
