//! The period a pilot page covers: `?from=&to=`, both days included (the API's `to` is the
//! day after), written `D.M.YYYY` as the form's fields show them or `YYYY-MM-DD` as links
//! and the API write them. Without them, the pilot and as long before it, so that before
//! and after both have data; with no pilot start, the last four weeks.

use crate::catalogue::{PilotText as P, Tr};
use crate::error::Problem;
use crate::forms::Errors;
use crate::staff::Signed;
use aukiolo_domain::dates::{self, PeriodError};
use aukiolo_domain::metrics::{self, OfficeFact};
use aukiolo_domain::{Locale, OfficeId};
use aukiolo_store::{DbConnection, StoreError};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Deserialize;

#[derive(Clone, Debug, Default, Deserialize)]
pub struct PeriodQuery {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// First and last day, both included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub last: NaiveDate,
}

impl Period {
    /// The day after the last, as the metrics functions take it.
    pub fn end(&self) -> NaiveDate {
        self.last + Duration::days(1)
    }

    /// `?from=…&to=…` for links.
    pub fn query(&self) -> String {
        format!("from={}&to={}", self.from, self.last)
    }

    /// The pilot and as long before it, up to `today`; the last four weeks without a start
    /// (or with one that has not come yet).
    pub fn around(start: Option<NaiveDate>, today: NaiveDate) -> Period {
        match start.filter(|s| *s <= today) {
            Some(s) => Period { from: s - (today - s) - Duration::days(1), last: today },
            None => Period::last_weeks(today, 4),
        }
    }

    pub fn last_weeks(today: NaiveDate, weeks: i64) -> Period {
        Period { from: today - Duration::weeks(weeks) + Duration::days(1), last: today }
    }
}

fn day(raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim();
    dates::parse_iso(raw)
        .or_else(|| dates::parse_date(raw))
        .filter(|d| aukiolo_domain::validation::YEARS.contains(&chrono::Datelike::year(d)))
}

/// The period asked for, `default` when neither day is given; field errors otherwise.
pub fn parse(t: Tr, q: &PeriodQuery, default: Period) -> Result<Period, Errors> {
    let given = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    let (from, to) = (given(&q.from), given(&q.to));
    if from.is_none() && to.is_none() {
        return Ok(default);
    }
    let mut errors = Errors::default();
    let mut read = |field: &'static str, raw: Option<String>, fallback: NaiveDate| match raw {
        None => Some(fallback),
        Some(r) => {
            let d = day(&r);
            if d.is_none() {
                errors.add(field, t.p(P::DateInvalid));
            }
            d
        }
    };
    let (from, last) = (read("from", from, default.from), read("to", to, default.last));
    if let (Some(from), Some(last)) = (from, last) {
        match dates::report_period(from, last + Duration::days(1)) {
            Err(PeriodError::Empty) => errors.add("to", t.p(P::ToBeforeFrom)),
            Err(PeriodError::TooLong) => errors.add("to", t.p(P::PeriodTooLong)),
            Ok(()) if errors.is_empty() => return Ok(Period { from, last }),
            Ok(()) => {}
        }
    }
    Err(errors)
}

/// A ready period as a link.
pub struct Preset {
    pub href: String,
    pub label: &'static str,
    pub current: bool,
}

/// The ready periods as links to the page at `path`.
fn presets(
    lang: Locale,
    start: Option<NaiveDate>,
    today: NaiveDate,
    shown: Period,
    path: &str,
) -> Vec<Preset> {
    let t = Tr(lang);
    let mut list =
        vec![(Period::around(start, today), P::PresetAround), (Period::last_weeks(today, 4), P::PresetLast4)];
    if let Some(s) = start.filter(|s| *s <= today) {
        list.push((Period { from: s, last: today }, P::PresetSinceStart));
    }
    list.into_iter()
        .map(|(p, label)| Preset {
            href: format!("{path}?{}", p.query()),
            label: t.p(label),
            current: p == shown,
        })
        .collect()
}

/// The period form as a page shows it: the days as typed (or the period's), the ready
/// periods and what is shown.
pub struct PeriodForm {
    pub from: String,
    pub to: String,
    pub presets: Vec<Preset>,
    pub shown: String,
}

/// What every pilot page starts from: whose figures, the period asked for (the default,
/// with the form's errors, when it cannot be read), and the form to change it.
pub struct Asked {
    pub office: Option<OfficeId>,
    pub now: DateTime<Utc>,
    pub start: Option<NaiveDate>,
    pub period: Period,
    pub errors: Errors,
    pub form: PeriodForm,
}

