//! Aukiolo's pages: server-rendered HTML on the same actix app as the API, built on
//! `store` and `domain` directly, never on our own API over HTTP. Every page exists under
//! `/fi/`, `/sv/` and `/en/`, works without JavaScript, and takes its texts from one
//! catalogue ([`catalogue`]) in which a missing translation does not compile.
//! See `docs/web.md`.

pub mod assets;
pub mod catalogue;
pub mod chrome;
pub mod error;
pub mod forms;
pub mod headers;
pub mod journey;
pub mod lang;
pub mod numbers;
pub mod pages;
pub mod seal;
pub mod site;
pub mod staff;

pub use site::{Secrets, Site};

use actix_web::{web, HttpResponse};

/// The pages and their assets; `/` sends a newcomer to the Finnish start page. The app
/// must hold a `web::Data<Site>`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/",
        crate::pages::get()
            .to(|| async { HttpResponse::SeeOther().insert_header(("Location", "/fi/")).finish() }),
    )
    .configure(assets::configure)
    .service(
        web::scope("/{lang}")
            .guard(actix_web::guard::fn_guard(|ctx| lang::from_path(ctx.head().uri.path()).is_some()))
            .wrap(error::render())
            .wrap(headers::page_headers())
            .configure(pages::configure)
            .default_service(web::to(|| async { Err::<HttpResponse, _>(error::Problem::NotFound) })),
    );
}
