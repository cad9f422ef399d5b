//! Input validation over HTTP: every write endpoint answers bad input with a 422 problem
//! naming each bad field and writes nothing; a body that is not JSON is a 400 (of another
//! media type, 415); and a
//! calendar built through the API offers exactly the slots its template describes. Every
//! test runs on SQLite and PostgreSQL.

mod common;

use actix_web::http::StatusCode;
use aukiolo_domain::staff::Role;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, SecondsFormat, TimeZone, Utc};
use common::*;
use serde_json::{json, Value};
use uuid::Uuid;

/// A refused request and the fields its problem must name (in any order).
#[derive(Clone)]
struct Case {
    call: Call,
    fields: &'static [&'static str],
}

fn case(call: Call, fields: &'static [&'static str]) -> Case {
    Case { call, fields }
}

/// The shared world, with advisor A on the standard weekday template (so it has slots).
async fn world_with_rules(db: &aukiolo_store::test_support::TestDb) -> (World, Vec<String>) {
    let w = World::new(db).await;
    let rules = create_weekday_rules(&w.api, &w.admin.token, &w.advisor_a).await;
    (w, rules)
}

/// Sends each case as the admin: 422 naming exactly the case's fields, and nothing changed.
async fn assert_refused(w: &World, cases: Vec<Case>) {
    let before = snapshot(w).await;
    let slots = before.last().and_then(|(_, s)| s.as_array()).map_or(0, Vec::len);
    assert_eq!(slots, 75, "advisor A's template gives office A slots to compare");
    for Case { call, fields } in cases {
        let res = w.api.call(&call, &w.admin.token).await;
        let mut got = res.invalid_fields();
        got.sort();
        let mut want: Vec<&str> = fields.to_vec();
        want.sort_unstable();
        assert_eq!(got, want, "{} with {}: {}", res.label, call.json_text(), res.text());
        assert_eq!(snapshot(w).await, before, "{} was refused yet changed something", res.label);
    }
}

/// `n` characters.
fn long(n: usize) -> String {
    "x".repeat(n)
}

