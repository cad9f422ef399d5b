//! Post-visit questionnaires (DESIGN.md §3): the stored templates, the invitation that a
//! completed visit causes, and anonymous responses.
//!
//! An invitation is written in the transaction that completes the booking, with its outbox
//! message (§4.2). Its link token is random and reaches only the message; the invitations
//! table keeps a SHA-256 hash, so reading it does not let anyone answer for a citizen.
//! A token is used once: the database settles it with a conditional update, so of any
//! number of concurrent answers exactly one is stored. Responses keep no booking, person
//! or time finer than the ISO week of the visit, and their ids are random.

use crate::outbox::{NewMessage, Payload};
use crate::schema::response_answers;
use crate::schema::{bookings, offices, questionnaire_invitations, questionnaire_responses, questionnaires};
use crate::sql_types::{DbId, DbTime};
use crate::{DbConnection, Result, StoreError};
use aukiolo_domain::booking::{BookedBy, Booking, BookingStatus};
use aukiolo_domain::outbox::MessageKind;
use aukiolo_domain::questionnaire::{pilot, Answer, Questionnaire, ValidAnswers};
use aukiolo_domain::Locale;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

/// How long an invitation link can be used after it is due to be sent.
pub const INVITATION_VALID_DAYS: i64 = 14;

/// Bytes of randomness in a link token: 256 bits cannot be guessed.
const TOKEN_BYTES: usize = 32;

/// A questionnaire opened by its link: what to show, in the booking's language, and until
/// when the link works.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenQuestionnaire {
    pub questionnaire: Questionnaire,
    pub locale: Locale,
    pub expires_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = questionnaire_invitations)]
struct InvitationRow {
    /// `None` once answered or expired (or its booking purged): see `crate::retention`.
    booking_id: Option<DbId>,
    questionnaire_key: String,
    questionnaire_version: i32,
    expires_at: DbTime,
    answered_at: Option<DbTime>,
}

impl InvitationRow {
    /// Why this invitation cannot be answered at `now`, if it cannot.
    fn check_usable(&self, now: DateTime<Utc>) -> Result<()> {
        if self.answered_at.is_some() {
            return Err(StoreError::Conflict("this questionnaire has already been answered".into()));
        }
        if self.expires_at.0 <= now {
            return Err(StoreError::Gone("this questionnaire link has expired".into()));
        }
        self.booking().map(|_| ())
    }

    /// The booking invited; an invitation whose booking was purged cannot be used.
    fn booking(&self) -> Result<DbId> {
        self.booking_id.ok_or_else(|| StoreError::Gone("this questionnaire link has expired".into()))
    }
}

