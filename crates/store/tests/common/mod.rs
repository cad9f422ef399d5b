//! Fixtures shared by the store's integration tests: a Helsinki office, topics, advisors
//! and the standard weekly template (Mon–Fri 08:00–16:00, 30-minute slots, lunch
//! 12:00–12:30), plus helpers for local Helsinki times. Every date is fixed; nothing reads
//! the wall clock.

// Each test crate that includes this module uses a subset of it.
#![allow(dead_code)]

pub mod booking;

use aukiolo_domain::advisor::{Advisor, AdvisorFields};
use aukiolo_domain::booking::BookingRules;
use aukiolo_domain::calendar::{ScheduleRule, ScheduleRuleFields, TimeRange};
use aukiolo_domain::office::{Address, Office, OfficeFields, ServiceMode};
use aukiolo_domain::slots::Slot;
use aukiolo_domain::topic::{Topic, TopicFields};
use aukiolo_domain::{AdvisorId, Channel, FieldError, LocalisedText, OfficeId, SlotId, TopicId};
use aukiolo_store::slots::Horizon;
use aukiolo_store::{advisors, offices, schedule_rules, slots, topics, DbConnection, StoreError};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The zone of every office made here.
pub const TZ: Tz = chrono_tz::Europe::Helsinki;

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

pub fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("valid time")
}

/// A UTC instant written out in full, e.g. `2027-03-21T22:00:00Z`.
pub fn utc(rfc3339: &str) -> DateTime<Utc> {
    rfc3339.parse().expect("RFC 3339 instant")
}

/// A Helsinki wall-clock time as a UTC instant. Tests only use times that exist once.
pub fn local(d: NaiveDate, h: u32, m: u32) -> DateTime<Utc> {
    TZ.from_local_datetime(&d.and_time(hm(h, m)))
        .single()
        .unwrap_or_else(|| panic!("{d} {h:02}:{m:02} is not a single Helsinki time"))
        .with_timezone(&Utc)
}

pub fn local_date(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&TZ).date_naive()
}

pub fn local_time(t: DateTime<Utc>) -> NaiveTime {
    t.with_timezone(&TZ).time()
}

/// `days` local days from Helsinki midnight of `first`.
pub fn horizon(first: NaiveDate, days: u32) -> Horizon {
    Horizon { now: local(first, 0, 0), days }
}

/// When fixture rows claim to have been written.
pub fn written_at() -> DateTime<Utc> {
    utc("2027-01-04T08:00:00Z")
}

pub fn office_fields(name: &str) -> OfficeFields {
    OfficeFields {
        name: LocalisedText { fi: name.to_owned(), sv: format!("{name} (sv)"), en: format!("{name} (en)") },
        address: Address {
            street: "Mannerheimintie 1".into(),
            postal_code: "00100".into(),
            municipality: "Helsinki".into(),
        },
        time_zone: TZ.name().to_owned(),
        service_mode: ServiceMode::AppointmentOnly,
        pilot_group: "pilot".into(),
        languages: vec!["fi".parse().unwrap(), "sv".parse().unwrap()],
        phone: None,
        booking_rules: Default::default(),
        pilot_start: None,
    }
}

pub fn create_office(conn: &mut DbConnection, name: &str) -> Office {
    create_office_with_rules(conn, name, BookingRules::default())
}

/// The defaults without hold-back: every slot is open to citizens.
pub fn open_rules() -> BookingRules {
    BookingRules { holdback_percent: 0, ..BookingRules::default() }
}

pub fn create_office_with_rules(conn: &mut DbConnection, name: &str, rules: BookingRules) -> Office {
    let fields = OfficeFields { booking_rules: rules, ..office_fields(name) };
    offices::create(conn, &fields, written_at()).expect("create office")
}

pub fn topic_fields(code: &str) -> TopicFields {
    let text = |s: &str| LocalisedText { fi: s.to_owned(), sv: s.to_owned(), en: s.to_owned() };
    TopicFields {
        code: code.to_owned(),
        name: text(code),
        duration_minutes: 30,
        channels: vec![Channel::Office],
        what_to_bring: text(""),
    }
}

pub fn create_topic(conn: &mut DbConnection, code: &str) -> Topic {
    topics::create(conn, &topic_fields(code)).expect("create topic")
}

/// A topic of `minutes` served over `channels`.
pub fn create_topic_with(conn: &mut DbConnection, code: &str, minutes: i32, channels: &[Channel]) -> Topic {
    let fields = TopicFields { duration_minutes: minutes, channels: channels.to_vec(), ..topic_fields(code) };
    topics::create(conn, &fields).expect("create topic")
}

pub fn advisor_fields(office: OfficeId, topic_ids: Vec<TopicId>) -> AdvisorFields {
    AdvisorFields {
        office_id: office,
        name: "Aino Virtanen".into(),
        languages: vec!["fi".parse().unwrap()],
        topic_ids,
        channels: vec![Channel::Office],
        active: true,
    }
}

pub fn create_advisor(conn: &mut DbConnection, office: OfficeId) -> Advisor {
    advisors::create(conn, &advisor_fields(office, Vec::new())).expect("create advisor")
}

/// A rule on `weekday` (1 = Monday) from `start` to `end`: 30-minute office slots with a
/// lunch break 12:00–12:30.
pub fn rule_fields(advisor: AdvisorId, weekday: i16, start: NaiveTime, end: NaiveTime) -> ScheduleRuleFields {
    ScheduleRuleFields {
        advisor_id: advisor,
        weekday,
        start,
        end,
        channel: Channel::Office,
        slot_minutes: 30,
        breaks: vec![TimeRange { start: hm(12, 0), end: hm(12, 30) }],
        valid_from: None,
        valid_until: None,
    }
}

