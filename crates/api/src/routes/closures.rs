//! Office closures. Each change regenerates the office's slots; booked slots on closed
//! days stay and become conflicts.

use super::scoped::{self, Scoped};
use crate::auth::{Managers, Staff};
use crate::json::ValidJson;
use crate::{ApiError, AppState};
use actix_web::{delete, get, post, put};
use actix_web::{web, HttpResponse};
use aukiolo_domain::calendar::{Closure, ClosureFields};
use aukiolo_domain::{ClosureId, FieldError, OfficeId};
use aukiolo_store::slots::Horizon;
use aukiolo_store::{closures, DbConnection, StoreError};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_for_office).service(create).service(get).service(update).service(delete);
}

pub(crate) struct Closures;

impl Scoped for Closures {
    type Id = ClosureId;
    type Fields = ClosureFields;
    type Item = Closure;

    fn validate(f: &ClosureFields) -> Result<(), Vec<FieldError>> {
        f.validate()
    }
    fn office_of_fields(conn: &mut DbConnection, f: &ClosureFields) -> Result<OfficeId, ApiError> {
        match aukiolo_store::offices::get(conn, f.office_id) {
            Ok(_) => Ok(f.office_id),
            Err(StoreError::NotFound(_)) => Err(StoreError::field("office_id", "no such office").into()),
            Err(e) => Err(e.into()),
        }
    }
    fn fields_of(item: &Closure) -> &ClosureFields {
        &item.fields
    }
    fn get(conn: &mut DbConnection, id: ClosureId) -> aukiolo_store::Result<Closure> {
        closures::get(conn, id)
    }
    fn create(conn: &mut DbConnection, f: &ClosureFields, h: &Horizon) -> aukiolo_store::Result<Closure> {
        closures::create(conn, f, h)
    }
    fn update(
        conn: &mut DbConnection,
        id: ClosureId,
        f: &ClosureFields,
        h: &Horizon,
    ) -> aukiolo_store::Result<Closure> {
        closures::update(conn, id, f, h)
    }
    fn delete(conn: &mut DbConnection, id: ClosureId, h: &Horizon) -> aukiolo_store::Result<()> {
        closures::delete(conn, id, h)
    }
}

/// An office's closures.
#[utoipa::path(tag = "closures", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Office id")),
    responses(
        (status = 200, description = "The closures, by first day", body = Vec<Closure>),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Another office", body = crate::error::Problem),
        (status = 404, description = "No such office", body = crate::error::Problem),
    ))]
#[get("/offices/{id}/closures")]
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
            Ok(closures::list_for_office(c, id, None)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// One closure.
#[utoipa::path(tag = "closures", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Closure id")),
    responses(
        (status = 200, description = "The closure", body = Closure),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Another office", body = crate::error::Problem),
        (status = 404, description = "No such closure", body = crate::error::Problem),
    ))]
#[get("/closures/{id}")]
pub async fn get(
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<ClosureId>,
) -> Result<HttpResponse, ApiError> {
    scoped::get::<Closures>(staff, &state, id.into_inner()).await
}

/// Close an office for some days.
#[utoipa::path(tag = "closures", security(("bearer" = [])),
    request_body = ClosureFields,
    responses(
        (status = 201, description = "Created", body = Closure),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Not a manager of the office", body = crate::error::Problem),
        (status = 422, description = "Invalid fields, each named", body = crate::error::Problem),
    ))]
#[post("/closures")]
pub async fn create(
    staff: Staff<Managers>,
    state: web::Data<AppState>,
    body: ValidJson<ClosureFields>,
) -> Result<HttpResponse, ApiError> {
    scoped::create::<Closures>(staff, &state, body.0).await
}

/// Change a closure.
#[utoipa::path(tag = "closures", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Closure id")),
    request_body = ClosureFields,
    responses(
        (status = 200, description = "Updated", body = Closure),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Not a manager of the office", body = crate::error::Problem),
        (status = 404, description = "No such closure", body = crate::error::Problem),
        (status = 422, description = "Invalid fields, each named", body = crate::error::Problem),
    ))]
#[put("/closures/{id}")]
pub async fn update(
    staff: Staff<Managers>,
    state: web::Data<AppState>,
    id: web::Path<ClosureId>,
    body: ValidJson<ClosureFields>,
) -> Result<HttpResponse, ApiError> {
    scoped::update::<Closures>(staff, &state, id.into_inner(), body.0).await
}

/// Reopen: delete a closure.
#[utoipa::path(tag = "closures", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Closure id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Not a manager of the office", body = crate::error::Problem),
        (status = 404, description = "No such closure", body = crate::error::Problem),
    ))]
#[delete("/closures/{id}")]
pub async fn delete(
    staff: Staff<Managers>,
    state: web::Data<AppState>,
    id: web::Path<ClosureId>,
) -> Result<HttpResponse, ApiError> {
    scoped::delete::<Closures>(staff, &state, id.into_inner()).await
}
