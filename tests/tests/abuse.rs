//! Refusing as a public service must (DESIGN §4.8), through the real binary: one client's
//! bookings are limited per address (behind a trusted proxy, per forwarded address) and
//! per person, on one process and on two sharing PostgreSQL; with the pool saturated or the
//! database gone every request gets an answer quickly (503 with `Retry-After`), no
//! acknowledged booking is lost, and the service recovers by itself; a body that does not
//! arrive in time is cut off with 408.
//!
//! Times are printed, not asserted; a request that would hang as before (10 s for a
//! connection) fails on the client's 5 s bound.

mod common;

use aukiolo_store::schema::bookings;
use common::outage::Relay;
use common::site::{personal_id, Deployment, Office, Site};
use common::{Reply, Server};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use reqwest::Method;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::time::{Duration, Instant};

/// Longer than any answer may take now, shorter than the 10 s wait for a connection the
/// service used to make.
const ANSWER_WITHIN: Duration = Duration::from_secs(5);

/// A deployment behind a trusted proxy with `max` bookings per address an hour.
fn limited(mut deployment: Deployment, max: usize) -> Deployment {
    deployment.env.extend([
        ("AUKIOLO_AUTH__TRUST_FORWARDED_FOR", "true".to_owned()),
        ("AUKIOLO_LIMITS__BOOKINGS_PER_ADDRESS__MAX", max.to_string()),
        ("AUKIOLO_LIMITS__BOOKINGS_PER_PERSON__MAX", "3".to_owned()),
        ("AUKIOLO_LIMITS__SYNC_INTERVAL_MS", "100".to_owned()),
    ]);
    deployment
}

/// `POST /api/v1/bookings` as the client at `address` (the proxy's `X-Forwarded-For`).
fn book_from(server: &Server, address: &str, body: &Value) -> Reply {
    server
        .request(Method::POST, "/api/v1/bookings")
        .header("X-Forwarded-For", address)
        .json(body)
        .timeout(ANSWER_WITHIN)
        .send()
}

/// Asserts a 429 with a `Retry-After` within the limit's window (at most a day).
fn assert_limited(reply: &Reply) {
    let problem = reply.problem(429);
    assert_eq!(problem["type"], "urn:aukiolo:problem:rate-limited", "{reply}");
    let retry_after: u64 = reply
        .header("retry-after")
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no Retry-After: {reply}"));
    assert!((1..=86_400).contains(&retry_after), "Retry-After {retry_after}: {reply}");
}

/// A distinct request for each `n`: its own time and its own person.
fn request(site: &Site, office: &Office, times: &[chrono::DateTime<chrono::Utc>], n: usize) -> Value {
    site.request(office, times[n], &personal_id(n))
}

#[test]
fn one_address_is_limited_and_another_still_books() {
    const MAX: usize = 5;
    let site = Site::on(limited(Deployment::sqlite(), MAX));
    let office = site.office("Rajoitettu palvelupiste", json!({ "holdback_percent": 0 }), 2);
    let times = site.offered(&office);
    assert!(times.len() > 40, "{times:?}");

    for n in 0..MAX {
        book_from(&site.server, "198.51.100.1", &request(&site, &office, &times, n)).expect_status(201);
    }
    let mut slowest = Duration::ZERO;
    for n in MAX..MAX + 30 {
        let started = Instant::now();
        let reply = book_from(&site.server, "198.51.100.1", &request(&site, &office, &times, n));
        slowest = slowest.max(started.elapsed());
        assert_limited(&reply);
    }
    eprintln!("30 attempts past the limit refused, the slowest in {slowest:?}");
    // Someone else, at another address, books as ever.
    book_from(&site.server, "198.51.100.2", &request(&site, &office, &times, 40)).expect_status(201);

    // One identity code from many addresses: two bookings, then the rule of two future
    // bookings (422), then the person's limit of three attempts (429).
    let same = |n: usize| site.request(&office, times[20 + n], &personal_id(1000));
    book_from(&site.server, "192.0.2.1", &same(0)).expect_status(201);
    book_from(&site.server, "192.0.2.2", &same(1)).expect_status(201);
    book_from(&site.server, "192.0.2.3", &same(2)).expect_invalid("personal_id");
    assert_limited(&book_from(&site.server, "192.0.2.4", &same(3)));
}