/// The standard template, Mon–Fri 08:00–16:00; creating the rules fills `horizon`.
pub fn create_weekday_rules(
    conn: &mut DbConnection,
    advisor: AdvisorId,
    horizon: &Horizon,
) -> Vec<ScheduleRule> {
    create_weekday_rules_on(conn, advisor, Channel::Office, horizon)
}

/// The standard template with slots of `channel`.
pub fn create_weekday_rules_on(
    conn: &mut DbConnection,
    advisor: AdvisorId,
    channel: Channel,
    horizon: &Horizon,
) -> Vec<ScheduleRule> {
    (1..=5)
        .map(|weekday| {
            let f = ScheduleRuleFields { channel, ..rule_fields(advisor, weekday, hm(8, 0), hm(16, 0)) };
            schedule_rules::create(conn, &f, horizon).expect("create rule")
        })
        .collect()
}

/// An advisor of `office` who serves `topic_ids` over `channel` in Finnish on the standard
/// template, with slots for `horizon`.
pub fn create_serving_advisor(
    conn: &mut DbConnection,
    office: OfficeId,
    topic_ids: &[TopicId],
    channel: Channel,
    horizon: &Horizon,
) -> Advisor {
    let fields = AdvisorFields { channels: vec![channel], ..advisor_fields(office, topic_ids.to_vec()) };
    let advisor = advisors::create(conn, &fields).expect("create advisor");
    create_weekday_rules_on(conn, advisor.id, channel, horizon);
    advisor
}

/// One office with one advisor on the standard template.
pub struct Calendar {
    pub office: Office,
    pub advisor: Advisor,
    pub rules: Vec<ScheduleRule>,
}

pub fn setup_calendar(conn: &mut DbConnection, horizon: &Horizon) -> Calendar {
    let office = create_office(conn, "Kamppi");
    let advisor = create_advisor(conn, office.id);
    let rules = create_weekday_rules(conn, advisor.id, horizon);
    Calendar { office, advisor, rules }
}

/// Half-hour local start times from `from_h`:00 to the last one ending by `to_h`:00,
/// without the 12:00 lunch slot.
pub fn half_hours(from_h: u32, to_h: u32) -> Vec<NaiveTime> {
    let (first, end) = (hm(from_h, 0), hm(to_h, 0));
    (0..)
        .map(|i| first + Duration::minutes(30 * i))
        .take_while(|t| *t + Duration::minutes(30) <= end && *t >= first)
        .filter(|t| *t != hm(12, 0))
        .collect()
}

/// The slots of one advisor starting on the local days `first..=last`, by time.
pub fn list_days(
    conn: &mut DbConnection,
    advisor: AdvisorId,
    first: NaiveDate,
    last: NaiveDate,
) -> Vec<Slot> {
    slots::list_for_advisor(conn, advisor, local(first, 0, 0), local(last.succ_opt().unwrap(), 0, 0))
        .expect("list slots")
}

/// The local start times of the slots on `d`, in order.
pub fn local_starts(slots: &[Slot], d: NaiveDate) -> Vec<NaiveTime> {
    slots.iter().filter(|s| local_date(s.start) == d).map(|s| local_time(s.start)).collect()
}

/// Every weekday of `first..=last` not in `closed` has slots exactly at `expected` (local);
/// weekends and closed days have none, and no slot lies outside the days.
pub fn assert_days(
    slots: &[Slot],
    first: NaiveDate,
    last: NaiveDate,
    closed: &[NaiveDate],
    expected: &[NaiveTime],
) {
    for s in slots {
        let d = local_date(s.start);
        assert!(first <= d && d <= last, "slot {} outside {first}..={last}", s.start);
    }
    for d in first.iter_days().take_while(|d| *d <= last) {
        let times = local_starts(slots, d);
        if d.weekday().number_from_monday() > 5 || closed.contains(&d) {
            assert!(times.is_empty(), "{d} should have no slots, has {times:?}");
        } else {
            assert_eq!(times, expected, "slots of {d}");
        }
    }
}

/// The slot starting at `start`; panics when there is none.
pub fn slot_at(slots: &[Slot], start: DateTime<Utc>) -> &Slot {
    slots.iter().find(|s| s.start == start).unwrap_or_else(|| panic!("no slot at {start}"))
}

/// Claims `slot` for booking number `n`, which must succeed; returns the booking id.
pub fn claim_slot(conn: &mut DbConnection, slot: SlotId, n: u128) -> uuid::Uuid {
    let booking = uuid::Uuid::from_u128(n);
    assert!(slots::claim(conn, slot, booking).expect("claim"), "slot {slot} was not open");
    booking
}

/// The field errors of an `Invalid` error; panics on any other result.
pub fn invalid_errors<T: std::fmt::Debug>(result: Result<T, StoreError>) -> Vec<FieldError> {
    match result {
        Err(StoreError::Invalid(errors)) => errors,
        other => panic!("expected StoreError::Invalid, got {other:?}"),
    }
}

/// The names of the fields an `Invalid` error points at; panics on any other result.
pub fn invalid_fields<T: std::fmt::Debug>(result: Result<T, StoreError>) -> Vec<String> {
    invalid_errors(result).into_iter().map(|e| e.field).collect()
}
