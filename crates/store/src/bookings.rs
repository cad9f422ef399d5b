//! Bookings: claiming slots, cancelling, rescheduling and status changes, each in one
//! transaction with its booking event. Free times are found in [`crate::availability`].
//!
//! One slot, one booking (DESIGN.md §4.1) is settled by the database: slots are claimed
//! with a conditional update (`… WHERE state = 'open' AND booking_id IS NULL`), so of any
//! number of concurrent claimants exactly one sees its rows change; a partial unique index
//! on the active bookings' first slot backs it up. On PostgreSQL, advisory locks on the
//! idempotency key and on the citizen serialise retries and per-citizen limits; on
//! SQLite, write transactions already run one at a time.

use crate::availability::{find_runs, matching_advisors, rated_runs, Rated, RulesApply, TimeQuery};
use crate::personal_data::PersonalDataKeys;
use crate::schema::{booking_events, bookings, idempotency_keys, slots};
use crate::sql_types::{DbId, DbTime};
use crate::{DbConnection, Refusal, Result, StoreError};
use aukiolo_domain::availability::{free_times, FreeTime, Run};
use aukiolo_domain::booking::{
    reference_from, Action, BookedBy, Booking, BookingEvent, BookingRules, BookingStatus, Needs,
};
use aukiolo_domain::outbox::MessageKind;
use aukiolo_domain::personal_id::PersonalId;
use aukiolo_domain::visit_clock;
use aukiolo_domain::{AdvisorId, BookingId, Channel, Locale, OfficeId, StaffUserId};
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use std::collections::HashMap;

/// Who did something to a booking, as recorded in its events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    Citizen,
    Staff(StaffUserId),
    System,
}

impl Actor {
    fn label(self) -> String {
        match self {
            Actor::Citizen => "citizen".into(),
            Actor::Staff(id) => format!("staff:{id}"),
            Actor::System => "system".into(),
        }
    }
}

/// A booking request, validated.
#[derive(Clone, Debug)]
pub struct NewBooking {
    pub query: TimeQuery,
    pub start: DateTime<Utc>,
    pub locale: Locale,
    pub name: String,
    pub personal_id: PersonalId,
    pub email: String,
    pub phone: Option<String>,
    pub description: String,
    pub needs: Needs,
    pub booked_by: BookedBy,
}

/// Most future bookings one citizen may hold at once.
pub const MAX_FUTURE_PER_CITIZEN: i64 = 2;

/// A booking was made, or an earlier answer to the same idempotency key is replayed.
#[derive(Debug)]
pub enum Booked {
    Created(Booking),
    Replayed(Booking),
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = bookings)]
pub(crate) struct BookingRow {
    id: DbId,
    reference: String,
    office_id: DbId,
    advisor_id: DbId,
    topic_id: DbId,
    channel: String,
    starts_at: DbTime,
    ends_at: DbTime,
    language: String,
    status: String,
    booked_by: String,
    name: String,
    personal_id_enc: String,
    email: String,
    phone: Option<String>,
    description: String,
    needs: String,
    rescheduled_from: Option<DbId>,
    cancel_reason: Option<String>,
    created_at: DbTime,
    purged_at: Option<DbTime>,
}

impl BookingRow {
    pub(crate) fn into_domain(self, keys: &PersonalDataKeys) -> Result<Booking> {
        let corrupt = |what: &str, v: &str| StoreError::Corrupt(format!("booking {what} `{v}`"));
        Ok(Booking {
            id: self.id.into(),
            reference: self.reference,
            office_id: self.office_id.into(),
            advisor_id: self.advisor_id.into(),
            topic_id: self.topic_id.into(),
            channel: self.channel.parse().map_err(StoreError::Corrupt)?,
            start: self.starts_at.0,
            end: self.ends_at.0,
            language: self.language.parse().map_err(|_| corrupt("language", &self.language))?,
            status: BookingStatus::parse(&self.status).ok_or_else(|| corrupt("status", &self.status))?,
            booked_by: BookedBy::parse(&self.booked_by)
                .ok_or_else(|| corrupt("booked_by", &self.booked_by))?,
            name: self.name,
            personal_id: match self.purged_at {
                Some(_) => None,
                None => Some(
                    PersonalId::parse(&keys.decrypt(&self.personal_id_enc)?)
                        .map_err(|e| StoreError::Corrupt(format!("stored personal id {e}")))?,
                ),
            },
            email: self.email,
            phone: self.phone,
            description: self.description,
            needs: crate::json::from_text("bookings.needs", &self.needs)?,
            rescheduled_from: self.rescheduled_from.map(Into::into),
            cancel_reason: self.cancel_reason,
            created_at: self.created_at.0,
            purged_at: self.purged_at.map(|t| t.0),
        })
    }
}

