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
    wrong: &'static str,
    sign_out: &'static str,
    signed_out: &'static str,
}

const FI: Words = Words {
    lang: "fi",
    advisor: "aino.tampere@aukiolo.example",
    manager: "manager.tampere@aukiolo.example",
    wrong: "Sähköposti tai salasana on väärin",
    sign_out: "Kirjaudu ulos",
    signed_out: "Olet kirjautunut ulos.",
};
const SV: Words = Words {
    lang: "sv",
    advisor: "mikko.tampere@aukiolo.example",
    manager: "manager.turku@aukiolo.example",
    wrong: "E-postadressen eller lösenordet är fel",
    sign_out: "Logga ut",
    signed_out: "Du har loggat ut.",
};
const EN: Words = Words {
    lang: "en",
    advisor: "elina.turku@aukiolo.example",
    manager: "manager.oulu@aukiolo.example",
    wrong: "The e-mail address or password is wrong",
    sign_out: "Sign out",
    signed_out: "You have signed out.",
};

/// The advisor the demo login `email` works as.
fn advisor_of(site: &browser::DemoSite, email: &str) -> aukiolo_store::sql_types::DbId {
    use aukiolo_store::schema::staff_users;
    use diesel::prelude::*;
    let advisor: Option<aukiolo_store::sql_types::DbId> = staff_users::table
        .filter(staff_users::email.eq(email))
        .select(staff_users::advisor_id)
        .first(&mut site.database())
        .expect("the advisor's login");
    advisor.expect("a linked advisor")
}

/// A completed visit of the advisor `email` in the demo's history.
fn completed_visit(site: &browser::DemoSite, email: &str) -> String {
    use aukiolo_store::schema::bookings;
    use aukiolo_store::sql_types::DbId;
    use diesel::prelude::*;
    let id: DbId = bookings::table
        .filter(bookings::advisor_id.eq(advisor_of(site, email)))
        .filter(bookings::status.eq("completed"))
        .select(bookings::id)
        .first(&mut site.database())
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
        s.sign_in_staff(&url("/staff/sign-in"), w.lang, w.advisor, "not the demo password at all")
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
    js.sign_in_staff(&next, lang, w.advisor, &site.server.demo_password());
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
    pages.url(&day.replace("/staff/day?", "/staff/day/print?"));
    pages.url(&url("/staff/walk-ins"));
    pages.url(&url("/staff/find"));
    pages.url(&book_url(&site, lang, &day_of(&day)));
    pages.finish();

    // Signing out ends the session: the day asks to sign in again.
    js.goto(&url("/staff/find"));
    js.submit(w.sign_out);
    assert!(js.source().contains(w.signed_out), "{}", js.source());
    js.goto(&url("/staff/day"));
    assert!(js.current_path().starts_with(&format!("/{lang}/staff/sign-in")), "{}", js.current_path());

    // The office manager's settings page.
    js.sign_in_staff(&url("/staff/sign-in"), lang, w.manager, &site.server.demo_password());
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

/// The `date` of a day page's address.
fn day_of(day: &str) -> String {
    day.rsplit("date=").next().expect("a date").to_owned()
}

/// The booking page for a housing-allowance visit at Tampere in Finnish on `date`.
fn book_url(site: &browser::DemoSite, lang: &str, date: &str) -> String {
    let office = site.office("Tampereen palvelupiste")["id"].as_str().expect("an id").to_owned();
    let topic = site.topic("housing_allowance")["id"].as_str().expect("an id").to_owned();
    site.url(&format!(
        "/{lang}/staff/book?topic={topic}&channel=office&office={office}&language=fi&booked_by=walk_in&date={date}"
    ))
}

/// An advisor books for a walk-in citizen, choosing the advisor, logs the walk-in as
/// "a time was booked now" with the new reference, and finds the booking by it.
#[test]
fn an_advisor_books_for_a_walk_in_logs_it_and_finds_the_booking() {
    let site = demo_site();
    let url = |path: &str| site.url(&format!("/fi{path}"));
    let s = Session::with_javascript();
    s.sign_in_staff(&url("/staff/sign-in"), "fi", FI.advisor, &site.server.demo_password());
    let advisor = advisor_of(&site, FI.advisor).0.to_string();
    let name: String = {
        use aukiolo_store::schema::advisors;
        use diesel::prelude::*;
        advisors::table
            .find(advisor_of(&site, FI.advisor))
            .select(advisors::name)
            .first(&mut site.database())
            .expect("the advisor's name")
    };
    // The first of the next days on which this advisor has a time citizens could book too.
    let free = "return [...document.querySelectorAll('input[name=time]')]\
        .filter(i => !i.labels[0].textContent.includes('pidätetty')).map(i => i.value)";
    let value = (0..14)
        .map(|d| {
            (chrono::Utc::now().with_timezone(&chrono_tz::Europe::Helsinki).date_naive()
                + chrono::Duration::days(d))
            .to_string()
        })
        .find_map(|date| {
            s.goto(&book_url(&site, "fi", &date));
            s.select("Asiantuntija", &name);
            s.submit("Näytä ajat");
            let times = s.execute(free, vec![]);
            Some(times.as_array()?.first()?.as_str()?.to_owned())
        })
        .expect("a free time of the advisor in the next two weeks");
    assert!(value.ends_with(&advisor), "{value}");
    assert!(s.current_url().as_str().contains(&format!("advisor={advisor}")), "{}", s.current_url());
    s.choose_value("time", &value);
    let citizen = format!("walkin{}@example.fi", browser::unique());
    s.fill("Nimi", "Kävijä Esimerkki");
    s.fill("Henkilötunnus", &common::site::personal_id(700 + browser::unique()));
    s.fill("Sähköposti", &citizen);
    s.fill("Asiakkaan kuvaus", "Tuli ilman aikaa, asumistuen hakemus");
    s.submit("Varaa aika");
    assert!(s.current_path().starts_with("/fi/staff/bookings/"), "{} {}", s.current_path(), s.source());
    let notice = s.text_of(".notice");
    let reference = notice
        .split("Varaustunnus ")
        .nth(1)
        .and_then(|rest| rest.split(';').next())
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("a reference in {notice:?}"));
    let (booked_by, booked_with): (String, aukiolo_store::sql_types::DbId) = {
        use aukiolo_store::schema::bookings;
        use diesel::prelude::*;
        bookings::table
            .filter(bookings::reference.eq(&reference))
            .select((bookings::booked_by, bookings::advisor_id))
            .first(&mut site.database())
            .expect("the booking")
    };
    assert_eq!((booked_by.as_str(), booked_with.0.to_string()), ("walk_in", advisor.clone()));
    site.wait_for_mail(&citizen, "Ajanvarauksesi on vahvistettu");

    // The walk-in log: a time was booked now, with its reference.
    s.goto(&url("/staff/walk-ins"));
    s.select("Asia", "Asumistuki");
    s.choose("Aika varattiin heti");
    s.fill("Varaustunnus (jos aika varattiin)", &reference);
    s.submit("Kirjaa käynti");
    assert!(s.source().contains("Käynti kirjattiin."), "{}", s.source());
    assert!(s.text_of("table").contains("Aika varattiin heti"), "{}", s.source());

    // Found by its reference: its page.
    s.goto(&url("/staff/find"));
    s.fill("Varaustunnus", &reference);
    s.submit("Hae tunnuksella");
    assert!(s.title().contains(&reference) && s.source().contains("Kävijä Esimerkki"), "{}", s.source());
}

