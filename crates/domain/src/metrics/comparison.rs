//! Pilot against control, and each pilot office before against after its switch to
//! appointment-only service: both estimates, their difference and its 95 % interval.
//!
//! Side `a` is the one with appointment-only service (the pilot group, or an office from its
//! `pilot_start` on), side `b` the one without, so a positive difference means "higher
//! with appointment-only service".

use super::difference_in_differences::{difference_in_differences, DifferenceInDifferences};
use super::disclosure::{Disclosure, Family, AFTER, BEFORE};
use super::facts::{Facts, OfficeFact};
use super::measures::{self, Kind, Measure};
use super::tally::Tally;
use super::Week;
use crate::stats::{self, DifferenceCi};
use crate::OfficeId;
use chrono::NaiveDate;
use serde::Serialize;

/// Offices whose `pilot_group` is exactly this are the pilot side.
pub const PILOT_GROUP: &str = "pilot";
/// Offices whose `pilot_group` is exactly this are the control side; offices with any other
/// label are in neither, rather than being guessed into one.
pub const CONTROL_GROUP: &str = "control";

const NEWCOMBE: &str = "newcombe_hybrid_score";
const BONETT_PRICE: &str = "bonett_price";
const WALD_TRINOMIAL: &str = "wald_trinomial";
const WELCH: &str = "welch_t";

/// Both comparisons over one period.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Comparison {
    /// First office-local day of the period.
    pub from: NaiveDate,
    /// The day after the period (exclusive).
    pub to: NaiveDate,
    pub pilot_vs_control: Compared,
    /// One entry per office with a `pilot_start`, in the order of `Facts::offices`.
    pub before_after: Vec<BeforeAfter>,
    /// The pilot group's change minus the control group's; null when no pilot office has a
    /// pilot start.
    pub difference_in_differences: Option<DifferenceInDifferences>,
}

/// The measures of two sides, labelled.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Compared {
    /// What side `a` is (`pilot`, `after`).
    #[cfg_attr(feature = "openapi", schema(example = "pilot"))]
    pub a: String,
    /// What side `b` is (`control`, `before`).
    #[cfg_attr(feature = "openapi", schema(example = "control"))]
    pub b: String,
    pub measures: Vec<ComparedMeasure>,
}

/// One office's visits from its pilot start on (`a`) against those before it (`b`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BeforeAfter {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub office: OfficeId,
    pub pilot_group: String,
    pub pilot_start: NaiveDate,
    #[serde(flatten)]
    pub compared: Compared,
}

/// One measure on both sides, `a − b` and its 95 % interval. The interval is null when a
/// side has too little data for its method (no trials, fewer than two values, no spread).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComparedMeasure {
    #[cfg_attr(feature = "openapi", schema(example = "no_show"))]
    pub measure: String,
    /// `share` (0–1), `points` (NPS), `score`, `hours` or `minutes`.
    #[cfg_attr(feature = "openapi", schema(example = "share"))]
    pub unit: String,
    pub a: Side,
    pub b: Side,
    pub difference: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// `newcombe_hybrid_score` (rates), `wald_trinomial` (NPS), `welch_t` (means) or
    /// `bonett_price` (medians).
    #[cfg_attr(feature = "openapi", schema(example = "newcombe_hybrid_score"))]
    pub method: String,
    /// Why the questionnaire measure is withheld (a side below five responses or answers).
    pub withheld: Option<String>,
}

/// One side's estimate and what it rests on: for a rate `numerator` of `n`, otherwise `n`
/// values (`numerator` null).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Side {
    pub value: Option<f64>,
    pub n: Option<u64>,
    pub numerator: Option<u64>,
}

impl ComparedMeasure {
    fn new(measure: &str, unit: &str, method: &str, a: Side, b: Side, ci: Option<DifferenceCi>) -> Self {
        // Without an interval the difference is still worth showing.
        let difference = ci.map(|c| c.difference).or_else(|| Some(a.value? - b.value?));
        ComparedMeasure {
            measure: measure.to_owned(),
            unit: unit.to_owned(),
            a,
            b,
            difference,
            ci_low: ci.map(|c| c.low),
            ci_high: ci.map(|c| c.high),
            method: method.to_owned(),
            withheld: None,
        }
    }

    fn withheld(measure: &str, unit: &str, method: &str, reason: String) -> Self {
        ComparedMeasure {
            withheld: Some(reason),
            ..ComparedMeasure::new(measure, unit, method, Side::default(), Side::default(), None)
        }
    }
}

