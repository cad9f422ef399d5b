//! Metrics rows and comparisons as flat tables: one named column per figure, count,
//! numerator, denominator, interval bound and withholding reason, for CSV and any other
//! tabular view. The columns come from the same walk over a row as its cells, so header
//! and cells cannot drift apart, and a withheld figure is an empty cell just as it is
//! `null` in JSON.

pub mod csv;

use super::comparison::{Compared, ComparedMeasure, Comparison, Side};
use super::figures::{fewer_responses, Durations, Mean, Nps, Rate, ThirdNextAvailable, WalkIns};
use super::group::{GroupBy, GroupKey};
use super::rows::{MetricsRow, NotGiven};
use super::tally::Tally;
use crate::{Locale, LocalisedText, OfficeId, TopicId};
use std::collections::HashMap;

/// One cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Count(u64),
    Number(f64),
    Text(String),
}

impl Cell {
    fn count(v: Option<u64>) -> Cell {
        v.map_or(Cell::Empty, Cell::Count)
    }

    fn number(v: Option<f64>) -> Cell {
        v.map_or(Cell::Empty, Cell::Number)
    }

    fn text(v: Option<&str>) -> Cell {
        v.map_or(Cell::Empty, |s| Cell::Text(s.to_owned()))
    }
}

/// A header and rows of cells, each row as long as the header.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// Office and topic names by id in every language, for the `office_name` and `topic_name`
/// columns that let a person read a table without looking ids up (the store reads them).
#[derive(Clone, Debug, Default)]
pub struct Names {
    pub offices: HashMap<OfficeId, LocalisedText>,
    pub topics: HashMap<TopicId, LocalisedText>,
}

impl Table {
    /// The table with an `office_name` column after `office` and a `topic_name` column after
    /// `topic`, where it has them, in `locale`. A cell with no id (a comparison of groups) or
    /// an id without a name gets an empty name.
    pub fn with_names(self, names: &Names, locale: Locale) -> Table {
        let office = |id| names.offices.get(&OfficeId(id)).map(|n| n.get(locale).to_owned());
        let topic = |id| names.topics.get(&TopicId(id)).map(|n| n.get(locale).to_owned());
        self.named("office", office).named("topic", topic)
    }

    /// A `{column}_name` column after `column`, if there is one.
    fn named(mut self, column: &str, name_of: impl Fn(uuid::Uuid) -> Option<String>) -> Table {
        let Some(i) = self.header.iter().position(|h| h == column) else { return self };
        self.header.insert(i + 1, format!("{column}_name"));
        for row in &mut self.rows {
            let name = match &row[i] {
                Cell::Text(id) => id.parse().ok().and_then(&name_of),
                _ => None,
            };
            row.insert(i + 1, Cell::text(name.as_deref()));
        }
        self
    }
}

/// Collects one row's columns in order.
#[derive(Default)]
struct Columns {
    names: Vec<String>,
    cells: Vec<Cell>,
}

impl Columns {
    fn push(&mut self, name: impl Into<String>, cell: Cell) {
        self.names.push(name.into());
        self.cells.push(cell);
    }

    fn rate(&mut self, name: &str, r: &Rate) {
        self.push(name, Cell::number(r.value));
        self.push(format!("{name}_numerator"), Cell::count(r.numerator));
        self.push(format!("{name}_denominator"), Cell::count(r.denominator));
        self.push(format!("{name}_ci_low"), Cell::number(r.ci_low));
        self.push(format!("{name}_ci_high"), Cell::number(r.ci_high));
        self.push(format!("{name}_withheld"), Cell::text(r.withheld.as_deref()));
    }

    fn durations(&mut self, name: &str, d: &Durations) {
        self.push(format!("{name}_n"), Cell::Count(d.n));
        self.push(format!("{name}_median"), Cell::number(d.median));
        self.push(format!("{name}_p90"), Cell::number(d.p90));
    }

    fn mean(&mut self, name: &str, m: &Mean) {
        self.push(name, Cell::number(m.value));
        self.push(format!("{name}_n"), Cell::count(m.n));
        self.push(format!("{name}_withheld"), Cell::text(m.withheld.as_deref()));
    }

