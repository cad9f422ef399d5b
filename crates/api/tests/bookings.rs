//! Bookings over HTTP: citizens' requests name every bad field and book nothing, manage
//! links open only their own booking, staff work within their office and role, staff may
//! book inside the notice but never twice on one slot, phone appointments count call
//! attempts, visits are assessed once by their author, walk-ins are logged, conflicts are
//! listed and moved, and reads of personal data are audited. Every test runs on SQLite
//! and PostgreSQL.

mod common;

use actix_web::http::{Method, StatusCode};
use aukiolo_domain::booking::BookingRules;
use aukiolo_domain::staff::Role;
use aukiolo_domain::BookingId;
use aukiolo_store::test_support::TestDb;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use common::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use uuid::Uuid;

/// A staff member of office A with this role, signed in.
async fn in_office_a(w: &World, db: &TestDb, role: Role) -> Member {
    member(&w.api, db, &format!("{}@kamppi.aukiolo.test", role.as_str()), role, Some(&w.office_a)).await
}

/// Books the world's topic at `office` at `start` for a citizen; returns the answer.
async fn visit(w: &World, office: &str, start: DateTime<Utc>, personal_id: &str) -> Value {
    book(&w.api, booking_body(&w.topic, Some(office), start, personal_id)).await
}

/// A POST without a body.
fn post_empty(path: String) -> Call {
    Call { method: Method::POST, path, body: Body::None }
}

fn staff_booking(path: &str) -> String {
    format!("/api/v1/staff/bookings/{path}")
}

/// A booking request as staff send it.
fn by_staff(body: Value, booked_by: &str) -> Call {
    Call::post("/api/v1/staff/bookings", plus(body, "booked_by", json!(booked_by)))
}

fn walk_in(office: &str, topic: &str, outcome: &str, reference: Option<&str>) -> Call {
    Call::post(
        format!("/api/v1/staff/offices/{office}/walk-ins"),
        json!({ "topic_id": topic, "outcome": outcome, "booking_reference": reference }),
    )
}

fn day_call(advisor: &str, day: NaiveDate) -> Call {
    Call::get(format!("/api/v1/staff/advisors/{advisor}/day?date={day}"))
}

fn assessment_body() -> Value {
    json!({
        "resolved_at_once": true,
        "segment": "occasional",
        "other_channel": "e_service",
        "personal_service_reasons": ["documents", "language"],
        "other_channels_discussed": true
    })
}

/// What shows whether a booking was made at office A on `day`: the free times of the
/// free week and advisor A's day as the admin sees it.
async fn bookings_seen(w: &World, day: NaiveDate) -> (Vec<DateTime<Utc>>, Value) {
    let starts = free_week_starts(&w.api, &w.topic, &w.office_a).await;
    let day = w.api.call(&day_call(&w.advisor_a, day), &w.admin.token).await.expect(StatusCode::OK);
    (starts, day)
}

/// The booking as staff see it (as the admin).
async fn detail(w: &World, id: &str) -> Value {
    w.api.call(&Call::get(staff_booking(id)), &w.admin.token).await.expect(StatusCode::OK)
}

/// Everything an office's serving staff do with its bookings: read one, read an
/// advisor's day, mark an arrival, log a walk-in and book for a citizen at `free`.
fn office_work(w: &World, office: &str, advisor: &str, booking: &str, free: DateTime<Utc>) -> Vec<Call> {
    vec![
        Call::get(staff_booking(booking)),
        day_call(advisor, local_day(free)),
        post_empty(staff_booking(&format!("{booking}/arrive"))),
        walk_in(office, &w.topic, "directed_to_eservice", None),
        by_staff(booking_body(&w.topic, Some(office), free, PERSONAL_IDS[3]), "advisor"),
    ]
}

/// The rest of the staff booking endpoints, for role checks.
fn other_staff_work(booking: &str) -> Vec<Call> {
    let mut calls: Vec<Call> = ["start", "complete", "no-show", "cancel"]
        .iter()
        .map(|action| post_empty(staff_booking(&format!("{booking}/{action}"))))
        .collect();
    calls.extend([
        Call::get(staff_booking(&format!("{booking}/events"))),
        Call::post(staff_booking(&format!("{booking}/call-attempts")), json!({ "reached": false })),
        Call::post(staff_booking(&format!("{booking}/assessment")), assessment_body()),
        Call::post(staff_booking(&format!("{booking}/move")), json!({})),
        Call::get(format!("/api/v1/admin/audit-log?booking_id={booking}")),
    ]);
    calls
}

/// Sends each call with `authorization` and expects a problem of `status`.
async fn refused(api: &Api, who: &str, authorization: Option<&str>, calls: &[Call], status: StatusCode) {
    for call in calls {
        let res = api.request(call, authorization).await;
        assert_eq!(res.status, status, "{} by {who}: {}", res.label, res.text());
        res.expect_problem(status);
    }
}