/// Two tallies and their labels, for building the measure list, and which cells of the
/// disclosure pattern they are (its family and the keys of `a` and `b`).
pub(super) struct Sides<'t> {
    pub a: (&'t str, &'t Tally),
    pub b: (&'t str, &'t Tally),
    pub cells: (&'t Disclosure, Family, [&'static str; 2]),
}

impl Sides<'_> {
    /// Why a questionnaire measure is withheld, naming the side.
    fn withheld(&self, m: &Measure) -> Option<String> {
        let (disclosure, family, [a, b]) = self.cells;
        disclosure.withheld_side(family, &m.name, &[(self.a.0, a), (self.b.0, b)])
    }

    pub fn compare(&self, m: &Measure) -> ComparedMeasure {
        let (a, b) = (self.a.1, self.b.1);
        let method = match m.kind {
            Kind::Rate(_) | Kind::AnswerRate(_) => NEWCOMBE,
            Kind::Median(..) => BONETT_PRICE,
            Kind::Mean(_) => WELCH,
            Kind::Nps => WALD_TRINOMIAL,
        };
        if let Some(reason) = self.withheld(m) {
            return ComparedMeasure::withheld(&m.name, m.unit(), method, reason);
        }
        let ci = match &m.kind {
            Kind::Rate(part) | Kind::AnswerRate(part) => {
                stats::newcombe_difference(Measure::proportion(part, a), Measure::proportion(part, b))
            }
            Kind::Median(_, values) => stats::median_difference(values(a), values(b)),
            Kind::Mean(scores) => Measure::scores(*scores, a)
                .zip(Measure::scores(*scores, b))
                .and_then(|(a, b)| stats::mean_difference(&a, &b)),
            Kind::Nps => stats::nps_difference(&a.nps, &b.nps),
        };
        ComparedMeasure::new(&m.name, m.unit(), method, m.side(a), m.side(b), ci)
    }

    fn measures(&self) -> Vec<ComparedMeasure> {
        measures::all().iter().map(|m| self.compare(m)).collect()
    }
}

/// Where a fact of one office-local day or one week goes.
#[derive(Clone, Copy)]
pub(super) enum Place {
    A,
    B,
    Neither,
}

/// Tallies side `a` and `b` of the facts in `[from, to)`, each placed by `place` given its
/// office, pilot group and day (responses: their week). Access is not compared: it is
/// measured now, not over a period.
pub(super) fn tally_sides(
    facts: &Facts,
    from: NaiveDate,
    to: NaiveDate,
    place: impl Fn(OfficeId, &str, When) -> Place,
) -> (Tally, Tally) {
    let (mut a, mut b) = (Tally::default(), Tally::default());
    let in_period = |d: NaiveDate| from <= d && d < to;
    let mut add = |p: Place, add_to: &dyn Fn(&mut Tally)| match p {
        Place::A => add_to(&mut a),
        Place::B => add_to(&mut b),
        Place::Neither => {}
    };
    for f in facts.bookings.iter().filter(|f| in_period(f.date)) {
        add(place(f.office, &f.pilot_group, When::Day(f.date)), &|t| t.add_booking(f, facts.now));
    }
    for f in facts.walk_ins.iter().filter(|f| in_period(f.date)) {
        add(place(f.office, &f.pilot_group, When::Day(f.date)), &|t| t.add_walk_in(f));
    }
    for f in facts.capacity.iter().filter(|f| in_period(f.date)) {
        add(place(f.office, &f.pilot_group, When::Day(f.date)), &|t| t.add_capacity(f));
    }
    for f in facts.responses.iter().filter(|f| in_period(f.week.monday())) {
        add(place(f.office, &f.pilot_group, When::Week(f.week)), &|t| t.add_response(f));
    }
    (a, b)
}

/// After (`A`) or before (`B`) a switch on `start`; a response's week only when it lies
/// wholly on one side.
pub(super) fn around(start: NaiveDate, when: When) -> Place {
    match when {
        When::Day(d) if d >= start => Place::A,
        When::Day(_) => Place::B,
        When::Week(w) if w.monday() >= start => Place::A,
        When::Week(w) if w.sunday() < start => Place::B,
        When::Week(_) => Place::Neither,
    }
}

