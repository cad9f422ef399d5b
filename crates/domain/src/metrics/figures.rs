//! The kinds of figure a metrics row holds — rates, duration quantiles, score means, the
//! NPS, access and walk-in counts — each with the counts behind it, and with a reason
//! instead of a value where a figure is withheld.

use crate::stats::{self, NpsCounts, Proportion};
use serde::Serialize;

/// Why a questionnaire figure of a group with too few responses is not shown (DESIGN §4.7).
pub fn fewer_responses() -> String {
    format!("fewer than {} responses", stats::MIN_RESPONSES)
}

/// Why a questionnaire figure resting on too few answers to its question is not shown,
/// although the group has enough responses (an optional question few answered).
pub fn fewer_answers() -> String {
    format!("fewer than {} answers to this question", stats::MIN_RESPONSES)
}

/// Why a questionnaire figure with enough responses and answers is not shown: with it, a
/// figure withheld for too few could be worked out by addition and subtraction.
pub fn complementary() -> String {
    "withheld so that another withheld figure cannot be derived".to_owned()
}

/// Why "third next available" is not given per week.
pub const ACCESS_NOT_WEEKLY: &str = "third next available is measured now, not per week; group without week";

/// Why capacity is not given per topic.
pub const CAPACITY_NOT_PER_TOPIC: &str = "slots are not tied to a topic; group without topic";

/// A share `numerator / denominator` with its 95 % Wilson interval. `value` is null when
/// the denominator is 0; everything is null, with `withheld` saying why, when the figure
/// is withheld.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rate {
    /// A share from 0 to 1.
    #[cfg_attr(feature = "openapi", schema(example = 0.25))]
    pub value: Option<f64>,
    pub numerator: Option<u64>,
    pub denominator: Option<u64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    #[cfg_attr(feature = "openapi", schema(example = json!(null)))]
    pub withheld: Option<String>,
}

impl Rate {
    pub fn of(numerator: u64, denominator: u64) -> Rate {
        let p = Proportion::new(numerator, denominator);
        let ci = p.wilson_95();
        Rate {
            value: p.rate(),
            numerator: Some(numerator),
            denominator: Some(denominator),
            ci_low: ci.map(|i| i.low),
            ci_high: ci.map(|i| i.high),
            withheld: None,
        }
    }

    pub fn withheld(reason: impl Into<String>) -> Rate {
        Rate {
            value: None,
            numerator: None,
            denominator: None,
            ci_low: None,
            ci_high: None,
            withheld: Some(reason.into()),
        }
    }

    /// `of`, unless `withheld` gives a reason.
    pub(super) fn unless(withheld: Option<String>, numerator: u64, denominator: u64) -> Rate {
        match withheld {
            Some(reason) => Rate::withheld(reason),
            None => Rate::of(numerator, denominator),
        }
    }
}

/// The median and 90th percentile (type 7, see [`stats::percentile`]) of `n` durations.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Durations {
    pub n: u64,
    pub median: Option<f64>,
    pub p90: Option<f64>,
}

impl Durations {
    pub fn of(values: &[f64]) -> Durations {
        let mut sorted = values.to_vec();
        Durations {
            n: values.len() as u64,
            median: stats::percentile(&mut sorted, 50.0),
            p90: stats::percentile(&mut sorted, 90.0),
        }
    }
}

/// The mean of `n` scale scores (CSAT 1–5, CES 1–7).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Mean {
    pub n: Option<u64>,
    pub value: Option<f64>,
    pub withheld: Option<String>,
}

impl Mean {
    pub(super) fn unless(withheld: Option<String>, scores: &[u8]) -> Mean {
        match withheld {
            Some(reason) => Mean { n: None, value: None, withheld: Some(reason) },
            None => {
                let values: Vec<f64> = scores.iter().map(|&s| f64::from(s)).collect();
                Mean {
                    n: Some(values.len() as u64),
                    value: stats::ScoreSummary::from_values(&values).map(|s| s.mean()),
                    withheld: None,
                }
            }
        }
    }
}

/// The Net Promoter Score in points (−100 to 100) with its three counts.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Nps {
    pub n: Option<u64>,
    pub promoters: Option<u64>,
    pub passives: Option<u64>,
    pub detractors: Option<u64>,
    pub value: Option<f64>,
    pub withheld: Option<String>,
}

