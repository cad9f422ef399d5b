//! `/{lang}/book/check`: every answer with a "Change" link, then "Book appointment".
//! The POST is idempotent: the journey's id is the booking's idempotency key, so a
//! double click or a resubmit books once and shows the same confirmation. A time taken
//! meanwhile leads back to the time page with the notice, every other answer kept.

use super::about::{posted, with_cookie};
use super::questions::language_name;
use super::{see_other, Flow, Step};
use crate::catalogue::{Text, Tr};
use crate::chrome::Chrome;
use crate::error::Problem;
use crate::forms::Errors;
use crate::journey::{Choices, Details, Journey, Matter, Query};
use crate::lang::Cx;
use crate::site::Site;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use aukiolo_domain::booking::{BookedBy, Needs};
use aukiolo_domain::contact::{Email, Phone};
use aukiolo_domain::personal_id::PersonalId;
use aukiolo_domain::{dates, Channel, Locale};
use aukiolo_store::availability::{RulesApply, TimeQuery};
use aukiolo_store::bookings::{self, Actor, Booked, NewBooking};
use aukiolo_store::rate_limits::Counted;
use aukiolo_store::StoreError;
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// One answer on the check page.
#[derive(Clone, Debug)]
pub struct Row {
    pub label: String,
    pub value: String,
    /// The change link and the visually hidden name of what it changes.
    pub change: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "check.html")]
struct CheckPage {
    c: Chrome,
    step: String,
    action: String,
    token: String,
    rows: Vec<Row>,
    errors: Errors,
}

/// A journey with every answer.
struct Complete {
    flow: Flow,
    journey: Journey,
    matter: Matter,
    details: Details,
}

/// The journey when it is complete; else where to go.
async fn complete(
    req: &HttpRequest,
    lang: Locale,
    site: &Site,
    query: &Query,
) -> Result<Result<Complete, HttpResponse>, Problem> {
    let choices = Choices::from_query(query);
    let flow = site.read(move |c| Flow::load(c, choices)).await?;
    if let Some(missing) = flow.missing_before(Step::Check) {
        return Ok(Err(see_other(&flow.url(lang, missing))));
    }
    let Some(journey) = Journey::from_request(req, &site.sealer, site.now()) else {
        return Ok(Err(see_other(&flow.url(lang, Step::Matter))));
    };
    if let Some(done) = &journey.booked {
        return Ok(Err(see_other(done)));
    }
    let (Some(matter), Some(details)) = (journey.matter.clone(), journey.details.clone()) else {
        return Ok(Err(see_other(&flow.url(lang, Step::Matter))));
    };
    Ok(Ok(Complete { flow, journey, matter, details }))
}

