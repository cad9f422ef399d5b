//! `/{lang}/staff/offices/{id}/conflicts`: the office's bookings whose time the calendar
//! no longer offers, one entry per booking, each with its ways out
//! (`store::conflicts::ways_out`, as the API lists them): another advisor at the same
//! time, one of the next free times, or cancelling with a notice to the citizen. The
//! changes go through the store functions the API uses, audited the same way, each in one
//! transaction; a way out that closed meanwhile is said on the page in its language.

use super::board::{conflict_text, conflicts_path};
use super::booking::{status_text, topic_names};
use super::day::channel_text;
use crate::catalogue::{StaffText as S, Text, Tr};
use crate::chrome::Chrome;
use crate::error::{with_status, Problem};
use crate::forms::Errors;
use crate::pages::book::{see_other, with_query};
use crate::staff::{Signed, StaffForm};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use aukiolo_domain::booking::{Action, Booking, BookingStatus};
use aukiolo_domain::office::Office;
use aukiolo_domain::{dates, visit_clock, BookingId, OfficeId};
use aukiolo_store::availability::RulesApply;
use aukiolo_store::bookings::{self, Actor};
use aukiolo_store::{audit, conflicts, StoreError};
use chrono::{DateTime, Utc};
use serde::Deserialize;

/// A way out offered as a button: the time to move to (empty: the same time, another
/// advisor) and its label.
pub struct MoveChoice {
    pub start: String,
    pub label: String,
}

pub struct Entry {
    /// The entry's id on the page, where its errors link.
    pub anchor: String,
    pub heading: String,
    pub facts: Vec<(&'static str, String)>,
    pub moves: Vec<MoveChoice>,
    pub move_action: String,
    pub cancel_action: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "staff/conflicts.html")]
struct ConflictsPage {
    c: Chrome,
    heading: String,
    entries: Vec<Entry>,
    errors: Errors,
    notice: Option<String>,
    csrf: String,
    board: String,
}

#[derive(Deserialize, Default)]
pub struct Done {
    moved: Option<BookingId>,
    cancelled: Option<BookingId>,
}

/// What the page says after a way out was taken (from the 303's query).
fn notice(
    t: Tr,
    office: &Office,
    done: &Done,
    c: &mut aukiolo_store::DbConnection,
    keys: &aukiolo_store::personal_data::PersonalDataKeys,
) -> Result<Option<String>, StoreError> {
    let lang = t.0;
    let tz = office.fields.tz();
    let when = |b: &Booking| dates::date_time(lang, b.start.with_timezone(&tz).naive_local());
    let ours = |b: Booking| (b.office_id == office.id).then_some(b);
    if let Some(b) = done.moved.map(|id| bookings::get(c, keys, id)).transpose()?.and_then(ours) {
        let advisor = aukiolo_store::advisors::get(c, b.advisor_id)?.fields.name;
        return Ok(Some(t.fill_s(
            S::MovedNotice,
            &[("reference", &b.reference), ("advisor", &advisor), ("when", &when(&b))],
        )));
    }
    if let Some(b) = done.cancelled.map(|id| bookings::get(c, keys, id)).transpose()?.and_then(ours) {
        return Ok(Some(t.fill_s(S::CancelledNotice, &[("reference", &b.reference), ("when", &when(&b))])));
    }
    Ok(None)
}

