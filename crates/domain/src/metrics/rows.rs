//! One row of figures per group: [`compute`] turns facts into the pilot dashboard's table.

use super::disclosure::{CellKey, Disclosure, Family, Question};
use super::facts::Facts;
use super::figures::{
    ChannelAwareness, Durations, Mean, Nps, Rate, ThirdNextAvailable, WalkIns, ACCESS_NOT_WEEKLY,
    CAPACITY_NOT_PER_TOPIC,
};
use super::group::{Dimension, GroupBy, GroupKey};
use super::tally::{access_pairs, Tally};
use super::Week;
use crate::Channel;
use serde::Serialize;
use std::collections::BTreeMap;

/// Every measure of DESIGN §5 for one group, with the counts behind it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MetricsRow {
    pub group: GroupKey,
    /// Bookings whose visit falls in the group (moved ones count once, at their new time).
    pub bookings: u64,
    /// Share of bookings the citizen made online.
    pub self_service: Rate,
    /// Booking → scheduled start.
    pub lead_time_hours: Durations,
    /// Measured now from the open slots, not over the period.
    pub third_next_available_hours: ThirdNextAvailable,
    /// Minutes of slots offered for booking (open or booked), and of those booked.
    pub published_minutes: Option<u64>,
    pub booked_minutes: Option<u64>,
    /// Booked slots of published slots.
    pub utilisation: Rate,
    /// No-shows of the visits with a recorded outcome (cancelled ones excluded).
    pub no_show: Rate,
    /// Phone appointments not reached (its own outcome, not a no-show).
    pub not_reached: u64,
    /// Visits past their start whose outcome nobody recorded; not in `no_show`.
    pub outcome_unrecorded: u64,
    /// Citizen cancellations less than 24 h before the start, of bookings.
    pub late_cancellation: Rate,
    pub cancelled_by_citizen: u64,
    pub cancelled_by_office: u64,
    /// Service start − scheduled start.
    pub punctuality_minutes: Durations,
    /// Arrival → service start.
    pub waiting_minutes: Durations,
    /// Service start → completed.
    pub service_minutes: Durations,
    /// Resolved at once, of assessed visits.
    pub first_contact_resolution: Rate,
    /// Assessed visits the advisor judged could have been handled online, by phone or at
    /// a partner service point.
    pub channel_substitutable: Rate,
    pub walk_ins: WalkIns,
    /// Walk-ins of the office's visitors: walk-ins and the office appointments the citizen
    /// came to.
    pub walk_in_share: Rate,
    /// Questionnaire responses; every figure from them is withheld below five.
    pub responses: u64,
    pub nps: Nps,
    /// Mean satisfaction, 1–5.
    pub csat: Mean,
    /// Satisfaction 4 or 5, of answers.
    pub csat_top_box: Rate,
    /// Mean ease, 1–7 (7 = very easy).
    pub ces: Mean,
    /// Would book an appointment next time, of answers.
    pub prefers_appointment: Rate,
    pub knows_channel: ChannelAwareness,
    /// Could have handled the matter online: yes, and partly.
    pub could_online_yes: Rate,
    pub could_online_partly: Rate,
    /// Answered questionnaire invitations, of those sent after the group's visits.
    pub response_rate: Rate,
}

/// Which figures a grouping cannot give at all.
#[derive(Clone, Copy, Debug)]
pub(super) struct NotGiven {
    pub capacity: Option<&'static str>,
    pub access: Option<&'static str>,
}

impl NotGiven {
    pub fn for_grouping(group_by: GroupBy) -> Self {
        NotGiven {
            capacity: group_by.contains(Dimension::Topic).then_some(CAPACITY_NOT_PER_TOPIC),
            access: group_by.contains(Dimension::Week).then_some(ACCESS_NOT_WEEKLY),
        }
    }
}

