//! Citizens on the demo advisors' days: bookings on each advisor's next four working days
//! (some at the office, some by phone, some with needs), so that every demo advisor's
//! "my day" has people in it, whatever the weekday or holiday the demo starts on. Booked through the store like any booking (with its mails), from a
//! PRNG with a fixed seed.

use super::history::{ascii, personal_id, pick, Office, DESCRIPTIONS, FIRST_NAMES, LAST_NAMES};
use aukiolo_domain::booking::{BookedBy, Needs};
use aukiolo_domain::slots::SlotState;
use aukiolo_domain::{AdvisorId, Channel, Locale, OfficeId, TopicId};
use aukiolo_store::availability::{RulesApply, TimeQuery};
use aukiolo_store::bookings::{self, Actor, NewBooking};
use aukiolo_store::personal_data::PersonalDataKeys;
use aukiolo_store::{DbConnection, StoreError};
use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Working days (days with times) of each advisor that get citizens.
const DAYS: usize = 4;
/// How far ahead those days are looked for (past Christmas and Easter).
const LOOK_AHEAD_DAYS: i64 = 14;

/// Books about every third free time on each advisor's next [`DAYS`] working days;
/// returns how many bookings were made.
pub fn book(
    conn: &mut DbConnection,
    keys: &PersonalDataKeys,
    offices: &[Office],
    topics: &[aukiolo_domain::topic::Topic],
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let mut rng = StdRng::seed_from_u64(20_261_202);
    let mut made = 0;
    for office in offices {
        for advisor in &office.advisors {
            let mut slots = aukiolo_store::slots::list_for_advisor(
                conn,
                AdvisorId(advisor.id),
                now + Duration::minutes(30),
                now + Duration::days(LOOK_AHEAD_DAYS),
            )?;
            let mut days: Vec<_> =
                slots.iter().map(|s| s.start.with_timezone(&office.tz).date_naive()).collect();
            days.dedup();
            days.truncate(DAYS);
            slots.retain(|s| days.contains(&s.start.with_timezone(&office.tz).date_naive()));
            let locale = [Locale::Fi, Locale::Sv, Locale::En]
                .into_iter()
                .filter(|l| advisor.languages.contains(&l.as_str()))
                .collect::<Vec<_>>();
            for slot in slots.iter().filter(|s| s.state == SlotState::Open) {
                if !rng.random_ratio(1, 3) || locale.is_empty() {
                    continue;
                }
                let serves = |t: &&aukiolo_domain::topic::Topic| {
                    advisor.topics.contains(&t.id.0) && t.fields.channels.contains(&slot.channel)
                };
                let Some(topic) =
                    topics.iter().filter(serves).nth(rng.random_range(0..2)).or(topics.iter().find(serves))
                else {
                    continue;
                };
                let (first, last) = (pick(&mut rng, FIRST_NAMES), pick(&mut rng, LAST_NAMES));
                let needs = match rng.random_range(0..6) {
                    0 => Needs {
                        interpreter: Some("ar".parse().expect("a language code")),
                        accessibility: None,
                    },
                    1 => Needs { interpreter: None, accessibility: Some("Pyörätuoli".into()) },
                    _ => Needs::default(),
                };
                let language = pick(&mut rng, &locale);
                let new = NewBooking {
                    query: query(topic.id, slot.channel, OfficeId(office.id), language, slot.start),
                    start: slot.start,
                    locale: language,
                    name: format!("{first} {last}"),
                    personal_id: personal_id(&mut rng),
                    email: format!("{}.{}@example.fi", ascii(first), ascii(last)),
                    phone: (slot.channel == Channel::Phone || rng.random_bool(0.5))
                        .then(|| format!("+35840{:07}", rng.random_range(0..10_000_000))),
                    description: pick(&mut rng, DESCRIPTIONS).to_owned(),
                    needs,
                    booked_by: if rng.random_ratio(1, 4) {
                        BookedBy::PhoneService
                    } else {
                        BookedBy::CitizenSelf
                    },
                };
                // A time the topic's length does not fit (or one citizen's third booking) is
                // simply left free.
                match bookings::book(conn, keys, &new, None, Actor::System, now, RulesApply::StaffOverride) {
                    Ok(_) => made += 1,
                    Err(StoreError::TimeTaken(_) | StoreError::Conflict(_) | StoreError::Invalid(_)) => {}
                    Err(e) => return Err(e),
                }
            }
        }
    }
    Ok(made)
}

fn query(topic: TopicId, channel: Channel, office: OfficeId, locale: Locale, at: DateTime<Utc>) -> TimeQuery {
    TimeQuery {
        topic_id: topic,
        channel,
        office_id: Some(office),
        advisor_id: None,
        language: locale.as_str().parse().expect("a locale is a language"),
        from: at,
        to: at,
    }
}
