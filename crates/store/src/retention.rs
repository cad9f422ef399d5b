//! Retention (DESIGN.md §4.7): personal data goes once it has served its purpose, and
//! every aggregate stays.
//!
//! One run takes, in this order:
//! 1. questionnaire invitations that were answered or have expired (or whose booking
//!    goes in step 3) lose their link to the booking; what the response rate needs of
//!    them (when sent, whether answered) stays on the booking;
//! 2. messages sent, dead or void before the outbox cut-off are deleted (recipient,
//!    payload with its link token, last error);
//! 3. bookings whose visit started before the bookings cut-off lose their personal data:
//!    name, identity code and its look-up hash, e-mail, phone, matter, needs and
//!    cancellation reason; their events lose their free-text details, their idempotency
//!    keys (a hash of the request, identity code included) and their remaining messages
//!    are deleted. Times, statuses, topic, channel, office, advisor, events' kinds and
//!    instants, assessments, call attempts and walk-ins stay: the metrics read them;
//! 4. audit entries older than the audit cut-off are deleted;
//! 5. free-text answers of questionnaire responses from weeks before the bookings cut-off
//!    are cleared (the metrics never read them; the coded answers stay).
//!
//! Each step selects what it takes first, then works through it in batches, each batch
//! in a write transaction whose statements repeat the step's conditions, so a run is
//! idempotent, can be interrupted anywhere, and never holds the write lock for long.
//! [`plan`] counts with the very same selections and changes nothing. Cut-offs come from
//! the `now` the caller passes (its [`crate::clock::Clock`]), never from the wall clock.

use crate::schema::{
    audit_log, booking_events, bookings, idempotency_keys, outbox, questionnaire_invitations,
    questionnaire_responses, response_answers,
};
use crate::sql_types::{DbId, DbTime};
use crate::{DbConnection, Result, StoreError};
use chrono::{DateTime, Duration, Months, Utc};
use diesel::prelude::*;

/// Rows per transaction: small enough that a purge never holds SQLite's write lock for
/// long, and well under both backends' limits on bound parameters.
const BATCH: usize = 500;

/// Outbox statuses that are settled: nothing will be sent any more.
const SETTLED: [&str; 3] = ["sent", "dead", "void"];

/// Any constant: on PostgreSQL, one replica at a time purges under this session lock.
const PG_PURGE_LOCK: i64 = 27_444_201_610;

/// How long each kind of data is kept, as configured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Periods {
    /// A booking's personal data, counted from the start of its visit.
    pub bookings_months: u32,
    /// An audit entry, counted from when it was written.
    pub audit_months: u32,
    /// A settled (sent, dead or void) message, counted from when it was written.
    pub outbox_days: u32,
}

/// The instants before which each kind of data goes, at one `now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cutoffs {
    pub now: DateTime<Utc>,
    pub bookings: DateTime<Utc>,
    pub audit: DateTime<Utc>,
    pub outbox: DateTime<Utc>,
}

impl Cutoffs {
    /// The cut-offs of `periods` as of `now` (calendar months back, in UTC).
    pub fn at(now: DateTime<Utc>, periods: &Periods) -> Result<Self> {
        let months_back = |months: u32| {
            now.checked_sub_months(Months::new(months))
                .ok_or_else(|| StoreError::Config(format!("{months} months before {now} is out of range")))
        };
        Ok(Cutoffs {
            now,
            bookings: months_back(periods.bookings_months)?,
            audit: months_back(periods.audit_months)?,
            outbox: now - Duration::days(i64::from(periods.outbox_days)),
        })
    }

    /// The ISO week (`2025-W05`) of the bookings cut-off in UTC: responses of earlier weeks
    /// are of visits before it in any office's zone (a response keeps only its week, so
    /// its free text may stay up to a week longer than the bookings). Week strings sort in
    /// time order.
    fn bookings_week(&self) -> String {
        self.bookings.format("%G-W%V").to_string()
    }
}

/// What a run took, or (from [`plan`]) would take, per kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PurgeReport {
    /// Bookings whose personal data went.
    pub bookings: u64,
    /// Booking events whose free-text detail was cleared.
    pub event_details: u64,
    /// Idempotency keys of those bookings, deleted.
    pub idempotency_keys: u64,
    /// Messages of those bookings not yet taken as settled ones, deleted.
    pub booking_messages: u64,
    /// Questionnaire invitations unlinked from their booking.
    pub invitations_unlinked: u64,
    /// Settled messages past the outbox period, deleted.
    pub settled_messages: u64,
    /// Audit entries past the audit period, deleted.
    pub audit_entries: u64,
    /// Free-text questionnaire answers cleared.
    pub answer_texts: u64,
}

