//! The pilot's effect as an evaluator estimates it: (pilot after − pilot before) − (control
//! after − control before), each measure with a 95 % interval (methods in [`stats::did`]).
//!
//! Control offices have no switch of their own, so both groups are split at one date, the
//! pilot group's start: the earliest `pilot_start` of a pilot office. Facts of a day count
//! by that day; responses by whole weeks as in before/after (the week of a mid-week start
//! counts on neither side).
//!
//! [`stats::did`]: crate::stats::did

use super::comparison::{
    around, tally_sides, Compared, Place, Side, Sides, When, CONTROL_GROUP, PILOT_GROUP,
};
use super::disclosure::{Disclosure, Family, CONTROL_AFTER, CONTROL_BEFORE, PILOT_AFTER, PILOT_BEFORE};
use super::facts::{Facts, OfficeFact};
use super::measures::{self, Kind, Measure};
use super::tally::Tally;
use crate::stats::{self, ContrastCi, Four};
use chrono::NaiveDate;
use serde::Serialize;

/// Every measure's difference in differences over one period.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DifferenceInDifferences {
    /// Where both groups are split: the earliest pilot start of a pilot office.
    pub pilot_start: NaiveDate,
    /// The pilot group after against before, each measure with its two-group interval.
    pub pilot_change: Compared,
    /// The control group after against before, split at the same date.
    pub control_change: Compared,
    pub measures: Vec<DidMeasure>,
}

/// One measure in the four groups and the estimate. Estimate and interval are null when a
/// group has too little data for the method (nothing before the start in the period, fewer
/// than two values, no spread).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DidMeasure {
    #[cfg_attr(feature = "openapi", schema(example = "nps"))]
    pub measure: String,
    #[cfg_attr(feature = "openapi", schema(example = "points"))]
    pub unit: String,
    pub pilot_before: Side,
    pub pilot_after: Side,
    pub control_before: Side,
    pub control_after: Side,
    /// (pilot after − pilot before) − (control after − control before).
    pub estimate: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// `mover_wilson` (rates), `welch_t` (means), `bonett_price` (medians) or
    /// `wald_trinomial` (NPS).
    #[cfg_attr(feature = "openapi", schema(example = "wald_trinomial"))]
    pub method: String,
    /// Why the questionnaire measure is withheld (a group below five responses or answers).
    pub withheld: Option<String>,
}

/// The pilot group's start: the earliest `pilot_start` of an office in the pilot group.
pub fn pilot_group_start(offices: &[OfficeFact]) -> Option<NaiveDate> {
    offices.iter().filter(|o| o.pilot_group == PILOT_GROUP).filter_map(|o| o.pilot_start).min()
}

/// The difference in differences over `[from, to)`; `None` when no pilot office has a
/// pilot start. The four groups' questionnaire figures are withheld as `disclosure` says.
pub(super) fn difference_in_differences(
    facts: &Facts,
    from: NaiveDate,
    to: NaiveDate,
    disclosure: &Disclosure,
) -> Option<DifferenceInDifferences> {
    let start = pilot_group_start(&facts.offices)?;
    let split = |group: &'static str| {
        tally_sides(
            facts,
            from,
            to,
            move |_, g, when: When| if g == group { around(start, when) } else { Place::Neither },
        )
    };
    let (pilot_after, pilot_before) = split(PILOT_GROUP);
    let (control_after, control_before) = split(CONTROL_GROUP);
    let groups = Four {
        pilot_after: &pilot_after,
        pilot_before: &pilot_before,
        control_after: &control_after,
        control_before: &control_before,
    };
    let all = measures::all();
    let family = Family::DifferenceInDifferences;
    let change = |after, before, cells| Compared {
        a: "after".to_owned(),
        b: "before".to_owned(),
        measures: all
            .iter()
            .map(|m| {
                Sides { a: ("after", after), b: ("before", before), cells: (disclosure, family, cells) }
                    .compare(m)
            })
            .collect(),
    };
    Some(DifferenceInDifferences {
        pilot_start: start,
        pilot_change: change(&pilot_after, &pilot_before, [PILOT_AFTER, PILOT_BEFORE]),
        control_change: change(&control_after, &control_before, [CONTROL_AFTER, CONTROL_BEFORE]),
        measures: all.iter().map(|m| estimate(m, &groups, disclosure)).collect(),
    })
}

const LABELS: Four<&str> = Four {
    pilot_after: "pilot after",
    pilot_before: "pilot before",
    control_after: "control after",
    control_before: "control before",
};

