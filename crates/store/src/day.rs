//! One advisor's day at their office: its slots and the bookings on them, as the API's
//! day view and the advisor's "my day" page show it; and an office's day of all its
//! advisors, for the office board.

use crate::personal_data::PersonalDataKeys;
use crate::schema::bookings;
use crate::sql_types::{DbId, DbTime};
use crate::{DbConnection, Result};
use aukiolo_domain::advisor::Advisor;
use aukiolo_domain::booking::{Booking, BookingStatus};
use aukiolo_domain::office::Office;
use aukiolo_domain::slots::{local_day_start, Slot};
use aukiolo_domain::{AdvisorId, BookingId, OfficeId};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use diesel::prelude::*;

#[derive(Clone, Debug)]
pub struct AdvisorDay {
    pub office: Office,
    pub date: NaiveDate,
    /// Only this office's slots: an advisor who moved keeps their old office's bookings
    /// out of the new office's sight.
    pub slots: Vec<Slot>,
    /// The bookings that hold time on the day (not cancelled ones), by start.
    pub bookings: Vec<Booking>,
}

impl AdvisorDay {
    pub fn booking_of(&self, slot: &Slot) -> Option<&Booking> {
        let id = slot.booking_id?;
        self.bookings.iter().find(|b| b.id.0 == id)
    }
}

/// `advisor`'s day `date` (the office's local day; `None` for today).
pub fn advisor_day(
    conn: &mut DbConnection,
    keys: &PersonalDataKeys,
    advisor: AdvisorId,
    date: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<AdvisorDay> {
    let office_id = crate::advisors::get(conn, advisor)?.fields.office_id;
    let office = crate::offices::get(conn, office_id)?;
    let tz = office.fields.tz();
    let date = date.unwrap_or_else(|| now.with_timezone(&tz).date_naive());
    let from = local_day_start(tz, date);
    let to = local_day_start(tz, date + Duration::days(1));
    let slots = crate::slots::list_for_advisor(conn, advisor, from, to)?
        .into_iter()
        .filter(|s| s.office_id == office.id)
        .collect();
    let bookings = crate::bookings::list_for_advisor(conn, keys, advisor, from, to)?
        .into_iter()
        .filter(|b| b.status.holds_slot() && b.office_id == office.id)
        .collect();
    Ok(AdvisorDay { office, date, slots, bookings })
}

/// How far back an unrecorded visit still counts as waiting to be recorded.
pub const RECORDING_DAYS: i64 = 14;

/// `advisor`'s visits of the last [`RECORDING_DAYS`] that have ended with no outcome
/// recorded (still booked, arrived or in service), oldest first.
pub fn waiting_to_be_recorded(
    conn: &mut DbConnection,
    advisor: AdvisorId,
    now: DateTime<Utc>,
) -> Result<Vec<(BookingId, DateTime<Utc>)>> {
    let open =
        [BookingStatus::Booked, BookingStatus::Arrived, BookingStatus::InService].map(BookingStatus::as_str);
    let rows: Vec<(DbId, DbTime)> = bookings::table
        .filter(bookings::advisor_id.eq(DbId::from(advisor)))
        .filter(bookings::status.eq_any(open))
        .filter(bookings::ends_at.le(DbTime(now)))
        .filter(bookings::starts_at.ge(DbTime(now - Duration::days(RECORDING_DAYS))))
        .order(bookings::starts_at.asc())
        .select((bookings::id, bookings::starts_at))
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, DbTime(at))| (id.into(), at)).collect())
}

/// An office's day: the day of each of its advisors, by name.
#[derive(Clone, Debug)]
pub struct OfficeDay {
    pub office: Office,
    pub date: NaiveDate,
    pub advisors: Vec<(Advisor, AdvisorDay)>,
}

/// `office`'s day `date` (its local day; `None` for today) for the office board: every
/// advisor of the office, inactive ones only when they still have slots that day.
pub fn office_day(
    conn: &mut DbConnection,
    keys: &PersonalDataKeys,
    office: OfficeId,
    date: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<OfficeDay> {
    let found = crate::offices::get(conn, office)?;
    let date = date.unwrap_or_else(|| now.with_timezone(&found.fields.tz()).date_naive());
    let mut advisors = Vec::new();
    for advisor in crate::advisors::list_for_office(conn, office)? {
        let day = advisor_day(conn, keys, advisor.id, Some(date), now)?;
        if advisor.fields.active || !day.slots.is_empty() {
            advisors.push((advisor, day));
        }
    }
    advisors.sort_by(|a, b| a.0.fields.name.cmp(&b.0.fields.name));
    Ok(OfficeDay { office: found, date, advisors })
}
