//! Citizens' bookings: book without an account, then view, move or cancel through the
//! manage link (a token for that one booking).

use crate::auth::CitizenLink;
use crate::json::ValidJson;
use crate::{ApiError, AppState};
use actix_web::http::header;
use actix_web::{get, post};
use actix_web::{web, HttpRequest, HttpResponse};
use aukiolo_domain::booking::{Action, BookedBy, Booking, BookingStatus, Needs};
use aukiolo_domain::contact::{Email, Phone};
use aukiolo_domain::personal_id::PersonalId;
use aukiolo_domain::validation::codes;
use aukiolo_domain::{Channel, FieldError, Locale, OfficeId, TopicId, Validation};
use aukiolo_notify::ics::{Invite, Method};
use aukiolo_store::availability::{RulesApply, TimeQuery};
use aukiolo_store::bookings::{self, Actor, Booked, NewBooking};
use aukiolo_store::rate_limits::Counted;
use aukiolo_store::DbConnection;
use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create).service(view).service(cancel).service(reschedule).service(ics);
}

/// What a citizen (or staff for them) sends to book.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct BookingRequest {
    #[schema(value_type = uuid::Uuid)]
    pub topic_id: TopicId,
    pub channel: Channel,
    /// Required for office visits.
    #[serde(default)]
    #[schema(value_type = Option<uuid::Uuid>)]
    pub office_id: Option<OfficeId>,
    pub start: DateTime<Utc>,
    /// fi, sv or en: the language of the appointment and of messages.
    #[schema(example = "fi")]
    pub language: String,
    pub name: String,
    /// Finnish personal identity code (henkilötunnus).
    #[schema(example = "131052-308T")]
    pub personal_id: String,
    pub email: String,
    /// E.164 or Finnish national format; required for phone appointments.
    #[serde(default)]
    pub phone: Option<String>,
    /// The matter, so the advisor can prepare (at most 1000 characters).
    pub description: String,
    #[serde(default)]
    pub needs: Needs,
}

impl BookingRequest {
    /// Every field checked at once; the store checks what needs data.
    pub(crate) fn validate(&self, booked_by: BookedBy) -> Result<NewBooking, Vec<FieldError>> {
        let mut v = Validation::new();
        let locale = v.check_as("language", codes::UNKNOWN_VALUE, self.language.parse::<Locale>());
        v.text("name", &self.name, 200);
        let personal_id = v.check("personal_id", PersonalId::parse(&self.personal_id));
        let email = v.check("email", Email::parse(&self.email));
        let phone = match self.phone.as_deref().filter(|p| !p.trim().is_empty()) {
            Some(p) => v.check("phone", Phone::parse(p)),
            None => {
                if self.channel == Channel::Phone {
                    v.add_code("phone", codes::REQUIRED, "is required for phone appointments");
                }
                None
            }
        };
        v.multiline_text("description", &self.description, 1000);
        v.year("start", self.start.year());
        if self.channel == Channel::Office && self.office_id.is_none() {
            v.add_code("office_id", codes::REQUIRED, "is required for office appointments");
        }
        if let Some(a) = &self.needs.accessibility {
            v.optional_text("needs.accessibility", a, 500, true);
        }
        v.finish()?;
        let (Some(locale), Some(personal_id), Some(email)) = (locale, personal_id, email) else {
            return Err(vec![]);
        };
        Ok(NewBooking {
            query: TimeQuery {
                topic_id: self.topic_id,
                channel: self.channel,
                office_id: if self.channel == Channel::Office { self.office_id } else { None },
                advisor_id: None,
                language: locale.into(),
                from: self.start,
                to: self.start,
            },
            start: self.start,
            locale,
            name: self.name.trim().to_owned(),
            personal_id,
            email: email.as_str().to_owned(),
            phone: phone.map(|p| p.as_str().to_owned()),
            description: self.description.trim().to_owned(),
            needs: self.needs.clone(),
            booked_by,
        })
    }
}

/// The answer to a booking: what it is and the key to manage it.
#[derive(Debug, Serialize, ToSchema)]
pub struct BookingCreated {
    #[schema(example = "K7M-4QX-9TD")]
    pub reference: String,
    pub status: BookingStatus,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub channel: Channel,
    #[schema(value_type = uuid::Uuid)]
    pub office_id: OfficeId,
    /// Send as `Authorization: Bearer …` to view, move or cancel this booking.
    pub manage_token: String,
}

/// The citizen's own view of a booking.
#[derive(Debug, Serialize, ToSchema)]
pub struct BookingView {
    pub reference: String,
    pub status: BookingStatus,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub channel: Channel,
    #[schema(value_type = uuid::Uuid)]
    pub office_id: OfficeId,
    #[schema(value_type = uuid::Uuid)]
    pub topic_id: TopicId,
    pub language: Locale,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub description: String,
    pub needs: Needs,
}