#[test]
#[cfg_attr(not(aukiolo_pg_tests), ignore = "PostgreSQL: set AUKIOLO_TEST_DATABASE_URL to run")]
fn two_replicas_share_one_limit() {
    const MAX: usize = 10;
    let db = aukiolo_store::test_support::TestDb::postgres();
    let site = Site::on(limited(Deployment::postgres(&db.url), MAX));
    let second = site.deployment.start();
    let office = site.office("Kahden prosessin rajoitus", json!({ "holdback_percent": 0 }), 2);
    let times = site.offered(&office);
    // Rounds of four attempts from one address, each on the other replica, with a pause
    // for the replicas to share their counts (every 100 ms here).
    let mut statuses = Vec::new();
    for (round, server) in [&site.server, &second, &site.server].into_iter().enumerate() {
        for n in 0..4 {
            statuses.push(
                book_from(server, "203.0.113.9", &request(&site, &office, &times, round * 4 + n)).status,
            );
        }
        std::thread::sleep(Duration::from_millis(1500));
    }
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), MAX, "{statuses:?}");
    assert_eq!(&statuses[MAX..], [429, 429], "{statuses:?}");
    for server in [&site.server, &second] {
        assert_limited(&book_from(server, "203.0.113.9", &request(&site, &office, &times, 20)));
    }
    book_from(&second, "203.0.113.10", &request(&site, &office, &times, 21)).expect_status(201);
}

/// `127.0.0.1:5432` of `postgres://user@127.0.0.1:5432/db`.
fn host_port(url: &str) -> (String, String) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
    let host_port = rest.split(['/', '?']).next().unwrap_or(rest);
    let (host, port) = host_port.rsplit_once(':').unwrap_or((host_port, "5432"));
    (host.to_owned(), port.to_owned())
}

#[test]
#[cfg_attr(not(aukiolo_pg_tests), ignore = "PostgreSQL: set AUKIOLO_TEST_DATABASE_URL to run")]
fn the_database_goes_away_and_comes_back() {
    let db = aukiolo_store::test_support::TestDb::postgres();
    let (host, port) = host_port(&db.url);
    let target = format!("{}:{port}", if host == "localhost" { "127.0.0.1" } else { &host });
    let mut relay = Relay::start(target.parse().expect("the test server's address"));
    let through_relay = db.url.replacen(&format!("{host}:{port}"), &format!("127.0.0.1:{}", relay.port), 1);
    let site = Site::on(Deployment::postgres(&through_relay));
    let office = site.office("Katkon palvelupiste", json!({ "holdback_percent": 0 }), 1);
    let times = site.offered(&office);
    let acknowledged: Vec<String> = (0..3)
        .map(|n| {
            let reply = book_from(&site.server, "198.51.100.1", &request(&site, &office, &times, n))
                .expect_status(201);
            reply.json()["reference"].as_str().expect("a reference").to_owned()
        })
        .collect();

    relay.cut();
    let mut slowest = Duration::ZERO;
    for n in 3..13 {
        let offices = format!("/api/v1/offices/{}", office.id);
        let body = request(&site, &office, &times, n);
        for (reply, took) in [
            timed(|| get_within(&site.server, "/readyz")),
            timed(|| get_within(&site.server, &offices)),
            timed(|| book_from(&site.server, "198.51.100.1", &body)),
        ] {
            slowest = slowest.max(took);
            assert_unavailable(&reply);
        }
    }
    eprintln!("with the database away, the slowest of 30 answers took {slowest:?}");

    relay.restore();
    // Recovers by itself: the pool opens new connections as requests come.
    let started = Instant::now();
    while get_within(&site.server, "/readyz").status != 200 {
        assert!(started.elapsed() < Duration::from_secs(30), "not ready 30 s after the database came back");
        std::thread::sleep(Duration::from_millis(200));
    }
    eprintln!("ready again {:?} after the database came back", started.elapsed());
    book_from(&site.server, "198.51.100.1", &request(&site, &office, &times, 20)).expect_status(201);
    let stored: Vec<String> =
        bookings::table.select(bookings::reference).load(&mut db.conn()).expect("references");
    for reference in &acknowledged {
        assert!(stored.contains(reference), "{reference} was acknowledged and is gone: {stored:?}");
    }
}

