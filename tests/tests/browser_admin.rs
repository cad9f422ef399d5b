//! The admin pages in a real browser (see `browser/mod.rs`), against `serve --demo`: the
//! demo admin signs in through the page and lands on the admin index; the index, staff
//! users (and their form's errors), a user's page, a new user's password page, the audit
//! log (and its filter's errors), the outbox and the questionnaire's texts pass axe and
//! the page checks in fi, sv and en; and with JavaScript off an admin creates a user by
//! keyboard, the password shown once signs them in, their role is changed and they are
//! deactivated, which ends their session.
//! Needs `chromium` and `chromium-driver`.

#[path = "browser/mod.rs"]
mod browser;
mod common;

use aukiolo_store::schema::staff_users;
use browser::{demo_site, Checker, DemoSite, Session};
use diesel::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

const ADMIN: &str = "admin@aukiolo.example";

/// What the pages say in one language.
struct Words {
    lang: &'static str,
    create: &'static str,
    to_user: &'static str,
    role: &'static str,
    office: &'static str,
    office_manager: &'static str,
    tampere: &'static str,
    save: &'static str,
    saved: &'static str,
    deactivate: &'static str,
    deactivated: &'static str,
}

const FI: Words = Words {
    lang: "fi",
    create: "Luo käyttäjä",
    to_user: "Käyttäjän tietoihin",
    role: "Rooli",
    office: "Toimipiste",
    office_manager: "Toimipisteen esihenkilö",
    tampere: "Tampereen palvelupiste",
    save: "Tallenna",
    saved: "Käyttäjän tiedot tallennettiin.",
    deactivate: "Poista käytöstä",
    deactivated: "Käyttäjä poistettiin käytöstä; hänen istuntonsa päättyivät.",
};
const SV: Words = Words {
    lang: "sv",
    create: "Skapa användaren",
    to_user: "Till användarens uppgifter",
    role: "Roll",
    office: "Verksamhetsställe",
    office_manager: "Verksamhetsställets chef",
    tampere: "Tammerfors servicekontor",
    save: "Spara",
    saved: "Användarens uppgifter sparades.",
    deactivate: "Inaktivera",
    deactivated: "Användaren inaktiverades; hens sessioner avslutades.",
};
const EN: Words = Words {
    lang: "en",
    create: "Create the user",
    to_user: "To the user's page",
    role: "Role",
    office: "Office",
    office_manager: "Office manager",
    tampere: "Tampere service point",
    save: "Save",
    saved: "The user was saved.",
    deactivate: "Deactivate",
    deactivated: "The user was deactivated; their sessions ended.",
};

/// Signs the demo admin in through the page; they land on the admin index.
fn admin_signs_in(s: &Session, site: &DemoSite, lang: &str) {
    s.sign_in_staff(&site.url(&format!("/{lang}/staff/sign-in")), lang, ADMIN, &site.server.demo_password());
    assert_eq!(s.current_path(), format!("/{lang}/admin"), "an admin starts on the admin pages");
}

/// A new e-mail address each call (the tests share one demo).
fn fresh_email(lang: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    format!("uusi.{lang}.{}@aukiolo.example", N.fetch_add(1, Ordering::Relaxed))
}

fn every_admin_page_in(w: &Words) {
    let site = demo_site();
    let js = Session::with_javascript();
    admin_signs_in(&js, &site, w.lang);
    let admin = |path: &str| site.url(&format!("/{}/admin{path}", w.lang));
    let mut pages = Checker::new(&js);
    pages.url(&admin(""));
    pages.url(&admin("/users"));
    pages.reached("the users form with its errors", |s| {
        s.goto(&admin("/users"));
        s.submit(w.create);
    });
    js.goto(&admin("/users"));
    let lead = js.execute(
        "return [...document.querySelectorAll('td a')].find(a => a.textContent === 'pilot.lead@aukiolo.example').getAttribute('href')",
        vec![],
    );
    pages.url(&site.url(lead.as_str().expect("the pilot lead's page")));
    pages.reached("a new user's password", |s| {
        s.goto(&admin("/users"));
        s.fill(
            match w.lang {
                "fi" => "Sähköposti",
                "sv" => "E-post",
                _ => "E-mail",
            },
            &fresh_email(w.lang),
        );
        s.select(w.office, w.tampere);
        s.submit(w.create);
    });
    pages.url(&admin("/audit"));
    pages.reached("the audit log's filter with its errors", |s| {
        s.goto(&admin("/audit?from=eilen"));
    });
    pages.url(&admin("/outbox"));
    pages.url(&admin("/questionnaire"));
    pages.finish();
}

#[test]
fn every_admin_page_in_finnish() {
    every_admin_page_in(&FI);
}

#[test]
fn every_admin_page_in_swedish() {
    every_admin_page_in(&SV);
}

#[test]
fn every_admin_page_in_english() {
    every_admin_page_in(&EN);
}

/// The account `email` in the demo's database: its role and whether it is active.
fn account(site: &DemoSite, email: &str) -> (String, bool) {
    staff_users::table
        .filter(staff_users::email.eq(email))
        .select((staff_users::role, staff_users::active))
        .first(&mut site.database())
        .expect("the account")
}

#[test]
fn an_admin_creates_a_user_changes_their_role_and_deactivates_them_without_javascript() {
    let site = demo_site();
    let w = &SV;
    let s = Session::without_javascript();
    admin_signs_in(&s, &site, w.lang);
    s.goto(&site.url(&format!("/{}/admin/users", w.lang)));
    let email = fresh_email("flow");
    s.fill("E-post", &email);
    s.select(w.office, w.tampere);
    s.submit(w.create);
    let password = s.text_of("#password");
    assert_eq!(password.len(), 20, "the password shown once");
    assert_eq!(account(&site, &email), ("advisor".to_owned(), true));

    // The new user signs in with it.
    let theirs = Session::without_javascript();
    theirs.sign_in_staff(&site.url("/sv/staff/sign-in"), "sv", &email, &password);
    assert!(
        theirs.current_path().starts_with("/sv/staff/day"),
        "an advisor starts on their day: {}",
        theirs.current_path()
    );

    s.follow(w.to_user);
    s.select(w.role, w.office_manager);
    s.submit(w.save);
    assert_eq!(s.text_of(".notice"), w.saved);
    assert_eq!(account(&site, &email), ("office_manager".to_owned(), true));
    theirs.goto(&site.url("/sv/staff/day"));
    assert!(
        theirs.current_path().starts_with("/sv/staff/sign-in"),
        "a new role ends the session: {}",
        theirs.current_path()
    );

    theirs.sign_in_staff(&site.url("/sv/staff/sign-in"), "sv", &email, &password);
    assert!(!theirs.current_path().starts_with("/sv/staff/sign-in"), "signed in again");
    s.submit(w.deactivate);
    assert_eq!(s.text_of(".notice"), w.deactivated);
    assert_eq!(account(&site, &email), ("office_manager".to_owned(), false));
    theirs.goto(&site.url("/sv/staff/day"));
    assert!(theirs.current_path().starts_with("/sv/staff/sign-in"), "deactivating ends the session");

    // Each change is in the audit log, the newest first.
    s.goto(&site.url(&format!("/{}/admin/audit?action=change_account", w.lang)));
    let first = s.texts_of("tbody tr").into_iter().next().expect("an entry");
    assert!(first.contains(ADMIN) && first.contains("active: true → false"), "{first}");
}