    fn nps(&mut self, n: &Nps) {
        self.push("nps", Cell::number(n.value));
        self.push("nps_n", Cell::count(n.n));
        self.push("nps_promoters", Cell::count(n.promoters));
        self.push("nps_passives", Cell::count(n.passives));
        self.push("nps_detractors", Cell::count(n.detractors));
        self.push("nps_withheld", Cell::text(n.withheld.as_deref()));
    }

    fn access(&mut self, t: &ThirdNextAvailable) {
        let name = "third_next_available_hours";
        self.push(name, Cell::number(t.value));
        self.push(format!("{name}_office_topics"), Cell::count(t.office_topics));
        self.push(format!("{name}_without_three_open"), Cell::count(t.without_three_open));
        self.push(format!("{name}_withheld"), Cell::text(t.withheld.as_deref()));
    }

    fn walk_ins(&mut self, w: &WalkIns) {
        self.push("walk_ins", Cell::Count(w.total));
        for (outcome, count) in [
            ("booked_now", w.booked_now),
            ("booked_later", w.booked_later),
            ("directed_to_eservice", w.directed_to_eservice),
            ("directed_to_phone", w.directed_to_phone),
            ("served_urgent", w.served_urgent),
            ("left", w.left),
        ] {
            self.push(format!("walk_ins_{outcome}"), Cell::Count(count));
        }
    }

    fn side(&mut self, prefix: &str, label: &str, s: &Side) {
        self.push(prefix, Cell::Text(label.to_owned()));
        self.push(format!("{prefix}_value"), Cell::number(s.value));
        self.push(format!("{prefix}_n"), Cell::count(s.n));
        self.push(format!("{prefix}_numerator"), Cell::count(s.numerator));
    }
}

fn row_columns(group_by: GroupBy, r: &MetricsRow) -> Columns {
    let mut c = Columns::default();
    for d in group_by.dimensions() {
        c.push(d.as_str(), Cell::Text(r.group.value(d)));
    }
    c.push("bookings", Cell::Count(r.bookings));
    c.rate("self_service", &r.self_service);
    c.durations("lead_time_hours", &r.lead_time_hours);
    c.access(&r.third_next_available_hours);
    c.push("published_minutes", Cell::count(r.published_minutes));
    c.push("booked_minutes", Cell::count(r.booked_minutes));
    c.rate("utilisation", &r.utilisation);
    c.rate("no_show", &r.no_show);
    c.push("not_reached", Cell::Count(r.not_reached));
    c.push("outcome_unrecorded", Cell::Count(r.outcome_unrecorded));
    c.rate("late_cancellation", &r.late_cancellation);
    c.push("cancelled_by_citizen", Cell::Count(r.cancelled_by_citizen));
    c.push("cancelled_by_office", Cell::Count(r.cancelled_by_office));
    c.durations("punctuality_minutes", &r.punctuality_minutes);
    c.durations("waiting_minutes", &r.waiting_minutes);
    c.durations("service_minutes", &r.service_minutes);
    c.rate("first_contact_resolution", &r.first_contact_resolution);
    c.rate("channel_substitutable", &r.channel_substitutable);
    c.walk_ins(&r.walk_ins);
    c.rate("walk_in_share", &r.walk_in_share);
    c.push("responses", Cell::Count(r.responses));
    c.nps(&r.nps);
    c.mean("csat", &r.csat);
    c.rate("csat_top_box", &r.csat_top_box);
    c.mean("ces", &r.ces);
    c.rate("prefers_appointment", &r.prefers_appointment);
    let k = &r.knows_channel;
    for (channel, rate) in
        [("online", &k.online), ("phone", &k.phone), ("partner_point", &k.partner_point), ("chat", &k.chat)]
    {
        c.rate(&format!("knows_channel_{channel}"), rate);
    }
    c.rate("could_online_yes", &r.could_online_yes);
    c.rate("could_online_partly", &r.could_online_partly);
    c.rate("response_rate", &r.response_rate);
    c
}

/// One row per group: the grouped dimensions first, then every figure.
pub fn metrics_table(group_by: GroupBy, rows: &[MetricsRow]) -> Table {
    let blank =
        MetricsRow::new(GroupKey::default(), &Tally::default(), NotGiven::for_grouping(group_by), |_| {
            Some(fewer_responses())
        });
    Table {
        header: row_columns(group_by, &blank).names,
        rows: rows.iter().map(|r| row_columns(group_by, r).cells).collect(),
    }
}