impl From<&Booking> for BookingView {
    fn from(b: &Booking) -> Self {
        BookingView {
            reference: b.reference.clone(),
            status: b.status,
            start: b.start,
            end: b.end,
            channel: b.channel,
            office_id: b.office_id,
            topic_id: b.topic_id,
            language: b.language,
            name: b.name.clone(),
            email: b.email.clone(),
            phone: b.phone.clone(),
            description: b.description.clone(),
            needs: b.needs.clone(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RescheduleRequest {
    pub start: DateTime<Utc>,
}

pub(crate) fn created(state: &AppState, b: &Booking) -> BookingCreated {
    BookingCreated {
        reference: b.reference.clone(),
        status: b.status,
        start: b.start,
        end: b.end,
        channel: b.channel,
        office_id: b.office_id,
        manage_token: state.manage_token(b),
    }
}

fn idempotency_key(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    match req.headers().get("Idempotency-Key") {
        None => Ok(None),
        Some(v) => {
            let key = v.to_str().unwrap_or_default().trim();
            if key.is_empty() || key.len() > 200 {
                return Err(ApiError::Validation(vec![FieldError::new(
                    "Idempotency-Key",
                    codes::INVALID,
                    "must be 1–200 visible characters",
                )]));
            }
            Ok(Some(key.to_owned()))
        }
    }
}

/// Book a time. Send an `Idempotency-Key` header: a retry with the same key and body
/// within 24 hours returns the same booking; the same key with another body is a 422.
#[utoipa::path(tag = "bookings",
    request_body = BookingRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses(
        (status = 201, description = "Booked", body = BookingCreated),
        (status = 409, description = "Taken meanwhile; `alternatives` lists the next free times", body = crate::error::Problem),
        (status = 422, description = "Invalid fields, each named (also rules: notice, horizon, hold-back, limits)", body = crate::error::Problem),
        (status = 429, description = "Too many booking attempts from this address or for this person; see `Retry-After`", body = crate::error::Problem),
    ))]
#[post("/bookings")]
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ValidJson<BookingRequest>,
) -> Result<HttpResponse, ApiError> {
    state.limit(Counted::BookingsByAddress, &state.client_address(&req))?;
    let key = idempotency_key(&req)?;
    let request = body.0;
    let new = request.validate(BookedBy::CitizenSelf)?;
    state.limit(Counted::BookingsByPerson, &state.personal.lookup_hash(new.personal_id.expose()))?;
    let hash = hex_sha256(&serde_json::to_vec(&request).unwrap_or_default());
    let personal = state.personal.clone();
    let now = state.now();
    let booked = state
        .db(move |c| {
            Ok(bookings::book(
                c,
                &personal,
                &new,
                key.as_deref().map(|k| (k, hash.as_str())),
                Actor::Citizen,
                now,
                RulesApply::Yes,
            )?)
        })
        .await?;
    let (Booked::Created(b) | Booked::Replayed(b)) = &booked;
    Ok(HttpResponse::Created().insert_header(crate::headers::NO_STORE).json(created(&state, b)))
}

fn hex_sha256(bytes: &[u8]) -> String {
    aukiolo_domain::hex::hex(&Sha256::digest(bytes))
}

async fn with_booking<T: Send + 'static>(
    state: &AppState,
    link: CitizenLink,
    f: impl FnOnce(
            &mut DbConnection,
            &aukiolo_store::personal_data::PersonalDataKeys,
            Booking,
        ) -> Result<T, ApiError>
        + Send
        + 'static,
) -> Result<T, ApiError> {
    let personal = state.personal.clone();
    state
        .db(move |c| {
            let booking = bookings::get(c, &personal, link.booking)?;
            // Links expire a day after the visit, long before the retention period ends.
            if booking.is_purged() {
                return Err(ApiError::Gone("the booking's personal data was removed".into()));
            }
            f(c, &personal, booking)
        })
        .await
}

/// The booking of this manage link.
#[utoipa::path(tag = "bookings", security(("manage_link" = [])),
    params(("reference" = String, Path, description = "Booking reference")),
    responses(
        (status = 200, description = "The booking", body = BookingView),
        (status = 401, description = "No or an invalid manage token", body = crate::error::Problem),
        (status = 403, description = "The token is for another booking", body = crate::error::Problem),
    ))]
#[get("/bookings/{reference}")]
pub async fn view(state: web::Data<AppState>, link: CitizenLink) -> Result<HttpResponse, ApiError> {
    let view = with_booking(&state, link, |_, _, b| Ok(BookingView::from(&b))).await?;
    // Personal data behind a URL that may carry its token: never kept by a cache.
    Ok(HttpResponse::Ok().insert_header(crate::headers::NO_STORE).json(view))
}

