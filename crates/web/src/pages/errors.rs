//! Error pages in the page's language, with the right status.

use crate::catalogue::{Text, Tr};
use crate::chrome::Chrome;
use crate::lang::Lang;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, Responder};
use askama::Template;
use askama_web::WebTemplate;

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
pub struct ErrorPage {
    c: Chrome,
    heading: &'static str,
    body: &'static str,
}

/// Any path under `/{lang}/` that is no page.
pub async fn not_found(req: HttpRequest, Lang(locale): Lang) -> impl Responder {
    let t = Tr(locale);
    let heading = t.get(Text::NotFoundTitle);
    ErrorPage { c: Chrome::new(&req, locale, heading), heading, body: t.get(Text::NotFoundBody) }
        .customize()
        .with_status(StatusCode::NOT_FOUND)
}
