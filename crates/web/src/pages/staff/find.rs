//! `/{lang}/staff/find`: a booking by its reference (straight to its page), today's
//! bookings of the office by name, and a person's bookings by identity code. The code is
//! searched by POST only (never in an address) and the search is audited.

use super::booking::status_text;
use super::day::channel_text;
use crate::catalogue::{StaffText as S, Text, Tr};
use crate::chrome::Chrome;
use crate::error::Problem;
use crate::forms::Errors;
use crate::pages::book::see_other;
use crate::staff::{Signed, StaffForm};
use actix_web::{web, HttpResponse};
use askama::Template;
use aukiolo_domain::booking::Booking;
use aukiolo_domain::personal_id::PersonalId;
use aukiolo_domain::slots::local_day_start;
use aukiolo_domain::{dates, Locale};
use aukiolo_store::{audit, bookings, find, StoreError};
use chrono::Duration;
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Deserialize, Default)]
pub struct FindQuery {
    #[serde(default)]
    reference: String,
    #[serde(default)]
    name: String,
}

/// One booking found.
pub struct Found {
    pub href: String,
    pub when: String,
    pub name: String,
    pub reference: String,
    pub channel: &'static str,
    pub status: &'static str,
}

#[derive(Template)]
#[template(path = "staff/find.html")]
struct FindPage {
    c: Chrome,
    errors: Errors,
    reference: String,
    name: String,
    /// The list under "today by name" or "by identity code", once searched.
    results: Option<Vec<Found>>,
    csrf: String,
}

fn found(lang: Locale, t: Tr, b: &Booking, tz: chrono_tz::Tz) -> Found {
    Found {
        href: format!("/{}/staff/bookings/{}", lang.as_str(), b.id.0),
        when: dates::date_time(lang, b.start.with_timezone(&tz).naive_local()),
        name: super::day::personal(t, b, &b.name),
        reference: b.reference.clone(),
        channel: channel_text(t, b.channel),
        status: status_text(t, b.status),
    }
}

fn page_of(signed: &Signed, errors: Errors, q: FindQuery, results: Option<Vec<Found>>) -> FindPage {
    let t = Tr(signed.lang());
    let mut c = super::chrome(signed, t.s(S::FindTitle), "/find");
    if !errors.is_empty() {
        c.mark_error();
    }
    FindPage {
        c,
        errors,
        reference: q.reference,
        name: q.name,
        results,
        csrf: signed.session.csrf_token.clone(),
    }
}

pub async fn page(signed: Signed, web::Query(q): web::Query<FindQuery>) -> Result<HttpResponse, Problem> {
    let lang = signed.lang();
    let t = Tr(lang);
    let site = signed.site().clone();
    let (keys, now, principal) = (site.personal.clone(), site.now(), signed.session.user.principal());
    let mut errors = Errors::default();
    let reference = q.reference.trim().to_owned();
    if !reference.is_empty() {
        let found = site
            .read(move |c| match bookings::get_by_reference(c, &keys, &reference) {
                Ok(b) => Ok(Some(b)),
                Err(StoreError::NotFound(_)) => Ok(None),
                Err(e) => Err(e),
            })
            .await?;
        match found.filter(|b| principal.covers(b.office_id)) {
            Some(b) => return Ok(see_other(&format!("/{}/staff/bookings/{}", lang.as_str(), b.id.0))),
            None => errors.add("reference", t.s(S::NoSuchReference)),
        }
        let page = page_of(&signed, errors, q, None);
        return Ok(crate::error::with_status(super::html(&page)?, actix_web::http::StatusCode::NOT_FOUND));
    }
    let name = q.name.trim().to_lowercase();
    if name.is_empty() {
        return super::html(&page_of(&signed, errors, q, None));
    }
    let Some(office) = signed.session.user.office_id else {
        errors.add("name", t.s(S::NameNeedsOffice));
        return super::html(&page_of(&signed, errors, q, None));
    };
    let me = signed.session.user.id;
    let keys = site.personal.clone();
    let (list, tz) = site
        .read(move |c| {
            let tz = aukiolo_store::offices::get(c, office)?.fields.tz();
            let today = now.with_timezone(&tz).date_naive();
            let day = find::in_office(
                c,
                &keys,
                office,
                local_day_start(tz, today),
                local_day_start(tz, today + Duration::days(1)),
            )?;
            let list: Vec<Booking> =
                day.into_iter().filter(|b| b.name.to_lowercase().contains(&name)).collect();
            audit::record_search(c, me, "find_by_name", &list.iter().map(|b| b.id).collect::<Vec<_>>(), now)?;
            Ok((list, tz))
        })
        .await?;
    let results = list.iter().map(|b| found(lang, t, b, tz)).collect();
    super::html(&page_of(&signed, errors, q, Some(results)))
}

#[derive(Deserialize)]
pub struct IdentityForm {
    #[serde(default)]
    identity_code: String,
}

/// The bookings (from today on) made with an identity code, in the signer's scope.
pub async fn by_identity(form: StaffForm<IdentityForm>) -> Result<HttpResponse, Problem> {
    let StaffForm { signed, fields } = form;
    let lang = signed.lang();
    let t = Tr(lang);
    let Ok(code) = PersonalId::parse(&fields.identity_code) else {
        let mut errors = Errors::default();
        errors.add("identity_code", t.s(S::IdentityCodeInvalid));
        let page = page_of(&signed, errors, FindQuery::default(), None);
        return Ok(crate::error::with_status(
            super::html(&page)?,
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
        ));
    };
    let site = signed.site().clone();
    let (keys, now, me, principal) =
        (site.personal.clone(), site.now(), signed.session.user.id, signed.session.user.principal());
    let (list, zones) = site
        .read(move |c| {
            let list: Vec<Booking> = find::by_personal_id(c, &keys, &code, now - Duration::days(1))?
                .into_iter()
                .filter(|b| principal.covers(b.office_id))
                .collect();
            audit::record_search(
                c,
                me,
                "find_by_personal_id",
                &list.iter().map(|b| b.id).collect::<Vec<_>>(),
                now,
            )?;
            // One read of the offices for every booking's time zone.
            let zones: HashMap<_, _> =
                aukiolo_store::offices::list(c)?.into_iter().map(|o| (o.id, o.fields.tz())).collect();
            Ok((list, zones))
        })
        .await?;
    // (Every booking's office exists: the foreign key sees to it.)
    let results =
        list.iter().filter_map(|b| zones.get(&b.office_id).map(|tz| found(lang, t, b, *tz))).collect();
    super::html(&page_of(&signed, Errors::default(), FindQuery::default(), Some(results)))
}
