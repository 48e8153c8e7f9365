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

/// Why a string is not a documented date-time: each says what is wrong, so a person can fix
/// it without reading RFC 3339.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invalid {
    /// Not of the shape `YYYY-MM-DDTHH:MM:SS[.fraction][zone]`.
    Shape,
    /// A date alone: `2023-08-09`.
    DateOnly,
    /// A date-time with more after it than a fraction and a zone: `...T13:27:43:12`.
    TrailingText,
    /// `.` with no digits after it.
    EmptyFraction,
    /// An offset without its colon: `+0100` (RFC 3339 5.6 `time-numoffset`).
    OffsetWithoutColon,
    /// The month does not exist.
    Month(u32),
    /// The month exists but not that day of it.
    Day {
        /// The year, month and day as written.
        year: i32,
        /// The month (1 to 12).
        month: u32,
        /// The day the month does not have.
        day: u32,
    },
    /// The hour, minute or second does not exist.
    Time,
    /// A leap second that is not 23:59:60 in UTC (RFC 3339 5.7 and 5.8); the UTC time it
    /// names, as `hh:mm`.
    LeapSecond(String),
    /// The zone offset is out of range.
    Offset,
}

impl Invalid {
    /// Why the text is not a valid date-time, as a message says it after the value.
    pub fn reason(&self) -> String {
        match self {
            Invalid::Shape => "is not an ISO 8601 date-time".into(),
            Invalid::DateOnly => "is a date without a time of day".into(),
            Invalid::TrailingText => "has more after the seconds than a fraction and a zone".into(),
            Invalid::EmptyFraction => "has a `.` with no fraction digits after it".into(),
            Invalid::OffsetWithoutColon => {
                "has a zone offset without its colon (RFC 3339 writes `+01:00`, not `+0100`)".into()
            }
            Invalid::Month(month) => {
                format!("is not a real calendar date: there is no month {month}")
            }
            Invalid::Day { year, month, day } => {
                let month = u8::try_from(*month).ok().and_then(|m| chrono::Month::try_from(m).ok());
                match month.and_then(|m| Some((m.name(), m.num_days(*year)?))) {
                    Some((name, days)) => format!(
                        "is not a real calendar date: {name} {year} has {days} days, not {day}"
                    ),
                    None => "is not a real calendar date".into(),
                }
            }
            Invalid::Time => "is not a real time of day".into(),
            Invalid::LeapSecond(utc) => {
                format!("has a leap second at {utc}:60 UTC; a leap second can only be 23:59:60 UTC")
            }
            Invalid::Offset => "has a zone offset out of range".into(),
        }
    }
}

