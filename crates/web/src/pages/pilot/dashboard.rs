//! `/{lang}/pilot?from=&to=`: every measure for pilot and control with the difference, its
//! 95 % interval and n, then before against after the pilot start for both groups and the
//! difference in differences. One forest plot per unit (shares, NPS points, scores,
//! minutes, hours), each followed by the table of its numbers.

use super::chart::{self, ForestRow, Label};
use super::period::{asked, PeriodForm, PeriodQuery};
use super::{measure_name, Unit, UNITS};
use crate::catalogue::{PilotText as P, Text, Tr};
use crate::chrome::Chrome;
use crate::error::Problem;
use crate::forms::Errors;
use crate::staff::Signed;
use actix_web::{web, HttpResponse};
use askama::Template;
use aukiolo_domain::metrics::{self, ComparedMeasure, DidMeasure, Side};
use aukiolo_domain::{dates, Locale};

/// One measure, pilot against control.
pub struct CompareRow {
    pub key: String,
    pub name: String,
    pub href: String,
    pub pilot: String,
    pub control: String,
    pub difference: String,
    pub interval: String,
    pub n: String,
    pub withheld: bool,
}

/// One measure before and after the pilot start.
pub struct ChangeRow {
    pub key: String,
    pub name: String,
    pub pilot_before: String,
    pub pilot_after: String,
    pub pilot_change: String,
    pub pilot_interval: String,
    pub control_before: String,
    pub control_after: String,
    pub control_change: String,
    pub control_interval: String,
    pub did: String,
    pub did_interval: String,
    pub withheld: bool,
}

/// The measures of one unit: their chart, then their table.
pub struct Block<R> {
    pub id: String,
    pub heading: &'static str,
    pub chart: String,
    pub rows: Vec<R>,
}

