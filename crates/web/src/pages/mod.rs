//! The pages, one module each, under `/{lang}/`.

/// The page's value from a `Result<Result<T, HttpResponse>, Problem>`, returning early
/// with the redirect (an earlier question, the manage page) when it is one.
macro_rules! or_redirect {
    ($e:expr) => {
        match $e? {
            Ok(value) => value,
            Err(redirect) => return Ok(redirect),
        }
    };
}

pub mod admin;
pub mod book;
pub mod booking;
pub mod info;
pub mod manage;
pub mod pilot;
pub mod questionnaire;
pub mod resend;
pub mod staff;
pub mod start;

use crate::error::Problem;
use actix_web::{web, HttpResponse};
use askama::Template;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", crate::pages::get().to(start::page))
        .route("/accessibility", crate::pages::get().to(info::accessibility))
        .route("/privacy", crate::pages::get().to(info::privacy))
        .configure(admin::configure)
        .configure(book::configure)
        .configure(booking::configure)
        .configure(manage::configure)
        .configure(pilot::configure)
        .configure(questionnaire::configure)
        .configure(staff::configure);
}

/// A route for GET and HEAD alike: a link checker's HEAD sees what a browser's GET does
/// (and, like it, changes nothing).
pub fn get() -> actix_web::Route {
    use actix_web::guard;
    web::route().guard(guard::Any(guard::Get()).or(guard::Head()))
}

/// A rendered page as a 200 response.
pub fn html<T: Template>(page: &T) -> Result<HttpResponse, Problem> {
    match page.render() {
        Ok(body) => Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(body)),
        Err(e) => {
            tracing::error!(error = %e, "page failed to render");
            Err(Problem::Internal)
        }
    }
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

impl ServiceInfo {
    /// "Puhelinpalvelu: 020 692 200 (ma–pe 9–16)."
    pub fn phone_line(&self, locale: aukiolo_domain::Locale) -> String {
        crate::catalogue::text(
            locale,
            crate::catalogue::Text::StartPhone,
            &[("number", &self.phone_number), ("hours", self.phone_hours.get(locale))],
        )
    }
}
