//! Offices: listed publicly, created and removed by admins, edited by their managers,
//! moved between pilot and control only by pilot leads and admins (audited).

use crate::auth::{Admins, OfficeEditors};
use crate::json::ValidJson;
use crate::{ApiError, AppState};
use actix_web::{delete, get, post, put};
use actix_web::{web, HttpResponse};
use aukiolo_domain::office::{Office, OfficeFields};
use aukiolo_domain::OfficeId;
use aukiolo_store::offices;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list).service(create).service(get).service(update).service(delete);
}

/// Every office (public).
#[utoipa::path(tag = "offices",
    responses((status = 200, description = "All offices", body = Vec<Office>)))]
#[get("/offices")]
pub async fn list(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let list = state.db(|c| Ok(offices::list(c)?)).await?;
    Ok(HttpResponse::Ok().json(list))
}

/// One office (public).
#[utoipa::path(tag = "offices",
    params(("id" = uuid::Uuid, Path, description = "Office id")),
    responses(
        (status = 200, description = "The office", body = Office),
        (status = 404, description = "No such office", body = crate::error::Problem),
    ))]
#[get("/offices/{id}")]
pub async fn get(state: web::Data<AppState>, id: web::Path<OfficeId>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let office = state.db(move |c| Ok(offices::get(c, id)?)).await?;
    Ok(HttpResponse::Ok().json(office))
}

/// Create an office (admin).
#[utoipa::path(tag = "offices", security(("bearer" = [])),
    request_body = OfficeFields,
    responses(
        (status = 201, description = "Created", body = Office),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Not an admin", body = crate::error::Problem),
        (status = 422, description = "Invalid fields, each named", body = crate::error::Problem),
    ))]
#[post("/offices")]
pub async fn create(
    _staff: crate::auth::Staff<Admins>,
    state: web::Data<AppState>,
    body: ValidJson<OfficeFields>,
) -> Result<HttpResponse, ApiError> {
    let fields = body.0;
    fields.validate()?;
    let now = state.now();
    let office = state.db(move |c| Ok(offices::create(c, &fields, now)?)).await?;
    Ok(HttpResponse::Created().json(office))
}

/// Replace an office's fields. Its manager may change all but `pilot_group`,
/// `service_mode` and `pilot_start`; a pilot lead only those three; an admin any. A field
/// the role may not change is a 403 naming it; a change of the three is audited
/// (`change_office_pilot`, with the old and new values) in the update's transaction.
#[utoipa::path(tag = "offices", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Office id")),
    request_body = OfficeFields,
    responses(
        (status = 200, description = "Updated", body = Office),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Not a manager of this office, or a field the role may not change (each named)", body = crate::error::Problem),
        (status = 404, description = "No such office", body = crate::error::Problem),
        (status = 422, description = "Invalid fields, each named", body = crate::error::Problem),
    ))]
#[put("/offices/{id}")]
pub async fn update(
    staff: crate::auth::Staff<OfficeEditors>,
    state: web::Data<AppState>,
    id: web::Path<OfficeId>,
    body: ValidJson<OfficeFields>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    staff.require_office(id)?;
    let fields = body.0;
    fields.validate()?;
    let (now, horizon) = (state.now(), state.horizon());
    let editor = offices::Editor { staff: staff.id, role: staff.principal.role };
    let office = state.db(move |c| Ok(offices::change_by(c, id, &fields, editor, now, &horizon)?)).await?;
    Ok(HttpResponse::Ok().json(office))
}

/// Delete an office without advisors (admin).
#[utoipa::path(tag = "offices", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Office id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Not an admin", body = crate::error::Problem),
        (status = 404, description = "No such office", body = crate::error::Problem),
        (status = 409, description = "The office still has advisors or staff", body = crate::error::Problem),
    ))]
#[delete("/offices/{id}")]
pub async fn delete(
    _staff: crate::auth::Staff<Admins>,
    state: web::Data<AppState>,
    id: web::Path<OfficeId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    state.db(move |c| Ok(offices::delete(c, id)?)).await?;
    Ok(HttpResponse::NoContent().finish())
}
