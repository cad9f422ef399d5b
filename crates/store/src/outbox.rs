//! The transactional outbox (DESIGN.md §4.2): messages are written in the transaction of
//! the booking change that causes them, and workers claim, send and settle them.
//!
//! A worker claims due messages under a lease: on PostgreSQL with `FOR UPDATE SKIP
//! LOCKED`, so concurrent workers take disjoint batches without waiting for each other;
//! on SQLite, write transactions run one at a time anyway. A worker that dies leaves its
//! lease to run out, and the message becomes claimable again: delivery is at least once,
//! and the stable `Message-ID` lets a mail system recognise a repeat.

use crate::schema::{bookings, outbox, slots};
use crate::sql_types::{DbId, DbTime};
use crate::{DbConnection, Result, StoreError};
use aukiolo_domain::booking::{Booking, BookingRules, BookingStatus};
use aukiolo_domain::outbox::{MessageKind, MessageStatus, RetryPolicy};
use aukiolo_domain::{BookingId, MessageId};
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

pub use aukiolo_domain::outbox::{CalendarVersion, Message, NewMessage, OutboxCounts, Payload};

#[derive(Queryable, Selectable)]
#[diesel(table_name = outbox)]
struct MessageRow {
    id: DbId,
    kind: String,
    booking_id: Option<DbId>,
    recipient: String,
    locale: String,
    payload: String,
    due_at: DbTime,
    status: String,
    attempts: i32,
    last_error: Option<String>,
    created_at: DbTime,
    sent_at: Option<DbTime>,
}

impl MessageRow {
    fn into_domain(self) -> Result<Message> {
        let corrupt = |what: &str, v: &str| StoreError::Corrupt(format!("outbox {what} `{v}`"));
        Ok(Message {
            id: self.id.into(),
            kind: MessageKind::parse(&self.kind).ok_or_else(|| corrupt("kind", &self.kind))?,
            booking_id: self.booking_id.map(Into::into),
            recipient: self.recipient,
            locale: self.locale.parse().map_err(|_| corrupt("locale", &self.locale))?,
            payload: crate::json::from_text("outbox.payload", &self.payload)?,
            due_at: self.due_at.0,
            status: MessageStatus::parse(&self.status).ok_or_else(|| corrupt("status", &self.status))?,
            attempts: u32::try_from(self.attempts).unwrap_or(0),
            last_error: self.last_error,
            created_at: self.created_at.0,
            sent_at: self.sent_at.map(|t| t.0),
        })
    }
}

const WAITING: [&str; 2] = ["pending", "failed"];

/// Writes a message; call it inside the transaction of the change that causes it.
pub fn enqueue(conn: &mut DbConnection, new: &NewMessage, now: DateTime<Utc>) -> Result<MessageId> {
    Ok(enqueue_all(conn, std::slice::from_ref(new), now)?[0])
}

/// Queues several messages at once (a confirmation and its reminders).
pub(crate) fn enqueue_all(
    conn: &mut DbConnection,
    messages: &[NewMessage],
    now: DateTime<Utc>,
) -> Result<Vec<MessageId>> {
    // Time-ordered ids keep the messages of one change in the order they were written.
    let ids: Vec<MessageId> = messages.iter().map(|_| MessageId(uuid::Uuid::now_v7())).collect();
    let rows: Vec<_> = messages
        .iter()
        .zip(&ids)
        .map(|(new, id)| {
            (
                outbox::id.eq(DbId::from(*id)),
                outbox::kind.eq(new.kind.as_str()),
                outbox::booking_id.eq(new.booking_id.map(DbId::from)),
                outbox::recipient.eq(&new.recipient),
                outbox::locale.eq(new.locale.as_str()),
                outbox::payload.eq(crate::json::to_text(&new.payload)),
                outbox::due_at.eq(DbTime(new.due_at)),
                outbox::status.eq(MessageStatus::Pending.as_str()),
                outbox::attempts.eq(0),
                outbox::created_at.eq(DbTime(now)),
            )
        })
        .collect();
    // One round trip on PostgreSQL; SQLite runs in the process, and diesel cannot batch
    // inserts through the connection of both backends.
    match conn {
        DbConnection::Pg(pg) => {
            diesel::insert_into(outbox::table).values(rows).execute(pg)?;
        }
        DbConnection::Sqlite(sqlite) => {
            for row in rows {
                diesel::insert_into(outbox::table).values(row).execute(sqlite)?;
            }
        }
    }
    Ok(ids)
}

