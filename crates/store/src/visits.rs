//! What happens around a visit: phone call attempts, the advisor's assessment, and the
//! walk-in log, with the rules that go with them, so the API and the pages record them
//! the same way.

use crate::bookings::{self, Actor};
use crate::json::{from_text, to_text};
use crate::personal_data::PersonalDataKeys;
use crate::schema::{booking_events, bookings as booking_rows, call_attempts, visit_assessments, walk_ins};
use crate::sql_types::{DbId, DbTime};
use crate::{DbConnection, Refusal, Result, StoreError};
use aukiolo_domain::booking::{Action, BookingStatus};
use aukiolo_domain::slots::local_day_start;
use aukiolo_domain::visit::{
    Assessment, AssessmentRecord, CallAttempt, OtherChannel, Segment, WalkIn, WalkInOutcome,
};
use aukiolo_domain::visit_clock;
use aukiolo_domain::{BookingId, OfficeId, StaffUserId, TopicId};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use diesel::prelude::*;

pub use aukiolo_domain::visit::CallOutcome;

/// Logs a call to a phone appointment by `staff` at `now`, in one transaction: only for a
/// phone appointment still booked and within its call window
/// (`visit_clock::call_allowed`, else `Refused` saying why). After `max_attempts`
/// unanswered calls the booking becomes `not_reached` (its own outcome, not a no-show)
/// and the citizen is told how to book again. An answered call changes nothing: the
/// advisor starts the appointment.
#[allow(clippy::too_many_arguments)]
pub fn log_call(
    conn: &mut DbConnection,
    keys: &PersonalDataKeys,
    booking: BookingId,
    staff: StaffUserId,
    reached: bool,
    max_attempts: i64,
    now: DateTime<Utc>,
) -> Result<CallOutcome> {
    crate::write_transaction(conn, |conn| {
        let b = bookings::get(conn, keys, booking)?;
        let zone = crate::offices::get(conn, b.office_id)?.fields.tz();
        visit_clock::call_allowed(b.status, b.channel, b.start, b.end, now, zone).map_err(Refusal::Visit)?;
        diesel::insert_into(call_attempts::table)
            .values((
                call_attempts::id.eq(DbId(uuid::Uuid::now_v7())),
                call_attempts::booking_id.eq(DbId::from(booking)),
                call_attempts::at.eq(DbTime(now)),
                call_attempts::staff_id.eq(DbId::from(staff)),
                call_attempts::reached.eq(reached),
            ))
            .execute(conn)?;
        let attempts = unanswered_since_booked(conn, booking)?;
        let status = if attempts >= max_attempts {
            bookings::transition(conn, keys, booking, Action::NotReached, None, Actor::Staff(staff), now)?
                .status
        } else {
            b.status
        };
        Ok(CallOutcome { attempts, status })
    })
}

/// Unanswered calls since the booking last became `booked` (made, or reinstated after a
/// mistaken "not reached"), so a corrected appointment gets its calls afresh.
fn unanswered_since_booked(conn: &mut DbConnection, booking: BookingId) -> Result<i64> {
    let since: Option<DbTime> = booking_events::table
        .filter(booking_events::booking_id.eq(DbId::from(booking)))
        .filter(booking_events::kind.eq(BookingStatus::Booked.as_str()))
        .order((booking_events::at.desc(), booking_events::id.desc()))
        .select(booking_events::at)
        .first(conn)
        .optional()?;
    let mut unanswered = call_attempts::table
        .filter(call_attempts::booking_id.eq(DbId::from(booking)))
        .filter(call_attempts::reached.eq(false))
        .into_boxed();
    if let Some(since) = since {
        unanswered = unanswered.filter(call_attempts::at.ge(since));
    }
    Ok(unanswered.count().get_result(conn)?)
}

/// The calls logged to a booking, oldest first.
pub fn call_attempts(conn: &mut DbConnection, booking: BookingId) -> Result<Vec<CallAttempt>> {
    Ok(call_attempts::table
        .filter(call_attempts::booking_id.eq(DbId::from(booking)))
        .order((call_attempts::at, call_attempts::id))
        .select((call_attempts::at, call_attempts::staff_id, call_attempts::reached))
        .load::<(DbTime, DbId, bool)>(conn)?
        .into_iter()
        .map(|(at, staff, reached)| CallAttempt { at: at.0, staff_id: staff.into(), reached })
        .collect())
}

