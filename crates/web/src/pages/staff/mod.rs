//! The staff pages under `/{lang}/staff/`: sign-in, an advisor's day, a booking and its
//! assessment, booking for a citizen, walk-ins, finding a booking, the printable day, an
//! office's settings, advisors, weekly schedules and closures, and the office manager's
//! board, conflicts and absences. Dense pages (several questions, per-row buttons), the
//! same accessibility rules as the citizens' pages, and every page `no-store`: they show
//! personal data.

pub mod absences;
pub mod advisors;
pub mod assessment;
pub mod board;
pub mod book;
pub mod booking;
pub mod calendar_change;
pub mod closures;
pub mod conflicts;
pub mod day;
pub mod find;
pub mod input;
pub mod refusal;
pub mod schedule;
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
        .route("/staff/day/print", crate::pages::get().to(day::print))
        .route("/staff/find", crate::pages::get().to(find::page))
        .route("/staff/offices/{id}/settings", crate::pages::get().to(settings::page))
        .route("/staff/offices/{id}/settings", web::post().to(settings::post))
        .route("/staff/offices/{id}/settings/pilot", web::post().to(settings::post_pilot))
        .route("/staff/walk-ins", crate::pages::get().to(walk_ins::page))
        .route("/staff/walk-ins", web::post().to(walk_ins::post))
        .route("/staff/find/identity-code", web::post().to(find::by_identity))
        .route("/staff/bookings/{id}", crate::pages::get().to(booking::page))
        .route("/staff/bookings/{id}/identity-code", web::post().to(booking::reveal))
        .route("/staff/bookings/{id}/assessment", crate::pages::get().to(assessment::page))
        .route("/staff/bookings/{id}/assessment", web::post().to(assessment::post))
        .route("/staff/bookings/{id}/status", web::post().to(booking::change_status))
        .route("/staff/bookings/{id}/calls", web::post().to(booking::log_call))
        .route("/staff/book", crate::pages::get().to(book::page))
        .route("/staff/book", web::post().to(book::post))
        // Advisors, schedules, closures
        .route("/staff/offices/{id}/advisors", crate::pages::get().to(advisors::list))
        .route("/staff/offices/{id}/advisors", web::post().to(advisors::create))
        .route("/staff/advisors/{id}", crate::pages::get().to(advisors::page))
        .route("/staff/advisors/{id}", web::post().to(advisors::update))
        .route("/staff/advisors/{id}/login", web::post().to(advisors::link))
        .route("/staff/advisors/{id}/schedule", crate::pages::get().to(schedule::page))
        .route("/staff/advisors/{id}/schedule", web::post().to(schedule::add))
        .route("/staff/advisors/{id}/schedule/{rule}/delete", web::post().to(schedule::delete))
        .route("/staff/offices/{id}/closures", crate::pages::get().to(closures::page))
        .route("/staff/offices/{id}/closures", web::post().to(closures::add))
        .route("/staff/offices/{id}/closures/{closure}/delete", web::post().to(closures::delete))
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
/// an advisor too on their office's board, an admin on the admin pages.
async fn home(signed: Signed) -> HttpResponse {
    let user = &signed.session.user;
    let start = match (user.role, user.office_id, user.advisor_id) {
        (Role::Admin, _, _) => {
            return crate::pages::book::see_other(&crate::pages::admin::index_path(signed.lang()))
        }
        (Role::OfficeManager, Some(office), None) => board_path(office),
        (Role::PilotLead, _, None) => {
            return crate::pages::book::see_other(&crate::pages::pilot::dashboard_path(signed.lang()))
        }
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
        ("/book".to_owned(), S::BookForCitizen),
        ("/walk-ins".to_owned(), S::WalkIns),
        ("/find".to_owned(), S::Find),
    ];
    let user = &signed.session.user;
    if let (Role::OfficeManager | Role::Admin, Some(office)) = (user.role, user.office_id) {
        links.push((board_path(office), S::OfficeBoard));
        links.push((settings_path(office), S::Settings));
        links.push((advisors_path(office), S::Advisors));
        links.push((closures_path(office), S::Closures));
    }
    let mut links: Vec<NavLink> = links
        .into_iter()
        .map(|(path, label)| NavLink {
            href: format!("{base}{path}"),
            label: t.s(label),
            current: path == current,
        })
        .collect();
    if crate::pages::pilot::scope(signed).is_ok() {
        links.push(NavLink {
            href: crate::pages::pilot::dashboard_path(lang),
            label: t.p(crate::catalogue::PilotText::Dashboard),
            current: current == "/pilot",
        });
    }
    if user.role == Role::Admin {
        links.push(NavLink {
            href: crate::pages::admin::index_path(lang),
            label: t.a(crate::catalogue::AdminText::AdminNav),
            current: current == crate::pages::admin::ADMIN_NAV,
        });
    }
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

/// [`chrome`] for a page with a form, its title marked when the form has `errors`.
pub fn form_chrome(signed: &Signed, heading: &str, current: &str, errors: &crate::forms::Errors) -> Chrome {
    let mut c = chrome(signed, heading, current);
    if !errors.is_empty() {
        c.mark_error();
    }
    c
}

/// 403 unless the signer manages `office` (its manager, or an admin).
pub fn require_manager(signed: &Signed, office: aukiolo_domain::OfficeId) -> Result<(), Problem> {
    signed.require_role(&[Role::OfficeManager, Role::Admin])?;
    signed.require_office(office)
}

/// The settings page of `office`, under `/{lang}/staff`.
pub fn settings_path(office: aukiolo_domain::OfficeId) -> String {
    format!("/offices/{office}/settings")
}

/// The advisors page of `office`, under `/{lang}/staff`.
pub fn advisors_path(office: aukiolo_domain::OfficeId) -> String {
    format!("/offices/{office}/advisors")
}

/// The closures page of `office`, under `/{lang}/staff`.
pub fn closures_path(office: aukiolo_domain::OfficeId) -> String {
    format!("/offices/{office}/closures")
}

/// The board of `office`, under `/{lang}/staff`.
pub fn board_path(office: aukiolo_domain::OfficeId) -> String {
    format!("/offices/{office}")
}

/// A staff page: rendered, never stored by a cache, never passing its address on.
pub fn html<T: Template>(page: &T) -> Result<HttpResponse, Problem> {
    Ok(crate::pages::booking::private(crate::pages::html(page)?))
}
