//! The citizen's booking through the pages, on both backends: every question answered
//! through its form, the taken-time branch, errors the GOV.UK way, the idempotent final
//! "Book", and manage, move and cancel behind their confirmation pages.

mod common;

use actix_web::http::StatusCode;
use aukiolo_domain::booking::BookingStatus;
use aukiolo_store::backend_tests;
use aukiolo_store::bookings;
use aukiolo_store::personal_data::PersonalDataKeys;
use aukiolo_store::test_support::TestDb;
use common::{Browser, Page, World, PERSONAL};

/// Answers the choice questions through their forms (Tampere, housing allowance, at the
/// office, in Finnish) and lands on the time page.
async fn choose<S, B>(app: &S, b: &mut Browser, w: &World, lang: &str, channel: &str) -> Page
where
    S: actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<B>,
        Error = actix_web::Error,
    >,
    B: actix_web::body::MessageBody,
{
    let start = b.get(app, &format!("/{lang}/book")).await;
    assert_eq!(start.location(), format!("/{lang}/book/topic"));
    let topic = b.get(app, &start.location()).await;
    assert_eq!(topic.status, StatusCode::OK);
    assert!(topic.radios("topic").contains(&w.housing.id.to_string()), "{}", topic.body);
    let next = b.get(app, &format!("/{lang}/book/topic?topic={}&go=1", w.housing.id)).await.location();
    assert!(next.starts_with(&format!("/{lang}/book/channel?")), "{next}");
    let channel_page = b.get(app, &next).await;
    assert_eq!(channel_page.radios("channel"), ["office", "phone"]);
    let next = b.get(app, &format!("{}&channel={channel}&go=1", next)).await.location();
    let next = if channel == "office" {
        assert!(next.contains("/book/office?"), "{next}");
        let offices = b.get(app, &next).await;
        // Each office with its address and next free time.
        let first = match lang {
            "fi" => "Hämeenkatu 12, 33100 Tampere. Ensimmäinen vapaa aika tiistai 14.9.2027 klo 12.30.",
            "sv" => "Hämeenkatu 12, 33100 Tampere. Första lediga tid tisdag 14.9.2027 kl. 12.30.",
            _ => "Hämeenkatu 12, 33100 Tampere. First free time Tuesday 14.9.2027 at 12.30.",
        };
        // At the fixture's instant (10.00) the first time is the one after two hours' notice.
        let first = if w.clock.now() == common::start() {
            first.to_owned()
        } else {
            first.split(". ").next().unwrap().to_owned()
        };
        assert!(offices.body.contains(&first), "{}", offices.body);
        b.get(app, &format!("{next}&office={}&go=1", w.tampere.id)).await.location()
    } else {
        next
    };
    assert!(next.contains("/book/language?"), "{next}");
    let languages = b.get(app, &next).await;
    assert_eq!(languages.radios("language"), ["fi", "sv"], "Tampere serves in Finnish and Swedish");
    let time = b.get(app, &format!("{next}&language=fi&go=1")).await.location();
    assert!(time.contains("/book/time?"), "{time}");
    b.get(app, &time).await
}

/// From a time page: the first free time, the matter, the details, then the check page.
async fn answer_all<S, B>(app: &S, b: &mut Browser, time: &Page, pick: usize, phone: &str) -> Page
where
    S: actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<B>,
        Error = actix_web::Error,
    >,
    B: actix_web::body::MessageBody,
{
    let chosen = time.radios("start")[pick].clone();
    answer_all_at(app, b, time, &chosen, phone).await
}

/// `answer_all` with the time `chosen`.
async fn answer_all_at<S, B>(app: &S, b: &mut Browser, time: &Page, chosen: &str, phone: &str) -> Page
where
    S: actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<B>,
        Error = actix_web::Error,
    >,
    B: actix_web::body::MessageBody,
{
    let query = hidden_query(time);
    let matter_url = b.get(app, &format!("/fi/book/time?{query}&start={chosen}&go=1")).await.location();
    let matter = b.get(app, &matter_url).await;
    assert_eq!(matter.status, StatusCode::OK, "{}", matter.body);
    assert!(matter.body.contains("Vuokrasopimus"), "what to bring is shown: {}", matter.body);
    let token = matter.input("token").expect("a form token");
    let details_url = b
        .post(app, &matter.form_action(), &[("token", &token), ("description", "Asumistuen tarkistus")])
        .await
        .location();
    let details = b.get(app, &details_url).await;
    let form = [
        ("token", token.as_str()),
        ("name", "Maija Meikäläinen"),
        ("personal_id", "131052 -308T"),
        ("email", "maija@example.fi"),
        ("phone", phone),
    ];
    let check_url = b.post(app, &details.form_action(), &form).await.location();
    let check = b.get(app, &check_url).await;
    assert_eq!(check.status, StatusCode::OK, "{}", check.body);
    check
}