/// The calendar event version of a booking: the UID of the first booking of its
/// reschedule chain, and one more sequence step per move and for a cancellation.
pub fn calendar_version(conn: &mut DbConnection, b: &Booking) -> Result<CalendarVersion> {
    let mut root = b.id;
    let mut sequence = 0u32;
    let mut previous = b.rescheduled_from;
    while let Some(p) = previous {
        root = p;
        sequence += 1;
        previous = bookings::table
            .find(DbId::from(p))
            .select(bookings::rescheduled_from)
            .first::<Option<DbId>>(conn)?
            .map(Into::into);
    }
    if matches!(b.status, BookingStatus::CancelledByCitizen | BookingStatus::CancelledByOffice) {
        sequence += 1;
    }
    Ok(CalendarVersion { uid: format!("{root}@aukiolo"), sequence })
}

fn booking_message(b: &Booking, kind: MessageKind, payload: Payload, due_at: DateTime<Utc>) -> NewMessage {
    NewMessage {
        kind,
        booking_id: Some(b.id),
        recipient: b.email.clone(),
        locale: b.language,
        payload,
        due_at,
    }
}

/// A booking was made (`Confirmation`) or moved here (`Rescheduled`): tell the citizen
/// now, and remind them at the office's reminder times still ahead.
pub(crate) fn booking_made(
    conn: &mut DbConnection,
    b: &Booking,
    rules: &BookingRules,
    kind: MessageKind,
    now: DateTime<Utc>,
) -> Result<()> {
    let calendar = calendar_version(conn, b)?;
    let payload = Payload { calendar: Some(calendar), ..Payload::default() };
    let mut messages = vec![booking_message(b, kind, payload.clone(), now)];
    for at in rules.reminders(b.start, now) {
        messages.push(booking_message(b, MessageKind::Reminder, payload.clone(), at));
    }
    enqueue_all(conn, &messages, now)?;
    Ok(())
}

/// The citizen asked for the booking's link again: the confirmation once more, with the
/// calendar event as it stands (the same UID and sequence, so calendars keep one event).
pub fn resend_confirmation(conn: &mut DbConnection, b: &Booking, now: DateTime<Utc>) -> Result<MessageId> {
    let payload = Payload { calendar: Some(calendar_version(conn, b)?), ..Payload::default() };
    enqueue(conn, &booking_message(b, MessageKind::Confirmation, payload, now), now)
}

/// A booking's status changed: unsent messages about its time are void unless it is
/// still booked, a cancellation is told (with the office's reason), and a phone
/// appointment not reached is told how to book again.
pub(crate) fn status_changed(conn: &mut DbConnection, b: &Booking, now: DateTime<Utc>) -> Result<()> {
    if b.status == BookingStatus::Booked {
        return Ok(());
    }
    void_unsent(conn, b.id, &format!("booking {}", b.status.as_str()))?;
    if b.status == BookingStatus::Completed {
        crate::questionnaires::invite_after_visit(conn, b, now)?;
    }
    if b.status == BookingStatus::NotReached {
        // How to book again; no invite: the time has come and gone.
        enqueue(conn, &booking_message(b, MessageKind::NotReached, Payload::default(), now), now)?;
    }
    if b.status.holds_slot() {
        return Ok(());
    }
    let reason = (b.status == BookingStatus::CancelledByOffice).then(|| b.cancel_reason.clone()).flatten();
    let payload = Payload { calendar: Some(calendar_version(conn, b)?), reason, ..Payload::default() };
    enqueue(conn, &booking_message(b, MessageKind::Cancelled, payload, now), now)?;
    Ok(())
}

