//! The page language comes from the path (`/fi/…`, `/sv/…`, `/en/…`) and nothing else:
//! never guessed from headers, so a link always opens in the language it was written in.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use aukiolo_domain::Locale;
use std::future::{ready, Ready};

/// The three languages, in the order the language links show them.
pub const ALL: [Locale; 3] = [Locale::Fi, Locale::Sv, Locale::En];

/// The language a path starts with, if it is one of ours.
pub fn from_path(path: &str) -> Option<Locale> {
    let first = path.strip_prefix('/')?.split('/').next()?;
    ALL.into_iter().find(|l| l.as_str() == first)
}

/// The page language, as a handler argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lang(pub Locale);

impl FromRequest for Lang {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        // The scope's guard admits only our languages; Finnish is a safe fallback anyway.
        ready(Ok(Lang(from_path(req.path()).unwrap_or(Locale::Fi))))
    }
}

/// What nearly every page handler takes: the request, its language and the site.
#[derive(Clone, Debug)]
pub struct Cx {
    pub req: HttpRequest,
    pub lang: Locale,
    pub site: actix_web::web::Data<crate::Site>,
}

impl FromRequest for Cx {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let site = req.app_data::<actix_web::web::Data<crate::Site>>().cloned();
        ready(match site {
            Some(site) => {
                Ok(Cx { req: req.clone(), lang: from_path(req.path()).unwrap_or(Locale::Fi), site })
            }
            None => Err(actix_web::error::ErrorInternalServerError("the app holds no Site")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_first_segment_counts() {
        assert_eq!(from_path("/sv/book/time"), Some(Locale::Sv));
        assert_eq!(from_path("/en"), Some(Locale::En));
        assert_eq!(from_path("/de/"), None);
        assert_eq!(from_path("/api/v1/fi"), None);
        assert_eq!(from_path("/"), None);
    }
}