/// The page, with `errors` (a refused way out) and the reasons typed so far.
async fn render(
    signed: &Signed,
    office: Office,
    done: Done,
    errors: Errors,
    typed: Option<(BookingId, String)>,
) -> Result<HttpResponse, Problem> {
    let lang = signed.lang();
    let t = Tr(lang);
    let site = signed.site().clone();
    let (keys, now, me, office_id) = (site.personal.clone(), site.now(), signed.session.user.id, office.id);
    let shown = office.clone();
    let (found, topics, advisors, notice) = site
        .read(move |c| {
            let found = conflicts::ways_out(c, &keys, office_id, now)?;
            let ids: Vec<BookingId> = found.iter().map(|w| w.booking.id).collect();
            audit::record(c, me, "read_conflicts", &ids, now)?;
            let advisors: std::collections::HashMap<_, _> =
                aukiolo_store::advisors::list_for_office(c, office_id)?
                    .into_iter()
                    .map(|a| (a.id, a.fields.name))
                    .collect();
            let notice = notice(t, &shown, &done, c, &keys)?;
            Ok((found, topic_names(c)?, advisors, notice))
        })
        .await?;
    let tz = office.fields.tz();
    let local = |at: DateTime<Utc>| at.with_timezone(&tz).naive_local();
    let base = conflicts_path(lang, office.id);
    let entries: Vec<Entry> = found
        .iter()
        .map(|w| {
            let b = &w.booking;
            let mut moves: Vec<MoveChoice> = Vec::new();
            if w.same_time_available {
                moves.push(MoveChoice { start: String::new(), label: t.s(S::MoveSameTime).to_owned() });
            }
            moves.extend(w.alternatives.iter().filter(|a| a.start != b.start).map(|a| MoveChoice {
                start: a.start.to_rfc3339(),
                label: t.fill_s(S::MoveTo, &[("when", &dates::date_time(lang, local(a.start)))]),
            }));
            let when = dates::date_time_range(lang, local(b.start), local(b.end));
            Entry {
                anchor: anchor(b.id),
                heading: format!("{when} · {}", b.name),
                facts: vec![
                    (t.s(S::Reference), b.reference.clone()),
                    (
                        t.s(S::Topic),
                        topics.get(&b.topic_id).map(|n| n.get(lang).to_owned()).unwrap_or_default(),
                    ),
                    (t.s(S::Channel), channel_text(t, b.channel).to_owned()),
                    (t.s(S::Advisor), advisors.get(&b.advisor_id).cloned().unwrap_or_default()),
                    (t.s(S::ConflictWhy), conflict_text(t, w.conflict.reason).to_owned()),
                    (t.s(S::ConflictSince), dates::date_time(lang, local(w.conflict.since))),
                ],
                moves,
                move_action: format!("{base}/{}/move", b.id.0),
                cancel_action: format!("{base}/{}/cancel", b.id.0),
                reason: typed
                    .as_ref()
                    .filter(|(id, _)| *id == b.id)
                    .map(|(_, r)| r.clone())
                    .unwrap_or_default(),
            }
        })
        .collect();
    // A refusal about a booking no longer listed links to the list itself.
    let listed = |field: &str| entries.iter().any(|e: &Entry| e.anchor == field);
    let mut errors_here = Errors::default();
    for e in errors.list() {
        let field = if listed(&e.field) { e.field.clone() } else { LIST.to_owned() };
        errors_here.add_owned(field, e.message.clone());
    }
    let errors = errors_here;
    let heading = t.fill_s(S::ConflictsTitle, &[("office", office.fields.name.get(lang))]);
    let mut c = super::chrome(signed, &heading, &super::board_path(office.id));
    if !errors.is_empty() {
        c.mark_error();
    }
    let page = ConflictsPage {
        c,
        heading,
        entries,
        errors,
        notice,
        csrf: signed.session.csrf_token.clone(),
        board: format!("/{}/staff{}", lang.as_str(), super::board_path(office.id)),
    };
    super::html(&page)
}

/// The id of the list on the page.
const LIST: &str = "conflicts";

fn anchor(id: BookingId) -> String {
    format!("conflict-{}", id.0)
}

pub async fn page(
    signed: Signed,
    id: web::Path<(String, OfficeId)>,
    web::Query(done): web::Query<Done>,
) -> Result<HttpResponse, Problem> {
    let office = super::settings::managed(&signed, id.1).await?;
    render(&signed, office, done, Errors::default(), None).await
}

/// Why a way out was not taken, for the page to say in its language.
enum Refusal {
    /// The booking is no longer booked (moved, cancelled, done meanwhile).
    NoLongerBooked(BookingStatus),
    /// Its time has begun: the office cannot cancel it any more.
    Started,
    NoAdvisorFree,
    Taken,
    /// The time is not bookable for this booking (or the person has other bookings then).
    NotBookable,
    ChangedMeanwhile,
}

impl Refusal {
    fn text(&self, t: Tr) -> String {
        match self {
            Refusal::NoLongerBooked(s) => t.fill_s(S::NoLongerBooked, &[("status", status_text(t, *s))]),
            Refusal::Started => t.s(S::AlreadyStarted).to_owned(),
            Refusal::NoAdvisorFree => t.s(S::NoAdvisorFree).to_owned(),
            Refusal::Taken => t.s(S::TakenMeanwhile).to_owned(),
            Refusal::NotBookable => t.s(S::TimeNotBookable).to_owned(),
            Refusal::ChangedMeanwhile => t.s(S::ChangedMeanwhile).to_owned(),
        }
    }
}