aukiolo_store::backend_tests! {
    async fn offices_name_every_bad_field(db) {
        let (w, _) = world_with_rules(db).await;
        let post = |body: Value| Call::post("/api/v1/offices", body);
        let put = |body: Value| Call::put(format!("/api/v1/offices/{}", w.office_a), body);
        let good = || office_body("Pasila");
        let two_bad = with(
            with(good(), "/address/postal_code", json!("123")),
            "/time_zone",
            json!("Mars/Olympus"),
        );
        let three_bad = with(
            with(
                with(good(), "/name/sv", json!(" ")),
                "/languages",
                json!([]),
            ),
            "/pilot_group",
            json!(""),
        );
        assert_refused(
            &w,
            vec![
                case(post(two_bad.clone()), &["address.postal_code", "time_zone"]),
                case(post(without(good(), "/service_mode")), &["service_mode"]),
                case(
                    post(without(good(), "/address/postal_code")),
                    &["address.postal_code"],
                ),
                case(
                    post(with(good(), "/service_mode", json!("sometimes"))),
                    &["service_mode"],
                ),
                case(
                    post(with(good(), "/languages", json!(["fi", "FIN"]))),
                    &["languages[1]"],
                ),
                case(post(three_bad), &["name.sv", "languages", "pilot_group"]),
                case(put(two_bad), &["address.postal_code", "time_zone"]),
                case(
                    put(with(good(), "/address/postal_code", json!("ABCDE"))),
                    &["address.postal_code"],
                ),
                case(put(with(good(), "/time_zone", json!(42))), &["time_zone"]),
                case(put(with(good(), "/phone", json!(long(41)))), &["phone"]),
                case(put(without(good(), "/name")), &["name"]),
                case(put(plus(good(), "pilot_start", json!("1999-12-31"))), &["pilot_start"]),
                case(put(plus(good(), "pilot_start", json!("2027-02-30"))), &["pilot_start"]),
            ],
        )
        .await;
    }

    async fn topics_name_every_bad_field(db) {
        let (w, _) = world_with_rules(db).await;
        create_topic(&w.api, &w.admin.token, "pensions").await;
        let post = |body: Value| Call::post("/api/v1/topics", body);
        let put = |body: Value| Call::put(format!("/api/v1/topics/{}", w.topic), body);
        let good = || topic_body("parking_permits");
        let three_bad = with(
            with(
                with(good(), "/code", json!("Bad Code")),
                "/duration_minutes",
                json!(7),
            ),
            "/channels",
            json!([]),
        );
        assert_refused(
            &w,
            vec![
                case(
                    post(with(good(), "/duration_minutes", json!("long"))),
                    &["duration_minutes"],
                ),
                case(post(three_bad), &["code", "duration_minutes", "channels"]),
                case(post(without(good(), "/channels")), &["channels"]),
                case(
                    post(with(good(), "/channels", json!(["office", "fax"]))),
                    &["channels[1]"],
                ),
                case(
                    post(with(good(), "/what_to_bring/en", json!(long(2001)))),
                    &["what_to_bring.en"],
                ),
                case(post(topic_body("housing_allowance")), &["code"]),
                case(
                    put(with(good(), "/duration_minutes", json!(0))),
                    &["duration_minutes"],
                ),
                case(put(topic_body("pensions")), &["code"]),
                case(put(with(good(), "/name/fi", json!(""))), &["name.fi"]),
            ],
        )
        .await;
    }

    async fn advisors_name_every_bad_field(db) {
        let (w, _) = world_with_rules(db).await;
        let (a, topic, unknown) = (
            w.office_a.as_str(),
            w.topic.as_str(),
            Uuid::new_v4().to_string(),
        );
        let post = |body: Value| Call::post("/api/v1/advisors", body);
        let put = |body: Value| Call::put(format!("/api/v1/advisors/{}", w.advisor_a), body);
        let good = || advisor_body(a, &[topic]);
        let three_bad = with(
            with(with(good(), "/name", json!("")), "/languages", json!([])),
            "/channels",
            json!([]),
        );
        assert_refused(
            &w,
            vec![
                case(post(advisor_body(a, &[&unknown])), &["topic_ids[0]"]),
                case(post(advisor_body(a, &[topic, &unknown])), &["topic_ids[1]"]),
                case(post(advisor_body(&unknown, &[topic])), &["office_id"]),
                case(
                    post(advisor_body(&unknown, &[&unknown])),
                    &["office_id", "topic_ids[0]"],
                ),
                case(post(advisor_body("not-a-uuid", &[topic])), &["office_id"]),
                case(post(advisor_body(a, &[topic, topic])), &["topic_ids"]),
                case(post(three_bad), &["name", "languages", "channels"]),
                case(post(without(good(), "/topic_ids")), &["topic_ids"]),
                case(put(advisor_body(a, &[&unknown])), &["topic_ids[0]"]),
                case(put(with(good(), "/active", json!("yes"))), &["active"]),
            ],
        )
        .await;
    }

    async fn schedule_rules_name_every_bad_field(db) {
        let (w, rules) = world_with_rules(db).await;
        let adv = w.advisor_a.as_str();
        let post = |body: Value| Call::post("/api/v1/schedule-rules", body);
        // A Saturday rule would be accepted; each case spoils it.
        let good = || rule_body(adv, 6);
        let times = |start: &str, end: &str| {
            with(
                with(without(good(), "/breaks"), "/start", json!(start)),
                "/end",
                json!(end),
            )
        };
        let monday_morning = with(times("10:00", "11:00"), "/weekday", json!(1));
        assert_refused(
            &w,
            vec![
                case(post(times("16:00", "08:00")), &["end"]),
                case(
                    post(rule_body(&Uuid::new_v4().to_string(), 6)),
                    &["advisor_id"],
                ),
                case(post(monday_morning.clone()), &["start"]),
                case(post(with(good(), "/weekday", json!(8))), &["weekday"]),
                case(
                    post(with(good(), "/slot_minutes", json!(7))),
                    &["slot_minutes"],
                ),
                case(post(with(good(), "/start", json!("25:00"))), &["start"]),
                case(
                    post(with(
                        good(),
                        "/breaks",
                        json!([{ "start": "07:00", "end": "07:30" }]),
                    )),
                    &["breaks[0]"],
                ),
                case(
                    post(with(
                        with(good(), "/valid_from", json!("2030-02-01")),
                        "/valid_until",
                        json!("2030-01-31"),
                    )),
                    &["valid_until"],
                ),
                case(post(without(good(), "/channel")), &["channel"]),
                // Moving a rule onto another is refused like creating one there.
                case(
                    Call::put(
                        format!("/api/v1/schedule-rules/{}", rules[1]),
                        monday_morning,
                    ),
                    &["start"],
                ),
            ],
        )
        .await;
    }

    async fn absences_name_every_bad_field(db) {
        let (w, _) = world_with_rules(db).await;
        let monday = free_week_monday();
        let post = |body: Value| Call::post("/api/v1/absences", body);
        let good = || absence_body(&w.advisor_a, monday);
        let backwards = with(good(), "/ends_at", json!(format!("{monday}T05:00:00Z")));
        assert_refused(
            &w,
            vec![
                case(post(backwards), &["ends_at"]),
                case(
                    post(absence_body(&Uuid::new_v4().to_string(), monday)),
                    &["advisor_id"],
                ),
                case(post(with(good(), "/kind", json!("holiday"))), &["kind"]),
                case(
                    post(with(good(), "/starts_at", json!("tomorrow"))),
                    &["starts_at"],
                ),
                case(post(with(good(), "/note", json!(long(501)))), &["note"]),
                case(post(without(good(), "/kind")), &["kind"]),
                // Dates are bounded like every other: not two centuries ahead.
                case(
                    post(with(
                        with(good(), "/starts_at", json!("2227-09-20T06:00:00Z")),
                        "/ends_at",
                        json!("2227-09-20T10:00:00Z"),
                    )),
                    &["starts_at", "ends_at"],
                ),
            ],
        )
        .await;
    }

    async fn closures_name_every_bad_field(db) {
        let (w, _) = world_with_rules(db).await;
        let monday = free_week_monday();
        let post = |body: Value| Call::post("/api/v1/closures", body);
        let good = || closure_body(&w.office_a, monday);
        let backwards = with(good(), "/last_day", json!(monday - Duration::days(1)));
        assert_refused(
            &w,
            vec![
                case(post(backwards.clone()), &["last_day"]),
                case(
                    post(with(backwards, "/reason", json!("  "))),
                    &["last_day", "reason"],
                ),
                case(
                    post(closure_body(&Uuid::new_v4().to_string(), monday)),
                    &["office_id"],
                ),
                case(
                    post(with(good(), "/first_day", json!("2030-02-30"))),
                    &["first_day"],
                ),
                case(post(without(good(), "/reason")), &["reason"]),
                // Dates are bounded like every other: a closure 200 years ahead is refused.
                case(
                    post(with(with(good(), "/first_day", json!("2227-09-20")), "/last_day", json!("2227-09-21"))),
                    &["first_day", "last_day"],
                ),
                case(post(with(good(), "/last_day", json!("2227-09-21"))), &["last_day"]),
                case(post(with(good(), "/first_day", json!("1999-12-31"))), &["first_day"]),
            ],
        )
        .await;
    }

    async fn login_names_every_bad_field(db) {
        let (w, _) = world_with_rules(db).await;
        let login = |body: Value| Call::post("/api/v1/auth/login", body);
        let cases = vec![
            case(login(json!({ "email": w.admin.email })), &["password"]),
            case(
                login(json!({ "email": 42, "password": PASSWORD })),
                &["email"],
            ),
            case(login(json!({})), &["email", "password"]),
            case(
                login(json!({ "email": null, "password": PASSWORD })),
                &["email"],
            ),
        ];
        // More refusals than the failures allowed: malformed requests are not failed sign-ins.
        for _ in 0..2 {
            assert_refused(&w, cases.clone()).await;
        }
        w.api
            .login(&w.admin.email, PASSWORD)
            .await
            .expect(StatusCode::OK);
    }

    async fn bodies_that_are_not_json_are_bad_requests(db) {
        let (w, rules) = world_with_rules(db).await;
        let (a, adv, monday) = (
            w.office_a.as_str(),
            w.advisor_a.as_str(),
            free_week_monday(),
        );
        let writes = [
            Call::post("/api/v1/offices", office_body("Pasila")),
            Call::put(format!("/api/v1/offices/{a}"), office_body("Renamed")),
            Call::post("/api/v1/topics", topic_body("pensions")),
            Call::put(format!("/api/v1/topics/{}", w.topic), topic_body("renamed")),
            Call::post("/api/v1/advisors", advisor_body(a, &[])),
            Call::put(format!("/api/v1/advisors/{adv}"), advisor_body(a, &[])),
            Call::post("/api/v1/schedule-rules", rule_body(adv, 6)),
            Call::put(
                format!("/api/v1/schedule-rules/{}", rules[0]),
                rule_body(adv, 6),
            ),
            Call::post("/api/v1/absences", absence_body(adv, monday)),
            Call::post("/api/v1/closures", closure_body(a, monday)),
            Call::post(
                "/api/v1/auth/login",
                json!({ "email": w.admin.email, "password": PASSWORD }),
            ),
        ];
        let before = snapshot(&w).await;
        for write in &writes {
            let json = write.json_text();
            let truncated = &json[..json.len() / 2];
            let bad = (StatusCode::BAD_REQUEST, "urn:aukiolo:problem:bad-request");
            let other_type = (StatusCode::UNSUPPORTED_MEDIA_TYPE, "urn:aukiolo:problem:unsupported-media-type");
            let bodies = [
                (Some("application/json"), "{not json".to_owned(), bad),
                (Some("application/json"), truncated.to_owned(), bad),
                (Some("application/json"), String::new(), bad),
                (Some("text/plain"), json.clone(), other_type),
                (None, json.clone(), other_type),
                (Some("application/json"), format!("{json} trailing"), bad),
            ];
            for (content_type, text, (status, kind)) in bodies {
                let res = w
                    .api
                    .call(&write.with_raw(content_type, text.clone()), &w.admin.token)
                    .await;
                let problem = res.expect_problem(status);
                assert_eq!(problem["type"], kind, "{} with {content_type:?} {text:?}", res.label);
            }
        }
        assert_eq!(snapshot(&w).await, before, "bad requests changed nothing");
    }

    async fn a_calendar_built_through_the_api_offers_its_slots(db) {
        let api = Api::new(db).await;
        let admin = member(&api, db, "admin@aukiolo.test", Role::Admin, None).await;
        let office = create_office(&api, &admin.token, "Kamppi").await;
        let topic = create_topic(&api, &admin.token, "housing_allowance").await;
        let advisor = create_advisor(&api, &admin.token, &office, &[&topic]).await;
        let rules = create_weekday_rules(&api, &admin.token, &advisor).await;
        let listed = api
            .call(
                &Call::get(format!("/api/v1/advisors/{advisor}/schedule-rules")),
                &admin.token,
            )
            .await
            .expect(StatusCode::OK);
        let listed_ids: Vec<&str> = listed
            .as_array()
            .expect("a list")
            .iter()
            .filter_map(|r| r["id"].as_str())
            .collect();
        assert_eq!(
            listed_ids,
            rules.iter().map(String::as_str).collect::<Vec<_>>(),
            "rules by weekday"
        );

        let monday = free_week_monday();
        let slots = api
            .call(&week_slots_call(&office, monday), &admin.token)
            .await
            .expect(StatusCode::OK);
        let slots = slots.as_array().expect("a list");
        assert_eq!(
            slots.len(),
            75,
            "five days of 15 slots in the week of {monday}"
        );
        let starts: Vec<DateTime<Utc>> = slots
            .iter()
            .map(|s| check_open_slot(s, &office, &advisor))
            .collect();
        assert!(
            starts.windows(2).all(|p| p[0] < p[1]),
            "slots come in time order"
        );
        let standard: Vec<NaiveTime> = (16..32)
            .filter(|half| *half != 24)
            .map(|half| hm(half / 2, 30 * (half % 2)))
            .collect();
        for d in 0..7 {
            let day = monday + Duration::days(d);
            let times: Vec<NaiveTime> = starts
                .iter()
                .map(|t| t.with_timezone(&TZ))
                .filter(|t| t.date_naive() == day)
                .map(|t| t.time())
                .collect();
            let expected = if day.weekday().number_from_monday() <= 5 {
                standard.clone()
            } else {
                Vec::new()
            };
            assert_eq!(times, expected, "local slot times on {day}");
        }

        // A range may also be given as instants; then it is exact.
        let (from, to) = (local(monday, 10, 0), local(monday, 12, 0));
        let call = Call::get(format!(
            "/api/v1/offices/{office}/slots?from={}&to={}",
            rfc3339(from),
            rfc3339(to)
        ));
        let morning = api.call(&call, &admin.token).await.expect(StatusCode::OK);
        assert_eq!(
            morning.as_array().map(Vec::len),
            Some(4),
            "10:00, 10:30, 11:00 and 11:30"
        );

        let path = format!("/api/v1/offices/{office}/slots");
        let next = monday + Duration::days(7);
        let bad_ranges: [(String, &[&str]); 8] = [
            ("from=garbage".into(), &["from"]),
            // Years whose date arithmetic would overflow are refused, not panicked on.
            ("from=%2B262142-12-31".into(), &["from"]),
            ("from=1999-12-31T00:00:00Z".into(), &["from"]),
            (format!("from=garbage&to={next}"), &["from"]),
            ("from=garbage&to=garbage".into(), &["from", "to"]),
            (format!("from={monday}&to=2030-13-01"), &["to"]),
            (format!("from={next}&to={monday}"), &["to"]),
            (
                format!("from={monday}&to={}", monday + Duration::days(63)),
                &["to"],
            ),
        ];
        for (query, fields) in bad_ranges {
            let res = api
                .call(&Call::get(format!("{path}?{query}")), &admin.token)
                .await;
            assert_eq!(res.invalid_fields(), fields, "{}", res.label);
        }
    }
}

/// Checks one slot of the listing is an open 30-minute office slot of `advisor` in
/// `office`, and returns its start.
fn check_open_slot(slot: &Value, office: &str, advisor: &str) -> DateTime<Utc> {
    let instant =
        |key: &str| -> DateTime<Utc> { serde_json::from_value(slot[key].clone()).expect("an instant") };
    let (start, end) = (instant("start"), instant("end"));
    assert_eq!(end - start, Duration::minutes(30), "{slot}");
    let expected = json!({
        "office_id": office, "advisor_id": advisor, "channel": "office", "state": "open",
        "booking_id": null, "conflict": null,
    });
    for (key, value) in expected.as_object().expect("an object") {
        assert_eq!(&slot[key], value, "{key} of {slot}");
    }
    start
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("a time of day")
}

/// A Helsinki wall-clock time (one that exists once) as an instant.
fn local(day: NaiveDate, h: u32, m: u32) -> DateTime<Utc> {
    TZ.from_local_datetime(&day.and_time(hm(h, m))).single().expect("a single local time").with_timezone(&Utc)
}

/// RFC 3339 with `Z`, which needs no escaping in a query string.
fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}
