//! A bookable office for the booking and outbox tests: a fixed Monday in September 2027,
//! citizens with valid identity codes, and helpers that book and race.

use super::*;
use aukiolo_domain::advisor::Advisor;
use aukiolo_domain::booking::{BookedBy, Booking, BookingRules, Needs};
use aukiolo_domain::office::Office;
use aukiolo_domain::personal_id::PersonalId;
use aukiolo_domain::topic::Topic;
use aukiolo_domain::{Channel, Locale, OfficeId, StaffUserId, TopicId};
use aukiolo_store::availability::{RulesApply, TimeQuery};
use aukiolo_store::bookings::{self, Actor, Booked, NewBooking};
use aukiolo_store::personal_data::PersonalDataKeys;
use aukiolo_store::slots::Horizon;
use aukiolo_store::test_support::TestDb;
use aukiolo_store::{pool, DbConnection, Pool, StoreError};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::sync::Barrier;

/// Monday 2027-09-06: no Finnish holiday for weeks before or after.
pub fn monday() -> NaiveDate {
    day(2027, 9, 6)
}

/// The `now` of every test: Monday 07:00 in Helsinki.
pub fn now() -> DateTime<Utc> {
    local(monday(), 7, 0)
}

/// The weekday `n` days after `monday()`.
pub fn weekday(n: i64) -> NaiveDate {
    monday() + Duration::days(n)
}

/// Ten weeks of slots from `now`, so times beyond the eight-week booking horizon exist.
pub fn slot_horizon() -> Horizon {
    Horizon { now: now(), days: 70 }
}

pub fn keys() -> PersonalDataKeys {
    PersonalDataKeys::from_secret(b"test secret")
}

/// A valid identity code for citizen `n` (0–897): born 1 January 1990, individual number
/// `n + 2`, check character DDMMYYZZZ mod 31.
pub fn citizen(n: u32) -> PersonalId {
    let individual = n + 2;
    assert!(individual <= 899, "citizen {n} is out of range");
    let check = b"0123456789ABCDEFHJKLMNPRSTUVWXY"[((10_190_000 + individual) % 31) as usize];
    PersonalId::parse(&format!("010190-{individual:03}{}", check as char)).expect("valid identity code")
}

/// Where a citizen wants to meet: a topic over a channel, at one office or any.
#[derive(Clone, Copy, Debug)]
pub struct Place {
    pub topic: TopicId,
    pub channel: Channel,
    pub office: Option<OfficeId>,
}

impl Place {
    pub fn office(topic: &Topic, office: &Office) -> Self {
        Place { topic: topic.id, channel: Channel::Office, office: Some(office.id) }
    }

    pub fn query(self, from: DateTime<Utc>, to: DateTime<Utc>) -> TimeQuery {
        TimeQuery {
            topic_id: self.topic,
            channel: self.channel,
            office_id: self.office,
            advisor_id: None,
            language: "fi".parse().unwrap(),
            from,
            to,
        }
    }

    pub fn request(self, start: DateTime<Utc>, who: &PersonalId) -> NewBooking {
        NewBooking {
            query: self.query(start, start + Duration::minutes(1)),
            start,
            locale: Locale::Fi,
            name: "Matti Meikäläinen".into(),
            personal_id: who.clone(),
            email: "matti@example.fi".into(),
            phone: Some("+358401234567".into()),
            description: "Eläkehakemus".into(),
            needs: Needs::default(),
            booked_by: BookedBy::CitizenSelf,
        }
    }
}

/// One office with `advisors` advisors serving one 30-minute office topic, no hold-back.
pub struct Setup {
    pub office: Office,
    pub advisors: Vec<Advisor>,
    pub topic: Topic,
}

impl Setup {
    pub fn new(conn: &mut DbConnection, advisors: usize) -> Self {
        let topic = create_topic(conn, "pensions");
        let (office, advisors) = staffed_office(conn, "Kamppi", open_rules(), &[topic.id], advisors);
        Setup { office, advisors, topic }
    }

    pub fn place(&self) -> Place {
        Place::office(&self.topic, &self.office)
    }
}

/// An office with `rules` whose `n` advisors serve `topics` at the office.
pub fn staffed_office(
    conn: &mut DbConnection,
    name: &str,
    rules: BookingRules,
    topics: &[TopicId],
    n: usize,
) -> (Office, Vec<Advisor>) {
    let office = create_office_with_rules(conn, name, rules);
    let advisors = (0..n)
        .map(|_| create_serving_advisor(conn, office.id, topics, Channel::Office, &slot_horizon()))
        .collect();
    (office, advisors)
}

/// Books as the citizen (rules apply) or as staff (rules overridden), at `now()`.
pub fn book(
    conn: &mut DbConnection,
    place: Place,
    start: DateTime<Utc>,
    who: &PersonalId,
    rules: RulesApply,
) -> Result<Booked, StoreError> {
    let actor = match rules {
        RulesApply::Yes => Actor::Citizen,
        RulesApply::StaffOverride => Actor::Staff(StaffUserId(uuid::Uuid::from_u128(7))),
    };
    bookings::book(conn, &keys(), &place.request(start, who), None, actor, now(), rules)
}

/// The booking a result created; panics on anything else.
pub fn created(result: Result<Booked, StoreError>) -> Booking {
    match result {
        Ok(Booked::Created(b)) => b,
        other => panic!("expected a new booking, got {other:?}"),
    }
}

/// A pool with room for `size` concurrent connections.
pub fn wide_pool(db: &TestDb, size: u32) -> Pool {
    pool::connect(db.backend.clone(), pool::PoolSettings::sized(size)).expect("connect a wider pool")
}

/// Runs `f(i, conn)` on `n` threads released together, each with its own pooled connection.
pub fn race<T: Send>(pool: &Pool, n: usize, f: impl Fn(usize, &mut DbConnection) -> T + Sync) -> Vec<T> {
    let barrier = Barrier::new(n);
    std::thread::scope(|s| {
        let threads: Vec<_> = (0..n)
            .map(|i| {
                let (barrier, f) = (&barrier, &f);
                s.spawn(move || {
                    barrier.wait();
                    let mut conn = pool.get().expect("pooled connection");
                    f(i, &mut conn)
                })
            })
            .collect();
        threads.into_iter().map(|t| t.join().expect("racing thread panicked")).collect()
    })
}
