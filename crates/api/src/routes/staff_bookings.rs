//! Staff work with bookings: book for citizens, status changes (at the times the visit
//! clock allows), moves and history. The advisor's day is in `staff_day`, bookings in
//! conflict in `conflicts`, the audit log in `audit_log`, what is recorded around a visit
//! (calls, assessments, walk-ins) in `visits`. Every read or change of a booking's personal
//! data is written to the audit log.

use super::bookings::{created, BookingCreated, BookingRequest};
use crate::auth::{require_office, ServiceStaff, Staff};
use crate::json::ValidJson;
use crate::{ApiError, AppState};
use actix_web::{get, post};
use actix_web::{web, HttpResponse};
use aukiolo_domain::booking::{Action, BookedBy, Booking, BookingEvent, BookingStatus, Needs};
use aukiolo_domain::staff::Principal;
use aukiolo_domain::{AdvisorId, BookingId, Channel, FieldError, Locale, OfficeId, StaffUserId, TopicId};
use aukiolo_store::audit;
use aukiolo_store::availability::RulesApply;
use aukiolo_store::bookings::{self, Actor, Booked};
use aukiolo_store::personal_data::PersonalDataKeys;
use aukiolo_store::{DbConnection, StoreError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

/// The staff routes, the visit records' among them: those come before
/// `/staff/bookings/{id}/{action}`, which would otherwise take their POSTs.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create)
        .service(detail)
        .service(events)
        .service(move_booking)
        .configure(super::visits::configure)
        .service(transition)
        .service(super::staff_day::day)
        .service(super::conflicts::conflicts)
        .service(super::audit_log::audit_log);
}

/// A booking as staff see it. The personal identity code is shown whole in the day view
/// and the detail (both audited) and masked in lists. After the retention period the
/// personal data is gone: `purged_at` says when, `personal_id` is null, and name, e-mail
/// and matter are empty.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffBooking {
    #[schema(value_type = uuid::Uuid)]
    pub id: BookingId,
    pub reference: String,
    #[schema(value_type = uuid::Uuid)]
    pub office_id: OfficeId,
    #[schema(value_type = uuid::Uuid)]
    pub advisor_id: AdvisorId,
    #[schema(value_type = uuid::Uuid)]
    pub topic_id: TopicId,
    pub channel: Channel,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub language: Locale,
    pub status: BookingStatus,
    pub booked_by: BookedBy,
    pub name: String,
    pub personal_id: Option<String>,
    pub email: String,
    pub phone: Option<String>,
    pub description: String,
    pub needs: Needs,
    pub cancel_reason: Option<String>,
    #[schema(value_type = Option<uuid::Uuid>)]
    pub rescheduled_from: Option<BookingId>,
    /// When the personal data was removed after the retention period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purged_at: Option<DateTime<Utc>>,
}

impl StaffBooking {
    pub(crate) fn new(b: &Booking, masked: bool) -> Self {
        StaffBooking {
            id: b.id,
            reference: b.reference.clone(),
            office_id: b.office_id,
            advisor_id: b.advisor_id,
            topic_id: b.topic_id,
            channel: b.channel,
            start: b.start,
            end: b.end,
            language: b.language,
            status: b.status,
            booked_by: b.booked_by,
            name: b.name.clone(),
            personal_id: b
                .personal_id
                .as_ref()
                .map(|p| if masked { p.masked() } else { p.expose().to_owned() }),
            email: b.email.clone(),
            phone: b.phone.clone(),
            description: b.description.clone(),
            needs: b.needs.clone(),
            cancel_reason: b.cancel_reason.clone(),
            rescheduled_from: b.rescheduled_from,
            purged_at: b.purged_at,
        }
    }
}

/// A booking made by staff: who made it (advisor, phone service, walk-in).
#[derive(Debug, Deserialize, ToSchema)]
pub struct StaffBookingRequest {
    #[serde(flatten)]
    pub booking: BookingRequest,
    pub booked_by: BookedBy,
    /// Book this advisor (one of the office's); omitted: whoever is free at the time.
    #[schema(value_type = Option<uuid::Uuid>)]
    pub advisor_id: Option<AdvisorId>,
}

/// The answer to a booking made or moved by staff: the booking's id (for the other staff
/// endpoints) with what the citizen's answer carries.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffBookingCreated {
    #[schema(value_type = uuid::Uuid)]
    pub id: BookingId,
    #[serde(flatten)]
    pub booking: BookingCreated,
}

impl StaffBookingCreated {
    fn new(state: &AppState, b: &Booking) -> Self {
        StaffBookingCreated { id: b.id, booking: created(state, b) }
    }
}

