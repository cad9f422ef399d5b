//! The accessibility statement and the privacy notice.

use crate::catalogue::{Text, Tr};
use crate::chrome::Chrome;
use crate::lang::Cx;
use actix_web::HttpRequest;
use askama::Template;
use askama_web::WebTemplate;

#[derive(Template, WebTemplate)]
#[template(path = "info.html")]
pub struct InfoPage {
    c: Chrome,
    heading: &'static str,
    paragraphs: Vec<String>,
}

fn info_page(
    req: &HttpRequest,
    locale: aukiolo_domain::Locale,
    heading: Text,
    texts: &[Text],
    number: &str,
) -> InfoPage {
    let t = Tr(locale);
    let heading = t.get(heading);
    InfoPage {
        c: Chrome::new(req, locale, heading),
        heading,
        paragraphs: texts.iter().map(|text| t.fill(*text, &[("number", number)])).collect(),
    }
}

pub async fn accessibility(Cx { req, lang: locale, site }: Cx) -> InfoPage {
    use Text::*;
    let texts = [AccessibilityIntro, AccessibilityStatus, AccessibilityFeedback];
    info_page(&req, locale, AccessibilityTitle, &texts, &site.service.phone_number)
}

pub async fn privacy(Cx { req, lang: locale, site }: Cx) -> InfoPage {
    use Text::*;
    let texts = [PrivacyIntro, PrivacyWhat, PrivacyWhy, PrivacyHowLong, PrivacyRights];
    info_page(&req, locale, PrivacyTitle, &texts, &site.service.phone_number)
}