/// When a fact happened: an office-local day, or (responses) only a week.
#[derive(Clone, Copy)]
pub(super) enum When {
    Day(NaiveDate),
    Week(Week),
}

/// Pilot against control, and before against after for every office with a pilot start,
/// over the office-local days `[from, to)`.
///
/// Bookings, walk-ins and capacity count by the office-local day of the visit or slot.
/// Responses know only their ISO week: a response is in the period when its week's Monday
/// is; before/after, it counts as after when its week starts on or after the pilot start
/// and as before when its week ends before it, and the week of the switch itself (unless
/// the switch is on a Monday) is in neither.
///
/// Questionnaire measures are withheld when either side has fewer than five responses, or
/// fewer than five answers to the question, or when the pattern of [`Disclosure::over`] the
/// facts withholds a side so that no other withheld figure can be derived.
pub fn compare(facts: &Facts, from: NaiveDate, to: NaiveDate) -> Comparison {
    compare_with(facts, from, to, &Disclosure::over(facts, from, to))
}

/// [`compare`] with the pattern already decided for these facts and period.
pub fn compare_with(facts: &Facts, from: NaiveDate, to: NaiveDate, disclosure: &Disclosure) -> Comparison {
    let (pilot, control) = tally_sides(facts, from, to, |_, group, _| match group {
        PILOT_GROUP => Place::A,
        CONTROL_GROUP => Place::B,
        _ => Place::Neither,
    });
    let pilot_vs_control = Compared {
        a: PILOT_GROUP.to_owned(),
        b: CONTROL_GROUP.to_owned(),
        measures: Sides {
            a: (PILOT_GROUP, &pilot),
            b: (CONTROL_GROUP, &control),
            cells: (disclosure, Family::PilotVsControl, [PILOT_GROUP, CONTROL_GROUP]),
        }
        .measures(),
    };
    let before_after =
        facts.offices.iter().filter_map(|o| before_after(facts, o, from, to, disclosure)).collect();
    let difference_in_differences = difference_in_differences(facts, from, to, disclosure);
    Comparison { from, to, pilot_vs_control, before_after, difference_in_differences }
}

