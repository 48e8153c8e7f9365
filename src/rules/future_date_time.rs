//! R003 `future-date-time`: a date-time after the response was captured.

use chrono::{Duration, SecondsFormat};

use super::{Context, Place, User};
use crate::diagnostic::{Code, Diagnostic};
use crate::findings::Findings;
use crate::json::Value;

fn future_date_time(place: Place<'_>, value: Value<'_>, base: &str, ctx: &Context) -> Diagnostic {
    let at = ctx.captured.to_rfc3339_opts(SecondsFormat::Secs, true);
    // A capture that records no time (a saved body) is checked against the time of the run.
    let when = if ctx.captured_recorded {
        format!("the capture time {at}")
    } else {
        format!("now, {at} (the capture records no time)")
    };
    Diagnostic::new(Code::FutureDateTime, format!("`{}` is in the future", place.field()))
        .with_span(value.span())
        .with_pointer(place.pointer(base))
        .with_label(format!("after {when}"))
        .with_help(format!(
            "a recorded change or login cannot be later than the capture ({at}, with \
             {LEEWAY_HOURS} hours of leeway for local times and clock skew)"
        ))
}

const LEEWAY_HOURS: i64 = 14;

pub fn check(user: &User<'_>, base: &str, ctx: &Context, out: &mut Findings) {
    let limit = ctx.captured + Duration::hours(LEEWAY_HOURS);
    for field in user.date_times() {
        if field.instant.is_some_and(|t| t > limit) {
            out.push(future_date_time(field.place, field.value, base, ctx));
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

    /// A saved body records no capture time: the label says the time of the run is used.
    #[test]
    fn without_a_capture_time_the_label_says_now() {
        let src = r#"{"changed": "2999-01-01T00:00:00Z"}"#;
        let recorded = crate::rules::testing::run(src);
        assert!(recorded[0].label.as_deref().unwrap().starts_with("after the capture time "));
        let exchange = crate::exchange::Exchange::default();
        let saved = crate::rules::testing::run_with(src, &exchange);
        let label = saved[0].label.as_deref().unwrap();
        assert!(label.ends_with("(the capture records no time)"), "{label}");
    }
}
