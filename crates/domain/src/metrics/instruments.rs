//! The pilot's instruments reported as they were answered: the citizens' questionnaire
//! (each question's distribution), the advisors' assessments after visits, and walk-ins by
//! outcome, for the pilot and the control group over one period.
//!
//! The comparison reduces each question to one figure; these are the whole answers behind
//! them. Questionnaire distributions are withheld where the comparison withholds the same
//! side's figures (below five responses or answers, or as a complement); assessments and walk-ins are the staff's records of
//! their own work and are shown whatever their number.

use super::comparison::{CONTROL_GROUP, PILOT_GROUP};
use super::disclosure::{CellKey, Disclosure, Family, Question};
use super::facts::Facts;
use super::tally::KNOWN_CHANNELS;
use crate::visit::{OtherChannel, PersonalServiceReason, Segment, WalkInOutcome};
use chrono::NaiveDate;
use serde::Serialize;

/// How many gave each answer, of `n` who answered the question. For a question with
/// several answers at once (channels known, reasons) the counts add up to more than `n`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Distribution {
    pub n: u64,
    /// `(answer, count)` in the questionnaire's order; empty when withheld.
    pub counts: Vec<(String, u64)>,
    pub withheld: Option<String>,
}

impl Distribution {
    fn of<'a>(answers: impl IntoIterator<Item = &'a str>, n: u64, given: &[String]) -> Distribution {
        let counts = answers
            .into_iter()
            .map(|a| (a.to_owned(), given.iter().filter(|g| g.as_str() == a).count() as u64))
            .collect();
        Distribution { n, counts, withheld: None }
    }

    fn withheld(reason: impl Into<String>) -> Distribution {
        Distribution { withheld: Some(reason.into()), ..Distribution::default() }
    }

    /// The share of `n` that gave `answer`; `None` without answers or when withheld.
    pub fn share(&self, answer: &str) -> Option<f64> {
        let count = self.counts.iter().find(|(a, _)| a == answer)?.1;
        (self.n > 0).then(|| count as f64 / self.n as f64)
    }
}

/// One group's instruments.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupInstruments {
    pub responses: u64,
    /// "How likely would you recommend …", 0–10.
    pub recommend: Distribution,
    /// Satisfaction, 1–5.
    pub satisfaction: Distribution,
    /// Ease, 1–7.
    pub effort: Distribution,
    pub preference: Distribution,
    pub channels_known: Distribution,
    pub could_online: Distribution,
    pub assessments: u64,
    pub other_channel: Distribution,
    pub personal_service_reasons: Distribution,
    pub other_channels_discussed: Distribution,
    pub segment: Distribution,
    pub walk_ins: Distribution,
}

/// Both groups over one period.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Instruments {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub pilot: GroupInstruments,
    pub control: GroupInstruments,
}

/// The questionnaire's answers to `preference` and `could_online`, in its order.
pub const PREFERENCES: [&str; 3] = ["appointment", "without_appointment", "no_preference"];
pub const COULD_ONLINE: [&str; 3] = ["yes", "partly", "no"];
/// `channels_known` lists these; "none" stands for an answer that knew none of them.
pub const NONE_KNOWN: &str = "none";

fn scores(
    range: std::ops::RangeInclusive<u8>,
    given: impl Iterator<Item = u8>,
) -> (Vec<String>, Vec<String>) {
    (range.map(|s| s.to_string()).collect(), given.map(|s| s.to_string()).collect())
}

