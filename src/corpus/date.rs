//! Dates of articles: `YYYY-MM-DD`, `YYYY-MM-DD hh:mm:ss` and RFC 3339, held as UTC seconds.

use serde::{Serialize, Serializer};
use std::fmt;

/// A point in time, in seconds since 1970-01-01T00:00:00Z.
///
/// Dates without a time are taken as midnight UTC; times without an offset are taken as UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

const SECONDS_PER_DAY: i64 = 86_400;

impl Timestamp {
    /// 0000-01-01T00:00:00Z: the earliest time written with a four-digit year.
    pub const MIN: Timestamp = Timestamp(-62_167_219_200);
    /// 9999-12-31T23:59:59Z: the latest time written with a four-digit year, so the
    /// latest that [`Timestamp::parse`] reads back.
    pub const MAX: Timestamp = Timestamp(253_402_300_799);

    /// Parses `YYYY-MM-DD`, `YYYY-MM-DD hh:mm:ss` (also with `T`) and RFC 3339 with fractional
    /// seconds and `Z` or `±hh:mm`. Surrounding white space is ignored. `None` if it is none of
    /// these or names an impossible date.
    pub fn parse(text: &str) -> Option<Timestamp> {
        let s = text.trim().as_bytes();
        if s.len() < 10 || s[4] != b'-' || s[7] != b'-' {
            return None;
        }
        let year = digits(&s[0..4])?;
        let month = digits(&s[5..7])?;
        let day = digits(&s[8..10])?;
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return None;
        }
        let mut seconds = days_from_civil(year, month, day) * SECONDS_PER_DAY;
        let rest = &s[10..];
        if rest.is_empty() {
            return Some(Timestamp(seconds));
        }
        if !matches!(rest[0], b' ' | b'T' | b't') || rest.len() < 9 {
            return None;
        }
        let time = &rest[1..];
        if time[2] != b':' || time[5] != b':' {
            return None;
        }
        let (h, m, sec) = (
            digits(&time[0..2])?,
            digits(&time[3..5])?,
            digits(&time[6..8])?,
        );
        if h > 23 || m > 59 || sec > 60 {
            return None;
        }
        seconds += h * 3600 + m * 60 + sec;
        let mut tail = &time[8..];
        if tail.first() == Some(&b'.') {
            let frac_len = tail[1..].iter().take_while(|b| b.is_ascii_digit()).count();
            if frac_len == 0 {
                return None;
            }
            tail = &tail[1 + frac_len..];
        }
        match tail {
            [] | [b'Z'] | [b'z'] => Some(Timestamp(seconds)),
            [sign @ (b'+' | b'-'), oh1, oh2, b':', om1, om2] => {
                let offset = digits(&[*oh1, *oh2])? * 3600 + digits(&[*om1, *om2])? * 60;
                let utc = Timestamp(if *sign == b'+' {
                    seconds - offset
                } else {
                    seconds + offset
                });
                // An offset may carry a date across year 0 or 9999, where it could not be
                // written back in this format.
                (Timestamp::MIN..=Timestamp::MAX)
                    .contains(&utc)
                    .then_some(utc)
            }
            _ => None,
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

fn digits(bytes: &[u8]) -> Option<i64> {
    bytes.iter().try_fold(0i64, |acc, &b| {
        b.is_ascii_digit().then(|| acc * 10 + i64::from(b - b'0'))
    })
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's civil-calendar algorithms (public domain), proleptic Gregorian.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
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
    fn parses_the_three_formats() {
        assert_eq!(Timestamp::parse("1970-01-01"), Some(Timestamp(0)));
        assert_eq!(
            Timestamp::parse("2015-07-21 02:51:32").unwrap().to_string(),
            "2015-07-21T02:51:32Z"
        );
        assert_eq!(
            Timestamp::parse("2015-07-21T04:51:32+02:00")
                .unwrap()
                .to_string(),
            "2015-07-21T02:51:32Z"
        );
        assert_eq!(
            Timestamp::parse("2015-07-21t02:51:32.125z")
                .unwrap()
                .to_string(),
            "2015-07-21T02:51:32Z"
        );
        assert_eq!(
            Timestamp::parse("2025-02-12T23:30:00-01:00")
                .unwrap()
                .date_string(),
            "2025-02-13"
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
            "2015-07-21 02:51",
            "21/07/2015",
            "2015-07-21T02:51:32+0200",
            "2015-07-21T02:51:32.Z",
            "٢٠١٥-٠٧-٢١",
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
    fn civil_round_trip_matches_brute_force_day_counting() {
        let mut days = 0i64;
        for year in 1970..2040 {
            for month in 1..=12 {
                for day in 1..=days_in_month(year, month) {
                    assert_eq!(days_from_civil(year, month, day), days);
                    assert_eq!(civil_from_days(days), (year, month, day));
                    days += 1;
                }
            }
        }
    }
}