/// A fresh link token: 32 random bytes, base64url without padding (43 characters).
pub(crate) fn new_token() -> String {
    let bytes: [u8; TOKEN_BYTES] = rand::random();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the invitations table keeps of a token.
pub(crate) fn token_hash(token: &str) -> String {
    aukiolo_domain::hex::hex(&Sha256::digest(token.as_bytes()))
}

/// Whether `token` could have been made by [`new_token`]; anything else is answered as
/// unknown without a query.
fn well_formed(token: &str) -> bool {
    token.len() == 43 && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Stores the pilot questionnaire if its `(key, version)` is missing, so every database
/// has the template that invitations refer to. Safe to run by replicas starting together:
/// the insert does nothing on a conflict. A stored template that differs from the code's
/// is an error, because answers already stored refer to the wording it holds: new wording
/// needs a new version.
pub fn ensure_pilot(conn: &mut DbConnection, now: DateTime<Utc>) -> Result<()> {
    publish(conn, &pilot(), now)
}

fn publish(conn: &mut DbConnection, q: &Questionnaire, now: DateTime<Utc>) -> Result<()> {
    q.validate().map_err(StoreError::Invalid)?;
    let version = version_column(q.version)?;
    crate::write_transaction(conn, |conn| {
        let insert = diesel::insert_into(questionnaires::table)
            .values((
                questionnaires::key.eq(&q.key),
                questionnaires::version.eq(version),
                questionnaires::template.eq(crate::json::to_text(q)),
                questionnaires::created_at.eq(DbTime(now)),
            ))
            .on_conflict_do_nothing();
        // `on_conflict` is not available through the combined connection.
        match conn {
            DbConnection::Pg(pg) => insert.execute(pg)?,
            DbConnection::Sqlite(sqlite) => insert.execute(sqlite)?,
        };
        let stored = template(conn, &q.key, q.version)?;
        if &stored != q {
            return Err(StoreError::Conflict(format!(
                "questionnaire `{}` version {} is stored with other content; publish changes as a new version",
                q.key, q.version
            )));
        }
        Ok(())
    })
}

fn version_column(version: u32) -> Result<i32> {
    i32::try_from(version).map_err(|_| StoreError::field("version", "is too large"))
}

/// A stored questionnaire template.
pub fn template(conn: &mut DbConnection, key: &str, version: u32) -> Result<Questionnaire> {
    let text: String = questionnaires::table
        .find((key, version_column(version)?))
        .select(questionnaires::template)
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound("questionnaire"))?;
    crate::json::from_text("questionnaires.template", &text)
}

/// Invites the citizen of a booking that has just been completed to the questionnaire:
/// one invitation (the unique booking id keeps it one) and its message, due after the
/// office's `questionnaire_delay_minutes` and usable for 14 days after that. Bookings in
/// any other status (no-show, not reached, cancelled, …) get none. Call it inside the
/// transaction that completes the booking, so the invitation exists exactly when the
/// completion does.
pub fn invite_after_visit(conn: &mut DbConnection, booking: &Booking, now: DateTime<Utc>) -> Result<()> {
    if booking.status != BookingStatus::Completed {
        return Ok(());
    }
    let rules = crate::offices::get(conn, booking.office_id)?.fields.booking_rules;
    let due = now + Duration::minutes(i64::from(rules.questionnaire_delay_minutes));
    let questionnaire = pilot();
    let token = new_token();
    let expires_at = due + Duration::days(INVITATION_VALID_DAYS);
    diesel::insert_into(questionnaire_invitations::table)
        .values((
            questionnaire_invitations::id.eq(DbId(uuid::Uuid::new_v4())),
            questionnaire_invitations::booking_id.eq(DbId::from(booking.id)),
            questionnaire_invitations::questionnaire_key.eq(&questionnaire.key),
            questionnaire_invitations::questionnaire_version.eq(version_column(questionnaire.version)?),
            questionnaire_invitations::token_hash.eq(token_hash(&token)),
            questionnaire_invitations::created_at.eq(DbTime(now)),
            questionnaire_invitations::expires_at.eq(DbTime(expires_at)),
        ))
        .execute(conn)?;
    let message = NewMessage {
        kind: MessageKind::QuestionnaireInvitation,
        booking_id: Some(booking.id),
        recipient: booking.email.clone(),
        locale: booking.language,
        payload: Payload { link_token: Some(token), expires_at: Some(expires_at), ..Payload::default() },
        due_at: due,
    };
    crate::outbox::enqueue(conn, &message, now)?;
    Ok(())
}

/// The invitation of a token; an unknown or malformed token is `NotFound`.
fn invitation(conn: &mut DbConnection, token: &str) -> Result<InvitationRow> {
    let not_found = StoreError::NotFound("questionnaire");
    if !well_formed(token) {
        return Err(not_found);
    }
    questionnaire_invitations::table
        .filter(questionnaire_invitations::token_hash.eq(token_hash(token)))
        .select(InvitationRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(not_found)
}

/// The questionnaire a link opens, in the booking's language. An unknown token is
/// `NotFound`, an answered one `Conflict`, an expired one `Gone`.
pub fn open(conn: &mut DbConnection, token: &str, now: DateTime<Utc>) -> Result<OpenQuestionnaire> {
    let inv = invitation(conn, token)?;
    inv.check_usable(now)?;
    let language: String = bookings::table.find(inv.booking()?).select(bookings::language).first(conn)?;
    let locale =
        language.parse().map_err(|_| StoreError::Corrupt(format!("booking language `{language}`")))?;
    let version = u32::try_from(inv.questionnaire_version).map_err(|_| {
        StoreError::Corrupt(format!("invitation questionnaire version {}", inv.questionnaire_version))
    })?;
    Ok(OpenQuestionnaire {
        questionnaire: template(conn, &inv.questionnaire_key, version)?,
        locale,
        expires_at: inv.expires_at.0,
    })
}

/// How the visit was booked, in the coarse terms the analysis compares.
fn booking_mode(booked_by: BookedBy) -> &'static str {
    match booked_by {
        BookedBy::CitizenSelf => "self_service",
        BookedBy::Advisor | BookedBy::PhoneService => "advisor",
        BookedBy::WalkIn => "walk_in",
    }
}

/// The ISO week (`2026-W48`) of an instant on the office's wall clock: the finest time a
/// response keeps.
pub fn iso_week(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone).format("%G-W%V").to_string()
}

/// Midnight (UTC) of the day of `now`.
fn answered_day(now: DateTime<Utc>) -> DateTime<Utc> {
    now.date_naive().and_time(chrono::NaiveTime::MIN).and_utc()
}

/// Stores answers given through a link, once. The token is spent by a conditional update
/// (`answered_at IS NULL AND expires_at > now`) that exactly one of any number of
/// concurrent answers wins; the others get `Conflict`, an expired link `Gone`, an unknown
/// one `NotFound`. The response keeps the visit's office, topic, channel, ISO week, pilot
/// group and booking mode, and one row per answered question; nothing that leads back to
/// the booking or the person.
pub fn answer(
    conn: &mut DbConnection,
    token: &str,
    answers: &ValidAnswers,
    now: DateTime<Utc>,
) -> Result<()> {
    if !well_formed(token) {
        return Err(StoreError::NotFound("questionnaire"));
    }
    let hash = token_hash(token);
    crate::write_transaction(conn, |conn| {
        let spent = diesel::update(
            questionnaire_invitations::table
                .filter(questionnaire_invitations::token_hash.eq(&hash))
                .filter(questionnaire_invitations::answered_at.is_null())
                .filter(questionnaire_invitations::expires_at.gt(DbTime(now)))
                .filter(questionnaire_invitations::booking_id.is_not_null()),
        )
        // Only the day is kept: an exact time, matched against the order in which responses
        // are stored, could tie an anonymous response to its booking.
        .set(questionnaire_invitations::answered_at.eq(Some(DbTime(answered_day(now)))))
        .execute(conn)?;
        let inv = invitation(conn, token)?;
        if spent == 0 {
            inv.check_usable(now)?;
            // Unusable a moment ago, usable now: only a clock going backwards does this.
            return Err(StoreError::Conflict("this questionnaire has already been answered".into()));
        }
        let version = version_column(answers.version())?;
        if (answers.questionnaire(), version) != (inv.questionnaire_key.as_str(), inv.questionnaire_version) {
            return Err(StoreError::field("answers", "were checked against another questionnaire"));
        }
        insert_response(conn, &inv, answers)
    })
}

