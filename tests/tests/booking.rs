//! Booking end to end through the real binary: two hundred citizens racing for one time
//! (on SQLite, and on PostgreSQL across two processes), idempotent retries, the citizen's
//! manage link, the advisor's day, the booking rules' refusals, and staff office scope.
//! Each test builds its network through the API on a fresh database and takes its times
//! from what the service offers, so it holds on any day of the year.

mod common;

use aukiolo_store::schema::bookings;
use aukiolo_store::sql_types::{DbId, DbTime};
use aukiolo_store::DbConnection;
use chrono::{DateTime, Duration, Utc};
use common::site::*;
use common::{Reply, Server};
use diesel::prelude::*;
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Barrier, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Instant;

/// How many citizens race for one time.
const RACERS: usize = 200;
/// The statuses that give a booking's slot back.
const CANCELLED: [&str; 2] = ["cancelled_by_citizen", "cancelled_by_office"];

/// A staff member's `POST` without a body.
fn staff_post(server: &Server, token: &str, path: &str) -> Reply {
    server.request(Method::POST, path).bearer(token).send()
}

// ---------------------------------------------------------------------------------------
// Races and the tables

/// Tests run side by side, except the races: each runs alone, so that its two hundred
/// requests measure the servers under test and not the other tests' load on the machine.
static MACHINE: RwLock<()> = RwLock::new(());

fn side_by_side() -> RwLockReadGuard<'static, ()> {
    MACHINE.read().unwrap_or_else(PoisonError::into_inner)
}

fn alone() -> RwLockWriteGuard<'static, ()> {
    MACHINE.write().unwrap_or_else(PoisonError::into_inner)
}

/// A deployment whose racing requests wait for a database connection as long as they
/// need: these races are about one winner, not about refusing overload (`abuse.rs`), and
/// a debug build on a loaded 2-core machine takes longer than the default 500 ms wait to
/// serve 200 bookings at once.
fn patient(mut deployment: Deployment) -> Deployment {
    deployment.env.push(("AUKIOLO_DATABASE__POOL_WAIT_MS", "30000".to_owned()));
    deployment
}

