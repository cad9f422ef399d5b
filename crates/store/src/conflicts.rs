//! The ways out of a conflict: for each booking whose time the calendar no longer offers,
//! whether another advisor is free at the same time and the next free times. The API's
//! conflict list and the office manager's conflicts page show the same choices.

use crate::availability::{self, RulesApply, TimeQuery};
use crate::bookings;
use crate::personal_data::PersonalDataKeys;
use crate::{DbConnection, Result};
use aukiolo_domain::availability::{free_times, FreeTime};
use aukiolo_domain::booking::Booking;
use aukiolo_domain::slots::ConflictBooking;
use aukiolo_domain::{Channel, OfficeId};
use chrono::{DateTime, Duration, Utc};

/// How many other times are offered for one conflict.
pub const ALTERNATIVES: usize = 3;

/// How far ahead those times are looked for.
pub const LOOK_AHEAD_WEEKS: i64 = 4;

/// One booking in conflict and what staff can do about it.
#[derive(Clone, Debug)]
pub struct WaysOut {
    pub conflict: ConflictBooking,
    pub booking: Booking,
    /// Another advisor is free at the booking's own time (a move there keeps the time).
    pub same_time_available: bool,
    /// The next free times from the booking's start (staff may book inside the notice
    /// and held-back times, so the office's rules for citizens do not apply).
    pub alternatives: Vec<FreeTime>,
}

/// The office's bookings in conflict from `now` on, one per booking, by start, each with
/// its ways out.
pub fn ways_out(
    conn: &mut DbConnection,
    keys: &PersonalDataKeys,
    office: OfficeId,
    now: DateTime<Utc>,
) -> Result<Vec<WaysOut>> {
    let mut out = Vec::new();
    for conflict in crate::slots::conflict_bookings(conn, office, now)? {
        let booking = bookings::get(conn, keys, conflict.booking_id)?;
        let query = TimeQuery {
            topic_id: booking.topic_id,
            channel: booking.channel,
            office_id: (booking.channel == Channel::Office).then_some(booking.office_id),
            advisor_id: None,
            language: booking.language.into(),
            from: booking.start,
            to: booking.start + Duration::weeks(LOOK_AHEAD_WEEKS),
        };
        let runs = availability::find_runs(conn, &query, now, RulesApply::StaffOverride)?;
        let same_time_available = runs.iter().any(|r| r.start == booking.start);
        let mut alternatives = free_times(&runs);
        alternatives.truncate(ALTERNATIVES);
        out.push(WaysOut { conflict, booking, same_time_available, alternatives });
    }
    Ok(out)
}
