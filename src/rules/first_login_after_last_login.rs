//! R002 `first-login-after-last-login`: a first login later than the last.

use super::{Context, Field, Place, User};
use crate::diagnostic::{Code, Diagnostic};
use crate::findings::Findings;
use crate::json::Value;

fn first_login_after_last_login(first: Value<'_>, last: Value<'_>, base: &str) -> Diagnostic {
    Diagnostic::new(Code::FirstLoginAfterLastLogin, "`first_login` is later than `last_login`")
        .with_span(first.span())
        .with_pointer(Place::User(Some("first_login")).pointer(base))
        .with_label("this first login is after the last")
        .with_related(last.span(), "the last login")
        .with_help("a user's first login cannot come after their last; one of the two is wrong")
}

fn first_login_without_last_login(first: Value<'_>, base: &str) -> Diagnostic {
    Diagnostic::new(Code::FirstLoginAfterLastLogin, "`first_login` is set but `last_login` is null")
        .with_span(first.span())
        .with_pointer(Place::User(Some("first_login")).pointer(base))
        .with_label("a first login")
        .with_help("a user who has logged in once has a last login too; one of the two is wrong")
}

pub fn check(user: &User<'_>, base: &str, _: &Context, out: &mut Findings) {
    let (Some(first), Some(last)) = (user.get(Field::FirstLogin), user.get(Field::LastLogin)) else {
        return;
    };
    if first.as_str().is_some() && last.kind() == crate::json::Kind::Null {
        out.push(first_login_without_last_login(first, base));
        return;
    }
    if let (Some(f), Some(l)) = (user.instant(Field::FirstLogin), user.instant(Field::LastLogin))
        && f > l
    {
        out.push(first_login_after_last_login(first, last, base));
    }
}

#[cfg(test)]
mod tests {
    use crate::Code;
    use crate::rules::testing::pointers;

    #[test]
    fn ordered_or_missing_logins_pass() {
        for src in [
            r#"{"first_login": "2021-01-01T00:00:00Z", "last_login": "2023-01-01T00:00:00Z"}"#,
            r#"{"first_login": "2023-01-01T00:00:00", "last_login": "2023-01-01T00:00:00Z"}"#,
            r#"{"first_login": null, "last_login": null}"#,
            r#"{"first_login": "2023-01-01T00:00:00Z"}"#,
        ] {
            assert!(pointers(src, Code::FirstLoginAfterLastLogin).is_empty(), "{src}");
        }
    }

    #[test]
    fn a_first_login_without_a_last_is_reported() {
        let src = r#"{"first_login": "2023-01-01T00:00:00Z", "last_login": null}"#;
        assert_eq!(pointers(src, Code::FirstLoginAfterLastLogin), ["/first_login"]);
    }

    #[test]
    fn a_first_login_after_the_last_is_reported() {
        let src = r#"{"last_login": "2023-08-09T13:27:43Z", "first_login": "2023-08-09T14:27:43.1+00:30"}"#;
        assert_eq!(pointers(src, Code::FirstLoginAfterLastLogin), ["/first_login"]);
    }
}