/// Sends one request per item, each from its own thread, all released at once by a
/// barrier so that they are in flight together; the answers in the items' order.
fn all_at_once<T: Sync>(items: &[T], send: impl Fn(&T) -> Reply + Sync) -> Vec<Reply> {
    let barrier = Barrier::new(items.len());
    let (barrier, send) = (&barrier, &send);
    std::thread::scope(|scope| {
        let threads: Vec<_> = items
            .iter()
            .map(|item| {
                scope.spawn(move || {
                    barrier.wait();
                    send(item)
                })
            })
            .collect();
        threads
            .into_iter()
            .map(|t| t.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
}

/// Asserts exactly one 201 for `time` and, for every other answer, a 409 `time-taken`
/// problem offering the next (at most three) free times, all later. A failure shows what the servers logged as errors.
fn assert_one_winner(replies: &[Reply], time: DateTime<Utc>, servers: &[&Server]) {
    let mut statuses = BTreeMap::new();
    for reply in replies {
        *statuses.entry(reply.status).or_insert(0) += 1;
    }
    if statuses != BTreeMap::from([(201, 1), (409, replies.len() - 1)]) {
        let odd = replies.iter().find(|r| r.status != 201 && r.status != 409);
        let logged: Vec<String> = servers
            .iter()
            .flat_map(|s| {
                s.stderr().lines().filter(|l| l.contains("ERROR")).map(str::to_owned).collect::<Vec<_>>()
            })
            .collect();
        panic!(
            "statuses {statuses:?}, expected one 201 and the rest 409\nthe first other answer: {odd:?}\n\
             errors logged:\n{}",
            logged.join("\n")
        );
    }
    for reply in replies {
        if reply.status == 201 {
            assert_eq!(instant(&reply.json()["start"]), time, "{reply}");
            continue;
        }
        let problem = reply.problem(409);
        assert_eq!(problem["type"], "urn:aukiolo:problem:time-taken", "{reply}");
        let alternatives = problem["alternatives"].as_array().unwrap_or_else(|| panic!("{reply}"));
        assert!((1..=3).contains(&alternatives.len()), "not one to three alternatives: {reply}");
        assert!(alternatives.iter().all(|a| instant(&a["start"]) > time), "not later than {time}: {reply}");
    }
}

/// Asserts that one booking row starts at `time` and that no slot has two active bookings.
fn assert_one_booking_at(conn: &mut DbConnection, time: DateTime<Utc>) {
    let doubled: Vec<(DbId, i64)> = bookings::table
        .filter(bookings::status.ne_all(CANCELLED))
        .group_by(bookings::slot_id)
        .having(diesel::dsl::count_star().gt(1))
        .select((bookings::slot_id, diesel::dsl::count_star()))
        .load(conn)
        .expect("active bookings per slot");
    assert!(doubled.is_empty(), "slots with more than one active booking: {doubled:?}");
    let at: i64 = bookings::table
        .filter(bookings::starts_at.eq(DbTime(time)))
        .count()
        .get_result(conn)
        .expect("bookings at the time");
    assert_eq!(at, 1, "booking rows starting at {time}");
}

fn count_bookings(conn: &mut DbConnection) -> i64 {
    bookings::table.count().get_result(conn).expect("count bookings")
}

/// How many rows of `table` hold `needle` in any of their columns (SQLite only).
fn rows_containing(conn: &mut DbConnection, table: &str, needle: &str) -> i64 {
    #[derive(QueryableByName)]
    struct Column {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let DbConnection::Sqlite(conn) = conn else { panic!("a SQLite database was expected") };
    let columns: Vec<Column> = diesel::sql_query(format!("SELECT name FROM pragma_table_info('{table}')"))
        .load(conn)
        .expect("the columns of the table");
    let names: BTreeSet<&str> = columns.iter().map(|c| c.name.as_str()).collect();
    assert!(names.is_superset(&BTreeSet::from(["personal_id_enc", "personal_id_hash"])), "{names:?}");
    let any = names.iter().map(|c| format!("instr(CAST(\"{c}\" AS TEXT), ?) > 0")).collect::<Vec<_>>();
    let mut query =
        diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table} WHERE {}", any.join(" OR ")))
            .into_boxed();
    for _ in &any {
        query = query.bind::<diesel::sql_types::Text, _>(needle.to_owned());
    }
    query.get_result::<Count>(conn).expect("search the table").n
}

/// The SQLite files (database, write-ahead log) in `dir` that contain `needle` byte for byte.
fn files_containing(dir: &Path, needle: &str) -> Vec<String> {
    ["aukiolo.db", "aukiolo.db-wal"]
        .into_iter()
        .filter(|name| {
            let bytes = std::fs::read(dir.join(name)).unwrap_or_default();
            bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
        })
        .map(str::to_owned)
        .collect()
}

// ---------------------------------------------------------------------------------------
// The tests

#[test]
fn two_hundred_clients_race_for_one_time() {
    let _machine = alone();
    let site = Site::on(patient(Deployment::sqlite()));
    let office = site.office("Kilpailun palvelupiste", json!({ "holdback_percent": 0 }), 1);
    let [time] = site.first_free(&office);
    let requests: Vec<(Value, String)> =
        (0..RACERS).map(|n| (site.request(&office, time, &personal_id(n)), format!("race-{n}"))).collect();

    let started = Instant::now();
    let replies = all_at_once(&requests, |(body, key)| book(&site.server, body, Some(key.as_str())));
    eprintln!("{RACERS} concurrent bookings answered in {:?}", started.elapsed());

    assert_one_winner(&replies, time, &[&site.server]);
    let mut conn = site.deployment.database();
    assert_one_booking_at(&mut conn, time);
    assert_eq!(count_bookings(&mut conn), 1);
    assert!(!site.offered(&office).contains(&time), "{time} is still offered");
}

/// DESIGN.md §6: 1,000 concurrent attempts at the same 10 slots (10 advisors free at one
/// time) through `servers`: exactly 10 succeed, the rest get 409 with alternatives, no 5xx.
fn thousand_clients_for_ten_slots(site: &Site, servers: &[&Server]) {
    const CLIENTS: usize = 1000;
    let office = site.office("Ruuhkan palvelupiste", json!({ "holdback_percent": 0 }), 10);
    let [time] = site.first_free(&office);
    let requests: Vec<(usize, Value, String)> = (0..CLIENTS)
        .map(|n| (n % servers.len(), site.request(&office, time, &personal_id(n)), format!("load-{n}")))
        .collect();
    let started = Instant::now();
    let replies =
        all_at_once(&requests, |(server, body, key)| book(servers[*server], body, Some(key.as_str())));
    let elapsed = started.elapsed();
    let mut statuses = BTreeMap::new();
    for reply in &replies {
        *statuses.entry(reply.status).or_insert(0) += 1;
    }
    eprintln!(
        "{CLIENTS} concurrent bookings for 10 slots on {} process(es) answered in {elapsed:?}: {statuses:?}",
        servers.len()
    );
    assert_eq!(statuses, BTreeMap::from([(201, 10), (409, CLIENTS - 10)]));
    for reply in replies.iter().filter(|r| r.status == 409) {
        let problem = reply.problem(409);
        assert!(problem["alternatives"].as_array().is_some_and(|a| !a.is_empty()), "{reply}");
    }
    assert_eq!(count_bookings(&mut site.deployment.database()), 10);
}

/// A load run, not part of the suite:
/// `cargo test --release -p aukiolo-tests --test booking -- --ignored --nocapture`.
#[test]
#[ignore = "load run: cargo test --release -p aukiolo-tests --test booking -- --ignored --nocapture"]
fn a_thousand_clients_race_for_ten_slots() {
    let _machine = alone();
    let site = Site::on(patient(Deployment::sqlite()));
    thousand_clients_for_ten_slots(&site, &[&site.server]);
}

/// The same on two processes sharing one PostgreSQL database (needs
/// `AUKIOLO_TEST_DATABASE_URL`).
#[test]
#[ignore = "load run: cargo test --release -p aukiolo-tests --test booking -- --ignored --nocapture"]
fn a_thousand_clients_race_for_ten_slots_on_postgres() {
    let _machine = alone();
    let db = aukiolo_store::test_support::TestDb::postgres();
    let site = Site::on(patient(Deployment::postgres(&db.url)));
    let second = site.deployment.start();
    thousand_clients_for_ten_slots(&site, &[&site.server, &second]);
}

#[test]
#[cfg_attr(not(aukiolo_pg_tests), ignore = "PostgreSQL: set AUKIOLO_TEST_DATABASE_URL to run")]
fn two_processes_race_on_postgres() {
    let _machine = alone();
    // Declared before the servers, so dropped after both have stopped.
    let db = aukiolo_store::test_support::TestDb::postgres();
    let site = Site::on(patient(Deployment::postgres(&db.url)));
    let second = site.deployment.start();
    let office = site.office("Kahden prosessin palvelupiste", json!({ "holdback_percent": 0 }), 1);
    // The replicas share the token key: the admin signed in at one is known at the other.
    second.get(&format!("/api/v1/offices/{}/advisors", office.id), Some(&site.admin)).expect_status(200);
    let [time] = site.first_free(&office);
    let servers = [&site.server, &second];
    let requests: Vec<(usize, Value, String)> = (0..RACERS)
        .map(|n| (n % 2, site.request(&office, time, &personal_id(n)), format!("pg-race-{n}")))
        .collect();

    let started = Instant::now();
    let replies =
        all_at_once(&requests, |(server, body, key)| book(servers[*server], body, Some(key.as_str())));
    eprintln!("{RACERS} concurrent bookings on two processes answered in {:?}", started.elapsed());

    assert_one_winner(&replies, time, &servers);
    let mut conn = db.conn();
    assert_one_booking_at(&mut conn, time);
    assert_eq!(count_bookings(&mut conn), 1);
}

#[test]
fn one_idempotency_key_twenty_times() {
    let _machine = side_by_side();
    let site = Site::on(patient(Deployment::sqlite()));
    let office = site.office("Toiston palvelupiste", json!({ "holdback_percent": 0 }), 2);
    let [time] = site.first_free(&office);
    let body = site.request(&office, time, CITIZEN);
    let key = "retry-of-one-booking";

    let replies = all_at_once(&[(); 20], |()| book(&site.server, &body, Some(key)));
    for reply in &replies {
        assert_eq!(reply.status, 201, "{reply}");
        assert_eq!(reply.body, replies[0].body, "answers differ");
    }
    let mut conn = site.deployment.database();
    assert_eq!(count_bookings(&mut conn), 1);
    assert_one_booking_at(&mut conn, time);

    let mut other = body.clone();
    other["description"] = json!("Jokin aivan toinen asia");
    let problem = book(&site.server, &other, Some(key)).expect_invalid("Idempotency-Key");
    assert!(problem.to_string().contains("different request"), "{problem}");
    assert_eq!(count_bookings(&mut conn), 1);
}

#[test]
fn citizen_flow() {
    let _machine = side_by_side();
    let site = Site::sqlite();
    let server = &site.server;
    let office = site.office("Asiakkaan palvelupiste", json!({ "holdback_percent": 0 }), 1);
    let [first, second] = site.first_free(&office);

    let a = site.book(&office, first, CITIZEN);
    assert_eq!(a.start, first);
    let view = server.get(&a.path(""), Some(&a.token)).expect_status(200).json();
    assert_eq!(view["reference"], a.reference.as_str(), "{view}");
    assert_eq!(view["status"], "booked", "{view}");
    assert_eq!(instant(&view["start"]), first, "{view}");
    assert_eq!(view["office_id"], office.id.as_str(), "{view}");
    assert_eq!(view["email"], "maija@example.fi", "{view}");
    assert!(view.get("personal_id").is_none(), "the link shows the identity code: {view}");

    let ics = server.get(&a.path("/ics"), Some(&a.token)).expect_status(200);
    assert!(ics.content_type.starts_with("text/calendar"), "{ics}");
    let dtstart = format!("DTSTART:{}", first.format("%Y%m%dT%H%M%SZ"));
    assert!(ics.body.contains(&dtstart), "no {dtstart}: {ics}");

    let b = a.reschedule(server, second);
    assert_eq!(b.start, second);
    assert_ne!(b.reference, a.reference);
    assert_ne!(b.token, a.token);
    let old = server.get(&a.path(""), Some(&a.token)).expect_status(200).json();
    assert_eq!(old["status"], "cancelled_by_citizen", "{old}");
    let offered = site.offered(&office);
    assert!(offered.contains(&first), "the old time {first} is not offered again: {offered:?}");
    assert!(!offered.contains(&second), "the new time {second} is still offered");

    let cancelled =
        server.request(Method::POST, &b.path("/cancel")).bearer(&b.token).send().expect_status(200).json();
    assert_eq!(cancelled["status"], "cancelled_by_citizen", "{cancelled}");
    assert!(site.offered(&office).contains(&second), "{second} is not offered after cancelling");

    // A link opens its own booking only, and only a link opens it.
    let other = server.get(&b.path(""), Some(&a.token)).expect_problem(403);
    assert_eq!(other["type"], "urn:aukiolo:problem:forbidden");
    server.get(&a.path(""), None).expect_problem(401);
    server.get(&a.path(""), Some(&site.admin)).expect_problem(401);
}

#[test]
fn advisor_flow() {
    let _machine = side_by_side();
    let site = Site::sqlite();
    let server = &site.server;
    let office = site.office("Neuvojan palvelupiste", json!({ "holdback_percent": 0 }), 1);
    let advisor = site.deployment.create_user("neuvoja@aukiolo.example", "advisor", Some(&office.id));
    let token = server.login("neuvoja@aukiolo.example", PASSWORD);
    let [time] = site.first_free(&office);
    let link = site.book(&office, time, CITIZEN);

    let slot = site.booked_slot(&token, &office.advisors[0], &link);
    assert_eq!(instant(&slot["start"]), time, "{slot}");
    let booking = &slot["booking"];
    assert_eq!(booking["personal_id"], CITIZEN, "the day view shows the code whole: {booking}");
    assert_eq!(booking["description"], "Asumistuen tarkistus muuton jälkeen", "{booking}");
    assert_eq!(booking["email"], "maija@example.fi", "{booking}");
    assert_eq!(booking["phone"], "+358401234567", "{booking}");
    assert_eq!(booking["name"], "Maija Meikäläinen", "{booking}");
    let id = id_of(booking);
    let path = |rest: &str| format!("/api/v1/staff/bookings/{id}/{rest}");

    // A day and a half ahead, the visit cannot be recorded yet.
    let early = staff_post(server, &token, &path("arrive")).expect_problem(409);
    assert!(
        early["detail"].as_str().unwrap().starts_with("too early: arrival can be recorded from"),
        "{early}"
    );
    // At its time it can: a server of the deployment whose clock is five minutes before.
    let at_visit = site.deployment.start_at(time - Duration::minutes(5));
    let server = &at_visit;
    let token = server.login("neuvoja@aukiolo.example", PASSWORD);
    let admin = server.login(ADMIN, PASSWORD);
    for (action, status) in [("arrive", "arrived"), ("start", "in_service"), ("complete", "completed")] {
        let changed = staff_post(server, &token, &path(action)).expect_status(200).json();
        assert_eq!(changed["status"], status, "{action}: {changed}");
    }
    let illegal = staff_post(server, &token, &path("arrive")).expect_problem(409);
    assert_eq!(illegal["type"], "urn:aukiolo:problem:conflict", "{illegal}");

    let assessment = json!({
        "resolved_at_once": true,
        "segment": "occasional",
        "other_channel": "e_service",
        "personal_service_reasons": ["documents"],
        "other_channels_discussed": true
    });
    let saved = server
        .request(Method::POST, &path("assessment"))
        .bearer(&token)
        .json(&assessment)
        .send()
        .expect_status(200)
        .json();
    assert_eq!(saved, assessment);

    let events = server.get(&path("events"), Some(&token)).expect_status(200).list();
    let kinds: Vec<&str> = events.iter().filter_map(|e| e["kind"].as_str()).collect();
    assert_eq!(kinds, ["booked", "arrived", "in_service", "completed"], "{events:#?}");

    let audit = server
        .get(&format!("/api/v1/admin/audit-log?booking_id={id}"), Some(&admin))
        .expect_status(200)
        .list();
    let actions: BTreeSet<&str> = audit.iter().filter_map(|e| e["action"].as_str()).collect();
    for action in ["read_day_view", "change_booking", "assess_visit", "read_events"] {
        assert!(actions.contains(action), "no {action} in {audit:#?}");
    }
    assert!(audit.iter().all(|e| e["staff_id"] == advisor.as_str()), "{audit:#?}");
    assert!(audit.iter().all(|e| e["booking_id"] == id.as_str()), "{audit:#?}");
}

#[test]
fn rules_are_refused_with_clear_4xx() {
    let _machine = side_by_side();
    let site = Site::sqlite();
    let server = &site.server;
    let office = site.office("Sääntöjen palvelupiste", json!({ "holdback_percent": 0 }), 1);
    let today = local_date(Utc::now());
    let refused = |start: DateTime<Utc>, personal_id: &str, field: &str| {
        book(server, &site.request(&office, start, personal_id), None).expect_invalid(field)
    };

    // Minimum notice: with a week's notice, every time of the coming days is too soon.
    site.set_rules(&office, json!({ "holdback_percent": 0, "min_notice_minutes": 7 * 24 * 60 }));
    let soon =
        site.open_slots(&office, today, 7).into_iter().find(|t| *t > Utc::now() + Duration::minutes(10));
    let soon = soon.expect("an open slot in the coming week");
    let problem = refused(soon, CITIZEN, "start");
    assert!(problem.to_string().contains("minutes from now"), "{problem}");

    // Horizon: one week ahead at most, so nothing two weeks on.
    site.set_rules(&office, json!({ "holdback_percent": 0, "horizon_weeks": 1 }));
    let in_two_weeks = today + Duration::days(14);
    assert_eq!(site.free_times(&office, in_two_weeks), Vec::<DateTime<Utc>>::new());
    let far = site.open_slots(&office, in_two_weeks, 7);
    let problem = refused(*far.first().expect("open slots in two weeks"), CITIZEN, "start");
    assert!(problem.to_string().contains("horizon"), "{problem}");

    // Hold-back: every slot held until a day before, so nothing from the day after tomorrow.
    site.set_rules(&office, json!({ "holdback_percent": 100 }));
    let after_tomorrow = today + Duration::days(2);
    assert_eq!(site.free_times(&office, after_tomorrow), Vec::<DateTime<Utc>>::new());
    let held = site.open_slots(&office, after_tomorrow, 7);
    let problem = refused(*held.first().expect("open slots from the day after tomorrow"), CITIZEN, "start");
    assert!(problem.to_string().contains("held back"), "{problem}");

    // Change cut-off: a week before, so a booking in the coming days can no longer be
    // cancelled online.
    site.set_rules(&office, json!({ "holdback_percent": 0 }));
    let [first, second, third, fourth] = site.first_free(&office);
    assert!(first < Utc::now() + Duration::days(7), "no free time in the coming week: {first}");
    let kept = site.book(&office, first, CITIZEN);
    site.set_rules(&office, json!({ "holdback_percent": 0, "change_cutoff_minutes": 7 * 24 * 60 }));
    let late =
        server.request(Method::POST, &kept.path("/cancel")).bearer(&kept.token).send().expect_problem(409);
    assert!(late.to_string().contains("call the office"), "{late}");
    let still = server.get(&kept.path(""), Some(&kept.token)).expect_status(200).json();
    assert_eq!(still["status"], "booked", "{still}");
    site.set_rules(&office, json!({ "holdback_percent": 0 }));

    // Two future bookings per citizen.
    site.book(&office, second, CITIZEN);
    refused(third, CITIZEN, "personal_id");

    // Codes with a wrong check character, an impossible date, an unknown century sign.
    for bad in ["131052-308U", "310252-308T", "131052G308T"] {
        refused(fourth, bad, "personal_id");
    }
    assert!(site.offered(&office).contains(&fourth), "{fourth} was taken by a refused request");

    let mut conn = site.deployment.database();
    assert_eq!(count_bookings(&mut conn), 2, "only the two accepted bookings are stored");
    // The searches find what is stored in plain text (the e-mail address)…
    let email = "maija@example.fi";
    assert_eq!(rows_containing(&mut conn, "bookings", email), 2);
    let dir = site.deployment.dir.path();
    assert!(!files_containing(dir, email).is_empty(), "the file search finds nothing");
    // …and not the identity code, whole or its date part.
    for needle in [CITIZEN, "131052"] {
        assert_eq!(rows_containing(&mut conn, "bookings", needle), 0, "`{needle}` stored in plain text");
    }
    let files = files_containing(dir, CITIZEN);
    assert!(files.is_empty(), "`{CITIZEN}` in plain text in {files:?}");
}

#[test]
fn staff_scope() {
    let _machine = side_by_side();
    let site = Site::sqlite();
    let server = &site.server;
    let home = site.office("Kotitoimisto", json!({ "holdback_percent": 0 }), 1);
    let away = site.office("Naapuritoimisto", json!({ "holdback_percent": 0 }), 1);
    site.deployment.create_user("neuvoja.koti@aukiolo.example", "advisor", Some(&home.id));
    let token = server.login("neuvoja.koti@aukiolo.example", PASSWORD);
    let [time] = site.first_free(&away);
    let link = site.book(&away, time, CITIZEN);
    let id = id_of(&site.booked_slot(&site.admin, &away.advisors[0], &link)["booking"]);

    let detail = format!("/api/v1/staff/bookings/{id}");
    server.get(&detail, Some(&site.admin)).expect_status(200);
    let forbidden = server.get(&detail, Some(&token)).expect_problem(403);
    assert_eq!(forbidden["type"], "urn:aukiolo:problem:forbidden");
    server.get(&format!("{detail}/events"), Some(&token)).expect_problem(403);
    staff_post(server, &token, &format!("{detail}/arrive")).expect_problem(403);

    let day = |advisor: &str| format!("/api/v1/staff/advisors/{advisor}/day?date={}", local_date(time));
    server.get(&day(&away.advisors[0]), Some(&token)).expect_problem(403);
    server.get(&day(&home.advisors[0]), Some(&token)).expect_status(200);

    let unchanged = server.get(&detail, Some(&site.admin)).expect_status(200).json();
    assert_eq!(unchanged["status"], "booked", "{unchanged}");
}