/// Voids the booking's messages about its time that have not gone out (confirmation,
/// update, reminders): once it is moved or no longer booked they would mislead.
pub(crate) fn void_unsent(conn: &mut DbConnection, booking: BookingId, why: &str) -> Result<()> {
    let about_the_time = [MessageKind::Confirmation, MessageKind::Rescheduled, MessageKind::Reminder];
    void_unsent_of(conn, booking, &about_the_time, why)
}

/// Voids the booking's unsent messages of these kinds.
pub(crate) fn void_unsent_of(
    conn: &mut DbConnection,
    booking: BookingId,
    kinds: &[MessageKind],
    why: &str,
) -> Result<()> {
    let kinds: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    diesel::update(
        outbox::table
            .filter(outbox::booking_id.eq(DbId::from(booking)))
            .filter(outbox::kind.eq_any(kinds))
            .filter(outbox::status.eq_any(WAITING)),
    )
    .set((
        outbox::status.eq(MessageStatus::Void.as_str()),
        outbox::last_error.eq(format!("void: {why}")),
        outbox::lease_owner.eq(None::<String>),
        outbox::lease_until.eq(None::<DbTime>),
    ))
    .execute(conn)?;
    Ok(())
}

fn load_ids(conn: &mut DbConnection, ids: &[DbId]) -> Result<Vec<Message>> {
    outbox::table
        .filter(outbox::id.eq_any(ids))
        .order((outbox::due_at, outbox::id))
        .select(MessageRow::as_select())
        .load(conn)?
        .into_iter()
        .map(MessageRow::into_domain)
        .collect()
}

/// Due reminders of bookings whose time the calendar no longer offers (a slot in
/// conflict) are not sent: they would remind of a time the office does not keep. Held
/// until due, they go out as usual if the conflict is resolved in time (a move gives the
/// new booking its own reminders; cancelling voids them); at their time, still in
/// conflict, they are void.
fn void_held_reminders(conn: &mut DbConnection, now: DateTime<Utc>) -> Result<usize> {
    let in_conflict = slots::table.filter(slots::conflict.is_not_null()).select(slots::booking_id);
    Ok(diesel::update(
        outbox::table
            .filter(outbox::kind.eq(MessageKind::Reminder.as_str()))
            .filter(outbox::status.eq_any(WAITING))
            .filter(outbox::due_at.le(DbTime(now)))
            .filter(outbox::lease_until.is_null().or(outbox::lease_until.lt(DbTime(now))))
            .filter(outbox::booking_id.eq_any(in_conflict)),
    )
    .set((
        outbox::status.eq(MessageStatus::Void.as_str()),
        outbox::last_error.eq("void: the booked time is in conflict"),
        outbox::lease_owner.eq(None::<String>),
        outbox::lease_until.eq(None::<DbTime>),
    ))
    .execute(conn)?)
}

/// Takes up to `limit` due messages for `worker` until `now + lease`, counting a try for
/// each. Messages under another worker's live lease are not taken, nor reminders of a
/// time in conflict (see `void_held_reminders`).
pub fn claim(
    conn: &mut DbConnection,
    worker: &str,
    limit: i64,
    lease: Duration,
    now: DateTime<Utc>,
) -> Result<Vec<Message>> {
    let claimable = || {
        outbox::table
            .filter(outbox::status.eq_any(WAITING))
            .filter(outbox::due_at.le(DbTime(now)))
            .filter(outbox::lease_until.is_null().or(outbox::lease_until.lt(DbTime(now))))
    };
    // Idle workers look without writing, so they never queue behind bookings for nothing.
    let any: Option<DbId> = claimable().select(outbox::id).first(conn).optional()?;
    if any.is_none() {
        return Ok(Vec::new());
    }
    crate::write_transaction(conn, |conn| {
        void_held_reminders(conn, now)?;
        let due = claimable().order(outbox::due_at).limit(limit).select(outbox::id);
        let ids: Vec<DbId> = match conn {
            DbConnection::Pg(pg) => due.for_update().skip_locked().load(pg)?,
            DbConnection::Sqlite(sqlite) => due.load(sqlite)?,
        };
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
            .set((
                outbox::lease_owner.eq(worker),
                outbox::lease_until.eq(DbTime(now + lease)),
                outbox::attempts.eq(outbox::attempts + 1),
            ))
            .execute(conn)?;
        load_ids(conn, &ids)
    })
}

