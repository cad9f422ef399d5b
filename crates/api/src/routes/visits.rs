//! What staff record around a visit: call attempts to phone appointments, the advisor's
//! assessment of a completed visit, and the walk-in log of an office; each written and
//! listed through `store::visits`, which keeps the rules, and scoped to the caller's
//! office like the other staff endpoints.

use super::staff_bookings::{caller, on_booking};
use super::staff_day::DayParams;
use crate::auth::{ServiceStaff, Staff};
use crate::json::ValidJson;
use crate::{ApiError, AppState};
use actix_web::{get, post};
use actix_web::{web, HttpResponse};
use aukiolo_domain::visit::{Assessment, AssessmentRecord, CallAttempt, WalkIn, WalkInOutcome};
use aukiolo_domain::{BookingId, OfficeId, TopicId};
use aukiolo_store::visits::{self, CallOutcome, NewWalkIn};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(call_attempt)
        .service(call_attempts)
        .service(assess)
        .service(assessment)
        .service(walk_in)
        .service(walk_ins);
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CallAttemptRequest {
    pub reached: bool,
}

/// Log a call to a phone appointment, from ten minutes before its start until the end of
/// its day (office time). After the office's number of unanswered attempts (default 3)
/// the booking becomes `not_reached`, its own outcome rather than a no-show, and the
/// citizen is told by e-mail how to book again.
#[utoipa::path(tag = "staff", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Booking id")),
    request_body = CallAttemptRequest,
    responses(
        (status = 201, description = "Logged", body = CallOutcome),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Another office", body = crate::error::Problem),
        (status = 404, description = "No such booking", body = crate::error::Problem),
        (status = 409, description = "Not a phone appointment that is still booked, or not its time", body = crate::error::Problem),
    ))]
#[post("/staff/bookings/{id}/call-attempts")]
pub async fn call_attempt(
    staff: Staff<ServiceStaff>,
    state: web::Data<AppState>,
    id: web::Path<BookingId>,
    body: ValidJson<CallAttemptRequest>,
) -> Result<HttpResponse, ApiError> {
    let reached = body.0.reached;
    let max = state.settings.max_call_attempts;
    let who = caller(&staff, &state);
    let outcome = on_booking(&state, who, id.into_inner(), "call_attempt", move |c, who, b| {
        Ok(visits::log_call(c, &who.keys, b.id, who.id, reached, max, who.now)?)
    })
    .await?;
    Ok(HttpResponse::Created().json(outcome))
}

/// The calls logged to a booking, oldest first.
#[utoipa::path(tag = "staff", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Booking id")),
    responses(
        (status = 200, description = "The calls", body = Vec<CallAttempt>),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Another office", body = crate::error::Problem),
        (status = 404, description = "No such booking", body = crate::error::Problem),
    ))]
