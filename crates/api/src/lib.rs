//! Aukiolo's JSON API under `/api/v1`: staff sign-in (JWT), calendars, bookings, the pilot
//! metrics, problem+json errors and the OpenAPI document generated from the handlers.

pub mod auth;
mod csv;
mod error;
mod fields;
mod headers;
mod json;
pub mod openapi;
mod query;
mod routes;
mod routing;
mod state;

pub use error::ApiError;
pub use headers::default_headers;
pub use state::{ApiSettings, AppState};

use actix_web::web;

/// Mounts every route of the API, the health checks and the API documentation.
pub fn configure(cfg: &mut web::ServiceConfig) {
    let doc = routing::mount(cfg);
    openapi::serve(cfg, doc);
}

/// The OpenAPI document of the routes [`configure`] mounts.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    routing::document()
}