impl MetricsRow {
    /// The row of group `group` from its tally; `withheld` says why a question's figures
    /// are withheld, if they are.
    pub(super) fn new(
        group: GroupKey,
        t: &Tally,
        not_given: NotGiven,
        withheld: impl Fn(Question) -> Option<String>,
    ) -> Self {
        let (published_minutes, booked_minutes, utilisation) = match not_given.capacity {
            Some(reason) => (None, None, Rate::withheld(reason)),
            None => (
                Some(t.published_minutes),
                Some(t.booked_minutes),
                Rate::of(t.booked_slots, t.published_slots),
            ),
        };
        let knows =
            |i: usize| Rate::unless(withheld(Question::ChannelsKnown), t.knows[i], t.channels_answered);
        MetricsRow {
            group,
            bookings: t.bookings,
            self_service: Rate::of(t.self_service, t.bookings),
            lead_time_hours: Durations::of(&t.lead_hours),
            third_next_available_hours: match not_given.access {
                Some(reason) => ThirdNextAvailable::withheld(reason),
                None => ThirdNextAvailable::of(&t.access),
            },
            published_minutes,
            booked_minutes,
            utilisation,
            no_show: Rate::of(t.no_shows, t.outcomes),
            not_reached: t.not_reached,
            outcome_unrecorded: t.unrecorded,
            late_cancellation: Rate::of(t.late_cancellations, t.bookings),
            cancelled_by_citizen: t.cancelled_by_citizen,
            cancelled_by_office: t.cancelled_by_office,
            punctuality_minutes: Durations::of(&t.punctuality),
            waiting_minutes: Durations::of(&t.waiting),
            service_minutes: Durations::of(&t.service),
            first_contact_resolution: Rate::of(t.resolved, t.assessments),
            channel_substitutable: Rate::of(t.substitutable, t.assessments),
            walk_ins: t.walk_ins.clone(),
            walk_in_share: Rate::of(t.walk_ins.total, t.walk_ins.total + t.office_visits),
            responses: t.responses,
            nps: Nps::unless(withheld(Question::Nps), &t.nps),
            csat: Mean::unless(withheld(Question::Csat), &t.csat),
            csat_top_box: Rate::unless(withheld(Question::Csat), t.csat_top_box(), t.csat.len() as u64),
            ces: Mean::unless(withheld(Question::Ces), &t.ces),
            prefers_appointment: Rate::unless(
                withheld(Question::Preference),
                t.prefers_appointment,
                t.preference,
            ),
            knows_channel: ChannelAwareness {
                online: knows(0),
                phone: knows(1),
                partner_point: knows(2),
                chat: knows(3),
            },
            could_online_yes: Rate::unless(
                withheld(Question::CouldOnline),
                t.could_online_yes,
                t.could_online,
            ),
            could_online_partly: Rate::unless(
                withheld(Question::CouldOnline),
                t.could_online_partly,
                t.could_online,
            ),
            response_rate: Rate::of(t.answered, t.invitations),
        }
    }
}

/// The metrics of every group of `facts` under `group_by`, ordered by group key.
///
/// All facts given are counted: the reader has already chosen the period. A row exists for
/// every group some fact falls in; without grouping there is exactly one row, even with no
/// facts. Bookings, walk-ins and capacity fall in the week of their office-local day,
/// responses in the week they carry; walk-ins are office visits. Capacity is not per topic
/// and access is not per week, so those figures are withheld (with the reason) in such
/// groupings.
///
/// Questionnaire figures are withheld by the pattern of [`Disclosure::of`] the facts: below
/// five responses or answers, and where a withheld one could otherwise be derived.
pub fn compute(facts: &Facts, group_by: GroupBy) -> Vec<MetricsRow> {
    compute_with(facts, group_by, &Disclosure::of(facts))
}

