//! `/{lang}/staff/bookings/{id}`: one booking in full for staff of its office, with its
//! history; the status buttons and call logging of the day page post here. The identity
//! code is masked until "show identity code" (a POST, audited) is pressed.

use super::day::{channel_text, needs, personal};
use crate::catalogue::{StaffText as S, Text, Tr};
use crate::chrome::Chrome;
use crate::error::Problem;
use crate::forms::Errors;
use crate::pages::book::questions::language_name;
use crate::pages::book::see_other;
use crate::staff::{Signed, StaffForm};
use actix_web::{web, HttpResponse};
use askama::Template;
use aukiolo_domain::booking::{Action, BookedBy, Booking, BookingStatus};
use aukiolo_domain::{dates, visit_clock, BookingId, LocalisedText, StaffUserId, TopicId};
use aukiolo_store::bookings::{self, Actor};
use aukiolo_store::personal_data::PersonalDataKeys;
use aukiolo_store::{audit, staff, DbConnection, Refusal, StoreError};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use std::collections::HashMap;

/// A status button: the action's form value and its label.
pub struct Button {
    pub action: &'static str,
    pub label: &'static str,
    /// Secondary (grey) for the less common actions.
    pub secondary: bool,
}

pub fn status_text(t: Tr, s: BookingStatus) -> &'static str {
    t.s(match s {
        BookingStatus::Booked => S::StatusBooked,
        BookingStatus::Arrived => S::StatusArrived,
        BookingStatus::InService => S::StatusInService,
        BookingStatus::Completed => S::StatusCompleted,
        BookingStatus::NoShow => S::StatusNoShow,
        BookingStatus::CancelledByCitizen => S::StatusCancelledByCitizen,
        BookingStatus::CancelledByOffice => S::StatusCancelledByOffice,
        BookingStatus::NotReached => S::StatusNotReached,
    })
}

/// The form value of each action a page offers, and its label.
fn action_form(a: Action) -> Option<(&'static str, S, bool)> {
    Some(match a {
        Action::Arrive => ("arrive", S::ActArrive, false),
        Action::Start => ("start", S::ActStart, false),
        Action::Complete => ("complete", S::ActComplete, false),
        Action::NoShow => ("no_show", S::ActNoShow, true),
        Action::Reinstate => ("reinstate", S::ActReinstate, true),
        _ => return None,
    })
}

/// The actions that make sense for `b` now, as buttons (cancelling has its own form).
pub fn buttons(t: Tr, b: &Booking, now: DateTime<Utc>, tz: Tz) -> Vec<Button> {
    actions_now(b, now, tz)
        .into_iter()
        .filter_map(action_form)
        .map(|(action, label, secondary)| Button { action, label: t.s(label), secondary })
        .collect()
}

fn actions_now(b: &Booking, now: DateTime<Utc>, tz: Tz) -> Vec<Action> {
    visit_clock::actions_now(b.status, b.channel, b.start, b.end, now, tz)
}

/// Whether calls to `b` may be logged now (a phone appointment in its call window).
pub fn calls_now(b: &Booking, now: DateTime<Utc>, tz: Tz) -> bool {
    visit_clock::call_allowed(b.status, b.channel, b.start, b.end, now, tz).is_ok()
}

/// Every topic's name, by id.
pub fn topic_names(c: &mut DbConnection) -> Result<HashMap<TopicId, LocalisedText>, StoreError> {
    Ok(aukiolo_store::topics::list(c)?.into_iter().map(|t| (t.id, t.fields.name)).collect())
}

pub struct HistoryRow {
    pub when: String,
    pub what: String,
    pub who: String,
}

