//! Liveness and readiness, for load balancers and orchestrators.

use crate::AppState;
use actix_web::get;
use actix_web::{web, HttpResponse};
use diesel::connection::SimpleConnection;
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

/// The database answers.
#[utoipa::path(tag = "operations",
    responses(
        (status = 200, description = "The database is reachable", body = Health),
        (status = 503, description = "The database is not reachable", body = crate::error::Problem),
    ))]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, crate::ApiError> {
    let pool = state.pool.clone();
    let reachable = web::block(move || {
        pool.try_get().or_else(|| pool.get().ok()).is_some_and(|mut c| c.batch_execute("SELECT 1").is_ok())
    })
    .await
    .unwrap_or(false);
    if reachable {
        Ok(HttpResponse::Ok().json(Health { status: "ok" }))
    } else {
        Err(crate::ApiError::Unavailable("database unreachable".into()))
    }
}