/// The choices a time page's form carries, as a query string.
fn hidden_query(page: &Page) -> String {
    ["topic", "channel", "office", "language", "week"]
        .iter()
        .filter_map(|k| page.input(k).map(|v| format!("{k}={}", v.replace(':', "%3A"))))
        .collect::<Vec<_>>()
        .join("&")
}

fn bookings_of(db: &TestDb) -> Vec<aukiolo_domain::booking::Booking> {
    let keys = PersonalDataKeys::from_secret(PERSONAL);
    let mut conn = db.conn();
    let ids: Vec<aukiolo_domain::BookingId> = {
        use aukiolo_store::schema::bookings::dsl::*;
        use diesel::prelude::*;
        bookings
            .select(id)
            .load::<aukiolo_store::sql_types::DbId>(&mut conn)
            .expect("ids")
            .into_iter()
            .map(Into::into)
            .collect()
    };
    ids.into_iter().map(|i| bookings::get(&mut conn, &keys, i).expect("a booking")).collect()
}

backend_tests! {
    /// The whole booking at an office: the confirmation shows what was booked, a second
    /// submit of the same form shows the same booking, and one booking exists.
    async fn an_office_booking_from_start_to_confirmation(db) {
        let w = World::new(db);
        let app = app!(w);
        let mut b = Browser::default();
        let time = choose(&app, &mut b, &w, "fi", "office").await;
        assert!(time.body.contains("Ajat ovat Suomen aikaa."), "{}", time.body);
        assert!(time.body.contains("tiistai 14.9.2027<span class=\"visually-hidden\">,</span> ("), "days as links: {}", time.body);
        assert!(time.body.contains("<legend><h2>keskiviikko 15.9.2027</h2></legend>"), "{}", time.body);
        assert!(time.body.contains(">12.30–13.00</label>"), "the first free time after the notice: {}", time.body);
        let check = answer_all(&app, &mut b, &time, 0, "").await;
        assert!(check.body.contains("tiistai 14.9.2027 klo 12.30–13.00 (Suomen aikaa)"), "{}", check.body);
        assert!(check.body.contains("131052-308T"), "spaces are no part of the code: {}", check.body);
        assert!(check.body.contains("Muuta<span class=\"visually-hidden\"> aika</span>"), "{}", check.body);
        let token = check.input("token").expect("a token");
        let before = b.clone();
        let done = b.post(&app, &check.form_action(), &[("token", &token)]).await.location();
        assert!(done.starts_with("/fi/booking/"), "{done}");
        let confirmation = b.get(&app, &done).await;
        assert_eq!(confirmation.status, StatusCode::OK);
        assert_eq!(confirmation.header("cache-control"), "no-store");
        assert_eq!(confirmation.header("referrer-policy"), "no-referrer");
        let all = bookings_of(db);
        assert_eq!(all.len(), 1);
        assert!(confirmation.body.contains(&all[0].reference), "{}", confirmation.body);
        assert!(confirmation.body.contains("Hämeenkatu 12, 33100 Tampere"), "{}", confirmation.body);
        // The same form again, from a copy of the browser before the booking (a double
        // click), and from the browser after it (back and resubmit): one booking.
        let mut twin = before;
        assert_eq!(twin.post(&app, &check.form_action(), &[("token", &token)]).await.location(), done);
        assert_eq!(b.post(&app, &check.form_action(), &[("token", &token)]).await.location(), done);
        assert_eq!(bookings_of(db).len(), 1);
        // The calendar file has the same time.
        let ics = b.get(&app, &done.replace("?t=", "/calendar.ics?t=")).await;
        assert!(ics.body.contains("DTSTART:20270914T093000Z"), "{}", ics.body);
    }

    /// Free times are looked up a limited number of times per client address; past it,
    /// the page says so in the citizen's language, with when to come back.
    async fn the_time_page_is_limited_per_address(db) {
        use aukiolo_store::rate_limits::{Limit, RateLimiter, RateLimits};
        let mut w = World::new(db);
        let limits =
            RateLimits { availability_per_address: Limit { max: 4, window_seconds: 60 }, ..RateLimits::UNLIMITED };
        w.site = w.site.clone().with_limiter(std::sync::Arc::new(RateLimiter::new(limits)));
        let app = app!(w);
        let mut b = Browser::default();
        // The office and time pages count on the way here; the time page shown again soon
        // reaches the limit.
        let time = choose(&app, &mut b, &w, "fi", "office").await;
        let url = format!("/fi/book/time?{}", hidden_query(&time));
        let mut shown = 0;
        let refused = loop {
            let page = b.get(&app, &url).await;
            if page.status != StatusCode::OK || shown == 4 {
                break page;
            }
            shown += 1;
        };
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "shown {shown} more times");
        assert!(refused.body.contains("Liian monta yritystä"), "{}", refused.body);
        let retry_after: u64 = refused.header("retry-after").parse().expect("Retry-After in seconds");
        assert!((1..=60).contains(&retry_after), "{retry_after}");
    }

    /// A phone appointment asks for the number, skips the office, and says it will call.
    async fn a_phone_appointment_needs_a_number(db) {
        let w = World::new(db);
        let app = app!(w);
        let mut b = Browser::default();
        let time = choose(&app, &mut b, &w, "fi", "phone").await;
        assert!(time.body.contains("<legend><h2>torstai 16.9.2027</h2></legend>"), "phone times are on Thursdays: {}", time.body);
        let starts = time.radios("start");
        let matter_url = b.get(&app, &format!("/fi/book/time?{}&start={}&go=1", hidden_query(&time), starts[0])).await.location();
        let matter = b.get(&app, &matter_url).await;
        let token = matter.input("token").expect("token");
        let details_url = b.post(&app, &matter.form_action(), &[("token", &token), ("description", "Soitto")]).await.location();
        let details = b.get(&app, &details_url).await;
        let form = [("token", token.as_str()), ("name", "Maija"), ("personal_id", "131052-308T"), ("email", "maija@example.fi"), ("phone", "")];
        let again = b.post(&app, &details.form_action(), &form).await;
        assert_eq!(again.status, StatusCode::OK);
        assert!(again.body.contains("href=\"#phone\">Kirjoita puhelinnumero, johon neuvoja soittaa</a>"), "{}", again.body);
        let form = [("token", token.as_str()), ("name", "Maija"), ("personal_id", "131052-308T"), ("email", "maija@example.fi"), ("phone", "040 123 4567")];
        let check_url = b.post(&app, &details.form_action(), &form).await.location();
        let check = b.get(&app, &check_url).await;
        let done = b.post(&app, &check.form_action(), &[("token", &check.input("token").unwrap())]).await.location();
        let confirmation = b.get(&app, &done).await;
        assert!(confirmation.body.contains("Soitamme sinulle numeroon +358401234567"), "{}", confirmation.body);
    }

    /// Two people choose the same time: the second is sent back to the time page with
    /// the notice and keeps its answers; one booking holds the time.
    async fn the_second_of_two_for_one_time_is_sent_back_to_choose(db) {
        let w = World::new(db);
        let app = app!(w);
        let (mut first, mut second) = (Browser::default(), Browser::default());
        let time = choose(&app, &mut first, &w, "fi", "office").await;
        let _ = choose(&app, &mut second, &w, "fi", "office").await;
        let check_1 = answer_all(&app, &mut first, &time, 0, "").await;
        let check_2 = answer_all(&app, &mut second, &time, 0, "").await;
        let done = first.post(&app, &check_1.form_action(), &[("token", &check_1.input("token").unwrap())]).await;
        assert!(done.location().starts_with("/fi/booking/"));
        let lost = second.post(&app, &check_2.form_action(), &[("token", &check_2.input("token").unwrap())]).await.location();
        assert!(lost.starts_with("/fi/book/time?") && lost.contains("taken=1"), "{lost}");
        let back = second.get(&app, &lost).await;
        assert!(back.body.contains("Valitsemasi aika ehdittiin juuri varata toiselle."), "{}", back.body);
        assert!(!back.radios("start").contains(&time.radios("start")[0]), "the lost time is offered no more");
        // Every answer is kept: the next time leads to the check page with the same details.
        let next = back.radios("start")[0].clone();
        let matter = second.get(&app, &second.clone().get(&app, &format!("/fi/book/time?{}&start={next}&go=1", hidden_query(&back))).await.location()).await;
        assert!(matter.body.contains("Asumistuen tarkistus"), "the matter is kept: {}", matter.body);
        assert_eq!(bookings_of(db).len(), 1);
    }

    /// The details page refuses what the booking could not use, the GOV.UK way, with the
    /// values kept.
    async fn bad_details_are_named_and_kept(db) {
        let w = World::new(db);
        let app = app!(w);
        let mut b = Browser::default();
        let time = choose(&app, &mut b, &w, "en", "office").await;
        let starts = time.radios("start");
        let matter_url = b.get(&app, &format!("/en/book/time?{}&start={}&go=1", hidden_query(&time), starts[0])).await.location();
        let matter = b.get(&app, &matter_url).await;
        let token = matter.input("token").unwrap();
        let empty = b.post(&app, &matter.form_action(), &[("token", &token), ("description", "")]).await;
        assert!(empty.body.contains("<title>Error: "), "{}", empty.body);
        assert!(empty.body.contains("<a href=\"#description\">"), "{}", empty.body);
        let details_url = b.post(&app, &matter.form_action(), &[("token", &token), ("description", "Rent")]).await.location();
        let details = b.get(&app, &details_url).await;
        let empty = b.post(&app, &details.form_action(), &[("token", &token)]).await;
        for field in ["name", "personal_id", "email"] {
            assert!(empty.body.contains(&format!("<a href=\"#{field}\">")), "{field}: {}", empty.body);
        }
        let bad = b.post(&app, &details.form_action(), &[("token", &token), ("name", "Maija"), ("personal_id", "131052-308X"), ("email", "a,b@example.fi")]).await;
        assert!(bad.body.starts_with("<!DOCTYPE html>") && bad.body.contains("<title>Error: Your details"), "{}", bad.body);
        assert!(bad.body.contains("The personal identity code is not valid"), "{}", bad.body);
        assert!(bad.body.contains("Enter an email address in the form name@example.com"), "{}", bad.body);
        assert!(bad.body.contains("value=\"a,b@example.fi\"") && bad.body.contains("value=\"131052-308X\""), "values kept: {}", bad.body);
        assert!(bookings_of(db).is_empty());
    }

    /// Forms from elsewhere, or without their token, are refused and change nothing.
    async fn forms_from_elsewhere_are_refused(db) {
        let w = World::new(db);
        let app = app!(w);
        let mut b = Browser::default();
        let time = choose(&app, &mut b, &w, "fi", "office").await;
        let check = answer_all(&app, &mut b, &time, 0, "").await;
        let req = actix_web::test::TestRequest::post()
            .uri(&check.form_action())
            .insert_header(("sec-fetch-site", "cross-site"))
            .insert_header(("content-type", "application/x-www-form-urlencoded"))
            .set_payload(format!("token={}", check.input("token").unwrap()));
        let refused = b.clone().send(&app, req).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(refused.body.contains("Lomaketta ei voitu käsitellä"), "{}", refused.body);
        let forged = b.post(&app, &check.form_action(), &[("token", "forged")]).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        assert!(bookings_of(db).is_empty());
    }

    /// The manage link: looking changes nothing, moving and cancelling go through their
    /// confirmation pages, and tampered or expired links get their own pages.
    async fn manage_move_and_cancel(db) {
        let w = World::new(db);
        let app = app!(w);
        let mut b = Browser::default();
        let time = choose(&app, &mut b, &w, "fi", "office").await;
        let check = answer_all(&app, &mut b, &time, 0, "").await;
        let done = b.post(&app, &check.form_action(), &[("token", &check.input("token").unwrap())]).await.location();
        let booking = bookings_of(db).remove(0);
        let token = done.split("?t=").nth(1).unwrap().to_owned();
        let manage = format!("/fi/manage/{}?t={token}", booking.reference);
        let events = || bookings::events(&mut db.conn(), booking.id).expect("events").len();
        let seen = events();
        for path in [
            manage.clone(),
            format!("/fi/manage/{}/cancel?t={token}", booking.reference),
            format!("/fi/manage/{}/move?t={token}", booking.reference),
        ] {
            for method in [actix_web::http::Method::GET, actix_web::http::Method::HEAD] {
                let page = b.send(&app, actix_web::test::TestRequest::default().method(method.clone()).uri(&path)).await;
                assert_eq!(page.status, StatusCode::OK, "{method} {path}");
                assert_eq!(page.header("referrer-policy"), "no-referrer", "{path}");
            }
        }
        assert_eq!(events(), seen, "no GET or HEAD changed the booking");
        assert_eq!(bookings_of(db)[0].status, BookingStatus::Booked);

        // Tampered and expired.
        let tampered = b.get(&app, &format!("{manage}x")).await;
        assert_eq!(tampered.status, StatusCode::FORBIDDEN);
        assert_eq!(tampered.header("cache-control"), "no-store");
        assert_eq!(tampered.h1(), "Linkki ei ole voimassa");
        let other = b.get(&app, &format!("/sv/manage/AAA-BBB-CCC?t={token}")).await;
        assert_eq!(other.status, StatusCode::FORBIDDEN);
        assert_eq!(other.h1(), "Länken är inte giltig");

        // Move: choose, confirm, and the new booking's page says so.
        let move_page = b.get(&app, &format!("/fi/manage/{}/move?t={token}", booking.reference)).await;
        let new_time = move_page.radios("start")[3].clone();
        let confirm = b.get(&app, &format!("/fi/manage/{}/move?t={token}&start={new_time}&go=1", booking.reference)).await.location();
        let confirm = b.get(&app, &confirm).await;
        assert!(confirm.h1().starts_with("Siirretäänkö aika tiistai 14.9.2027 klo 12.30–13.00"), "{}", confirm.h1());
        let form = [("t", confirm.input("t").unwrap()), ("start", confirm.input("start").unwrap())];
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let moved = b.post(&app, &confirm.form_action(), &form).await.location();
        assert!(moved.contains("moved=1"), "{moved}");
        let moved_page = b.get(&app, &moved).await;
        assert!(moved_page.body.contains("Aika on siirretty."), "{}", moved_page.body);
        let old_page = b.get(&app, &manage).await;
        assert!(old_page.body.contains("Tämä varaus on siirretty uuteen aikaan"), "{}", old_page.body);

        // Cancel the new one.
        let new_manage = moved.replace("&moved=1", "");
        let new_ref = new_manage.split('/').nth(3).unwrap().split('?').next().unwrap().to_owned();
        let new_token = new_manage.split("?t=").nth(1).unwrap().to_owned();
        let cancel = b.get(&app, &format!("/fi/manage/{new_ref}/cancel?t={new_token}")).await;
        assert!(cancel.h1().starts_with("Perutaanko aika"), "{}", cancel.h1());
        let cancelled = b.post(&app, &cancel.form_action(), &[("t", &cancel.input("t").unwrap())]).await.location();
        let after = b.get(&app, &cancelled).await;
        assert!(after.body.contains("Tämä aika on peruttu."), "{}", after.body);
        assert!(!after.body.contains("/cancel?"), "no more cancel link: {}", after.body);

        // A day after the appointment the link has expired.
        w.clock.advance(chrono::Duration::days(3));
        let expired = b.get(&app, &new_manage).await;
        assert_eq!(expired.status, StatusCode::GONE);
        assert_eq!(expired.h1(), "Linkki on vanhentunut");
        assert_eq!(expired.header("cache-control"), "no-store");
    }

    /// In the week summer time ends (Sunday 31.10.2027), every page, the calendar file
    /// and the stored instant agree on the wall-clock time, before and after the change.
    async fn the_same_wall_clock_time_across_the_end_of_summer_time(db) {
        let monday = "2027-10-25T07:00:00Z".parse().unwrap();
        let w = World::at(db, monday);
        let app = app!(w);
        let mut b = Browser::default();
        let time = choose(&app, &mut b, &w, "fi", "office").await;
        // Friday before the change is UTC+3, Monday after it UTC+2: 8.00 both times.
        assert!(time.body.contains("value=\"2027-10-27T05:00:00Z\" id="), "{}", time.body);
        let next_week = b.get(&app, &format!("/fi/book/time?{}&week=2027-11-01", hidden_query(&time))).await;
        assert!(next_week.body.contains("<legend><h2>maanantai 1.11.2027</h2></legend>"), "{}", next_week.body);
        let first = next_week.radios("start")[0].clone();
        assert_eq!(first, "2027-11-01T06:00:00Z");
        assert!(next_week.body.contains(&format!("value=\"{first}\" id=\"start\">\n<label for=\"start\">8.00–8.30</label>")), "{}", next_week.body);
        let check = answer_all_at(&app, &mut b, &next_week, &first, "").await;
        let shown = "maanantai 1.11.2027 klo 8.00–8.30";
        assert!(check.body.contains(shown), "{}", check.body);
        let done = b.post(&app, &check.form_action(), &[("token", &check.input("token").unwrap())]).await.location();
        let confirmation = b.get(&app, &done).await;
        assert!(confirmation.body.contains(shown), "{}", confirmation.body);
        let manage = b.get(&app, &done.replace("/booking/", "/manage/")).await;
        assert!(manage.body.contains(shown), "{}", manage.body);
        let ics = b.get(&app, &done.replace("?t=", "/calendar.ics?t=")).await;
        assert!(ics.body.contains("DTSTART:20271101T060000Z"), "{}", ics.body);
        assert_eq!(bookings_of(db)[0].start, first.parse::<chrono::DateTime<chrono::Utc>>().unwrap());
    }
}