/// Loads a booking the caller may see, or 404/403.
fn scoped_booking(
    c: &mut DbConnection,
    keys: &PersonalDataKeys,
    principal: &Principal,
    id: BookingId,
) -> Result<Booking, ApiError> {
    let b = bookings::get(c, keys, id)?;
    require_office(principal, b.office_id)?;
    Ok(b)
}

pub(crate) struct Caller {
    pub(crate) id: StaffUserId,
    pub(crate) principal: Principal,
    pub(crate) keys: PersonalDataKeys,
    /// When the request is handled, by the application's clock.
    pub(crate) now: DateTime<Utc>,
}

pub(crate) fn caller(staff: &Staff<ServiceStaff>, state: &AppState) -> Caller {
    Caller { id: staff.id, principal: staff.principal, keys: state.personal.clone(), now: state.now() }
}

/// Runs `f` on a booking in the caller's scope and audits the access.
pub(crate) async fn on_booking<T: Send + 'static>(
    state: &AppState,
    who: Caller,
    id: BookingId,
    audit_action: &'static str,
    f: impl FnOnce(&mut DbConnection, &Caller, Booking) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    state
        .db(move |c| {
            // The audit entry commits with the work, or neither does.
            aukiolo_store::write_transaction(c, |c| {
                let b = scoped_booking(c, &who.keys, &who.principal, id)?;
                audit::record(c, who.id, audit_action, &[id], who.now)?;
                f(c, &who, b)
            })
        })
        .await
}

/// Book for a citizen (advisor, phone service or walk-in). Staff may book inside the
/// minimum notice and held-back time; one booking per slot still holds.
#[utoipa::path(tag = "staff", security(("bearer" = [])),
    request_body = StaffBookingRequest,
    responses(
        (status = 201, description = "Booked", body = StaffBookingCreated),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Not serving staff of the office", body = crate::error::Problem),
        (status = 409, description = "Taken meanwhile, with alternatives", body = crate::error::Problem),
        (status = 422, description = "Invalid fields, each named", body = crate::error::Problem),
    ))]
#[post("/staff/bookings")]
pub async fn create(
    staff: Staff<ServiceStaff>,
    state: web::Data<AppState>,
    body: ValidJson<StaffBookingRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    if body.booked_by == BookedBy::CitizenSelf {
        return Err(ApiError::Validation(vec![FieldError::new(
            "booked_by",
            aukiolo_domain::validation::codes::UNKNOWN_VALUE,
            "must be advisor, phone_service or walk_in",
        )]));
    }
    let mut new = body.booking.validate(body.booked_by)?;
    new.query.advisor_id = body.advisor_id;
    // A phone appointment goes to the named office's phone advisors; unnamed, office
    // staff book their own office's.
    new.query.office_id = body.booking.office_id;
    match new.query.office_id {
        Some(office) => staff.require_office(office)?,
        None => new.query.office_id = staff.principal.office,
    }
    let who = caller(&staff, &state);
    let booking = state
        .db(move |c| {
            let now = who.now;
            // The booking and its audit entry commit together.
            aukiolo_store::write_transaction(c, |c| {
                let booked = bookings::book(
                    c,
                    &who.keys,
                    &new,
                    None,
                    Actor::Staff(who.id),
                    now,
                    RulesApply::StaffOverride,
                )?;
                let (Booked::Created(b) | Booked::Replayed(b)) = booked;
                audit::record(c, who.id, "create_booking", &[b.id], now)?;
                Ok::<_, ApiError>(b)
            })
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(crate::headers::NO_STORE)
        .json(StaffBookingCreated::new(&state, &booking)))
}

/// One booking in full (audited).
#[utoipa::path(tag = "staff", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Booking id")),
    responses(
        (status = 200, description = "The booking", body = StaffBooking),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Another office", body = crate::error::Problem),
        (status = 404, description = "No such booking", body = crate::error::Problem),
    ))]
#[get("/staff/bookings/{id}")]
pub async fn detail(
    staff: Staff<ServiceStaff>,
    state: web::Data<AppState>,
    id: web::Path<BookingId>,
) -> Result<HttpResponse, ApiError> {
    let who = caller(&staff, &state);
    let view =
        on_booking(&state, who, id.into_inner(), "read_booking", |_, _, b| Ok(StaffBooking::new(&b, false)))
            .await?;
    Ok(HttpResponse::Ok().insert_header(crate::headers::NO_STORE).json(view))
}

/// The booking's history, oldest first.
#[utoipa::path(tag = "staff", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Booking id")),
    responses(
        (status = 200, description = "Events", body = Vec<BookingEvent>),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Another office", body = crate::error::Problem),
        (status = 404, description = "No such booking", body = crate::error::Problem),
    ))]
