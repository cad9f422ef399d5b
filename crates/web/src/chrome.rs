//! What every page shares around its content: language, title, the language links (same
//! path, same query, other language) and the addresses of the stylesheet and icon.

use crate::catalogue::{Text, Tr};
use crate::lang;
use actix_web::HttpRequest;
use aukiolo_domain::Locale;

/// A link to this page in one language.
#[derive(Clone, Debug)]
pub struct LanguageLink {
    pub code: &'static str,
    /// The language's name in itself: "suomi", "svenska", "English".
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

/// The frame of a page, as the layout template reads it.
#[derive(Clone, Debug)]
pub struct Chrome {
    pub lang: &'static str,
    pub t: Tr,
    /// "Page – Service", unique per page.
    pub title: String,
    pub languages: Vec<LanguageLink>,
    pub css: &'static str,
    pub icon: &'static str,
    /// The back link above the content, on the pages of a journey.
    pub back: Option<String>,
    /// On staff pages: who is signed in, their pages and the sign-out form.
    pub staff: Option<StaffBar>,
}

/// The bar under a staff page's header.
#[derive(Clone, Debug)]
pub struct StaffBar {
    pub nav_label: &'static str,
    /// "Signed in: maija@…".
    pub signed_in: String,
    pub csrf: String,
    pub links: Vec<NavLink>,
    pub sign_out: String,
    pub sign_out_label: &'static str,
}

#[derive(Clone, Debug)]
pub struct NavLink {
    pub href: String,
    pub label: &'static str,
    pub current: bool,
}

fn native_name(l: Locale) -> &'static str {
    match l {
        Locale::Fi => "suomi",
        Locale::Sv => "svenska",
        Locale::En => "English",
    }
}

impl Chrome {
    /// The page with a back link to `href`.
    pub fn with_back(self, href: String) -> Self {
        Chrome { back: Some(href), ..self }
    }

    /// Marks the page as showing errors: its title starts "Virhe:", "Fel:", "Error:".
    pub fn mark_error(&mut self) {
        self.title = format!("{} {}", self.t.get(Text::ErrorPrefix), self.title);
    }

    /// The frame of the page `req` asked for, in `locale`, titled `heading`.
    pub fn new(req: &HttpRequest, locale: Locale, heading: &str) -> Self {
        let t = Tr(locale);
        let rest = req.path().get(3..).unwrap_or("");
        let query = match req.query_string() {
            "" => String::new(),
            q => format!("?{q}"),
        };
        let languages = lang::ALL
            .into_iter()
            .map(|l| LanguageLink {
                code: l.as_str(),
                name: native_name(l),
                href: format!("/{}{rest}{query}", l.as_str()),
                current: l == locale,
            })
            .collect();
        Chrome {
            lang: locale.as_str(),
            t,
            title: format!("{heading} – {}", t.get(Text::ServiceName)),
            languages,
            css: crate::assets::stylesheet(),
            icon: crate::assets::icon(),
            back: None,
            staff: None,
        }
    }
}
