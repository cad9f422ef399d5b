//! Materialised slots: generated from the calendar for a rolling horizon, idempotently.
//!
//! Refreshing never deletes, moves or changes a booked (or blocked) slot. When the calendar
//! stops offering a booked time (absence, closure, holiday, changed template), the slot
//! keeps its booking and gets a `conflict` reason the office sees and acts on.

use crate::schema::slots;
use crate::sql_types::{DbId, DbTime};
use crate::{DbConnection, Pool, Result, StoreError};
use aukiolo_domain::slot_refresh;
use aukiolo_domain::slots::{AdvisorCalendar, ConflictBooking, Slot, SlotState, Unavailability};
use aukiolo_domain::{AdvisorId, OfficeId, SlotId};
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use std::collections::HashMap;

pub use aukiolo_domain::slots::ConflictSummary;

/// How far ahead slots exist, seen from `now`.
#[derive(Clone, Copy, Debug)]
pub struct Horizon {
    pub now: DateTime<Utc>,
    /// Number of local days, today included.
    pub days: u32,
}

impl Horizon {
    pub fn weeks(now: DateTime<Utc>, weeks: u32) -> Self {
        Horizon { now, days: weeks * 7 }
    }
}

/// What one refresh changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RefreshStats {
    pub created: usize,
    pub updated: usize,
    pub removed: usize,
    /// Booked slots the calendar no longer offers, after the refresh.
    pub conflicts: usize,
}

impl std::ops::AddAssign for RefreshStats {
    fn add_assign(&mut self, o: Self) {
        self.created += o.created;
        self.updated += o.updated;
        self.removed += o.removed;
        self.conflicts += o.conflicts;
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = slots)]
struct SlotRow {
    id: DbId,
    advisor_id: DbId,
    office_id: DbId,
    starts_at: DbTime,
    ends_at: DbTime,
    channel: String,
    state: String,
    booking_id: Option<DbId>,
    conflict: Option<String>,
}

impl SlotRow {
    fn into_domain(self) -> Result<Slot> {
        Ok(Slot {
            id: self.id.into(),
            advisor_id: self.advisor_id.into(),
            office_id: self.office_id.into(),
            start: self.starts_at.0,
            end: self.ends_at.0,
            channel: self.channel.parse().map_err(StoreError::Corrupt)?,
            state: SlotState::parse(&self.state)
                .ok_or_else(|| StoreError::Corrupt(format!("slot state `{}`", self.state)))?,
            booking_id: self.booking_id.map(|b| b.0),
            conflict: match self.conflict {
                None => None,
                Some(c) => Some(
                    Unavailability::parse(&c)
                        .ok_or_else(|| StoreError::Corrupt(format!("slot conflict `{c}`")))?,
                ),
            },
        })
    }
}

/// A slot row to write: open from the calendar, or booked when history is imported.
#[derive(Insertable)]
#[diesel(table_name = slots)]
pub(crate) struct NewSlot {
    pub id: DbId,
    pub advisor_id: DbId,
    pub office_id: DbId,
    pub starts_at: DbTime,
    pub ends_at: DbTime,
    pub channel: &'static str,
    pub state: &'static str,
    pub booking_id: Option<DbId>,
}

/// How a calendar change or a booking holds an advisor.
#[derive(Clone, Copy)]
enum AdvisorLock {
    Update,
    KeyShare,
}

/// Row locks on advisors in one statement, taken in id order so two transactions never
/// wait for each other in a circle (PostgreSQL; SQLite has one writer at a time).
fn lock_advisor_rows(conn: &mut DbConnection, advisors: &[AdvisorId], lock: AdvisorLock) -> Result<()> {
    use crate::schema::advisors as a;
    if let DbConnection::Pg(pg) = conn {
        if advisors.is_empty() {
            return Ok(());
        }
        let ids: Vec<DbId> = advisors.iter().map(|id| DbId::from(*id)).collect();
        let rows = a::table.filter(a::id.eq_any(&ids)).order(a::id).select(a::id);
        match lock {
            AdvisorLock::Update => rows.for_update().load::<DbId>(pg)?,
            AdvisorLock::KeyShare => rows.for_key_share().load::<DbId>(pg)?,
        };
    }
    Ok(())
}