/// Runs a way out on a booking of `office` in one transaction with its audit entry. The
/// booking must still be booked (and, for `check`, allowed now); the store's refusals
/// come back as a [`Refusal`].
async fn take(
    signed: &Signed,
    office: OfficeId,
    id: BookingId,
    audit_action: &'static str,
    check: Option<Action>,
    f: impl FnOnce(
            &mut aukiolo_store::DbConnection,
            &aukiolo_store::personal_data::PersonalDataKeys,
            &Booking,
            DateTime<Utc>,
        ) -> Result<Booking, StoreError>
        + Send
        + 'static,
) -> Result<Result<Booking, Refusal>, Problem> {
    let site = signed.site().clone();
    let (keys, now, me) = (site.personal.clone(), site.now(), signed.session.user.id);
    let outcome = site
        .read(move |c| {
            let done = aukiolo_store::write_transaction(c, |c| {
                let b = bookings::get(c, &keys, id)?;
                if b.office_id != office {
                    return Err(StoreError::NotFound("booking"));
                }
                if b.status != BookingStatus::Booked {
                    return Ok(Err(Refusal::NoLongerBooked(b.status)));
                }
                if let Some(action) = check {
                    let zone = aukiolo_store::offices::get(c, b.office_id)?.fields.tz();
                    if visit_clock::check(b.status, action, b.channel, b.start, b.end, now, zone).is_err() {
                        return Ok(Err(Refusal::Started));
                    }
                }
                audit::record(c, me, audit_action, &[id], now)?;
                f(c, &keys, &b, now).map(Ok)
            });
            match done {
                Err(StoreError::TimeTaken(_)) => Ok(Err(Refusal::Taken)),
                Err(StoreError::Invalid(_)) => Ok(Err(Refusal::NotBookable)),
                Err(StoreError::Conflict(_)) => Ok(Err(Refusal::ChangedMeanwhile)),
                other => other,
            }
        })
        .await?;
    Ok(outcome)
}

#[derive(Deserialize)]
pub struct MoveForm {
    /// RFC 3339; empty: the same time with another advisor.
    #[serde(default)]
    start: String,
}

pub async fn move_booking(
    form: StaffForm<MoveForm>,
    path: web::Path<(String, OfficeId, BookingId)>,
) -> Result<HttpResponse, Problem> {
    let StaffForm { signed, fields } = form;
    let (_, office_id, id) = path.into_inner();
    let office = super::settings::managed(&signed, office_id).await?;
    let start = match fields.start.trim() {
        "" => None,
        raw => Some(DateTime::parse_from_rfc3339(raw).map_err(|_| Problem::BadForm)?.with_timezone(&Utc)),
    };
    let me = signed.session.user.id;
    let moved = take(&signed, office_id, id, "move_booking", None, move |c, keys, b, now| {
        bookings::reschedule(
            c,
            keys,
            b.id,
            start.unwrap_or(b.start),
            Actor::Staff(me),
            now,
            RulesApply::StaffOverride,
        )
    })
    .await?;
    match moved {
        Ok(new) => Ok(see_other(&with_query(
            &conflicts_path(signed.lang(), office_id),
            &[("moved", new.id.0.to_string())],
        ))),
        // The same time with another advisor: none is free then, nothing was taken.
        Err(Refusal::Taken) if start.is_none() => {
            refused(&signed, office, id, Refusal::NoAdvisorFree, None).await
        }
        Err(why) => refused(&signed, office, id, why, None).await,
    }
}

#[derive(Deserialize)]
pub struct CancelForm {
    #[serde(default)]
    reason: String,
}

pub async fn cancel(
    form: StaffForm<CancelForm>,
    path: web::Path<(String, OfficeId, BookingId)>,
) -> Result<HttpResponse, Problem> {
    let StaffForm { signed, fields } = form;
    let (_, office_id, id) = path.into_inner();
    let office = super::settings::managed(&signed, office_id).await?;
    let reason = fields.reason.trim().to_owned();
    if reason.is_empty() {
        let mut errors = Errors::default();
        errors.add_owned(anchor(id), Tr(signed.lang()).s(S::CancelReasonMissing));
        let page = render(&signed, office, Done::default(), errors, Some((id, reason))).await?;
        return Ok(with_status(page, StatusCode::UNPROCESSABLE_ENTITY));
    }
    let me = signed.session.user.id;
    let told = reason.clone();
    let cancelled = take(
        &signed,
        office_id,
        id,
        "change_booking",
        Some(Action::CancelByOffice),
        move |c, keys, b, now| {
            bookings::transition(c, keys, b.id, Action::CancelByOffice, Some(&told), Actor::Staff(me), now)
        },
    )
    .await?;
    match cancelled {
        Ok(b) => Ok(see_other(&with_query(
            &conflicts_path(signed.lang(), office_id),
            &[("cancelled", b.id.0.to_string())],
        ))),
        Err(why) => refused(&signed, office, id, why, Some(reason)).await,
    }
}

/// The page again with why the way out was not taken (409), beside its booking.
async fn refused(
    signed: &Signed,
    office: Office,
    id: BookingId,
    why: Refusal,
    reason: Option<String>,
) -> Result<HttpResponse, Problem> {
    let mut errors = Errors::default();
    errors.add_owned(anchor(id), why.text(Tr(signed.lang())));
    let page = render(signed, office, Done::default(), errors, reason.map(|r| (id, r))).await?;
    Ok(with_status(page, StatusCode::CONFLICT))
}