impl Nps {
    pub(super) fn unless(withheld: Option<String>, counts: &NpsCounts) -> Nps {
        match withheld {
            Some(reason) => Nps {
                n: None,
                promoters: None,
                passives: None,
                detractors: None,
                value: None,
                withheld: Some(reason),
            },
            None => Nps {
                n: Some(counts.n()),
                promoters: Some(counts.promoters()),
                passives: Some(counts.passives()),
                detractors: Some(counts.detractors()),
                value: counts.nps(),
                withheld: None,
            },
        }
    }
}

/// Third next available, in hours from now: per office and topic the time to the third
/// open slot; for a group of several office–topic pairs the median over the pairs that
/// have three open slots.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThirdNextAvailable {
    /// Hours (median over `office_topics` − `without_three_open` pairs).
    pub value: Option<f64>,
    /// Office–topic pairs in the group (an office whose active advisors handle the topic).
    pub office_topics: Option<u64>,
    /// Of those, pairs with fewer than three open slots ahead: fully booked.
    pub without_three_open: Option<u64>,
    pub withheld: Option<String>,
}

impl ThirdNextAvailable {
    pub(super) fn of(pairs: &[Option<f64>]) -> Self {
        let mut hours: Vec<f64> = pairs.iter().flatten().copied().collect();
        ThirdNextAvailable {
            value: stats::median(&mut hours),
            office_topics: Some(pairs.len() as u64),
            without_three_open: Some(pairs.iter().filter(|p| p.is_none()).count() as u64),
            withheld: None,
        }
    }

    pub(super) fn withheld(reason: &str) -> Self {
        ThirdNextAvailable {
            value: None,
            office_topics: None,
            without_three_open: None,
            withheld: Some(reason.to_owned()),
        }
    }
}

/// Citizens who came without an appointment, by what was done for them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WalkIns {
    pub total: u64,
    pub booked_now: u64,
    pub booked_later: u64,
    pub directed_to_eservice: u64,
    pub directed_to_phone: u64,
    pub served_urgent: u64,
    pub left: u64,
}

/// For each channel of the questionnaire, the share of respondents who knew of it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChannelAwareness {
    pub online: Rate,
    pub phone: Rate,
    pub partner_point: Rate,
    pub chat: Rate,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_without_trials_has_no_value_but_keeps_its_counts() {
        let r = Rate::of(0, 0);
        assert_eq!((r.value, r.numerator, r.denominator, r.ci_low), (None, Some(0), Some(0), None));
        let r = Rate::of(1, 4);
        assert_eq!(r.value, Some(0.25));
        let ci = Proportion::new(1, 4).wilson_95().unwrap();
        assert_eq!((r.ci_low, r.ci_high), (Some(ci.low), Some(ci.high)));
    }

    #[test]
    fn a_withheld_figure_shows_no_count() {
        let r = Rate::unless(Some(fewer_responses()), 3, 4);
        assert_eq!(r, Rate::withheld("fewer than 5 responses"));
        let m = Mean::unless(Some(fewer_answers()), &[5, 5, 4]);
        assert_eq!((m.n, m.value), (None, None));
        let n = Nps::unless(Some(fewer_responses()), &NpsCounts::from_scores([9, 10]).unwrap());
        assert_eq!((n.n, n.promoters, n.value), (None, None, None));
    }

    #[test]
    fn durations_by_hand() {
        // Sorted 1, 2, 3, 4, 10: median 3; p90 at h = 3.6 → 4 + 0.6·6 = 7.6.
        let d = Durations::of(&[10.0, 1.0, 3.0, 2.0, 4.0]);
        assert_eq!(d.n, 5);
        assert_eq!(d.median, Some(3.0));
        assert!((d.p90.unwrap() - 7.6).abs() < 1e-12);
        assert_eq!(Durations::of(&[]), Durations { n: 0, median: None, p90: None });
    }

    #[test]
    fn third_next_available_over_pairs() {
        let t = ThirdNextAvailable::of(&[Some(2.0), None, Some(10.0), Some(4.0)]);
        assert_eq!((t.value, t.office_topics, t.without_three_open), (Some(4.0), Some(4), Some(1)));
        let t = ThirdNextAvailable::of(&[None]);
        assert_eq!((t.value, t.office_topics, t.without_three_open), (None, Some(1), Some(1)));
    }
}