fn measure_columns(
    comparison: &str,
    office: Option<(String, String, String)>,
    compared: &Compared,
    m: &ComparedMeasure,
) -> Columns {
    let mut c = Columns::default();
    let (office, group, start) = office.unwrap_or_default();
    c.push("comparison", Cell::Text(comparison.to_owned()));
    c.push("office", Cell::Text(office));
    c.push("pilot_group", Cell::Text(group));
    c.push("pilot_start", Cell::Text(start));
    c.push("measure", Cell::Text(m.measure.clone()));
    c.push("unit", Cell::Text(m.unit.clone()));
    c.side("a", &compared.a, &m.a);
    c.side("b", &compared.b, &m.b);
    c.push("difference", Cell::number(m.difference));
    c.push("ci_low", Cell::number(m.ci_low));
    c.push("ci_high", Cell::number(m.ci_high));
    c.push("method", Cell::Text(m.method.clone()));
    c.push("withheld", Cell::text(m.withheld.as_deref()));
    c
}

/// One row per compared measure: first pilot against control (`comparison` =
/// `pilot_vs_control`), then each office before and after (`before_after`, with the office,
/// its group and pilot start).
pub fn comparison_table(c: &Comparison) -> Table {
    let mut rows = Vec::new();
    let mut header = None;
    let mut add = |columns: Columns| {
        header.get_or_insert(columns.names);
        rows.push(columns.cells);
    };
    for m in &c.pilot_vs_control.measures {
        add(measure_columns("pilot_vs_control", None, &c.pilot_vs_control, m));
    }
    for b in &c.before_after {
        let office = (b.office.to_string(), b.pilot_group.clone(), b.pilot_start.to_string());
        for m in &b.compared.measures {
            add(measure_columns("before_after", Some(office.clone()), &b.compared, m));
        }
    }
    Table { header: header.unwrap_or_default(), rows }
}

#[cfg(test)]
mod tests {
    use super::super::fewer_responses;
    use super::super::fixtures::*;
    use super::super::fixtures::{compare, compute};
    use super::*;