fn insert_response(conn: &mut DbConnection, inv: &InvitationRow, answers: &ValidAnswers) -> Result<()> {
    let (office, topic, channel, start, booked_by): (DbId, DbId, String, DbTime, String) = bookings::table
        .find(inv.booking()?)
        .select((
            bookings::office_id,
            bookings::topic_id,
            bookings::channel,
            bookings::starts_at,
            bookings::booked_by,
        ))
        .first(conn)?;
    let (zone, pilot_group): (String, String) =
        offices::table.find(office).select((offices::time_zone, offices::pilot_group)).first(conn)?;
    let zone: Tz = zone.parse().map_err(|_| StoreError::Corrupt(format!("office time zone `{zone}`")))?;
    let booked_by = BookedBy::parse(&booked_by)
        .ok_or_else(|| StoreError::Corrupt(format!("booking booked_by `{booked_by}`")))?;
    // Random, not time-ordered: the id must not tell when the answer came.
    let id = DbId(uuid::Uuid::new_v4());
    diesel::insert_into(questionnaire_responses::table)
        .values((
            questionnaire_responses::id.eq(id),
            questionnaire_responses::questionnaire_key.eq(&inv.questionnaire_key),
            questionnaire_responses::questionnaire_version.eq(inv.questionnaire_version),
            questionnaire_responses::office_id.eq(office),
            questionnaire_responses::topic_id.eq(topic),
            questionnaire_responses::channel.eq(channel),
            questionnaire_responses::week.eq(iso_week(start.0, zone)),
            questionnaire_responses::pilot_group.eq(pilot_group),
            questionnaire_responses::booking_mode.eq(booking_mode(booked_by)),
        ))
        .execute(conn)?;
    for (question, _, value) in answers.iter() {
        let (mut score, mut choice, mut choices, mut yes_no, mut text) = (None, None, None, None, None);
        match value {
            Answer::Score(n) => score = Some(i32::from(*n)),
            Answer::Choice(key) => choice = Some(key.clone()),
            Answer::Choices(keys) => choices = Some(crate::json::to_text(keys)),
            Answer::YesNo(b) => yes_no = Some(*b),
            Answer::Text(t) => text = Some(t.clone()),
        }
        diesel::insert_into(response_answers::table)
            .values((
                response_answers::response_id.eq(id),
                response_answers::question_key.eq(question),
                response_answers::score.eq(score),
                response_answers::choice.eq(choice),
                response_answers::choices.eq(choices),
                response_answers::yes_no.eq(yes_no),
                response_answers::text_value.eq(text),
            ))
            .execute(conn)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_43_url_safe_characters_and_differ() {
        let (a, b) = (new_token(), new_token());
        assert!(well_formed(&a) && well_formed(&b), "{a} {b}");
        assert_ne!(a, b);
        assert_eq!(URL_SAFE_NO_PAD.decode(&a).unwrap().len(), TOKEN_BYTES);
    }

    #[test]
    fn the_hash_is_sha256_hex() {
        assert_eq!(token_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn malformed_tokens_are_refused_before_any_query() {
        for bad in ["", "short", &"a".repeat(44), &format!("{}=", "a".repeat(42)), &"ä".repeat(21)] {
            assert!(!well_formed(bad), "{bad}");
        }
    }

    #[test]
    fn weeks_are_iso_weeks_on_the_office_clock() {
        let helsinki = chrono_tz::Europe::Helsinki;
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        assert_eq!(iso_week(at("2026-11-25T10:00:00Z"), helsinki), "2026-W48");
        // Sunday 23:30 UTC is already Monday in Helsinki, and a new ISO year.
        assert_eq!(iso_week(at("2027-01-03T22:30:00Z"), helsinki), "2027-W01");
        assert_eq!(iso_week(at("2027-01-03T22:30:00Z"), chrono_tz::UTC), "2026-W53");
    }

    #[test]
    fn booking_modes() {
        assert_eq!(booking_mode(BookedBy::CitizenSelf), "self_service");
        assert_eq!(booking_mode(BookedBy::Advisor), "advisor");
        assert_eq!(booking_mode(BookedBy::PhoneService), "advisor");
        assert_eq!(booking_mode(BookedBy::WalkIn), "walk_in");
    }
}
