//! `/{lang}/booking/{reference}?t=…`: the confirmation after booking, and the booking's
//! calendar file. Both open with the manage token only (no sign-in), so they show the
//! booking to whoever holds the link and nobody else; a reload or the back button only
//! shows it again.

use crate::catalogue::{Text, Tr};
use crate::chrome::Chrome;
use crate::error::Problem;
use crate::journey::Query;
use crate::lang::Cx;
use crate::site::Site;
use actix_web::http::header;
use actix_web::{web, HttpResponse};
use askama::Template;
use aukiolo_domain::booking::{Booking, BookingStatus};
use aukiolo_domain::office::Office;
use aukiolo_domain::topic::Topic;
use aukiolo_domain::{dates, Channel, Locale};
use aukiolo_notify::ics::{Invite, Method};
use aukiolo_store::{bookings, offices, outbox, topics, StoreError};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/booking/{reference}", crate::pages::get().to(confirmation))
        .route("/booking/{reference}/calendar.ics", crate::pages::get().to(calendar));
}

/// A booking opened by its link, with what the pages say about it.
#[derive(Clone, Debug)]
pub struct Opened {
    pub booking: Booking,
    pub office: Office,
    pub topic: Topic,
    pub token: String,
    /// The booking that replaced this one, if it was moved.
    pub successor: Option<String>,
}

/// The booking of `reference` if `token` is its valid link: 403 for a forged link or one
/// of another booking, 410 for an expired one.
pub async fn open(site: &Site, reference: &str, token: &str) -> Result<Opened, Problem> {
    let claims = site.links.verify(token, site.now())?;
    if !claims.reference.eq_ignore_ascii_case(reference) {
        return Err(Problem::LinkInvalid);
    }
    let (personal, token) = (site.personal.clone(), token.to_owned());
    site.read(move |c| {
        let booking = bookings::get(c, &personal, claims.sub)?;
        // Links expire a day after the visit, long before the retention period ends; a
        // purged booking has nothing left to show its citizen either way.
        if booking.is_purged() {
            return Err(StoreError::Gone("the booking's personal data was removed".into()));
        }
        let office = offices::get(c, booking.office_id)?;
        let topic = topics::get(c, booking.topic_id)?;
        let successor = bookings::successor(c, booking.id)?;
        Ok(Opened { booking, office, topic, token, successor })
    })
    .await
}

/// The token of a link's query.
pub fn token(query: &Query) -> Result<&str, Problem> {
    query.get("t").map(String::as_str).filter(|t| !t.is_empty()).ok_or(Problem::LinkInvalid)
}

/// One line of a booking's summary.
#[derive(Clone, Debug)]
pub struct Fact {
    pub label: &'static str,
    pub value: String,
}

impl Opened {
    /// "keskiviikko 2.12.2026 klo 9.00–9.45 (Suomen aikaa)".
    pub fn when(&self, lang: Locale) -> String {
        format!("{} ({})", self.when_bare(lang), Tr(lang).get(Text::FinnishTimeShort))
    }

    /// The time without its zone, for questions that say the zone once beside them.
    pub fn when_bare(&self, lang: Locale) -> String {
        let b = &self.booking;
        dates::date_time_range(lang, self.office.fields.local(b.start), self.office.fields.local(b.end))
    }

    pub fn place(&self, lang: Locale) -> String {
        let t = Tr(lang);
        match self.booking.channel {
            Channel::Office => {
                let a = &self.office.fields.address;
                format!(
                    "{}, {}, {} {}",
                    self.office.fields.name.get(lang),
                    a.street,
                    a.postal_code,
                    a.municipality
                )
            }
            Channel::Phone => {
                t.fill(Text::WeWillCall, &[("phone", self.booking.phone.as_deref().unwrap_or_default())])
            }
        }
    }

    /// Reference, matter, time and place, as every page about a booking shows them.
    pub fn facts(&self, lang: Locale) -> Vec<Fact> {
        let t = Tr(lang);
        let place_label =
            if self.booking.channel == Channel::Office { Text::CheckOffice } else { Text::CheckChannel };
        vec![
            Fact { label: t.get(Text::Reference), value: self.booking.reference.clone() },
            Fact { label: t.get(Text::CheckTopic), value: self.topic.fields.name.get(lang).to_owned() },
            Fact { label: t.get(Text::CheckTime), value: self.when(lang) },
            Fact { label: t.get(place_label), value: self.place(lang) },
        ]
    }

