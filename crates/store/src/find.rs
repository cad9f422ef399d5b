//! Finding bookings the way staff ask for them: one office's bookings in a period (to
//! search today's by name), and a person's bookings by identity code (the phone service
//! helping someone whose code another person used). The caller audits what it shows.

use crate::bookings::BookingRow;
use crate::personal_data::PersonalDataKeys;
use crate::schema::bookings;
use crate::sql_types::{DbId, DbTime};
use crate::{DbConnection, Result};
use aukiolo_domain::booking::Booking;
use aukiolo_domain::personal_id::PersonalId;
use aukiolo_domain::OfficeId;
use chrono::{DateTime, Utc};
use diesel::prelude::*;

/// `office`'s bookings starting in `[from, to)`, cancelled ones included, by start.
pub fn in_office(
    conn: &mut DbConnection,
    keys: &PersonalDataKeys,
    office: OfficeId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Booking>> {
    bookings::table
        .filter(bookings::office_id.eq(DbId::from(office)))
        .filter(bookings::starts_at.ge(DbTime(from)))
        .filter(bookings::starts_at.lt(DbTime(to)))
        .order((bookings::starts_at, bookings::created_at))
        .select(BookingRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|r| r.into_domain(keys))
        .collect()
}

/// The bookings made with `code` that end after `from`, by start (through the keyed
/// hash: the code itself is stored encrypted).
pub fn by_personal_id(
    conn: &mut DbConnection,
    keys: &PersonalDataKeys,
    code: &PersonalId,
    from: DateTime<Utc>,
) -> Result<Vec<Booking>> {
    bookings::table
        .filter(bookings::personal_id_hash.eq(keys.lookup_hash(code.expose())))
        .filter(bookings::ends_at.gt(DbTime(from)))
        .order(bookings::starts_at)
        .select(BookingRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|r| r.into_domain(keys))
        .collect()
}
