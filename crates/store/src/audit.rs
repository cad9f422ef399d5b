//! The audit log: every staff read or change of a citizen's personal data, and every
//! change that decides who may do what or what the pilot compares: an office moved
//! between pilot and control, a staff account created or changed, a message retried.
//! Each entry is written in the transaction of what it records.

use crate::schema::{audit_log, bookings};
use crate::sql_types::{DbId, DbTime};
use crate::{DbConnection, Result};
use aukiolo_domain::{BookingId, OfficeId, StaffUserId};
use chrono::{DateTime, Utc};
use diesel::prelude::*;

pub use aukiolo_domain::audit::{AuditEntry, Detail};

/// Records that `staff` did `action` to each of `bookings` (one row per booking).
pub fn record(
    conn: &mut DbConnection,
    staff: StaffUserId,
    action: &str,
    bookings: &[BookingId],
    at: DateTime<Utc>,
) -> Result<()> {
    for booking in bookings {
        insert(conn, staff, action, Some(*booking), at)?;
    }
    Ok(())
}

/// Records a search for personal data: one row per booking found, or one without a
/// booking when nothing was found (the search itself is what is audited).
pub fn record_search(
    conn: &mut DbConnection,
    staff: StaffUserId,
    action: &str,
    found: &[BookingId],
    at: DateTime<Utc>,
) -> Result<()> {
    if found.is_empty() {
        insert(conn, staff, action, None, at)
    } else {
        record(conn, staff, action, found, at)
    }
}

fn insert(
    conn: &mut DbConnection,
    staff: StaffUserId,
    action: &str,
    booking: Option<BookingId>,
    at: DateTime<Utc>,
) -> Result<()> {
    insert_row(conn, staff, action, (booking, None, None), at)
}

/// One row: of a booking, or of an office with what changed.
fn insert_row(
    conn: &mut DbConnection,
    staff: StaffUserId,
    action: &str,
    (booking, office, detail): (Option<BookingId>, Option<OfficeId>, Option<String>),
    at: DateTime<Utc>,
) -> Result<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::id.eq(DbId(uuid::Uuid::new_v4())),
            audit_log::at.eq(DbTime(at)),
            audit_log::staff_id.eq(DbId::from(staff)),
            audit_log::action.eq(action),
            audit_log::booking_id.eq(booking.map(DbId::from)),
            audit_log::office_id.eq(office.map(DbId::from)),
            audit_log::detail.eq(detail),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records a change that is not of a booking: `staff` did `action` concerning `office`,
/// and `detail` says what changed.
pub fn record_change(
    conn: &mut DbConnection,
    staff: StaffUserId,
    action: &str,
    office: Option<OfficeId>,
    detail: &Detail,
    at: DateTime<Utc>,
) -> Result<()> {
    insert_row(conn, staff, action, (None, office, Some(crate::json::to_text(detail))), at)
}

/// Which entries to list; each `None` is no restriction.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub actor: Option<StaffUserId>,
    pub action: Option<String>,
    /// The office's own entries and those of its bookings.
    pub office: Option<OfficeId>,
    pub booking: Option<BookingId>,
    /// From this instant on.
    pub from: Option<DateTime<Utc>>,
    /// Before this instant.
    pub until: Option<DateTime<Utc>>,
}

type Row = (DbTime, DbId, String, Option<DbId>, Option<DbId>, Option<DbId>, Option<String>);

/// The entries `filter` lets through, newest first: at most `limit` after skipping
/// `offset`.
pub fn search(conn: &mut DbConnection, filter: &Filter, limit: i64, offset: i64) -> Result<Vec<AuditEntry>> {
    let mut query = audit_log::table
        .left_join(bookings::table.on(audit_log::booking_id.eq(bookings::id.nullable())))
        .select((
            audit_log::at,
            audit_log::staff_id,
            audit_log::action,
            audit_log::booking_id,
            audit_log::office_id,
            bookings::office_id.nullable(),
            audit_log::detail,
        ))
        .order((audit_log::at.desc(), audit_log::id))
        .limit(limit)
        .offset(offset)
        .into_boxed();
    if let Some(actor) = filter.actor {
        query = query.filter(audit_log::staff_id.eq(DbId::from(actor)));
    }
    if let Some(action) = &filter.action {
        query = query.filter(audit_log::action.eq(action.clone()));
    }
    if let Some(office) = filter.office {
        let office = DbId::from(office);
        query = query.filter(audit_log::office_id.eq(office).or(bookings::office_id.nullable().eq(office)));
    }
    if let Some(b) = filter.booking {
        query = query.filter(audit_log::booking_id.eq(DbId::from(b)));
    }
    if let Some(from) = filter.from {
        query = query.filter(audit_log::at.ge(DbTime(from)));
    }
    if let Some(until) = filter.until {
        query = query.filter(audit_log::at.lt(DbTime(until)));
    }
    query.load::<Row>(conn)?.into_iter().map(entry).collect()
}

fn entry((at, staff, action, booking, office, booking_office, detail): Row) -> Result<AuditEntry> {
    Ok(AuditEntry {
        at: at.0,
        staff_id: staff.into(),
        action,
        booking_id: booking.map(Into::into),
        office_id: office.or(booking_office).map(Into::into),
        detail: detail.map(|d| crate::json::from_text("audit_log.detail", &d)).transpose()?,
    })
}

/// The newest entries first, at most `limit`, optionally for one booking.
pub fn list(conn: &mut DbConnection, booking: Option<BookingId>, limit: i64) -> Result<Vec<AuditEntry>> {
    search(conn, &Filter { booking, ..Filter::default() }, limit, 0)
}

/// Every action the log holds, alphabetically (the choices of a filter).
pub fn actions(conn: &mut DbConnection) -> Result<Vec<String>> {
    Ok(audit_log::table.select(audit_log::action).distinct().order(audit_log::action).load(conn)?)
}
