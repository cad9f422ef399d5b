//! `/{lang}/staff/sign-in` and sign-out. The sign-in goes through `store::sign_in`, the
//! same throttle and check as the API's token; a throttled attempt is told how long to
//! wait. Before there is a session, the form is tied to a short-lived cookie of its own
//! (so another site cannot sign a browser in as someone else).

use crate::catalogue::{StaffText as S, Text, Tr};
use crate::chrome::Chrome;
use crate::error::Problem;
use crate::forms::{same_origin, Errors};
use crate::lang::Cx;
use crate::pages::book::see_other;
use crate::staff::{removal_cookie, session_cookie, Signed, StaffForm};
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use aukiolo_domain::Locale;
use aukiolo_store::sessions;
use aukiolo_store::sign_in::{sign_in, SignIn};
use serde::Deserialize;

const FORM_COOKIE: &str = "aukiolo_sign_in";

#[derive(Template)]
#[template(path = "staff/sign_in.html")]
struct SignInPage {
    c: Chrome,
    errors: Errors,
    email: String,
    next: String,
    token: String,
    notice: Option<&'static str>,
}

#[derive(Deserialize, Default)]
pub struct Next {
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    signed_out: Option<String>,
}

/// Only a staff page of ours is a place to return to after signing in; otherwise the
/// role's start page (`/{lang}/staff`).
fn safe_next(lang: Locale, next: Option<&str>) -> String {
    let home = format!("/{}/staff", lang.as_str());
    match next {
        Some(n)
            if crate::lang::from_path(n).is_some()
                && n.get(3..).is_some_and(|r| r.starts_with("/staff/"))
                && !n.contains("//")
                && !n.contains('\\') =>
        {
            n.to_owned()
        }
        _ => home,
    }
}

/// The sign-in form's own cookie, for the sign-in page alone, for an hour.
fn form_cookie(cx: &Cx, value: String) -> Cookie<'static> {
    Cookie::build(FORM_COOKIE, value)
        .path(format!("/{}/staff/sign-in", cx.lang.as_str()))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(cx.site.staff.secure_cookies)
        .max_age(actix_web::cookie::time::Duration::hours(1))
        .finish()
}

fn render(cx: &Cx, status: StatusCode, page: SignInPage, form_secret: &str) -> Result<HttpResponse, Problem> {
    let mut res = crate::error::with_status(crate::pages::staff::html(&page)?, status);
    res.add_cookie(&form_cookie(cx, form_secret.to_owned())).map_err(|_| Problem::Internal)?;
    Ok(res)
}

fn form_page(cx: &Cx, errors: Errors, email: String, next: String, form_secret: &str) -> SignInPage {
    let t = Tr(cx.lang);
    let mut c = Chrome::new(&cx.req, cx.lang, t.s(S::SignInTitle));
    if !errors.is_empty() {
        c.mark_error();
    }
    SignInPage {
        c,
        errors,
        email,
        next,
        token: cx.site.sealer.form_token("sign-in", form_secret),
        notice: None,
    }
}

pub async fn page(cx: Cx, web::Query(q): web::Query<Next>) -> Result<HttpResponse, Problem> {
    let secret = aukiolo_domain::hex::hex(&rand::random::<[u8; 16]>());
    let next = safe_next(cx.lang, q.next.as_deref());
    let mut page = form_page(&cx, Errors::default(), String::new(), next, &secret);
    if q.signed_out.is_some() {
        page.notice = Some(Tr(cx.lang).s(S::SignedOutNotice));
    }
    render(&cx, StatusCode::OK, page, &secret)
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    token: String,
}

pub async fn post(cx: Cx, web::Form(form): web::Form<SignInForm>) -> Result<HttpResponse, Problem> {
    same_origin(&cx.req)?;
    let secret = cx.req.cookie(FORM_COOKIE).map(|c| c.value().to_owned()).unwrap_or_default();
    if secret.is_empty() || !cx.site.sealer.check_form_token("sign-in", &secret, &form.token) {
        return Err(Problem::FormRefused);
    }
    let t = Tr(cx.lang);
    let next = safe_next(cx.lang, form.next.as_deref());
    let mut errors = Errors::default();
    if form.email.trim().is_empty() {
        errors.add("email", t.s(S::EmailMissing));
    }
    if form.password.is_empty() {
        errors.add("password", t.s(S::PasswordMissing));
    }
    if !errors.is_empty() {
        let page = form_page(&cx, errors, form.email, next, &secret);
        return render(&cx, StatusCode::UNPROCESSABLE_ENTITY, page, &secret);
    }
    let site = cx.site.clone();
    let (rules, address, now) = (site.staff.sign_in, site.client_address(&cx.req), site.now());
    let (email, password) = (form.email.clone(), form.password);
    let pool = site.pool.clone();
    let outcome = web::block(move || sign_in(&pool, rules, &email, &password, &address, now))
        .await
        .map_err(|_| Problem::Internal)?
        .map_err(Problem::from)?;
    let user = match outcome {
        SignIn::Accepted(user) => user,
        SignIn::Refused => {
            let mut errors = Errors::default();
            errors.add("email", t.s(S::WrongCredentials));
            let page = form_page(&cx, errors, form.email, next, &secret);
            return render(&cx, StatusCode::UNAUTHORIZED, page, &secret);
        }
        SignIn::Throttled { retry_after_secs } => {
            let minutes = retry_after_secs.div_ceil(60).to_string();
            let mut errors = Errors::default();
            errors.add("email", t.fill_s(S::Throttled, &[("minutes", &minutes)]));
            let page = form_page(&cx, errors, form.email, next, &secret);
            let mut res = render(&cx, StatusCode::TOO_MANY_REQUESTS, page, &secret)?;
            res.headers_mut().insert(
                actix_web::http::header::RETRY_AFTER,
                actix_web::http::header::HeaderValue::from(retry_after_secs),
            );
            return Ok(res);
        }
    };
    let rules = site.staff.sessions;
    let (session_secret, _) = site.read(move |c| sessions::start(c, &user, rules, now)).await?;
    let mut res = see_other(&next);
    res.add_cookie(&session_cookie(&site.staff, session_secret)).map_err(|_| Problem::Internal)?;
    let mut gone = form_cookie(&cx, String::new());
    gone.make_removal();
    res.add_cookie(&gone).map_err(|_| Problem::Internal)?;
    Ok(res)
}

#[derive(Deserialize)]
pub struct Nothing {}

pub async fn sign_out(form: StaffForm<Nothing>) -> Result<HttpResponse, Problem> {
    let signed: Signed = form.signed;
    crate::staff::end(&signed).await?;
    let mut res = see_other(&format!("/{}/staff/sign-in?signed_out=1", signed.lang().as_str()));
    res.add_cookie(&removal_cookie(&signed.site().staff)).map_err(|_| Problem::Internal)?;
    Ok(res)
}
