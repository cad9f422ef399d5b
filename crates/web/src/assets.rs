//! The stylesheet and icon, compiled into the binary and served under names that carry
//! a hash of their content, so they can be cached for a year and a new release is never
//! shown with an old stylesheet. Nothing is fetched from another host.

use actix_web::{web, HttpResponse};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

struct Asset {
    /// `/static/aukiolo-1a2b3c4d.css`
    path: String,
    content_type: &'static str,
    body: &'static [u8],
}

const CSS: &[u8] = include_bytes!("../assets/aukiolo.css");
const ICON: &[u8] = include_bytes!("../assets/icon.svg");

fn assets() -> &'static [Asset; 2] {
    static ASSETS: OnceLock<[Asset; 2]> = OnceLock::new();
    ASSETS.get_or_init(|| {
        let named = |stem: &str, ext: &str, content_type, body: &'static [u8]| {
            let hash: String = aukiolo_domain::hex::hex(&Sha256::digest(body)[..4]);
            Asset { path: format!("/static/{stem}-{hash}.{ext}"), content_type, body }
        };
        [named("aukiolo", "css", "text/css; charset=utf-8", CSS), named("icon", "svg", "image/svg+xml", ICON)]
    })
}

/// Where pages link the stylesheet.
pub fn stylesheet() -> &'static str {
    &assets()[0].path
}

/// Where pages link the icon.
pub fn icon() -> &'static str {
    &assets()[1].path
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/static/{name}", crate::pages::get().to(serve));
}

async fn serve(req: actix_web::HttpRequest) -> HttpResponse {
    match assets().iter().find(|a| a.path == req.path()) {
        Some(asset) => HttpResponse::Ok()
            .insert_header(("Content-Type", asset.content_type))
            .insert_header(("Cache-Control", "public, max-age=31536000, immutable"))
            .insert_header(("X-Content-Type-Options", "nosniff"))
            .body(asset.body),
        None => HttpResponse::NotFound().insert_header(("Cache-Control", "no-store")).finish(),
    }
}
