//! D003 `non-utc-offset`: a date-time with an offset other than UTC.

use super::{Context, Place, User};
use crate::datetime::{self, Zone};
use crate::diagnostic::{Code, Diagnostic};
use crate::findings::Findings;
use crate::json::Value;

fn non_utc_offset(place: Place<'_>, value: Value<'_>, base: &str, minutes: i32) -> Diagnostic {
    let sign = if minutes < 0 { '-' } else { '+' };
    let offset = format!("{sign}{:02}:{:02}", minutes.abs() / 60, minutes.abs() % 60);
    Diagnostic::new(
        Code::NonUtcOffset,
        format!("`{}` is at offset {offset}, not UTC", place.field()),
    )
    .with_span(value.span())
    .with_pointer(place.pointer(base))
    .with_label(format!("offset {offset}"))
    .with_help(format!(
        "the documentation gives date-times \"in ISO 8601 UTC format\", e.g. \"{}\"; end them \
             with `Z` or no designator",
        datetime::EXAMPLE
    ))
}

pub fn check(user: &User<'_>, base: &str, _: &Context, out: &mut Findings) {
    for field in user.date_times() {
        if let Some(Zone::Offset(minutes)) = field.zone
            && minutes != 0
        {
            out.push(non_utc_offset(field.place, field.value, base, minutes));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Code;
    use crate::rules::testing::{pointers, run};

    #[test]
    fn utc_and_zoneless_pass() {
        let src = r#"{"changed": "2023-08-09T13:27:43.8208302", "last_login": "2023-08-09T13:27:43Z",
            "first_login": "2023-08-09T13:27:43+00:00"}"#;
        assert!(pointers(src, Code::NonUtcOffset).is_empty());
    }

    #[test]
    fn an_offset_is_reported_with_its_value() {
        let src = r#"{"labels": [{"changed": "2023-08-09T10:27:43-03:00"}]}"#;
        let found = run(src);
        assert_eq!(found[0].pointer.as_deref(), Some("/labels/0/changed"));
        assert!(found[0].message.contains("-03:00"), "{}", found[0].message);
    }
}
