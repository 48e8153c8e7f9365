//! R006 `unknown-ordering-field`: the request orders by a field a user does not have.

use super::Context;
use super::USER;
use crate::diagnostic::{Code, Diagnostic};
use crate::findings::Findings;

fn unknown_ordering_field(ctx: &Context, field: &str) -> Diagnostic {
    let close = crate::suggest::closest(field, USER);
    let help = match close {
        Some(close) => format!(
            "did you mean `{close}`? ordering takes a field of the user, `-` first to invert"
        ),
        None => {
            format!("ordering takes a field of the user ({}), `-` first to invert", USER.join(", "))
        }
    };
    let mut d = Diagnostic::new(
        Code::UnknownOrderingField,
        format!("the request orders by `{field}`, which users do not have"),
    )
    .with_label(format!("ordering={}", ctx.ordering_text))
    .with_help(help);
    if let Some(span) = ctx.ordering_span {
        d = d.with_span(span);
    }
    d
}

pub fn check(ctx: &Context, out: &mut Findings) {
    for field in &ctx.ordering {
        if !USER.contains(&field.name.as_str()) {
            out.push(unknown_ordering_field(ctx, &field.name));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::{Context, testing};

    #[test]
    fn known_fields_pass_and_typos_are_named() {
        let exchange = testing::exchange(Some("-last_login,name"), None);
        let mut out = crate::findings::Findings::new(None);
        super::check(&Context::new(&exchange), &mut out);
        assert!(out.is_empty());
        let exchange = testing::exchange(Some("-last_logon"), None);
        super::check(&Context::new(&exchange), &mut out);
        let out = out.into_kept();
        assert!(out[0].help.as_deref().unwrap().starts_with("did you mean `last_login`?"));
    }
}
