//! The pages in a real browser (Debian's Chromium through chromedriver, see
//! `browser/mod.rs`), served by the real binary on its demo data: every page in every
//! language passes [`check_page`] (axe, `lang`, one `h1`, unique titles, skip link,
//! language links, nothing from another host, reflow at 320 px, visible focus), and the
//! pages work by keyboard alone with JavaScript off.
//!
//! Needs `chromium` and `chromium-driver` (`bash scripts/install-deps`); without them
//! every test here fails saying so.

#[path = "browser/mod.rs"]
mod browser;
mod common;

use browser::{check_page, check_pages, demo_server, Session, LANGS};

/// Every page there is under `/{lang}/` that a plain GET shows, as the path after the
/// language (with a query where the page needs one). A new page goes here, and is then
/// checked in fi, sv and en. The pages that need a journey, a booking or a questionnaire
/// link (the booking questions to the confirmation, manage, move, cancel, lost link,
/// questionnaire, 403) are checked along a real journey in `browser_booking.rs`.
const PAGES: &[&str] = &[
    "/",
    "/accessibility",
    "/privacy",
    // Any path that is no page: the localised 404 (its status is not visible to
    // WebDriver; tests/tests/binary.rs and the web crate's tests check it).
    "/no-such-page",
];

fn every_page_in(lang: &str) {
    let server = demo_server();
    let session = Session::with_javascript();
    let urls: Vec<String> = PAGES.iter().map(|path| server.url(&format!("/{lang}{path}"))).collect();
    let checked = check_pages(&session, &urls);
    for page in &checked {
        assert_eq!(page.lang, lang, "{page:?}");
    }
}

#[test]
fn every_page_in_finnish() {
    every_page_in("fi");
}

#[test]
fn every_page_in_swedish() {
    every_page_in("sv");
}

#[test]
fn every_page_in_english() {
    every_page_in("en");
}

#[test]
fn the_language_links_keep_the_query() {
    let server = demo_server();
    let session = Session::with_javascript();
    for lang in LANGS {
        check_page(&session, &server.url(&format!("/{lang}/privacy?from=mail&q=%C3%A4iti+%26+lapsi")));
    }
}

#[test]
fn the_root_sends_a_newcomer_to_the_finnish_start_page() {
    let server = demo_server();
    let session = Session::without_javascript();
    session.goto(&server.url("/"));
    assert_eq!(session.current_path(), "/fi/");
    assert_eq!(session.attr_of("html", "lang").as_deref(), Some("fi"));
    assert_eq!(session.count("h1"), 1);
}

/// Without JavaScript, by keyboard alone: the skip link first, then the language links
/// and the footer links, each keeping to the same page.
#[test]
fn the_pages_work_by_keyboard_without_javascript() {
    let server = demo_server();
    let session = Session::without_javascript();
    session.goto(&server.url("/fi/"));
    session.tab();
    let skip = session.focused();
    assert_eq!((skip.tag.as_str(), skip.role.as_str()), ("a", "link"), "the first Tab reaches {skip}");
    assert_eq!(session.attr_of("a.skip-link", "href").as_deref(), Some("#main"));

    session.follow("svenska");
    assert_eq!(session.current_path(), "/sv/");
    assert_eq!(session.attr_of("html", "lang").as_deref(), Some("sv"));

    let footer = session.texts_of("footer a");
    assert_eq!(footer.len(), 2, "the footer links: {footer:?}");
    session.follow(&footer[0]);
    assert_eq!(session.current_path(), "/sv/accessibility");
    session.follow("English");
    assert_eq!(session.current_path(), "/en/accessibility");
    assert_eq!(session.count("h1"), 1);
    let footer = session.texts_of("footer a");
    session.follow(&footer[1]);
    assert_eq!(session.current_path(), "/en/privacy");
    session.follow("suomi");
    assert_eq!(session.current_path(), "/fi/privacy");
}

/// The harness itself: JavaScript really is off in a session without it, every host
/// but the server's address is unreachable, and the form helpers work by keyboard on a
/// form of GOV.UK's shape (here a `data:` page submitting to the server's 404).
#[test]
fn the_harness_switches_javascript_off_keeps_other_hosts_away_and_fills_forms() {
    let server = demo_server();
    const SCRIPTED: &str = "data:text/html,<title>off</title><script>document.title='on'</script>";
    let with = Session::with_javascript();
    with.goto(SCRIPTED);
    assert_eq!(with.title(), "on");
    let without = Session::without_javascript();
    without.goto(SCRIPTED);
    assert_eq!(without.title(), "off");

    // `localhost` resolves on this machine without any traffic, yet not in the browser.
    let elsewhere = server.url("/fi/").replace("127.0.0.1", "localhost");
    let refused = without.try_goto(&elsewhere).expect_err("the host rule lets localhost through");
    assert!(refused.contains("ERR_NAME_NOT_RESOLVED"), "{refused}");

    let form = format!(
        "data:text/html;charset=utf-8,<!DOCTYPE html><html lang=en><title>Form</title><main>\
         <form method=get action=\"{}\" novalidate>\
         <label for=name>Full name</label><input id=name name=name value=old>\
         <fieldset><legend>Channel</legend>\
         <input type=radio name=channel id=c1 value=office><label for=c1>At the office</label>\
         <input type=radio name=channel id=c2 value=phone><label for=c2>By phone</label>\
         <input type=radio name=channel id=c3 value=video><label for=c3>By video</label></fieldset>\
         <input type=checkbox name=interpreter id=i value=yes><label for=i>I need an interpreter</label>\
         <button>Continue</button></form></main>",
        server.url("/en/no-such-page")
    );
    without.goto(&form);
    without.fill("Full name", "Åsa Öberg-Mäkinen");
    without.choose("By phone");
    without.choose("By video");
    without.set_checkbox("I need an interpreter", true);
    assert_eq!(without.value_of("Full name"), "Åsa Öberg-Mäkinen");
    without.submit("Continue");
    assert_eq!(
        without.current_path(),
        "/en/no-such-page?name=%C3%85sa+%C3%96berg-M%C3%A4kinen&channel=video&interpreter=yes"
    );
    assert_eq!(without.attr_of("html", "lang").as_deref(), Some("en"));
    assert!(!without.text_of("h1").is_empty());
}