/// Serialises calendar changes of these advisors across processes. Every calendar change
/// takes this first, before it writes anything that refers to an advisor: such a write
/// takes a key-share lock, and two transactions each holding one and waiting for the
/// other's `FOR UPDATE` deadlock.
pub(crate) fn lock_advisors(conn: &mut DbConnection, advisors: &[AdvisorId]) -> Result<()> {
    lock_advisor_rows(conn, advisors, AdvisorLock::Update)
}

/// Keeps these advisors from calendar changes until the transaction ends, while letting
/// other bookings through (`FOR KEY SHARE`). A booking takes it before it claims slots: a
/// refresh holding the advisor `FOR UPDATE` would otherwise wait for the claimed slot
/// while the booking waits for the advisor.
pub(crate) fn share_advisors(conn: &mut DbConnection, advisors: &[AdvisorId]) -> Result<()> {
    lock_advisor_rows(conn, advisors, AdvisorLock::KeyShare)
}

/// Locks every advisor of these offices, as `lock_advisors` does.
pub(crate) fn lock_offices(conn: &mut DbConnection, offices: &[OfficeId]) -> Result<()> {
    let ids: Vec<DbId> = offices.iter().map(|o| DbId::from(*o)).collect();
    let advisors: Vec<DbId> = crate::schema::advisors::table
        .filter(crate::schema::advisors::office_id.eq_any(&ids))
        .select(crate::schema::advisors::id)
        .load(conn)?;
    lock_advisors(conn, &advisors.into_iter().map(AdvisorId::from).collect::<Vec<_>>())
}

/// Deletes a slot unless a booking took it meanwhile.
fn delete_if_open(conn: &mut DbConnection, slot: DbId) -> Result<usize> {
    Ok(diesel::delete(slots::table.find(slot).filter(slots::state.eq("open"))).execute(conn)?)
}

/// Brings one advisor's future slots in line with the calendar, in one transaction: reads
/// the calendar and the slots from now on, plans (`slot_refresh`), applies the plan.
pub fn refresh_advisor(
    conn: &mut DbConnection,
    advisor_id: AdvisorId,
    horizon: &Horizon,
) -> Result<RefreshStats> {
    crate::write_transaction(conn, |conn| {
        lock_advisors(conn, &[advisor_id])?;
        let advisor = crate::advisors::get(conn, advisor_id)?;
        let office = crate::offices::get(conn, advisor.fields.office_id)?;
        let tz = office.fields.tz();
        let today = horizon.now.with_timezone(&tz).date_naive();
        let last = today + Duration::days(i64::from(horizon.days.max(1)) - 1);
        let rules: Vec<_> = crate::schedule_rules::list_for_advisor(conn, advisor_id)?
            .into_iter()
            .map(|r| r.fields)
            .collect();
        let absences: Vec<_> = crate::absences::list_for_advisor(conn, advisor_id, Some(horizon.now))?
            .into_iter()
            .map(|a| a.fields)
            .collect();
        let closures: Vec<_> = crate::closures::list_for_office(conn, office.id, Some(today))?
            .into_iter()
            .map(|c| c.fields)
            .collect();
        let calendar = AdvisorCalendar { tz, rules: &rules, absences: &absences, closures: &closures };
        let active = advisor.fields.active;
        let existing = slots::table
            .filter(slots::advisor_id.eq(DbId::from(advisor_id)))
            .filter(slots::starts_at.ge(DbTime(horizon.now)))
            .select(SlotRow::as_select())
            .load(conn)?
            .into_iter()
            .map(SlotRow::into_domain)
            .collect::<Result<Vec<_>>>()?;

        let desired = slot_refresh::desired(&calendar, active, today, last, horizon.now);
        let plan =
            slot_refresh::diff(&desired, &existing, |s| slot_refresh::booked_reason(&calendar, active, s));
        apply(conn, advisor_id, office.id, plan, horizon.now)
    })
}