/// Marks messages sent. A message another worker already settled stays as it is.
pub fn mark_sent(conn: &mut DbConnection, ids: &[MessageId], now: DateTime<Utc>) -> Result<usize> {
    let ids: Vec<DbId> = ids.iter().copied().map(DbId::from).collect();
    crate::write_transaction(conn, |conn| {
        // A sent invitation's link secret is of no more use here: only the citizen keeps it.
        diesel::update(
            outbox::table
                .filter(outbox::id.eq_any(&ids))
                .filter(outbox::status.eq_any(WAITING))
                .filter(outbox::kind.eq(MessageKind::QuestionnaireInvitation.as_str())),
        )
        .set(outbox::payload.eq(crate::json::to_text(&Payload::default())))
        .execute(conn)?;
        Ok(diesel::update(
            outbox::table.filter(outbox::id.eq_any(&ids)).filter(outbox::status.eq_any(WAITING)),
        )
        .set((
            outbox::status.eq(MessageStatus::Sent.as_str()),
            outbox::sent_at.eq(Some(DbTime(now))),
            outbox::last_error.eq(None::<String>),
            outbox::lease_owner.eq(None::<String>),
            outbox::lease_until.eq(None::<DbTime>),
        ))
        .execute(conn)?)
    })
}

/// Hands claimed messages back untried (a worker that ran out of lease time, or could not
/// read what they are about): claimable again at once, and the claim not counted as a try.
pub fn release(conn: &mut DbConnection, ids: &[MessageId], worker: &str) -> Result<usize> {
    let ids: Vec<DbId> = ids.iter().copied().map(DbId::from).collect();
    crate::write_transaction(conn, |conn| {
        Ok(diesel::update(
            outbox::table
                .filter(outbox::id.eq_any(&ids))
                .filter(outbox::lease_owner.eq(worker))
                .filter(outbox::status.eq_any(WAITING)),
        )
        .set((
            outbox::attempts.eq(outbox::attempts - 1),
            outbox::lease_owner.eq(None::<String>),
            outbox::lease_until.eq(None::<DbTime>),
        ))
        .execute(conn)?)
    })
}

/// Records a failed try by `worker`: due again after the policy's backoff, or dead when
/// the budget is spent. Returns the new status, or `None` if the worker had lost its lease
/// (another worker has the message now and settles it).
pub fn mark_failed(
    conn: &mut DbConnection,
    id: MessageId,
    worker: &str,
    error: &str,
    policy: &RetryPolicy,
    now: DateTime<Utc>,
) -> Result<Option<MessageStatus>> {
    crate::write_transaction(conn, |conn| {
        let mine = outbox::table
            .find(DbId::from(id))
            .filter(outbox::lease_owner.eq(worker))
            .filter(outbox::status.eq_any(WAITING));
        let Some(attempts) = mine.clone().select(outbox::attempts).first::<i32>(conn).optional()? else {
            return Ok(None);
        };
        let spread = id.0.as_u64_pair().1;
        let (status, due) = match policy.next_delay(u32::try_from(attempts).unwrap_or(u32::MAX), spread) {
            Some(delay) => (MessageStatus::Failed, now + delay),
            None => (MessageStatus::Dead, now),
        };
        // Long SMTP answers are cut: the start says what went wrong.
        let error: String = error.chars().take(1000).collect();
        diesel::update(mine)
            .set((
                outbox::status.eq(status.as_str()),
                outbox::due_at.eq(DbTime(due)),
                outbox::last_error.eq(Some(error)),
                outbox::lease_owner.eq(None::<String>),
                outbox::lease_until.eq(None::<DbTime>),
            ))
            .execute(conn)?;
        Ok(Some(status))
    })
}

