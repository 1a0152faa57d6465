//! Dates of articles, parsed by `jiff` and held as UTC seconds: RFC 3339 and ISO 8601
//! (`YYYY-MM-DD`, `YYYY-MM-DD hh:mm[:ss]`, with or without an offset), RFC 2822 (RSS) and
//! Unix epoch seconds or milliseconds.

use jiff::fmt::rfc2822;
use jiff::tz::TimeZone;
use serde::{Serialize, Serializer};
use std::fmt;

/// A point in time, in seconds since 1970-01-01T00:00:00Z.
///
/// Dates without a time are taken as midnight UTC; times without an offset are taken in the
/// time zone given to [`Timestamp::parse_in`] (UTC by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

const SECONDS_PER_DAY: i64 = 86_400;

/// Why a date was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DateProblem {
    /// In none of the formats read.
    Unreadable,
    /// Read, but outside years 0000–9999 in UTC.
    OutOfRange,
}

impl Timestamp {
    /// 0000-01-01T00:00:00Z: the earliest time written with a four-digit year.
    pub const MIN: Timestamp = Timestamp(-62_167_219_200);
    /// 9999-12-31T23:59:59Z: the latest time written with a four-digit year, so the
    /// latest that [`Timestamp::parse`] reads back.
    pub const MAX: Timestamp = Timestamp(253_402_300_799);

    /// Parses a date, taking times without an offset as UTC: see [`Timestamp::parse_in`].
    pub fn parse(text: &str) -> Option<Timestamp> {
        Timestamp::parse_in(text, None)
    }

    /// Parses, in this order: Unix epoch seconds (9 to 11 digits, optionally with a
    /// fraction) or milliseconds (12 to 14 digits); RFC 3339 / ISO 8601 with an offset
    /// (`2015-07-21T04:51:32+02:00`, `…Z`, fractions ignored); a date and time without one
    /// (`2015-07-21 02:51:32`, `2015-07-21T02:51`), taken in `zone` (UTC when `None`); a
    /// date alone (`2015-07-21`), taken as midnight UTC whatever the zone (it names a day,
    /// not an instant); RFC 2822 (`Tue, 21 Jul 2015 02:51:32 +0300`). Surrounding white space
    /// is ignored. `None` for anything else, an impossible date, or a time outside years
    /// 0000–9999 in UTC (it could not be written back).
    pub fn parse_in(text: &str, zone: Option<&TimeZone>) -> Option<Timestamp> {
        Timestamp::read_in(text, zone).ok()
    }

    /// As [`Timestamp::parse_in`], telling a date in no format read from one out of range.
    pub fn read_in(text: &str, zone: Option<&TimeZone>) -> Result<Timestamp, DateProblem> {
        let s = text.trim();
        let seconds = epoch(s)
            .or_else(|| iso(s, zone))
            .or_else(|| {
                let ts = rfc2822::DateTimeParser::new().parse_timestamp(s).ok()?;
                Some(ts.as_second() - i64::from(ts.subsec_nanosecond() < 0))
            })
            .ok_or(DateProblem::Unreadable)?;
        let utc = Timestamp(seconds);
        if (Timestamp::MIN..=Timestamp::MAX).contains(&utc) {
            Ok(utc)
        } else {
            Err(DateProblem::OutOfRange)
        }
    }

    /// The calendar date (UTC) as `(year, month, day)`.
    pub fn ymd(self) -> (i64, i64, i64) {
        civil_from_days(self.0.div_euclid(SECONDS_PER_DAY))
    }

    /// Days since 1970-01-01 (UTC); used for time windows and per-day counts.
    pub fn day_number(self) -> i64 {
        self.0.div_euclid(SECONDS_PER_DAY)
    }