#[get("/staff/bookings/{id}/events")]
pub async fn events(
    staff: Staff<ServiceStaff>,
    state: web::Data<AppState>,
    id: web::Path<BookingId>,
) -> Result<HttpResponse, ApiError> {
    let who = caller(&staff, &state);
    let list =
        on_booking(&state, who, id.into_inner(), "read_events", |c, _, b| Ok(bookings::events(c, b.id)?))
            .await?;
    Ok(HttpResponse::Ok().json(list))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CancelRequest {
    /// Told to the citizen.
    pub reason: Option<String>,
}

/// `arrive`, `start`, `complete`, `no-show`, `cancel` (with an optional `{"reason"}`) or
/// `reinstate` (a mistaken no-show or "not reached" back to booked). A change the status
/// machine does not allow, or not now, is a 409 saying why: arrival, start and completion
/// from an hour before the start, a no-show from the start, a correction the same day,
/// all until the end of the appointment's day in the office's time zone; cancelling
/// until the start.
#[utoipa::path(tag = "staff", security(("bearer" = [])),
    params(
        ("id" = uuid::Uuid, Path, description = "Booking id"),
        ("action" = String, Path, description = "arrive | start | complete | no-show | cancel | reinstate"),
    ),
    request_body(content = Option<CancelRequest>, description = "For cancel: the reason"),
    responses(
        (status = 200, description = "The booking after the change", body = StaffBooking),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Another office", body = crate::error::Problem),
        (status = 404, description = "No such booking or action", body = crate::error::Problem),
        (status = 409, description = "Not allowed from the current status, or not at this time", body = crate::error::Problem),
    ))]
#[post("/staff/bookings/{id}/{action}")]
pub async fn transition(
    staff: Staff<ServiceStaff>,
    state: web::Data<AppState>,
    path: web::Path<(BookingId, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let (id, action) = path.into_inner();
    let action = match action.as_str() {
        "arrive" => Action::Arrive,
        "start" => Action::Start,
        "complete" => Action::Complete,
        "no-show" => Action::NoShow,
        "cancel" => Action::CancelByOffice,
        "reinstate" => Action::Reinstate,
        _ => return Err(ApiError::NotFound("action")),
    };
    let reason = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        crate::json::parse::<CancelRequest>(&body)?.reason.filter(|r| !r.trim().is_empty())
    };
    let who = caller(&staff, &state);
    let view = on_booking(&state, who, id, "change_booking", move |c, who, b| {
        let b = bookings::transition(
            c,
            &who.keys,
            b.id,
            action,
            reason.as_deref(),
            Actor::Staff(who.id),
            who.now,
        )?;
        Ok(StaffBooking::new(&b, false))
    })
    .await?;
    Ok(HttpResponse::Ok().insert_header(crate::headers::NO_STORE).json(view))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct MoveRequest {
    /// The new time; omitted: the same time with another advisor.
    pub start: Option<DateTime<Utc>>,
}

/// Move a booking (typically a conflict) to another advisor at the same time, or to a new
/// time. The old booking is cancelled by the office and linked to the new one.
#[utoipa::path(tag = "staff", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Booking id")),
    request_body = MoveRequest,
    responses(
        (status = 200, description = "The new booking", body = StaffBookingCreated),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Another office", body = crate::error::Problem),
        (status = 409, description = "No other advisor free at the same time, or the time taken (both with alternatives), or not movable", body = crate::error::Problem),
    ))]
#[post("/staff/bookings/{id}/move")]
pub async fn move_booking(
    staff: Staff<ServiceStaff>,
    state: web::Data<AppState>,
    id: web::Path<BookingId>,
    body: ValidJson<MoveRequest>,
) -> Result<HttpResponse, ApiError> {
    let start = body.0.start;
    let who = caller(&staff, &state);
    let moved = on_booking(&state, who, id.into_inner(), "move_booking", move |c, who, b| {
        let start = start.unwrap_or(b.start);
        let moved = bookings::reschedule(
            c,
            &who.keys,
            b.id,
            start,
            Actor::Staff(who.id),
            who.now,
            RulesApply::StaffOverride,
        );
        match moved {
            // The same time with another advisor: none is free then, nothing was taken.
            Err(StoreError::TimeTaken(alternatives)) if start == b.start => {
                Err(ApiError::NoAdvisorFree { at: start, alternatives })
            }
            other => Ok(other?),
        }
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(crate::headers::NO_STORE)
        .json(StaffBookingCreated::new(&state, &moved)))
}
