//! The office manager's pages in a real browser (see `browser/mod.rs`), against
//! `serve --demo`: the board, the conflicts page and an advisor's absences pass axe and
//! the page checks in fi, sv and en; and the must-show flow: a manager adds an absence
//! over two booked visits, the board shows the conflicts, one visit is moved to another
//! advisor and one cancelled with notice, each citizen gets the matching mail through a
//! real SMTP server, and no reminder is left to go out for the old times.
//! Needs `chromium` and `chromium-driver`.

#[path = "browser/mod.rs"]
mod browser;
mod common;

use aukiolo_store::schema::{advisors, bookings, outbox};
use aukiolo_store::sql_types::{DbId, DbTime};
use browser::{demo_site, Checker, DemoSite, Session};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use common::smtp::MailSink;
use common::Launch;
use diesel::prelude::*;

/// What the pages say in one language.
struct Words {
    lang: &'static str,
    /// The demo office manager (each language its own office).
    manager: &'static str,
}

const FI: Words = Words { lang: "fi", manager: "manager.tampere@aukiolo.example" };
const SV: Words = Words { lang: "sv", manager: "manager.turku@aukiolo.example" };
const EN: Words = Words { lang: "en", manager: "manager.vaasa@aukiolo.example" };

/// Signs the manager in through the page; they land on their office's board.
fn manager_signs_in(s: &Session, site: &DemoSite, w: &Words) -> String {
    s.sign_in_staff(
        &site.url(&format!("/{}/staff/sign-in", w.lang)),
        w.lang,
        w.manager,
        &site.server.demo_password(),
    );
    let board = s.current_path();
    assert!(
        board.starts_with(&format!("/{}/staff/offices/", w.lang)),
        "a manager starts on the board: {board}"
    );
    board
}

