//! The admin pages under `/{lang}/admin`: an index, staff users (create with role, office
//! and advisor, change them, deactivate, reset a password), the audit log with filters,
//! the outbox (counts, dead messages, retry) and the questionnaire's texts side by side.
//! For admins only (anyone else: the 403 page); every page `no-store`; every POST passes
//! the staff pages' CSRF and origin checks (`StaffForm`) and every change is audited in
//! its transaction (`store::admin`).

pub mod audit;
pub mod index;
pub mod outbox;
pub mod password;
pub mod questionnaire;
pub mod user;
pub mod users;

use crate::chrome::Chrome;
use crate::error::Problem;
use crate::staff::Signed;
use actix_web::web;
use aukiolo_domain::staff::Role;
use aukiolo_domain::Locale;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin", crate::pages::get().to(index::page))
        .route("/admin/users", crate::pages::get().to(users::page))
        .route("/admin/users", web::post().to(users::create))
        .route("/admin/users/{id}", crate::pages::get().to(user::page))
        .route("/admin/users/{id}", web::post().to(user::save))
        .route("/admin/users/{id}/active", web::post().to(user::set_active))
        .route("/admin/users/{id}/password", web::post().to(user::reset_password))
        .route("/admin/audit", crate::pages::get().to(audit::page))
        .route("/admin/outbox", crate::pages::get().to(outbox::page))
        .route("/admin/outbox/{id}/retry", web::post().to(outbox::retry))
        .route("/admin/questionnaire", crate::pages::get().to(questionnaire::page));
}

/// 403 unless the signer is an admin.
pub fn require_admin(signed: &Signed) -> Result<(), Problem> {
    signed.require_role(&[Role::Admin])
}

/// The admin index's path in `lang`.
pub fn index_path(lang: Locale) -> String {
    format!("/{}/admin", lang.as_str())
}

/// `path` under `/{lang}/admin`.
pub fn path(signed: &Signed, path: &str) -> String {
    format!("{}{path}", index_path(signed.lang()))
}

/// The frame of an admin page: the staff bar with its "Admin" link current.
pub fn chrome(signed: &Signed, heading: &str, errors: &crate::forms::Errors) -> Chrome {
    crate::pages::staff::form_chrome(signed, heading, ADMIN_NAV, errors)
}

/// What the staff bar's "Admin" link is current for.
pub const ADMIN_NAV: &str = "/admin";
