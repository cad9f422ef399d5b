//! `/{lang}/pilot/measures/{key}?from=&to=`: one measure week by week, pilot against
//! control with the pilot start marked, then by office and week. The weeks are the ISO
//! weeks whose Monday lies in the period, as the metrics API groups them.

use super::chart::{self, Label, Series};
use super::period::{asked, Period, PeriodForm, PeriodQuery};
use super::{measure_name, Unit};
use crate::catalogue::{PilotText as P, Text, Tr};
use crate::chrome::Chrome;
use crate::error::Problem;
use crate::forms::Errors;
use crate::staff::Signed;
use actix_web::{web, HttpResponse};
use askama::Template;
use aukiolo_domain::metrics::{self, figure, GroupBy, MetricsRow, Week, CONTROL_GROUP, PILOT_GROUP};
use aukiolo_domain::{dates, OfficeId};
use chrono::Duration;
use std::collections::HashMap;

/// One week of the series.
pub struct WeekRow {
    pub week: String,
    pub pilot: String,
    pub pilot_n: String,
    pub control: String,
    pub control_n: String,
}

/// One office in one week.
pub struct OfficeRow {
    pub office: String,
    pub week: String,
    pub value: String,
    pub n: String,
}

#[derive(Template)]
#[template(path = "pilot/measure.html")]
struct MeasurePage {
    c: Chrome,
    heading: String,
    intro: String,
    errors: Errors,
    form: PeriodForm,
    chart: String,
    weeks: Vec<WeekRow>,
    offices: Vec<OfficeRow>,
    back: String,
    /// The table by office and week as CSV, in both dialects.
    csv: Vec<(String, &'static str)>,
}

/// The ISO weeks whose Monday lies in `period`.
fn weeks(period: Period) -> Vec<Week> {
    let first = Week::of(period.from);
    let mut monday =
        if first.monday() >= period.from { first.monday() } else { first.monday() + Duration::weeks(1) };
    let mut out = Vec::new();
    while monday <= period.last {
        out.push(Week::of(monday));
        monday += Duration::weeks(1);
    }
    out
}

fn week_label(w: Week) -> String {
    format!("{w} ({})", dates::numeric(w.monday()))
}

/// The figure's value and n as text, "withheld" when it is.
fn cells(t: Tr, unit: Unit, row: Option<&MetricsRow>, key: &str) -> (String, String, Option<f64>) {
    let f = row.and_then(|r| figure(r, key)).unwrap_or_default();
    if f.withheld.is_some() {
        return (t.p(P::Withheld).to_owned(), "–".into(), None);
    }
    let n = f.n.map(|n| n.to_string()).unwrap_or_else(|| "–".into());
    (unit.value(t.0, f.value), n, f.value.map(|v| unit.scaled(v)))
}

pub async fn page(
    signed: Signed,
    path: web::Path<(String, String)>,
    web::Query(q): web::Query<PeriodQuery>,
) -> Result<HttpResponse, Problem> {
    let key = path.into_inner().1;
    let unit = metrics::measure_keys().into_iter().find(|(k, _)| *k == key).map(|(_, u)| Unit::of(u));
    let unit = unit.ok_or(Problem::NotFound)?;
    let asked = asked(&signed, &q, &format!("/pilot/measures/{key}")).await?;
    let lang = signed.lang();
    let t = Tr(lang);
    let (office, now, period, start) = (asked.office, asked.now, asked.period, asked.start);
    let (from, end) = (period.from, period.end());
    let by_group = GroupBy::parse("pilot_group,week").map_err(|_| Problem::Internal)?;
    let by_office = GroupBy::parse("office,week").map_err(|_| Problem::Internal)?;
    let (groups, offices, names) = signed
        .site()
        .read(move |c| {
            let facts = aukiolo_store::metrics::load(c, from, end, office, now)?;
            let names: HashMap<OfficeId, aukiolo_domain::LocalisedText> =
                aukiolo_store::offices::list(c)?.into_iter().map(|o| (o.id, o.fields.name)).collect();
            // One disclosure pattern for both tables, as each `compute` would decide it.
            let disclosure = metrics::Disclosure::of(&facts);
            let rows = |g| metrics::compute_with(&facts, g, &disclosure);
            Ok((rows(by_group), rows(by_office), names))
        })
        .await?;
    let weeks = weeks(period);
    let find = |group: &str, w: Week| {
        groups.iter().find(|r| r.group.pilot_group.as_deref() == Some(group) && r.group.week == Some(w))
    };
    let mut series = [(PILOT_GROUP, Vec::new()), (CONTROL_GROUP, Vec::new())];
    let rows: Vec<WeekRow> = weeks
        .iter()
        .map(|&w| {
            let (pilot, pilot_n, p) = cells(t, unit, find(PILOT_GROUP, w), &key);
            let (control, control_n, c) = cells(t, unit, find(CONTROL_GROUP, w), &key);
            series[0].1.push(p);
            series[1].1.push(c);
            WeekRow { week: week_label(w), pilot, pilot_n, control, control_n }
        })
        .collect();
    let name = measure_name(t, &key);
    let [(_, pilot), (_, control)] = series;
    let series = [
        Series { name: t.p(P::Pilot).to_owned(), values: pilot, dashed: false },
        Series { name: t.p(P::Control).to_owned(), values: control, dashed: true },
    ];
    let marker =
        start.and_then(|s| weeks.iter().position(|w| w.sunday() >= s)).map(|i| (i, t.p(P::PilotStart)));
    let labels: Vec<String> = weeks.iter().map(|w| format!("W{}", w.monday().format("%V"))).collect();
    let title = t.fill_p(P::SeriesTitle, &[("measure", &name)]);
    let label = Label { id: "series", title: &title, desc: t.p(P::SeriesDesc) };
    let tick = |x: f64| unit.tick(lang, x);
    let chart = chart::weekly(&label, &labels, &series, marker, &tick);
    let mut by_office: Vec<OfficeRow> = offices
        .iter()
        .filter_map(|r| {
            let (o, w) = (r.group.office?, r.group.week?);
            let (value, n, _) = cells(t, unit, Some(r), &key);
            let office = names.get(&o).map(|n| n.get(lang).to_owned()).unwrap_or_else(|| o.to_string());
            Some(OfficeRow { office, week: week_label(w), value, n })
        })
        .collect();
    by_office.sort_by(|a, b| (a.office.as_str(), a.week.as_str()).cmp(&(b.office.as_str(), b.week.as_str())));
    let (from_text, last_text) = asked.days();
    let heading = t.fill_p(P::MeasureTitle, &[("measure", &name)]);
    let page = MeasurePage {
        c: super::chrome(&signed, &heading, &asked.errors),
        intro: t.fill_p(P::MeasureIntro, &[("from", &from_text), ("to", &last_text)]),
        heading,
        errors: asked.errors,
        form: asked.form,
        chart,
        weeks: rows,
        offices: by_office,
        back: format!("{}?{}", super::dashboard_path(lang), period.query()),
        csv: super::csv::links(lang, &format!("/pilot/measures/{key}/table.csv"), period),
    };
    super::super::staff::html(&page)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn weeks_whose_monday_is_in_the_period() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        // Wednesday 4 November to Monday 30 November: Mondays 9, 16, 23 and 30.
        let w = weeks(Period { from: d(11, 4), last: d(11, 30) });
        let mondays: Vec<NaiveDate> = w.iter().map(|w| w.monday()).collect();
        assert_eq!(mondays, [d(11, 9), d(11, 16), d(11, 23), d(11, 30)]);
        assert_eq!(weeks(Period { from: d(11, 2), last: d(11, 2) }).len(), 1);
    }
}