/// A phone appointment at least a day ahead in the demo: its id, reference and the
/// citizen's e-mail.
fn phone_booking_a_day_ahead(site: &browser::DemoSite) -> (String, String, String) {
    use aukiolo_store::schema::bookings;
    use aukiolo_store::sql_types::{DbId, DbTime};
    use diesel::prelude::*;
    let (id, reference, email): (DbId, String, String) = bookings::table
        .filter(bookings::channel.eq("phone"))
        .filter(bookings::status.eq("booked"))
        .filter(bookings::starts_at.gt(DbTime(chrono::Utc::now() + chrono::Duration::days(1))))
        .order(bookings::starts_at)
        .select((bookings::id, bookings::reference, bookings::email))
        .first(&mut site.database())
        .expect("a phone appointment in the demo's coming days");
    (id.0.to_string(), reference, email)
}

/// A phone appointment: a call a day early is refused (the page offers no call buttons,
/// the API says 409); in its window, three unanswered calls logged on the page make it
/// "not reached" and the citizen gets the mail saying how to book again.
#[test]
fn three_unanswered_calls_make_a_phone_booking_not_reached() {
    // A demo of its own: the calls are logged on a server at the appointment's time,
    // whose worker sends what is due by then.
    let site = browser::DemoSite::start(common::Launch::demo());
    let password = site.server.demo_password();
    let (id, reference, citizen) = phone_booking_a_day_ahead(&site);
    let advisor = site.advisor_login(&reference);
    let page = format!("/fi/staff/bookings/{id}");

    // A day early: no call buttons, and the API refuses the call.
    let s = Session::with_javascript();
    s.sign_in_staff(&site.url("/fi/staff/sign-in"), "fi", &advisor, &password);
    s.goto(&site.url(&page));
    assert!(s.title().contains(&reference), "{}", s.source());
    assert!(!s.source().contains("Soitettu: ei vastausta"), "{}", s.source());
    let token = site.server.login(&advisor, &password);
    site.server
        .request(reqwest::Method::POST, &format!("/api/v1/staff/bookings/{id}/call-attempts"))
        .bearer(&token)
        .json(&serde_json::json!({ "reached": false }))
        .send()
        .expect_status(409);

    // In its window, on a server whose clock stands two minutes after the start.
    let start = site.booking(&reference).start;
    let at_call = site.server_at(start + chrono::Duration::minutes(2));
    let s = Session::with_javascript();
    s.sign_in_staff(&at_call.url("/fi/staff/sign-in"), "fi", &advisor, &password);
    s.goto(&at_call.url(&page));
    for _ in 0..3 {
        s.submit("Soitettu: ei vastausta");
    }
    s.goto(&at_call.url(&page));
    assert!(s.source().contains("Ei tavoitettu"), "{}", s.source());
    assert_eq!(site.booking(&reference).status, "not_reached");
    // In the booking's language, which the demo chose.
    let subjects = [
        "Emme tavoittaneet sinua puhelimitse",
        "Vi nådde dig inte per telefon",
        "We could not reach you by phone",
    ];
    let mails = site.wait_for_mails(&citizen, 1, |m| subjects.iter().any(|s| m.subject().starts_with(s)));
    assert!(mails[0].text().contains(&reference), "{}", mails[0].text());
    drop(at_call);
}
