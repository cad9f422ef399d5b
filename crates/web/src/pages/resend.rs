//! `/{lang}/manage/resend`: a lost manage link. The citizen gives the reference and the
//! e-mail address; the answer is always the same neutral page, whether or not they match,
//! so the form tells nobody which references exist or whose they are. When they match, the
//! confirmation with its link is mailed again. Attempts are limited per client address
//! (`store::rate_limits`, configured) and per reference (counted in the database, where the
//! request is written anyway).

use crate::catalogue::{Text, Tr};
use crate::chrome::Chrome;
use crate::error::Problem;
use crate::forms::{same_origin, Errors};
use crate::lang::Cx;
use crate::site::Site;
use actix_web::{web, HttpResponse};
use askama::Template;
use aukiolo_domain::booking::BookingStatus;
use aukiolo_store::rate_limits::Counted;
use aukiolo_store::{bookings, login_throttle, outbox, StoreError};
use chrono::Duration;
use serde::Deserialize;

/// Requests tolerated per reference within the window.
const PER_REFERENCE: i64 = 3;
const WINDOW_MINUTES: i64 = 60;

#[derive(Template)]
#[template(path = "resend.html")]
struct ResendPage {
    c: Chrome,
    token: String,
    errors: Errors,
    reference: String,
    email: String,
    sent: bool,
}

fn form_token(site: &Site) -> String {
    site.sealer.seal(&"resend", site.now() + Duration::hours(2))
}

pub async fn page(Cx { req, lang, site }: Cx) -> Result<HttpResponse, Problem> {
    let t = Tr(lang);
    crate::pages::html(&ResendPage {
        c: Chrome::new(&req, lang, t.get(Text::ResendTitle)),
        token: form_token(&site),
        errors: Errors::default(),
        reference: String::new(),
        email: String::new(),
        sent: false,
    })
}

#[derive(Debug, Deserialize)]
pub struct ResendForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    reference: String,
    #[serde(default)]
    email: String,
}

pub async fn post(
    Cx { req, lang, site }: Cx,
    web::Form(form): web::Form<ResendForm>,
) -> Result<HttpResponse, Problem> {
    same_origin(&req)?;
    if site.sealer.open::<String>(&form.token, site.now()).as_deref() != Some("resend") {
        return Err(Problem::FormRefused);
    }
    let t = Tr(lang);
    let reference = form.reference.trim().to_uppercase();
    let email = form.email.trim().to_owned();
    let mut errors = Errors::default();
    if reference.is_empty() {
        errors.add("reference", t.get(Text::ReferenceMissing));
    }
    if email.is_empty() {
        errors.add("email", t.get(Text::EmailMissing));
    }
    if errors.is_empty() {
        site.limit(Counted::LostLinksByAddress, &site.client_address(&req))?;
        let (personal, now) = (site.personal.clone(), site.now());
        let reference = reference.clone();
        let email = email.clone();
        let allowed = site
            .read(move |c| {
                let keys = [format!("resend:reference:{reference}")];
                aukiolo_store::write_transaction(c, |c| {
                    login_throttle::lock(c, &keys)?;
                    let since = now - Duration::minutes(WINDOW_MINUTES);
                    let (by_reference, _) = login_throttle::failures_since(c, &keys[0], since)?;
                    if by_reference >= PER_REFERENCE {
                        return Ok(false);
                    }
                    login_throttle::record_failure(c, &keys, now)?;
                    // The table is shared with sign-in throttling, whose window is shorter.
                    login_throttle::prune(c, now - Duration::minutes(2 * WINDOW_MINUTES))?;
                    match bookings::get_by_reference(c, &personal, &reference) {
                        Ok(b)
                            if b.email.eq_ignore_ascii_case(&email)
                                && b.status == BookingStatus::Booked
                                && b.end > now =>
                        {
                            outbox::resend_confirmation(c, &b, now)?;
                        }
                        Ok(_) | Err(StoreError::NotFound(_)) => {}
                        Err(e) => return Err(e),
                    }
                    Ok(true)
                })
            })
            .await?;
        if !allowed {
            return Err(Problem::TooManyRequests);
        }
    }
    let sent = errors.is_empty();
    let mut c = Chrome::new(&req, lang, t.get(if sent { Text::ResendSentTitle } else { Text::ResendTitle }));
    if !sent {
        c.mark_error();
    }
    crate::pages::html(&ResendPage { c, token: form_token(&site), errors, reference, email, sent })
}
