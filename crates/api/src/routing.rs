//! Every route of the API registered once: each handler's `#[utoipa::path]` and its
//! actix method macro are the same item, so `service(handler)` mounts the route and adds
//! its operation to the OpenAPI document in one step, and the router and the document
//! cannot drift (utoipa-actix-web). A wrong method on a known path is answered from the
//! same document (`methods`).

use crate::openapi::{self, methods::MethodTable};
use crate::{auth, json, routes};
use actix_web::dev::HttpServiceFactory;
use actix_web::web;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::{OpenApi, RefOr};
use utoipa::OpenApi as _;
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_actix_web::OpenApiFactory;

/// The API's scope; every path of the document but the health checks is under it.
pub const PREFIX: &str = "/api/v1";

/// The resources under `/api/v1`, in matching order (a specific path before a pattern
/// that would also match it, e.g. `/staff/bookings/{id}/move` before `…/{action}`).
fn api(cfg: &mut ServiceConfig) {
    cfg.configure(auth::login::configure)
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
        .configure(routes::users::configure);
}

/// Mounts the extractor settings, the health checks and the `/api/v1` scope on `cfg`,
/// and returns the OpenAPI document of exactly what was mounted.
pub(crate) fn mount(cfg: &mut web::ServiceConfig) -> OpenApi {
    cfg.app_data(json::path_config()).app_data(json::query_config()).app_data(json::payload_config());
    let mut doc = openapi::ApiDoc::openapi();
    let mut schemas = Vec::new();
    root(cfg, &mut doc, &mut schemas, routes::health::healthz);
    root(cfg, &mut doc, &mut schemas, routes::health::readyz);

    let scope = utoipa_actix_web::scope(PREFIX).configure(api);
    doc.paths.merge(scope.paths());
    scope.schemas(&mut schemas);
    doc.components.get_or_insert_with(Default::default).schemas.extend(schemas);
    openapi::errors::document(&mut doc);

    let methods = MethodTable::new(&doc);
    let answer = move |req: actix_web::HttpRequest| {
        let response = methods.answer(&req);
        async move { response }
    };
    // After the handlers, so only what none of them took falls through to these.
    for path in doc.paths.paths.keys().filter(|p| !p.starts_with(PREFIX)) {
        cfg.service(web::resource(path.as_str()).default_service(web::to(answer.clone())));
    }
    cfg.service(scope.default_service(web::to(answer)));
    doc
}

/// A handler mounted outside the scope (the health checks), documented the same way.
fn root<F>(cfg: &mut web::ServiceConfig, doc: &mut OpenApi, schemas: &mut Vec<(String, RefOr<Schema>)>, f: F)
where
    F: HttpServiceFactory + OpenApiFactory + 'static,
{
    doc.paths.merge(f.paths());
    f.schemas(schemas);
    cfg.service(f);
}

/// The OpenAPI document as [`mount`] builds it, without a server.
pub fn document() -> OpenApi {
    let mut doc = None;
    let _ = actix_web::App::new().configure(|cfg| doc = Some(mount(cfg)));
    doc.unwrap_or_else(openapi::ApiDoc::openapi)
}