impl Asked {
    /// The period's days as the page writes them.
    pub fn days(&self) -> (String, String) {
        (dates::numeric(self.period.from), dates::numeric(self.period.last))
    }
}

/// The pilot group's start, from the offices as they stand.
pub fn pilot_start(c: &mut DbConnection) -> Result<Option<NaiveDate>, StoreError> {
    let offices: Vec<OfficeFact> = aukiolo_store::offices::list(c)?
        .into_iter()
        .map(|o| OfficeFact {
            id: o.id,
            pilot_group: o.fields.pilot_group,
            pilot_start: o.fields.pilot_start,
        })
        .collect();
    Ok(metrics::pilot_group_start(&offices))
}

/// Reads who asks and for which period, for the page at `path` (under `/{lang}`).
pub async fn asked(signed: &Signed, q: &PeriodQuery, path: &str) -> Result<Asked, Problem> {
    let office = super::scope(signed)?;
    let lang = signed.lang();
    let t = Tr(lang);
    let site = signed.site();
    let now = site.now();
    // "Today" in Finland: the pilot's offices are all in Helsinki's zone, and a period is
    // a list of office-local days.
    let today = now.with_timezone(&chrono_tz::Europe::Helsinki).date_naive();
    let start = site.read(pilot_start).await?;
    let default = Period::around(start, today);
    let (period, errors) = match parse(t, q, default) {
        Ok(p) => (p, Errors::default()),
        Err(e) => (default, e),
    };
    let typed = |v: &Option<String>, d: NaiveDate| v.clone().unwrap_or_else(|| dates::numeric(d));
    let (from, last) = (dates::numeric(period.from), dates::numeric(period.last));
    let form = PeriodForm {
        from: typed(&q.from, period.from),
        to: typed(&q.to, period.last),
        presets: presets(lang, start, today, period, &format!("/{}{path}", lang.as_str())),
        shown: t.fill_p(P::PeriodShown, &[("from", &from), ("to", &last)]),
    };
    Ok(Asked { office, now, start, period, errors, form })
}

#[cfg(test)]
mod tests {
    use super::*;
    use aukiolo_domain::Locale;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn q(from: &str, to: &str) -> PeriodQuery {
        PeriodQuery { from: Some(from.into()), to: Some(to.into()) }
    }

    #[test]
    fn reads_both_ways_of_writing_a_day() {
        let t = Tr(Locale::En);
        let default = Period::last_weeks(d(2026, 12, 2), 4);
        assert_eq!(parse(t, &PeriodQuery::default(), default).ok(), Some(default));
        assert_eq!(
            parse(t, &q("1.11.2026", "2026-11-30"), default).ok(),
            Some(Period { from: d(2026, 11, 1), last: d(2026, 11, 30) })
        );
        let one_day = parse(t, &q("2026-11-30", "30.11.2026"), default).unwrap();
        assert_eq!((one_day.from, one_day.end()), (d(2026, 11, 30), d(2026, 12, 1)));
        let fields = |e: Errors| e.list().iter().map(|f| f.field.clone()).collect::<Vec<_>>();
        assert_eq!(fields(parse(t, &q("31.2.2026", "x"), default).unwrap_err()), ["from", "to"]);
        assert_eq!(fields(parse(t, &q("2.12.2026", "1.12.2026"), default).unwrap_err()), ["to"]);
        assert_eq!(fields(parse(t, &q("1.1.2024", "1.1.2026"), default).unwrap_err()), ["to"]);
        assert!(parse(t, &q("2.1.2024", "1.1.2026"), default).is_ok(), "731 days");
    }

    #[test]
    fn the_default_spans_as_long_before_the_start_as_after() {
        let today = d(2026, 12, 2);
        let p = Period::around(Some(d(2026, 10, 21)), today);
        // 43 days from the start to today (both included), and 43 days before it.
        assert_eq!((p.from, p.last), (d(2026, 9, 8), today));
        assert_eq!((d(2026, 10, 21) - p.from).num_days(), (p.end() - d(2026, 10, 21)).num_days());
        assert_eq!(Period::around(None, today), Period::last_weeks(today, 4));
        assert_eq!(Period::around(Some(d(2027, 1, 1)), today).from, d(2026, 11, 5));
    }
}