#[test]
#[cfg_attr(not(aukiolo_pg_tests), ignore = "PostgreSQL: set AUKIOLO_TEST_DATABASE_URL to run")]
fn a_saturated_pool_refuses_quickly_and_serves_again() {
    let db = aukiolo_store::test_support::TestDb::postgres();
    let mut deployment = Deployment::postgres(&db.url);
    deployment.env.push(("AUKIOLO_DATABASE__POOL_SIZE", "2".to_owned()));
    let site = Site::on(deployment);
    // Both connections wait inside the database behind our lock on the topics.
    let mut holder = db.conn();
    holder.batch_execute("BEGIN; LOCK TABLE topics IN ACCESS EXCLUSIVE MODE").expect("lock the topics");
    let stuck: Vec<_> = (0..2)
        .map(|_| {
            let url = site.server.url("/api/v1/topics");
            std::thread::spawn(move || reqwest::blocking::get(url).map(|r| r.status().as_u16()))
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let mut slowest = Duration::ZERO;
    for path in ["/api/v1/topics", "/api/v1/offices", "/readyz", "/api/v1/topics"] {
        let (reply, took) = timed(|| get_within(&site.server, path));
        slowest = slowest.max(took);
        assert_unavailable(&reply);
    }
    eprintln!("with the pool saturated, the slowest refusal took {slowest:?}");
    holder.batch_execute("COMMIT").expect("release the topics");
    for request in stuck {
        assert_eq!(request.join().expect("the waiting request").ok(), Some(200));
    }
    get_within(&site.server, "/readyz").expect_status(200);
    get_within(&site.server, "/api/v1/topics").expect_status(200);
}

#[test]
fn a_body_that_does_not_arrive_is_cut_off() {
    let server = common::Launch::plain().env("AUKIOLO_HTTP__BODY_TIMEOUT_MS", "500").start();
    let head = "POST /api/v1/auth/login HTTP/1.1\r\nHost: aukiolo\r\nContent-Type: application/json\r\n";
    let mut slow = std::net::TcpStream::connect(&server.addr).expect("connect");
    slow.set_read_timeout(Some(ANSWER_WITHIN)).expect("read timeout");
    write!(slow, "{head}Content-Length: 100\r\n\r\n{{\"email\"").expect("send a part of the body");
    let mut answer = String::new();
    let _ = slow.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("application/problem+json") && answer.contains("request-timeout"), "{answer}");

    let mut large = std::net::TcpStream::connect(&server.addr).expect("connect");
    large.set_read_timeout(Some(ANSWER_WITHIN)).expect("read timeout");
    write!(large, "{head}Content-Length: 100000000\r\n\r\n{{").expect("announce a large body");
    let mut answer = String::new();
    let _ = large.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
}

fn timed(send: impl FnOnce() -> Reply) -> (Reply, Duration) {
    let started = Instant::now();
    let reply = send();
    (reply, started.elapsed())
}

/// `GET path`, answered within [`ANSWER_WITHIN`] or failing.
fn get_within(server: &Server, path: &str) -> Reply {
    server.request(Method::GET, path).timeout(ANSWER_WITHIN).send()
}

fn assert_unavailable(reply: &Reply) {
    let problem = reply.problem(503);
    assert_eq!(problem["type"], "urn:aukiolo:problem:unavailable", "{reply}");
    assert!(reply.header("retry-after").is_some_and(|v| v.parse::<u64>().is_ok()), "{reply}");
}
