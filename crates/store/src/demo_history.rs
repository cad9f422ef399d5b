//! Bulk insertion of the demo network's past activity (`aukiolo serve --demo`, `seed`): bookings with their events, the
//! slots they took, advisors' assessments, walk-ins, questionnaire invitations and
//! anonymous responses, written as plain rows in batches rather than through the booking
//! API, which refuses past times. Personal identity codes are encrypted and hashed exactly
//! as for real bookings. Call it inside a write transaction: it is meant for seeding.

use crate::personal_data::PersonalDataKeys;
use crate::schema::{
    booking_events, bookings, questionnaire_invitations, questionnaire_responses, response_answers, slots,
    visit_assessments, walk_ins,
};
use crate::sql_types::{DbId, DbTime};
use crate::{DbConnection, Result};
use aukiolo_domain::personal_id::PersonalId;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

/// Rows per insert statement: well under both backends' limits on bound parameters.
const BATCH: usize = 400;

/// A past slot, open or taken by one of the bookings.
pub struct SlotRow {
    pub id: Uuid,
    pub advisor_id: Uuid,
    pub office_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub channel: &'static str,
    pub booking_id: Option<Uuid>,
}

/// A past booking in its final status; its events are given separately.
pub struct BookingRow {
    pub id: Uuid,
    pub reference: String,
    pub office_id: Uuid,
    pub advisor_id: Uuid,
    pub topic_id: Uuid,
    pub slot_id: Uuid,
    /// The consecutive slots it takes (`slot_id` is the first).
    pub slot_count: i32,
    pub channel: &'static str,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub language: &'static str,
    pub status: &'static str,
    pub booked_by: &'static str,
    pub name: String,
    /// Stored encrypted, with its keyed look-up hash.
    pub personal_id: PersonalId,
    pub email: String,
    pub phone: Option<String>,
    pub description: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub struct EventRow {
    pub booking_id: Uuid,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub kind: &'static str,
    pub detail: Option<String>,
}

pub struct AssessmentRow {
    pub booking_id: Uuid,
    pub author_id: Uuid,
    pub resolved_at_once: bool,
    pub segment: &'static str,
    pub other_channel: &'static str,
    pub personal_service_reasons: Vec<&'static str>,
    pub other_channels_discussed: bool,
    pub at: DateTime<Utc>,
}

pub struct WalkInRow {
    pub office_id: Uuid,
    pub at: DateTime<Utc>,
    pub topic_id: Uuid,
    pub outcome: &'static str,
    pub staff_id: Uuid,
}

/// An invitation sent after a completed visit, with a fresh link token that no one holds.
/// `answered_at` should be coarse (a day): the exact moment would let a response be
/// matched to it.
pub struct InvitationRow {
    pub booking_id: Uuid,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
}

/// An anonymous response to the pilot questionnaire (version 1): no booking, no person,
/// only the ISO week of the visit.
pub struct ResponseRow {
    pub office_id: Uuid,
    pub topic_id: Uuid,
    pub channel: &'static str,
    pub week: String,
    pub pilot_group: &'static str,
    pub booking_mode: &'static str,
    pub answers: Vec<AnswerRow>,
}

pub struct AnswerRow {
    pub question_key: &'static str,
    pub score: Option<i32>,
    pub choice: Option<&'static str>,
    /// Keys of a multiple choice, stored as a JSON array.
    pub choices: Option<Vec<&'static str>>,
    pub text: Option<String>,
}

/// Everything to insert.
#[derive(Default)]
pub struct History {
    pub slots: Vec<SlotRow>,
    pub bookings: Vec<BookingRow>,
    pub events: Vec<EventRow>,
    pub assessments: Vec<AssessmentRow>,
    pub walk_ins: Vec<WalkInRow>,
    pub invitations: Vec<InvitationRow>,
    pub responses: Vec<ResponseRow>,
}

/// Rows written per table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HistoryCounts {
    pub slots: usize,
    pub bookings: usize,
    pub events: usize,
    pub assessments: usize,
    pub walk_ins: usize,
    pub invitations: usize,
    pub responses: usize,
    pub answers: usize,
}

