//! Finnish public holidays, and the eves on which public offices are closed too.
//!
//! Computed for any Gregorian year, so no table needs yearly upkeep.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// Easter Sunday of `year` (anonymous Gregorian algorithm, Meeus/Jones/Butcher).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    date(year, month as u32, day as u32)
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("holiday dates are valid calendar dates")
}

/// The first `weekday` on or after `from`.
fn first_on_or_after(from: NaiveDate, weekday: Weekday) -> NaiveDate {
    let ahead = (7 + weekday.num_days_from_monday() - from.weekday().num_days_from_monday()) % 7;
    from + Duration::days(i64::from(ahead))
}

/// Days on which offices are closed in `year`, in date order, with their English names.
/// Includes Midsummer Eve and Christmas Eve, which are not statutory holidays but on which
/// public offices are closed.
pub fn finnish_holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let easter = easter_sunday(year);
    let midsummer_day = first_on_or_after(date(year, 6, 20), Weekday::Sat);
    let all_saints = first_on_or_after(date(year, 10, 31), Weekday::Sat);
    let mut days = vec![
        (date(year, 1, 1), "New Year's Day"),
        (date(year, 1, 6), "Epiphany"),
        (easter - Duration::days(2), "Good Friday"),
        (easter, "Easter Sunday"),
        (easter + Duration::days(1), "Easter Monday"),
        (date(year, 5, 1), "May Day"),
        (easter + Duration::days(39), "Ascension Day"),
        (easter + Duration::days(49), "Whit Sunday"),
        (midsummer_day - Duration::days(1), "Midsummer Eve"),
        (midsummer_day, "Midsummer Day"),
        (all_saints, "All Saints' Day"),
        (date(year, 12, 6), "Independence Day"),
        (date(year, 12, 24), "Christmas Eve"),
        (date(year, 12, 25), "Christmas Day"),
        (date(year, 12, 26), "St Stephen's Day"),
    ];
    days.sort();
    days
}

/// The name of the holiday on `day`, if it is one.
pub fn holiday_name(day: NaiveDate) -> Option<&'static str> {
    finnish_holidays(day.year()).into_iter().find(|(d, _)| *d == day).map(|(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn easter_matches_published_dates() {
        for (y, m, d) in
            [(2016, 3, 27), (2024, 3, 31), (2025, 4, 20), (2027, 3, 28), (2030, 4, 21), (2038, 4, 25)]
        {
            assert_eq!(easter_sunday(y), date(y, m, d), "Easter {y}");
        }
    }

    #[test]
    fn holidays_of_2027() {
        let names: Vec<_> = finnish_holidays(2027).into_iter().map(|(d, n)| (d.to_string(), n)).collect();
        for (day, name) in [
            ("2027-03-26", "Good Friday"),
            ("2027-03-29", "Easter Monday"),
            ("2027-05-06", "Ascension Day"),
            ("2027-06-25", "Midsummer Eve"),
            ("2027-06-26", "Midsummer Day"),
            ("2027-11-06", "All Saints' Day"),
            ("2027-12-06", "Independence Day"),
            ("2027-12-24", "Christmas Eve"),
        ] {
            assert!(names.contains(&(day.to_owned(), name)), "{name} on {day} missing: {names:?}");
        }
        assert_eq!(names.len(), 15);
    }

    #[test]
    fn midsummer_and_all_saints_fall_on_saturday_in_their_windows() {
        for year in 2000..2100 {
            let days = finnish_holidays(year);
            let find = |n: &str| days.iter().find(|(_, name)| *name == n).unwrap().0;
            let mid = find("Midsummer Day");
            assert_eq!(mid.weekday(), Weekday::Sat);
            assert!((date(year, 6, 20)..=date(year, 6, 26)).contains(&mid));
            let saints = find("All Saints' Day");
            assert_eq!(saints.weekday(), Weekday::Sat);
            assert!((date(year, 10, 31)..=date(year, 11, 6)).contains(&saints));
            assert_eq!(find("Good Friday").weekday(), Weekday::Fri);
            assert_eq!(find("Ascension Day").weekday(), Weekday::Thu);
        }
    }
}
