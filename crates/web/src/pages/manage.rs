//! `/{lang}/manage/{reference}?t=…`, the link in every mail: the booking as it stands,
//! and moving or cancelling it while the office's cut-off allows. Every change is a POST
//! behind a confirmation page, so a mail scanner following links changes nothing.

use super::book::see_other;
use super::book::time::{is_free, time_errors, week_link, TimePage, TimeWeek, Wanted};
use super::booking::{open, private, token, Fact, Opened};
use crate::catalogue::{Text, Tr};
use crate::chrome::Chrome;
use crate::error::Problem;
use crate::forms::same_origin;
use crate::journey::{Choices, Query};
use crate::lang::Cx;
use crate::site::Site;
use actix_web::{web, HttpResponse};
use askama::Template;
use aukiolo_domain::booking::{Action, BookingStatus};
use aukiolo_domain::{dates, Channel, Locale};
use aukiolo_store::availability::{RulesApply, TimeQuery};
use aukiolo_store::bookings::{self, Actor};
use aukiolo_store::StoreError;
use chrono::{DateTime, Utc};
use serde::Deserialize;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/manage/resend", crate::pages::get().to(crate::pages::resend::page))
        .route("/manage/resend", web::post().to(crate::pages::resend::post))
        .route("/manage/{reference}", crate::pages::get().to(page))
        .route("/manage/{reference}/cancel", crate::pages::get().to(cancel_page))
        .route("/manage/{reference}/cancel", web::post().to(cancel))
        .route("/manage/{reference}/move", crate::pages::get().to(move_page))
        .route("/manage/{reference}/move/confirm", crate::pages::get().to(move_confirm_page))
        .route("/manage/{reference}/move/confirm", web::post().to(move_post));
}

type Ref = web::Path<(String, String)>;

#[derive(Template)]
#[template(path = "manage.html")]
struct ManagePage {
    c: Chrome,
    facts: Vec<Fact>,
    /// What became of the booking, when it is no longer simply booked.
    status: Option<String>,
    notice: Option<String>,
    may_change: bool,
    change_until: String,
    /// Said when online changes have closed: how to change it anyway.
    closed: Option<String>,
    move_link: String,
    cancel_link: String,
    calendar: Option<String>,
}

fn status_text(t: Tr, o: &Opened) -> Option<String> {
    if let Some(next) = &o.successor {
        return Some(t.fill(Text::StatusMoved, &[("reference", next)]));
    }
    let text = match o.booking.status {
        BookingStatus::Booked => return None,
        BookingStatus::CancelledByCitizen => Text::StatusCancelled,
        BookingStatus::CancelledByOffice => Text::StatusCancelledByOffice,
        BookingStatus::Arrived | BookingStatus::InService => Text::StatusInService,
        BookingStatus::Completed => Text::StatusCompleted,
        BookingStatus::NoShow | BookingStatus::NotReached => Text::StatusMissed,
    };
    Some(t.get(text).to_owned())
}

fn office_phone(site: &Site, o: &Opened, lang: Locale) -> String {
    match &o.office.fields.phone {
        Some(p) => {
            Tr(lang).fill(Text::CallOffice, &[("office", o.office.fields.name.get(lang)), ("phone", p)])
        }
        None => site.service.phone_line(lang),
    }
}

pub async fn page(
    Cx { req, lang, site }: Cx,
    path: Ref,
    web::Query(query): web::Query<Query>,
) -> Result<HttpResponse, Problem> {
    let o = open(&site, &path.1, token(&query)?).await?;
    let t = Tr(lang);
    let may_change = o.may_change(&site);
    let notice = if query.contains_key("moved") {
        Some(t.get(Text::MovedNotice).to_owned())
    } else if query.contains_key("cancelled") {
        Some(t.get(Text::CancelledNotice).to_owned())
    } else {
        None
    };
    let status = status_text(t, &o);
    let closed = (!may_change && o.booking.status == BookingStatus::Booked && o.successor.is_none())
        .then(|| format!("{} {}", t.get(Text::ChangesClosed), office_phone(&site, &o, lang)));
    let page = ManagePage {
        c: Chrome::new(&req, lang, t.get(Text::ManageTitle)),
        facts: o.facts(lang),
        status,
        notice,
        may_change,
        change_until: t.fill(Text::ChangeUntil, &[("when", &o.change_until(lang))]),
        closed,
        move_link: o.manage(lang, "/move"),
        cancel_link: o.manage(lang, "/cancel"),
        calendar: (o.successor.is_none() && o.booking.status.holds_slot()).then(|| {
            format!("/{}/booking/{}/calendar.ics?t={}", lang.as_str(), o.booking.reference, o.token)
        }),
    };
    Ok(private(crate::pages::html(&page)?))
}

