//! A small network worked by hand for the metrics tests: pilot office P (pilot start
//! Thursday 19 November 2026) and control office C, topics T1 and T2, weeks 2026-W47
//! (16–22 November) and 2026-W48 (23–29 November), read on Monday 30 November at 12:00 UTC.
//! Every figure the tests expect is worked out in the comments of the test that checks it.

use super::facts::*;
use super::{Comparison, DifferenceInDifferences, Disclosure, GroupBy, MetricsRow, Week};
use crate::booking::{BookedBy, BookingStatus};
use crate::visit::{Assessment, OtherChannel, Segment, WalkInOutcome};
use crate::{Channel, OfficeId, TopicId};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use uuid::Uuid;

pub const P: OfficeId = OfficeId(Uuid::from_u128(1));
pub const C: OfficeId = OfficeId(Uuid::from_u128(2));
pub const T1: TopicId = TopicId(Uuid::from_u128(11));
pub const T2: TopicId = TopicId(Uuid::from_u128(12));

pub fn day(d: u32) -> NaiveDate {
    if d >= 100 {
        NaiveDate::from_ymd_opt(2026, 12, d - 100).unwrap()
    } else {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }
}

/// `hh:mm` UTC on November day `d` (December `d` as `100 + d`).
pub fn at(d: u32, hh: u32, mm: u32) -> DateTime<Utc> {
    day(d).and_hms_opt(hh, mm, 0).unwrap().and_utc()
}

pub fn now() -> DateTime<Utc> {
    at(30, 12, 0)
}

pub fn week(s: &str) -> Week {
    Week::parse(s).unwrap()
}

pub fn group(office: OfficeId) -> String {
    if office == P { "pilot" } else { "control" }.to_owned()
}

/// A booking of `topic` over `channel` starting at `start` (the visit day is its UTC day,
/// as for an office whose zone is UTC), made `lead_hours` before.
pub fn booking(
    office: OfficeId,
    topic: TopicId,
    channel: Channel,
    start: DateTime<Utc>,
    lead_hours: i64,
    booked_by: BookedBy,
    status: BookingStatus,
) -> BookingFact {
    BookingFact {
        office,
        pilot_group: group(office),
        topic,
        channel,
        date: start.date_naive(),
        booked_by,
        created_at: start - Duration::hours(lead_hours),
        start,
        status,
        moved: false,
        arrived_at: None,
        in_service_at: None,
        completed_at: None,
        cancelled_at: None,
        assessment: None,
        invitation: None,
    }
}

/// A completed visit: arrived (if `arrived` minutes is given) and started that many
/// minutes after the start, completed `service` minutes later.
fn completed(mut b: BookingFact, arrived: Option<i64>, started: i64, service: i64) -> BookingFact {
    b.arrived_at = arrived.map(|m| b.start + Duration::minutes(m));
    b.in_service_at = Some(b.start + Duration::minutes(started));
    b.completed_at = Some(b.start + Duration::minutes(started + service));
    b
}

fn assessed(mut b: BookingFact, resolved_at_once: bool, other_channel: OtherChannel) -> BookingFact {
    b.assessment = Some(Assessment {
        resolved_at_once,
        segment: Segment::Occasional,
        other_channel,
        personal_service_reasons: Vec::new(),
        other_channels_discussed: false,
    });
    b
}

fn invited(mut b: BookingFact, answered: bool) -> BookingFact {
    b.invitation = Some(InvitationFact { sent_at: b.start + Duration::hours(2), answered });
    b
}

fn cancelled(mut b: BookingFact, at: DateTime<Utc>) -> BookingFact {
    b.cancelled_at = Some(at);
    b
}

