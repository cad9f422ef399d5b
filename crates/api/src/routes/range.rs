//! `from`/`to` query parameters: office-local dates (midnight) or RFC 3339 instants.

use aukiolo_domain::dates::MAX_LISTING_DAYS;
use aukiolo_domain::slots::local_day_start;
use aukiolo_domain::Validation;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

/// A bound as given: a local day, or an instant.
enum Bound {
    Day(NaiveDate),
    Instant(DateTime<Utc>),
}

fn parse_bound(v: &mut Validation, field: &str, raw: &str) -> Option<Bound> {
    let bound = match raw.parse::<NaiveDate>() {
        Ok(day) => Some(Bound::Day(day)),
        Err(_) => v.check(
            field,
            DateTime::parse_from_rfc3339(raw)
                .map(|t| Bound::Instant(t.with_timezone(&Utc)))
                .map_err(|_| "must be a date (YYYY-MM-DD) or an RFC 3339 instant"),
        ),
    }?;
    let year = match &bound {
        Bound::Day(d) => d.year(),
        Bound::Instant(t) => t.year(),
    };
    v.year(field, year).then_some(bound)
}

/// A day as given in the office's zone: `YYYY-MM-DD` within the supported years.
pub(crate) fn parse_day(v: &mut Validation, field: &str, raw: &str) -> Option<NaiveDate> {
    match parse_bound(v, field, raw)? {
        Bound::Day(d) => Some(d),
        Bound::Instant(_) => {
            v.add(field, "must be a date (YYYY-MM-DD)");
            None
        }
    }
}

/// The office-local day a `date` parameter names, or today (by `now`) without one.
pub(crate) fn day_or_today(
    raw: Option<&str>,
    tz: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Result<NaiveDate, crate::ApiError> {
    let Some(raw) = raw else {
        return Ok(now.with_timezone(&tz).date_naive());
    };
    let mut v = Validation::new();
    let day = parse_day(&mut v, "date", raw);
    v.finish()?;
    day.ok_or_else(|| crate::ApiError::Internal("a day without errors or value".into()))
}

/// The range, defaulting to the start of the day of `now` and `default_days` on; errors
/// go to `v`.
pub(crate) fn resolve(
    v: &mut Validation,
    from: Option<&str>,
    to: Option<&str>,
    tz: chrono_tz::Tz,
    default_days: i64,
    now: DateTime<Utc>,
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let today = now.with_timezone(&tz).date_naive();
    let from = match from {
        Some(raw) => parse_bound(v, "from", raw),
        None => Some(Bound::Day(today)),
    };
    let to = match (to, &from) {
        (Some(raw), _) => parse_bound(v, "to", raw),
        // Whole local days on, so a DST change does not shift the end by an hour.
        (None, Some(Bound::Day(d))) => Some(Bound::Day(*d + Duration::days(default_days))),
        (None, Some(Bound::Instant(t))) => Some(Bound::Instant(*t + Duration::days(default_days))),
        (None, None) => None,
    };
    let instant = |b: Bound| match b {
        Bound::Day(d) => local_day_start(tz, d),
        Bound::Instant(t) => t,
    };
    let (f, t) = (instant(from?), instant(to?));
    if t <= f {
        v.add("to", "must be after from");
        return None;
    }
    if t - f > Duration::days(MAX_LISTING_DAYS) {
        v.add("to", format!("the range may cover at most {MAX_LISTING_DAYS} days"));
        return None;
    }
    Some((f, t))
}
