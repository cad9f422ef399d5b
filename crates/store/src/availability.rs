//! Free times: which advisors match a query (topic, channel, office, language), the runs
//! of consecutive open slots they have, and whether each office's booking rules (notice,
//! horizon, hold-back) let citizens book them. Bookings claim what is found here
//! (`crate::bookings`).

use crate::schema::{advisors, slots};
use crate::sql_types::{DbId, DbTime};
use crate::{DbConnection, Result, StoreError};
use aukiolo_domain::availability::{free_times, runs, FreeTime, OpenSlot, Run};
use aukiolo_domain::booking::BookingRules;
use aukiolo_domain::{AdvisorId, Channel, Language, OfficeId, SlotId, TopicId};
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use std::collections::HashMap;

/// What a citizen or advisor asks for when looking for a time.
#[derive(Clone, Debug)]
pub struct TimeQuery {
    pub topic_id: TopicId,
    pub channel: Channel,
    /// Required for office visits; phone appointments may be served by any office.
    pub office_id: Option<OfficeId>,
    /// One advisor's times only (staff booking with a chosen advisor); `None`: whoever is
    /// free.
    pub advisor_id: Option<AdvisorId>,
    pub language: Language,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

/// Whether the office's booking rules (notice, horizon, hold-back) apply: they do for
/// citizens; staff booking for a walk-in or by phone may override them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RulesApply {
    Yes,
    StaffOverride,
}

/// Active advisors who serve the query's topic, channel and language (at its office).
pub(crate) fn matching_advisors(conn: &mut DbConnection, q: &TimeQuery) -> Result<Vec<DbId>> {
    let mut candidates = advisors::table
        .inner_join(crate::schema::advisor_topics::table)
        .filter(crate::schema::advisor_topics::topic_id.eq(DbId::from(q.topic_id)))
        .filter(advisors::active.eq(true))
        .select((advisors::id, advisors::office_id, advisors::languages, advisors::channels))
        .into_boxed();
    if let Some(office) = q.office_id {
        candidates = candidates.filter(advisors::office_id.eq(DbId::from(office)));
    }
    if let Some(advisor) = q.advisor_id {
        candidates = candidates.filter(advisors::id.eq(DbId::from(advisor)));
    }
    let mut matching = Vec::new();
    for (id, _, languages, channels) in candidates.load::<(DbId, DbId, String, String)>(conn)? {
        let languages: Vec<Language> = crate::json::from_text("advisors.languages", &languages)?;
        let channels: Vec<Channel> = crate::json::from_text("advisors.channels", &channels)?;
        if languages.contains(&q.language) && channels.contains(&q.channel) {
            matching.push(id);
        }
    }
    Ok(matching)
}

/// The runs (advisor + consecutive slots) matching a query, with the office rules applied
/// for citizens. Sorted by start.
pub fn find_runs(
    conn: &mut DbConnection,
    q: &TimeQuery,
    now: DateTime<Utc>,
    rules: RulesApply,
) -> Result<Vec<Run>> {
    Ok(rated_runs(conn, q, now)?
        .runs
        .into_iter()
        .filter(|(_, open_to_citizens)| rules == RulesApply::StaffOverride || *open_to_citizens)
        .map(|(run, _)| run)
        .collect())
}

/// A time staff may book, and whether the office's rules let citizens book it too (not
/// held back, outside the notice, inside the horizon): staff are asked before taking one
/// that citizens cannot.
#[derive(Clone, Debug)]
pub struct StaffTime {
    pub run: Run,
    pub open_to_citizens: bool,
}

/// Every run matching a query, for staff, sorted by start.
pub fn staff_times(conn: &mut DbConnection, q: &TimeQuery, now: DateTime<Utc>) -> Result<Vec<StaffTime>> {
    Ok(rated_runs(conn, q, now)?
        .runs
        .into_iter()
        .map(|(run, open_to_citizens)| StaffTime { run, open_to_citizens })
        .collect())
}

/// Runs matching a query, each with whether its office's rules let citizens book it, and
/// those rules.
pub(crate) struct Rated {
    pub(crate) runs: Vec<(Run, bool)>,
    pub(crate) rules: HashMap<OfficeId, BookingRules>,
}

/// Every run matching a query, each with whether the office rules let citizens book it,
/// from one read of the slots. Only the offices concerned are read: the query's, or for
/// phone appointments the ones whose advisors have the times.
pub(crate) fn rated_runs(conn: &mut DbConnection, q: &TimeQuery, now: DateTime<Utc>) -> Result<Rated> {
    let topic = crate::topics::get(conn, q.topic_id).map_err(|e| match e {
        StoreError::NotFound(_) => StoreError::field("topic_id", "no such topic"),
        other => other,
    })?;
    if !topic.fields.channels.contains(&q.channel) {
        return Err(StoreError::field("channel", format!("the topic is not served by {}", q.channel)));
    }
    let mut rules = match q.office_id {
        Some(office) => {
            let rules = crate::offices::booking_rules_of(conn, &[office])?;
            if !rules.contains_key(&office) {
                return Err(StoreError::field("office_id", "no such office"));
            }
            rules
        }
        None => HashMap::new(),
    };
    let matching = matching_advisors(conn, q)?;
    let duration = Duration::minutes(i64::from(topic.fields.duration_minutes));
    // A run starting before `to` may need slots up to `duration` later.
    let rows: Vec<(DbId, DbId, DbId, DbTime, DbTime)> = slots::table
        .filter(slots::advisor_id.eq_any(&matching))
        .filter(slots::state.eq("open"))
        .filter(slots::channel.eq(q.channel.as_str()))
        .filter(slots::starts_at.ge(DbTime(q.from.max(now))))
        .filter(slots::starts_at.lt(DbTime(q.to + duration)))
        .select((slots::id, slots::advisor_id, slots::office_id, slots::starts_at, slots::ends_at))
        .load(conn)?;
    let open: Vec<OpenSlot> = rows
        .into_iter()
        .map(|(id, advisor, office, start, end)| OpenSlot {
            id: id.into(),
            advisor_id: advisor.into(),
            office_id: office.into(),
            start: start.0,
            end: end.0,
            channel: q.channel,
        })
        .collect();
    let starts: HashMap<SlotId, DateTime<Utc>> = open.iter().map(|s| (s.id, s.start)).collect();
    let found: Vec<Run> =
        runs(&open, duration).into_iter().filter(|r| r.start >= q.from && r.start < q.to).collect();
    let unread: Vec<OfficeId> =
        found.iter().map(|r| r.office_id).filter(|o| !rules.contains_key(o)).collect();
    if !unread.is_empty() {
        rules.extend(crate::offices::booking_rules_of(conn, &unread)?);
    }
    let fallback = BookingRules::default();
    let runs = found
        .into_iter()
        .map(|r| {
            let rules = rules.get(&r.office_id).unwrap_or(&fallback);
            let open = r.start >= rules.earliest_start(now)
                && r.start <= rules.latest_start(now)
                && !r.slots.iter().any(|s| rules.held_back(s.0, starts[s], now));
            (r, open)
        })
        .collect();
    Ok(Rated { runs, rules })
}

/// Free times for a query, as citizens may book them.
pub fn citizen_times(conn: &mut DbConnection, q: &TimeQuery, now: DateTime<Utc>) -> Result<Vec<FreeTime>> {
    Ok(free_times(&find_runs(conn, q, now, RulesApply::Yes)?))
}