impl PurgeReport {
    /// Each kind with a stable name, for the command's output and the logs.
    pub fn kinds(&self) -> [(&'static str, u64); 8] {
        [
            ("bookings", self.bookings),
            ("event_details", self.event_details),
            ("idempotency_keys", self.idempotency_keys),
            ("booking_messages", self.booking_messages),
            ("invitations_unlinked", self.invitations_unlinked),
            ("settled_messages", self.settled_messages),
            ("audit_entries", self.audit_entries),
            ("answer_texts", self.answer_texts),
        ]
    }

    pub fn is_empty(&self) -> bool {
        self.kinds().iter().all(|(_, n)| *n == 0)
    }
}

/// Whether a step counts what it would take or takes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Count,
    Apply,
}

/// What [`purge`] would take at `cutoffs`, changing nothing.
pub fn plan(conn: &mut DbConnection, cutoffs: &Cutoffs) -> Result<PurgeReport> {
    run(conn, cutoffs, Mode::Count)
}

/// Takes everything past its period (see the module's steps). Running it again at the same
/// cut-offs takes nothing.
pub fn purge(conn: &mut DbConnection, cutoffs: &Cutoffs) -> Result<PurgeReport> {
    run(conn, cutoffs, Mode::Apply)
}

/// [`purge`], by one process at a time: on PostgreSQL under a session advisory lock
/// (`None` when another replica holds it); on SQLite, writers take turns anyway.
pub fn purge_alone(conn: &mut DbConnection, cutoffs: &Cutoffs) -> Result<Option<PurgeReport>> {
    let DbConnection::Pg(pg) = conn else {
        return purge(conn, cutoffs).map(Some);
    };
    #[derive(QueryableByName)]
    struct Locked {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        locked: bool,
    }
    let got: Locked = diesel::sql_query("SELECT pg_try_advisory_lock($1) AS locked")
        .bind::<diesel::sql_types::BigInt, _>(PG_PURGE_LOCK)
        .get_result(pg)?;
    if !got.locked {
        return Ok(None);
    }
    let report = purge(conn, cutoffs);
    // Session locks outlive transactions: give it back, or the pooled connection keeps it.
    let unlocked = match conn {
        DbConnection::Pg(pg) => diesel::sql_query("SELECT pg_advisory_unlock($1)")
            .bind::<diesel::sql_types::BigInt, _>(PG_PURGE_LOCK)
            .execute(pg)
            .map(|_| ()),
        DbConnection::Sqlite(_) => Ok(()),
    };
    let report = report?;
    unlocked?;
    Ok(Some(report))
}

fn run(conn: &mut DbConnection, cutoffs: &Cutoffs, mode: Mode) -> Result<PurgeReport> {
    // In the order of the module's steps: later ones leave out what earlier ones take.
    let invitations_unlinked = unlink_invitations(conn, cutoffs, mode)?;
    let settled_messages = delete_settled_messages(conn, cutoffs, mode)?;
    let of_bookings = purge_bookings(conn, cutoffs, mode)?;
    let audit_entries = delete_audit_entries(conn, cutoffs, mode)?;
    let answer_texts = clear_answer_texts(conn, cutoffs, mode)?;
    Ok(PurgeReport { invitations_unlinked, settled_messages, audit_entries, answer_texts, ..of_bookings })
}

/// Runs `step` over `ids` in batches: in a write transaction each when applying, as
/// plain reads when counting. Returns the sum of what the batches report.
fn in_batches<K>(
    conn: &mut DbConnection,
    mode: Mode,
    ids: &[K],
    mut step: impl FnMut(&mut DbConnection, &[K]) -> Result<u64>,
) -> Result<u64> {
    let mut total = 0;
    for batch in ids.chunks(BATCH) {
        total += match mode {
            Mode::Count => step(conn, batch)?,
            Mode::Apply => crate::write_transaction(conn, |conn| step(conn, batch))?,
        };
    }
    Ok(total)
}

/// Affected rows as the report counts them.
fn n(rows: usize) -> u64 {
    rows as u64
}

/// A `COUNT(*)` as the report counts it.
fn counted(count: i64) -> u64 {
    u64::try_from(count).unwrap_or(0)
}