/// Sets a claimed message aside unsent because it no longer applies (a reminder whose
/// booking was changed in a way that did not void it).
pub fn mark_void(conn: &mut DbConnection, id: MessageId, why: &str) -> Result<()> {
    crate::write_transaction(conn, |conn| {
        diesel::update(outbox::table.find(DbId::from(id)).filter(outbox::status.eq_any(WAITING)))
            .set((
                outbox::status.eq(MessageStatus::Void.as_str()),
                outbox::last_error.eq(Some(format!("void: {why}"))),
                outbox::lease_owner.eq(None::<String>),
                outbox::lease_until.eq(None::<DbTime>),
            ))
            .execute(conn)?;
        Ok(())
    })
}

/// An operator's retry of a failed or dead message: due now, with a fresh budget.
pub fn retry(conn: &mut DbConnection, id: MessageId, now: DateTime<Utc>) -> Result<Message> {
    crate::write_transaction(conn, |conn| {
        let current = get(conn, id)?;
        if !matches!(current.status, MessageStatus::Failed | MessageStatus::Dead) {
            return Err(StoreError::Conflict(format!(
                "only failed or dead messages can be retried; this one is {}",
                current.status.as_str()
            )));
        }
        let leased: Option<Option<DbTime>> =
            outbox::table.find(DbId::from(id)).select(outbox::lease_until).first(conn).optional()?;
        if leased.flatten().is_some_and(|until| until.0 > now) {
            return Err(StoreError::Conflict("a worker is trying this message right now".into()));
        }
        diesel::update(outbox::table.find(DbId::from(id)))
            .set((
                outbox::status.eq(MessageStatus::Pending.as_str()),
                outbox::due_at.eq(DbTime(now)),
                outbox::attempts.eq(0),
                outbox::lease_owner.eq(None::<String>),
                outbox::lease_until.eq(None::<DbTime>),
            ))
            .execute(conn)?;
        get(conn, id)
    })
}

pub fn get(conn: &mut DbConnection, id: MessageId) -> Result<Message> {
    outbox::table
        .find(DbId::from(id))
        .select(MessageRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound("message"))?
        .into_domain()
}

/// Messages, newest first, optionally of one status.
pub fn list(
    conn: &mut DbConnection,
    status: Option<MessageStatus>,
    limit: i64,
    offset: i64,
) -> Result<Vec<Message>> {
    let mut q = outbox::table.select(MessageRow::as_select()).into_boxed();
    if let Some(s) = status {
        q = q.filter(outbox::status.eq(s.as_str()));
    }
    q.order((outbox::created_at.desc(), outbox::id.desc()))
        .limit(limit)
        .offset(offset)
        .load(conn)?
        .into_iter()
        .map(MessageRow::into_domain)
        .collect()
}

/// The messages of one booking, oldest first (for tests).
#[cfg(any(test, feature = "test-support"))]
pub fn for_booking(conn: &mut DbConnection, booking: BookingId) -> Result<Vec<Message>> {
    outbox::table
        .filter(outbox::booking_id.eq(DbId::from(booking)))
        .order((outbox::created_at, outbox::id))
        .select(MessageRow::as_select())
        .load(conn)?
        .into_iter()
        .map(MessageRow::into_domain)
        .collect()
}

pub fn counts(conn: &mut DbConnection, now: DateTime<Utc>) -> Result<OutboxCounts> {
    let rows: Vec<(String, i64)> = outbox::table
        .group_by(outbox::status)
        .select((outbox::status, diesel::dsl::count_star()))
        .load(conn)?;
    let of = |s: MessageStatus| rows.iter().find(|(k, _)| k == s.as_str()).map_or(0, |(_, n)| *n);
    let oldest_due: Option<DbTime> = outbox::table
        .filter(outbox::status.eq_any(WAITING))
        .filter(outbox::due_at.le(DbTime(now)))
        .select(outbox::due_at)
        .order(outbox::due_at)
        .first(conn)
        .optional()?;
    Ok(OutboxCounts {
        pending: of(MessageStatus::Pending),
        failed: of(MessageStatus::Failed),
        sent: of(MessageStatus::Sent),
        dead: of(MessageStatus::Dead),
        void: of(MessageStatus::Void),
        oldest_due: oldest_due.map(|t| t.0),
    })
}