#[derive(Insertable)]
#[diesel(table_name = bookings)]
struct NewBooking<'a> {
    id: DbId,
    reference: &'a str,
    office_id: DbId,
    advisor_id: DbId,
    topic_id: DbId,
    slot_id: DbId,
    slot_count: i32,
    channel: &'static str,
    starts_at: DbTime,
    ends_at: DbTime,
    language: &'static str,
    status: &'static str,
    booked_by: &'static str,
    name: &'a str,
    personal_id_enc: String,
    personal_id_hash: String,
    email: &'a str,
    phone: Option<&'a str>,
    description: &'a str,
    needs: String,
    created_at: DbTime,
    updated_at: DbTime,
}

#[derive(Insertable)]
#[diesel(table_name = booking_events)]
struct NewEvent<'a> {
    id: DbId,
    booking_id: DbId,
    at: DbTime,
    actor: &'a str,
    kind: &'static str,
    detail: Option<&'a str>,
}

#[derive(Insertable)]
#[diesel(table_name = visit_assessments)]
struct NewAssessment {
    booking_id: DbId,
    author_id: DbId,
    resolved_at_once: bool,
    segment: &'static str,
    other_channel: &'static str,
    personal_service_reasons: String,
    other_channels_discussed: bool,
    created_at: DbTime,
    updated_at: DbTime,
}

#[derive(Insertable)]
#[diesel(table_name = walk_ins)]
struct NewWalkIn {
    id: DbId,
    office_id: DbId,
    at: DbTime,
    topic_id: DbId,
    outcome: &'static str,
    booking_id: Option<DbId>,
    staff_id: DbId,
}

#[derive(Insertable)]
#[diesel(table_name = questionnaire_invitations)]
struct NewInvitation<'a> {
    id: DbId,
    booking_id: DbId,
    questionnaire_key: &'static str,
    questionnaire_version: i32,
    token_hash: &'a str,
    created_at: DbTime,
    expires_at: DbTime,
    answered_at: Option<DbTime>,
}

#[derive(Insertable)]
#[diesel(table_name = questionnaire_responses)]
struct NewResponse<'a> {
    id: DbId,
    questionnaire_key: &'static str,
    questionnaire_version: i32,
    office_id: DbId,
    topic_id: DbId,
    channel: &'static str,
    week: &'a str,
    pilot_group: &'static str,
    booking_mode: &'static str,
}

#[derive(Insertable)]
#[diesel(table_name = response_answers)]
struct NewAnswer<'a> {
    response_id: DbId,
    question_key: &'static str,
    score: Option<i32>,
    choice: Option<&'static str>,
    choices: Option<String>,
    yes_no: Option<bool>,
    text_value: Option<&'a str>,
}

/// Inserts `rows` in batches (batch inserts are not available through the combined
/// connection, so each batch goes to the backend's own connection).
macro_rules! insert_batches {
    ($conn:expr, $table:expr, $rows:expr) => {{
        let mut written = 0usize;
        for chunk in $rows.chunks(BATCH) {
            let insert = diesel::insert_into($table).values(chunk);
            written += match &mut *$conn {
                DbConnection::Pg(pg) => insert.execute(pg)?,
                DbConnection::Sqlite(lite) => insert.execute(lite)?,
            };
        }
        written
    }};
}

/// The pilot questionnaire's key and version, which every history response answers.
const QUESTIONNAIRE: (&str, i32) = ("pilot", 1);

