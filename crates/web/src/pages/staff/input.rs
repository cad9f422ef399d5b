//! What office managers type into the calendar forms (advisors, weekly rules, closures):
//! dates, clock times and lists read the way people write them in Finland, and the
//! domain's and the store's refusals, which are English, named in the page's language.

use crate::catalogue::{StaffText as S, Tr};
use crate::forms::Errors;
use aukiolo_domain::validation::YEARS;
use aukiolo_domain::FieldError;
use chrono::{Datelike, NaiveDate, NaiveTime};

/// A form's fields as sent, repeats kept (checkboxes send one pair each).
pub type Given = Vec<(String, String)>;

/// The first value sent for `name`, or "".
pub fn one<'a>(given: &'a Given, name: &str) -> &'a str {
    given.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

/// Every value sent for `name`, in order.
pub fn all<'a>(given: &'a Given, name: &str) -> Vec<&'a str> {
    given.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
}

/// The parts of a list typed with commas or spaces between them.
pub fn parts(raw: &str) -> Vec<String> {
    raw.split([',', ' ']).map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned).collect()
}

/// A list as the form shows it: "fi, sv".
pub fn list<T: ToString>(items: &[T]) -> String {
    items.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

/// A day written as 1.10.2027 (as the pages show dates) or 2027-10-01, within the years
/// every date of the service is bounded to.
pub fn day(raw: &str) -> Option<NaiveDate> {
    aukiolo_domain::dates::parse_date(raw).filter(|d| YEARS.contains(&d.year()))
}

/// An optional day: `Some(None)` when left empty, `None` when not a day.
pub fn optional_day(raw: &str) -> Option<Option<NaiveDate>> {
    if raw.trim().is_empty() {
        Some(None)
    } else {
        day(raw).map(Some)
    }
}

/// A clock time written as 8.00, 8:00 or 08:00 (`dates::parse_clock`, as the absences
/// form reads it).
pub fn time(raw: &str) -> Option<NaiveTime> {
    aukiolo_domain::dates::parse_clock(raw)
}

/// A day as a form shows it again: 1.10.2027.
pub fn day_text(d: Option<NaiveDate>) -> String {
    d.map(aukiolo_domain::dates::numeric).unwrap_or_default()
}

/// The store's or the domain's field errors as the form's errors: `text` names, for a
/// field path (`breaks[0].end`), the form's field and the message in the page's language;
/// a path it does not know is shown on `fallback` as "check this value", never in English.
pub fn named(
    t: Tr,
    bad: Vec<FieldError>,
    fallback: &'static str,
    text: impl Fn(&str) -> Option<(&'static str, S)>,
) -> Errors {
    let mut errors = Errors::default();
    for f in bad {
        let (field, message) = text(&f.field).unwrap_or((fallback, S::CheckValue));
        if errors.get(field).is_none() {
            errors.add(field, t.s(message));
        }
    }
    errors
}

/// `value` when neither the form's own checks (`errors`) nor the domain's (`validated`)
/// found anything; else both, one message a field, the domain's named by [`named`].
pub fn finish<T>(
    t: Tr,
    mut errors: Errors,
    validated: Result<(), Vec<FieldError>>,
    fallback: &'static str,
    text: impl Fn(&str) -> Option<(&'static str, S)>,
    value: T,
) -> Result<T, Errors> {
    if let Err(bad) = validated {
        for e in named(t, bad, fallback, text).0 {
            if errors.get(&e.field).is_none() {
                errors.add_owned(e.field, e.message);
            }
        }
    }
    if errors.is_empty() {
        Ok(value)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_times_are_read_as_written() {
        assert_eq!(day("1.10.2027"), NaiveDate::from_ymd_opt(2027, 10, 1));
        assert_eq!(day(" 2027-10-01 "), NaiveDate::from_ymd_opt(2027, 10, 1));
        assert_eq!(day("31.2.2027"), None);
        assert_eq!(day("1.1.2101"), None, "bounded like every date");
        assert_eq!(optional_day(""), Some(None));
        assert_eq!(optional_day("tomorrow"), None);
        assert_eq!(time("8.00"), NaiveTime::from_hms_opt(8, 0, 0));
        assert_eq!(time("08:30"), NaiveTime::from_hms_opt(8, 30, 0));
        assert_eq!(time("25.00"), None);
        assert_eq!(parts("fi, sv  en"), ["fi", "sv", "en"]);
    }
}