/// [`compute`] with a pattern already decided for these facts, for a caller that shows
/// several groupings of the same facts (the pattern is the costly part).
pub fn compute_with(facts: &Facts, group_by: GroupBy, disclosure: &Disclosure) -> Vec<MetricsRow> {
    let mut tallies: BTreeMap<GroupKey, Tally> = BTreeMap::new();
    if group_by.is_empty() {
        tallies.insert(GroupKey::default(), Tally::default());
    }
    let mut add = |key: Option<GroupKey>, add_to: &dyn Fn(&mut Tally)| {
        if let Some(key) = key {
            add_to(tallies.entry(key).or_default());
        }
    };
    let week = |d| Some(Week::of(d));
    // A moved booking is represented by its replacement; it makes no group of its own.
    for b in facts.bookings.iter().filter(|b| !b.moved) {
        let key = group_by.key(b.office, &b.pilot_group, Some(b.topic), b.channel, week(b.date));
        add(key, &|t| t.add_booking(b, facts.now));
    }
    for w in &facts.walk_ins {
        let key = group_by.key(w.office, &w.pilot_group, Some(w.topic), Channel::Office, week(w.date));
        add(key, &|t| t.add_walk_in(w));
    }
    for r in &facts.responses {
        let key = group_by.key(r.office, &r.pilot_group, Some(r.topic), r.channel, Some(r.week));
        add(key, &|t| t.add_response(r));
    }
    for c in &facts.capacity {
        let key = group_by.key(c.office, &c.pilot_group, None, c.channel, week(c.date));
        add(key, &|t| t.add_capacity(c));
    }
    let keyed = facts.access.iter().filter_map(|a| {
        group_by.key(a.office, &a.pilot_group, Some(a.topic), a.channel, None).map(|k| (k, a))
    });
    for ((key, _, _), starts) in access_pairs(keyed) {
        tallies.entry(key).or_default().add_access(facts.now, &starts);
    }
    let not_given = NotGiven::for_grouping(group_by);
    let family = Family::Grouping(group_by);
    tallies
        .into_iter()
        .map(|(key, t)| {
            let cell = CellKey::Group(key.clone());
            MetricsRow::new(key, &t, not_given, |q| disclosure.is_withheld(family, &cell, q))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::compute;
    use super::super::fixtures::*;
    use super::super::{fewer_answers, fewer_responses, Facts, ResponseAnswers};
    use super::*;
    use crate::booking::{BookedBy, BookingStatus};
    use crate::stats::Proportion;
    use crate::OfficeId;
    use proptest::prelude::*;

    fn rate(r: &Rate) -> (Option<u64>, Option<u64>) {
        (r.numerator, r.denominator)
    }

    fn one(rows: &[MetricsRow], key: impl Fn(&GroupKey) -> bool) -> &MetricsRow {
        let found: Vec<_> = rows.iter().filter(|r| key(&r.group)).collect();
        assert_eq!(found.len(), 1, "{:?}", rows.iter().map(|r| &r.group).collect::<Vec<_>>());
        found[0]
    }

    /// The whole network in one row, every figure by hand.
    #[test]
    fn everything_in_one_row() {
        let rows = compute(&facts(), GroupBy::default());
        assert_eq!(rows.len(), 1);
        let r = &rows[0];
        assert_eq!(r.group, GroupKey::default());
        // b1–b5, b7, b8 at P and c1–c4 at C; b6 was moved.
        assert_eq!(r.bookings, 11);
        // Self-service: b1, b3, b4, b5, b8, c3.
        assert_eq!(rate(&r.self_service), (Some(6), Some(11)));
        let ci = Proportion::new(6, 11).wilson_95().unwrap();
        assert_eq!((r.self_service.ci_low, r.self_service.ci_high), (Some(ci.low), Some(ci.high)));
        close(r.self_service.value, 6.0 / 11.0);
        // Lead times 12, 24 ×6, 48, 120, 168, 168: median the 6th (24), p90 at h = 9, the
        // 10th (168).
        assert_eq!(r.lead_time_hours, Durations { n: 11, median: Some(24.0), p90: Some(168.0) });
        // Pairs P–T1 5 h, P–T2 26 h (both channels), C–T1 72 h: median 26.
        let tna = &r.third_next_available_hours;
        assert_eq!((tna.value, tna.office_topics, tna.without_three_open), (Some(26.0), Some(3), Some(0)));
        // Slots: 10 + 6 + 8 published, 4 + 3 + 2 booked, 30 minutes each.
        assert_eq!((r.published_minutes, r.booked_minutes), (Some(720), Some(270)));
        assert_eq!(rate(&r.utilisation), (Some(9), Some(24)));
        // Outcomes: b1, b2, b3, c1, c2, c3; no-shows b2, c2; c3 not reached; b7 unrecorded
        // (b8 lies ahead).
        assert_eq!(rate(&r.no_show), (Some(2), Some(6)));
        assert_eq!((r.not_reached, r.outcome_unrecorded), (1, 1));
        // Late: b4 only (b5 was 48 h ahead, b6 moved, c4 by the office).
        assert_eq!(rate(&r.late_cancellation), (Some(1), Some(11)));
        assert_eq!((r.cancelled_by_citizen, r.cancelled_by_office), (2, 1));
        // Punctuality 5, 2, 10 → median 5, p90 at h = 1.8: 5 + 0.8·5 = 9.
        assert_eq!(r.punctuality_minutes, Durations { n: 3, median: Some(5.0), p90: Some(9.0) });
        // Waiting 10 (b1), 20 (c1): median 15, p90 10 + 0.9·10 = 19.
        assert_eq!(r.waiting_minutes, Durations { n: 2, median: Some(15.0), p90: Some(19.0) });
        // Service 20, 15, 30 → median 20, p90 20 + 0.8·10 = 28.
        assert_eq!(r.service_minutes.median, Some(20.0));
        close(r.service_minutes.p90, 28.0);
        // Assessments b1 (resolved, no), b3 (e-service), c1 (resolved, phone service).
        assert_eq!(rate(&r.first_contact_resolution), (Some(2), Some(3)));
        assert_eq!(rate(&r.channel_substitutable), (Some(2), Some(3)));
        assert_eq!(
            r.walk_ins,
            WalkIns {
                total: 4,
                booked_now: 1,
                directed_to_eservice: 1,
                left: 1,
                served_urgent: 1,
                ..WalkIns::default()
            }
        );
        // Of the office's visitors, four walked in and two came to their appointment (b1,
        // c1; b3 was on the phone).
        assert_eq!(rate(&r.walk_in_share), (Some(4), Some(6)));
        // 7 responses at P, 6 at C.
        assert_eq!(r.responses, 13);
        // Promoters 10, 9, 10 (P) 9, 10 (C); passives 7 (P) 8, 7 (C); detractors 6, 3, 0 (P)
        // 5, 2 (C): NPS 100·(5 − 5)/13 = 0.
        assert_eq!(
            (r.nps.n, r.nps.promoters, r.nps.passives, r.nps.detractors),
            (Some(13), Some(5), Some(3), Some(5))
        );
        close(r.nps.value, 0.0);
        assert_eq!(r.nps.withheld, None);
        // CSAT 25 (P) + 21 (C) over 13; 4 or 5: 4 (P) + 3 (C).
        close(r.csat.value, 46.0 / 13.0);
        assert_eq!(r.csat.n, Some(13));
        assert_eq!(rate(&r.csat_top_box), (Some(7), Some(13)));
        // CES 34 (P) + 27 (C).
        close(r.ces.value, 61.0 / 13.0);
        assert_eq!(rate(&r.prefers_appointment), (Some(6), Some(13)));
        let k = &r.knows_channel;
        assert_eq!(
            [rate(&k.online), rate(&k.phone), rate(&k.partner_point), rate(&k.chat)],
            [(Some(9), Some(13)), (Some(2), Some(13)), (Some(1), Some(13)), (Some(1), Some(13))]
        );
        assert_eq!(rate(&r.could_online_yes), (Some(4), Some(13)));
        assert_eq!(rate(&r.could_online_partly), (Some(2), Some(13)));
        // Invitations after b1 (answered), b3, c1 (answered).
        assert_eq!(rate(&r.response_rate), (Some(2), Some(3)));
    }

    /// By office and week: five groups, the pilot's second week below five responses.
    #[test]
    fn by_office_and_week() {
        let rows = compute(&facts(), GroupBy::parse("office,week").unwrap());
        let keys: Vec<(OfficeId, String)> =
            rows.iter().map(|r| (r.group.office.unwrap(), r.group.week.unwrap().to_string())).collect();
        assert_eq!(
            keys,
            [
                (P, "2026-W47".into()),
                (P, "2026-W48".into()),
                (P, "2026-W49".into()),
                (C, "2026-W47".into()),
                (C, "2026-W48".into()),
            ]
        );
        assert!(rows.iter().all(|r| r.group.pilot_group.is_none() && r.group.topic.is_none()));
        // Access is "now", not weekly.
        for r in &rows {
            assert_eq!(r.third_next_available_hours.withheld.as_deref(), Some(ACCESS_NOT_WEEKLY));
            assert_eq!(r.third_next_available_hours.value, None);
        }

        let p47 = &rows[0];
        assert_eq!((p47.bookings, p47.self_service.numerator), (2, Some(1)));
        assert_eq!(rate(&p47.no_show), (Some(1), Some(2)));
        assert_eq!(rate(&p47.utilisation), (Some(4), Some(10)));
        assert_eq!(p47.walk_ins.booked_now, 1);
        // r1–r5: promoters 10, 9; passive 7; detractors 6, 3 → NPS 0. CSAT 19/5, top box 3/5,
        // CES 26/5; appointment 3/5; online 3/5, phone 2/5, partner point 1/5, chat 1/5;
        // could online yes 2/5, partly 1/5.
        assert_eq!(p47.responses, 5);
        assert_eq!((p47.nps.promoters, p47.nps.passives, p47.nps.detractors), (Some(2), Some(1), Some(2)));
        close(p47.nps.value, 0.0);
        close(p47.csat.value, 3.8);
        assert_eq!(rate(&p47.csat_top_box), (Some(3), Some(5)));
        close(p47.ces.value, 5.2);
        assert_eq!(rate(&p47.prefers_appointment), (Some(3), Some(5)));
        let k = &p47.knows_channel;
        assert_eq!(
            [k.online.numerator, k.phone.numerator, k.partner_point.numerator, k.chat.numerator],
            [Some(3), Some(2), Some(1), Some(1)]
        );
        assert_eq!(rate(&p47.could_online_yes), (Some(2), Some(5)));
        assert_eq!(rate(&p47.could_online_partly), (Some(1), Some(5)));
        assert_eq!(rate(&p47.response_rate), (Some(1), Some(1)));

        // Two responses: every questionnaire figure withheld, counts included.
        let p48 = &rows[1];
        assert_eq!(p48.responses, 2);
        let reason = Some(fewer_responses());
        assert_eq!(
            p48.nps,
            Nps { withheld: reason.clone(), ..Nps::unless(reason.clone(), &Default::default()) }
        );
        assert_eq!((p48.nps.n, p48.nps.promoters, p48.nps.value), (None, None, None));
        assert_eq!(p48.csat, Mean { n: None, value: None, withheld: reason.clone() });
        assert_eq!(p48.ces.withheld, reason);
        for withheld in [
            &p48.csat_top_box,
            &p48.prefers_appointment,
            &p48.knows_channel.online,
            &p48.knows_channel.chat,
            &p48.could_online_yes,
            &p48.could_online_partly,
        ] {
            assert_eq!(withheld, &Rate::withheld("fewer than 5 responses"));
        }
        // Not questionnaire figures: shown.
        assert_eq!(rate(&p48.response_rate), (Some(0), Some(1)));
        // b3, b4, b5, b7 (b6 moved): self b3, b4, b5; late b4; unrecorded b7.
        assert_eq!((p48.bookings, p48.self_service.numerator, p48.outcome_unrecorded), (4, Some(3), 1));
        assert_eq!(rate(&p48.late_cancellation), (Some(1), Some(4)));
        assert_eq!((p48.published_minutes, p48.booked_minutes), (Some(180), Some(90)));
        assert_eq!(p48.walk_ins.total, 2);

        // W49 has only b8: booked, ahead, no figures from responses.
        let p49 = &rows[2];
        assert_eq!((p49.bookings, p49.outcome_unrecorded, p49.responses), (1, 0, 0));
        assert_eq!(rate(&p49.no_show), (Some(0), Some(0)));
        assert_eq!(p49.no_show.value, None);
        assert_eq!(p49.nps.withheld, Some(fewer_responses()));

        // Six responses at C in W47: NPS 0, CSAT 3.5, CES 4.5, appointment 2/6.
        let c47 = &rows[3];
        assert_eq!(c47.responses, 6);
        close(c47.nps.value, 0.0);
        close(c47.csat.value, 3.5);
        close(c47.ces.value, 4.5);
        assert_eq!(rate(&c47.prefers_appointment), (Some(2), Some(6)));
        assert_eq!(rate(&c47.knows_channel.online), (Some(5), Some(6)));
        assert_eq!((c47.waiting_minutes.n, c47.waiting_minutes.median), (1, Some(20.0)));
        // C in W48: c2 no-show, c3 not reached, c4 cancelled by the office.
        let c48 = &rows[4];
        assert_eq!(rate(&c48.no_show), (Some(1), Some(2)));
        assert_eq!((c48.not_reached, c48.cancelled_by_office), (1, 1));
        assert_eq!((c48.published_minutes, c48.utilisation.denominator), (Some(0), Some(0)));
    }

    /// Topics cannot split capacity; access per office and topic, merging channels.
    #[test]
    fn by_office_and_topic() {
        let rows = compute(&facts(), GroupBy::parse("topic,office").unwrap());
        assert_eq!(rows.len(), 4, "P–T1, P–T2, C–T1, C–T2");
        for r in &rows {
            assert_eq!((r.published_minutes, r.booked_minutes), (None, None));
            assert_eq!(r.utilisation, Rate::withheld(CAPACITY_NOT_PER_TOPIC));
        }
        let at = |o, t| one(&rows, move |k| k.office == Some(o) && k.topic == Some(t));
        assert_eq!(at(P, T1).third_next_available_hours.value, Some(5.0));
        assert_eq!(at(P, T2).third_next_available_hours.value, Some(26.0));
        assert_eq!(at(C, T1).third_next_available_hours.value, Some(72.0));
        // C–T2 has a booking (c3) but no advisor with open times: no pairs.
        let c2 = &at(C, T2).third_next_available_hours;
        assert_eq!((c2.value, c2.office_topics, c2.without_three_open), (None, Some(0), Some(0)));
        // Walk-ins by topic: P–T1 booked now and left, P–T2 directed to the e-service.
        assert_eq!((at(P, T1).walk_ins.total, at(P, T1).walk_ins.left), (2, 1));
        assert_eq!(at(P, T2).walk_ins.directed_to_eservice, 1);
        // P–T1: r1–r3, r6, r7 = 5 responses; P–T2: r4, r5 → withheld.
        assert_eq!(at(P, T1).responses, 5);
        assert!(at(P, T1).nps.value.is_some());
        assert_eq!((at(P, T2).responses, at(P, T2).nps.withheld.clone()), (2, Some(fewer_responses())));
    }

    /// By channel, walk-ins are office visits; a phone pair with one open slot has no third.
    #[test]
    fn by_pilot_group_and_channel() {
        let rows = compute(&facts(), GroupBy::parse("pilot_group,channel").unwrap());
        let at = |g: &'static str, c| {
            one(&rows, move |k| k.pilot_group.as_deref() == Some(g) && k.channel == Some(c))
        };
        assert_eq!(rows.len(), 4);
        let pilot_phone = at("pilot", Channel::Phone);
        assert_eq!((pilot_phone.walk_ins.total, pilot_phone.bookings), (0, 1));
        let tna = &pilot_phone.third_next_available_hours;
        assert_eq!((tna.value, tna.office_topics, tna.without_three_open), (None, Some(1), Some(1)));
        // Pilot office visits: P–T1 (5 h) and P–T2 office only (50 h): median 27.5.
        let pilot_office = at("pilot", Channel::Office);
        assert_eq!(pilot_office.third_next_available_hours.value, Some(27.5));
        assert_eq!(pilot_office.walk_ins.total, 3);
        assert_eq!(
            (pilot_office.published_minutes, pilot_office.utilisation.numerator),
            (Some(300), Some(4))
        );
        assert_eq!(at("control", Channel::Office).walk_ins.total, 1);
        // Responses: pilot office r1–r3, r6, r7 (5), pilot phone r4, r5 (2), control 6.
        assert_eq!(at("pilot", Channel::Office).responses, 5);
        assert_eq!(pilot_phone.csat.withheld, Some(fewer_responses()));
        assert_eq!(at("control", Channel::Phone).responses, 0);
    }

    /// Five responses, but only four answered the optional question: that figure alone is
    /// withheld.
    #[test]
    fn few_answers_to_one_question_withhold_that_figure() {
        let mut facts = Facts::empty(now());
        for i in 0..5u8 {
            let mut r = response(P, T1, Channel::Office, "2026-W47", (4, 9, 6, "appointment", &[], "yes"));
            if i == 0 {
                r.answers.could_online = None;
                r.answers.preference = None;
            }
            facts.responses.push(r);
        }
        let r = &compute(&facts, GroupBy::default())[0];
        assert_eq!(r.responses, 5);
        assert_eq!(r.could_online_yes, Rate::withheld(fewer_answers()));
        assert_eq!(r.prefers_appointment, Rate::withheld(fewer_answers()));
        assert_eq!(rate(&r.knows_channel.online), (Some(0), Some(5)));
        assert_eq!((r.csat.n, r.csat.value), (Some(5), Some(4.0)));
        // One fewer response and everything is withheld for the group.
        facts.responses.pop();
        let r = &compute(&facts, GroupBy::default())[0];
        assert_eq!(r.csat.withheld, Some(fewer_responses()));
        assert_eq!(r.could_online_yes.withheld, Some(fewer_responses()));
    }

    #[test]
    fn no_facts_give_one_empty_row_or_none() {
        let empty = Facts::empty(now());
        let rows = compute(&empty, GroupBy::default());
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].bookings, rows[0].responses, rows[0].self_service.value), (0, 0, None));
        assert_eq!(rows[0].nps.withheld, Some(fewer_responses()));
        assert!(compute(&empty, GroupBy::parse("office").unwrap()).is_empty());
    }

    fn arbitrary_facts() -> impl Strategy<Value = Facts> {
        let office = prop::sample::select(vec![P, C]);
        let topic = prop::sample::select(vec![T1, T2]);
        let channel = prop::sample::select(vec![Channel::Office, Channel::Phone]);
        let booking = (office.clone(), topic.clone(), channel.clone(), 15u32..30, 0i64..300, any::<bool>())
            .prop_map(|(o, t, c, d, lead, self_service)| {
                let by = if self_service { BookedBy::CitizenSelf } else { BookedBy::Advisor };
                booking(o, t, c, at(d, 9, 0), lead, by, BookingStatus::Completed)
            });
        let answers = (1u8..=5, 0u8..=10, 1u8..=7, any::<bool>());
        let response = (office, topic, channel, prop::sample::select(vec!["2026-W47", "2026-W48"]), answers)
            .prop_map(|(o, t, c, w, (s, n, e, pref))| {
                let mut r = response(o, t, c, w, (s, n, e, "appointment", &["online"], "yes"));
                if !pref {
                    r.answers = ResponseAnswers { preference: None, ..r.answers };
                }
                r
            });
        (prop::collection::vec(booking, 0..30), prop::collection::vec(response, 0..40))
            .prop_map(|(b, r)| Facts { bookings: b, responses: r, ..Facts::empty(now()) })
    }

    fn grouping() -> impl Strategy<Value = GroupBy> {
        prop::collection::vec(prop::sample::select(Dimension::ALL.to_vec()), 0..5)
            .prop_map(|dims| dims.into_iter().collect())
    }

    proptest! {
        /// Counts add up across groups, and no group below five responses shows a
        /// questionnaire figure or count.
        #[test]
        fn groups_partition_and_withhold(facts in arbitrary_facts(), group_by in grouping()) {
            let total = &compute(&facts, GroupBy::default())[0];
            let rows = compute(&facts, group_by);
            prop_assert_eq!(rows.iter().map(|r| r.bookings).sum::<u64>(), total.bookings);
            prop_assert_eq!(rows.iter().map(|r| r.responses).sum::<u64>(), total.responses);
            let self_service: u64 = rows.iter().filter_map(|r| r.self_service.numerator).sum();
            prop_assert_eq!(Some(self_service), total.self_service.numerator);
            for r in &rows {
                let withheld = r.responses < 5;
                prop_assert_eq!(r.nps.value.is_none(), withheld || r.nps.n == Some(0));
                prop_assert_eq!(r.nps.withheld.is_some(), withheld);
                prop_assert_eq!(r.csat.n.is_none(), withheld);
                prop_assert_eq!(r.knows_channel.online.numerator.is_none(), withheld);
                if let Some(n) = r.prefers_appointment.denominator {
                    prop_assert!(n >= 5);
                }
            }
        }
    }
}