/// The bookings whose personal data is due to go and has not gone yet.
type Purgeable = diesel::dsl::Filter<
    diesel::dsl::Filter<bookings::table, diesel::dsl::IsNull<bookings::purged_at>>,
    diesel::dsl::Lt<bookings::starts_at, DbTime>,
>;

fn purgeable(cutoffs: &Cutoffs) -> Purgeable {
    bookings::table
        .filter(bookings::purged_at.is_null())
        .filter(bookings::starts_at.lt(DbTime(cutoffs.bookings)))
}

/// Step 1: invitations answered, expired or of a booking about to be purged.
fn unlink_invitations(conn: &mut DbConnection, cutoffs: &Cutoffs, mode: Mode) -> Result<u64> {
    let due: Vec<(DbId, Option<DbId>)> = questionnaire_invitations::table
        .filter(questionnaire_invitations::booking_id.is_not_null())
        .filter(
            questionnaire_invitations::answered_at
                .is_not_null()
                .or(questionnaire_invitations::expires_at.le(DbTime(cutoffs.now)))
                .or(questionnaire_invitations::booking_id
                    .eq_any(purgeable(cutoffs).select(bookings::id.nullable()))),
        )
        .select((questionnaire_invitations::id, questionnaire_invitations::booking_id))
        .order(questionnaire_invitations::id)
        .load(conn)?;
    in_batches(conn, mode, &due, |conn, batch| {
        if mode == Mode::Count {
            return Ok(n(batch.len()));
        }
        let ids: Vec<DbId> = batch.iter().map(|(id, ..)| *id).collect();
        // Unlinking first locks the rows (PostgreSQL): an answer racing this either came
        // before and is read below, or finds no booking and is refused.
        let unlinked = diesel::update(
            questionnaire_invitations::table
                .filter(questionnaire_invitations::id.eq_any(&ids))
                .filter(questionnaire_invitations::booking_id.is_not_null()),
        )
        .set(questionnaire_invitations::booking_id.eq(None::<DbId>))
        .execute(conn)?;
        let now_stored: Vec<(DbId, DbTime, Option<DbTime>)> = questionnaire_invitations::table
            .filter(questionnaire_invitations::id.eq_any(&ids))
            .select((
                questionnaire_invitations::id,
                questionnaire_invitations::created_at,
                questionnaire_invitations::answered_at,
            ))
            .load(conn)?;
        for (id, sent, answered) in now_stored {
            let Some((_, Some(booking), ..)) = batch.iter().find(|(i, ..)| *i == id) else { continue };
            diesel::update(bookings::table.find(*booking))
                .set((
                    bookings::invitation_sent_at.eq(Some(sent)),
                    bookings::invitation_answered.eq(Some(answered.is_some())),
                ))
                .execute(conn)?;
        }
        Ok(n(unlinked))
    })
}