    /// `YYYY-MM-DD`.
    pub fn date_string(self) -> String {
        let (y, m, d) = self.ymd();
        format!("{y:04}-{m:02}-{d:02}")
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339 in UTC, e.g. `2015-07-21T02:51:32Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, mo, d) = self.ymd();
        let secs = self.0.rem_euclid(SECONDS_PER_DAY);
        write!(
            f,
            "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}Z",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Unix epoch seconds (9 to 11 digits: 1973 to 5138) or milliseconds (12 to 14 digits),
/// with an optional fraction (a JSON float), in whole seconds. Eight digits are left to
/// ISO 8601 (`20150721`).
fn epoch(s: &str) -> Option<i64> {
    let (whole, fraction) = s.split_once('.').unwrap_or((s, "0"));
    let digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !digits(fraction) {
        return None;
    }
    let n: i64 = whole.parse().ok()?;
    match whole.len() {
        9..=11 => Some(n),
        12..=14 => Some(n.div_euclid(1000)),
        _ => None,
    }
}

/// RFC 3339 / ISO 8601 (jiff's Temporal parser): with an offset, an instant; with a zone
/// annotation (`[Asia/Riyadh]`) and no offset, a time in that zone; with neither, a time in
/// `zone`; a date alone, midnight UTC. Whole seconds, rounded down.
fn iso(s: &str, zone: Option<&TimeZone>) -> Option<i64> {
    let pieces = jiff::fmt::temporal::Pieces::parse(s).ok()?;
    let Some(time) = pieces.time() else {
        return Some(civil_seconds(
            pieces.date().to_datetime(jiff::civil::Time::midnight()),
        ));
    };
    let datetime = pieces.date().to_datetime(time);
    if let Some(offset) = pieces.to_numeric_offset() {
        return Some(civil_seconds(datetime) - i64::from(offset.seconds()));
    }
    let ts = match pieces.to_time_zone().ok()?.as_ref().or(zone) {
        Some(zone) => zone.to_timestamp(datetime).ok()?,
        None => return Some(civil_seconds(datetime)),
    };
    Some(ts.as_second() - i64::from(ts.subsec_nanosecond() < 0))
}

/// Seconds from 1970-01-01T00:00:00 to a civil time, rounded down: the whole range of
/// four-digit years, where jiff's `Timestamp` stops a day short of either end.
fn civil_seconds(datetime: jiff::civil::DateTime) -> i64 {
    let since = datetime.duration_since(jiff::civil::DateTime::constant(1970, 1, 1, 0, 0, 0, 0));
    since.as_secs() - i64::from(since.subsec_nanos() < 0)
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_formats_accepted_before() {
        assert_eq!(Timestamp::parse("1970-01-01"), Some(Timestamp(0)));
        let utc = |s: &str| Timestamp::parse(s).map(|t| t.to_string());
        assert_eq!(utc("2015-07-21 02:51:32").unwrap(), "2015-07-21T02:51:32Z");
        assert_eq!(
            utc("2015-07-21T04:51:32+02:00").unwrap(),
            "2015-07-21T02:51:32Z"
        );
        assert_eq!(
            utc("2015-07-21t02:51:32.125z").unwrap(),
            "2015-07-21T02:51:32Z"
        );
        assert_eq!(utc(" 2015-07-21 ").unwrap(), "2015-07-21T00:00:00Z");
        assert_eq!(
            Timestamp::parse("2025-02-12T23:30:00-01:00")
                .unwrap()
                .date_string(),
            "2025-02-13"
        );
        // Fractions before 1970 round down, as they did.
        assert_eq!(
            Timestamp::parse("1969-12-31T23:59:59.5Z"),
            Some(Timestamp(-1))
        );
    }

    #[test]
    fn parses_rss_epochs_and_minutes() {
        let utc = |s: &str| Timestamp::parse(s).map(|t| t.to_string());
        assert_eq!(
            utc("Tue, 21 Jul 2015 05:51:32 +0300").unwrap(),
            "2015-07-21T02:51:32Z"
        );
        assert_eq!(
            utc("21 Jul 2015 02:51:32 GMT").unwrap(),
            "2015-07-21T02:51:32Z"
        );
        assert_eq!(utc("1437447092").unwrap(), "2015-07-21T02:51:32Z");
        assert_eq!(utc("1437447092.75").unwrap(), "2015-07-21T02:51:32Z");
        assert_eq!(utc("1437447092123").unwrap(), "2015-07-21T02:51:32Z");
        assert_eq!(utc("2015-07-21T02:51").unwrap(), "2015-07-21T02:51:00Z");
        assert_eq!(utc("2015-07-21 02:51").unwrap(), "2015-07-21T02:51:00Z");
        assert_eq!(
            utc("2015-07-21T04:51:32+0200").unwrap(),
            "2015-07-21T02:51:32Z"
        );
    }

    #[test]
    fn naive_times_take_the_time_zone_and_dates_stay_days() {
        let riyadh = TimeZone::get("Asia/Riyadh").unwrap();
        let at = |s: &str| Timestamp::parse_in(s, Some(&riyadh)).map(|t| t.to_string());
        assert_eq!(at("2015-07-21 05:51:32").unwrap(), "2015-07-21T02:51:32Z");
        assert_eq!(at("2015-07-21T05:51").unwrap(), "2015-07-21T02:51:00Z");
        // An offset or an epoch is an instant: the zone does not apply.
        assert_eq!(at("2015-07-21T05:51:32Z").unwrap(), "2015-07-21T05:51:32Z");
        assert_eq!(at("1437447092").unwrap(), "2015-07-21T02:51:32Z");
        assert_eq!(at("2015-07-21").unwrap(), "2015-07-21T00:00:00Z");
        // A zone written in the date wins over the option.
        assert_eq!(
            at("2015-07-21T05:51:32[Europe/Paris]").unwrap(),
            "2015-07-21T03:51:32Z"
        );
    }

    #[test]
    fn rejects_impossible_and_malformed_dates() {
        for bad in [
            "",
            "2015",
            "2015-13-01",
            "2015-02-29",
            "2015-07-21 25:00:00",
            "21/07/2015",
            "2015-07-21T02:51:32.Z",
            "2015-07-21T02:51:32+26:00",
            "٢٠١٥-٠٧-٢١",
            "12345",
            "123456789012345",
            "yesterday",
        ] {
            assert_eq!(Timestamp::parse(bad), None, "{bad:?}");
        }
        assert!(Timestamp::parse("2016-02-29").is_some());
        // Past year 9999 in UTC: it could not be written back with four digits.
        assert_eq!(Timestamp::parse("9999-12-31T23:30:00-01:00"), None);
        let max = Timestamp::parse("9999-12-31T23:59:59Z").unwrap();
        assert_eq!(
            (max, Timestamp::parse(&max.to_string())),
            (Timestamp::MAX, Some(max))
        );
        let min = Timestamp::parse("0000-01-01").unwrap();
        assert_eq!(
            (min, Timestamp::parse(&min.to_string())),
            (Timestamp::MIN, Some(min))
        );
    }

    #[test]
    fn civil_dates_match_jiff_day_by_day() {
        let mut date = jiff::civil::date(1900, 1, 1);
        for _ in 0..60_000 {
            let day = TimeZone::UTC
                .to_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
                .unwrap()
                .as_second()
                .div_euclid(SECONDS_PER_DAY);
            let expected = (
                i64::from(date.year()),
                i64::from(date.month()),
                i64::from(date.day()),
            );
            assert_eq!(civil_from_days(day), expected);
            date = date.tomorrow().unwrap();
        }
    }
}
