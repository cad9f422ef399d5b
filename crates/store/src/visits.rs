//! What happens around a visit: phone call attempts, the advisor's assessment, and the
//! walk-in log.

use crate::json::{from_text, to_text};
use crate::schema::{call_attempts, visit_assessments, walk_ins};
use crate::sql_types::{DbId, DbTime};
use crate::{DbConnection, Result, StoreError};
use aukiolo_domain::visit::{Assessment, OtherChannel, Segment, WalkInOutcome};
use aukiolo_domain::{BookingId, OfficeId, StaffUserId, TopicId};
use chrono::{DateTime, Utc};
use diesel::prelude::*;

/// Logs one call attempt; returns how many unanswered calls the booking now has.
pub fn record_call(
    conn: &mut DbConnection,
    booking: BookingId,
    staff: StaffUserId,
    reached: bool,
    at: DateTime<Utc>,
) -> Result<i64> {
    diesel::insert_into(call_attempts::table)
        .values((
            call_attempts::id.eq(DbId(uuid::Uuid::new_v4())),
            call_attempts::booking_id.eq(DbId::from(booking)),
            call_attempts::at.eq(DbTime(at)),
            call_attempts::staff_id.eq(DbId::from(staff)),
            call_attempts::reached.eq(reached),
        ))
        .execute(conn)?;
    Ok(call_attempts::table
        .filter(call_attempts::booking_id.eq(DbId::from(booking)))
        .filter(call_attempts::reached.eq(false))
        .count()
        .get_result(conn)?)
}

/// The assessment of a booking and who wrote it when.
pub fn assessment(
    conn: &mut DbConnection,
    booking: BookingId,
) -> Result<Option<(Assessment, StaffUserId, DateTime<Utc>)>> {
    let row: Option<(DbId, bool, String, String, String, bool, DbTime)> = visit_assessments::table
        .find(DbId::from(booking))
        .select((
            visit_assessments::author_id,
            visit_assessments::resolved_at_once,
            visit_assessments::segment,
            visit_assessments::other_channel,
            visit_assessments::personal_service_reasons,
            visit_assessments::other_channels_discussed,
            visit_assessments::created_at,
        ))
        .first(conn)
        .optional()?;
    row.map(|(author, resolved, segment, other, reasons, discussed, created)| {
        let corrupt = |what: &str| StoreError::Corrupt(format!("assessment {what}"));
        Ok((
            Assessment {
                resolved_at_once: resolved,
                segment: Segment::parse(&segment).ok_or_else(|| corrupt("segment"))?,
                other_channel: OtherChannel::parse(&other).ok_or_else(|| corrupt("other_channel"))?,
                personal_service_reasons: from_text("visit_assessments.personal_service_reasons", &reasons)?,
                other_channels_discussed: discussed,
            },
            author.into(),
            created.0,
        ))
    })
    .transpose()
}

/// Writes or replaces the assessment of a booking (the caller decides who may).
pub fn save_assessment(
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

/// Logs a walk-in visitor at an office.
pub fn record_walk_in(
    conn: &mut DbConnection,
    office: OfficeId,
    topic: TopicId,
    outcome: WalkInOutcome,
    booking: Option<BookingId>,
    staff: StaffUserId,
    at: DateTime<Utc>,
) -> Result<uuid::Uuid> {
    let id = uuid::Uuid::new_v4();
    diesel::insert_into(walk_ins::table)
        .values((
            walk_ins::id.eq(DbId(id)),
            walk_ins::office_id.eq(DbId::from(office)),
            walk_ins::at.eq(DbTime(at)),
            walk_ins::topic_id.eq(DbId::from(topic)),
            walk_ins::outcome.eq(outcome.as_str()),
            walk_ins::booking_id.eq(booking.map(DbId::from)),
            walk_ins::staff_id.eq(DbId::from(staff)),
        ))
        .execute(conn)?;
    Ok(id)
}
