//! The pages, one module each, under `/{lang}/`.

pub mod errors;
pub mod info;
pub mod start;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(start::page))
        .route("/accessibility", web::get().to(info::accessibility))
        .route("/privacy", web::get().to(info::privacy));
}

/// What the start page and the static pages say about the other ways to get help: the
/// `[service]` section of the configuration, since every organisation has its own.
#[derive(Clone, Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceInfo {
    /// The phone service, as people dial it: "020 692 200".
    pub phone_number: String,
    /// Its opening hours: "ma–pe 9–16", "mån–fre 9–16", "Mon–Fri 9–16".
    pub phone_hours: aukiolo_domain::LocalisedText,
    /// The e-service, where much can be done without a visit.
    pub eservice_url: String,
}