fn estimate(m: &Measure, g: &Four<&Tally>, disclosure: &Disclosure) -> DidMeasure {
    let method = match m.kind {
        Kind::Rate(_) | Kind::AnswerRate(_) => "mover_wilson",
        Kind::Median(..) => "bonett_price",
        Kind::Mean(_) => "welch_t",
        Kind::Nps => "wald_trinomial",
    };
    let withheld = disclosure.withheld_side(
        Family::DifferenceInDifferences,
        &m.name,
        &[
            (LABELS.pilot_before, PILOT_BEFORE),
            (LABELS.pilot_after, PILOT_AFTER),
            (LABELS.control_before, CONTROL_BEFORE),
            (LABELS.control_after, CONTROL_AFTER),
        ],
    );
    let blank = DidMeasure {
        measure: m.name.clone(),
        unit: m.unit().to_owned(),
        pilot_before: Side::default(),
        pilot_after: Side::default(),
        control_before: Side::default(),
        control_after: Side::default(),
        estimate: None,
        ci_low: None,
        ci_high: None,
        method: method.to_owned(),
        withheld,
    };
    if blank.withheld.is_some() {
        return blank;
    }
    let ci: Option<ContrastCi> = match &m.kind {
        Kind::Rate(part) | Kind::AnswerRate(part) => {
            stats::rate_did(&g.map(|t| Measure::proportion(part, t)))
        }
        Kind::Median(_, values) => stats::median_did(&g.map(|t| values(t))),
        Kind::Mean(scores) => g.try_map(|t| Measure::scores(*scores, t)).and_then(|s| stats::mean_did(&s)),
        Kind::Nps => stats::nps_did(&g.map(|t| t.nps)),
    };
    let sides = g.map(|t| m.side(t));
    // Without an interval the estimate is still worth showing when every group has a value.
    let estimate = ci.map(|c| c.estimate).or_else(|| {
        Some(
            (sides.pilot_after.value? - sides.pilot_before.value?)
                - (sides.control_after.value? - sides.control_before.value?),
        )
    });
    DidMeasure {
        pilot_before: sides.pilot_before,
        pilot_after: sides.pilot_after,
        control_before: sides.control_before,
        control_after: sides.control_after,
        estimate,
        ci_low: ci.map(|c| c.low),
        ci_high: ci.map(|c| c.high),
        ..blank
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::difference_in_differences;
    use super::super::fixtures::*;
    use super::*;
    use crate::stats::Proportion;

    fn measure<'d>(d: &'d DifferenceInDifferences, name: &str) -> &'d DidMeasure {
        d.measures.iter().find(|m| m.measure == name).unwrap_or_else(|| panic!("no {name}"))
    }

    fn counts(s: &Side) -> (Option<u64>, Option<u64>) {
        (s.numerator, s.n)
    }

    /// P switches on Thursday 19 November and C is split there too: b1, b2 and c1 (17th,
    /// 18th) before, the rest after.
    #[test]
    fn by_hand_around_the_pilot_start() {
        let d = difference_in_differences(&facts(), day(16), day(107)).unwrap();
        assert_eq!(d.pilot_start, day(19));
        // Self-service: pilot 1 of 2 (b1) → 4 of 5 (b3, b4, b5, b8); control 0 of 1 (c1,
        // a walk-in) → 1 of 3 (c3). (0.8 − 0.5) − (1/3 − 0) = −1/30.
        let m = measure(&d, "self_service");
        assert_eq!(
            [
                counts(&m.pilot_before),
                counts(&m.pilot_after),
                counts(&m.control_before),
                counts(&m.control_after)
            ],
            [(Some(1), Some(2)), (Some(4), Some(5)), (Some(0), Some(1)), (Some(1), Some(3))]
        );
        close(m.estimate, -1.0 / 30.0);
        let p = Proportion::new;
        let ci = stats::rate_did(&Four {
            pilot_after: p(4, 5),
            pilot_before: p(1, 2),
            control_after: p(1, 3),
            control_before: p(0, 1),
        })
        .unwrap();
        assert_eq!((m.ci_low, m.ci_high, m.method.as_str()), (Some(ci.low), Some(ci.high), "mover_wilson"));
        // No-shows: pilot 1 of 2 (b2) → 0 of 1 (b3; b7 unrecorded, b8 ahead); control 0 of 1
        // → 1 of 2 (c2, and c3 not reached): (0 − ½) − (½ − 0) = −1.
        let m = measure(&d, "no_show");
        assert_eq!(
            (counts(&m.pilot_after), counts(&m.control_after)),
            ((Some(0), Some(1)), (Some(1), Some(2)))
        );
        close(m.estimate, -1.0);
        assert!(m.ci_low.unwrap() >= -2.0 && m.ci_high.unwrap() > -1.0);
        // Walk-ins of the office's visitors: pilot 1 of 2 (b1 came too) → 2 of 2; control
        // 1 of 2 (c1) → none at all after: no estimate.
        let m = measure(&d, "walk_in_share");
        assert_eq!(
            [
                counts(&m.pilot_before),
                counts(&m.pilot_after),
                counts(&m.control_before),
                counts(&m.control_after)
            ],
            [(Some(1), Some(2)), (Some(2), Some(2)), (Some(1), Some(2)), (Some(0), Some(0))]
        );
        assert_eq!((m.estimate, m.ci_low), (None, None));
        // One waiting time in all (b1): no estimate.
        assert_eq!(measure(&d, "waiting_minutes").estimate, None);
        // Responses: W47 holds the switch and counts on neither side, so the pilot has none
        // before.
        let m = measure(&d, "nps");
        assert_eq!(m.withheld.as_deref(), Some("pilot before: fewer than 5 responses"));
        assert_eq!((m.estimate, m.pilot_after.n), (None, None));
    }

    #[test]
    fn the_earliest_pilot_office_start_splits_both_groups() {
        let mut f = facts();
        assert_eq!(pilot_group_start(&f.offices), Some(day(19)));
        // A control office's own date does not count.
        f.offices[1].pilot_start = Some(day(2));
        assert_eq!(pilot_group_start(&f.offices), Some(day(19)));
        f.offices[0].pilot_start = None;
        assert_eq!(pilot_group_start(&f.offices), None);
        assert_eq!(difference_in_differences(&f, day(16), day(107)), None);
    }
}