pub fn bookings() -> Vec<BookingFact> {
    use BookedBy::*;
    use BookingStatus::*;
    use Channel::{Office, Phone};
    vec![
        // b1: P, W47, lead 168 h, self; arrived −5, started +5, 20 min; resolved; answered.
        invited(
            assessed(
                completed(booking(P, T1, Office, at(17, 8, 0), 168, CitizenSelf, Completed), Some(-5), 5, 20),
                true,
                OtherChannel::No,
            ),
            true,
        ),
        // b2: P, W47, lead 24 h, advisor; no-show.
        booking(P, T1, Office, at(18, 9, 0), 24, Advisor, NoShow),
        // b3: P, W48, phone, lead 12 h, self; started +2, 15 min; not resolved, e-service;
        // invitation unanswered.
        invited(
            assessed(
                completed(booking(P, T2, Phone, at(24, 10, 0), 12, CitizenSelf, Completed), None, 2, 15),
                false,
                OtherChannel::EService,
            ),
            false,
        ),
        // b4: P, W48, lead 120 h, self; cancelled by the citizen 12 h before: late.
        cancelled(booking(P, T1, Office, at(25, 8, 0), 120, CitizenSelf, CancelledByCitizen), at(24, 20, 0)),
        // b5: P, W48, lead 168 h, self; cancelled by the citizen 48 h before: in time.
        cancelled(booking(P, T1, Office, at(26, 8, 0), 168, CitizenSelf, CancelledByCitizen), at(24, 8, 0)),
        // b6: P, W48, moved to another time: counts nowhere.
        BookingFact {
            moved: true,
            ..cancelled(
                booking(P, T1, Office, at(27, 8, 0), 24, CitizenSelf, CancelledByCitizen),
                at(27, 7, 0),
            )
        },
        // b7: P, W48, lead 24 h, phone service; still `booked` after its start: unrecorded.
        booking(P, T2, Office, at(27, 9, 0), 24, PhoneService, Booked),
        // b8: P, W49 (1 December, after now), lead 24 h, self; booked.
        booking(P, T2, Office, at(101, 8, 0), 24, CitizenSelf, Booked),
        // c1: C, W47, lead 24 h, walk-in; arrived −10, started +10, 30 min; resolved, phone
        // service would have done; answered.
        invited(
            assessed(
                completed(booking(C, T1, Office, at(17, 8, 0), 24, WalkIn, Completed), Some(-10), 10, 30),
                true,
                OtherChannel::PhoneService,
            ),
            true,
        ),
        // c2: C, W48, lead 24 h, advisor; no-show.
        booking(C, T1, Office, at(24, 8, 0), 24, Advisor, NoShow),
        // c3: C, W48, phone, lead 48 h, self; not reached.
        booking(C, T2, Phone, at(24, 10, 0), 48, CitizenSelf, NotReached),
        // c4: C, W48, lead 24 h, advisor; cancelled by the office 20 h before.
        cancelled(booking(C, T1, Office, at(25, 8, 0), 24, Advisor, CancelledByOffice), at(24, 12, 0)),
    ]
}

fn walk_in(office: OfficeId, topic: TopicId, d: u32, outcome: WalkInOutcome) -> WalkInFact {
    WalkInFact { office, pilot_group: group(office), topic, date: day(d), outcome }
}

pub fn walk_ins() -> Vec<WalkInFact> {
    vec![
        walk_in(P, T1, 17, WalkInOutcome::BookedNow),
        walk_in(P, T2, 24, WalkInOutcome::DirectedToEservice),
        walk_in(P, T1, 24, WalkInOutcome::Left),
        walk_in(C, T1, 18, WalkInOutcome::ServedUrgent),
    ]
}

fn capacity(office: OfficeId, channel: Channel, d: u32, published: u64, booked: u64) -> CapacityFact {
    CapacityFact {
        office,
        pilot_group: group(office),
        channel,
        date: day(d),
        published_slots: published,
        booked_slots: booked,
        published_minutes: 30 * published,
        booked_minutes: 30 * booked,
    }
}

pub fn capacities() -> Vec<CapacityFact> {
    vec![
        capacity(P, Channel::Office, 17, 10, 4),
        capacity(P, Channel::Phone, 24, 6, 3),
        capacity(C, Channel::Office, 17, 8, 2),
    ]
}

fn access(office: OfficeId, topic: TopicId, channel: Channel, hours_ahead: &[i64]) -> AccessFact {
    AccessFact {
        office,
        pilot_group: group(office),
        topic,
        channel,
        open_starts: hours_ahead.iter().map(|h| now() + Duration::hours(*h)).collect(),
    }
}

/// Open times ahead: P–T1 office 1, 2, 5, 30 h (third: 5 h); P–T2 phone 3 h only, office
/// 1, 26, 50 h (office alone: 50 h; both channels: 1, 3, 26 → 26 h); C–T1 office 24, 48,
/// 72 h (72 h).
pub fn accesses() -> Vec<AccessFact> {
    vec![
        access(P, T1, Channel::Office, &[30, 1, 5, 2]),
        access(P, T2, Channel::Phone, &[3]),
        access(P, T2, Channel::Office, &[50, 1, 26]),
        access(C, T1, Channel::Office, &[24, 48, 72]),
    ]
}