/// What a change to a booking whose personal data is gone gets: nothing can be sent to
/// the citizen, and the visit is long over anyway.
fn purged() -> StoreError {
    StoreError::Gone("the booking's personal data was removed after the retention period".into())
}

fn load(conn: &mut DbConnection, keys: &PersonalDataKeys, id: BookingId) -> Result<Booking> {
    bookings::table
        .find(DbId::from(id))
        .select(BookingRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound("booking"))?
        .into_domain(keys)
}

pub fn get(conn: &mut DbConnection, keys: &PersonalDataKeys, id: BookingId) -> Result<Booking> {
    load(conn, keys, id)
}

pub fn get_by_reference(
    conn: &mut DbConnection,
    keys: &PersonalDataKeys,
    reference: &str,
) -> Result<Booking> {
    bookings::table
        .filter(bookings::reference.eq(reference.trim().to_ascii_uppercase()))
        .select(BookingRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound("booking"))?
        .into_domain(keys)
}

/// The id and office of the booking with this reference, without opening its personal
/// data.
pub(crate) fn office_of_reference(
    conn: &mut DbConnection,
    reference: &str,
) -> Result<Option<(BookingId, OfficeId)>> {
    Ok(bookings::table
        .filter(bookings::reference.eq(reference.trim().to_ascii_uppercase()))
        .select((bookings::id, bookings::office_id))
        .first::<(DbId, DbId)>(conn)
        .optional()?
        .map(|(id, office)| (id.into(), office.into())))
}