#[get("/staff/bookings/{id}/call-attempts")]
pub async fn call_attempts(
    staff: Staff<ServiceStaff>,
    state: web::Data<AppState>,
    id: web::Path<BookingId>,
) -> Result<HttpResponse, ApiError> {
    let who = caller(&staff, &state);
    let list = on_booking(&state, who, id.into_inner(), "read_call_attempts", |c, _, b| {
        Ok(visits::call_attempts(c, b.id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// The advisor's assessment of a completed visit. Its author may correct it the same
/// day (office time).
#[utoipa::path(tag = "staff", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Booking id")),
    request_body = Assessment,
    responses(
        (status = 200, description = "Saved", body = Assessment),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Another office", body = crate::error::Problem),
        (status = 404, description = "No such booking", body = crate::error::Problem),
        (status = 409, description = "Not completed, or already assessed by someone else or on another day", body = crate::error::Problem),
        (status = 422, description = "Invalid fields, each named", body = crate::error::Problem),
    ))]
#[post("/staff/bookings/{id}/assessment")]
pub async fn assess(
    staff: Staff<ServiceStaff>,
    state: web::Data<AppState>,
    id: web::Path<BookingId>,
    body: ValidJson<Assessment>,
) -> Result<HttpResponse, ApiError> {
    let record = body.0;
    record.validate()?;
    let who = caller(&staff, &state);
    let saved = on_booking(&state, who, id.into_inner(), "assess_visit", move |c, who, b| {
        Ok(visits::assess(c, b.id, who.id, &record, who.now)?.assessment)
    })
    .await?;
    Ok(HttpResponse::Ok().json(saved))
}

/// The assessment of a visit, with its author and when it was written and last corrected.
#[utoipa::path(tag = "staff", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Booking id")),
    responses(
        (status = 200, description = "The assessment", body = AssessmentRecord),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Another office", body = crate::error::Problem),
        (status = 404, description = "No such booking, or not assessed", body = crate::error::Problem),
    ))]
#[get("/staff/bookings/{id}/assessment")]
pub async fn assessment(
    staff: Staff<ServiceStaff>,
    state: web::Data<AppState>,
    id: web::Path<BookingId>,
) -> Result<HttpResponse, ApiError> {
    let who = caller(&staff, &state);
    let record = on_booking(&state, who, id.into_inner(), "read_assessment", |c, _, b| {
        visits::assessment(c, b.id)?.ok_or(ApiError::NotFound("assessment"))
    })
    .await?;
    Ok(HttpResponse::Ok().json(record))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct WalkInRequest {
    #[schema(value_type = uuid::Uuid)]
    pub topic_id: TopicId,
    pub outcome: WalkInOutcome,
    /// The booking made for the visitor, if any.
    pub booking_reference: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WalkInLogged {
    pub id: uuid::Uuid,
}

/// Log a citizen who came without an appointment, and what was done.
#[utoipa::path(tag = "staff", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Office id")),
    request_body = WalkInRequest,
    responses(
        (status = 201, description = "Logged", body = WalkInLogged),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Another office", body = crate::error::Problem),
        (status = 422, description = "Unknown topic or booking reference", body = crate::error::Problem),
        (status = 503, description = "The database is unavailable", body = crate::error::Problem),
    ))]
#[post("/staff/offices/{id}/walk-ins")]
pub async fn walk_in(
    staff: Staff<ServiceStaff>,
    state: web::Data<AppState>,
    id: web::Path<OfficeId>,
    body: ValidJson<WalkInRequest>,
) -> Result<HttpResponse, ApiError> {
    let office = id.into_inner();
    staff.require_office(office)?;
    let body = body.0;
    let who = caller(&staff, &state);
    let logged = state
        .db(move |c| {
            let new = NewWalkIn {
                office,
                topic: body.topic_id,
                outcome: body.outcome,
                booking_reference: body.booking_reference.as_deref(),
            };
            let walk_in = visits::log_walk_in(c, &new, who.id, who.now)?;
            Ok(WalkInLogged { id: walk_in.id })
        })
        .await?;
    Ok(HttpResponse::Created().json(logged))
}

/// The walk-ins logged at an office on one of its days, in the order they came.
#[utoipa::path(tag = "staff", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Office id"), DayParams),
    responses(
        (status = 200, description = "The walk-ins of the day", body = Vec<WalkIn>),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Another office", body = crate::error::Problem),
        (status = 404, description = "No such office", body = crate::error::Problem),
        (status = 422, description = "A bad date", body = crate::error::Problem),
    ))]
#[get("/staff/offices/{id}/walk-ins")]
pub async fn walk_ins(
    staff: Staff<ServiceStaff>,
    state: web::Data<AppState>,
    id: web::Path<OfficeId>,
    params: crate::query::ValidQuery<DayParams>,
) -> Result<HttpResponse, ApiError> {
    let office = id.into_inner();
    staff.require_office(office)?;
    let date = params.into_inner().date;
    let now = state.now();
    let list = state
        .db(move |c| {
            let tz = aukiolo_store::offices::get(c, office)?.fields.tz();
            let day = super::range::day_or_today(date.as_deref(), tz, now)?;
            Ok(visits::walk_ins_on(c, office, day)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(list))
}