#[derive(Template)]
#[template(path = "staff/booking.html")]
struct BookingPage {
    c: Chrome,
    heading: String,
    facts: Vec<(&'static str, String)>,
    identity: String,
    identity_shown: bool,
    /// The personal data is gone: nothing to reveal.
    purged: bool,
    needs: Vec<String>,
    matter: String,
    status: &'static str,
    buttons: Vec<Button>,
    phone_calls: bool,
    may_cancel: bool,
    history: Vec<HistoryRow>,
    csrf: String,
    base: String,
    errors: Errors,
    notice: Option<String>,
    /// A completed visit: the link to its assessment.
    assessment: Option<String>,
}

/// What the page needs besides the booking.
struct Loaded {
    booking: Booking,
    office: aukiolo_domain::office::Office,
    topic: LocalisedText,
    advisor: String,
    events: Vec<aukiolo_domain::booking::BookingEvent>,
    authors: HashMap<String, String>,
}

async fn load(signed: &Signed, id: BookingId, audit_action: &'static str) -> Result<Loaded, Problem> {
    let site = signed.site().clone();
    let (keys, now, me, principal) =
        (site.personal.clone(), site.now(), signed.session.user.id, signed.session.user.principal());
    site.read(move |c| {
        let booking = bookings::get(c, &keys, id)?;
        if !principal.covers(booking.office_id) {
            return Ok(Err(Problem::Forbidden));
        }
        audit::record(c, me, audit_action, &[id], now)?;
        let office = aukiolo_store::offices::get(c, booking.office_id)?;
        let topic = aukiolo_store::topics::get(c, booking.topic_id)?.fields.name;
        let advisor = aukiolo_store::advisors::get(c, booking.advisor_id)?.fields.name;
        let events = bookings::events(c, id)?;
        let mut authors = HashMap::new();
        for e in &events {
            if let Some(raw) = e.actor.strip_prefix("staff:") {
                if let (false, Ok(author)) = (authors.contains_key(&e.actor), raw.parse()) {
                    let email = staff::get(c, author).map(|u| u.email).unwrap_or_default();
                    authors.insert(e.actor.clone(), email);
                }
            }
        }
        Ok(Ok(Loaded { booking, office, topic, advisor, events, authors }))
    })
    .await?
}

fn booked_by(t: Tr, b: BookedBy) -> &'static str {
    t.s(match b {
        BookedBy::CitizenSelf => S::BookedByCitizen,
        BookedBy::Advisor => S::BookedByAdvisor,
        BookedBy::PhoneService => S::BookedByPhoneService,
        BookedBy::WalkIn => S::BookedByWalkIn,
    })
}

fn event_text(t: Tr, kind: &str) -> String {
    match BookingStatus::parse(kind) {
        Some(s) => status_text(t, s).to_owned(),
        None => kind.replace('_', " "),
    }
}

fn render(signed: &Signed, l: Loaded, identity_shown: bool, errors: Errors) -> Result<HttpResponse, Problem> {
    let lang = signed.lang();
    let t = Tr(lang);
    let b = &l.booking;
    let tz = l.office.fields.tz();
    let now = signed.site().now();
    let local = |at: DateTime<Utc>| at.with_timezone(&tz).naive_local();
    let heading = t.fill_s(S::BookingTitle, &[("reference", &b.reference)]);
    let facts = vec![
        (t.s(S::When), dates::date_time_range(lang, local(b.start), local(b.end))),
        (t.s(S::Channel), channel_text(t, b.channel).to_owned()),
        (t.s(S::Topic), l.topic.get(lang).to_owned()),
        (t.s(S::Office), l.office.fields.name.get(lang).to_owned()),
        (t.s(S::Advisor), l.advisor.clone()),
        (t.s(S::Language), t.get(language_name(b.language)).to_owned()),
        (t.s(S::BookedBy), booked_by(t, b.booked_by).to_owned()),
        (t.s(S::Name), personal(t, b, &b.name)),
        (t.s(S::Email), personal(t, b, &b.email)),
        (t.s(S::Phone), personal(t, b, b.phone.as_deref().unwrap_or("–"))),
    ];
    let history = l
        .events
        .iter()
        .map(|e| HistoryRow {
            when: dates::date_time(lang, local(e.at)),
            what: match &e.detail {
                Some(d) => format!("{}: {d}", event_text(t, &e.kind)),
                None => event_text(t, &e.kind),
            },
            who: match e.actor.as_str() {
                "citizen" => t.s(S::ByCitizen).to_owned(),
                "system" => t.s(S::BySystem).to_owned(),
                other => l.authors.get(other).cloned().unwrap_or_else(|| t.s(S::ByStaff).to_owned()),
            },
        })
        .collect();
    let mut c = super::chrome(signed, &heading, "/day");
    if !errors.is_empty() {
        c.mark_error();
    }
    let page = BookingPage {
        c,
        heading,
        facts,
        identity: match &b.personal_id {
            Some(code) if identity_shown => code.expose().to_owned(),
            Some(code) => code.masked(),
            None => personal(t, b, ""),
        },
        identity_shown,
        purged: b.is_purged(),
        needs: needs(t, b),
        matter: personal(t, b, &b.description),
        status: status_text(t, b.status),
        buttons: buttons(t, b, now, tz),
        phone_calls: calls_now(b, now, tz),
        may_cancel: actions_now(b, now, tz).contains(&Action::CancelByOffice),
        history,
        csrf: signed.session.csrf_token.clone(),
        base: format!("/{}/staff/bookings/{}", lang.as_str(), b.id.0),
        errors,
        notice: if identity_shown {
            Some(t.s(S::IdentityShownNotice).to_owned())
        } else if signed.cx.req.query_string().contains("assessed=1") {
            Some(t.s(S::AssessedNotice).to_owned())
        } else if signed.cx.req.query_string().contains("booked=1") {
            Some(t.fill_s(S::BookedNotice, &[("reference", &b.reference)]))
        } else {
            None
        },
        assessment: (b.status == BookingStatus::Completed)
            .then(|| format!("/{}/staff/bookings/{}/assessment", lang.as_str(), b.id.0)),
    };
    super::html(&page)
}