impl Invalid {
    /// What would be valid instead of `written`, where this fault has a fix of its own.
    pub fn fix(&self, written: &str) -> Option<String> {
        match self {
            Invalid::OffsetWithoutColon => {
                let (time, offset) = written.split_at(written.len() - 4);
                Some(format!(
                    "write the offset with a colon: \"{time}{}:{}\"",
                    &offset[..2],
                    &offset[2..]
                ))
            }
            Invalid::DateOnly => Some(format!("add the time of day: \"{written}T00:00:00\"")),
            Invalid::EmptyFraction => {
                Some(format!("drop the `.` or add digits: \"{}\"", written.trim_end_matches('.')))
            }
            Invalid::LeapSecond(_) => Some(
                "leap seconds are added only at the end of a UTC day: 23:59:60 in UTC, which is \
                 15:59:60 at -08:00 or 00:59:60 (the next day) at +01:00"
                    .into(),
            ),
            Invalid::Month(_) | Invalid::Day { .. } => {
                Some("the date must exist in the calendar".into())
            }
            _ => None,
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
    read(s).1
}

/// The zone designator of `s`, when it is a date-time, and the instant it names, in one
/// reading: the rules that look at a user's date-times share it.
pub fn read(s: &str) -> (Option<Zone>, Option<DateTime<Utc>>) {
    match parse_parts(s) {
        Ok((zone, local)) => (Some(zone), instant_of(zone, local)),
        Err(_) => (None, None),
    }
}

fn instant_of(zone: Zone, local: chrono::NaiveDateTime) -> Option<DateTime<Utc>> {
    use chrono::Timelike;
    let offset = chrono::Duration::minutes(i64::from(zone.minutes()));
    // Arithmetic drops a leap second's extra second (chrono keeps it as nanoseconds past
    // 1e9): move the whole second, then put the leap back.
    let nanos = local.nanosecond();
    let utc = (local.with_nanosecond(nanos % 1_000_000_000)?.and_utc()) - offset;
    if nanos >= 1_000_000_000 { utc.with_nanosecond(nanos) } else { Some(utc) }
}

impl Zone {
    /// Minutes east of UTC.
    fn minutes(self) -> i32 {
        match self {
            Zone::None | Zone::Utc => 0,
            Zone::Offset(minutes) => minutes,
        }
    }
}

/// The fields of `YYYY-MM-DDTHH:MM:SS`, read from fixed places.
struct Fields {
    year: u32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

fn number(b: &[u8], from: usize, len: usize) -> Option<u32> {
    let digits = b.get(from..from + len)?;
    digits.iter().try_fold(0u32, |n, &d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')))
}

fn fields(b: &[u8]) -> Result<Fields, Invalid> {
    let sep = |at: usize, c: u8| b.get(at) == Some(&c);
    let date = sep(4, b'-') && sep(7, b'-');
    let (year, month, day) = (number(b, 0, 4), number(b, 5, 2), number(b, 8, 2));
    if date && b.len() == 10 && year.is_some() && month.is_some() && day.is_some() {
        return Err(Invalid::DateOnly);
    }
    // RFC 3339 5.6, NOTE: "T" and "Z" may be lower case.
    let t = matches!(b.get(10), Some(b'T' | b't'));
    if !(date && t && sep(13, b':') && sep(16, b':')) {
        return Err(Invalid::Shape);
    }
    let (hour, minute, second) = (number(b, 11, 2), number(b, 14, 2), number(b, 17, 2));
    match (year, month, day, hour, minute, second) {
        (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) => {
            Ok(Fields { year, month, day, hour, minute, second })
        }
        _ => Err(Invalid::Shape),
    }
}

/// The zone designator at the end of `rest` (what follows the seconds and fraction).
fn zone(rest: &[u8]) -> Result<Zone, Invalid> {
    let two = |d: &[u8]| number(d, 0, 2);
    match rest {
        [] => Ok(Zone::None),
        [b'Z' | b'z'] => Ok(Zone::Utc),
        [sign @ (b'+' | b'-'), h @ .., b':', m1, m2] if h.len() == 2 => {
            let (Some(h), Some(m)) = (two(h), two(&[*m1, *m2])) else {
                return Err(Invalid::Shape);
            };
            if h > 23 || m > 59 {
                return Err(Invalid::Offset);
            }
            let minutes = (h * 60 + m) as i32;
            Ok(Zone::Offset(if *sign == b'-' { -minutes } else { minutes }))
        }
        [b'+' | b'-', digits @ ..]
            if digits.len() == 4 && digits.iter().all(u8::is_ascii_digit) =>
        {
            Err(Invalid::OffsetWithoutColon)
        }
        _ => Err(Invalid::TrailingText),
    }
}

fn parse_parts(s: &str) -> Result<(Zone, chrono::NaiveDateTime), Invalid> {
    let b = s.as_bytes();
    let f = fields(b)?;
    let mut at = 19;
    if b.get(at) == Some(&b'.') {
        let digits = b[at + 1..].iter().take_while(|d| d.is_ascii_digit()).count();
        if digits == 0 {
            return Err(Invalid::EmptyFraction);
        }
        at += 1 + digits;
    }
    let zone = zone(&b[at..])?;
    if !(1..=12).contains(&f.month) {
        return Err(Invalid::Month(f.month));
    }
    let year = f.year as i32;
    let date = NaiveDate::from_ymd_opt(year, f.month, f.day).ok_or(Invalid::Day {
        year,
        month: f.month,
        day: f.day,
    })?;
    if f.hour > 23 || f.minute > 59 || f.second > 60 {
        return Err(Invalid::Time);
    }
    let nanos = if b.get(19) == Some(&b'.') { fraction_nanos(&b[20..]) } else { 0 };
    if f.second == 60 {
        return leap_second(date, &f, nanos, zone);
    }
    let time =
        NaiveTime::from_hms_nano_opt(f.hour, f.minute, f.second, nanos).ok_or(Invalid::Time)?;
    Ok((zone, date.and_time(time)))
}

/// A leap second is judged in UTC (RFC 3339 5.8 gives `1990-12-31T15:59:60-08:00`): it is
/// valid only where the local time, less the offset, is 23:59:60. It is kept as chrono keeps
/// one: 59 s and a fraction of one second or more.
fn leap_second(
    date: NaiveDate,
    f: &Fields,
    nanos: u32,
    zone: Zone,
) -> Result<(Zone, chrono::NaiveDateTime), Invalid> {
    let local = date.and_hms_opt(f.hour, f.minute, 0).ok_or(Invalid::Time)?;
    let utc = local - chrono::Duration::minutes(i64::from(zone.minutes()));
    let hh_mm = utc.format("%H:%M").to_string();
    if hh_mm != "23:59" {
        return Err(Invalid::LeapSecond(hh_mm));
    }
    let time = NaiveTime::from_hms_nano_opt(f.hour, f.minute, 59, 1_000_000_000 + nanos)
        .ok_or(Invalid::Time)?;
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
    fn impossible_calendar_dates_are_rejected_with_the_reason() {
        let day = |year, month, day| Err(Invalid::Day { year, month, day });
        assert_eq!(parse("2023-02-30T00:00:00"), day(2023, 2, 30));
        assert_eq!(parse("2023-13-01T00:00:00"), Err(Invalid::Month(13)));
        assert!(parse("2024-02-29T00:00:00").is_ok());
        assert_eq!(
            Invalid::Day { year: 2023, month: 2, day: 29 }.reason(),
            "is not a real calendar date: February 2023 has 28 days, not 29"
        );
        assert_eq!(parse("2023-02-28T24:00:00"), Err(Invalid::Time));
        assert!(parse("2016-12-31T23:59:60Z").is_ok(), "a leap second");
    }

    /// RFC 3339 5.6, NOTE: "T" and "Z" may alternatively be lower case.
    #[test]
    fn lower_case_t_and_z_are_valid() {
        assert_eq!(parse("2023-08-09t13:27:43z"), Ok(Zone::Utc));
        assert_eq!(parse("2023-08-09t13:27:43.8208302"), Ok(Zone::None));
        assert_eq!(instant("2023-08-09t13:27:43z"), instant("2023-08-09T13:27:43Z"));
    }

    /// RFC 3339 5.7 and 5.8: a leap second is 23:59:60 in UTC, whatever the local offset;
    /// 5.8 gives `1990-12-31T15:59:60-08:00` as an example.
    #[test]
    fn a_leap_second_is_judged_in_utc() {
        assert!(parse("1990-12-31T15:59:60-08:00").is_ok());
        assert!(parse("1998-12-31T15:59:60.123-08:00").is_ok());
        assert!(parse("1990-12-31T23:59:60Z").is_ok());
        assert_eq!(parse("1998-12-31T23:59:60+01:00"), Err(Invalid::LeapSecond("22:59".into())));
        assert_eq!(parse("2016-12-31T12:00:60Z"), Err(Invalid::LeapSecond("12:00".into())));
        // A zoneless date-time is read as UTC, as the documentation says.
        assert!(parse("2016-12-31T23:59:60").is_ok());
        assert!(parse("2016-12-31T23:59:61Z").is_err());
        let leap = instant("1990-12-31T15:59:60-08:00").unwrap();
        assert!(leap > instant("1990-12-31T23:59:59Z").unwrap());
        assert!(leap < instant("1991-01-01T00:00:00Z").unwrap());
    }

    #[test]
    fn each_shape_error_says_what_is_wrong() {
        assert_eq!(parse("2023-08-09T13:27:43+0100"), Err(Invalid::OffsetWithoutColon));
        assert_eq!(parse("2023-08-09"), Err(Invalid::DateOnly));
        assert_eq!(parse("2023-08-09T13:27:43:12"), Err(Invalid::TrailingText));
        assert_eq!(parse("2023-08-09T13:27:43.123.456"), Err(Invalid::TrailingText));
        assert_eq!(parse("2023-08-09T13:27:43."), Err(Invalid::EmptyFraction));
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
        for s in ["yesterday", "2023-08-09 13:27:43", "2023-08-09T13:27", "２023-08-09T13:27:43"] {
            assert_eq!(parse(s), Err(Invalid::Shape), "{s}");
        }
    }
}