/// Carries out a refresh's plan; an open slot booked meanwhile is not removed or reshaped.
fn apply(
    conn: &mut DbConnection,
    advisor: AdvisorId,
    office: OfficeId,
    plan: slot_refresh::Plan,
    now: DateTime<Utc>,
) -> Result<RefreshStats> {
    use slot_refresh::Change;
    let mut stats = RefreshStats { conflicts: plan.conflicts, ..RefreshStats::default() };
    let mut new = Vec::new();
    for change in plan.changes {
        let row = |slot: SlotId| slots::table.find(DbId::from(slot));
        match change {
            Change::Remove(slot) => stats.removed += delete_if_open(conn, slot.into())?,
            Change::Reshape { slot, end, channel } => {
                diesel::update(row(slot).filter(slots::state.eq("open")))
                    .set((slots::ends_at.eq(DbTime(end)), slots::channel.eq(channel.as_str())))
                    .execute(conn)?;
                stats.updated += 1;
            }
            Change::ConflictAppeared { slot, reason } => {
                diesel::update(row(slot))
                    .set((slots::conflict.eq(reason.as_str()), slots::conflict_since.eq(DbTime(now))))
                    .execute(conn)?;
            }
            Change::ConflictReason { slot, reason } => {
                diesel::update(row(slot)).set(slots::conflict.eq(reason.as_str())).execute(conn)?;
            }
            Change::ConflictResolved(slot) => {
                diesel::update(row(slot))
                    .set((slots::conflict.eq(None::<&str>), slots::conflict_since.eq(None::<DbTime>)))
                    .execute(conn)?;
            }
            Change::Create(s) => new.push(NewSlot {
                id: DbId::from(SlotId::new()),
                advisor_id: advisor.into(),
                office_id: office.into(),
                starts_at: DbTime(s.start),
                ends_at: DbTime(s.end),
                channel: s.channel.as_str(),
                state: "open",
                booking_id: None,
            }),
        }
    }
    // Batch inserts are not available through the combined connection.
    for chunk in new.chunks(500) {
        let insert = diesel::insert_into(slots::table).values(chunk);
        stats.created += match conn {
            DbConnection::Pg(pg) => insert.execute(pg)?,
            DbConnection::Sqlite(lite) => insert.execute(lite)?,
        };
    }
    Ok(stats)
}

/// Refreshes every advisor of an office (after a closure changes).
pub fn refresh_office(conn: &mut DbConnection, office: OfficeId, horizon: &Horizon) -> Result<RefreshStats> {
    lock_offices(conn, &[office])?;
    let mut stats = RefreshStats::default();
    for advisor in crate::advisors::list_for_office(conn, office)? {
        stats += refresh_advisor(conn, advisor.id, horizon)?;
    }
    Ok(stats)
}

/// Refreshes every advisor, each in its own transaction: the rolling horizon moves on
/// and one advisor's failure does not hold back the others.
pub fn refresh_all(pool: &Pool, horizon: &Horizon) -> Result<RefreshStats> {
    let mut conn = pool.get()?;
    let ids: Vec<DbId> =
        crate::schema::advisors::table.select(crate::schema::advisors::id).load(&mut conn)?;
    let mut stats = RefreshStats::default();
    let mut first_error = None;
    for id in ids {
        match refresh_advisor(&mut conn, id.into(), horizon) {
            Ok(s) => stats += s,
            Err(e) => {
                tracing::error!(advisor = %id.0, error = %e, "slot refresh failed");
                first_error.get_or_insert(e);
            }
        }
    }
    match first_error {
        Some(e) => Err(e),
        None => Ok(stats),
    }
}

/// Whose slots a listing is of.
enum Owner {
    Office(OfficeId),
    Advisor(AdvisorId),
}