pub async fn page(signed: Signed, id: web::Path<(String, BookingId)>) -> Result<HttpResponse, Problem> {
    let l = load(&signed, id.1, "read_booking").await?;
    render(&signed, l, false, Errors::default())
}

#[derive(Deserialize)]
pub struct Nothing {}

/// Shows the whole identity code, in the answer to the POST only (never in an address).
pub async fn reveal(
    form: StaffForm<Nothing>,
    id: web::Path<(String, BookingId)>,
) -> Result<HttpResponse, Problem> {
    let l = load(&form.signed, id.1, "reveal_personal_id").await?;
    render(&form.signed, l, true, Errors::default())
}

#[derive(Deserialize)]
pub struct StatusForm {
    action: Action,
    #[serde(default)]
    reason: String,
    /// The page to return to (the day, or this booking).
    #[serde(default)]
    back: String,
}

/// Where a staff form returns: a staff page of ours, or the booking itself.
fn back_to(signed: &Signed, back: &str, booking: BookingId) -> String {
    let prefix = format!("/{}/staff/", signed.lang().as_str());
    if back.starts_with(&prefix) && !back.contains("//") {
        back.to_owned()
    } else {
        format!("/{}/staff/bookings/{}", signed.lang().as_str(), booking.0)
    }
}

pub async fn change_status(
    form: StaffForm<StatusForm>,
    id: web::Path<(String, BookingId)>,
) -> Result<HttpResponse, Problem> {
    let StaffForm { signed, fields } = form;
    // Not reached follows from the calls; the citizen cancels on their own page.
    let action = match fields.action {
        Action::CancelByCitizen | Action::NotReached => return Err(Problem::BadForm),
        a => a,
    };
    let reason = Some(fields.reason.trim().to_owned()).filter(|r| !r.is_empty());
    act(signed, id.1, &fields.back, "change_booking", move |c, keys, b, me, now| {
        bookings::transition(c, keys, b.id, action, reason.as_deref(), Actor::Staff(me), now).map(drop)
    })
    .await
}

#[derive(Deserialize)]
pub struct CallForm {
    reached: bool,
    #[serde(default)]
    back: String,
}

pub async fn log_call(
    form: StaffForm<CallForm>,
    id: web::Path<(String, BookingId)>,
) -> Result<HttpResponse, Problem> {
    let StaffForm { signed, fields } = form;
    let max = signed.site().staff.max_call_attempts;
    let reached = fields.reached;
    act(signed, id.1, &fields.back, "call_attempt", move |c, keys, b, me, now| {
        aukiolo_store::visits::log_call(c, keys, b.id, me, reached, max, now).map(drop)
    })
    .await
}

/// Runs a staff change on a booking of the signer's office in one transaction with its
/// audit entry; then back to `back`, or, when the store refuses it (`Refused`: the
/// status or the clock does not allow it), the booking again with why (409).
async fn act(
    signed: Signed,
    id: BookingId,
    back: &str,
    audit_action: &'static str,
    f: impl FnOnce(
            &mut DbConnection,
            &PersonalDataKeys,
            &Booking,
            StaffUserId,
            DateTime<Utc>,
        ) -> Result<(), StoreError>
        + Send
        + 'static,
) -> Result<HttpResponse, Problem> {
    let site = signed.site().clone();
    let (keys, now, me) = (site.personal.clone(), site.now(), signed.session.user.id);
    let principal = signed.session.user.principal();
    let outcome = site
        .read(move |c| {
            let done = aukiolo_store::write_transaction(c, |c| {
                let b = bookings::get(c, &keys, id)?;
                if !principal.covers(b.office_id) {
                    return Ok(false);
                }
                audit::record(c, me, audit_action, &[id], now)?;
                f(c, &keys, &b, me, now).map(|()| true)
            });
            match done {
                Ok(allowed) => Ok(Ok(allowed)),
                Err(StoreError::Refused(why)) => Ok(Err(why)),
                Err(e) => Err(e),
            }
        })
        .await?;
    match outcome {
        Ok(false) => Err(Problem::Forbidden),
        Ok(true) => Ok(see_other(&back_to(&signed, back, id))),
        Err(why) => refused(&signed, id, why).await,
    }
}

/// The booking again, with why the change was not made (409).
async fn refused(signed: &Signed, id: BookingId, why: Refusal) -> Result<HttpResponse, Problem> {
    let t = Tr(signed.lang());
    let l = load(signed, id, "read_booking").await?;
    let why = super::refusal::refusal_text(t, &why, l.office.fields.tz());
    let mut errors = Errors::default();
    errors.add("status", t.fill_s(S::ChangeRefused, &[("why", &why)]));
    Ok(crate::error::with_status(render(signed, l, false, errors)?, actix_web::http::StatusCode::CONFLICT))
}
