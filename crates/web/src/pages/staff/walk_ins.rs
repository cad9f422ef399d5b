//! `/{lang}/staff/walk-ins`: the office's walk-in log for today and a quick form (the
//! time is when it is logged; topic, what was done, and the booking made, if one was).
//! Saved through `store::visits::log_walk_in`, the same as the API.

use super::assessment::Choice;
use super::booking::topic_names;
use crate::catalogue::{StaffText as S, Text, Tr};
use crate::chrome::Chrome;
use crate::error::{with_status, Problem};
use crate::forms::Errors;
use crate::pages::book::see_other;
use crate::staff::{Signed, StaffForm};
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use askama::Template;
use aukiolo_domain::visit::WalkInOutcome;
use aukiolo_domain::{dates, OfficeId, TopicId};
use aukiolo_store::visits::{self, NewWalkIn};
use aukiolo_store::StoreError;
use serde::Deserialize;

pub fn outcome_text(t: Tr, o: WalkInOutcome) -> &'static str {
    t.s(match o {
        WalkInOutcome::BookedNow => S::WalkInBookedNow,
        WalkInOutcome::BookedLater => S::WalkInBookedLater,
        WalkInOutcome::DirectedToEservice => S::WalkInEService,
        WalkInOutcome::DirectedToPhone => S::WalkInPhone,
        WalkInOutcome::ServedUrgent => S::WalkInUrgent,
        WalkInOutcome::Left => S::WalkInLeft,
    })
}

pub struct Logged {
    pub time: String,
    pub topic: String,
    pub outcome: &'static str,
}

pub struct SelectOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "staff/walk_ins.html")]
struct WalkInsPage {
    c: Chrome,
    heading: String,
    errors: Errors,
    log: Vec<Logged>,
    log_heading: &'static str,
    topics: Vec<SelectOption>,
    outcomes: Vec<Choice>,
    reference: String,
    csrf: String,
    notice: Option<&'static str>,
}

#[derive(Deserialize, Default, Clone)]
pub struct WalkInForm {
    #[serde(default)]
    topic: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    booking_reference: String,
}

/// The signer's office: walk-ins are an office's log.
fn office_of(signed: &Signed) -> Result<OfficeId, Problem> {
    signed.session.user.office_id.ok_or(Problem::Forbidden)
}

async fn render(signed: &Signed, form: WalkInForm, errors: Errors) -> Result<HttpResponse, Problem> {
    let office = office_of(signed)?;
    let lang = signed.lang();
    let t = Tr(lang);
    let now = signed.site().now();
    let (log, names, tz) = signed
        .site()
        .read(move |c| {
            let tz = aukiolo_store::offices::get(c, office)?.fields.tz();
            let log = visits::walk_ins_on(c, office, now.with_timezone(&tz).date_naive())?;
            Ok((log, topic_names(c)?, tz))
        })
        .await?;
    let name = |id: &TopicId| names.get(id).map(|n| n.get(lang).to_owned()).unwrap_or_default();
    let mut topics: Vec<SelectOption> = names
        .keys()
        .map(|id| SelectOption {
            value: id.to_string(),
            label: name(id),
            selected: form.topic == id.to_string(),
        })
        .collect();
    topics.sort_by(|a, b| a.label.cmp(&b.label));
    let outcomes = WalkInOutcome::ALL
        .iter()
        .map(|o| Choice {
            value: o.as_str(),
            label: outcome_text(t, *o),
            checked: form.outcome == o.as_str(),
        })
        .collect();
    let log = log
        .iter()
        .map(|w| Logged {
            time: dates::clock(w.at.with_timezone(&tz).time()),
            topic: name(&w.topic_id),
            outcome: outcome_text(t, w.outcome),
        })
        .collect();
    let heading = t.s(S::WalkInsTitle).to_owned();
    let mut c = super::chrome(signed, &heading, "/walk-ins");
    if !errors.is_empty() {
        c.mark_error();
    }
    let page = WalkInsPage {
        c,
        heading,
        errors,
        log,
        log_heading: t.s(S::TodaysWalkIns),
        topics,
        outcomes,
        reference: form.booking_reference,
        csrf: signed.session.csrf_token.clone(),
        notice: signed.cx.req.query_string().contains("logged=1").then(|| t.s(S::WalkInLogged)),
    };
    super::html(&page)
}

pub async fn page(signed: Signed) -> Result<HttpResponse, Problem> {
    render(&signed, WalkInForm::default(), Errors::default()).await
}

pub async fn post(form: StaffForm<WalkInForm>) -> Result<HttpResponse, Problem> {
    let StaffForm { signed, fields } = form;
    let office = office_of(&signed)?;
    let t = Tr(signed.lang());
    let mut errors = Errors::default();
    let topic = fields.topic.parse::<TopicId>().ok();
    if topic.is_none() {
        errors.add("topic", t.s(S::ChooseOne));
    }
    let outcome = WalkInOutcome::parse(&fields.outcome);
    if outcome.is_none() {
        errors.add("outcome", t.s(S::ChooseOne));
    }
    let (Some(topic), Some(outcome)) = (topic, outcome) else {
        return Ok(with_status(render(&signed, fields, errors).await?, StatusCode::UNPROCESSABLE_ENTITY));
    };
    let site = signed.site().clone();
    let (now, me) = (site.now(), signed.session.user.id);
    let reference = fields.booking_reference.clone();
    let logged = site
        .read(move |c| {
            let new = NewWalkIn { office, topic, outcome, booking_reference: Some(reference.as_str()) };
            match visits::log_walk_in(c, &new, me, now) {
                Ok(_) => Ok(Ok(())),
                Err(StoreError::Invalid(fields)) => Ok(Err(fields)),
                Err(e) => Err(e),
            }
        })
        .await?;
    match logged {
        Ok(()) => Ok(see_other(&format!("/{}/staff/walk-ins?logged=1", signed.lang().as_str()))),
        Err(bad) => {
            for f in bad {
                let (field, text) = match f.field.as_str() {
                    "booking_reference" => ("booking_reference", S::NoSuchReference),
                    _ => ("topic", S::ChooseOne),
                };
                errors.add(field, t.s(text));
            }
            Ok(with_status(render(&signed, fields, errors).await?, StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}