#[derive(Template)]
#[template(path = "confirm.html")]
struct ConfirmPage {
    c: Chrome,
    heading: String,
    facts: Vec<Fact>,
    action: String,
    hidden: Vec<(&'static str, String)>,
    yes: &'static str,
    yes_class: &'static str,
    no: &'static str,
    no_link: String,
}

/// The booking if it can still be changed online; else the manage page says why not.
async fn changeable(
    site: &Site,
    lang: Locale,
    path: &Ref,
    token: &str,
) -> Result<Result<Opened, HttpResponse>, Problem> {
    let o = open(site, &path.1, token).await?;
    if o.may_change(site) {
        Ok(Ok(o))
    } else {
        Ok(Err(see_other(&o.manage(lang, ""))))
    }
}

pub async fn cancel_page(
    Cx { req, lang, site }: Cx,
    path: Ref,
    web::Query(query): web::Query<Query>,
) -> Result<HttpResponse, Problem> {
    let o = or_redirect!(changeable(&site, lang, &path, token(&query)?).await);
    let t = Tr(lang);
    let heading = t.fill(Text::CancelQuestion, &[("when", &o.when_bare(lang))]);
    let page = ConfirmPage {
        c: Chrome::new(&req, lang, t.get(Text::CancelTitle)).with_back(o.manage(lang, "")),
        heading,
        facts: o.facts(lang),
        action: format!("/{}/manage/{}/cancel", lang.as_str(), o.booking.reference),
        hidden: vec![("t", o.token.clone())],
        yes: t.get(Text::CancelYes),
        yes_class: "button button--warning",
        no: t.get(Text::CancelNo),
        no_link: o.manage(lang, ""),
    };
    Ok(private(crate::pages::html(&page)?))
}

#[derive(Debug, Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    t: String,
    #[serde(default)]
    start: String,
}

pub async fn cancel(
    Cx { req, lang, site }: Cx,
    path: Ref,
    web::Form(form): web::Form<LinkForm>,
) -> Result<HttpResponse, Problem> {
    same_origin(&req)?;
    let o = or_redirect!(changeable(&site, lang, &path, &form.t).await);
    let (personal, now, id) = (site.personal.clone(), site.now(), o.booking.id);
    let done = site
        .db(move |c| {
            bookings::transition(c, &personal, id, Action::CancelByCitizen, None, Actor::Citizen, now)
        })
        .await;
    match done {
        // Cancelled by a second click meanwhile: the page shows it cancelled either way.
        Ok(_) | Err(StoreError::Refused(_)) => {
            let mut to = o.manage(lang, "");
            to.push_str("&cancelled=1");
            Ok(see_other(&to))
        }
        Err(e) => Err(e.into()),
    }
}

/// The query of times the booking may move to: its topic, channel, office and language.
fn move_query(o: &Opened, now: DateTime<Utc>) -> TimeQuery {
    let b = &o.booking;
    TimeQuery {
        topic_id: b.topic_id,
        channel: b.channel,
        office_id: (b.channel == Channel::Office).then_some(b.office_id),
        advisor_id: None,
        language: b.language.into(),
        from: now,
        to: now,
    }
}

