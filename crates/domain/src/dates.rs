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

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap().and_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn one_format_in_each_language() {
        assert_eq!(date_time(Locale::Fi, t(9, 5)), "tiistai 1.12.2026 klo 9.05");
        assert_eq!(date_time(Locale::Sv, t(9, 5)), "tisdag 1.12.2026 kl. 9.05");
        assert_eq!(date_time(Locale::En, t(14, 30)), "Tuesday 1.12.2026 at 14.30");
        assert_eq!(date_time_range(Locale::Fi, t(9, 0), t(9, 30)), "tiistai 1.12.2026 klo 9.00–9.30");
    }
}
