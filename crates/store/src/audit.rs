//! The audit log: every staff read or change of a citizen's personal data.

use crate::schema::audit_log;
use crate::sql_types::{DbId, DbTime};
use crate::{DbConnection, Result};
use aukiolo_domain::{BookingId, StaffUserId};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    #[schema(value_type = uuid::Uuid)]
    pub staff_id: StaffUserId,
    /// e.g. `read_booking`, `read_day_view`, `create_booking`.
    pub action: String,
    #[schema(value_type = Option<uuid::Uuid>)]
    pub booking_id: Option<BookingId>,
}

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
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::id.eq(DbId(uuid::Uuid::new_v4())),
            audit_log::at.eq(DbTime(at)),
            audit_log::staff_id.eq(DbId::from(staff)),
            audit_log::action.eq(action),
            audit_log::booking_id.eq(booking.map(DbId::from)),
        ))
        .execute(conn)?;
    Ok(())
}

/// The newest entries first, at most `limit`, optionally for one booking.
pub fn list(conn: &mut DbConnection, booking: Option<BookingId>, limit: i64) -> Result<Vec<AuditEntry>> {
    let mut query = audit_log::table
        .select((audit_log::at, audit_log::staff_id, audit_log::action, audit_log::booking_id))
        .order((audit_log::at.desc(), audit_log::id))
        .limit(limit)
        .into_boxed();
    if let Some(b) = booking {
        query = query.filter(audit_log::booking_id.eq(DbId::from(b)));
    }
    Ok(query
        .load::<(DbTime, DbId, String, Option<DbId>)>(conn)?
        .into_iter()
        .map(|(at, staff, action, booking)| AuditEntry {
            at: at.0,
            staff_id: staff.into(),
            action,
            booking_id: booking.map(Into::into),
        })
        .collect())
}