pub async fn move_page(
    Cx { req, lang, site }: Cx,
    path: Ref,
    web::Query(query): web::Query<Query>,
) -> Result<HttpResponse, Problem> {
    let o = or_redirect!(changeable(&site, lang, &path, token(&query)?).await);
    let choices = Choices::from_query(&query);
    let submitted = query.contains_key("go");
    let now = site.now();
    let base = move_query(&o, now);
    let tz = o.office.fields.tz();
    let horizon = site.horizon_weeks;
    let (start, week) = (choices.start, choices.week);
    let (mut times, free) = site
        .read(move |c| {
            let free = match start {
                Some(s) if submitted => is_free(c, &base, s, now)?,
                _ => false,
            };
            let wanted = Wanted { base: base.clone(), tz, week, selected: start, horizon_weeks: horizon };
            Ok((TimeWeek::load(c, lang, &wanted, now)?, free))
        })
        .await?;
    let reference = o.booking.reference.clone();
    if let (true, Some(s)) = (submitted && free, start) {
        let to = format!(
            "/{}/manage/{reference}/move/confirm{}",
            lang.as_str(),
            crate::journey::query_string(&[
                ("t", o.token.clone()),
                ("start", s.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            ])
        );
        return Ok(see_other(&to));
    }
    let taken = query.contains_key("taken") && !submitted;
    times.number(taken);
    let t = Tr(lang);
    let errors = time_errors(t, submitted, start.is_some());
    let heading = t.get(Text::MoveQuestion).to_owned();
    let mut c = Chrome::new(&req, lang, &heading).with_back(o.manage(lang, ""));
    if !errors.is_empty() {
        c.mark_error();
    }
    let action = format!("/{}/manage/{reference}/move", lang.as_str());
    let mut pairs = vec![("t", o.token.clone())];
    if let Some(w) = week {
        pairs.push(("week", w.to_string()));
    }
    let page = TimePage {
        c,
        step: Some(t.fill(Text::MovingFrom, &[("when", &o.when(lang))])),
        heading,
        action: action.clone(),
        hidden: pairs.clone(),
        errors,
        taken,
        previous: times.previous.map(|w| week_link(&action, &pairs, w)),
        next: times.next.map(|w| week_link(&action, &pairs, w)),
        later: times.later.clone().map(|(w, label)| (week_link(&action, &pairs, w), label)),
        week: times,
        phone: site.service.phone_line(lang),
    };
    Ok(private(crate::pages::html(&page)?))
}

fn chosen(query_start: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(query_start.trim()).ok().map(|t| t.with_timezone(&Utc))
}

pub async fn move_confirm_page(
    Cx { req, lang, site }: Cx,
    path: Ref,
    web::Query(query): web::Query<Query>,
) -> Result<HttpResponse, Problem> {
    let o = or_redirect!(changeable(&site, lang, &path, token(&query)?).await);
    let Some(start) = query.get("start").and_then(|s| chosen(s)) else {
        return Ok(see_other(&o.manage(lang, "/move")));
    };
    let t = Tr(lang);
    let duration = o.booking.end - o.booking.start;
    let (from, to) = (o.office.fields.local(start), o.office.fields.local(start + duration));
    let new_when = dates::date_time_range(lang, from, to);
    let page = ConfirmPage {
        c: Chrome::new(&req, lang, t.get(Text::MoveTitle)).with_back(o.manage(lang, "/move")),
        heading: t.fill(Text::MoveConfirmQuestion, &[("old", &o.when_bare(lang)), ("new", &new_when)]),
        facts: o.facts(lang),
        action: format!("/{}/manage/{}/move/confirm", lang.as_str(), o.booking.reference),
        hidden: vec![
            ("t", o.token.clone()),
            ("start", start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        ],
        yes: t.get(Text::MoveYes),
        yes_class: "button",
        no: t.get(Text::MoveNo),
        no_link: o.manage(lang, ""),
    };
    Ok(private(crate::pages::html(&page)?))
}

pub async fn move_post(
    Cx { req, lang, site }: Cx,
    path: Ref,
    web::Form(form): web::Form<LinkForm>,
) -> Result<HttpResponse, Problem> {
    same_origin(&req)?;
    let o = or_redirect!(changeable(&site, lang, &path, &form.t).await);
    let Some(start) = chosen(&form.start) else { return Ok(see_other(&o.manage(lang, "/move"))) };
    let (personal, now, id) = (site.personal.clone(), site.now(), o.booking.id);
    let moved = site
        .db(move |c| bookings::reschedule(c, &personal, id, start, Actor::Citizen, now, RulesApply::Yes))
        .await;
    match moved {
        Ok(new) => {
            let to =
                format!("/{}/manage/{}?t={}&moved=1", lang.as_str(), new.reference, site.links.issue(&new));
            Ok(see_other(&to))
        }
        Err(StoreError::TimeTaken(_) | StoreError::Invalid(_)) => {
            let week = o.office.fields.local(start).date();
            let mut to = o.manage(lang, "/move");
            to.push_str(&format!("&week={week}&taken=1"));
            Ok(see_other(&to))
        }
        Err(StoreError::Conflict(_) | StoreError::Refused(_)) => Ok(see_other(&o.manage(lang, ""))),
        Err(e) => Err(e.into()),
    }
}