fn check_cutoff(c: &mut DbConnection, b: &Booking, now: DateTime<Utc>) -> Result<(), ApiError> {
    let rules = aukiolo_store::offices::get(c, b.office_id)?.fields.booking_rules;
    if !rules.citizen_may_change(b.start, now) {
        return Err(ApiError::Conflict(format!(
            "online changes close {} minutes before the appointment; please call the office",
            rules.change_cutoff_minutes
        )));
    }
    Ok(())
}

/// Cancel the booking (until the office's cut-off, by default 2 hours before).
#[utoipa::path(tag = "bookings", security(("manage_link" = [])),
    params(("reference" = String, Path, description = "Booking reference")),
    responses(
        (status = 200, description = "Cancelled", body = BookingView),
        (status = 401, description = "No or an invalid manage token", body = crate::error::Problem),
        (status = 403, description = "The token is for another booking", body = crate::error::Problem),
        (status = 409, description = "Already cancelled or past the cut-off", body = crate::error::Problem),
    ))]
#[post("/bookings/{reference}/cancel")]
pub async fn cancel(state: web::Data<AppState>, link: CitizenLink) -> Result<HttpResponse, ApiError> {
    let now = state.now();
    let cancelled = with_booking(&state, link, move |c, keys, b| {
        check_cutoff(c, &b, now)?;
        let b = bookings::transition(c, keys, b.id, Action::CancelByCitizen, None, Actor::Citizen, now)?;
        Ok(BookingView::from(&b))
    })
    .await?;
    Ok(HttpResponse::Ok().json(cancelled))
}

/// Move the booking to another time: the new time is taken before the old is given back.
/// The answer is the new booking, with its own reference and manage token.
#[utoipa::path(tag = "bookings", security(("manage_link" = [])),
    params(("reference" = String, Path, description = "Booking reference")),
    request_body = RescheduleRequest,
    responses(
        (status = 200, description = "Moved: the new booking", body = BookingCreated),
        (status = 401, description = "No or an invalid manage token", body = crate::error::Problem),
        (status = 403, description = "The token is for another booking", body = crate::error::Problem),
        (status = 409, description = "The time was taken (with alternatives), or past the cut-off", body = crate::error::Problem),
        (status = 422, description = "A time the rules do not allow", body = crate::error::Problem),
    ))]
#[post("/bookings/{reference}/reschedule")]
pub async fn reschedule(
    state: web::Data<AppState>,
    link: CitizenLink,
    body: ValidJson<RescheduleRequest>,
) -> Result<HttpResponse, ApiError> {
    let start = body.0.start;
    let now = state.now();
    let moved = with_booking(&state, link, move |c, keys, b| {
        check_cutoff(c, &b, now)?;
        Ok(bookings::reschedule(c, keys, b.id, start, Actor::Citizen, now, RulesApply::Yes)?)
    })
    .await?;
    Ok(HttpResponse::Ok().insert_header(crate::headers::NO_STORE).json(created(&state, &moved)))
}

/// The booking as a calendar invite.
#[utoipa::path(tag = "bookings", security(("manage_link" = [])),
    params(("reference" = String, Path, description = "Booking reference")),
    responses(
        (status = 200, description = "text/calendar", content_type = "text/calendar", body = String),
        (status = 401, description = "No or an invalid manage token", body = crate::error::Problem),
        (status = 403, description = "The token is for another booking", body = crate::error::Problem),
        (status = 410, description = "The booking was moved: its successor has the event now", body = crate::error::Problem),
    ))]
#[get("/bookings/{reference}/ics")]
pub async fn ics(state: web::Data<AppState>, link: CitizenLink) -> Result<HttpResponse, ApiError> {
    let stamp = state.now();
    let text = with_booking(&state, link, move |c, _, b| {
        let office = aukiolo_store::offices::get(c, b.office_id)?;
        let topic = aukiolo_store::topics::get(c, b.topic_id)?;
        // A moved booking's event now belongs to its successor: an old file would move the
        // event back.
        if let Some(next) = bookings::successor(c, b.id)? {
            return Err(ApiError::Gone(format!("this booking was moved; it is now {next}")));
        }
        let version = aukiolo_store::outbox::calendar_version(c, &b)?;
        let invite = Invite {
            booking: &b,
            office: &office,
            topic: &topic,
            version: &version,
            method: if b.status.holds_slot() { Method::Publish } else { Method::Cancel },
            parties: None,
            stamp,
        };
        Ok(invite.render())
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::CONTENT_TYPE, "text/calendar; charset=utf-8"))
        .insert_header((header::CONTENT_DISPOSITION, "attachment; filename=\"aukiolo.ics\""))
        .body(text))
}
