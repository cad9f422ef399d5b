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

/// What the start page and the static pages say about the other ways to get help; from
/// the configuration, since every organisation has its own numbers.
#[derive(Clone, Debug)]
pub struct ServiceInfo {
    /// The phone service, as people dial it: "020 692 200".
    pub phone_number: String,
    /// Its opening hours in fi, sv and en: "ma–pe 9–16".
    pub phone_hours: [String; 3],
    /// The e-service, where much can be done without a visit.
    pub eservice_url: String,
}

impl ServiceInfo {
    pub fn phone_hours(&self, locale: aukiolo_domain::Locale) -> &str {
        &self.phone_hours[crate::lang::ALL.iter().position(|l| *l == locale).unwrap_or(0)]
    }
}

impl Default for ServiceInfo {
    /// Example values for tests and the demo; a real office sets its own.
    fn default() -> Self {
        ServiceInfo {
            phone_number: "020 123 4567".into(),
            phone_hours: ["ma–pe 9–16".into(), "mån–fre 9–16".into(), "Mon–Fri 9–16".into()],
            eservice_url: "https://asiointi.example.fi/".into(),
        }
    }
}
