//! Date-times as the documentation writes them.
//!
//! The page's own example is `2023-08-09T13:27:43.8208302`: seven fractional digits and no zone
//! designator, which RFC 3339 (the `date-time` format of JSON Schema) rejects. The live API sends
//! `2023-08-09T13:27:43.820830Z`. Both are ISO 8601, so both are accepted, as is a `+hh:mm` or
//! `-hh:mm` offset; whether the offset is UTC is a drift question, not a format one. The calendar
//! must be real: `2023-02-30` is an error.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

/// The documentation's example, quoted in help texts.
pub const EXAMPLE: &str = "2023-08-09T13:27:43.8208302";

/// The zone designator of a well-formed date-time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// No designator, as in the documentation's example.
    None,
    /// `Z`.
    Utc,
    /// `+hh:mm` or `-hh:mm`, in minutes east of UTC.
    Offset(i32),
}

/// Why a string is not a documented date-time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invalid {
    /// Not of the shape `YYYY-MM-DDTHH:MM:SS[.fraction][zone]`.
    Shape,
    /// The shape is right but the date does not exist.
    Date,
    /// The shape is right but the time of day does not exist.
    Time,
    /// The zone offset is out of range.
    Offset,
}

impl Invalid {
    pub fn reason(&self) -> &'static str {
        match self {
            Invalid::Shape => "is not an ISO 8601 date-time",
            Invalid::Date => "is not a real calendar date",
            Invalid::Time => "is not a real time of day",
            Invalid::Offset => "has a zone offset out of range",
        }
    }
}

/// Checks `s` and returns its zone designator.
pub fn parse(s: &str) -> Result<Zone, Invalid> {
    parse_parts(s).map(|(zone, _)| zone)
}

/// The instant `s` names; a date-time without a zone designator is read as UTC, as the
/// documentation says all date-times are.
pub fn instant(s: &str) -> Option<DateTime<Utc>> {
    let (zone, local) = parse_parts(s).ok()?;
    let offset = match zone {
        Zone::None | Zone::Utc => 0,
        Zone::Offset(minutes) => minutes,
    };
    Some(local.and_utc() - chrono::Duration::minutes(i64::from(offset)))
}

fn parse_parts(s: &str) -> Result<(Zone, chrono::NaiveDateTime), Invalid> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<u32> {
        let digits = b.get(from..from + len)?;
        digits
            .iter()
            .try_fold(0u32, |n, &d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')))
    };
    let sep = |at: usize, c: u8| b.get(at) == Some(&c);
    if !(sep(4, b'-') && sep(7, b'-') && sep(10, b'T') && sep(13, b':') && sep(16, b':')) {
        return Err(Invalid::Shape);
    }
    let (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) =
        (num(0, 4), num(5, 2), num(8, 2), num(11, 2), num(14, 2), num(17, 2))
    else {
        return Err(Invalid::Shape);
    };
    let mut at = 19;
    if sep(at, b'.') {
        let digits = b[at + 1..].iter().take_while(|d| d.is_ascii_digit()).count();
        if digits == 0 {
            return Err(Invalid::Shape);
        }
        at += 1 + digits;
    }
    let zone = match &b[at..] {
        [] => Zone::None,
        [b'Z'] => Zone::Utc,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (Some(h), Some(m)) = (num(at + 1, 2), num(at + 4, 2)) else {
                return Err(Invalid::Shape);
            };
            if h > 23 || m > 59 {
                return Err(Invalid::Offset);
            }
            let minutes = (h * 60 + m) as i32;
            Zone::Offset(if *sign == b'-' { -minutes } else { minutes })
        }
        _ => return Err(Invalid::Shape),
    };
    let date = NaiveDate::from_ymd_opt(year as i32, month, day).ok_or(Invalid::Date)?;
    // A leap second (23:59:60, as RFC 3339 allows) is kept as chrono keeps one: 59 s and a
    // fraction of one second or more.
    let leap = hour == 23 && minute == 59 && second == 60;
    let second = if leap { 59 } else { second };
    let time = NaiveTime::from_hms_opt(hour, minute, second).ok_or(Invalid::Time)?;
    let nanos = if sep(19, b'.') { fraction_nanos(&b[20..]) } else { 0 };
    let time = if leap {
        NaiveTime::from_hms_nano_opt(23, 59, 59, 1_000_000_000 + nanos).ok_or(Invalid::Time)?
    } else {
        time + chrono::Duration::nanoseconds(i64::from(nanos))
    };
    Ok((zone, date.and_time(time)))
}

/// The fraction digits at the start of `digits`, as nanoseconds (digits past nine are dropped).
fn fraction_nanos(digits: &[u8]) -> u32 {
    let mut nanos = 0;
    let mut scale = 100_000_000;
    for d in digits.iter().take_while(|d| d.is_ascii_digit()).take(9) {
        nanos += u32::from(d - b'0') * scale;
        scale /= 10;
    }
    nanos
}

/// The `date-time` format check handed to the schema validator.
pub fn is_valid(s: &str) -> bool {
    parse(s).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_example_without_zone_is_valid() {
        assert_eq!(parse(EXAMPLE), Ok(Zone::None));
    }

    #[test]
    fn live_api_form_with_z_is_valid() {
        assert_eq!(parse("2022-05-10T09:11:29.071929Z"), Ok(Zone::Utc));
        assert_eq!(parse("2022-05-10T09:11:29Z"), Ok(Zone::Utc));
    }

    #[test]
    fn offsets_are_read_in_minutes() {
        assert_eq!(parse("2023-08-09T13:27:43+01:00"), Ok(Zone::Offset(60)));
        assert_eq!(parse("2023-08-09T13:27:43.5-03:30"), Ok(Zone::Offset(-210)));
        assert_eq!(parse("2023-08-09T13:27:43+24:00"), Err(Invalid::Offset));
    }

    #[test]
    fn impossible_calendar_dates_are_rejected() {
        assert_eq!(parse("2023-02-30T00:00:00"), Err(Invalid::Date));
        assert_eq!(parse("2023-13-01T00:00:00"), Err(Invalid::Date));
        assert!(parse("2024-02-29T00:00:00").is_ok());
        assert_eq!(parse("2023-02-28T24:00:00"), Err(Invalid::Time));
        assert!(parse("2016-12-31T23:59:60Z").is_ok(), "a leap second");
        assert_eq!(parse("2016-12-31T12:00:60Z"), Err(Invalid::Time));
    }

    #[test]
    fn instants_read_zoneless_times_as_utc_and_apply_offsets() {
        let utc = instant("2023-08-09T13:27:43.5Z").unwrap();
        assert_eq!(instant("2023-08-09T13:27:43.5").unwrap(), utc);
        assert_eq!(instant("2023-08-09T14:27:43.500+01:00").unwrap(), utc);
        let whole = instant("2023-08-09T13:27:43Z").unwrap();
        assert_eq!(
            instant("2023-08-09T14:27:43+01:00").unwrap(),
            whole,
            "no fraction read from the offset"
        );
        assert!(
            instant("2023-08-09T13:27:43.8208302").unwrap()
                > instant("2023-08-09T13:27:43.82083").unwrap()
        );
    }

    #[test]
    fn other_shapes_are_rejected() {
        for s in [
            "yesterday",
            "2023-08-09",
            "2023-08-09 13:27:43",
            "2023-08-09T13:27:43.",
            "2023-08-09T13:27:43z",
            "2023-08-09T13:27",
            "２023-08-09T13:27:43",
        ] {
            assert_eq!(parse(s), Err(Invalid::Shape), "{s}");
        }
    }
}
