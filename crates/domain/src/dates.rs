//! Dates and times as people read them, the same on pages, in mails and in invites:
//! D.M.YYYY in all three languages and one clock format, `9.00` (no leading zero, a dot),
//! so "9.00–9.30" on the time page is "9.00" in the mail too.

use crate::Locale;
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

const WEEKDAYS: [[&str; 7]; 3] = [
    ["maanantai", "tiistai", "keskiviikko", "torstai", "perjantai", "lauantai", "sunnuntai"],
    ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"],
    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
];

fn index(locale: Locale) -> usize {
    match locale {
        Locale::Fi => 0,
        Locale::Sv => 1,
        Locale::En => 2,
    }
}

/// "tiistai", "tisdag", "Tuesday".
pub fn weekday(locale: Locale, d: NaiveDate) -> &'static str {
    WEEKDAYS[index(locale)][d.weekday().num_days_from_monday() as usize]
}

/// "1.12.2026".
pub fn numeric(d: NaiveDate) -> String {
    format!("{}.{}.{}", d.day(), d.month(), d.year())
}

/// "tiistai 1.12.2026", "tisdag 1.12.2026", "Tuesday 1.12.2026".
pub fn date(locale: Locale, d: NaiveDate) -> String {
    format!("{} {}", weekday(locale, d), numeric(d))
}

/// "9.00", "14.30".
pub fn clock(t: NaiveTime) -> String {
    format!("{}.{:02}", t.hour(), t.minute())
}

/// "9.00–9.30".
pub fn clock_range(from: NaiveTime, to: NaiveTime) -> String {
    format!("{}–{}", clock(from), clock(to))
}

/// "klo", "kl.", "at": the word before a clock time.
pub fn at(locale: Locale) -> &'static str {
    ["klo", "kl.", "at"][index(locale)]
}

/// "tiistai 1.12.2026 klo 9.00", "tisdag 1.12.2026 kl. 9.00", "Tuesday 1.12.2026 at 9.00".
pub fn date_time(locale: Locale, t: NaiveDateTime) -> String {
    format!("{} {} {}", date(locale, t.date()), at(locale), clock(t.time()))
}

/// "tiistai 1.12.2026 klo 9.00–9.30".
pub fn date_time_range(locale: Locale, from: NaiveDateTime, to: NaiveDateTime) -> String {
    format!("{} {} {}", date(locale, from.date()), at(locale), clock_range(from.time(), to.time()))
}

/// A date as people type it: "3.12.2026" (the way every page shows dates), or
/// "2026-12-03"; spaces around it ignored.
pub fn parse_date(raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim();
    NaiveDate::parse_from_str(raw, "%d.%m.%Y").or_else(|_| NaiveDate::parse_from_str(raw, "%Y-%m-%d")).ok()
}

/// A clock time as people type it: "9.00" (the way every page shows times), "9:00" or
/// "9"; spaces around it ignored.
pub fn parse_clock(raw: &str) -> Option<NaiveTime> {
    let raw = raw.trim();
    let (h, m) = raw.split_once(['.', ':']).unwrap_or((raw, "00"));
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)
}

/// `YYYY-MM-DD` exactly, as links and the API write a day.
pub fn parse_iso(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok().filter(|d| d.format("%Y-%m-%d").to_string() == raw)
}

/// The longest period one report covers (the metrics API, the pilot pages): two years, so
/// that a pilot year can be set against the year before.
pub const MAX_REPORT_DAYS: i64 = 731;

/// The longest range one listing covers (bookings, free times, an office's calendar).
pub const MAX_LISTING_DAYS: i64 = 62;

/// Why days `[from, to)` are not a report's period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodError {
    /// `to` is not after `from`.
    Empty,
    /// Longer than [`MAX_REPORT_DAYS`].
    TooLong,
}

/// Checks days `[from, to)` as a report's period.
pub fn report_period(from: NaiveDate, to: NaiveDate) -> Result<(), PeriodError> {
    if to <= from {
        Err(PeriodError::Empty)
    } else if (to - from).num_days() > MAX_REPORT_DAYS {
        Err(PeriodError::TooLong)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_report_covers_one_day_to_two_years() {
        let d = |s: &str| super::parse_iso(s).unwrap();
        assert_eq!(super::report_period(d("2026-12-01"), d("2026-12-02")), Ok(()));
        assert_eq!(super::report_period(d("2026-01-01"), d("2028-01-02")), Ok(()));
        assert_eq!(super::report_period(d("2026-01-01"), d("2028-01-03")), Err(super::PeriodError::TooLong));
        assert_eq!(super::report_period(d("2026-12-01"), d("2026-12-01")), Err(super::PeriodError::Empty));
        assert_eq!(super::parse_iso("2026-1-01"), None);
        assert_eq!(super::parse_iso("1.12.2026"), None);
    }

    use super::*;

    fn t(h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap().and_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn typed_dates_and_times_are_read() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        assert_eq!(parse_date(" 3.12.2026 "), Some(d));
        assert_eq!(parse_date("2026-12-03"), Some(d));
        assert_eq!(parse_date("31.2.2026"), None);
        assert_eq!(parse_date("3.12."), None);
        assert_eq!(parse_clock("9.00"), Some(t(9, 0).time()));
        assert_eq!(parse_clock("14:30"), Some(t(14, 30).time()));
        assert_eq!(parse_clock("9"), Some(t(9, 0).time()));
        assert_eq!(parse_clock("24.00"), None);
        assert_eq!(parse_clock("9.5"), None);
        assert_eq!(parse_clock(""), None);
    }

    #[test]
    fn one_format_in_each_language() {
        assert_eq!(date_time(Locale::Fi, t(9, 5)), "tiistai 1.12.2026 klo 9.05");
        assert_eq!(date_time(Locale::Sv, t(9, 5)), "tisdag 1.12.2026 kl. 9.05");
        assert_eq!(date_time(Locale::En, t(14, 30)), "Tuesday 1.12.2026 at 14.30");
        assert_eq!(date_time_range(Locale::Fi, t(9, 0), t(9, 30)), "tiistai 1.12.2026 klo 9.00–9.30");
    }
}
