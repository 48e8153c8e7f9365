//! R003 `future-date-time`: a date-time after the response was captured.

use chrono::{DateTime, Duration, SecondsFormat, Utc};

use super::{Context, Place, User};
use crate::datetime;
use crate::diagnostic::{Code, Diagnostic};
use crate::json::Value;

fn future_date_time(
    place: Place<'_>,
    value: Value<'_>,
    base: &str,
    captured: DateTime<Utc>,
) -> Diagnostic {
    let captured = captured.to_rfc3339_opts(SecondsFormat::Secs, true);
    Diagnostic::new(Code::FutureDateTime, format!("`{}` is in the future", place.field()))
        .with_span(value.span())
        .with_pointer(place.pointer(base))
        .with_label(format!("after the capture time {captured}"))
        .with_help(format!(
            "a recorded change or login cannot be later than the capture ({captured}, with {} hours \
             of leeway for local times and clock skew)",
            LEEWAY_HOURS
        ))
}

const LEEWAY_HOURS: i64 = 14;

pub fn check(user: &User<'_>, base: &str, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let limit = ctx.captured + Duration::hours(LEEWAY_HOURS);
    for (place, value, text) in user.date_times() {
        if datetime::instant(text).is_some_and(|t| t > limit) {
            out.push(future_date_time(place, value, base, ctx.captured));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Code;
    use crate::rules::testing::pointers;

    #[test]
    fn past_and_near_times_pass() {
        // The capture is 2026-01-01T00:00:00Z; 10 hours later is within the leeway.
        let src = r#"{"changed": "2025-12-31T23:00:00Z", "last_login": "2026-01-01T10:00:00"}"#;
        assert!(pointers(src, Code::FutureDateTime).is_empty());
    }

    #[test]
    fn times_after_the_capture_are_reported() {
        let src = r#"{"changed": "2999-01-01T00:00:00Z", "labels": [{"changed": "2026-01-02T00:00:00Z"}]}"#;
        assert_eq!(pointers(src, Code::FutureDateTime), ["/changed", "/labels/0/changed"]);
    }
}
