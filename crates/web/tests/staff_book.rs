//! Booking for a citizen through the staff page: the day's times with the advisor's name,
//! the details checked the way the citizens' form checks them, "book anyway?" for a time
//! citizens cannot book, one booking per form however often it is sent, the audit entry
//! and the confirmation mail, and the refusals (CSRF, another office).
//!
//! The clock stands at the fixture's Tuesday 14.9.2027 10.00 in Helsinki: Tampere's advisor
//! serves at the office from 8.00, so 10.30 is inside the two-hour notice (citizens cannot
//! book it) and 13.00 is not.

mod common;

use actix_web::http::StatusCode;
use aukiolo_domain::booking::BookedBy;
use aukiolo_domain::outbox::MessageKind;
use aukiolo_domain::staff::Role;
use aukiolo_store::personal_data::PersonalDataKeys;
use aukiolo_store::{audit, backend_tests, bookings, outbox};
use chrono::{Duration, TimeZone};
use chrono_tz::Europe::Helsinki;
use common::staff::{account, first_advisor, sign_in, PASSWORD};
use common::{Browser, PERSONAL};

const DAY: &str = "2027-09-14";

/// The radio value of the time at `h:m` today with `advisor`.
fn time_value(h: u32, m: u32, advisor: aukiolo_domain::AdvisorId) -> String {
    let at = Helsinki.with_ymd_and_hms(2027, 9, 14, h, m, 0).unwrap().with_timezone(&chrono::Utc);
    format!("{}|{advisor}", at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

backend_tests! {
    async fn an_advisor_books_for_a_citizen_choosing_the_advisor(db) {
        let w = common::World::new(db);
        let app = app!(w);
        let advisor = first_advisor(db, w.tampere.id);
        let me = account(db, "aino@kela.test", Role::Advisor, w.tampere.id, Some(advisor));
        let mut b = Browser::default();
        sign_in(&app, &mut b, "aino@kela.test", PASSWORD, "/fi/staff/book").await;

        let choose = format!(
            "/fi/staff/book?topic={}&channel=office&office={}&language=sv&advisor={advisor}&booked_by=advisor&date={DAY}",
            w.housing.id, w.tampere.id
        );
        let page = b.get(&app, &choose).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(page.header("cache-control"), "no-store");
        let times = page.radios("time");
        let (early, later) = (time_value(10, 30, advisor), time_value(13, 0, advisor));
        assert!(times.contains(&early) && times.contains(&later), "{times:?}");
        assert!(!times.contains(&time_value(9, 30, advisor)), "a time already begun is not offered");
        assert!(page.body.contains("10.30–11.00 Aino Virtanen (pidätetty"), "{}", page.body);
        assert!(page.body.contains("13.00–13.30 Aino Virtanen</label>"), "{}", page.body);
        let csrf = page.input("csrf").expect("the form token");
        let key = page.input("key").expect("the form's key");
        let base = [
            ("csrf", csrf.as_str()),
            ("key", key.as_str()),
            ("topic", &w.housing.id.to_string()),
            ("channel", "office"),
            ("office", &w.tampere.id.to_string()),
            ("language", "sv"),
            ("booked_by", "advisor"),
            ("date", DAY),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()));
        let form = |extra: &[(&str, &str)]| {
            let mut all: Vec<(String, String)> = base.to_vec();
            all.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
            all
        };
        let keys = PersonalDataKeys::from_secret(PERSONAL);
        let day_start = Helsinki.with_ymd_and_hms(2027, 9, 14, 0, 0, 0).unwrap().with_timezone(&chrono::Utc);
        let booked = || {
            bookings::list_for_advisor(&mut db.conn(), &keys, advisor, day_start, day_start + Duration::days(1))
                .expect("bookings")
        };

        // Nothing filled in: every missing answer named, nothing booked.
        let empty = b.post(&app, "/fi/staff/book", &common::staff::pairs(&form(&[("time", &later)]))).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", empty.body);
        for field in ["#name", "#personal_id", "#email", "#description"] {
            assert!(empty.body.contains(&format!("href=\"{field}\"")), "{field}: {}", empty.body);
        }
        assert!(booked().is_empty());

        let details = [
            ("name", "Sara Lind"),
            ("personal_id", "131052-308T"),
            ("email", "sara@example.fi"),
            ("description", "Bostadsbidrag, ny hyra"),
            ("accessibility", "Rullstol"),
        ];
        // A time citizens cannot book (inside the notice) asks first, keeping the answers.
        let mut held = details.to_vec();
        held.push(("time", &early));
        let asked = b.post(&app, "/fi/staff/book", &common::staff::pairs(&form(&held))).await;
        assert_eq!(asked.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", asked.body);
        assert!(asked.body.contains("Varataanko silti?") && asked.body.contains("name=\"anyway\""), "{}", asked.body);
        assert_eq!(asked.input("name").as_deref(), Some("Sara Lind"));
        assert!(booked().is_empty(), "nothing booked before the answer");

        held.push(("anyway", "yes"));
        let done = b.post(&app, "/fi/staff/book", &common::staff::pairs(&form(&held))).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let made = booked();
        assert_eq!(made.len(), 1, "{made:?}");
        let booking = &made[0];
        assert_eq!(done.location(), format!("/fi/staff/bookings/{}?booked=1", booking.id.0));
        assert_eq!((booking.booked_by, booking.advisor_id, booking.name.as_str()), (BookedBy::Advisor, advisor, "Sara Lind"));
        assert_eq!(booking.needs.accessibility.as_deref(), Some("Rullstol"));
        let shown = b.get(&app, &done.location()).await;
        assert!(shown.body.contains(&format!("Varaustunnus {}", booking.reference)), "{}", shown.body);
        let mails = outbox::for_booking(&mut db.conn(), booking.id).expect("outbox");
        assert!(mails.iter().any(|m| m.kind == MessageKind::Confirmation), "{mails:?}");
        let entries = audit::list(&mut db.conn(), Some(booking.id), 10).expect("audit");
        assert!(entries.iter().any(|e| e.action == "create_booking" && e.staff_id == me.id), "{entries:?}");

        // The same form again (a double click, a reload): the same booking, not a second.
        let again = b.post(&app, "/fi/staff/book", &common::staff::pairs(&form(&held))).await;
        assert_eq!(again.location(), done.location());
        assert_eq!(booked().len(), 1);

        // Without the session's token nothing is booked.
        let mut other = details.to_vec();
        other.push(("time", &later));
        let mut no_token = form(&other);
        no_token.retain(|(k, _)| k != "csrf");
        let refused = b.post(&app, "/fi/staff/book", &common::staff::pairs(&no_token)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(booked().len(), 1);
    }

    async fn staff_book_only_for_their_own_office(db) {
        let w = common::World::new(db);
        let app = app!(w);
        account(db, "turku@kela.test", Role::Advisor, w.turku.id, Some(first_advisor(db, w.turku.id)));
        let mut b = Browser::default();
        sign_in(&app, &mut b, "turku@kela.test", PASSWORD, "/fi/staff/book").await;
        let own = b.get(&app, "/fi/staff/book").await;
        assert_eq!(own.status, StatusCode::OK, "{}", own.body);
        let other = b.get(&app, &format!("/fi/staff/book?office={}", w.tampere.id)).await;
        assert_eq!(other.status, StatusCode::FORBIDDEN);
    }
}