/// Settled messages written before the outbox cut-off.
type Settled = diesel::dsl::And<
    diesel::dsl::EqAny<outbox::status, [&'static str; 3]>,
    diesel::dsl::Lt<outbox::created_at, DbTime>,
>;

fn settled(cutoffs: &Cutoffs) -> Settled {
    outbox::status.eq_any(SETTLED).and(outbox::created_at.lt(DbTime(cutoffs.outbox)))
}

/// Step 2: messages settled before the outbox cut-off.
fn delete_settled_messages(conn: &mut DbConnection, cutoffs: &Cutoffs, mode: Mode) -> Result<u64> {
    let due: Vec<DbId> =
        outbox::table.filter(settled(cutoffs)).select(outbox::id).order(outbox::id).load(conn)?;
    in_batches(conn, mode, &due, |conn, batch| {
        let of_batch = outbox::table.filter(outbox::id.eq_any(batch)).filter(settled(cutoffs));
        Ok(n(match mode {
            Mode::Count => batch.len(),
            Mode::Apply => diesel::delete(of_batch).execute(conn)?,
        }))
    })
}

/// Step 3: the bookings' personal data, and what of it their events, idempotency keys and
/// messages hold; the report's counts of these four kinds.
fn purge_bookings(conn: &mut DbConnection, cutoffs: &Cutoffs, mode: Mode) -> Result<PurgeReport> {
    let due: Vec<DbId> =
        purgeable(cutoffs).select(bookings::id).order((bookings::starts_at, bookings::id)).load(conn)?;
    let mut counts = PurgeReport::default();
    in_batches(conn, mode, &due, |conn, batch| {
        let events = booking_events::table
            .filter(booking_events::booking_id.eq_any(batch))
            .filter(booking_events::detail.is_not_null());
        let keys = idempotency_keys::table.filter(idempotency_keys::booking_id.eq_any(batch));
        // Settled messages past their own period went in step 2 (a dry run has not taken
        // them, so they are left out here too).
        let messages =
            outbox::table.filter(outbox::booking_id.eq_any(batch)).filter(diesel::dsl::not(settled(cutoffs)));
        let personal =
            bookings::table.filter(bookings::id.eq_any(batch)).filter(bookings::purged_at.is_null());
        let (details, keys, messages, purged) = match mode {
            Mode::Count => (
                counted(events.count().get_result(conn)?),
                counted(keys.count().get_result(conn)?),
                counted(messages.count().get_result(conn)?),
                counted(personal.count().get_result(conn)?),
            ),
            Mode::Apply => (
                n(diesel::update(events).set(booking_events::detail.eq(None::<String>)).execute(conn)?),
                n(diesel::delete(keys).execute(conn)?),
                n(diesel::delete(messages).execute(conn)?),
                n(diesel::update(personal)
                    .set((
                        bookings::name.eq(""),
                        bookings::personal_id_enc.eq(""),
                        bookings::personal_id_hash.eq(""),
                        bookings::email.eq(""),
                        bookings::phone.eq(None::<String>),
                        bookings::description.eq(""),
                        bookings::needs.eq("{}"),
                        bookings::cancel_reason.eq(None::<String>),
                        bookings::purged_at.eq(Some(DbTime(cutoffs.now))),
                        bookings::updated_at.eq(DbTime(cutoffs.now)),
                    ))
                    .execute(conn)?),
            ),
        };
        counts.event_details += details;
        counts.idempotency_keys += keys;
        counts.booking_messages += messages;
        counts.bookings += purged;
        Ok(purged)
    })?;
    Ok(counts)
}

/// Step 4: audit entries written before the audit cut-off.
fn delete_audit_entries(conn: &mut DbConnection, cutoffs: &Cutoffs, mode: Mode) -> Result<u64> {
    let old = || audit_log::at.lt(DbTime(cutoffs.audit));
    let due: Vec<DbId> =
        audit_log::table.filter(old()).select(audit_log::id).order(audit_log::id).load(conn)?;
    in_batches(conn, mode, &due, |conn, batch| {
        Ok(n(match mode {
            Mode::Count => batch.len(),
            Mode::Apply => diesel::delete(audit_log::table.filter(audit_log::id.eq_any(batch)).filter(old()))
                .execute(conn)?,
        }))
    })
}

/// Step 5: free text in responses of weeks before the bookings cut-off.
fn clear_answer_texts(conn: &mut DbConnection, cutoffs: &Cutoffs, mode: Mode) -> Result<u64> {
    let week = cutoffs.bookings_week();
    let due: Vec<DbId> = response_answers::table
        .inner_join(questionnaire_responses::table)
        .filter(questionnaire_responses::week.lt(&week))
        .filter(response_answers::text_value.is_not_null())
        .select(response_answers::response_id)
        .distinct()
        .order(response_answers::response_id)
        .load(conn)?;
    in_batches(conn, mode, &due, |conn, batch| {
        let texts = response_answers::table
            .filter(response_answers::response_id.eq_any(batch))
            .filter(response_answers::text_value.is_not_null());
        Ok(match mode {
            Mode::Count => counted(texts.count().get_result(conn)?),
            Mode::Apply => {
                n(diesel::update(texts).set(response_answers::text_value.eq(None::<String>)).execute(conn)?)
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn cutoffs_count_calendar_months_and_days_back() {
        let now = utc("2027-03-31T10:00:00Z");
        let c = Cutoffs::at(now, &Periods { bookings_months: 24, audit_months: 1, outbox_days: 90 }).unwrap();
        assert_eq!(c.bookings, utc("2025-03-31T10:00:00Z"));
        // 31 February does not exist: the last day of February.
        assert_eq!(c.audit, utc("2027-02-28T10:00:00Z"));
        assert_eq!(c.outbox, utc("2026-12-31T10:00:00Z"));
        assert_eq!(c.now, now);
        assert_eq!(c.bookings_week(), "2025-W14");
    }
}
