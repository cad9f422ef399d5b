//! The office manager's calendar pages in a real browser (see `browser/mod.rs`), against
//! `serve --demo`: the advisors table, an advisor's page, the weekly schedule and the
//! closures with the holidays, each checked with axe and the page checks in fi, sv and en
//! (the closure form's errors too); and a manager adding a weekly rule by keyboard with
//! JavaScript off and finding its times in the preview of next week. Needs `chromium` and
//! `chromium-driver`.

#[path = "browser/mod.rs"]
mod browser;
mod common;

use aukiolo_domain::holidays::holiday_name;
use aukiolo_domain::{dates, Locale};
use browser::{demo_site, Checker, Key, Session};
use chrono::{Datelike, Duration, NaiveDate};

/// What the pages say in one language.
struct Words {
    lang: &'static str,
    /// The demo office manager whose office's pages the test opens.
    manager: &'static str,
    add_closure: &'static str,
}

const FI: Words =
    Words { lang: "fi", manager: "manager.tampere@aukiolo.example", add_closure: "Lisää sulkemispäivä" };
const SV: Words =
    Words { lang: "sv", manager: "manager.turku@aukiolo.example", add_closure: "Lägg till en stängning" };
const EN: Words = Words { lang: "en", manager: "manager.oulu@aukiolo.example", add_closure: "Add a closure" };

/// The `href` of the first element matching `css` on the page shown.
fn href(s: &Session, css: &str) -> String {
    let found = s.execute(&format!("return document.querySelector('{css}').getAttribute('href')"), vec![]);
    found.as_str().unwrap_or_else(|| panic!("no {css} on {}", s.current_path())).to_owned()
}

fn every_manager_page_in(w: &Words) {
    let site = demo_site();
    let lang = w.lang;
    let js = Session::with_javascript();
    js.sign_in_staff(
        &site.url(&format!("/{lang}/staff/sign-in")),
        lang,
        w.manager,
        &site.server.demo_password(),
    );
    let advisors = site.url(&href(&js, ".staff-bar a[href$=\"/advisors\"]"));
    let closures = site.url(&href(&js, ".staff-bar a[href$=\"/closures\"]"));
    js.goto(&advisors);
    let advisor = site.url(&href(&js, "tbody tr a"));
    let mut pages = Checker::new(&js);
    pages.url(&advisors);
    pages.url(&advisor);
    pages.url(&format!("{advisor}/schedule"));
    pages.url(&closures);
    pages.reached("the closure form sent empty", |s| {
        s.goto(&closures);
        s.submit(w.add_closure);
    });
    pages.finish();
}

#[test]
fn every_manager_page_in_finnish() {
    every_manager_page_in(&FI);
}

#[test]
fn every_manager_page_in_swedish() {
    every_manager_page_in(&SV);
}

#[test]
fn every_manager_page_in_english() {
    every_manager_page_in(&EN);
}

/// The first day of next week (from today in Helsinki) that is no public holiday, and its
/// ISO weekday: the demo closes no office then (its one closure is three weeks ahead).
fn a_working_day_next_week() -> (NaiveDate, u32) {
    let today = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Helsinki).date_naive();
    let monday = today + Duration::days(7 - i64::from(today.weekday().num_days_from_monday()));
    let day = (0..7)
        .map(|n| monday + Duration::days(n))
        .find(|d| holiday_name(*d).is_none())
        .expect("a week has a day that is no holiday");
    (day, day.weekday().number_from_monday())
}

#[test]
fn a_manager_adds_a_weekly_rule_and_sees_its_times_next_week() {
    let site = demo_site();
    // JavaScript off, by keyboard; Vaasa's manager, whose pages the checks above do not open.
    let s = Session::without_javascript();
    let vaasa = Words { manager: "manager.vaasa@aukiolo.example", ..FI };
    s.sign_in_staff(&site.url("/fi/staff/sign-in"), "fi", vaasa.manager, &site.server.demo_password());
    s.follow("Neuvojat");
    assert!(s.source().contains("Anna Westerlund"), "{}", s.source());
    // The link names its advisor (in visually hidden text after the visible words).
    s.follow("Viikkoaikataulu : Anna Westerlund");
    let (day, weekday) = a_working_day_next_week();
    let row_of = |source: &str| {
        let day = dates::date(Locale::Fi, day);
        let row =
            source.split(&format!("<th scope=\"row\">{day}</th>")).nth(1).map(|r| r.split("</tr>").next());
        row.flatten().unwrap_or_else(|| panic!("no preview row for {day}: {source}")).to_owned()
    };
    assert!(!row_of(&s.source()).contains("17.00"), "the demo's days end by 16.00");

    // The weekday from its list by the arrow keys (the empty choice first).
    s.tab_to("Viikonpäivä");
    for _ in 0..weekday {
        s.press(Key::Down);
    }
    assert_eq!(s.value_of("Viikonpäivä"), weekday.to_string());
    s.fill("Alkaa", "17.00");
    s.fill("Päättyy", "18.00");
    s.fill("Ajan pituus (minuuttia)", "30");
    s.choose("Toimipiste");
    s.submit("Lisää viikkosääntö");

    let source = s.source();
    assert!(source.contains("Viikkosääntö lisättiin."), "{source}");
    assert!(row_of(&source).contains("17.00, 17.30"), "{}", row_of(&source));
}