    fn column<'t>(t: &'t Table, row: usize, name: &str) -> &'t Cell {
        let i = t.header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"));
        &t.rows[row][i]
    }

    #[test]
    fn one_column_per_figure_and_empty_cells_where_withheld() {
        let group_by = GroupBy::parse("office,week").unwrap();
        let t = metrics_table(group_by, &compute(&facts(), group_by));
        assert_eq!(&t.header[..4], ["office", "week", "bookings", "self_service"]);
        assert!(t.rows.iter().all(|r| r.len() == t.header.len()));
        let mut unique = t.header.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), t.header.len(), "column names repeat");
        // Row 1 is P in 2026-W48, with two responses.
        assert_eq!(column(&t, 1, "office"), &Cell::Text(P.to_string()));
        assert_eq!(column(&t, 1, "week"), &Cell::Text("2026-W48".into()));
        assert_eq!(column(&t, 1, "responses"), &Cell::Count(2));
        for name in
            ["nps", "nps_n", "nps_promoters", "csat", "csat_n", "csat_top_box_numerator", "could_online_yes"]
        {
            assert_eq!(column(&t, 1, name), &Cell::Empty, "{name}");
        }
        assert_eq!(column(&t, 1, "nps_withheld"), &Cell::Text(fewer_responses()));
        assert_eq!(column(&t, 1, "knows_channel_chat_withheld"), &Cell::Text(fewer_responses()));
        assert_eq!(column(&t, 1, "third_next_available_hours_withheld"), &Cell::Text(ACCESS.into()));
        // Row 0, P in W47, shows them.
        assert_eq!(column(&t, 0, "nps_promoters"), &Cell::Count(2));
        assert_eq!(column(&t, 0, "nps_withheld"), &Cell::Empty);
        assert_eq!(column(&t, 0, "self_service_numerator"), &Cell::Count(1));
        assert_eq!(column(&t, 0, "self_service_denominator"), &Cell::Count(2));
        assert_eq!(column(&t, 0, "waiting_minutes_median"), &Cell::Number(10.0));
    }

    const ACCESS: &str = super::super::ACCESS_NOT_WEEKLY;

    fn names() -> Names {
        let text =
            |fi: &str, sv: &str, en: &str| LocalisedText { fi: fi.into(), sv: sv.into(), en: en.into() };
        Names {
            offices: HashMap::from([(P, text("Oulun toimisto", "Uleåborgs kontor", "Oulu office"))]),
            topics: HashMap::from([(T1, text("Eläkkeet", "Pensioner", "Pensions"))]),
        }
    }

    #[test]
    fn names_beside_ids_in_the_language_asked_for() {
        let group_by = GroupBy::parse("office,topic").unwrap();
        let t = metrics_table(group_by, &compute(&facts(), group_by)).with_names(&names(), Locale::Sv);
        assert_eq!(&t.header[..5], ["office", "office_name", "topic", "topic_name", "bookings"]);
        assert!(t.rows.iter().all(|r| r.len() == t.header.len()));
        let p_t1 = t
            .rows
            .iter()
            .position(|r| r[0] == Cell::Text(P.to_string()) && r[2] == Cell::Text(T1.to_string()));
        let row = &t.rows[p_t1.unwrap()];
        assert_eq!(
            (&row[1], &row[3]),
            (&Cell::Text("Uleåborgs kontor".into()), &Cell::Text("Pensioner".into()))
        );
        // C has no name here: empty, not the id.
        let c = t.rows.iter().find(|r| r[0] == Cell::Text(C.to_string())).unwrap();
        assert_eq!(c[1], Cell::Empty);
        // Comparisons: beside each before/after row's office, empty for pilot against control.
        let t = comparison_table(&compare(&facts(), day(16), day(107))).with_names(&names(), Locale::Fi);
        let i = t.header.iter().position(|h| h == "office_name").unwrap();
        assert_eq!(t.header[i - 1], "office");
        assert_eq!(t.rows[0][i], Cell::Empty);
        assert!(t.rows.iter().any(|r| r[i] == Cell::Text("Oulun toimisto".into())));
        // Without those dimensions nothing is added.
        let by_week = GroupBy::parse("week").unwrap();
        let plain = metrics_table(by_week, &compute(&facts(), by_week));
        assert_eq!(plain.clone().with_names(&names(), Locale::En), plain);
    }

    #[test]
    fn the_header_stands_without_rows() {
        let t = metrics_table(GroupBy::parse("topic").unwrap(), &[]);
        assert_eq!(t.header[0], "topic");
        assert!(t.header.contains(&"utilisation_withheld".to_owned()));
        assert!(t.rows.is_empty());
        let ungrouped = metrics_table(GroupBy::default(), &[]);
        assert_eq!(ungrouped.header.len(), t.header.len() - 1);
    }

    #[test]
    fn comparisons_one_row_per_measure() {
        let c = compare(&facts(), day(16), day(107));
        let t = comparison_table(&c);
        let per_block = c.pilot_vs_control.measures.len();
        assert_eq!(t.rows.len(), 2 * per_block, "pilot against control, then P before and after");
        assert!(t.rows.iter().all(|r| r.len() == t.header.len()));
        assert_eq!(column(&t, 0, "comparison"), &Cell::Text("pilot_vs_control".into()));
        assert_eq!(column(&t, 0, "measure"), &Cell::Text("self_service".into()));
        assert_eq!(column(&t, 0, "a"), &Cell::Text("pilot".into()));
        assert_eq!(column(&t, 0, "a_numerator"), &Cell::Count(5));
        assert_eq!(column(&t, 0, "office"), &Cell::Text(String::new()));
        let nps_after = per_block + 11;
        assert_eq!(column(&t, nps_after, "measure"), &Cell::Text("nps".into()));
        assert_eq!(column(&t, nps_after, "office"), &Cell::Text(P.to_string()));
        assert_eq!(column(&t, nps_after, "pilot_start"), &Cell::Text("2026-11-19".into()));
        assert_eq!(column(&t, nps_after, "a_value"), &Cell::Empty);
        assert_eq!(column(&t, nps_after, "withheld"), &Cell::Text("after: fewer than 5 responses".into()));
    }
}
