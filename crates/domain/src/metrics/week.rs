//! ISO 8601 weeks (`2026-W48`): the finest time the questionnaire responses keep, and so the
//! time dimension every metric can be grouped by.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// An ISO week, Monday to Sunday, numbered within its ISO year (which differs from the
/// calendar year around New Year: 2026-12-31 is in `2026-W53`, 2027-01-01 too). Ordered in
/// time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Week {
    year: i32,
    week: u32,
}

impl Week {
    /// The week a day falls in.
    pub fn of(day: NaiveDate) -> Week {
        let w = day.iso_week();
        Week { year: w.year(), week: w.week() }
    }

    /// The week's Monday.
    pub fn monday(self) -> NaiveDate {
        NaiveDate::from_isoywd_opt(self.year, self.week, Weekday::Mon)
            .expect("a Week is only made from a valid ISO week")
    }

    /// The week's Sunday.
    pub fn sunday(self) -> NaiveDate {
        NaiveDate::from_isoywd_opt(self.year, self.week, Weekday::Sun)
            .expect("a Week is only made from a valid ISO week")
    }

    /// Reads `YYYY-Www` exactly as written by `%G-W%V` (week zero-padded); `None` for
    /// anything else or a week the year does not have.
    pub fn parse(s: &str) -> Option<Week> {
        let (year, week) = s.split_once("-W")?;
        let digits = |t: &str, n: usize| t.len() == n && t.bytes().all(|b| b.is_ascii_digit());
        if !digits(year, 4) || !digits(week, 2) {
            return None;
        }
        let (year, week) = (year.parse().ok()?, week.parse().ok()?);
        NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)?;
        Some(Week { year, week })
    }
}

impl fmt::Display for Week {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-W{:02}", self.year, self.week)
    }
}

impl FromStr for Week {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Week::parse(s).ok_or_else(|| format!("`{s}` is not an ISO week such as 2026-W48"))
    }
}

impl Serialize for Week {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Week {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn weeks_as_chrono_writes_them() {
        assert_eq!(Week::of(day(2026, 11, 23)).to_string(), "2026-W48");
        assert_eq!(Week::of(day(2026, 11, 29)).to_string(), "2026-W48");
        // The ISO year differs from the calendar year around New Year.
        assert_eq!(Week::of(day(2027, 1, 1)).to_string(), "2026-W53");
        assert_eq!(Week::of(day(2025, 12, 29)).to_string(), "2026-W01");
        assert_eq!(Week::of(day(2026, 3, 4)).to_string(), day(2026, 3, 4).format("%G-W%V").to_string());
    }

    #[test]
    fn monday_and_sunday() {
        let w = Week::parse("2026-W48").unwrap();
        assert_eq!((w.monday(), w.sunday()), (day(2026, 11, 23), day(2026, 11, 29)));
        assert!(Week::parse("2026-W47").unwrap() < w);
        assert!(w < Week::parse("2027-W01").unwrap());
    }

    #[test]
    fn only_the_canonical_form_parses() {
        for bad in ["2026-W5", "2026-w48", "26-W48", "2026-W00", "2025-W53", "2026W48", "2026-W48 ", ""] {
            assert_eq!(Week::parse(bad), None, "{bad:?}");
        }
        assert!(Week::parse("2026-W53").is_some());
        assert_eq!(serde_json::to_string(&Week::parse("2026-W09").unwrap()).unwrap(), "\"2026-W09\"");
    }

    proptest! {
        #[test]
        fn a_day_lies_in_its_week_and_the_label_round_trips(offset in 0i64..40_000) {
            let d = day(2000, 1, 1) + chrono::Duration::days(offset);
            let w = Week::of(d);
            prop_assert!(w.monday() <= d && d <= w.sunday());
            prop_assert_eq!(Week::parse(&w.to_string()), Some(w));
            prop_assert_eq!(w.to_string(), d.format("%G-W%V").to_string());
        }
    }
}