aukiolo_store::backend_tests! {
    /// Losing a race is a 409 with alternatives, whatever else is true of the time: also
    /// where every slot left at that time is held back for same-day customers.
    async fn sixty_racing_for_one_time_hear_201_or_409_where_the_rest_is_held_back(db) {
        let w = World::bookable(db).await;
        for _ in 0..5 {
            let advisor = create_advisor(&w.api, &w.admin.token, &w.office_a, &[&w.topic]).await;
            create_weekday_rules(&w.api, &w.admin.token, &advisor).await;
        }
        set_booking_rules(&w.api, &w.admin.token, &w.office_a, json!({ "holdback_percent": 50 })).await;
        let rules = BookingRules { holdback_percent: 50, ..BookingRules::default() };
        // A time where some of the six advisors' slots are open to citizens, the rest held.
        let slots = w.api.call(&week_slots_call(&w.office_a, free_week_monday()), &w.admin.token).await;
        let mut at: BTreeMap<DateTime<Utc>, Vec<Uuid>> = BTreeMap::new();
        for slot in slots.expect(StatusCode::OK).as_array().expect("slots") {
            let id = slot["id"].as_str().and_then(|id| id.parse().ok()).expect("a slot id");
            at.entry(instant(&slot["start"])).or_default().push(id);
        }
        let (start, open) = at
            .iter()
            .find_map(|(start, ids)| {
                let open = ids.iter().filter(|id| !rules.held_back(**id, *start, w.api.now())).count();
                (open > 0 && open < ids.len()).then_some((*start, open))
            })
            .expect("a time with open and held-back slots");

        let calls: Vec<Call> = (0..60)
            .map(|n| Call::post("/api/v1/bookings", booking_body(&w.topic, Some(&w.office_a), start, &citizen(n))))
            .collect();
        // Polled together in one task; their database work races on actix's blocking pool.
        let replies = futures_util::future::join_all(calls.iter().map(|call| w.api.anonymous(call))).await;

        let mut created = 0;
        for reply in &replies {
            match reply.status {
                StatusCode::CREATED => created += 1,
                StatusCode::CONFLICT => {
                    let problem = reply.expect_problem(StatusCode::CONFLICT);
                    assert_eq!(problem["type"], "urn:aukiolo:problem:time-taken", "{problem}");
                    let alternatives = problem["alternatives"].as_array().expect("alternatives");
                    assert!(!alternatives.is_empty(), "{problem}");
                }
                other => panic!("only 201 or 409 for a contested time, got {other}: {}", reply.text()),
            }
        }
        assert_eq!(created, open, "each slot open to citizens booked once");
    }

    async fn booking_requests_name_every_bad_field(db) {
        let w = World::bookable(db).await;
        let starts = free_week_starts(&w.api, &w.topic, &w.office_a).await;
        assert_eq!(starts.len(), 75, "advisor A's template in the free week");
        let start = starts[0];
        let good = || booking_body(&w.topic, Some(&w.office_a), start, PERSONAL_IDS[0]);
        let bad = |pointer: &str, value: Value| with(good(), pointer, value);
        let several = with(
            with(
                with(bad("/personal_id", json!("131052-308U")), "/email", json!("maija@")),
                "/phone",
                json!("12ab"),
            ),
            "/language",
            json!("de"),
        );
        let cases: Vec<(Value, &[&str])> = vec![
            (bad("/personal_id", json!("131052-308U")), &["personal_id"]),
            (bad("/personal_id", json!("310252-308T")), &["personal_id"]),
            (bad("/personal_id", json!("131052G308T")), &["personal_id"]),
            (bad("/email", json!("maija@")), &["email"]),
            // Addresses the mailer cannot send to: refused here, not dead in the outbox.
            (bad("/email", json!("a,b@example.fi")), &["email"]),
            (bad("/email", json!("x<y@example.fi")), &["email"]),
            (bad("/phone", json!("12ab")), &["phone"]),
            (bad("/language", json!("de")), &["language"]),
            (bad("/description", json!("")), &["description"]),
            (bad("/description", json!("x".repeat(1001))), &["description"]),
            (without(good(), "/office_id"), &["office_id"]),
            (without(bad("/channel", json!("phone")), "/phone"), &["phone"]),
            (bad("/start", json!(start + Duration::minutes(10))), &["start"]),
            (several, &["email", "language", "personal_id", "phone"]),
            (bad("/start", json!("tomorrow")), &["start"]),
        ];
        let before = bookings_seen(&w, local_day(start)).await;
        for (body, fields) in cases {
            let res = w.api.anonymous(&Call::post("/api/v1/bookings", body.clone())).await;
            let mut got = res.invalid_fields();
            got.sort();
            assert_eq!(got, fields, "{body}: {}", res.text());
            assert_eq!(bookings_seen(&w, local_day(start)).await, before, "{body} was refused yet booked");
        }

        // The request the cases spoil is good: it books that time.
        let created = book(&w.api, good()).await;
        assert_eq!(instant(&created["start"]), start);
        let (after, _) = bookings_seen(&w, local_day(start)).await;
        assert_eq!(after, starts[1..], "the booked time is no longer free");
    }

    async fn manage_tokens_open_only_their_booking(db) {
        let w = World::bookable(db).await;
        let starts = free_week_starts(&w.api, &w.topic, &w.office_a).await;
        let a = visit(&w, &w.office_a, starts[0], PERSONAL_IDS[0]).await;
        let b = visit(&w, &w.office_a, starts[1], PERSONAL_IDS[1]).await;
        let token = |created: &Value| created["manage_token"].as_str().unwrap().to_owned();
        let reference = |created: &Value| created["reference"].as_str().unwrap().to_owned();
        let manage_calls = |created: &Value| {
            let path = format!("/api/v1/bookings/{}", reference(created));
            vec![
                Call::get(&path),
                post_empty(format!("{path}/cancel")),
                Call::post(format!("{path}/reschedule"), json!({ "start": starts[2] })),
                Call::get(format!("{path}/ics")),
            ]
        };
        let b_id: BookingId = booking_id(&b).parse().expect("a booking id");
        let expired = aukiolo_store::links::ManageLinks::new(SECRET).issue_until(b_id, &reference(&b), w.api.now() - Duration::hours(1));
        let bearer = |t: &str| Some(format!("Bearer {t}"));
        let credentials = [
            ("A's manage link", bearer(&token(&a)), StatusCode::FORBIDDEN),
            ("a token that is not a JWT", bearer("not.a.token"), StatusCode::UNAUTHORIZED),
            ("B's link, expired", bearer(&expired), StatusCode::UNAUTHORIZED),
            ("an admin's staff token", bearer(&w.admin.token), StatusCode::UNAUTHORIZED),
            ("no Authorization header", None, StatusCode::UNAUTHORIZED),
        ];
        for (who, authorization, status) in credentials {
            refused(&w.api, who, authorization.as_deref(), &manage_calls(&b), status).await;
        }

        // Each link still opens its own booking, which nothing above changed.
        for (created, i) in [(&a, 0), (&b, 1)] {
            let calls = manage_calls(created);
            let view = w.api.call(&calls[0], &token(created)).await.expect(StatusCode::OK);
            assert_eq!(view["status"], "booked", "{view}");
            assert_eq!(instant(&view["start"]), starts[i]);
            let ics = w.api.call(&calls[3], &token(created)).await;
            assert_eq!(ics.status, StatusCode::OK, "{}", ics.text());
            assert!(ics.text().contains(&reference(created)), "{}", ics.text());
        }
        let free = free_week_starts(&w.api, &w.topic, &w.office_a).await;
        assert_eq!(free, starts[2..], "the refused reschedule took nothing");
    }

    async fn a_purged_booking_is_read_without_its_personal_data(db) {
        let w = World::bookable(db).await;
        let starts = free_week_starts(&w.api, &w.topic, &w.office_a).await;
        let created = visit(&w, &w.office_a, starts[0], PERSONAL_IDS[0]).await;
        let id = booking_id(&created);
        let reference = created["reference"].as_str().unwrap().to_owned();
        let start = starts[0];
        let cutoffs = aukiolo_store::retention::Cutoffs { now: start + Duration::days(800), bookings: start + Duration::hours(1), audit: start, outbox: start };
        assert_eq!(aukiolo_store::retention::purge(&mut db.conn(), &cutoffs).unwrap().bookings, 1);

        let staff_view = detail(&w, &id).await;
        assert_eq!(staff_view["personal_id"], Value::Null, "{staff_view}");
        assert_eq!((&staff_view["name"], &staff_view["email"], &staff_view["description"]), (&json!(""), &json!(""), &json!("")), "{staff_view}");
        assert_eq!(instant(&staff_view["purged_at"]), cutoffs.now);
        assert_eq!(staff_view["reference"], reference.as_str());
        // Even a link that has not expired (links end a day after the visit, long before
        // any purge) opens nothing of it.
        let b_id: BookingId = id.parse().expect("a booking id");
        let link = aukiolo_store::links::ManageLinks::new(SECRET).issue_until(b_id, &reference, w.api.now() + Duration::days(1));
        let gone = w.api.call(&Call::get(format!("/api/v1/bookings/{reference}")), &link).await;
        gone.expect_problem(StatusCode::GONE);
    }

    async fn staff_scope_for_bookings(db) {
        let mut w = World::bookable(db).await;
        let advisor = in_office_a(&w, db, Role::Advisor).await;
        let lead = member(&w.api, db, "lead@aukiolo.test", Role::PilotLead, None).await;
        let (in_a, in_b) = (
            free_week_starts(&w.api, &w.topic, &w.office_a).await,
            free_week_starts(&w.api, &w.topic, &w.office_b).await,
        );
        let booking_a = booking_id(&visit(&w, &w.office_a, in_a[0], PERSONAL_IDS[0]).await);
        let booking_b = booking_id(&visit(&w, &w.office_b, in_b[0], PERSONAL_IDS[1]).await);
        let work_a = office_work(&w, &w.office_a, &w.advisor_a, &booking_a, in_a[1]);
        let work_b = office_work(&w, &w.office_b, &w.advisor_b, &booking_b, in_b[1]);
        let bearer = |m: &Member| format!("Bearer {}", m.token);

        refused(&w.api, "advisor of A", Some(&bearer(&advisor)), &work_b, StatusCode::FORBIDDEN).await;
        let everything: Vec<Call> = [work_b.clone(), other_staff_work(&booking_b)].concat();
        refused(&w.api, "pilot lead", Some(&bearer(&lead)), &everything, StatusCode::FORBIDDEN).await;
        refused(&w.api, "anonymous", None, &everything, StatusCode::UNAUTHORIZED).await;

        assert_eq!(detail(&w, &booking_b).await["status"], "booked");
        assert_eq!(
            free_week_starts(&w.api, &w.topic, &w.office_b).await,
            in_b[1..],
            "office B: only the citizen's booking"
        );
        // The same work in the advisor's own office is allowed, at the visit's time.
        w.at(in_a[0] - Duration::minutes(30)).await;
        let advisor = signed_in_again(&w.api, &advisor).await;
        for call in &work_a {
            w.api.call(call, &advisor.token).await.expect_success();
        }
        assert_eq!(detail(&w, &booking_a).await["status"], "arrived");
    }

    async fn staff_booking_overrides_notice_but_not_one_per_slot(db) {
        let w = World::bookable(db).await;
        let advisor = in_office_a(&w, db, Role::Advisor).await;
        // The first free time (two hours' default notice): some working hours lie within
        // any week, even over Christmas; an hour's margin keeps it inside the new notice.
        let (now, today) = (w.api.now(), today());
        let soon = free_times(&w.api, &w.topic, Some(&w.office_a), today, today + Duration::days(8))
            .await
            .iter()
            .map(|t| instant(&t["start"]))
            .find(|t| *t < now + Duration::days(7) - Duration::hours(1))
            .expect("a free time in the coming week");
        set_booking_rules(&w.api, &w.admin.token, &w.office_a, json!({ "min_notice_minutes": 10080 })).await;
        let body = |personal_id: &str| booking_body(&w.topic, Some(&w.office_a), soon, personal_id);

        let citizen = w.api.anonymous(&Call::post("/api/v1/bookings", body(PERSONAL_IDS[0]))).await;
        assert_eq!(citizen.invalid_fields(), ["start"], "inside a week's notice");

        let created = w
            .api
            .call(&by_staff(body(PERSONAL_IDS[0]), "walk_in"), &advisor.token)
            .await
            .expect(StatusCode::CREATED);
        assert_eq!(instant(&created["start"]), soon);
        let booked = detail(&w, &booking_id(&created)).await;
        assert_eq!(
            (&booked["status"], &booked["booked_by"], &booked["advisor_id"]),
            (&json!("booked"), &json!("walk_in"), &json!(w.advisor_a))
        );

        let taken = w.api.call(&by_staff(body(PERSONAL_IDS[1]), "advisor"), &advisor.token).await;
        let problem = taken.expect_problem(StatusCode::CONFLICT);
        assert_eq!(problem["type"], "urn:aukiolo:problem:time-taken", "{problem}");
        let alternatives = problem["alternatives"].as_array().expect("alternatives");
        assert!(!alternatives.is_empty(), "{problem}");
        assert!(
            alternatives.iter().all(|t| instant(&t["start"]) > soon),
            "alternatives come after the taken time: {problem}"
        );

        let citizen_self = w.api.call(&by_staff(body(PERSONAL_IDS[2]), "citizen_self"), &advisor.token).await;
        assert_eq!(citizen_self.invalid_fields(), ["booked_by"]);
    }

    async fn phone_appointments_and_call_attempts(db) {
        let mut w = World::bookable(db).await;
        let admin = w.admin.token.clone();
        let advisor = in_office_a(&w, db, Role::Advisor).await;
        let topic = create(
            &w.api,
            &admin,
            "/api/v1/topics",
            with(topic_body("pensions"), "/channels", json!(["office", "phone"])),
        )
        .await;
        let phone_advisor = create(
            &w.api,
            &admin,
            "/api/v1/advisors",
            with(advisor_body(&w.office_a, &[&topic]), "/channels", json!(["phone"])),
        )
        .await;
        // Tuesdays, by phone.
        create(
            &w.api,
            &admin,
            "/api/v1/schedule-rules",
            with(rule_body(&phone_advisor, 2), "/channel", json!("phone")),
        )
        .await;

        let monday = free_week_monday();
        let times = free_times(&w.api, &topic, None, monday, monday + Duration::days(7)).await;
        assert_eq!(times.len(), 15, "one Tuesday of phone slots: {times:?}");
        for t in &times {
            assert_eq!((&t["channel"], &t["office_id"]), (&json!("phone"), &Value::Null), "{t}");
        }
        let call_start = instant(&times[0]["start"]);
        let call = book(&w.api, booking_body(&topic, None, call_start, PERSONAL_IDS[0])).await;
        assert_eq!((&call["channel"], &call["office_id"]), (&json!("phone"), &json!(w.office_a)));
        let first_visit = free_week_starts(&w.api, &w.topic, &w.office_a).await[0];
        let office_visit = booking_id(&visit(&w, &w.office_a, first_visit, PERSONAL_IDS[1]).await);

        let attempt = |id: &str, reached: bool| {
            Call::post(staff_booking(&format!("{id}/call-attempts")), json!({ "reached": reached }))
        };
        let call = booking_id(&call);
        // A call logged a day early is refused, and logs nothing.
        w.at(call_start - Duration::days(1)).await;
        let advisor = signed_in_again(&w.api, &advisor).await;
        let early = w.api.call(&attempt(&call, false), &advisor.token).await.expect_problem(StatusCode::CONFLICT);
        assert!(
            early["detail"].as_str().unwrap().starts_with("too early: a call attempt can be recorded from"),
            "{early}"
        );
        // In the window, from ten minutes before: an answered call (the line dropped,
        // say) does not count towards "not reached"; the third unanswered one makes it.
        w.at(call_start - Duration::minutes(5)).await;
        let advisor = signed_in_again(&w.api, &advisor).await;
        let calls = [(false, 1, "booked"), (true, 1, "booked"), (false, 2, "booked"), (false, 3, "not_reached")];
        for (reached, n, status) in calls {
            let logged = w.api.call(&attempt(&call, reached), &advisor.token).await.expect(StatusCode::CREATED);
            assert_eq!(logged, json!({ "attempts": n, "status": status }), "unanswered {n}");
            w.api.clock.advance(Duration::minutes(2));
        }
        assert_eq!(detail(&w, &call).await["status"], "not_reached");
        for id in [&call, &office_visit] {
            w.api.call(&attempt(id, false), &advisor.token).await.expect_problem(StatusCode::CONFLICT);
        }
        assert_eq!(detail(&w, &office_visit).await["status"], "booked");

        // The citizen is told how to book again; nothing else about the time is left.
        let outbox = w.api.call(&Call::get("/api/v1/admin/outbox?limit=100"), &w.admin.token).await.expect(StatusCode::OK);
        let of_call: Vec<(&str, &str)> = outbox
            .as_array()
            .expect("a list")
            .iter()
            .filter(|m| m["booking_id"] == json!(call))
            .map(|m| (m["kind"].as_str().unwrap(), m["status"].as_str().unwrap()))
            .collect();
        assert!(of_call.contains(&("not_reached", "pending")), "{of_call:?}");
        assert!(of_call.iter().all(|(k, s)| *k == "not_reached" || *s == "void"), "{of_call:?}");

        // The calls as logged, oldest first, in the caller's office only.
        let list_call = Call::get(staff_booking(&format!("{call}/call-attempts")));
        let logged = w.api.call(&list_call, &advisor.token).await.expect(StatusCode::OK);
        let reached: Vec<&Value> = logged.as_array().expect("a list").iter().map(|c| &c["reached"]).collect();
        assert_eq!(reached, [&json!(false), &json!(true), &json!(false), &json!(false)], "{logged}");
        assert!(logged.as_array().unwrap().iter().all(|c| c["staff_id"] == json!(advisor.id)), "{logged}");
        let elsewhere = member(&w.api, db, "neuvoja@tikkurila.aukiolo.test", Role::Advisor, Some(&w.office_b)).await;
        w.api.call(&list_call, &elsewhere.token).await.expect_problem(StatusCode::FORBIDDEN);
    }

    async fn assessments(db) {
        let mut w = World::bookable(db).await;
        let advisor = in_office_a(&w, db, Role::Advisor).await;
        let manager = in_office_a(&w, db, Role::OfficeManager).await;
        let start = free_week_starts(&w.api, &w.topic, &w.office_a).await[0];
        let id = booking_id(&visit(&w, &w.office_a, start, PERSONAL_IDS[0]).await);
        let assess = |body: Value| Call::post(staff_booking(&format!("{id}/assessment")), body);
        let read = Call::get(staff_booking(&format!("{id}/assessment")));

        w.api.call(&assess(assessment_body()), &advisor.token).await.expect_problem(StatusCode::CONFLICT);
        w.api.call(&read, &advisor.token).await.expect_problem(StatusCode::NOT_FOUND);
        w.at(start - Duration::minutes(10)).await;
        let (advisor, manager) = (signed_in_again(&w.api, &advisor).await, signed_in_again(&w.api, &manager).await);
        for (action, status) in [("arrive", "arrived"), ("start", "in_service"), ("complete", "completed")] {
            w.api.clock.advance(Duration::minutes(10));
            let after = w
                .api
                .call(&post_empty(staff_booking(&format!("{id}/{action}"))), &advisor.token)
                .await
                .expect(StatusCode::OK);
            assert_eq!(after["status"], status, "after {action}");
        }
        let corrected = with(
            with(assessment_body(), "/resolved_at_once", json!(false)),
            "/personal_service_reasons",
            json!(["health"]),
        );
        let written = w.api.now();
        for body in [assessment_body(), corrected.clone()] {
            let saved = w.api.call(&assess(body.clone()), &advisor.token).await.expect(StatusCode::OK);
            assert_eq!(saved, body, "the author may correct it the same day");
            w.api.clock.advance(Duration::minutes(5));
        }
        let record = w.api.call(&read, &manager.token).await.expect(StatusCode::OK);
        assert_eq!(
            (&record["author_id"], instant(&record["created_at"]), instant(&record["updated_at"])),
            (&json!(advisor.id), written, written + Duration::minutes(5)),
            "{record}"
        );
        assert_eq!(record["resolved_at_once"], corrected["resolved_at_once"], "{record}");
        w.api.call(&assess(assessment_body()), &manager.token).await.expect_problem(StatusCode::CONFLICT);
        let twice =
            with(assessment_body(), "/personal_service_reasons", json!(["health", "other", "health"]));
        let res = w.api.call(&assess(twice), &advisor.token).await;
        assert_eq!(res.invalid_fields(), ["personal_service_reasons"]);
    }

    async fn walk_ins_and_conflicts(db) {
        let w = World::bookable(db).await;
        let (api, a) = (&w.api, w.office_a.as_str());
        let advisor = in_office_a(&w, db, Role::Advisor).await;
        let second = create_advisor(api, &w.admin.token, a, &[&w.topic]).await;
        create_weekday_rules(api, &w.admin.token, &second).await;
        let start = free_week_starts(api, &w.topic, a).await[0];
        let created = visit(&w, a, start, PERSONAL_IDS[0]).await;
        let (old, reference) = (booking_id(&created), created["reference"].as_str().unwrap());

        let logged = api
            .call(&walk_in(a, &w.topic, "booked_now", Some(reference)), &advisor.token)
            .await
            .expect(StatusCode::CREATED);
        assert!(logged["id"].as_str().is_some_and(|id| id.parse::<Uuid>().is_ok()), "{logged}");
        let unknown_topic = Uuid::new_v4().to_string();
        let bad_walk_ins: [(Call, &[&str]); 2] = [
            (walk_in(a, &unknown_topic, "booked_now", Some(reference)), &["topic_id"]),
            (walk_in(a, &w.topic, "booked_now", Some("AAA-AAA-AAA")), &["booking_reference"]),
        ];
        for (call, fields) in bad_walk_ins {
            assert_eq!(
                api.call(&call, &advisor.token).await.invalid_fields(),
                fields,
                "{}",
                call.json_text()
            );
        }

        // The booked advisor falls ill for exactly that time; the other is free then.
        let booked = detail(&w, &old).await;
        let absence = json!({
            "advisor_id": booked["advisor_id"],
            "starts_at": booked["start"],
            "ends_at": booked["end"],
            "kind": "sick_leave",
            "note": null
        });
        create(api, &w.admin.token, "/api/v1/absences", absence).await;
        let conflicts_call = Call::get(format!("/api/v1/staff/offices/{a}/conflicts"));
        let conflicts = api.call(&conflicts_call, &advisor.token).await.expect(StatusCode::OK);
        let [conflict] = conflicts.as_array().expect("a list").as_slice() else {
            panic!("one conflict: {conflicts}");
        };
        assert_eq!(
            (&conflict["reason"], &conflict["same_time_available"], &conflict["booking"]["id"]),
            (&json!("absence"), &json!(true), &json!(old)),
            "{conflict}"
        );
        let masked = conflict["booking"]["personal_id"].as_str().unwrap();
        assert!(masked.ends_with("****") && masked.starts_with("131052-"), "{masked}");

        let moved = api
            .call(&Call::post(staff_booking(&format!("{old}/move")), json!({})), &advisor.token)
            .await
            .expect(StatusCode::OK);
        assert_eq!(instant(&moved["start"]), start, "the same time");
        assert_ne!(moved["reference"], created["reference"]);
        assert_eq!(api.call(&conflicts_call, &advisor.token).await.expect(StatusCode::OK), json!([]));
        let (old, new) = (detail(&w, &old).await, detail(&w, &booking_id(&moved)).await);
        assert_eq!(old["status"], "cancelled_by_office", "{old}");
        assert_eq!((&new["status"], &new["rescheduled_from"]), (&json!("booked"), &old["id"]));
        assert_ne!(new["advisor_id"], old["advisor_id"], "another advisor");
    }

    async fn audit_log_records_personal_data_reads(db) {
        let w = World::bookable(db).await;
        let advisor = in_office_a(&w, db, Role::Advisor).await;
        let manager = in_office_a(&w, db, Role::OfficeManager).await;
        let start = free_week_starts(&w.api, &w.topic, &w.office_a).await[0];
        let id = booking_id(&visit(&w, &w.office_a, start, PERSONAL_IDS[0]).await);

        let day = w
            .api
            .call(&day_call(&w.advisor_a, local_day(start)), &advisor.token)
            .await
            .expect(StatusCode::OK);
        let shown: Vec<&Value> =
            day["slots"].as_array().expect("slots").iter().filter(|s| !s["booking"].is_null()).collect();
        assert_eq!(shown.len(), 1, "{day}");
        assert_eq!(shown[0]["booking"]["personal_id"], PERSONAL_IDS[0], "whole in the day view");
        let read = w.api.call(&Call::get(staff_booking(&id)), &advisor.token).await.expect(StatusCode::OK);
        assert_eq!(read["personal_id"], PERSONAL_IDS[0], "whole in the detail");

        let log = Call::get(format!("/api/v1/admin/audit-log?booking_id={id}"));
        let entries = w.api.call(&log, &w.admin.token).await.expect(StatusCode::OK);
        let entries = entries.as_array().expect("a list");
        assert!(entries.iter().all(|e| e["booking_id"] == json!(id)), "{entries:?}");
        let by_advisor: Vec<&str> = entries
            .iter()
            .filter(|e| e["staff_id"] == json!(advisor.id))
            .filter_map(|e| e["action"].as_str())
            .collect();
        for action in ["read_day_view", "read_booking"] {
            assert!(by_advisor.contains(&action), "{action} by the advisor in {entries:?}");
        }
        w.api.call(&log, &manager.token).await.expect_problem(StatusCode::FORBIDDEN);
    }

    /// Visits follow the clock: arrival from an hour before (two hours is too early, half
    /// an hour is fine), a no-show only from the start, a mistaken no-show corrected the
    /// same day but not the next.
    async fn visit_states_follow_the_clock(db) {
        let mut w = World::bookable(db).await;
        let starts = free_week_starts(&w.api, &w.topic, &w.office_a).await;
        let (first, second) = (starts[0], starts[1]);
        let arriving = booking_id(&visit(&w, &w.office_a, first, PERSONAL_IDS[0]).await);
        let missing = booking_id(&visit(&w, &w.office_a, second, PERSONAL_IDS[1]).await);
        let advisor = in_office_a(&w, db, Role::Advisor).await;
        let act = |id: &str, action: &str| post_empty(staff_booking(&format!("{id}/{action}")));
        let refused_because = |problem: Value, why: &str| {
            assert_eq!(problem["type"], "urn:aukiolo:problem:conflict", "{problem}");
            let detail = problem["detail"].as_str().unwrap_or_default().to_owned();
            assert!(detail.starts_with(why), "{detail}");
        };

        w.at(first - Duration::hours(2)).await;
        let advisor = signed_in_again(&w.api, &advisor).await;
        let early = w.api.call(&act(&arriving, "arrive"), &advisor.token).await.expect_problem(StatusCode::CONFLICT);
        refused_because(early, "too early: arrival can be recorded from");
        w.at(first - Duration::minutes(30)).await;
        let advisor = signed_in_again(&w.api, &advisor).await;
        let arrived = w.api.call(&act(&arriving, "arrive"), &advisor.token).await.expect(StatusCode::OK);
        assert_eq!(arrived["status"], "arrived");

        w.at(second - Duration::minutes(1)).await;
        let advisor = signed_in_again(&w.api, &advisor).await;
        let early = w.api.call(&act(&missing, "no-show"), &advisor.token).await.expect_problem(StatusCode::CONFLICT);
        refused_because(early, "too early: a no-show can be recorded from");
        w.api.clock.advance(Duration::minutes(6));
        let no_show = w.api.call(&act(&missing, "no-show"), &advisor.token).await.expect(StatusCode::OK);
        assert_eq!(no_show["status"], "no_show");
        // A mistake, put right the same day; marked again, it cannot be undone the next day.
        w.api.clock.advance(Duration::minutes(10));
        let back = w.api.call(&act(&missing, "reinstate"), &advisor.token).await.expect(StatusCode::OK);
        assert_eq!(back["status"], "booked");
        w.api.call(&act(&missing, "no-show"), &advisor.token).await.expect(StatusCode::OK);
        let events = w.api.call(&Call::get(staff_booking(&format!("{missing}/events"))), &advisor.token).await;
        let kinds: Vec<String> = events.expect(StatusCode::OK).as_array().unwrap().iter()
            .map(|e| e["kind"].as_str().unwrap().to_owned()).collect();
        assert_eq!(kinds, ["booked", "no_show", "booked", "no_show"]);
        let next_day = aukiolo_domain::slots::local_day_start(TZ, local_day(second) + Duration::days(1));
        w.at(next_day + Duration::hours(8)).await;
        let advisor = signed_in_again(&w.api, &advisor).await;
        let late = w.api.call(&act(&missing, "reinstate"), &advisor.token).await.expect_problem(StatusCode::CONFLICT);
        refused_because(late, "too late: putting it back to booked was possible until");
        assert_eq!(detail(&w, &missing).await["status"], "no_show");
        // Nor can yesterday's visit be started now.
        let late = w.api.call(&act(&arriving, "start"), &advisor.token).await.expect_problem(StatusCode::CONFLICT);
        refused_because(late, "too late: the start of service was possible until");
    }

    /// A staff booking's answer carries the booking's id, as does a move's; a move to the
    /// same time with no other advisor free says so, with the next free times.
    async fn staff_answers_carry_the_id_and_moves_say_why_not(db) {
        let w = World::bookable(db).await;
        let advisor = in_office_a(&w, db, Role::Advisor).await;
        let starts = free_week_starts(&w.api, &w.topic, &w.office_a).await;
        let body = booking_body(&w.topic, Some(&w.office_a), starts[0], PERSONAL_IDS[0]);
        let created = w.api.call(&by_staff(body, "phone_service"), &advisor.token).await.expect(StatusCode::CREATED);
        let id = created["id"].as_str().unwrap_or_else(|| panic!("an id in {created}")).to_owned();
        assert_eq!(id, booking_id(&created), "the booking's own id");
        assert_eq!(detail(&w, &id).await["booked_by"], "phone_service");

        // Advisor A is the office's only advisor: nobody else is free then.
        let same_time = Call::post(staff_booking(&format!("{id}/move")), json!({}));
        let problem = w.api.call(&same_time, &advisor.token).await.expect_problem(StatusCode::CONFLICT);
        assert_eq!(problem["type"], "urn:aukiolo:problem:no-advisor-free", "{problem}");
        let at = starts[0].to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        assert!(problem["detail"].as_str().unwrap().starts_with(&format!("no other advisor is free at {at}")), "{problem}");
        assert!(!problem["alternatives"].as_array().expect("alternatives").is_empty(), "{problem}");
        assert_eq!(detail(&w, &id).await["status"], "booked", "nothing moved");

        let later = Call::post(staff_booking(&format!("{id}/move")), json!({ "start": starts[3] }));
        let moved = w.api.call(&later, &advisor.token).await.expect(StatusCode::OK);
        let new_id = moved["id"].as_str().expect("the new booking's id");
        assert_eq!(new_id, booking_id(&moved));
        assert_eq!(detail(&w, new_id).await["rescheduled_from"], json!(id));
    }

    /// Staff can ask for one office's phone times (its phone advisors), and book them
    /// there; citizens are served by every office's.
    async fn phone_times_for_staff_by_office(db) {
        let w = World::bookable(db).await;
        let admin = w.admin.token.clone();
        let topic = create(&w.api, &admin, "/api/v1/topics", with(topic_body("tax_card"), "/channels", json!(["phone"]))).await;
        // A's phone advisor works on Tuesdays, B's on Wednesdays.
        for (office, weekday) in [(&w.office_a, 2), (&w.office_b, 3)] {
            let body = with(advisor_body(office, &[&topic]), "/channels", json!(["phone"]));
            let phone_advisor = create(&w.api, &admin, "/api/v1/advisors", body).await;
            let rule = with(rule_body(&phone_advisor, weekday), "/channel", json!("phone"));
            create(&w.api, &admin, "/api/v1/schedule-rules", rule).await;
        }
        let monday = free_week_monday();
        let (tuesday, wednesday) = (monday + Duration::days(1), monday + Duration::days(2));
        let days_of = |times: &Value| -> Vec<NaiveDate> {
            let mut days: Vec<NaiveDate> =
                times["times"].as_array().expect("times").iter().map(|t| local_day(instant(&t["start"]))).collect();
            days.dedup();
            days
        };
        let week = format!("topic_id={topic}&channel=phone&language=fi&from={monday}&to={}", monday + Duration::days(7));
        let staff_times = |office: Option<&str>| {
            let office = office.map(|o| format!("&office_id={o}")).unwrap_or_default();
            Call::get(format!("/api/v1/staff/availability?{week}{office}"))
        };
        let advisor = in_office_a(&w, db, Role::Advisor).await;

        let everyone = w.api.anonymous(&Call::get(format!("/api/v1/availability?{week}&office_id={}", w.office_a))).await;
        assert_eq!(days_of(&everyone.expect(StatusCode::OK)), [tuesday, wednesday], "citizens: every office");
        let of_a = w.api.call(&staff_times(Some(&w.office_a)), &admin).await.expect(StatusCode::OK);
        assert_eq!(days_of(&of_a), [tuesday]);
        let of_b = w.api.call(&staff_times(Some(&w.office_b)), &admin).await.expect(StatusCode::OK);
        assert_eq!(days_of(&of_b), [wednesday]);
        assert_eq!(days_of(&w.api.call(&staff_times(None), &admin).await.expect(StatusCode::OK)), [tuesday, wednesday]);
        let own = w.api.call(&staff_times(None), &advisor.token).await.expect(StatusCode::OK);
        assert_eq!(days_of(&own), [tuesday], "an advisor's own office by default");
        w.api.call(&staff_times(Some(&w.office_b)), &advisor.token).await.expect_problem(StatusCode::FORBIDDEN);
        w.api.anonymous(&staff_times(None)).await.expect_problem(StatusCode::UNAUTHORIZED);

        // Booked by staff for office B, the appointment is B's.
        let at = instant(&of_b["times"][0]["start"]);
        let body = plus(booking_body(&topic, None, at, PERSONAL_IDS[0]), "office_id", json!(w.office_b));
        let created = w.api.call(&by_staff(body, "phone_service"), &admin).await.expect(StatusCode::CREATED);
        assert_eq!((&created["channel"], &created["office_id"]), (&json!("phone"), &json!(w.office_b)));
    }

    /// A booking longer than one slot whose time is lost is one conflict, in both lists.
    async fn conflicts_are_listed_once_per_booking(db) {
        let w = World::bookable(db).await;
        let admin = w.admin.token.clone();
        let advisor = in_office_a(&w, db, Role::Advisor).await;
        let long = create(&w.api, &admin, "/api/v1/topics", with(topic_body("rehabilitation"), "/duration_minutes", json!(60))).await;
        let body = advisor_body(&w.office_a, &[&long]);
        let put = with(body, "/topic_ids", json!([w.topic, long]));
        w.api.call(&Call::put(format!("/api/v1/advisors/{}", w.advisor_a), put), &admin).await.expect(StatusCode::OK);
        let start = free_week_starts(&w.api, &long, &w.office_a).await[0];
        let id = booking_id(&book(&w.api, booking_body(&long, Some(&w.office_a), start, PERSONAL_IDS[0])).await);
        let booked = detail(&w, &id).await;
        assert_eq!(instant(&booked["end"]) - start, Duration::minutes(60), "two slots");
        let absence = json!({
            "advisor_id": w.advisor_a, "starts_at": booked["start"], "ends_at": booked["end"],
            "kind": "sick_leave", "note": null
        });
        create(&w.api, &admin, "/api/v1/absences", absence).await;

        for token in [&admin, &advisor.token] {
            let listed = w.api.call(&Call::get(format!("/api/v1/staff/offices/{}/conflicts", w.office_a)), token).await;
            let listed = listed.expect(StatusCode::OK);
            let [one] = listed.as_array().expect("a list").as_slice() else { panic!("one conflict: {listed}") };
            let booking = &one["booking"];
            assert_eq!(
                (&booking["id"], &one["reason"], instant(&booking["start"]), instant(&booking["end"])),
                (&json!(id), &json!("absence"), start, start + Duration::minutes(60)),
                "{one}"
            );
            assert_eq!((instant(&one["since"]), &one["same_time_available"]), (w.api.now(), &json!(false)), "{one}");
        }
        let audited = w.api.call(&Call::get(format!("/api/v1/admin/audit-log?booking_id={id}&action=read_conflicts")), &admin).await;
        assert_eq!(audited.expect(StatusCode::OK).as_array().map(Vec::len), Some(2), "both reads audited");
        // A pilot lead sees the same conflict, without the citizen's booking.
        let lead = member(&w.api, db, "lead@aukiolo.test", Role::PilotLead, None).await;
        let listed = w.api.call(&Call::get(format!("/api/v1/staff/offices/{}/conflicts", w.office_a)), &lead.token).await;
        let listed = listed.expect(StatusCode::OK);
        let [one] = listed.as_array().expect("a list").as_slice() else { panic!("one conflict: {listed}") };
        assert_eq!(
            (&one["booking_id"], &one["reason"], instant(&one["start"]), instant(&one["end"])),
            (&json!(id), &json!("absence"), start, start + Duration::minutes(60)),
            "{one}"
        );
        assert!(one.get("booking").is_none() && one.get("alternatives").is_none(), "no personal data: {one}");
    }

    /// The walk-ins of an office's day, today by default; another office's are out of
    /// scope; database trouble is reported as such, not as a bad field.
    async fn walk_ins_are_listed_by_day(db) {
        let mut w = World::bookable(db).await;
        let advisor = in_office_a(&w, db, Role::Advisor).await;
        let (a, topic) = (w.office_a.clone(), w.topic.clone());
        let log = |outcome: &str| walk_in(&a, &topic, outcome, None);
        let list = |date: Option<NaiveDate>| {
            let query = date.map(|d| format!("?date={d}")).unwrap_or_default();
            Call::get(format!("/api/v1/staff/offices/{a}/walk-ins{query}"))
        };
        w.api.call(&log("directed_to_eservice"), &advisor.token).await.expect(StatusCode::CREATED);
        w.api.call(&log("left"), &advisor.token).await.expect(StatusCode::CREATED);
        let today = w.api.call(&list(None), &advisor.token).await.expect(StatusCode::OK);
        let outcomes: Vec<&Value> = today.as_array().expect("a list").iter().map(|x| &x["outcome"]).collect();
        assert_eq!(outcomes, [&json!("directed_to_eservice"), &json!("left")], "{today}");
        assert!(today.as_array().unwrap().iter().all(|x| x["staff_id"] == json!(advisor.id) && x["office_id"] == json!(a)));
        assert_eq!(w.api.call(&list(Some(common::today())), &advisor.token).await.expect(StatusCode::OK), today);

        w.at(w.api.now() + Duration::days(1)).await;
        let advisor = signed_in_again(&w.api, &advisor).await;
        assert_eq!(w.api.call(&list(None), &advisor.token).await.expect(StatusCode::OK), json!([]), "a new day");
        assert_eq!(w.api.call(&list(Some(common::today())), &advisor.token).await.expect(StatusCode::OK), today);
        let bad_day = w.api.call(&Call::get(format!("/api/v1/staff/offices/{a}/walk-ins?date=2027-02-30")), &advisor.token).await;
        assert_eq!(bad_day.invalid_fields(), ["date"]);
        let elsewhere = member(&w.api, db, "neuvoja@tikkurila.aukiolo.test", Role::Advisor, Some(&w.office_b)).await;
        w.api.call(&list(None), &elsewhere.token).await.expect_problem(StatusCode::FORBIDDEN);

        // With the topics unreadable, logging fails as the database's trouble (500), not
        // as "no such topic".
        diesel::connection::SimpleConnection::batch_execute(&mut *db.conn(), "ALTER TABLE topics RENAME TO topics_away")
            .expect("rename");
        let res = w.api.call(&log("left"), &advisor.token).await;
        let problem = res.expect_problem(StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(problem["type"], "urn:aukiolo:problem:internal", "{problem}");
    }
}