fn group(
    facts: &Facts,
    from: NaiveDate,
    to: NaiveDate,
    label: &'static str,
    disclosure: &Disclosure,
) -> GroupInstruments {
    let in_period = |d: NaiveDate| from <= d && d < to;
    let responses: Vec<_> =
        facts.responses.iter().filter(|r| r.pilot_group == label && in_period(r.week.monday())).collect();
    let mut g = GroupInstruments { responses: responses.len() as u64, ..GroupInstruments::default() };
    // The side's cell of the comparison, whose every question the pattern withholds or shows.
    let withheld = |q: Question| disclosure.is_withheld(Family::PilotVsControl, &CellKey::Side(label), q);
    let answered = |given: &[String]| given.len() as u64;
    let shown = |q: Question, d: Distribution| withheld(q).map_or(d, Distribution::withheld);
    let a = || responses.iter().map(|r| &r.answers);
    let (names, given) = scores(0..=10, a().filter_map(|a| a.recommend));
    g.recommend =
        shown(Question::Nps, Distribution::of(names.iter().map(String::as_str), answered(&given), &given));
    let (names, given) = scores(1..=5, a().filter_map(|a| a.satisfaction));
    g.satisfaction =
        shown(Question::Csat, Distribution::of(names.iter().map(String::as_str), answered(&given), &given));
    let (names, given) = scores(1..=7, a().filter_map(|a| a.effort));
    g.effort =
        shown(Question::Ces, Distribution::of(names.iter().map(String::as_str), answered(&given), &given));
    let given: Vec<String> = a().filter_map(|a| a.preference.clone()).collect();
    g.preference = shown(Question::Preference, Distribution::of(PREFERENCES, answered(&given), &given));
    let lists: Vec<&Vec<String>> = a().filter_map(|a| a.channels_known.as_ref()).collect();
    let given: Vec<String> = lists
        .iter()
        .flat_map(|l| if l.is_empty() { vec![NONE_KNOWN.to_owned()] } else { l.to_vec() })
        .collect();
    let names = KNOWN_CHANNELS.into_iter().chain([NONE_KNOWN]);
    g.channels_known = shown(Question::ChannelsKnown, Distribution::of(names, lists.len() as u64, &given));
    let given: Vec<String> = a().filter_map(|a| a.could_online.clone()).collect();
    g.could_online = shown(Question::CouldOnline, Distribution::of(COULD_ONLINE, answered(&given), &given));
    let assessed: Vec<_> = facts
        .bookings
        .iter()
        .filter(|b| b.pilot_group == label && !b.moved && in_period(b.date))
        .filter_map(|b| b.assessment.as_ref())
        .collect();
    g.assessments = assessed.len() as u64;
    let n = g.assessments;
    let texts = |f: &dyn Fn(&crate::visit::Assessment) -> Vec<String>| -> Vec<String> {
        assessed.iter().flat_map(|a| f(a)).collect()
    };
    g.other_channel = Distribution::of(
        OtherChannel::ALL.iter().map(|c| c.as_str()),
        n,
        &texts(&|a| vec![a.other_channel.as_str().to_owned()]),
    );
    g.personal_service_reasons = Distribution::of(
        PersonalServiceReason::ALL.iter().map(|r| r.as_str()),
        n,
        &texts(&|a| a.personal_service_reasons.iter().map(|r| r.as_str().to_owned()).collect()),
    );
    g.other_channels_discussed = Distribution::of(
        ["yes", "no"],
        n,
        &texts(&|a| vec![if a.other_channels_discussed { "yes" } else { "no" }.to_owned()]),
    );
    g.segment = Distribution::of(
        Segment::ALL.iter().map(|s| s.as_str()),
        n,
        &texts(&|a| vec![a.segment.as_str().to_owned()]),
    );
    let walk_ins: Vec<String> = facts
        .walk_ins
        .iter()
        .filter(|w| w.pilot_group == label && in_period(w.date))
        .map(|w| w.outcome.as_str().to_owned())
        .collect();
    g.walk_ins =
        Distribution::of(WalkInOutcome::ALL.iter().map(|o| o.as_str()), walk_ins.len() as u64, &walk_ins);
    g
}

/// The instruments of the pilot and the control group over `[from, to)`, counted as the
/// comparison counts them: visits and walk-ins by their office-local day, responses by
/// the week of the visit when its Monday is in the period.
///
/// A question's distribution is withheld exactly when the comparison withholds its
/// figures for that side ([`Disclosure`]): the distribution is the same responses' answers
/// in more detail.
pub fn instruments(facts: &Facts, from: NaiveDate, to: NaiveDate) -> Instruments {
    instruments_with(facts, from, to, &Disclosure::over(facts, from, to))
}

