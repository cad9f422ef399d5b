//! `/{lang}/`: what the service is, that some offices serve by appointment only, and the
//! other ways to get help.

use crate::catalogue::Text;
use crate::chrome::Chrome;
use crate::lang::Cx;
use askama::Template;
use askama_web::WebTemplate;

#[derive(Template, WebTemplate)]
#[template(path = "start.html")]
pub struct StartPage {
    c: Chrome,
    eservice_url: String,
    phone: String,
}

pub async fn page(Cx { req, lang: locale, site }: Cx) -> StartPage {
    let info = &site.service;
    let c = Chrome::new(&req, locale, crate::catalogue::Tr(locale).get(Text::StartTitle));
    let phone = info.phone_line(locale);
    StartPage { c, eservice_url: info.eservice_url.clone(), phone }
}
