//! The staff pages under `/{lang}/staff/`: sign-in, an advisor's day, a booking and its
//! assessment, walk-ins, finding a booking, an office's settings, and the office
//! manager's board, conflicts and absences. Dense pages (several questions, per-row buttons), the same accessibility
//! rules as the citizens' pages, and every page `no-store`: they show personal data.

pub mod absences;
pub mod assessment;
pub mod board;
pub mod booking;
pub mod conflicts;
pub mod day;
pub mod find;
pub mod settings;
pub mod sign_in;
pub mod walk_ins;

use crate::catalogue::{StaffText as S, Tr};
use crate::chrome::{Chrome, NavLink, StaffBar};
use crate::error::Problem;
use crate::staff::Signed;
use actix_web::{web, HttpResponse};
use askama::Template;
use aukiolo_domain::staff::Role;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/staff", crate::pages::get().to(home))
        .route("/staff/sign-in", crate::pages::get().to(sign_in::page))
        .route("/staff/sign-in", web::post().to(sign_in::post))
        .route("/staff/sign-out", web::post().to(sign_in::sign_out))
        .route("/staff/day", crate::pages::get().to(day::page))
        .route("/staff/find", crate::pages::get().to(find::page))
        .route("/staff/offices/{id}/settings", crate::pages::get().to(settings::page))
        .route("/staff/offices/{id}/settings", web::post().to(settings::post))
        .route("/staff/walk-ins", crate::pages::get().to(walk_ins::page))
        .route("/staff/walk-ins", web::post().to(walk_ins::post))
        .route("/staff/find/identity-code", web::post().to(find::by_identity))
        .route("/staff/bookings/{id}", crate::pages::get().to(booking::page))
        .route("/staff/bookings/{id}/identity-code", web::post().to(booking::reveal))
        .route("/staff/bookings/{id}/assessment", crate::pages::get().to(assessment::page))
        .route("/staff/bookings/{id}/assessment", web::post().to(assessment::post))
        .route("/staff/bookings/{id}/status", web::post().to(booking::change_status))
        .route("/staff/bookings/{id}/calls", web::post().to(booking::log_call))
        // Office board, conflicts, absences
        .route("/staff/offices/{id}", crate::pages::get().to(board::page))
        .route("/staff/offices/{id}/conflicts", crate::pages::get().to(conflicts::page))
        .route("/staff/offices/{id}/conflicts/{booking}/move", web::post().to(conflicts::move_booking))
        .route("/staff/offices/{id}/conflicts/{booking}/cancel", web::post().to(conflicts::cancel))
        .route("/staff/advisors/{id}/absences", crate::pages::get().to(absences::page))
        .route("/staff/advisors/{id}/absences", web::post().to(absences::add))
        .route("/staff/advisors/{id}/absences/{absence}/delete", web::post().to(absences::delete));
}

/// `/{lang}/staff`: where each role starts: an advisor on their day, a manager who is not
/// an advisor too on their office's board.
async fn home(signed: Signed) -> HttpResponse {
    let user = &signed.session.user;
    let start = match (user.role, user.office_id, user.advisor_id) {
        (Role::OfficeManager | Role::Admin, Some(office), None) => board_path(office),
        _ => "/day".to_owned(),
    };
    crate::pages::book::see_other(&format!("/{}/staff{start}", signed.lang().as_str()))
}

/// The frame of a staff page titled `heading`, with the staff bar; `current` is the
/// path of the nav link this page belongs to.
pub fn chrome(signed: &Signed, heading: &str, current: &str) -> Chrome {
    let lang = signed.lang();
    let t = Tr(lang);
    let base = format!("/{}/staff", lang.as_str());
    let mut links = vec![
        ("/day".to_owned(), S::MyDay),
        ("/walk-ins".to_owned(), S::WalkIns),
        ("/find".to_owned(), S::Find),
    ];
    let user = &signed.session.user;
    if let (Role::OfficeManager | Role::Admin, Some(office)) = (user.role, user.office_id) {
        links.push((board_path(office), S::OfficeBoard));
        links.push((settings_path(office), S::Settings));
    }
    let links = links
        .into_iter()
        .map(|(path, label)| NavLink {
            href: format!("{base}{path}"),
            label: t.s(label),
            current: path == current,
        })
        .collect();
    let mut c = Chrome::new(&signed.cx.req, lang, heading);
    c.title = format!("{heading} – {}", t.s(S::StaffArea));
    c.staff = Some(StaffBar {
        nav_label: t.s(S::StaffNav),
        signed_in: t.fill_s(S::SignedInAs, &[("email", &signed.session.user.email)]),
        csrf: signed.session.csrf_token.clone(),
        links,
        sign_out: format!("{base}/sign-out"),
        sign_out_label: t.s(S::SignOut),
    });
    c
}

/// The settings page of `office`, under `/{lang}/staff`.
pub fn settings_path(office: aukiolo_domain::OfficeId) -> String {
    format!("/offices/{office}/settings")
}

/// The board of `office`, under `/{lang}/staff`.
pub fn board_path(office: aukiolo_domain::OfficeId) -> String {
    format!("/offices/{office}")
}

/// A staff page: rendered, never stored by a cache, never passing its address on.
pub fn html<T: Template>(page: &T) -> Result<HttpResponse, Problem> {
    Ok(crate::pages::booking::private(crate::pages::html(page)?))
}