fn instruments_with(facts: &Facts, from: NaiveDate, to: NaiveDate, disclosure: &Disclosure) -> Instruments {
    Instruments {
        from,
        to,
        pilot: group(facts, from, to, PILOT_GROUP, disclosure),
        control: group(facts, from, to, CONTROL_GROUP, disclosure),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;

    fn counts(d: &Distribution) -> Vec<u64> {
        d.counts.iter().map(|(_, c)| *c).collect()
    }

    /// The whole period: seven responses at P, six at C (fixtures).
    #[test]
    fn every_answer_counted_by_hand() {
        let mut f = facts();
        // c1's assessment with reasons and a segment of its own.
        let c1 = f.bookings.iter_mut().find(|b| b.office == C && b.assessment.is_some()).expect("c1");
        if let Some(a) = c1.assessment.as_mut() {
            a.personal_service_reasons =
                vec![PersonalServiceReason::Health, PersonalServiceReason::Documents];
            a.other_channels_discussed = true;
            a.segment = Segment::LifeChange;
        }
        // By hand on the primary pattern alone: the fixtures are too small to show anything
        // once complements are withheld.
        let i = instruments_with(&f, day(16), day(107), &Disclosure::primary_only(&f, day(16), day(107)));
        let p = &i.pilot;
        assert_eq!(p.responses, 7);
        // NPS answers 10, 9, 7, 6, 3, 10, 0.
        assert_eq!(counts(&p.recommend), [1, 0, 0, 1, 0, 0, 1, 1, 0, 1, 2]);
        assert_eq!(p.recommend.n, 7);
        // Satisfaction 5, 4, 3, 5, 2, 5, 1.
        assert_eq!(counts(&p.satisfaction), [1, 1, 1, 1, 3]);
        assert_eq!(counts(&p.preference), [4, 2, 1]);
        // Online 4, phone 2, partner 1, chat 1, none 2 (r3, and the last W48 one).
        assert_eq!(counts(&p.channels_known), [4, 2, 1, 1, 2]);
        assert_eq!(p.channels_known.n, 7);
        assert_eq!(counts(&p.could_online), [3, 1, 3]);
        assert!((p.preference.share("appointment").unwrap() - 4.0 / 7.0).abs() < 1e-12);
        // Assessments b1 (no other channel) and b3 (e-service).
        assert_eq!(p.assessments, 2);
        assert_eq!(counts(&p.other_channel), [1, 1, 0, 0]);
        assert_eq!(counts(&p.other_channels_discussed), [0, 2]);
        // Walk-ins at P: booked now, directed to the e-service, left.
        assert_eq!(counts(&p.walk_ins), [1, 0, 1, 0, 0, 1]);
        let c = &i.control;
        assert_eq!(c.responses, 6);
        assert_eq!(counts(&c.could_online), [1, 1, 4]);
        assert_eq!(counts(&c.personal_service_reasons), [1, 0, 0, 0, 1, 0, 0]);
        assert_eq!(c.personal_service_reasons.n, 1);
        assert_eq!(counts(&c.other_channels_discussed), [1, 0]);
        assert_eq!(counts(&c.segment), [0, 0, 1, 0, 0]);
        assert_eq!(counts(&c.walk_ins), [0, 0, 0, 0, 1, 0]);
    }

    /// A question's distribution is withheld exactly where the comparison withholds the
    /// side's figures of it.
    #[test]
    fn withheld_as_the_comparison_withholds() {
        let f = facts();
        let (from, to) = (day(16), day(107));
        let i = instruments(&f, from, to);
        let c = super::super::compare(&f, from, to);
        let nps = c.pilot_vs_control.measures.iter().find(|m| m.measure == "nps").expect("nps");
        let withheld = |d: &Distribution| d.withheld.is_some();
        assert_eq!(withheld(&i.pilot.recommend) || withheld(&i.control.recommend), nps.withheld.is_some());
        let ces = c.pilot_vs_control.measures.iter().find(|m| m.measure == "ces").expect("ces");
        assert_eq!(withheld(&i.pilot.effort) || withheld(&i.control.effort), ces.withheld.is_some());
    }

    /// The week of 23 November: two pilot responses, withheld; the records are not.
    #[test]
    fn few_responses_are_withheld() {
        let i = instruments(&facts(), day(23), day(30));
        let p = &i.pilot;
        assert_eq!(p.responses, 2);
        assert_eq!(p.recommend.withheld.as_deref(), Some("fewer than 5 responses"));
        assert!(p.recommend.counts.is_empty() && p.could_online.counts.is_empty());
        assert_eq!(p.assessments, 1, "b3");
        assert_eq!(p.walk_ins.n, 2);
    }
}
