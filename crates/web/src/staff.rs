//! Who is signed in on the staff pages: a server-side session (`store::sessions`) behind
//! an `HttpOnly`, `SameSite=Strict` cookie, and the CSRF check every staff POST passes.
//! A handler that takes [`Signed`] cannot run for someone signed out (a GET is sent to
//! the sign-in page); one that takes [`StaffForm`] cannot run for a POST without the
//! session's token or from another site.

use crate::error::Problem;
use crate::forms::same_origin;
use crate::lang::{from_path, Cx};
use crate::site::Site;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use aukiolo_domain::staff::Role;
use aukiolo_domain::{Locale, OfficeId};
use aukiolo_store::sessions::{self, Session, SessionRules};
use aukiolo_store::sign_in::SignInRules;
use chrono::Duration;
use serde::de::DeserializeOwned;
use std::future::Future;
use std::pin::Pin;

/// What the staff pages take from the configuration.
#[derive(Clone, Copy, Debug)]
pub struct StaffSettings {
    pub sign_in: SignInRules,
    pub sessions: SessionRules,
    /// `Secure` cookies (the public URL is https).
    pub secure_cookies: bool,
    /// Unanswered calls after which a phone appointment is "not reached".
    pub max_call_attempts: i64,
}

impl Default for StaffSettings {
    fn default() -> Self {
        StaffSettings {
            sign_in: SignInRules::default(),
            sessions: SessionRules { lifetime: Duration::hours(10), idle: Duration::hours(1) },
            secure_cookies: false,
            max_call_attempts: 3,
        }
    }
}

/// The session cookie's name; behind HTTPS the `__Host-` prefix also pins it to this host
/// and path `/`.
pub fn cookie_name(settings: &StaffSettings) -> &'static str {
    if settings.secure_cookies {
        "__Host-aukiolo_staff"
    } else {
        "aukiolo_staff"
    }
}

/// The cookie that carries a new session's secret (a session cookie: it ends with the
/// browser, and the server ends it sooner).
pub fn session_cookie(settings: &StaffSettings, secret: String) -> Cookie<'static> {
    Cookie::build(cookie_name(settings), secret)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(settings.secure_cookies)
        .finish()
}

/// The cookie that removes it at sign-out.
pub fn removal_cookie(settings: &StaffSettings) -> Cookie<'static> {
    let mut c = session_cookie(settings, String::new());
    c.make_removal();
    c
}

/// A signed-in staff member on a page.
#[derive(Clone, Debug)]
pub struct Signed {
    pub session: Session,
    pub cx: Cx,
    /// The cookie's secret (for signing out).
    secret: String,
}

impl Signed {
    pub fn lang(&self) -> Locale {
        self.cx.lang
    }

    pub fn site(&self) -> &Site {
        &self.cx.site
    }

    pub fn role(&self) -> Role {
        self.session.user.role
    }

    /// 403 unless the role is one of `roles`.
    pub fn require_role(&self, roles: &[Role]) -> Result<(), Problem> {
        if roles.contains(&self.role()) {
            Ok(())
        } else {
            Err(Problem::Forbidden)
        }
    }

    /// 403 unless this person works for `office` (or everywhere).
    pub fn require_office(&self, office: OfficeId) -> Result<(), Problem> {
        if self.session.user.principal().covers(office) {
            Ok(())
        } else {
            Err(Problem::Forbidden)
        }
    }

    pub fn secret(&self) -> &str {
        &self.secret
    }
}

/// Where a signed-out request is sent: the sign-in page, coming back here afterwards.
fn to_sign_in(req: &HttpRequest) -> String {
    let lang = from_path(req.path()).unwrap_or(Locale::Fi);
    let back = match req.query_string() {
        "" => req.path().to_owned(),
        q => format!("{}?{q}", req.path()),
    };
    crate::pages::book::with_query(&format!("/{}/staff/sign-in", lang.as_str()), &[("next", back)])
}

/// Not signed in: a GET goes to the sign-in page, anything else is refused.
#[derive(Debug)]
pub enum SignedOut {
    /// To the sign-in page at this address, coming back afterwards.
    Redirect(String),
    Problem(Problem),
}

impl std::fmt::Display for SignedOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not signed in")
    }
}

impl actix_web::ResponseError for SignedOut {
    fn status_code(&self) -> actix_web::http::StatusCode {
        match self {
            SignedOut::Redirect(_) => actix_web::http::StatusCode::SEE_OTHER,
            SignedOut::Problem(p) => p.status_code(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            SignedOut::Redirect(location) => crate::pages::book::see_other(location),
            SignedOut::Problem(p) => p.error_response(),
        }
    }
}

impl From<Problem> for SignedOut {
    fn from(p: Problem) -> Self {
        SignedOut::Problem(p)
    }
}

async fn signed(req: HttpRequest) -> Result<Signed, SignedOut> {
    let cx = Cx::extract(&req).await.map_err(|_| SignedOut::Problem(Problem::Internal))?;
    let settings = cx.site.staff;
    let secret = req.cookie(cookie_name(&settings)).map(|c| c.value().to_owned());
    let session = match secret.clone() {
        Some(secret) if !secret.is_empty() => {
            let now = cx.site.now();
            cx.site.read(move |c| sessions::find(c, &secret, settings.sessions, now)).await?
        }
        _ => None,
    };
    match (session, secret) {
        (Some(session), Some(secret)) => Ok(Signed { session, cx, secret }),
        _ if req.method() == actix_web::http::Method::GET
            || req.method() == actix_web::http::Method::HEAD =>
        {
            Err(SignedOut::Redirect(to_sign_in(&req)))
        }
        _ => Err(SignedOut::Problem(Problem::SignedOut)),
    }
}

impl FromRequest for Signed {
    type Error = SignedOut;
    type Future = Pin<Box<dyn Future<Output = Result<Self, SignedOut>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(signed(req.clone()))
    }
}

/// A staff form's fields, taken only from a POST of this site that carries the session's
/// CSRF token (`csrf`).
#[derive(Debug)]
pub struct StaffForm<T> {
    pub signed: Signed,
    pub fields: T,
}

#[derive(serde::Deserialize)]
struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

/// Whether two tokens are equal, in time that does not depend on where they differ.
fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl<T: DeserializeOwned + 'static> FromRequest for StaffForm<T> {
    type Error = SignedOut;
    type Future = Pin<Box<dyn Future<Output = Result<Self, SignedOut>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            same_origin(&req)?;
            let signed = signed(req.clone()).await?;
            let body = body.await.map_err(|_| Problem::FormRefused)?;
            let csrf: CsrfOnly = serde_urlencoded::from_bytes(&body).map_err(|_| Problem::FormRefused)?;
            if !same_token(&csrf.csrf, &signed.session.csrf_token) {
                tracing::warn!(staff = %signed.session.user.id, "staff form without a valid CSRF token");
                return Err(Problem::FormRefused.into());
            }
            let fields = serde_urlencoded::from_bytes(&body).map_err(|e| {
                tracing::info!(error = %e, "staff form with unreadable fields");
                Problem::BadForm
            })?;
            Ok(StaffForm { signed, fields })
        })
    }
}

/// Ends the session behind this request's cookie.
pub async fn end(signed: &Signed) -> Result<(), Problem> {
    let secret = signed.secret().to_owned();
    signed.site().read(move |c| sessions::end(c, &secret)).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_compare_whole() {
        assert!(super::same_token("abc", "abc"));
        assert!(!super::same_token("abc", "abd"));
        assert!(!super::same_token("abc", "ab"));
        assert!(!super::same_token("", "a"));
    }
}