#[derive(Template)]
#[template(path = "pilot/dashboard.html")]
struct DashboardPage {
    c: Chrome,
    heading: String,
    errors: Errors,
    form: PeriodForm,
    compared: Vec<Block<CompareRow>>,
    /// The instruments' pages for the same period.
    instruments: Vec<(String, &'static str)>,
    /// The tables as CSV, in both dialects.
    csv: Vec<(String, &'static str)>,
    /// What the split is and the blocks, when a pilot office has a start.
    change: Option<(String, Vec<Block<ChangeRow>>)>,
}

fn side(unit: Unit, lang: Locale, s: &Side) -> String {
    unit.value(lang, s.value)
}

fn n(s: &Side) -> String {
    s.n.map(|n| n.to_string()).unwrap_or_else(|| "–".into())
}

fn compare_row(t: Tr, m: &ComparedMeasure) -> CompareRow {
    let (lang, unit) = (t.0, Unit::of(&m.unit));
    let withheld = m.withheld.is_some();
    let shown = |text: String| if withheld { t.p(P::Withheld).to_owned() } else { text };
    CompareRow {
        key: m.measure.clone(),
        name: measure_name(t, &m.measure),
        href: format!("/{}/pilot/measures/{}", lang.as_str(), m.measure),
        pilot: shown(side(unit, lang, &m.a)),
        control: shown(side(unit, lang, &m.b)),
        difference: shown(unit.difference(lang, m.difference)),
        interval: shown(unit.interval(lang, m.ci_low, m.ci_high)),
        n: shown(format!("{} / {}", n(&m.a), n(&m.b))),
        withheld,
    }
}

fn change_row(t: Tr, pilot: &ComparedMeasure, control: &ComparedMeasure, did: &DidMeasure) -> ChangeRow {
    let (lang, unit) = (t.0, Unit::of(&did.unit));
    let withheld = did.withheld.is_some();
    let shown = |text: String| if withheld { t.p(P::Withheld).to_owned() } else { text };
    ChangeRow {
        key: did.measure.clone(),
        name: measure_name(t, &did.measure),
        pilot_before: shown(side(unit, lang, &did.pilot_before)),
        pilot_after: shown(side(unit, lang, &did.pilot_after)),
        pilot_change: shown(unit.difference(lang, pilot.difference)),
        pilot_interval: shown(unit.interval(lang, pilot.ci_low, pilot.ci_high)),
        control_before: shown(side(unit, lang, &did.control_before)),
        control_after: shown(side(unit, lang, &did.control_after)),
        control_change: shown(unit.difference(lang, control.difference)),
        control_interval: shown(unit.interval(lang, control.ci_low, control.ci_high)),
        did: shown(unit.difference(lang, did.estimate)),
        did_interval: shown(unit.interval(lang, did.ci_low, did.ci_high)),
        withheld,
    }
}

/// A forest row of one measure: nothing of a withheld one.
fn forest_row(
    t: Tr,
    key: &str,
    unit: Unit,
    estimate: Option<f64>,
    low: Option<f64>,
    high: Option<f64>,
) -> ForestRow {
    ForestRow {
        label: measure_name(t, key),
        estimate: estimate.map(|x| unit.scaled(x)),
        interval: low.zip(high).map(|(l, h)| (unit.scaled(l), unit.scaled(h))),
    }
}

fn blocks<R>(
    t: Tr,
    prefix: &str,
    keys: &[(String, String)],
    title: P,
    desc: P,
    mut each: impl FnMut(usize) -> (R, ForestRow),
) -> Vec<Block<R>> {
    UNITS
        .iter()
        .filter_map(|unit| {
            let (rows, forest): (Vec<R>, Vec<ForestRow>) =
                keys.iter().enumerate().filter(|(_, (_, u))| u == unit.key).map(|(i, _)| each(i)).unzip();
            if rows.is_empty() {
                return None;
            }
            let id = format!("{prefix}-{}", unit.key);
            let heading = unit.heading(t);
            let title = t.fill_p(title, &[("unit", heading)]);
            let label = Label { id: &id, title: &title, desc: t.p(desc) };
            let tick = |x: f64| unit.tick(t.0, x);
            Some(Block { chart: chart::forest(&label, &forest, &tick), id, heading, rows })
        })
        .collect()
}

pub async fn page(signed: Signed, web::Query(q): web::Query<PeriodQuery>) -> Result<HttpResponse, Problem> {
    let asked = asked(&signed, &q, "/pilot").await?;
    let lang = signed.lang();
    let t = Tr(lang);
    let (office, now, period) = (asked.office, asked.now, asked.period);
    let (from, end) = (period.from, period.end());
    let comparison = signed
        .site()
        .read(move |c| {
            let facts = aukiolo_store::metrics::load(c, from, end, office, now)?;
            Ok(metrics::compare(&facts, from, end))
        })
        .await?;
    let measures = &comparison.pilot_vs_control.measures;
    let keys: Vec<(String, String)> = measures.iter().map(|m| (m.measure.clone(), m.unit.clone())).collect();
    let compared = blocks(t, "compared", &keys, P::ForestTitle, P::ForestDesc, |i| {
        let m = &measures[i];
        let unit = Unit::of(&m.unit);
        let forest = if m.withheld.is_some() {
            forest_row(t, &m.measure, unit, None, None, None)
        } else {
            forest_row(t, &m.measure, unit, m.difference, m.ci_low, m.ci_high)
        };
        (compare_row(t, m), forest)
    });
    let change = comparison.difference_in_differences.as_ref().map(|d| {
        let blocks = blocks(t, "change", &keys, P::DidForestTitle, P::DidForestDesc, |i| {
            let m = &d.measures[i];
            let unit = Unit::of(&m.unit);
            let forest = if m.withheld.is_some() {
                forest_row(t, &m.measure, unit, None, None, None)
            } else {
                forest_row(t, &m.measure, unit, m.estimate, m.ci_low, m.ci_high)
            };
            (change_row(t, &d.pilot_change.measures[i], &d.control_change.measures[i], m), forest)
        });
        (t.fill_p(P::ChangeIntro, &[("date", &dates::numeric(d.pilot_start))]), blocks)
    });
    let (from_text, last_text) = asked.days();
    let heading = t.fill_p(P::DashboardTitle, &[("from", &from_text), ("to", &last_text)]);
    let page = DashboardPage {
        c: super::chrome(&signed, &heading, &asked.errors),
        heading,
        instruments: super::instruments::Instrument::links(lang, period),
        csv: super::csv::links(lang, "/pilot/table.csv", period),
        errors: asked.errors,
        form: asked.form,
        compared,
        change,
    };
    super::super::staff::html(&page)
}