/// An assessment as stored.
#[derive(Queryable, Selectable)]
#[diesel(table_name = visit_assessments)]
pub(crate) struct AssessmentRow {
    author_id: DbId,
    resolved_at_once: bool,
    segment: String,
    other_channel: String,
    personal_service_reasons: String,
    other_channels_discussed: bool,
    created_at: DbTime,
    updated_at: DbTime,
}

impl AssessmentRow {
    pub(crate) fn into_domain(self) -> Result<AssessmentRecord> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("assessment {what}"));
        Ok(AssessmentRecord {
            assessment: Assessment {
                resolved_at_once: self.resolved_at_once,
                segment: Segment::parse(&self.segment).ok_or_else(|| corrupt("segment"))?,
                other_channel: OtherChannel::parse(&self.other_channel)
                    .ok_or_else(|| corrupt("other_channel"))?,
                personal_service_reasons: from_text(
                    "visit_assessments.personal_service_reasons",
                    &self.personal_service_reasons,
                )?,
                other_channels_discussed: self.other_channels_discussed,
            },
            author_id: self.author_id.into(),
            created_at: self.created_at.0,
            updated_at: self.updated_at.0,
        })
    }
}

/// The assessment of a booking, with who wrote it and when.
pub fn assessment(conn: &mut DbConnection, booking: BookingId) -> Result<Option<AssessmentRecord>> {
    visit_assessments::table
        .find(DbId::from(booking))
        .select(AssessmentRow::as_select())
        .first(conn)
        .optional()?
        .map(AssessmentRow::into_domain)
        .transpose()
}

/// Saves `staff`'s assessment of a visit at `now`, in one transaction: only of a completed
/// visit, and once written, only its author may correct it, on the day (in the office's
/// time zone) it was written; anything else is `Refused`, bad fields `Invalid`.
pub fn assess(
    conn: &mut DbConnection,
    booking: BookingId,
    staff: StaffUserId,
    a: &Assessment,
    now: DateTime<Utc>,
) -> Result<AssessmentRecord> {
    a.validate().map_err(StoreError::Invalid)?;
    crate::write_transaction(conn, |conn| {
        let (status, office): (String, DbId) = booking_rows::table
            .find(DbId::from(booking))
            .select((booking_rows::status, booking_rows::office_id))
            .first(conn)
            .optional()?
            .ok_or(StoreError::NotFound("booking"))?;
        if status != BookingStatus::Completed.as_str() {
            return Err(Refusal::NotCompleted.into());
        }
        if let Some(earlier) = assessment(conn, booking)? {
            let zone = crate::offices::get(conn, office.into())?.fields.tz();
            let day = |t: DateTime<Utc>| t.with_timezone(&zone).date_naive();
            if earlier.author_id != staff || day(earlier.created_at) != day(now) {
                return Err(Refusal::AssessmentClosed.into());
            }
        }
        save_assessment(conn, booking, staff, a, now)?;
        assessment(conn, booking)?.ok_or(StoreError::NotFound("assessment"))
    })
}

