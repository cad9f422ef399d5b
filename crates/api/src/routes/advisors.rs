//! Advisors, managed within an office by its managers (and by admins anywhere).

use crate::auth::{require_office, Managers, Staff};
use crate::json::ValidJson;
use crate::{ApiError, AppState};
use actix_web::{delete, get, post, put};
use actix_web::{web, HttpResponse};
use aukiolo_domain::advisor::{Advisor, AdvisorFields};
use aukiolo_domain::{AdvisorId, OfficeId};
use aukiolo_store::advisors;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_for_office).service(create).service(get).service(update).service(delete);
}

/// The advisors of an office (staff of that office, pilot leads, admins).
#[utoipa::path(tag = "advisors", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Office id")),
    responses(
        (status = 200, description = "The office's advisors", body = Vec<Advisor>),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Another office", body = crate::error::Problem),
        (status = 404, description = "No such office", body = crate::error::Problem),
    ))]
#[get("/offices/{id}/advisors")]
pub async fn list_for_office(
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<OfficeId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    staff.require_office(id)?;
    let list = state
        .db(move |c| {
            aukiolo_store::offices::get(c, id)?;
            Ok(advisors::list_for_office(c, id)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// One advisor.
#[utoipa::path(tag = "advisors", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Advisor id")),
    responses(
        (status = 200, description = "The advisor", body = Advisor),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Another office", body = crate::error::Problem),
        (status = 404, description = "No such advisor", body = crate::error::Problem),
    ))]
#[get("/advisors/{id}")]
pub async fn get(
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<AdvisorId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let principal = staff.principal;
    let advisor = state
        .db(move |c| {
            let advisor = advisors::get(c, id)?;
            require_office(&principal, advisor.fields.office_id)?;
            Ok(advisor)
        })
        .await?;
    Ok(HttpResponse::Ok().json(advisor))
}

/// Add an advisor to an office.
#[utoipa::path(tag = "advisors", security(("bearer" = [])),
    request_body = AdvisorFields,
    responses(
        (status = 201, description = "Created", body = Advisor),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Not a manager of that office", body = crate::error::Problem),
        (status = 422, description = "Invalid fields, each named", body = crate::error::Problem),
    ))]
#[post("/advisors")]
pub async fn create(
    staff: Staff<Managers>,
    state: web::Data<AppState>,
    body: ValidJson<AdvisorFields>,
) -> Result<HttpResponse, ApiError> {
    let fields = body.0;
    fields.validate()?;
    staff.require_office(fields.office_id)?;
    let advisor = state.db(move |c| Ok(advisors::create(c, &fields)?)).await?;
    Ok(HttpResponse::Created().json(advisor))
}

/// Replace an advisor's fields; deactivating removes their open slots.
#[utoipa::path(tag = "advisors", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Advisor id")),
    request_body = AdvisorFields,
    responses(
        (status = 200, description = "Updated", body = Advisor),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Not a manager of the advisor's office", body = crate::error::Problem),
        (status = 404, description = "No such advisor", body = crate::error::Problem),
        (status = 409, description = "Moving office while bookings remain", body = crate::error::Problem),
        (status = 422, description = "Invalid fields, each named", body = crate::error::Problem),
    ))]
#[put("/advisors/{id}")]
pub async fn update(
    staff: Staff<Managers>,
    state: web::Data<AppState>,
    id: web::Path<AdvisorId>,
    body: ValidJson<AdvisorFields>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let fields = body.0;
    fields.validate()?;
    staff.require_office(fields.office_id)?;
    let principal = staff.principal;
    let horizon = state.horizon();
    let advisor = state
        .db(move |c| {
            require_office(&principal, advisors::get(c, id)?.fields.office_id)?;
            Ok(advisors::update(c, id, &fields, &horizon)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(advisor))
}

/// Delete an advisor who never had a booking.
#[utoipa::path(tag = "advisors", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Advisor id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Not a manager of the advisor's office", body = crate::error::Problem),
        (status = 404, description = "No such advisor", body = crate::error::Problem),
        (status = 409, description = "The advisor has bookings", body = crate::error::Problem),
    ))]
#[delete("/advisors/{id}")]
pub async fn delete(
    staff: Staff<Managers>,
    state: web::Data<AppState>,
    id: web::Path<AdvisorId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let principal = staff.principal;
    state
        .db(move |c| {
            require_office(&principal, advisors::get(c, id)?.fields.office_id)?;
            Ok(advisors::delete(c, id)?)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