fn every_manager_page_in(w: &Words) {
    let site = demo_site();
    let js = Session::with_javascript();
    let board = manager_signs_in(&js, &site, w);
    let mut pages = Checker::new(&js);
    pages.url(&site.url(&board));
    // A day with citizens on it after today (the board above is today's): the demo books
    // its next working days. Days as the office counts them, not as UTC does.
    let today = Utc::now().with_timezone(&chrono_tz::Europe::Helsinki).date_naive();
    let busy = (1..8)
        .map(|d| today + Duration::days(d))
        .map(|date| site.url(&format!("{board}?date={date}")))
        .find(|day| {
            js.goto(day);
            js.count(".board-row--booked") > 0
        })
        .expect("the demo office has citizens in the next days");
    pages.url(&busy);
    pages.url(&site.url(&format!("{board}/conflicts")));
    js.goto(&busy);
    let absences =
        js.execute("return document.querySelector('a[href$=\"/absences\"]').getAttribute('href')", vec![]);
    let absences = absences.as_str().expect("a link to an advisor's absences").to_owned();
    pages.url(&site.url(&absences));
    pages.reached("the absence form with its errors", |s| {
        s.goto(&site.url(&absences));
        s.submit(match w.lang {
            "fi" => "Lisää poissaolo",
            "sv" => "Lägg till frånvaro",
            _ => "Add an absence",
        });
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

/// A demo booking as this test needs it.
#[derive(Debug)]
struct Visit {
    id: DbId,
    reference: String,
    email: String,
    start: DateTime<Utc>,
}

/// Whether the conflicts page will offer "another advisor at the same time" for this
/// visit: asked as the page asks (`availability::find_runs` with the visit's topic, office and
/// language, staff rules), so languages and longer topics count as they do there.
fn other_advisor_free(
    db: &mut aukiolo_store::DbConnection,
    office: DbId,
    topic: DbId,
    language: &str,
    start: DbTime,
) -> bool {
    use aukiolo_store::availability::{find_runs, RulesApply, TimeQuery};
    let locale: aukiolo_domain::Locale = language.parse().expect("a stored locale");
    let query = TimeQuery {
        topic_id: topic.into(),
        channel: aukiolo_domain::Channel::Office,
        office_id: Some(office.into()),
        advisor_id: None,
        language: locale.into(),
        from: start.0,
        to: start.0 + Duration::microseconds(1),
    };
    !find_runs(db, &query, Utc::now(), RulesApply::StaffOverride).expect("free times").is_empty()
}

/// An advisor of the office named `office_fi` with two booked office visits on one day
/// at least 26 hours ahead (so no reminder of theirs is due yet, and the office may still
/// cancel them), one of which another advisor could take at its time, and that day.
fn two_visits(site: &DemoSite, office_fi: &str) -> (DbId, NaiveDate, [Visit; 2]) {
    let office = site.office(office_fi);
    let office = DbId(office["id"].as_str().expect("an id").parse().expect("a uuid"));
    let mut db = site.database();
    let ids: Vec<DbId> = advisors::table
        .filter(advisors::office_id.eq(office))
        .select(advisors::id)
        .load(&mut db)
        .expect("advisors");
    // Whole local days only, from the first midnight after the notice: an absence covers
    // the whole day, and a day that has begun before `after` would list conflicts of
    // visits left out here (at 07:00 the morning's visits of tomorrow).
    let zone = chrono_tz::Europe::Helsinki;
    let first_day = (Utc::now() + Duration::hours(26)).with_timezone(&zone).date_naive() + Duration::days(1);
    let after = first_day
        .and_hms_opt(0, 0, 0)
        .and_then(|midnight| midnight.and_local_timezone(zone).earliest())
        .expect("a local midnight")
        .with_timezone(&Utc);
    for advisor in ids {
        let rows: Vec<(DbId, String, String, DbTime, DbId, String)> = bookings::table
            .filter(bookings::advisor_id.eq(advisor))
            .filter(bookings::status.eq("booked"))
            .filter(bookings::channel.eq("office"))
            .filter(bookings::starts_at.ge(DbTime(after)))
            .order(bookings::starts_at)
            .select((
                bookings::id,
                bookings::reference,
                bookings::email,
                bookings::starts_at,
                bookings::topic_id,
                bookings::language,
            ))
            .load(&mut db)
            .expect("bookings");
        let movable: Vec<DbId> = rows
            .iter()
            .filter(|(_, _, _, start, topic, language)| {
                other_advisor_free(&mut db, office, *topic, language, DbTime(start.0))
            })
            .map(|(id, ..)| *id)
            .collect();
        let local = |t: &DateTime<Utc>| t.with_timezone(&chrono_tz::Europe::Helsinki).date_naive();
        let visits: Vec<Visit> = rows
            .into_iter()
            .map(|(id, reference, email, start, _, _)| Visit { id, reference, email, start: start.0 })
            .collect();
        for pair in visits.windows(2) {
            let one_movable = pair.iter().any(|v| movable.contains(&v.id));
            if local(&pair[0].start) == local(&pair[1].start) && one_movable {
                let day = local(&pair[0].start);
                let [a, b] = [&pair[0], &pair[1]].map(|v| Visit {
                    id: v.id,
                    reference: v.reference.clone(),
                    email: v.email.clone(),
                    start: v.start,
                });
                return (advisor, day, [a, b]);
            }
        }
    }
    panic!("no advisor of {office_fi} has two office visits on one day after {after}");
}

/// The reminders of `booking` that are not void (waiting, sent or failed).
fn live_reminders(site: &DemoSite, booking: DbId) -> Vec<String> {
    outbox::table
        .filter(outbox::booking_id.eq(booking))
        .filter(outbox::kind.eq("reminder"))
        .filter(outbox::status.ne("void"))
        .select(outbox::status)
        .load(&mut site.database())
        .expect("the outbox")
}

#[test]
fn a_manager_resolves_an_absence_over_two_booked_visits() {
    let sink = MailSink::start();
    let site = DemoSite::start(Launch::demo().env("AUKIOLO_MAIL__SMTP_URL", &sink.url()));
    let (advisor, day, [first, second]) = two_visits(&site, "Tampereen palvelupiste");
    let s = Session::without_javascript();
    let board = manager_signs_in(&s, &site, &FI);

    // The whole day away, through the absences page by keyboard.
    s.goto(&site.url(&format!("/fi/staff/advisors/{}/absences", advisor.0)));
    let date = format!("{}", day.format("%-d.%-m.%Y"));
    s.fill("Ensimmäinen päivä", &date);
    s.fill("Viimeinen päivä", &date);
    s.choose("Sairausloma");
    s.submit("Lisää poissaolo");
    assert!(s.source().contains("Poissaolo lisättiin."), "{}", s.source());
    assert!(s.source().contains("varausta, joiden aikaa kalenteri ei enää tarjoa"), "{}", s.source());

    // The board tells of the conflicts and leads to them.
    s.goto(&site.url(&format!("{board}?date={day}")));
    assert!(s.text_of(".notice").contains("ristiriidassa"), "{}", s.source());
    let conflicts = s.attr_of(".notice a", "href").expect("a link to the conflicts");
    s.goto(&site.url(&conflicts));
    for v in [&first, &second] {
        assert_eq!(s.count(&format!("section#conflict-{}", v.id.0)), 1, "{v:?} once: {}", s.source());
    }

    // One to another advisor at the same time (whichever of the two has one free), each by
    // its own section's form: the day's other conflicts are listed too.
    const MOVE: &str = "Siirrä toiselle neuvojalle samaan aikaan";
    let section = |v: &Visit| format!("section#conflict-{}", v.id.0);
    let movable = |v: &Visit| s.texts_of(&format!("{} button", section(v))).iter().any(|t| t.trim() == MOVE);
    let (moved, cancelled) = if movable(&first) { (&first, &second) } else { (&second, &first) };
    s.submit_in(&section(moved), MOVE);
    assert!(s.source().contains("Varaus siirrettiin"), "{}", s.source());
    let status = |v: &Visit| site.booking(&v.reference).status;
    assert_eq!(status(moved), "cancelled_by_office");
    let new: (String, DbId) = bookings::table
        .filter(bookings::rescheduled_from.eq(moved.id))
        .select((bookings::reference, bookings::advisor_id))
        .first(&mut site.database())
        .expect("the new booking");
    assert_ne!(new.1, advisor, "moved to another advisor");
    assert_eq!(site.booking(&new.0).start, moved.start, "at the same time");

    // The other cancelled with notice.
    let reason = "Neuvoja sairastui.";
    s.fill_in(&section(cancelled), "Syy", reason);
    s.submit_in(&section(cancelled), "Peru ja ilmoita asiakkaalle");
    assert!(s.source().contains("peruttiin"), "{}", s.source());
    assert_eq!(status(cancelled), "cancelled_by_office");

    // Each citizen's mail, as the SMTP server got it.
    let timeout = std::time::Duration::from_secs(60);
    let to = |m: &common::smtp::Received, email: &str| m.to.iter().any(|t| t == email);
    sink.wait_for_matching(1, timeout, |m| {
        to(m, &moved.email) && m.parts("text/plain").iter().any(|t| t.contains(&new.0))
    });
    sink.wait_for_matching(1, timeout, |m| {
        to(m, &cancelled.email)
            && m.parts("text/plain").iter().any(|t| t.contains(&cancelled.reference) && t.contains(reason))
    });
    // No reminder of the old times is left to go out (each is void).
    for v in [&first, &second] {
        assert_eq!(live_reminders(&site, v.id), Vec::<String>::new(), "{v:?}");
    }
}