fn rows(lang: Locale, flow: &Flow, matter: &Matter, details: &Details) -> Vec<Row> {
    let t = Tr(lang);
    let mut rows = Vec::new();
    let mut row = |label: Text, value: String, change: Option<String>| {
        let label = t.get(label).to_owned();
        let change = change.map(|href| (href, label.to_lowercase()));
        rows.push(Row { label, value, change });
    };
    let change = |step: Step| flow.asks(step).then(|| flow.url(lang, step));
    let from_check = |step: Step| {
        Some(format!(
            "{}{}from=check",
            flow.url(lang, step),
            if flow.choices.pairs().is_empty() { "?" } else { "&" }
        ))
    };
    row(
        Text::CheckTopic,
        flow.topic().map(|tp| tp.fields.name.get(lang).to_owned()).unwrap_or_default(),
        change(Step::Topic),
    );
    let channel = match flow.choices.channel {
        Some(Channel::Phone) => t.get(Text::ChannelPhone),
        _ => t.get(Text::ChannelOffice),
    };
    row(Text::CheckChannel, channel.to_owned(), change(Step::Channel));
    if let Some(o) = flow.office() {
        let a = &o.fields.address;
        let place =
            format!("{}\n{}, {} {}", o.fields.name.get(lang), a.street, a.postal_code, a.municipality);
        row(Text::CheckOffice, place, change(Step::Office));
    }
    if let Some(l) = flow.choices.language {
        row(Text::CheckLanguage, t.get(language_name(l)).to_owned(), change(Step::Language));
    }
    if let Some(start) = flow.choices.start {
        let tz = flow.tz();
        let duration = flow.topic().map_or(30, |tp| i64::from(tp.fields.duration_minutes));
        let local = start.with_timezone(&tz).naive_local();
        let end = local + chrono::Duration::minutes(duration);
        let when =
            format!("{} ({})", dates::date_time_range(lang, local, end), t.get(Text::FinnishTimeShort));
        row(Text::CheckTime, when, Some(flow.url(lang, Step::Time)));
    }
    row(Text::CheckMatter, matter.description.clone(), from_check(Step::Matter));
    if !matter.interpreter.is_empty() {
        row(Text::InterpreterLabel, matter.interpreter.clone(), from_check(Step::Matter));
    }
    if !matter.accessibility.is_empty() {
        row(Text::AccessibilityLabel, matter.accessibility.clone(), from_check(Step::Matter));
    }
    row(Text::NameLabel, details.name.clone(), from_check(Step::Details));
    row(Text::PersonalIdLabel, details.personal_id.clone(), from_check(Step::Details));
    row(Text::EmailLabel, details.email.clone(), from_check(Step::Details));
    if !details.phone.is_empty() {
        row(Text::PhoneLabelOptional, details.phone.clone(), from_check(Step::Details));
    }
    rows
}

fn check_page(
    req: &HttpRequest,
    lang: Locale,
    site: &Site,
    j: &Complete,
    error: Option<String>,
) -> Result<HttpResponse, Problem> {
    let Complete { flow, journey, matter, details } = j;
    let t = Tr(lang);
    let mut c = Chrome::new(req, lang, t.get(Text::CheckTitle)).with_back(flow.back(lang, Step::Check));
    let mut errors = Errors::default();
    if let Some(message) = error {
        errors.add("book", message);
        c.mark_error();
    }
    let (n, of) = flow.position(Step::Check);
    crate::pages::html(&CheckPage {
        c,
        step: t.fill(Text::StepOf, &[("n", &n.to_string()), ("of", &of.to_string())]),
        action: flow.url(lang, Step::Check),
        token: journey.token(&site.sealer),
        rows: rows(lang, flow, matter, details),
        errors,
    })
}

pub async fn page(
    Cx { req, lang, site }: Cx,
    web::Query(query): web::Query<Query>,
) -> Result<HttpResponse, Problem> {
    let complete = or_redirect!(complete(&req, lang, &site, &query).await);
    check_page(&req, lang, &site, &complete, None)
}

#[derive(Debug, Deserialize)]
pub struct BookForm {
    #[serde(default)]
    token: String,
}

/// The booking the journey asks for; `None` if an answer no longer holds (checked again
/// here, since the cookie may be older than a rule).
fn new_booking(flow: &Flow, matter: &Matter, details: &Details) -> Option<NewBooking> {
    let start = flow.choices.start?;
    let channel = flow.choices.channel?;
    let locale = flow.choices.language?;
    let interpreter = (!matter.interpreter.is_empty()).then(|| matter.interpreter.parse().ok()).flatten();
    let phone = (!details.phone.is_empty()).then(|| Phone::parse(&details.phone).ok()).flatten();
    Some(NewBooking {
        query: TimeQuery {
            topic_id: flow.choices.topic?,
            channel,
            office_id: if channel == Channel::Office { Some(flow.choices.office?) } else { None },
            advisor_id: None,
            language: locale.into(),
            from: start,
            to: start,
        },
        start,
        locale,
        name: details.name.clone(),
        personal_id: PersonalId::parse(&details.personal_id).ok()?,
        email: Email::parse(&details.email).ok()?.as_str().to_owned(),
        phone: phone.map(|p| p.as_str().to_owned()),
        description: matter.description.clone(),
        needs: Needs {
            interpreter,
            accessibility: (!matter.accessibility.is_empty()).then(|| matter.accessibility.clone()),
        },
        booked_by: BookedBy::CitizenSelf,
    })
}