/// Answers as (satisfaction, recommend, effort, preference, channels known, could online).
type Answers<'a> = (u8, u8, u8, &'a str, &'a [&'a str], &'a str);

pub fn response(office: OfficeId, topic: TopicId, channel: Channel, w: &str, a: Answers) -> ResponseFact {
    let text = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    ResponseFact {
        office,
        pilot_group: group(office),
        topic,
        channel,
        week: week(w),
        answers: ResponseAnswers {
            satisfaction: Some(a.0),
            recommend: Some(a.1),
            effort: Some(a.2),
            preference: text(a.3),
            channels_known: Some(a.4.iter().map(|s| s.to_string()).collect()),
            could_online: text(a.5),
        },
    }
}

/// P–W47: five responses (r1–r3 T1 office, r4–r5 T2 phone); P–W48: two; C–W47: six.
pub fn responses() -> Vec<ResponseFact> {
    use Channel::{Office, Phone};
    let mut r = vec![
        response(P, T1, Office, "2026-W47", (5, 10, 7, "appointment", &["online", "phone"], "yes")),
        response(P, T1, Office, "2026-W47", (4, 9, 6, "appointment", &["online"], "partly")),
        response(P, T1, Office, "2026-W47", (3, 7, 5, "no_preference", &[], "no")),
        response(P, T2, Phone, "2026-W47", (5, 6, 6, "appointment", &["phone", "partner_point"], "no")),
        response(P, T2, Phone, "2026-W47", (2, 3, 2, "without_appointment", &["chat", "online"], "yes")),
        response(P, T1, Office, "2026-W48", (5, 10, 7, "appointment", &["online"], "yes")),
        response(P, T1, Office, "2026-W48", (1, 0, 1, "without_appointment", &[], "no")),
    ];
    for a in [
        (3, 8, 4, "no", "appointment"),
        (4, 5, 5, "no", "without_appointment"),
        (2, 9, 3, "partly", "without_appointment"),
        (5, 2, 6, "yes", "no_preference"),
        (3, 7, 4, "no", "appointment"),
        (4, 10, 5, "no", "without_appointment"),
    ] {
        let known: &[&str] = if a.0 == 2 { &[] } else { &["online"] };
        r.push(response(C, T1, Office, "2026-W47", (a.0, a.1, a.2, a.4, known, a.3)));
    }
    r
}

pub fn facts() -> Facts {
    Facts {
        now: now(),
        offices: vec![
            OfficeFact { id: P, pilot_group: group(P), pilot_start: Some(day(19)) },
            OfficeFact { id: C, pilot_group: group(C), pilot_start: None },
        ],
        bookings: bookings(),
        walk_ins: walk_ins(),
        responses: responses(),
        capacity: capacities(),
        access: accesses(),
    }
}

pub fn close(got: Option<f64>, want: f64) {
    let got = got.unwrap_or_else(|| panic!("no value, want {want}"));
    assert!((got - want).abs() < 1e-9, "got {got}, want {want}");
}

/// [`super::compute`] under the primary rule alone: the tests that work figures by hand use
/// networks too small to show any once complements are withheld (disclosure.rs tests those).
pub fn compute(facts: &Facts, group_by: GroupBy) -> Vec<MetricsRow> {
    super::compute_with(facts, group_by, &Disclosure::primary_only(facts, NaiveDate::MIN, NaiveDate::MAX))
}

/// [`super::compare`] under the primary rule alone, as [`compute`].
pub fn compare(facts: &Facts, from: NaiveDate, to: NaiveDate) -> Comparison {
    super::compare_with(facts, from, to, &Disclosure::primary_only(facts, from, to))
}

/// The difference in differences under the primary rule alone, as [`compute`].
pub fn difference_in_differences(
    facts: &Facts,
    from: NaiveDate,
    to: NaiveDate,
) -> Option<DifferenceInDifferences> {
    super::difference_in_differences::difference_in_differences(
        facts,
        from,
        to,
        &Disclosure::primary_only(facts, from, to),
    )
}
