//! The page that shows a new account's or a reset password, once. It answers the POST
//! that made the password, `no-store`, instead of redirecting: the password must not
//! travel in an address (history, logs, a proxy) or a cookie, and the server keeps only
//! its argon2 hash, so this response is the only place it ever exists. Sending the form
//! again makes another password, which ends the one shown before.

use crate::catalogue::{AdminText as A, Text, Tr};
use crate::chrome::Chrome;
use crate::error::Problem;
use crate::forms::Errors;
use crate::staff::Signed;
use actix_web::HttpResponse;
use askama::Template;
use aukiolo_store::staff::StaffUser;

#[derive(Template)]
#[template(path = "admin/password.html")]
struct PasswordPage {
    c: Chrome,
    heading: String,
    done: &'static str,
    password: String,
    user: String,
    users: String,
}

/// The page showing `password` of `user`; `done` says what happened (created, reset).
pub fn show(signed: &Signed, user: &StaffUser, password: &str, done: A) -> Result<HttpResponse, Problem> {
    let t = Tr(signed.lang());
    let heading = t.fill_a(A::PasswordTitle, &[("email", &user.email)]);
    let page = PasswordPage {
        c: super::chrome(signed, &heading, &Errors::default()),
        heading,
        done: t.a(done),
        password: password.to_owned(),
        user: super::path(signed, &format!("/users/{}", user.id)),
        users: super::path(signed, "/users"),
    };
    crate::pages::staff::html(&page)
}