/// The slots of an office or an advisor starting in `[from, to)`, by time then advisor.
fn list(conn: &mut DbConnection, owner: Owner, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Slot>> {
    let query = slots::table
        .filter(slots::starts_at.ge(DbTime(from)))
        .filter(slots::starts_at.lt(DbTime(to)))
        .select(SlotRow::as_select())
        .order((slots::starts_at, slots::advisor_id))
        .into_boxed();
    let query = match owner {
        Owner::Office(office) => query.filter(slots::office_id.eq(DbId::from(office))),
        Owner::Advisor(advisor) => query.filter(slots::advisor_id.eq(DbId::from(advisor))),
    };
    query.load(conn)?.into_iter().map(SlotRow::into_domain).collect()
}

/// The slots of an office starting in `[from, to)`, by time then advisor.
pub fn list_for_office(
    conn: &mut DbConnection,
    office: OfficeId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Slot>> {
    list(conn, Owner::Office(office), from, to)
}

/// The slots of one advisor on `[from, to)`, by time.
pub fn list_for_advisor(
    conn: &mut DbConnection,
    advisor: AdvisorId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Slot>> {
    list(conn, Owner::Advisor(advisor), from, to)
}

/// Bookings of an office that the calendar no longer offers a time of theirs, from `now`
/// on: one entry per booking however many of its slots are in conflict, by start.
pub fn conflict_bookings(
    conn: &mut DbConnection,
    office: OfficeId,
    now: DateTime<Utc>,
) -> Result<Vec<ConflictBooking>> {
    let rows: Vec<(DbId, Option<String>, Option<DbTime>)> = slots::table
        .filter(slots::office_id.eq(DbId::from(office)))
        .filter(slots::starts_at.ge(DbTime(now)))
        .filter(slots::conflict.is_not_null())
        .filter(slots::booking_id.is_not_null())
        .select((slots::booking_id.assume_not_null(), slots::conflict, slots::conflict_since))
        .order((slots::starts_at, slots::id))
        .load(conn)?;
    let ids: Vec<DbId> = rows.iter().map(|(b, ..)| *b).collect();
    // The whole time of each booking, from all its slots.
    let mut held: HashMap<DbId, (DbId, String, DbTime, DbTime)> = HashMap::new();
    let all_slots: Vec<(DbId, DbId, String, DbTime, DbTime)> = slots::table
        .filter(slots::booking_id.eq_any(&ids))
        .select((
            slots::booking_id.assume_not_null(),
            slots::advisor_id,
            slots::channel,
            slots::starts_at,
            slots::ends_at,
        ))
        .load(conn)?;
    for (booking, advisor, channel, start, end) in all_slots {
        let entry = held.entry(booking).or_insert((advisor, channel, start, end));
        entry.2 = entry.2.min(start);
        entry.3 = entry.3.max(end);
    }
    let mut out: Vec<ConflictBooking> = Vec::new();
    for (booking, conflict, since) in rows {
        let corrupt =
            |what: &str| StoreError::Corrupt(format!("slot conflict of booking {}: {what}", booking.0));
        let reason = conflict.as_deref().and_then(Unavailability::parse).ok_or_else(|| corrupt("reason"))?;
        let since = since.ok_or_else(|| corrupt("no time"))?.0;
        if let Some(seen) = out.iter_mut().find(|c| DbId::from(c.booking_id) == booking) {
            seen.since = seen.since.min(since);
            continue;
        }
        let (advisor, channel, start, end) = held.remove(&booking).ok_or_else(|| corrupt("no slots"))?;
        out.push(ConflictBooking {
            booking_id: booking.into(),
            advisor_id: advisor.into(),
            office_id: office,
            channel: channel.parse().map_err(StoreError::Corrupt)?,
            start: start.0,
            end: end.0,
            reason,
            since,
        });
    }
    Ok(out)
}

/// The office's open conflicts from `now` on, counted by booking, and the new ones.
pub fn conflict_summary(
    conn: &mut DbConnection,
    office: OfficeId,
    now: DateTime<Utc>,
    since: DateTime<Utc>,
) -> Result<ConflictSummary> {
    let all = conflict_bookings(conn, office, now)?;
    let appeared_since = all.iter().filter(|c| c.since >= since).map(|c| c.booking_id).collect();
    let oldest = all.iter().map(|c| c.since).min();
    Ok(ConflictSummary { open: all.len(), appeared_since, oldest })
}

pub(crate) fn future_booked_count(
    conn: &mut DbConnection,
    advisor: AdvisorId,
    now: DateTime<Utc>,
) -> Result<i64> {
    Ok(slots::table
        .filter(slots::advisor_id.eq(DbId::from(advisor)))
        .filter(slots::starts_at.ge(DbTime(now)))
        .filter(slots::state.eq("booked"))
        .count()
        .get_result(conn)?)
}

/// Claims an open slot for a booking. The conditional update lets exactly one of any
/// number of concurrent claimants win (DESIGN.md §4.1); the others get `false`. Tests and
/// the benchmark race it; bookings claim through `bookings`.
#[cfg(any(test, feature = "test-support"))]
pub fn claim(conn: &mut DbConnection, slot: SlotId, booking: uuid::Uuid) -> Result<bool> {
    let n = diesel::update(
        slots::table
            .find(DbId::from(slot))
            .filter(slots::state.eq("open"))
            .filter(slots::booking_id.is_null()),
    )
    .set((slots::state.eq("booked"), slots::booking_id.eq(Some(DbId(booking)))))
    .execute(conn)?;
    Ok(n == 1)
}