/// What an idempotency key is checked against: the same answers replay the booking,
/// changed ones are refused under the same key.
pub fn request_hash(new: &NewBooking) -> String {
    let fingerprint = format!(
        "{:?}",
        (
            &new.query,
            new.start,
            &new.name,
            new.personal_id.expose(),
            &new.email,
            &new.phone,
            &new.description,
            &new.needs,
            new.booked_by
        )
    );
    aukiolo_domain::hex::hex(&Sha256::digest(fingerprint.as_bytes()))
}

pub async fn book(
    Cx { req, lang, site }: Cx,
    web::Query(query): web::Query<Query>,
    web::Form(form): web::Form<BookForm>,
) -> Result<HttpResponse, Problem> {
    let posted_journey = posted(&req, &site, &form.token)?;
    site.limit(Counted::BookingsByAddress, &site.client_address(&req))?;
    let mut complete = or_redirect!(complete(&req, lang, &site, &query).await);
    if posted_journey.is_none_or(|j| j.id != complete.journey.id) {
        return Err(Problem::FormRefused);
    }
    let flow = &complete.flow;
    let Some(new) = new_booking(flow, &complete.matter, &complete.details) else {
        return Ok(see_other(&flow.url(lang, Step::Details)));
    };
    // One journey, one booking: the same answers replay it; changed answers (after going
    // back) are a new request under a key of their own.
    site.limit(Counted::BookingsByPerson, &site.personal.lookup_hash(new.personal_id.expose()))?;
    let hash = request_hash(&new);
    let key = format!("web:{}:{}", complete.journey.id, &hash[..16]);
    let (personal, now) = (site.personal.clone(), site.now());
    let result = site
        .db(move |c| {
            bookings::book(c, &personal, &new, Some((&key, &hash)), Actor::Citizen, now, RulesApply::Yes)
        })
        .await;
    match result {
        Ok(Booked::Created(b) | Booked::Replayed(b)) => {
            let done = format!("/{}/booking/{}?t={}", lang.as_str(), b.reference, site.links.issue(&b));
            complete.journey.booked = Some(done.clone());
            Ok(with_cookie(see_other(&done), &req, &site, &complete.journey))
        }
        Err(StoreError::TimeTaken(_)) => Ok(see_other(&taken_url(lang, flow))),
        Err(StoreError::Invalid(fields)) => {
            let t = Tr(lang);
            // A time the rules no longer allow (notice, hold-back, horizon) is, for the
            // citizen, a time no longer free.
            if fields.iter().any(|f| f.field == "start") {
                return Ok(see_other(&taken_url(lang, flow)));
            }
            let message = if fields.iter().any(|f| f.field == "personal_id") {
                t.get(Text::TooManyBookings)
            } else {
                tracing::warn!(?fields, "booking refused");
                t.get(Text::BookingRefused)
            };
            check_page(&req, lang, &site, &complete, Some(message.to_owned()))
        }
        Err(e) => Err(Problem::from(e)),
    }
}

/// The time page again, in the week of the time that was lost, with the notice.
fn taken_url(lang: Locale, flow: &Flow) -> String {
    let mut choices = flow.choices.clone();
    let tz = flow.tz();
    choices.week = choices.start.map(|s| s.with_timezone(&tz).date_naive());
    choices.start = None;
    let mut pairs = choices.pairs();
    pairs.push(("taken", "1".to_owned()));
    super::with_query(&format!("/{}/book/time", lang.as_str()), &pairs)
}
