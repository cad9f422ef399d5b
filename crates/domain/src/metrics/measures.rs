//! The measures set side against side — pilot and control, before and after, the four
//! groups of a difference in differences — each with its unit, how a side's tally gives its
//! estimate, and whether it rests on questionnaire answers (and may be withheld, see
//! disclosure.rs).
//! One list, so every comparison holds the same measures in the same order.

use super::comparison::Side;
use super::tally::{Tally, KNOWN_CHANNELS};
use crate::stats::{self, Proportion, ScoreSummary};

/// `(numerator, denominator)` of a rate in one tally.
type Part = Box<dyn Fn(&Tally) -> (u64, u64) + Send + Sync>;

/// How a measure is estimated, and so which interval it gets.
pub(super) enum Kind {
    /// A share of counts the office records.
    Rate(Part),
    /// A share of questionnaire answers.
    AnswerRate(Part),
    /// The median of durations, in the unit given.
    Median(&'static str, fn(&Tally) -> &[f64]),
    /// The mean of questionnaire scores.
    Mean(fn(&Tally) -> &[u8]),
    Nps,
}

pub(super) struct Measure {
    pub name: String,
    pub kind: Kind,
}

impl Measure {
    fn new(name: &str, kind: Kind) -> Measure {
        Measure { name: name.to_owned(), kind }
    }

    /// `share` (0–1), `points` (NPS), `score`, `hours` or `minutes`.
    pub fn unit(&self) -> &'static str {
        match self.kind {
            Kind::Rate(_) | Kind::AnswerRate(_) => "share",
            Kind::Median(unit, _) => unit,
            Kind::Mean(_) => "score",
            Kind::Nps => "points",
        }
    }

    pub fn proportion(part: &Part, t: &Tally) -> Proportion {
        let (x, n) = part(t);
        Proportion::new(x, n)
    }

    pub fn scores(scores: fn(&Tally) -> &[u8], t: &Tally) -> Option<ScoreSummary> {
        let values: Vec<f64> = scores(t).iter().map(|&s| f64::from(s)).collect();
        ScoreSummary::from_values(&values)
    }

    /// One side's estimate and what it rests on.
    pub fn side(&self, t: &Tally) -> Side {
        match &self.kind {
            Kind::Rate(part) | Kind::AnswerRate(part) => {
                let p = Measure::proportion(part, t);
                Side { value: p.rate(), n: Some(p.trials), numerator: Some(p.successes) }
            }
            Kind::Median(_, values) => {
                let mut v = values(t).to_vec();
                Side { value: stats::median(&mut v), n: Some(v.len() as u64), numerator: None }
            }
            Kind::Mean(scores) => {
                let s = Measure::scores(*scores, t);
                Side { value: s.map(|s| s.mean()), n: s.map(|s| s.n()), numerator: None }
            }
            Kind::Nps => Side { value: t.nps.nps(), n: Some(t.nps.n()), numerator: None },
        }
    }
}

/// Every compared measure, in the order they are reported.
pub(super) fn all() -> Vec<Measure> {
    let rate = |part: fn(&Tally) -> (u64, u64)| Kind::Rate(Box::new(part));
    let answers = |part: fn(&Tally) -> (u64, u64)| Kind::AnswerRate(Box::new(part));
    let mut m = vec![
        Measure::new("self_service", rate(|t| (t.self_service, t.bookings))),
        Measure::new("lead_time_hours", Kind::Median("hours", |t| &t.lead_hours)),
        Measure::new("utilisation", rate(|t| (t.booked_slots, t.published_slots))),
        Measure::new("no_show", rate(|t| (t.no_shows, t.outcomes))),
        Measure::new("late_cancellation", rate(|t| (t.late_cancellations, t.bookings))),
        Measure::new("punctuality_minutes", Kind::Median("minutes", |t| &t.punctuality)),
        Measure::new("waiting_minutes", Kind::Median("minutes", |t| &t.waiting)),
        Measure::new("service_minutes", Kind::Median("minutes", |t| &t.service)),
        Measure::new("first_contact_resolution", rate(|t| (t.resolved, t.assessments))),
        Measure::new("channel_substitutable", rate(|t| (t.substitutable, t.assessments))),
        Measure::new("walk_in_share", rate(|t| (t.walk_ins.total, t.walk_ins.total + t.office_visits))),
        Measure::new("nps", Kind::Nps),
        Measure::new("csat", Kind::Mean(|t| &t.csat)),
        Measure::new("csat_top_box", answers(|t| (t.csat_top_box(), t.csat.len() as u64))),
        Measure::new("ces", Kind::Mean(|t| &t.ces)),
        Measure::new("prefers_appointment", answers(|t| (t.prefers_appointment, t.preference))),
    ];
    for (i, channel) in KNOWN_CHANNELS.iter().enumerate() {
        let part: Part = Box::new(move |t| (t.knows[i], t.channels_answered));
        m.push(Measure::new(&format!("knows_channel_{channel}"), Kind::AnswerRate(part)));
    }
    m.push(Measure::new("could_online_yes", answers(|t| (t.could_online_yes, t.could_online))));
    m.push(Measure::new("could_online_partly", answers(|t| (t.could_online_partly, t.could_online))));
    m.push(Measure::new("response_rate", rate(|t| (t.answered, t.invitations))));
    m
}

/// Every compared measure's key and unit, in the order they are reported.
pub fn keys() -> Vec<(String, &'static str)> {
    all().into_iter().map(|m| (m.name.clone(), m.unit())).collect()
}
