//! The staff pages through HTTP: signing in and out, the advisor's day with its buttons,
//! the booking page, the CSRF and origin checks, office scope, and revocation.

mod common;

use actix_web::http::StatusCode;
use aukiolo_domain::booking::BookingStatus;
use aukiolo_domain::staff::Role;
use aukiolo_store::personal_data::PersonalDataKeys;
use aukiolo_store::retention::{self, Cutoffs};
use aukiolo_store::staff::{self, AccountChange};
use aukiolo_store::{audit, backend_tests, bookings};
use common::staff::{account, first_advisor, pairs, sign_in, PASSWORD};
use common::{book_first, Browser, World, ANNA, PERSONAL};

backend_tests! {
    async fn an_advisor_signs_in_and_works_through_the_day(db) {
        let w = World::new(db);
        let app = app!(w);
        let advisor = first_advisor(db, w.tampere.id);
        let user = account(db, "aino@kela.test", Role::Advisor, w.tampere.id, Some(advisor));
        let booking = book_first(db, &w);
        // The advisor's morning: five minutes before the visit.
        w.clock.set(booking.start - chrono::Duration::minutes(5));
        let mut b = Browser::default();

        // Signed out, a staff page sends the browser to sign in and back.
        let day = b.get(&app, "/fi/staff/day").await;
        assert_eq!(day.location(), "/fi/staff/sign-in?next=%2Ffi%2Fstaff%2Fday");

        let wrong = sign_in(&app, &mut b, "aino@kela.test", "not the password", "/fi/staff/day").await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(wrong.body.contains("Sähköposti tai salasana on väärin"), "{}", wrong.body);
        let signed_in = sign_in(&app, &mut b, "AINO@kela.test", PASSWORD, "/fi/staff/day").await;
        assert_eq!(signed_in.location(), "/fi/staff/day");
        let cookie = signed_in.headers.get_all("set-cookie").map(|v| v.to_str().unwrap().to_owned()).find(|c| c.starts_with("aukiolo_staff=")).expect("a session cookie");
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"), "{cookie}");

        // The day: the citizen, the matter, and only the buttons that make sense.
        let date = booking.start.with_timezone(&chrono_tz::Europe::Helsinki).date_naive();
        let day = b.get(&app, &format!("/fi/staff/day?date={date}")).await;
        assert_eq!(day.status, StatusCode::OK, "{}", day.body);
        assert_eq!(day.header("cache-control"), "no-store");
        assert!(day.body.contains("Anna") && day.body.contains("Bostadsbidrag") && day.body.contains(&booking.reference), "{}", day.body);
        assert!(day.body.contains("value=\"arrive\""), "{}", day.body);
        assert!(!day.body.contains("value=\"complete\""), "no completing a visit not started");
        assert!(!day.body.contains("value=\"no_show\""), "no \"did not come\" before the start");
        let csrf = day.input("csrf").expect("the session's form token");
        let status = format!("/fi/staff/bookings/{}/status", booking.id.0);
        let keys = PersonalDataKeys::from_secret(PERSONAL);
        let status_now = || bookings::get(&mut db.conn(), &keys, booking.id).expect("the booking").status;

        // Without the token, or from another site, nothing changes.
        let no_token = b.post(&app, &status, &[("action", "arrive")]).await;
        assert_eq!(no_token.status, StatusCode::FORBIDDEN);
        let wrong_token = b.post(&app, &status, &[("action", "arrive"), ("csrf", "guess")]).await;
        assert_eq!(wrong_token.status, StatusCode::FORBIDDEN);
        let cross = actix_web::test::TestRequest::post()
            .uri(&status)
            .insert_header(("origin", "https://evil.example"))
            .insert_header(("content-type", "application/x-www-form-urlencoded"))
            .set_payload(format!("action=arrive&csrf={csrf}"));
        assert_eq!(b.send(&app, cross).await.status, StatusCode::FORBIDDEN);
        assert_eq!(status_now(), BookingStatus::Booked);

        // A no-show before the start is refused even when posted: the clock decides.
        let early = b.post(&app, &status, &[("action", "no_show"), ("csrf", &csrf)]).await;
        assert_eq!(early.status, StatusCode::CONFLICT);
        // Said in the page's language, not in the store's English.
        assert!(early.body.contains("Liian aikaisin (ei saapunut): mahdollista"), "{}", early.body);
        assert!(!early.body.contains("too early"), "{}", early.body);
        assert_eq!(status_now(), BookingStatus::Booked);

        // With it, the arrival is recorded and the day is shown again.
        let back = format!("/fi/staff/day?date={date}");
        let arrived = b.post(&app, &status, &[("action", "arrive"), ("csrf", &csrf), ("back", &back)]).await;
        assert_eq!(arrived.location(), back);
        assert_eq!(status_now(), BookingStatus::Arrived);

        // The booking page: history, and the identity code only on a POST, audited.
        let detail_path = format!("/fi/staff/bookings/{}", booking.id.0);
        let detail = b.get(&app, &detail_path).await;
        assert_eq!(detail.status, StatusCode::OK, "{}", detail.body);
        assert!(detail.body.contains("Saapunut") && detail.body.contains("aino@kela.test"), "{}", detail.body);
        assert!(!detail.body.contains("131052-308T") && detail.body.contains("131052-****"), "{}", detail.body);
        let shown = b.post(&app, &format!("{detail_path}/identity-code"), &[("csrf", &csrf)]).await;
        assert_eq!(shown.status, StatusCode::OK);
        assert!(shown.body.contains("131052-308T"));
        let log = audit::list(&mut db.conn(), Some(booking.id), 50).expect("the audit log");
        assert!(log.iter().any(|e| e.action == "reveal_personal_id" && e.staff_id == user.id), "{log:?}");

        // Start and completion, then the assessment on one page.
        for action in ["start", "complete"] {
            let done = b.post(&app, &status, &[("action", action), ("csrf", &csrf), ("back", &detail_path)]).await;
            assert_eq!(done.location(), detail_path);
        }
        assert_eq!(status_now(), BookingStatus::Completed);
        let completed = b.get(&app, &detail_path).await;
        let form_path = format!("{detail_path}/assessment");
        assert!(completed.body.contains(&form_path), "{}", completed.body);
        let form = b.get(&app, &form_path).await;
        assert_eq!(form.status, StatusCode::OK);
        assert_eq!(form.radios("segment").len(), 5);
        let empty = b.post(&app, &form_path, &[("csrf", &csrf), ("segment", "occasional")]).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.body.contains("href=\"#resolved_at_once\"") && !empty.body.contains("href=\"#segment\""), "{}", empty.body);
        let answers = [
            ("csrf", csrf.as_str()),
            ("resolved_at_once", "true"),
            ("segment", "life_change"),
            ("other_channel", "e_service"),
            ("personal_service_reasons", "documents"),
            ("personal_service_reasons", "language"),
            ("other_channels_discussed", "false"),
        ];
        let saved = b.post(&app, &form_path, &answers).await;
        assert_eq!(saved.location(), format!("{detail_path}?assessed=1"));
        let record = aukiolo_store::visits::assessment(&mut db.conn(), booking.id).expect("read").expect("saved");
        assert_eq!(record.assessment.personal_service_reasons.len(), 2);
        assert_eq!(record.author_id, user.id);

        // Signing out ends the session on the server.
        let out = b.post(&app, "/fi/staff/sign-out", &[("csrf", &csrf)]).await;
        assert_eq!(out.location(), "/fi/staff/sign-in?signed_out=1");
        assert!(b.get(&app, "/fi/staff/day").await.status.is_redirection());
    }

    async fn another_office_and_a_changed_account_are_refused(db) {
        let w = World::new(db);
        let app = app!(w);
        let turku_advisor = first_advisor(db, w.turku.id);
        let user = account(db, "elina@kela.test", Role::Advisor, w.turku.id, Some(turku_advisor));
        let booking = book_first(db, &w);
        let mut b = Browser::default();
        sign_in(&app, &mut b, "elina@kela.test", PASSWORD, "/fi/staff/day").await;
        let other = b.get(&app, &format!("/sv/staff/bookings/{}", booking.id.0)).await;
        assert_eq!(other.status, StatusCode::FORBIDDEN);
        assert!(other.body.contains("Ingen behörighet"), "{}", other.body);
        assert_eq!(b.get(&app, "/en/staff/day").await.status, StatusCode::OK);

        // Deactivated by an admin: the very next request is signed out.
        let change = AccountChange { role: Role::Advisor, office_id: Some(w.turku.id), advisor_id: Some(turku_advisor), active: false };
        staff::update(&mut db.conn(), user.id, &change).expect("deactivated");
        assert!(b.get(&app, "/en/staff/day").await.status.is_redirection());
        let again = sign_in(&app, &mut b, "elina@kela.test", PASSWORD, "/fi/staff/day").await;
        assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    }

    async fn a_booking_is_found_by_reference_name_and_identity_code(db) {
        let w = World::new(db);
        let app = app!(w);
        let advisor = first_advisor(db, w.tampere.id);
        let user = account(db, "aino@kela.test", Role::Advisor, w.tampere.id, Some(advisor));
        let booking = book_first(db, &w);
        w.clock.set(booking.start - chrono::Duration::hours(1));
        let mut b = Browser::default();
        sign_in(&app, &mut b, "aino@kela.test", PASSWORD, "/fi/staff/find").await;

        let by_reference = b.get(&app, &format!("/fi/staff/find?reference={}", booking.reference.to_lowercase())).await;
        assert_eq!(by_reference.location(), format!("/fi/staff/bookings/{}", booking.id.0));
        let unknown = b.get(&app, "/en/staff/find?reference=AAA-AAA-AAA").await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
        assert!(unknown.body.contains("There is no booking with this reference in your office"), "{}", unknown.body);

        let same_day = booking.start.with_timezone(&chrono_tz::Europe::Helsinki).date_naive()
            == w.clock.now().with_timezone(&chrono_tz::Europe::Helsinki).date_naive();
        let by_name = b.get(&app, "/fi/staff/find?name=ann").await;
        assert_eq!(by_name.status, StatusCode::OK);
        assert!(same_day, "the fixture's first free time is on its first day");
        assert!(by_name.body.contains(&booking.reference), "{}", by_name.body);
        let nobody = b.get(&app, "/fi/staff/find?name=zyx").await;
        assert!(!nobody.body.contains(&booking.reference) && nobody.body.contains("Varauksia ei löytynyt"));

        // The identity code never goes into an address: searched by POST, and audited.
        let page = b.get(&app, "/fi/staff/find").await;
        let csrf = page.input("csrf").expect("the form token");
        let found = b.post(&app, "/fi/staff/find/identity-code", &[("csrf", &csrf), ("identity_code", "131052-308T")]).await;
        assert_eq!(found.status, StatusCode::OK);
        assert!(found.body.contains(&booking.reference), "{}", found.body);
        let log = audit::list(&mut db.conn(), Some(booking.id), 50).expect("the audit log");
        assert!(log.iter().any(|e| e.action == "find_by_personal_id" && e.staff_id == user.id), "{log:?}");
        let bad = b.post(&app, "/fi/staff/find/identity-code", &[("csrf", &csrf), ("identity_code", "131052-308X")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    }

    async fn a_walk_in_booked_now_is_logged_from_the_quick_form(db) {
        let w = World::new(db);
        let app = app!(w);
        account(db, "aino@kela.test", Role::Advisor, w.tampere.id, Some(first_advisor(db, w.tampere.id)));
        let booking = book_first(db, &w);
        let mut b = Browser::default();
        sign_in(&app, &mut b, "aino@kela.test", PASSWORD, "/sv/staff/walk-ins").await;
        let page = b.get(&app, "/sv/staff/walk-ins").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("Inga besök har registrerats i dag."));
        let csrf = page.input("csrf").expect("the form token");
        let topic = w.housing.id.to_string();

        let missing = b.post(&app, "/sv/staff/walk-ins", &[("csrf", &csrf), ("topic", &topic)]).await;
        assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(missing.body.contains("href=\"#outcome\""), "{}", missing.body);
        let wrong = [("csrf", csrf.as_str()), ("topic", &topic), ("outcome", "booked_now"), ("booking_reference", "AAA-AAA-AAA")];
        assert_eq!(b.post(&app, "/sv/staff/walk-ins", &wrong).await.status, StatusCode::UNPROCESSABLE_ENTITY);

        let form = [("csrf", csrf.as_str()), ("topic", &topic), ("outcome", "booked_now"), ("booking_reference", &booking.reference)];
        let logged = b.post(&app, "/sv/staff/walk-ins", &form).await;
        assert_eq!(logged.location(), "/sv/staff/walk-ins?logged=1");
        let list = b.get(&app, &logged.location()).await;
        assert!(list.body.contains("Besöket registrerades.") && list.body.contains("En tid bokades genast"), "{}", list.body);
        let day = w.clock.now().with_timezone(&chrono_tz::Europe::Helsinki).date_naive();
        let logged = aukiolo_store::visits::walk_ins_on(&mut db.conn(), w.tampere.id, day).expect("the log");
        assert_eq!(logged.len(), 1);
        assert_eq!(logged[0].booking_id, Some(booking.id));
    }

    async fn a_manager_changes_the_office_settings(db) {
        let w = World::new(db);
        let app = app!(w);
        account(db, "esihenkilo@kela.test", Role::OfficeManager, w.tampere.id, None);
        account(db, "aino@kela.test", Role::Advisor, w.tampere.id, None);
        let path = format!("/en/staff/offices/{}/settings", w.tampere.id);
        let mut b = Browser::default();
        sign_in(&app, &mut b, "esihenkilo@kela.test", PASSWORD, &path).await;
        let page = b.get(&app, &path).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(page.input("name_sv").as_deref(), Some("Tampere (sv)"));
        let csrf = page.input("csrf").expect("the form token");
        let mut form: Vec<(String, String)> = ["name_fi", "name_sv", "name_en", "street", "postal_code", "municipality", "phone", "languages", "horizon_weeks", "min_notice_minutes", "holdback_percent", "holdback_release_hours", "change_cutoff_minutes", "reminder_minutes_before", "questionnaire_delay_minutes"]
            .iter()
            .map(|f| (f.to_string(), page.input(f).unwrap_or_default()))
            .collect();
        form.push(("csrf".into(), csrf));
        let set = |form: &[(String, String)], field: &str, value: &str| -> Vec<(String, String)> {
            form.iter().map(|(k, v)| (k.clone(), if k == field { value.to_owned() } else { v.clone() })).collect()
        };

        let bad = set(&set(&form, "postal_code", "3310"), "holdback_percent", "many");
        let refused = b.post(&app, &path, &pairs(&bad)).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("href=\"#holdback_percent\"") && refused.body.contains("Enter a whole number"), "{}", refused.body);
        let bad = set(&set(&form, "postal_code", "3310"), "holdback_percent", "101");
        let refused = b.post(&app, &path, &pairs(&bad)).await;
        assert!(refused.body.contains("href=\"#postal_code\""), "{}", refused.body);
        // The domain's checks said in the page's language (here Finnish), not its English.
        let fi_path = path.replace("/en/", "/fi/");
        let refused = b.post(&app, &fi_path, &pairs(&bad)).await;
        assert!(refused.body.contains("Kirjoita viisinumeroinen postinumero") && refused.body.contains("Kirjoita prosentti 0–100"), "{}", refused.body);
        assert!(!refused.body.contains("must be"), "{}", refused.body);

        let good = set(&set(&form, "name_sv", "Tammerfors"), "holdback_percent", "30");
        let saved = b.post(&app, &path, &pairs(&good)).await;
        assert_eq!(saved.location(), format!("{path}?saved=1"));
        let office = aukiolo_store::offices::get(&mut db.conn(), w.tampere.id).expect("the office");
        assert_eq!((office.fields.name.sv.as_str(), office.fields.booking_rules.holdback_percent), ("Tammerfors", 30));
        assert_eq!(office.fields.pilot_group, w.tampere.fields.pilot_group, "the pilot's fields are kept");

        // Not for advisors, nor for another office.
        let other = b.get(&app, &format!("/en/staff/offices/{}/settings", w.turku.id)).await;
        assert_eq!(other.status, StatusCode::FORBIDDEN);
        let mut advisor = Browser::default();
        sign_in(&app, &mut advisor, "aino@kela.test", PASSWORD, "/fi/staff/day").await;
        assert_eq!(advisor.get(&app, &path).await.status, StatusCode::FORBIDDEN);
    }

    async fn sign_in_is_throttled_with_the_wait_shown(db) {
        let w = World::new(db);
        let app = app!(w);
        account(db, "aino@kela.test", Role::Advisor, w.tampere.id, None);
        let mut b = Browser::default();
        for _ in 0..5 {
            let p = sign_in(&app, &mut b, "aino@kela.test", "wrong wrong wrong", "").await;
            assert_eq!(p.status, StatusCode::UNAUTHORIZED);
        }
        let p = sign_in(&app, &mut b, "aino@kela.test", PASSWORD, "").await;
        assert_eq!(p.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(p.body.contains("Yritä uudelleen 15 min kuluttua"), "{}", p.body);
        assert!(!p.header("retry-after").is_empty());
    }

    async fn a_purged_booking_says_its_personal_data_was_removed(db) {
        let w = World::new(db);
        let app = app!(w);
        let advisor = first_advisor(db, w.tampere.id);
        account(db, "aino@kela.test", Role::Advisor, w.tampere.id, Some(advisor));
        let booking = book_first(db, &w);
        // Two years and a day later, the booking's personal data is purged.
        let later = booking.end + chrono::Duration::days(731);
        let cutoffs = Cutoffs { now: later, bookings: booking.end, audit: booking.start, outbox: booking.start };
        assert_eq!(retention::purge(&mut db.conn(), &cutoffs).expect("purge").bookings, 1);
        w.clock.set(later);
        let mut b = Browser::default();
        sign_in(&app, &mut b, "aino@kela.test", PASSWORD, "/fi/staff/day").await;

        let date = booking.start.with_timezone(&chrono_tz::Europe::Helsinki).date_naive();
        for (lang, removed) in [
            ("fi", "Henkilötiedot poistettu säilytysajan päätyttyä"),
            ("en", "Personal data removed after the retention period"),
        ] {
            for path in [format!("/{lang}/staff/bookings/{}", booking.id.0), format!("/{lang}/staff/day?date={date}")] {
                let page = b.get(&app, &path).await;
                assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
                assert!(page.body.contains(removed) && page.body.contains(&booking.reference), "{path}: {}", page.body);
                for personal in [ANNA.email, "131052", "Bostadsbidrag"] {
                    assert!(!page.body.contains(personal), "{path} shows {personal}: {}", page.body);
                }
                assert!(!page.body.contains("/identity-code"), "{path}: nothing to reveal");
            }
        }
    }
}
