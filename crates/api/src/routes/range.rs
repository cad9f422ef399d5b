//! `from`/`to` query parameters: office-local dates (midnight) or RFC 3339 instants.

use aukiolo_domain::Validation;
use aukiolo_store::slots::local_day_start;
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// Longest range one request may cover.
pub(crate) const MAX_DAYS: i64 = 62;

/// Reads a day (local midnight) or an instant.
fn parse_bound(v: &mut Validation, field: &str, raw: &str, tz: chrono_tz::Tz) -> Option<DateTime<Utc>> {
    if let Ok(day) = raw.parse::<NaiveDate>() {
        return Some(local_day_start(tz, day));
    }
    v.check(
        field,
        DateTime::parse_from_rfc3339(raw)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| "must be a date (YYYY-MM-DD) or an RFC 3339 instant"),
    )
}

/// The range, defaulting to today's start and `default_days` on; errors go to `v`.
pub(crate) fn resolve(
    v: &mut Validation,
    from: Option<&str>,
    to: Option<&str>,
    tz: chrono_tz::Tz,
    default_days: i64,
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let today = Utc::now().with_timezone(&tz).date_naive();
    let from = match from {
        Some(raw) => parse_bound(v, "from", raw, tz),
        None => Some(local_day_start(tz, today)),
    };
    let to = match (to, from) {
        (Some(raw), _) => parse_bound(v, "to", raw, tz),
        (None, Some(f)) => Some(f + Duration::days(default_days)),
        (None, None) => None,
    };
    let (f, t) = (from?, to?);
    if t <= f {
        v.add("to", "must be after from");
        return None;
    }
    if t - f > Duration::days(MAX_DAYS) {
        v.add("to", format!("the range may cover at most {MAX_DAYS} days"));
        return None;
    }
    Some((f, t))
}