/// Writes `history`. Slots go first, then bookings, then what refers to them.
pub fn insert(conn: &mut DbConnection, keys: &PersonalDataKeys, history: &History) -> Result<HistoryCounts> {
    let mut counts = HistoryCounts::default();

    // The slots first: bookings refer to them (a slot's booking_id is not a foreign key).
    let new_slots: Vec<crate::slots::NewSlot> = history
        .slots
        .iter()
        .map(|s| crate::slots::NewSlot {
            id: DbId(s.id),
            advisor_id: DbId(s.advisor_id),
            office_id: DbId(s.office_id),
            starts_at: DbTime(s.starts_at),
            ends_at: DbTime(s.ends_at),
            channel: s.channel,
            state: if s.booking_id.is_some() { "booked" } else { "open" },
            booking_id: s.booking_id.map(DbId),
        })
        .collect();
    counts.slots = insert_batches!(conn, slots::table, new_slots);

    let needs = crate::json::to_text(&aukiolo_domain::booking::Needs::default());
    let new_bookings: Vec<NewBooking> = history
        .bookings
        .iter()
        .map(|b| NewBooking {
            id: DbId(b.id),
            reference: &b.reference,
            office_id: DbId(b.office_id),
            advisor_id: DbId(b.advisor_id),
            topic_id: DbId(b.topic_id),
            slot_id: DbId(b.slot_id),
            slot_count: b.slot_count,
            channel: b.channel,
            starts_at: DbTime(b.starts_at),
            ends_at: DbTime(b.ends_at),
            language: b.language,
            status: b.status,
            booked_by: b.booked_by,
            name: &b.name,
            personal_id_enc: keys.encrypt(b.personal_id.expose()),
            personal_id_hash: keys.lookup_hash(b.personal_id.expose()),
            email: &b.email,
            phone: b.phone.as_deref(),
            description: &b.description,
            needs: needs.clone(),
            created_at: DbTime(b.created_at),
            updated_at: DbTime(b.updated_at),
        })
        .collect();
    counts.bookings = insert_batches!(conn, bookings::table, new_bookings);

    let new_events: Vec<NewEvent> = history
        .events
        .iter()
        .map(|e| NewEvent {
            // Time-ordered, like the events the booking API writes.
            id: DbId(Uuid::now_v7()),
            booking_id: DbId(e.booking_id),
            at: DbTime(e.at),
            actor: &e.actor,
            kind: e.kind,
            detail: e.detail.as_deref(),
        })
        .collect();
    counts.events = insert_batches!(conn, booking_events::table, new_events);

    let new_assessments: Vec<NewAssessment> = history
        .assessments
        .iter()
        .map(|a| NewAssessment {
            booking_id: DbId(a.booking_id),
            author_id: DbId(a.author_id),
            resolved_at_once: a.resolved_at_once,
            segment: a.segment,
            other_channel: a.other_channel,
            personal_service_reasons: crate::json::to_text(&a.personal_service_reasons),
            other_channels_discussed: a.other_channels_discussed,
            created_at: DbTime(a.at),
            updated_at: DbTime(a.at),
        })
        .collect();
    counts.assessments = insert_batches!(conn, visit_assessments::table, new_assessments);

    let new_walk_ins: Vec<NewWalkIn> = history
        .walk_ins
        .iter()
        .map(|w| NewWalkIn {
            id: DbId(Uuid::now_v7()),
            office_id: DbId(w.office_id),
            at: DbTime(w.at),
            topic_id: DbId(w.topic_id),
            outcome: w.outcome,
            booking_id: None,
            staff_id: DbId(w.staff_id),
        })
        .collect();
    counts.walk_ins = insert_batches!(conn, walk_ins::table, new_walk_ins);

    let hashes: Vec<String> = history
        .invitations
        .iter()
        .map(|_| crate::questionnaires::token_hash(&crate::questionnaires::new_token()))
        .collect();
    let new_invitations: Vec<NewInvitation> = history
        .invitations
        .iter()
        .zip(&hashes)
        .map(|(i, hash)| NewInvitation {
            id: DbId(Uuid::new_v4()),
            booking_id: DbId(i.booking_id),
            questionnaire_key: QUESTIONNAIRE.0,
            questionnaire_version: QUESTIONNAIRE.1,
            token_hash: hash,
            created_at: DbTime(i.created_at),
            expires_at: DbTime(i.expires_at),
            answered_at: i.answered_at.map(DbTime),
        })
        .collect();
    counts.invitations = insert_batches!(conn, questionnaire_invitations::table, new_invitations);

    let mut new_responses = Vec::with_capacity(history.responses.len());
    let mut new_answers = Vec::new();
    for r in &history.responses {
        // Random, not time-ordered: the id must not tell when the answer came.
        let id = DbId(Uuid::new_v4());
        new_responses.push(NewResponse {
            id,
            questionnaire_key: QUESTIONNAIRE.0,
            questionnaire_version: QUESTIONNAIRE.1,
            office_id: DbId(r.office_id),
            topic_id: DbId(r.topic_id),
            channel: r.channel,
            week: &r.week,
            pilot_group: r.pilot_group,
            booking_mode: r.booking_mode,
        });
        new_answers.extend(r.answers.iter().map(|a| NewAnswer {
            response_id: id,
            question_key: a.question_key,
            score: a.score,
            choice: a.choice,
            choices: a.choices.as_ref().map(crate::json::to_text),
            yes_no: None,
            text_value: a.text.as_deref(),
        }));
    }
    counts.responses = insert_batches!(conn, questionnaire_responses::table, new_responses);
    counts.answers = insert_batches!(conn, response_answers::table, new_answers);
    Ok(counts)
}