/// Bookings of one advisor starting in `[from, to)`, cancelled ones included.
pub fn list_for_advisor(
    conn: &mut DbConnection,
    keys: &PersonalDataKeys,
    advisor: AdvisorId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Booking>> {
    bookings::table
        .filter(bookings::advisor_id.eq(DbId::from(advisor)))
        .filter(bookings::starts_at.ge(DbTime(from)))
        .filter(bookings::starts_at.lt(DbTime(to)))
        .select(BookingRow::as_select())
        .order((bookings::starts_at, bookings::created_at))
        .load(conn)?
        .into_iter()
        .map(|r| r.into_domain(keys))
        .collect()
}

/// A lost race, its alternatives still to be found by [`with_alternatives`].
fn lost_race() -> StoreError {
    StoreError::TimeTaken(Vec::new())
}

/// A lost race's alternatives, looked up after its transaction has ended: the 8-week scan
/// inside it would hold the write lock (on SQLite, every writer's turn) for its length.
fn with_alternatives<T>(
    conn: &mut DbConnection,
    result: Result<T>,
    q: &TimeQuery,
    start: DateTime<Utc>,
    now: DateTime<Utc>,
    rules: RulesApply,
) -> Result<T> {
    match result {
        Err(StoreError::TimeTaken(_)) => {
            crate::telemetry::race_lost(true);
            Err(StoreError::TimeTaken(alternatives(conn, q, start, now, rules)?))
        }
        other => other,
    }
}

/// The next three free times at or after `after`, for a 409's alternatives.
fn alternatives(
    conn: &mut DbConnection,
    q: &TimeQuery,
    after: DateTime<Utc>,
    now: DateTime<Utc>,
    rules: RulesApply,
) -> Result<Vec<FreeTime>> {
    let q = TimeQuery { from: after, to: after + Duration::weeks(8), ..q.clone() };
    let mut times = free_times(&find_runs(conn, &q, now, rules)?);
    times.truncate(3);
    Ok(times)
}

mod pg_functions {
    use diesel::sql_types::{BigInt, Text};
    diesel::define_sql_function! { fn hashtextextended(text: Text, seed: BigInt) -> BigInt; }
    // Returns `void`; declared `Bool` because its result is never read.
    diesel::define_sql_function! { fn pg_advisory_xact_lock(key: BigInt) -> diesel::sql_types::Bool; }
}

/// A PostgreSQL advisory lock on `key` until the transaction ends, as a typed query so
/// that it is prepared once per connection; SQLite has one writer at a time.
fn pg_lock(conn: &mut DbConnection, key: &str) -> Result<()> {
    use pg_functions::{hashtextextended, pg_advisory_xact_lock};
    if let DbConnection::Pg(pg) = conn {
        diesel::select(pg_advisory_xact_lock(hashtextextended(key, 0i64))).execute(pg)?;
    }
    Ok(())
}

/// Why a citizen may not book `[start, end)`: too many future bookings or an overlap.
fn check_citizen_limits(
    conn: &mut DbConnection,
    hash: &str,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    now: DateTime<Utc>,
    replacing: Option<BookingId>,
) -> Result<()> {
    let mut query = bookings::table
        .filter(bookings::personal_id_hash.eq(hash))
        .filter(bookings::status.eq(BookingStatus::Booked.as_str()))
        .filter(bookings::ends_at.gt(DbTime(now)))
        .select((bookings::id, bookings::starts_at, bookings::ends_at))
        .into_boxed();
    if let Some(old) = replacing {
        query = query.filter(bookings::id.ne(DbId::from(old)));
    }
    let future: Vec<(DbId, DbTime, DbTime)> = query.load(conn)?;
    if future.iter().any(|(_, s, e)| s.0 < end && start < e.0) {
        // No reference or time in the answer: anyone who knows a code could read them here.
        return Err(StoreError::field("start", "overlaps another booking of the same person"));
    }
    if future.len() as i64 >= MAX_FUTURE_PER_CITIZEN {
        return Err(StoreError::field(
            "personal_id",
            format!("already has {MAX_FUTURE_PER_CITIZEN} future bookings; cancel one first"),
        ));
    }
    Ok(())
}

/// Explains why a start time cannot be booked by a citizen, when a rule is the reason;
/// a time whose last citizen slot was just taken is [`StoreError::TimeTaken`] instead,
/// even when the slots left at that time are held back.
fn check_rules(
    conn: &mut DbConnection,
    q: &TimeQuery,
    rated: &[(Run, bool)],
    office_rules: &HashMap<OfficeId, BookingRules>,
    start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<()> {
    if rated.iter().any(|(_, open_to_citizens)| *open_to_citizens) {
        return Ok(());
    }
    // No office offers it to citizens: explain with the rules of one that has the time.
    let Some((first, _)) = rated.first() else {
        return Ok(());
    };
    let fallback = BookingRules::default();
    let rules = office_rules.get(&first.office_id).unwrap_or(&fallback);
    let message = if start < rules.earliest_start(now) {
        format!("must be at least {} minutes from now", rules.min_notice_minutes)
    } else if start > rules.latest_start(now) {
        format!("is beyond the booking horizon of {} weeks", rules.horizon_weeks)
    } else if taken_from_citizens(conn, q, start, now)? {
        // Open to citizens until someone else booked it: a lost race, not a rule.
        return Err(lost_race());
    } else {
        format!(
            "is held back for same-day and walk-in customers until {} hours before",
            rules.holdback_release_hours
        )
    };
    Err(StoreError::field("start", message))
}

/// Whether a slot at `start` that the office's rules open to citizens is already booked.
fn taken_from_citizens(
    conn: &mut DbConnection,
    q: &TimeQuery,
    start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool> {
    let matching = matching_advisors(conn, q)?;
    let booked: Vec<(DbId, DbId)> = slots::table
        .filter(slots::advisor_id.eq_any(&matching))
        .filter(slots::starts_at.eq(DbTime(start)))
        .filter(slots::channel.eq(q.channel.as_str()))
        .filter(slots::booking_id.is_not_null())
        .select((slots::id, slots::office_id))
        .load(conn)?;
    let offices: Vec<OfficeId> = booked.iter().map(|(_, office)| OfficeId::from(*office)).collect();
    let by_office = crate::offices::booking_rules_of(conn, &offices)?;
    let fallback = BookingRules::default();
    Ok(booked.iter().any(|(slot, office)| {
        !by_office.get(&OfficeId::from(*office)).unwrap_or(&fallback).held_back(slot.0, start, now)
    }))
}

/// Orders the runs at one time so the advisor with the fewest bookings that day comes first.
fn spread_load(conn: &mut DbConnection, mut candidates: Vec<Run>) -> Result<Vec<Run>> {
    let Some(first) = candidates.first() else { return Ok(candidates) };
    let day_from = first.start - Duration::hours(12);
    let day_to = first.start + Duration::hours(12);
    let ids: Vec<DbId> = candidates.iter().map(|r| DbId::from(r.advisor_id)).collect();
    let counts: Vec<(DbId, i64)> =
        bookings::table
            .filter(bookings::advisor_id.eq_any(&ids))
            .filter(bookings::starts_at.ge(DbTime(day_from)))
            .filter(bookings::starts_at.lt(DbTime(day_to)))
            .filter(bookings::status.ne_all([
                BookingStatus::CancelledByCitizen.as_str(),
                BookingStatus::CancelledByOffice.as_str(),
            ]))
            .group_by(bookings::advisor_id)
            .select((bookings::advisor_id, diesel::dsl::count_star()))
            .load(conn)?;
    let load: HashMap<DbId, i64> = counts.into_iter().collect();
    let salt: u128 = rand::random();
    candidates.sort_by_key(|r| {
        let id = DbId::from(r.advisor_id);
        (load.get(&id).copied().unwrap_or(0), r.advisor_id.0.as_u128() ^ salt)
    });
    Ok(candidates)
}

/// Claims every slot of a run for `booking`, or none of them. A run claimed only in part
/// (someone took one of its slots) is given back at once, without a savepoint's two round
/// trips on every booking.
fn claim_run(conn: &mut DbConnection, run: &Run, booking: BookingId) -> Result<bool> {
    let ids: Vec<DbId> = run.slots.iter().map(|s| DbId::from(*s)).collect();
    let n = diesel::update(
        slots::table
            .filter(slots::id.eq_any(&ids))
            .filter(slots::state.eq("open"))
            .filter(slots::booking_id.is_null()),
    )
    .set((slots::state.eq("booked"), slots::booking_id.eq(Some(DbId::from(booking)))))
    .execute(conn)?;
    if n == ids.len() {
        return Ok(true);
    }
    if n > 0 {
        diesel::update(slots::table.filter(slots::booking_id.eq(DbId::from(booking))))
            .set((slots::state.eq("open"), slots::booking_id.eq(None::<DbId>)))
            .execute(conn)?;
    }
    Ok(false)
}

/// Whether an insert failed only because the new booking's random reference is already
/// used: the unique constraint is the check, and the booking is tried again.
fn reference_taken(e: &StoreError) -> bool {
    match e {
        StoreError::Duplicate { constraint, detail } => {
            constraint.as_deref() == Some("bookings_reference_key") || detail.contains("bookings.reference")
        }
        _ => false,
    }
}

/// How often a booking is tried again after drawing a reference already in use (about
/// one in 10^13 per booking) or losing its first choice of advisor.
const ATTEMPTS: usize = 4;

/// Runs a booking's transaction until it neither lost its first claim (`Ok(None)`: the
/// transaction ended, giving back its locks, and the next attempt is `careful`) nor drew
/// a taken reference.
fn attempts<T>(
    conn: &mut DbConnection,
    mut attempt: impl FnMut(&mut DbConnection, bool) -> Result<Option<T>>,
) -> Result<T> {
    let mut careful = false;
    for _ in 1..ATTEMPTS {
        match crate::write_transaction(conn, |conn| attempt(conn, careful)) {
            Ok(Some(done)) => return Ok(done),
            Ok(None) => {
                crate::telemetry::race_lost(false);
                careful = true;
            }
            Err(e) if reference_taken(&e) => {}
            Err(e) => return Err(e),
        }
    }
    crate::write_transaction(conn, |conn| attempt(conn, true))?.ok_or_else(lost_race)
}

fn record_event(
    conn: &mut DbConnection,
    booking: BookingId,
    actor: Actor,
    kind: &str,
    detail: Option<String>,
    at: DateTime<Utc>,
) -> Result<()> {
    diesel::insert_into(booking_events::table)
        .values((
            // Time-ordered ids keep events of one instant in the order they were written.
            booking_events::id.eq(DbId(uuid::Uuid::now_v7())),
            booking_events::booking_id.eq(DbId::from(booking)),
            booking_events::at.eq(DbTime(at)),
            booking_events::actor.eq(actor.label()),
            booking_events::kind.eq(kind),
            booking_events::detail.eq(detail),
        ))
        .execute(conn)?;
    Ok(())
}

/// A booking just written, with its office's rules (for its reminders).
struct Inserted {
    booking: Booking,
    rules: BookingRules,
}

/// Claims a time and writes the booking; everything or nothing.
///
/// On PostgreSQL a booking first locks and claims only the advisor it prefers: one
/// statement whatever the office's size. Should that claim lose (another booking took the
/// slot meanwhile) it answers `None` holding no claim, and the caller ends the
/// transaction and comes back `careful`: then every candidate is locked at once, in id
/// order, and tried in turn. Holding one advisor while waiting for another would risk a
/// deadlock with a calendar change that locks several (closures lock a whole office).
#[allow(clippy::too_many_arguments)]
fn insert_booking(
    conn: &mut DbConnection,
    keys: &PersonalDataKeys,
    new: &NewBooking,
    actor: Actor,
    now: DateTime<Utc>,
    rules: RulesApply,
    replacing: Option<BookingId>,
    careful: bool,
) -> Result<Option<Inserted>> {
    let hash = keys.lookup_hash(new.personal_id.expose());
    pg_lock(conn, &format!("citizen:{hash}"))?;
    // One read of the slots decides both the rules and the candidates: two reads
    // (PostgreSQL, read committed) can disagree when a slot is taken or freed in between,
    // and the rules would be blamed for a race.
    let at = TimeQuery { from: new.start, to: new.start + Duration::microseconds(1), ..new.query.clone() };
    let Rated { runs: rated, rules: office_rules } = rated_runs(conn, &at, now)?;
    if rules == RulesApply::Yes {
        check_rules(conn, &new.query, &rated, &office_rules, new.start, now)?;
    }
    let offered_to_anyone = !rated.is_empty();
    let candidates: Vec<Run> = rated
        .into_iter()
        .filter(|(_, open_to_citizens)| rules == RulesApply::StaffOverride || *open_to_citizens)
        .map(|(run, _)| run)
        .collect();
    let end = candidates.first().map(|r| r.end).unwrap_or(new.start + Duration::minutes(30));
    check_citizen_limits(conn, &hash, new.start, end, now, replacing)?;
    if candidates.is_empty() {
        return Err(not_free(conn, &new.query, new.start, offered_to_anyone)?);
    }
    let id = BookingId::new();
    let ordered = spread_load(conn, candidates)?;
    let careful = careful || !matches!(conn, DbConnection::Pg(_)) || ordered.len() == 1;
    let claimed = if careful {
        let advisors: Vec<AdvisorId> = ordered.iter().map(|r| r.advisor_id).collect();
        crate::slots::share_advisors(conn, &advisors)?;
        let mut claimed = None;
        for run in ordered {
            if claim_run(conn, &run, id)? {
                claimed = Some(run);
                break;
            }
        }
        claimed
    } else {
        let first = ordered.into_iter().next().ok_or_else(lost_race)?;
        crate::slots::share_advisors(conn, &[first.advisor_id])?;
        if !claim_run(conn, &first, id)? {
            return Ok(None);
        }
        Some(first)
    };
    let Some(run) = claimed else {
        return Err(lost_race());
    };
    let booking = write_booking(conn, keys, new, id, &run, &hash, replacing, now)?;
    record_event(conn, id, actor, "booked", Some(new.booked_by.as_str().to_owned()), now)?;
    let rules = office_rules.get(&run.office_id).cloned().unwrap_or_default();
    Ok(Some(Inserted { booking, rules }))
}

/// Why no candidate was left for a time: not on anyone's grid for this topic, channel and
/// language (a 4xx naming `start`), or taken meanwhile.
fn not_free(
    conn: &mut DbConnection,
    q: &TimeQuery,
    start: DateTime<Utc>,
    offered: bool,
) -> Result<StoreError> {
    let on_the_grid = offered || {
        let matching = matching_advisors(conn, q)?;
        let slots_there: i64 = slots::table
            .filter(slots::advisor_id.eq_any(&matching))
            .filter(slots::starts_at.eq(DbTime(start)))
            .filter(slots::channel.eq(q.channel.as_str()))
            .count()
            .get_result(conn)?;
        slots_there > 0
    };
    Ok(if on_the_grid {
        lost_race()
    } else {
        StoreError::field("start", "is not a bookable time for this topic, channel and language")
    })
}

/// Writes the booking row for a claimed run and answers it as stored, without reading it
/// back. A random reference already in use fails the insert (`reference_taken`).
#[allow(clippy::too_many_arguments)]
fn write_booking(
    conn: &mut DbConnection,
    keys: &PersonalDataKeys,
    new: &NewBooking,
    id: BookingId,
    run: &Run,
    personal_id_hash: &str,
    replacing: Option<BookingId>,
    now: DateTime<Utc>,
) -> Result<Booking> {
    use chrono::SubsecRound;
    let booking = Booking {
        id,
        reference: reference_from(rand::random()),
        office_id: run.office_id,
        advisor_id: run.advisor_id,
        topic_id: new.query.topic_id,
        channel: run.channel,
        start: run.start,
        end: run.end,
        language: new.locale,
        status: BookingStatus::Booked,
        booked_by: new.booked_by,
        name: new.name.trim().to_owned(),
        personal_id: Some(new.personal_id.clone()),
        email: new.email.clone(),
        phone: new.phone.clone(),
        description: new.description.trim().to_owned(),
        needs: new.needs.clone(),
        rescheduled_from: replacing,
        cancel_reason: None,
        // As the databases keep it.
        created_at: now.trunc_subsecs(6),
        purged_at: None,
    };
    diesel::insert_into(bookings::table)
        .values((
            bookings::id.eq(DbId::from(id)),
            bookings::reference.eq(&booking.reference),
            bookings::office_id.eq(DbId::from(run.office_id)),
            bookings::advisor_id.eq(DbId::from(run.advisor_id)),
            bookings::topic_id.eq(DbId::from(new.query.topic_id)),
            bookings::slot_id.eq(DbId::from(run.slots[0])),
            bookings::slot_count.eq(run.slots.len() as i32),
            bookings::channel.eq(run.channel.as_str()),
            bookings::starts_at.eq(DbTime(run.start)),
            bookings::ends_at.eq(DbTime(run.end)),
            bookings::language.eq(new.locale.as_str()),
            bookings::status.eq(BookingStatus::Booked.as_str()),
            bookings::booked_by.eq(new.booked_by.as_str()),
            bookings::name.eq(&booking.name),
            bookings::personal_id_enc.eq(keys.encrypt(new.personal_id.expose())),
            bookings::personal_id_hash.eq(personal_id_hash),
            bookings::email.eq(&new.email),
            bookings::phone.eq(new.phone.as_deref()),
            bookings::description.eq(&booking.description),
            bookings::needs.eq(crate::json::to_text(&new.needs)),
            bookings::rescheduled_from.eq(replacing.map(DbId::from)),
            bookings::created_at.eq(DbTime(now)),
            bookings::updated_at.eq(DbTime(now)),
        ))
        .execute(conn)?;
    Ok(booking)
}

/// The key as stored: scoped to who asks (the signed-in staff member, or the person
/// booked for), so that two unrelated clients that both send `order-1` do not collide,
/// and no one learns that someone else used a key.
fn scoped_key(key: &str, actor: Actor, personal_id_hash: &str) -> String {
    match actor {
        Actor::Staff(staff) => format!("staff:{staff}:{key}"),
        Actor::Citizen | Actor::System => format!("citizen:{personal_id_hash}:{key}"),
    }
}

/// Books a time. With an idempotency key (and the request's hash), a retry with the same
/// request hash gets the first booking back (`Replayed`); the same key with another
/// request is refused.
pub fn book(
    conn: &mut DbConnection,
    keys: &PersonalDataKeys,
    new: &NewBooking,
    idempotency: Option<(&str, &str)>,
    actor: Actor,
    now: DateTime<Utc>,
    rules: RulesApply,
) -> Result<Booked> {
    let scoped = idempotency.map(|(key, request_hash)| {
        (scoped_key(key, actor, &keys.lookup_hash(new.personal_id.expose())), request_hash)
    });
    let result = attempts(conn, |conn, careful| {
        if let Some((key, request_hash)) = &scoped {
            pg_lock(conn, &format!("idempotency:{key}"))?;
            // A key answers retries for a day, then may be used afresh.
            diesel::delete(
                idempotency_keys::table
                    .find(key)
                    .filter(idempotency_keys::created_at.lt(DbTime(now - Duration::hours(24)))),
            )
            .execute(conn)?;
            let earlier: Option<(String, DbId)> = idempotency_keys::table
                .find(key)
                .select((idempotency_keys::request_hash, idempotency_keys::booking_id))
                .first(conn)
                .optional()?;
            if let Some((hash, booking)) = earlier {
                if hash != *request_hash {
                    return Err(StoreError::field(
                        "Idempotency-Key",
                        "was already used for a different request",
                    ));
                }
                return Ok(Some(Booked::Replayed(load(conn, keys, booking.into())?)));
            }
        }
        let Some(Inserted { booking, rules: office_rules }) =
            insert_booking(conn, keys, new, actor, now, rules, None, careful)?
        else {
            return Ok(None);
        };
        crate::outbox::booking_made(conn, &booking, &office_rules, MessageKind::Confirmation, now)?;
        if let Some((key, request_hash)) = &scoped {
            diesel::insert_into(idempotency_keys::table)
                .values((
                    idempotency_keys::key.eq(key),
                    idempotency_keys::request_hash.eq(request_hash),
                    idempotency_keys::booking_id.eq(DbId::from(booking.id)),
                    idempotency_keys::created_at.eq(DbTime(now)),
                ))
                .execute(conn)?;
        }
        Ok(Some(Booked::Created(booking)))
    });
    if let Ok(Booked::Created(b)) = &result {
        crate::telemetry::booking_made(b.channel.as_str(), matches!(actor, Actor::Staff(_)));
    }
    with_alternatives(conn, result, &new.query, new.start, now, rules)
}

/// Gives a booking's future slots back: open again, or gone if the calendar no longer
/// offers them.
fn release_slots(conn: &mut DbConnection, booking: BookingId, now: DateTime<Utc>) -> Result<()> {
    let mine = slots::table.filter(slots::booking_id.eq(DbId::from(booking)));
    diesel::delete(mine.filter(slots::conflict.is_not_null()).filter(slots::starts_at.ge(DbTime(now))))
        .execute(conn)?;
    diesel::update(mine.filter(slots::starts_at.ge(DbTime(now))))
        .set((slots::state.eq("open"), slots::booking_id.eq(None::<DbId>)))
        .execute(conn)?;
    Ok(())
}

/// Applies a status change (arrive, start, complete, no-show, cancel, not reached,
/// reinstate) at `now`. A change the status machine does not allow, or not at this time
/// (`visit_clock::check` in the office's time zone), is `Refused` saying why.
pub fn transition(
    conn: &mut DbConnection,
    keys: &PersonalDataKeys,
    id: BookingId,
    action: Action,
    reason: Option<&str>,
    actor: Actor,
    now: DateTime<Utc>,
) -> Result<Booking> {
    let booking = crate::write_transaction(conn, |conn| {
        let booking = apply(conn, keys, id, action, reason, actor, now)?;
        crate::outbox::status_changed(conn, &booking, now)?;
        if action == Action::Reinstate {
            // The booking stands again: "how to book again" would mislead.
            crate::outbox::void_unsent_of(conn, id, &[MessageKind::NotReached], "booking reinstated")?;
        }
        Ok::<_, StoreError>(booking)
    })?;
    if matches!(action, Action::CancelByCitizen | Action::CancelByOffice) {
        crate::telemetry::booking_cancelled(action == Action::CancelByCitizen);
    }
    Ok(booking)
}

fn apply(
    conn: &mut DbConnection,
    keys: &PersonalDataKeys,
    id: BookingId,
    action: Action,
    reason: Option<&str>,
    actor: Actor,
    now: DateTime<Utc>,
) -> Result<Booking> {
    let booking = load(conn, keys, id)?;
    let zone = crate::offices::get(conn, booking.office_id)?.fields.tz();
    let next =
        visit_clock::check(booking.status, action, booking.channel, booking.start, booking.end, now, zone)
            .map_err(Refusal::Visit)?;
    // The visit clock already refuses changes to visits this old; should it ever allow one,
    // there is no one left to tell.
    if booking.is_purged() {
        return Err(purged());
    }
    // A correction says what it corrected.
    let detail = match (action, reason) {
        (Action::Reinstate, None) => Some(format!("corrected from {}", booking.status.as_str())),
        (_, reason) => reason.map(str::to_owned),
    };
    // The status in the WHERE clause makes a concurrent change lose cleanly.
    let n = diesel::update(
        bookings::table.find(DbId::from(id)).filter(bookings::status.eq(booking.status.as_str())),
    )
    .set((
        bookings::status.eq(next.as_str()),
        bookings::cancel_reason.eq(if next.holds_slot() { booking.cancel_reason.as_deref() } else { reason }),
        bookings::updated_at.eq(DbTime(now)),
    ))
    .execute(conn)?;
    if n == 0 {
        return Err(Refusal::ChangedMeanwhile.into());
    }
    if !next.holds_slot() {
        release_slots(conn, id, now)?;
    }
    record_event(conn, id, actor, next.as_str(), detail, now)?;
    load(conn, keys, id)
}

/// Moves a booking: the new time is claimed before the old one is released, in one
/// transaction, so the citizen never has zero or two bookings.
pub fn reschedule(
    conn: &mut DbConnection,
    keys: &PersonalDataKeys,
    id: BookingId,
    start: DateTime<Utc>,
    actor: Actor,
    now: DateTime<Utc>,
    rules: RulesApply,
) -> Result<Booking> {
    let result = attempts(conn, |conn, careful| {
        let old = load(conn, keys, id)?;
        // A booking whose personal data is gone cannot be booked again for its citizen.
        let personal_id = old.personal_id.clone().ok_or_else(purged)?;
        if old.status != BookingStatus::Booked {
            return Err(StoreError::Conflict(format!(
                "a booking that is {} cannot be moved",
                old.status.as_str()
            )));
        }
        let new = NewBooking {
            query: move_query(&old, start),
            start,
            locale: old.language,
            name: old.name.clone(),
            personal_id,
            email: old.email.clone(),
            phone: old.phone.clone(),
            description: old.description.clone(),
            needs: old.needs.clone(),
            booked_by: old.booked_by,
        };
        let Some(Inserted { booking: moved, rules: office_rules }) =
            insert_booking(conn, keys, &new, actor, now, rules, Some(id), careful)?
        else {
            return Ok(None);
        };
        let cancel = match actor {
            Actor::Citizen => Action::CancelByCitizen,
            _ => Action::CancelByOffice,
        };
        apply(conn, keys, id, cancel, Some(&format!("moved to {}", moved.reference)), actor, now)?;
        record_event(conn, moved.id, actor, "rescheduled_from", Some(old.reference), now)?;
        // The old time's unsent messages go; the citizen hears of the move, not of a
        // cancellation.
        crate::outbox::void_unsent(conn, id, "booking moved")?;
        crate::outbox::booking_made(conn, &moved, &office_rules, MessageKind::Rescheduled, now)?;
        Ok(Some(moved))
    });
    if matches!(result, Err(StoreError::TimeTaken(_))) {
        let query = move_query(&load(conn, keys, id)?, start);
        return with_alternatives(conn, result, &query, start, now, rules);
    }
    if result.is_ok() {
        crate::telemetry::booking_moved();
    }
    result
}

/// Where `old` may move to `start`: the same topic, channel and language; for an office
/// visit, the same office.
fn move_query(old: &Booking, start: DateTime<Utc>) -> TimeQuery {
    TimeQuery {
        topic_id: old.topic_id,
        channel: old.channel,
        office_id: (old.channel == Channel::Office).then_some(old.office_id),
        advisor_id: None,
        language: old.language.into(),
        from: start,
        to: start,
    }
}

/// The reference of the booking that replaced `id` when it was moved, if it was.
pub fn successor(conn: &mut DbConnection, id: BookingId) -> Result<Option<String>> {
    Ok(bookings::table
        .filter(bookings::rescheduled_from.eq(DbId::from(id)))
        .select(bookings::reference)
        .first(conn)
        .optional()?)
}

pub fn events(conn: &mut DbConnection, id: BookingId) -> Result<Vec<BookingEvent>> {
    Ok(booking_events::table
        .filter(booking_events::booking_id.eq(DbId::from(id)))
        .order((booking_events::at, booking_events::id))
        .select((booking_events::at, booking_events::actor, booking_events::kind, booking_events::detail))
        .load::<(DbTime, String, String, Option<String>)>(conn)?
        .into_iter()
        .map(|(at, actor, kind, detail)| BookingEvent { at: at.0, actor, kind, detail })
        .collect())
}