/// Writes or replaces the assessment of a booking.
fn save_assessment(
    conn: &mut DbConnection,
    booking: BookingId,
    author: StaffUserId,
    a: &Assessment,
    now: DateTime<Utc>,
) -> Result<()> {
    let values = || {
        (
            visit_assessments::resolved_at_once.eq(a.resolved_at_once),
            visit_assessments::segment.eq(a.segment.as_str()),
            visit_assessments::other_channel.eq(a.other_channel.as_str()),
            visit_assessments::personal_service_reasons.eq(to_text(&a.personal_service_reasons)),
            visit_assessments::other_channels_discussed.eq(a.other_channels_discussed),
            visit_assessments::updated_at.eq(DbTime(now)),
        )
    };
    let updated =
        diesel::update(visit_assessments::table.find(DbId::from(booking))).set(values()).execute(conn)?;
    if updated == 0 {
        diesel::insert_into(visit_assessments::table)
            .values((
                visit_assessments::booking_id.eq(DbId::from(booking)),
                visit_assessments::author_id.eq(DbId::from(author)),
                visit_assessments::created_at.eq(DbTime(now)),
                values(),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A walk-in visitor to log.
#[derive(Clone, Debug)]
pub struct NewWalkIn<'a> {
    pub office: OfficeId,
    pub topic: TopicId,
    pub outcome: WalkInOutcome,
    /// The reference of the booking made for the visitor, if any (any case, spaces
    /// around it ignored).
    pub booking_reference: Option<&'a str>,
}

/// Logs a walk-in visitor at an office at `at`. An unknown topic, or a reference that is
/// no booking of this office, is `Invalid` naming `topic_id` or `booking_reference`;
/// database trouble stays what it is.
pub fn log_walk_in(
    conn: &mut DbConnection,
    new: &NewWalkIn<'_>,
    staff: StaffUserId,
    at: DateTime<Utc>,
) -> Result<WalkIn> {
    crate::write_transaction(conn, |conn| {
        let mut v = aukiolo_domain::Validation::new();
        match crate::topics::get(conn, new.topic) {
            Ok(_) => {}
            Err(StoreError::NotFound(_)) => v.add("topic_id", "no such topic"),
            Err(e) => return Err(e),
        }
        let booking = match new.booking_reference.map(str::trim).filter(|r| !r.is_empty()) {
            None => None,
            Some(reference) => {
                let found = bookings::office_of_reference(conn, reference)?;
                match found {
                    Some((id, office)) if office == new.office => Some(id),
                    _ => {
                        v.add("booking_reference", "no such booking at this office");
                        None
                    }
                }
            }
        };
        v.finish().map_err(StoreError::Invalid)?;
        let walk_in = WalkIn {
            // Time-ordered, so walk-ins logged in one instant list in the order they came.
            id: uuid::Uuid::now_v7(),
            office_id: new.office,
            at,
            topic_id: new.topic,
            outcome: new.outcome,
            booking_id: booking,
            staff_id: staff,
        };
        diesel::insert_into(walk_ins::table)
            .values((
                walk_ins::id.eq(DbId(walk_in.id)),
                walk_ins::office_id.eq(DbId::from(walk_in.office_id)),
                walk_ins::at.eq(DbTime(at)),
                walk_ins::topic_id.eq(DbId::from(walk_in.topic_id)),
                walk_ins::outcome.eq(walk_in.outcome.as_str()),
                walk_ins::booking_id.eq(walk_in.booking_id.map(DbId::from)),
                walk_ins::staff_id.eq(DbId::from(staff)),
            ))
            .execute(conn)?;
        Ok(walk_in)
    })
}

/// The walk-ins logged at an office on one of its local days, in the order they came.
pub fn walk_ins_on(conn: &mut DbConnection, office: OfficeId, day: NaiveDate) -> Result<Vec<WalkIn>> {
    let zone = crate::offices::get(conn, office)?.fields.tz();
    let (from, to) = (local_day_start(zone, day), local_day_start(zone, day + Duration::days(1)));
    walk_ins::table
        .filter(walk_ins::office_id.eq(DbId::from(office)))
        .filter(walk_ins::at.ge(DbTime(from)))
        .filter(walk_ins::at.lt(DbTime(to)))
        .order((walk_ins::at, walk_ins::id))
        .select((
            walk_ins::id,
            walk_ins::at,
            walk_ins::topic_id,
            walk_ins::outcome,
            walk_ins::booking_id,
            walk_ins::staff_id,
        ))
        .load::<(DbId, DbTime, DbId, String, Option<DbId>, DbId)>(conn)?
        .into_iter()
        .map(|(id, at, topic, outcome, booking, staff)| {
            Ok(WalkIn {
                id: id.0,
                office_id: office,
                at: at.0,
                topic_id: topic.into(),
                outcome: WalkInOutcome::parse(&outcome)
                    .ok_or_else(|| StoreError::Corrupt(format!("walk-in outcome `{outcome}`")))?,
                booking_id: booking.map(Into::into),
                staff_id: staff.into(),
            })
        })
        .collect()
}
