//! Liveness and readiness, for load balancers and orchestrators.

use crate::AppState;
use actix_web::get;
use actix_web::{web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// The process is up.
#[utoipa::path(tag = "operations",
    responses((status = 200, description = "The process answers", body = Health)))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok" })
}

/// How long readiness may take: a load balancer's probe gets its answer within a second,
/// whether the database refuses, answers, or hangs.
const READY_WITHIN: std::time::Duration = std::time::Duration::from_millis(900);

/// The database answers.
#[utoipa::path(tag = "operations",
    responses(
        (status = 200, description = "The database is reachable", body = Health),
        (status = 503, description = "The database is not reachable", body = crate::error::Problem),
    ))]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, crate::ApiError> {
    let pool = state.pool.clone();
    let check = web::block(move || aukiolo_store::pool::answers(&pool));
    let reachable = matches!(actix_web::rt::time::timeout(READY_WITHIN, check).await, Ok(Ok(true)));
    if reachable {
        Ok(HttpResponse::Ok().json(Health { status: "ok" }))
    } else {
        Err(crate::ApiError::Unavailable("database unreachable".into()))
    }
}