fn before_after(
    facts: &Facts,
    office: &OfficeFact,
    from: NaiveDate,
    to: NaiveDate,
    disclosure: &Disclosure,
) -> Option<BeforeAfter> {
    let start = office.pilot_start?;
    let (after, before) = tally_sides(facts, from, to, |o, _, when| {
        if o != office.id {
            return Place::Neither;
        }
        around(start, when)
    });
    Some(BeforeAfter {
        office: office.id,
        pilot_group: office.pilot_group.clone(),
        pilot_start: start,
        compared: Compared {
            a: "after".to_owned(),
            b: "before".to_owned(),
            measures: Sides {
                a: (AFTER, &after),
                b: (BEFORE, &before),
                cells: (disclosure, Family::BeforeAfter(office.id), [AFTER, BEFORE]),
            }
            .measures(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::compare;
    use super::super::fixtures::*;
    use super::*;
    use crate::stats::{
        mean_difference, median_difference, newcombe_difference, nps_difference, NpsCounts, Proportion,
        ScoreSummary,
    };

    fn measure<'c>(c: &'c Compared, name: &str) -> &'c ComparedMeasure {
        c.measures.iter().find(|m| m.measure == name).unwrap_or_else(|| panic!("no {name}"))
    }

    /// (numerator, n) of a side.
    type Counts = (Option<u64>, Option<u64>);

    fn counts(m: &ComparedMeasure) -> (Counts, Counts) {
        ((m.a.numerator, m.a.n), (m.b.numerator, m.b.n))
    }

    fn same_interval(m: &ComparedMeasure, ci: DifferenceCi) {
        assert_eq!((m.a.value, m.b.value), (Some(ci.a), Some(ci.b)), "{}", m.measure);
        assert_eq!((m.difference, m.ci_low, m.ci_high), (Some(ci.difference), Some(ci.low), Some(ci.high)));
        assert_eq!(m.method, ci.method, "{}", m.measure);
    }

    #[test]
    fn every_measure_once_with_its_method() {
        let c = compare(&facts(), day(16), day(107));
        let names: Vec<(&str, &str, &str)> = c
            .pilot_vs_control
            .measures
            .iter()
            .map(|m| (m.measure.as_str(), m.unit.as_str(), m.method.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("self_service", "share", NEWCOMBE),
                ("lead_time_hours", "hours", BONETT_PRICE),
                ("utilisation", "share", NEWCOMBE),
                ("no_show", "share", NEWCOMBE),
                ("late_cancellation", "share", NEWCOMBE),
                ("punctuality_minutes", "minutes", BONETT_PRICE),
                ("waiting_minutes", "minutes", BONETT_PRICE),
                ("service_minutes", "minutes", BONETT_PRICE),
                ("first_contact_resolution", "share", NEWCOMBE),
                ("channel_substitutable", "share", NEWCOMBE),
                ("walk_in_share", "share", NEWCOMBE),
                ("nps", "points", WALD_TRINOMIAL),
                ("csat", "score", WELCH),
                ("csat_top_box", "share", NEWCOMBE),
                ("ces", "score", WELCH),
                ("prefers_appointment", "share", NEWCOMBE),
                ("knows_channel_online", "share", NEWCOMBE),
                ("knows_channel_phone", "share", NEWCOMBE),
                ("knows_channel_partner_point", "share", NEWCOMBE),
                ("knows_channel_chat", "share", NEWCOMBE),
                ("could_online_yes", "share", NEWCOMBE),
                ("could_online_partly", "share", NEWCOMBE),
                ("response_rate", "share", NEWCOMBE),
            ]
        );
        assert_eq!((c.pilot_vs_control.a.as_str(), c.pilot_vs_control.b.as_str()), ("pilot", "control"));
    }

    /// The whole period: P is the pilot side, C the control side.
    #[test]
    fn pilot_against_control_by_hand() {
        let c = compare(&facts(), day(16), day(107));
        let pc = &c.pilot_vs_control;
        // Self-service 5 of 7 (b1, b3, b4, b5, b8) against 1 of 4 (c3).
        let m = measure(pc, "self_service");
        assert_eq!(counts(m), ((Some(5), Some(7)), (Some(1), Some(4))));
        same_interval(m, newcombe_difference(Proportion::new(5, 7), Proportion::new(1, 4)).unwrap());
        // Lead times: 12, 24, 24, 24, 120, 168, 168 against 24, 24, 24, 48: both medians 24.
        let m = measure(pc, "lead_time_hours");
        let pilot = [168.0, 24.0, 12.0, 120.0, 168.0, 24.0, 24.0];
        same_interval(m, median_difference(&pilot, &[24.0, 24.0, 48.0, 24.0]).unwrap());
        assert_eq!((m.a.n, m.b.n, m.difference), (Some(7), Some(4), Some(0.0)));
        // Slots 7 of 16 against 2 of 8.
        assert_eq!(counts(measure(pc, "utilisation")), ((Some(7), Some(16)), (Some(2), Some(8))));
        // No-shows 1 of 3 on both sides (c3, not reached, is an outcome but no no-show).
        let m = measure(pc, "no_show");
        assert_eq!(counts(m), ((Some(1), Some(3)), (Some(1), Some(3))));
        assert_eq!(m.difference, Some(0.0));
        assert_eq!(counts(measure(pc, "late_cancellation")), ((Some(1), Some(7)), (Some(0), Some(4))));
        // One waiting time per side: no interval, but the difference 10 − 20.
        let m = measure(pc, "waiting_minutes");
        assert_eq!(
            (m.a.value, m.b.value, m.difference, m.ci_low),
            (Some(10.0), Some(20.0), Some(-10.0), None)
        );
        // Punctuality 5, 2 against 10: medians 3.5 and 10.
        assert_eq!(measure(pc, "punctuality_minutes").difference, Some(-6.5));
        assert_eq!(counts(measure(pc, "first_contact_resolution")), ((Some(1), Some(2)), (Some(1), Some(1))));
        assert_eq!(counts(measure(pc, "response_rate")), ((Some(1), Some(2)), (Some(1), Some(1))));
        // Seven responses against six: shown.
        let pilot_nps = NpsCounts::from_scores([10, 9, 7, 6, 3, 10, 0]).unwrap();
        let control_nps = NpsCounts::from_scores([8, 5, 9, 2, 7, 10]).unwrap();
        let m = measure(pc, "nps");
        same_interval(m, nps_difference(&pilot_nps, &control_nps).unwrap());
        assert_eq!((m.a.n, m.b.n, m.withheld.as_deref()), (Some(7), Some(6), None));
        let scores = |s: &[f64]| ScoreSummary::from_values(s).unwrap();
        let csat = mean_difference(
            &scores(&[5.0, 4.0, 3.0, 5.0, 2.0, 5.0, 1.0]),
            &scores(&[3.0, 4.0, 2.0, 5.0, 3.0, 4.0]),
        );
        same_interval(measure(pc, "csat"), csat.unwrap());
        let m = measure(pc, "prefers_appointment");
        assert_eq!(counts(m), ((Some(4), Some(7)), (Some(2), Some(6))));
        same_interval(m, newcombe_difference(Proportion::new(4, 7), Proportion::new(2, 6)).unwrap());
        assert_eq!(counts(measure(pc, "knows_channel_online")), ((Some(4), Some(7)), (Some(5), Some(6))));
    }

    /// Only the week of 23 November: two pilot responses, none at control.
    #[test]
    fn a_short_period_withholds_the_questionnaire() {
        let c = compare(&facts(), day(23), day(30));
        let pc = &c.pilot_vs_control;
        // b3, b4, b5, b7 (b8 is on 1 December).
        assert_eq!(measure(pc, "self_service").a.n, Some(4));
        for name in [
            "nps",
            "csat",
            "csat_top_box",
            "ces",
            "prefers_appointment",
            "knows_channel_chat",
            "could_online_yes",
        ] {
            let m = measure(pc, name);
            assert_eq!(m.withheld.as_deref(), Some("pilot: fewer than 5 responses"), "{name}");
            assert_eq!(
                (m.a.clone(), m.b.clone(), m.difference, m.ci_low),
                (Side::default(), Side::default(), None, None)
            );
        }
        // No capacity at control that week: no control share, no difference.
        let m = measure(pc, "utilisation");
        assert_eq!((m.b.value, m.b.n, m.difference, m.ci_low), (None, Some(0), None, None));
    }

    /// P switched on Thursday 19 November: b1 and b2 before, the rest after; week 47
    /// holds the switch and its responses count on neither side.
    #[test]
    fn before_and_after_the_pilot_start() {
        let c = compare(&facts(), day(16), day(107));
        assert_eq!(c.before_after.len(), 1, "only P has a pilot start");
        let ba = &c.before_after[0];
        assert_eq!((ba.office, ba.pilot_group.as_str(), ba.pilot_start), (P, "pilot", day(19)));
        assert_eq!((ba.compared.a.as_str(), ba.compared.b.as_str()), ("after", "before"));
        let m = measure(&ba.compared, "self_service");
        assert_eq!(counts(m), ((Some(4), Some(5)), (Some(1), Some(2))));
        assert_eq!(counts(measure(&ba.compared, "utilisation")), ((Some(3), Some(6)), (Some(4), Some(10))));
        assert_eq!(counts(measure(&ba.compared, "no_show")), ((Some(0), Some(1)), (Some(1), Some(2))));
        // After: W48's two responses; before: none.
        let m = measure(&ba.compared, "nps");
        assert_eq!(m.withheld.as_deref(), Some("after: fewer than 5 responses"));
    }

    #[test]
    fn responses_fall_by_whole_weeks_around_the_pilot_start() {
        let with_start = |d: NaiveDate| {
            let mut f = facts();
            f.offices[0].pilot_start = Some(d);
            let c = compare(&f, day(16), day(107));
            measure(&c.before_after[0].compared, "csat").clone()
        };
        // A Monday start: W47 (5) before, W48 (2) after.
        assert_eq!(with_start(day(23)).withheld.as_deref(), Some("after: fewer than 5 responses"));
        // From the first Monday: all 7 after, none before.
        assert_eq!(with_start(day(16)).withheld.as_deref(), Some("before: fewer than 5 responses"));
        // Starting before the period: all after, and the comparison of bookings has only
        // one side.
        let mut f = facts();
        f.offices[0].pilot_start = Some(day(2));
        let c = compare(&f, day(16), day(107));
        let m = measure(&c.before_after[0].compared, "self_service");
        assert_eq!((m.a.n, m.b.n, m.difference), (Some(7), Some(0), None));
    }

    #[test]
    fn other_pilot_group_labels_are_in_neither_side() {
        let mut f = facts();
        for b in &mut f.bookings {
            if b.office == C {
                b.pilot_group = "reference".into();
            }
        }
        let c = compare(&f, day(16), day(107));
        assert_eq!(measure(&c.pilot_vs_control, "self_service").b.n, Some(0));
    }
}
