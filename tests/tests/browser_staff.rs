//! The staff pages in a real browser (see `browser/mod.rs`), against `serve --demo`:
//! signing in through the page, the advisor's day with the demo's citizens, a booking's
//! page, a completed visit's assessment, the walk-in log and the find page, each checked with axe and the page checks in fi, sv and en;
//! the sign-in form's errors; and signing out. Needs `chromium` and `chromium-driver`.

#[path = "browser/mod.rs"]
mod browser;
mod common;

use browser::{demo_site, Checker, Session};

/// What the pages say in one language.
struct Words {
    lang: &'static str,
    /// The demo advisor whose day the test opens (each language its own, so that the
    /// wrong passwords tried do not add up to the account's throttle).
    advisor: &'static str,
    /// The demo office manager whose office's settings the test opens.
    manager: &'static str,
    email: &'static str,
    password: &'static str,
    sign_in: &'static str,
    wrong: &'static str,
    sign_out: &'static str,
    signed_out: &'static str,
}

const FI: Words = Words {
    lang: "fi",
    advisor: "aino.tampere@aukiolo.example",
    manager: "manager.tampere@aukiolo.example",
    email: "Sähköposti",
    password: "Salasana",
    sign_in: "Kirjaudu",
    wrong: "Sähköposti tai salasana on väärin",
    sign_out: "Kirjaudu ulos",
    signed_out: "Olet kirjautunut ulos.",
};
const SV: Words = Words {
    lang: "sv",
    advisor: "mikko.tampere@aukiolo.example",
    manager: "manager.turku@aukiolo.example",
    email: "E-post",
    password: "Lösenord",
    sign_in: "Logga in",
    wrong: "E-postadressen eller lösenordet är fel",
    sign_out: "Logga ut",
    signed_out: "Du har loggat ut.",
};
const EN: Words = Words {
    lang: "en",
    advisor: "elina.turku@aukiolo.example",
    manager: "manager.oulu@aukiolo.example",
    email: "E-mail",
    password: "Password",
    sign_in: "Sign in",
    wrong: "The e-mail address or password is wrong",
    sign_out: "Sign out",
    signed_out: "You have signed out.",
};

fn sign_in(s: &Session, url: &str, w: &Words, email: &str, password: &str) {
    s.goto(url);
    s.fill(w.email, email);
    s.fill(w.password, password);
    s.submit(w.sign_in);
}

/// A completed visit of the advisor `email` in the demo's history.
fn completed_visit(site: &browser::DemoSite, email: &str) -> String {
    use aukiolo_store::schema::{bookings, staff_users};
    use aukiolo_store::sql_types::DbId;
    use diesel::prelude::*;
    let mut db = site.database();
    let advisor: Option<DbId> = staff_users::table
        .filter(staff_users::email.eq(email))
        .select(staff_users::advisor_id)
        .first(&mut db)
        .expect("the advisor's login");
    let id: DbId = bookings::table
        .filter(bookings::advisor_id.eq(advisor.expect("a linked advisor")))
        .filter(bookings::status.eq("completed"))
        .select(bookings::id)
        .first(&mut db)
        .expect("a completed visit in the demo's history");
    id.0.to_string()
}

fn every_staff_page_in(w: &Words) {
    let site = demo_site();
    let lang = w.lang;
    let url = |path: &str| site.url(&format!("/{lang}{path}"));
    let js = Session::with_javascript();
    let mut pages = Checker::new(&js);

    // Signed out, the day sends the browser to sign in; a wrong password says so.
    js.goto(&url("/staff/day"));
    assert!(js.current_path().starts_with(&format!("/{lang}/staff/sign-in")), "{}", js.current_path());
    pages.url(&url("/staff/sign-in"));
    let wrong = pages.reached("the sign-in with a wrong password", |s| {
        sign_in(s, &url("/staff/sign-in"), w, w.advisor, "not the demo password at all")
    });
    assert!(
        wrong.title.starts_with(match lang {
            "fi" => "Virhe:",
            "sv" => "Fel:",
            _ => "Error:",
        }),
        "{wrong:?}"
    );
    assert!(js.source().contains(w.wrong));

    let next = url(&format!("/staff/sign-in?next=%2F{lang}%2Fstaff%2Fday"));
    sign_in(&js, &next, w, w.advisor, &site.server.demo_password());
    assert_eq!(js.current_path(), format!("/{lang}/staff/day"));

    // The first of the next days with citizens on it, and one of them.
    let day = (0..14)
        .map(|d| (chrono::Utc::now() + chrono::Duration::days(d)).date_naive())
        .map(|date| url(&format!("/staff/day?date={date}")))
        .find(|day| {
            js.goto(day);
            js.count("tbody tr") > 0
        })
        .expect("the demo advisor has citizens in the next two weeks");
    pages.url(&day);
    js.goto(&day);
    let booking = js.execute("return document.querySelector('tbody tr a').getAttribute('href')", vec![]);
    let booking = booking.as_str().expect("a link to the booking").to_owned();
    // (Buttons show only when the clock allows them: an hour before a visit at the
    // earliest, which the HTTP tests of crates/web check at chosen instants.)
    pages.url(&site.url(&booking));
    pages.url(&site.url(&format!("/{lang}/staff/bookings/{}/assessment", completed_visit(&site, w.advisor))));
    pages.url(&url("/staff/walk-ins"));
    pages.url(&url("/staff/find"));
    pages.finish();

    // Signing out ends the session: the day asks to sign in again.
    js.goto(&url("/staff/find"));
    js.submit(w.sign_out);
    assert!(js.source().contains(w.signed_out), "{}", js.source());
    js.goto(&url("/staff/day"));
    assert!(js.current_path().starts_with(&format!("/{lang}/staff/sign-in")), "{}", js.current_path());

    // The office manager's settings page.
    sign_in(&js, &url("/staff/sign-in"), w, w.manager, &site.server.demo_password());
    let settings = js.execute(
        "return document.querySelector('.staff-bar a[href$=\"/settings\"]').getAttribute('href')",
        vec![],
    );
    let settings = settings.as_str().expect("a link to the office's settings").to_owned();
    let mut manager_pages = Checker::new(&js);
    manager_pages.url(&site.url(&settings));
    manager_pages.finish();
}

#[test]
fn every_staff_page_in_finnish() {
    every_staff_page_in(&FI);
}

#[test]
fn every_staff_page_in_swedish() {
    every_staff_page_in(&SV);
}

#[test]
fn every_staff_page_in_english() {
    every_staff_page_in(&EN);
}
