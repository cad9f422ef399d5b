//! Aukiolo's JSON API under `/api/v1`: staff sign-in (JWT), calendars, bookings, the pilot
//! metrics, problem+json errors and the OpenAPI document generated from the handlers.

pub mod auth;
mod csv;
mod error;
mod json;
pub mod openapi;
mod routes;
mod state;

pub use error::ApiError;
pub use state::{ApiSettings, AppState};

use actix_web::{web, ResponseError};

/// Mounts every route of the API, the health checks and the API documentation.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(json::path_config())
        .app_data(json::query_config())
        .app_data(json::payload_config())
        .configure(routes::health::configure)
        .configure(openapi::configure)
        .service(
            web::scope("/api/v1")
                .configure(auth::login::configure)
                .configure(routes::offices::configure)
                .configure(routes::topics::configure)
                .configure(routes::advisors::configure)
                .configure(routes::schedule_rules::configure)
                .configure(routes::absences::configure)
                .configure(routes::closures::configure)
                .configure(routes::slots::configure)
                .configure(routes::availability::configure)
                .configure(routes::bookings::configure)
                .configure(routes::staff_bookings::configure)
                .configure(routes::outbox::configure)
                .configure(routes::questionnaires::configure)
                .configure(routes::metrics::configure)
                .configure(routes::users::configure)
                .default_service(web::to(|| async { ApiError::NotFound("resource").error_response() })),
        );
}