    /// Whether the citizen may still move or cancel it online.
    pub fn may_change(&self, site: &Site) -> bool {
        self.booking.status == BookingStatus::Booked
            && self.successor.is_none()
            && self.office.fields.booking_rules.citizen_may_change(self.booking.start, site.now())
    }

    /// Until when online changes are open: "tiistai 14.9.2027 klo 8.00".
    pub fn change_until(&self, lang: Locale) -> String {
        let minutes = i64::from(self.office.fields.booking_rules.change_cutoff_minutes);
        dates::date_time(
            lang,
            self.office.fields.local(self.booking.start - chrono::Duration::minutes(minutes)),
        )
    }

    /// `/{lang}/manage/{reference}{rest}?t=…`
    pub fn manage(&self, lang: Locale, rest: &str) -> String {
        format!("/{}/manage/{}{rest}?t={}", lang.as_str(), self.booking.reference, self.token)
    }
}

/// Personal data behind a link that carries its token: never cached, never sent on as a
/// referrer.
pub fn private(mut res: HttpResponse) -> HttpResponse {
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    h.insert(header::REFERRER_POLICY, header::HeaderValue::from_static("no-referrer"));
    res
}

#[derive(Template)]
#[template(path = "confirmation.html")]
struct ConfirmationPage {
    c: Chrome,
    reference: String,
    facts: Vec<Fact>,
    sent_to: String,
    bring_label: &'static str,
    bring: String,
    calendar: String,
    manage: String,
    change_until: String,
}

pub async fn confirmation(
    Cx { req, lang, site }: Cx,
    path: web::Path<(String, String)>,
    web::Query(query): web::Query<Query>,
) -> Result<HttpResponse, Problem> {
    let opened = open(&site, &path.1, token(&query)?).await?;
    if opened.booking.status != BookingStatus::Booked || opened.successor.is_some() {
        // Cancelled or moved since: the manage page says what became of it.
        return Ok(super::book::see_other(&opened.manage(lang, "")));
    }
    let t = Tr(lang);
    let phone = opened.booking.channel == Channel::Phone;
    let page = ConfirmationPage {
        c: Chrome::new(&req, lang, t.get(Text::ConfirmationTitle)),
        reference: opened.booking.reference.clone(),
        facts: opened.facts(lang),
        sent_to: t.fill(Text::ConfirmationSent, &[("email", &opened.booking.email)]),
        bring_label: t.get(if phone { Text::BringPhone } else { Text::BringOffice }),
        bring: opened.topic.fields.what_to_bring.get(lang).to_owned(),
        calendar: format!(
            "/{}/booking/{}/calendar.ics?t={}",
            lang.as_str(),
            opened.booking.reference,
            opened.token
        ),
        manage: opened.manage(lang, ""),
        change_until: t.fill(Text::ChangeUntil, &[("when", &opened.change_until(lang))]),
    };
    Ok(private(crate::pages::html(&page)?))
}

/// The booking as an `.ics` file, the same event the mails carry.
pub async fn calendar(
    site: web::Data<Site>,
    path: web::Path<(String, String)>,
    web::Query(query): web::Query<Query>,
) -> Result<HttpResponse, Problem> {
    let opened = open(&site, &path.1, token(&query)?).await?;
    if opened.successor.is_some() {
        // The event belongs to the booking that replaced this one now.
        return Err(Problem::LinkExpired);
    }
    let stamp = site.now();
    let text = site
        .read(move |c| {
            let version = outbox::calendar_version(c, &opened.booking)?;
            let method = if opened.booking.status.holds_slot() { Method::Publish } else { Method::Cancel };
            let invite = Invite {
                booking: &opened.booking,
                office: &opened.office,
                topic: &opened.topic,
                version: &version,
                method,
                parties: None,
                stamp,
            };
            Ok(invite.render())
        })
        .await?;
    Ok(private(
        HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/calendar; charset=utf-8"))
            .insert_header((header::CONTENT_DISPOSITION, "attachment; filename=\"appointment.ics\""))
            .body(text),
    ))
}
