//! Topics: listed publicly, maintained by admins (they are shared by all offices).

use crate::auth::{Admins, Staff};
use crate::json::ValidJson;
use crate::{ApiError, AppState};
use actix_web::{delete, get, post, put};
use actix_web::{web, HttpResponse};
use aukiolo_domain::topic::{Topic, TopicFields};
use aukiolo_domain::TopicId;
use aukiolo_store::topics;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list).service(create).service(get).service(update).service(delete);
}

/// Every topic (public).
#[utoipa::path(tag = "topics",
    responses((status = 200, description = "All topics", body = Vec<Topic>)))]
#[get("/topics")]
pub async fn list(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let list = state.db(|c| Ok(topics::list(c)?)).await?;
    Ok(HttpResponse::Ok().json(list))
}

/// One topic (public).
#[utoipa::path(tag = "topics",
    params(("id" = uuid::Uuid, Path, description = "Topic id")),
    responses(
        (status = 200, description = "The topic", body = Topic),
        (status = 404, description = "No such topic", body = crate::error::Problem),
    ))]
#[get("/topics/{id}")]
pub async fn get(state: web::Data<AppState>, id: web::Path<TopicId>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let topic = state.db(move |c| Ok(topics::get(c, id)?)).await?;
    Ok(HttpResponse::Ok().json(topic))
}

/// Create a topic (admin).
#[utoipa::path(tag = "topics", security(("bearer" = [])),
    request_body = TopicFields,
    responses(
        (status = 201, description = "Created", body = Topic),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Not an admin", body = crate::error::Problem),
        (status = 422, description = "Invalid fields, each named", body = crate::error::Problem),
    ))]
#[post("/topics")]
pub async fn create(
    _staff: Staff<Admins>,
    state: web::Data<AppState>,
    body: ValidJson<TopicFields>,
) -> Result<HttpResponse, ApiError> {
    let fields = body.0;
    fields.validate()?;
    let topic = state.db(move |c| Ok(topics::create(c, &fields)?)).await?;
    Ok(HttpResponse::Created().json(topic))
}

/// Replace a topic's fields (admin).
#[utoipa::path(tag = "topics", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Topic id")),
    request_body = TopicFields,
    responses(
        (status = 200, description = "Updated", body = Topic),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Not an admin", body = crate::error::Problem),
        (status = 404, description = "No such topic", body = crate::error::Problem),
        (status = 422, description = "Invalid fields, each named", body = crate::error::Problem),
    ))]
#[put("/topics/{id}")]
pub async fn update(
    _staff: Staff<Admins>,
    state: web::Data<AppState>,
    id: web::Path<TopicId>,
    body: ValidJson<TopicFields>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let fields = body.0;
    fields.validate()?;
    let topic = state.db(move |c| Ok(topics::update(c, id, &fields)?)).await?;
    Ok(HttpResponse::Ok().json(topic))
}

/// Delete a topic (admin); advisors stop handling it.
#[utoipa::path(tag = "topics", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Topic id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Not an admin", body = crate::error::Problem),
        (status = 404, description = "No such topic", body = crate::error::Problem),
    ))]
#[delete("/topics/{id}")]
pub async fn delete(
    _staff: Staff<Admins>,
    state: web::Data<AppState>,
    id: web::Path<TopicId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    state.db(move |c| Ok(topics::delete(c, id)?)).await?;
    Ok(HttpResponse::NoContent().finish())
}
