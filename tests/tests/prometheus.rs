//! The operators' view of the real binary: `/metrics` on its own address in the Prometheus
//! text format, read back with a Prometheus parser, after requests that make every series
//! of docs/operations.md move; and request ids in the JSON log.

mod common;

use common::site::*;
use common::smtp::MailSink;
use common::Server;
use reqwest::Method;
use serde_json::json;
use std::collections::BTreeMap;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// One line of the exposition: a series and its value.
#[derive(Debug)]
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

/// The samples of one scrape of `url`, read by the rules of the Prometheus text format
/// (0.0.4): every family typed before its samples, label values quoted with `\\`, `\"`
/// and `\n` escaped (route patterns hold braces), values as Go writes floats.
struct Metrics {
    samples: Vec<Sample>,
    types: BTreeMap<String, String>,
}

impl Metrics {
    fn scrape(url: &str) -> Self {
        let reply = reqwest::blocking::get(url).unwrap_or_else(|e| panic!("scrape {url}: {e}"));
        assert_eq!(reply.status().as_u16(), 200);
        let kind = reply.headers()["content-type"].to_str().unwrap_or_default().to_owned();
        assert!(kind.starts_with("text/plain; version=0.0.4"), "{kind}");
        Metrics::parse(&reply.text().expect("the exposition"))
    }

    fn parse(text: &str) -> Self {
        let mut metrics = Metrics { samples: Vec::new(), types: BTreeMap::new() };
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            if let Some(comment) = line.strip_prefix("# ") {
                if let Some(typed) = comment.strip_prefix("TYPE ") {
                    let (name, kind) = typed.split_once(' ').unwrap_or_else(|| panic!("{line}"));
                    assert!(
                        ["counter", "gauge", "histogram", "summary", "untyped"].contains(&kind),
                        "{line}"
                    );
                    metrics.types.insert(name.to_owned(), kind.to_owned());
                }
                continue;
            }
            let sample = sample(line);
            let family = ["_bucket", "_sum", "_count"]
                .iter()
                .find_map(|suffix| sample.name.strip_suffix(suffix))
                .filter(|base| metrics.types.get(*base).is_some_and(|t| t == "histogram"))
                .unwrap_or(&sample.name);
            assert!(metrics.types.contains_key(family), "no # TYPE before {line}");
            metrics.samples.push(sample);
        }
        metrics
    }

    /// The one sample of `name` whose labels include `labels`.
    fn find(&self, name: &str, labels: &[(&str, &str)]) -> Option<&Sample> {
        let mut found = self.samples.iter().filter(|s| {
            s.name == name && labels.iter().all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v))
        });
        let first = found.next()?;
        assert!(found.next().is_none(), "more than one {name} with {labels:?}");
        Some(first)
    }

    /// A counter's or a gauge's value.
    fn number(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        self.find(name, labels).unwrap_or_else(|| panic!("no {name} {labels:?}:\n{}", self.names())).value
    }

    /// How many observations a histogram holds (its `+Inf` bucket, which `_count` repeats).
    fn observations(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        assert_eq!(self.types.get(name).map(String::as_str), Some("histogram"), "{name}");
        let mut all = labels.to_vec();
        all.push(("le", "+Inf"));
        let count = self.number(&format!("{name}_bucket"), &all);
        assert_eq!(self.number(&format!("{name}_count"), labels), count, "{name} {labels:?}");
        count
    }

    fn has(&self, name: &str, labels: &[(&str, &str)]) -> bool {
        self.samples.iter().any(|s| {
            s.name == name && labels.iter().all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v))
        })
    }

    fn names(&self) -> String {
        self.samples.iter().map(|s| format!("{} {:?}", s.name, s.labels)).collect::<Vec<_>>().join("\n")
    }
}

fn bad<T>(line: &str) -> T {
    panic!("not a sample: {line}")
}

/// `name{label="value",…} value`
fn sample(line: &str) -> Sample {
    let name_end = line.find(['{', ' ']).unwrap_or_else(|| bad(line));
    let name = &line[..name_end];
    assert!(
        !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':'),
        "{line}"
    );
    let mut labels = BTreeMap::new();
    let mut rest = &line[name_end..];
    if let Some(mut inner) = rest.strip_prefix('{') {
        loop {
            if let Some(after) = inner.strip_prefix('}') {
                rest = after;
                break;
            }
            let (key, after) = inner.split_once("=\"").unwrap_or_else(|| bad(line));
            let mut value = String::new();
            let mut chars = after.char_indices();
            let end = loop {
                match chars.next().unwrap_or_else(|| bad(line)) {
                    (i, '"') => break i,
                    (_, '\\') => match chars.next().unwrap_or_else(|| bad(line)).1 {
                        'n' => value.push('\n'),
                        c @ ('\\' | '"') => value.push(c),
                        _ => bad(line),
                    },
                    (_, c) => value.push(c),
                }
            };
            labels.insert(key.trim_start_matches(',').to_owned(), value);
            inner = &after[end + 1..];
        }
    }
    let value = match rest.trim() {
        "+Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        number => number.parse().unwrap_or_else(|_| bad(line)),
    };
    Sample { name: name.to_owned(), labels, value }
}

/// A process killed when the test ends, however it ends.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn metrics_url(server: &Server) -> String {
    server.stdout_line("Metrics: ").trim().to_owned()
}

#[test]
fn metrics_count_requests_bookings_refusals_the_pool_the_outbox_and_sends() {
    let sink = MailSink::start();
    let mut deployment = Deployment::sqlite();
    deployment.env.extend([
        ("AUKIOLO_METRICS__BIND", "127.0.0.1:0".to_owned()),
        ("AUKIOLO_MAIL__SMTP_URL", sink.url()),
        ("AUKIOLO_MAIL__FROM", "Aukiolo <noreply@aukiolo.test>".to_owned()),
        ("AUKIOLO_WORKER__IDLE_MS", "100".to_owned()),
        // One booking per person: the second is refused by the limit.
        ("AUKIOLO_LIMITS__BOOKINGS_PER_PERSON__MAX", "1".to_owned()),
    ]);
    let site = Site::on(deployment);
    let server = &site.server;
    let url = metrics_url(server);
    let before = Metrics::scrape(&url);
    // Counters are there before anything happened, at zero.
    assert_eq!(
        before.number("aukiolo_bookings_made_total", &[("channel", "office"), ("by", "citizen")]),
        0.0
    );
    assert_eq!(before.number("aukiolo_refusals_total", &[("reason", "overload")]), 0.0);

    let office = site.office("Tampereen palvelupiste", json!({ "holdback_percent": 0 }), 1);
    let [first, second, third] = site.first_free(&office);
    // Each mail is awaited before the next step, so that none is voided unsent.
    let a = site.book(&office, first, &personal_id(1));
    sink.wait_for(1, Duration::from_secs(30));
    let b = site.book(&office, second, &personal_id(2));
    sink.wait_for(2, Duration::from_secs(30));
    // The same person again: over the limit.
    book(server, &site.request(&office, third, &personal_id(1)), None).expect_problem(429);
    // Someone else's time: lost to the one who came first.
    book(server, &site.request(&office, second, &personal_id(3)), None).expect_problem(409);
    let moved = b.reschedule(server, third);
    sink.wait_for(3, Duration::from_secs(30));
    server.request(Method::POST, &a.path("/cancel")).bearer(&a.token).send().expect_status(200);
    // A body past http.max_body_bytes.
    let huge = "x".repeat(300 * 1024);
    let reply = reqwest::blocking::Client::new()
        .post(server.url("/api/v1/bookings"))
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .expect("the oversized request");
    assert_eq!(reply.status().as_u16(), 413);
    // Confirmations of a and b, b's move, a's cancellation.
    sink.wait_for(4, Duration::from_secs(30));

    // The last sends are settled a moment after the mail arrives.
    let m = eventually(|| {
        let m = Metrics::scrape(&url);
        (m.number("aukiolo_outbox_messages", &[("status", "sent")]) >= 4.0).then_some(m)
    });
    let booking = [("method", "POST"), ("route", "/api/v1/bookings")];
    assert_eq!(m.number("aukiolo_http_requests_total", &[booking[0], booking[1], ("status", "201")]), 2.0);
    assert_eq!(m.number("aukiolo_http_requests_total", &[booking[0], booking[1], ("status", "429")]), 1.0);
    assert_eq!(m.number("aukiolo_http_requests_total", &[booking[0], booking[1], ("status", "409")]), 1.0);
    assert_eq!(m.number("aukiolo_http_requests_total", &[booking[0], booking[1], ("status", "413")]), 1.0);
    assert_eq!(m.observations("aukiolo_http_request_duration_seconds", &booking), 5.0);
    // Routes are patterns, not paths with references in them.
    let cancel = [("method", "POST"), ("route", "/api/v1/bookings/{reference}/cancel"), ("status", "200")];
    assert_eq!(m.number("aukiolo_http_requests_total", &cancel), 1.0, "{}", m.names());

    assert_eq!(m.number("aukiolo_bookings_made_total", &[("channel", "office"), ("by", "citizen")]), 2.0);
    assert_eq!(m.number("aukiolo_bookings_moved_total", &[]), 1.0);
    assert_eq!(m.number("aukiolo_bookings_cancelled_total", &[("by", "citizen")]), 1.0);
    assert_eq!(m.number("aukiolo_booking_races_lost_total", &[("outcome", "refused")]), 1.0);
    let limit = [("reason", "rate_limit"), ("limit", "bookings_per_person")];
    assert_eq!(m.number("aukiolo_refusals_total", &limit), 1.0);
    assert_eq!(m.number("aukiolo_refusals_total", &[("reason", "body_too_large")]), 1.0);
    assert_eq!(m.number("aukiolo_refusals_total", &[("reason", "overload")]), 0.0);

    assert_eq!(m.number("aukiolo_db_pool_max_connections", &[]), 16.0);
    let in_use = m.number("aukiolo_db_pool_connections", &[("state", "in_use")]);
    let idle = m.number("aukiolo_db_pool_connections", &[("state", "idle")]);
    assert!(in_use >= 0.0 && in_use + idle <= 16.0 && idle >= 1.0, "{in_use} in use, {idle} idle");
    assert!(m.observations("aukiolo_db_pool_wait_seconds", &[]) > 10.0);
    assert_eq!(m.number("aukiolo_db_pool_timeouts_total", &[]), 0.0);

    assert_eq!(m.number("aukiolo_outbox_messages", &[("status", "sent")]), 4.0);
    assert_eq!(m.number("aukiolo_outbox_messages", &[("status", "dead")]), 0.0);
    // The moved booking's reminder waits for its day; nothing is overdue.
    assert!(m.number("aukiolo_outbox_messages", &[("status", "pending")]) >= 1.0);
    assert_eq!(m.number("aukiolo_outbox_oldest_due_age_seconds", &[]), 0.0);
    assert_eq!(m.observations("aukiolo_mail_send_duration_seconds", &[("outcome", "sent")]), 4.0);
    assert!(!m.has("aukiolo_mail_send_duration_seconds_count", &[("outcome", "failed")]));

    // The public address does not serve them.
    server.get("/metrics", None).expect_status(404);
    drop(moved);
}

#[test]
fn overdue_mail_shows_its_age_and_the_worker_serves_its_own_metrics() {
    // No SMTP server listens here: the worker's send fails, and it waits a minute to retry.
    let dead_port = common::smtp::free_port();
    let mut deployment = Deployment::sqlite();
    deployment.env.extend([
        ("AUKIOLO_WORKER__IN_SERVE", "false".to_owned()),
        ("AUKIOLO_METRICS__BIND", "127.0.0.1:0".to_owned()),
        ("AUKIOLO_MAIL__SMTP_URL", format!("smtp://127.0.0.1:{dead_port}")),
        ("AUKIOLO_MAIL__FROM", "Aukiolo <noreply@aukiolo.test>".to_owned()),
        ("AUKIOLO_MAIL__TIMEOUT_SECONDS", "2".to_owned()),
        ("AUKIOLO_WORKER__IDLE_MS", "100".to_owned()),
        ("AUKIOLO_WORKER__BACKOFF_BASE_SECONDS", "60".to_owned()),
        ("AUKIOLO_WORKER__BACKOFF_MAX_SECONDS", "60".to_owned()),
    ]);
    let site = Site::on(deployment);
    let office = site.office("Turun palvelupiste", json!({ "holdback_percent": 0 }), 1);
    let [first] = site.first_free(&office);
    site.book(&office, first, &personal_id(1));

    // No worker yet: the confirmation waits, and the replica's scrape says for how long.
    let serve = metrics_url(&site.server);
    let waited = eventually(|| {
        let m = Metrics::scrape(&serve);
        (m.number("aukiolo_outbox_oldest_due_age_seconds", &[]) > 1.0).then_some(m)
    });
    // The confirmation, and the reminder that waits for its day.
    assert_eq!(waited.number("aukiolo_outbox_messages", &[("status", "pending")]), 2.0);

    let port = common::smtp::free_port();
    let log = site.deployment.dir.path().join("worker.log");
    let mut worker = common::aukiolo_in(&site.deployment.dir, &["worker"]);
    worker
        .envs(site.deployment.env.iter().map(|(k, v)| (k, v)))
        .env("AUKIOLO_METRICS__BIND", format!("127.0.0.1:{port}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).expect("a worker log"));
    let _worker = Killed(worker.spawn().expect("start aukiolo worker"));
    let url = format!("http://127.0.0.1:{port}/metrics");
    let m = eventually(|| {
        reqwest::blocking::get(&url).ok()?;
        let m = Metrics::scrape(&url);
        m.has("aukiolo_mail_send_duration_seconds_count", &[("outcome", "failed")]).then_some(m)
    });
    let said = std::fs::read_to_string(&log).unwrap_or_default();
    assert_eq!(m.observations("aukiolo_mail_send_duration_seconds", &[("outcome", "failed")]), 1.0, "{said}");
    // Failed and waiting for its retry: no longer overdue.
    let m = eventually(|| {
        let m = Metrics::scrape(&url);
        (m.number("aukiolo_outbox_messages", &[("status", "failed")]) == 1.0).then_some(m)
    });
    assert_eq!(m.number("aukiolo_outbox_oldest_due_age_seconds", &[]), 0.0, "{said}");
    // The worker answers no HTTP requests of its own.
    assert!(!m.has("aukiolo_http_requests_total", &[]));
}

/// What `found` finds within 30 seconds, trying every 100 ms.
fn eventually<T>(mut found: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(t) = found() {
            return t;
        }
        assert!(Instant::now() < deadline, "not within 30 s");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_request_id_is_taken_or_made_answered_and_logged_as_json() {
    let server = common::Launch::plain().env("AUKIOLO_LOG__FORMAT", "json").start();
    let given = server.request(Method::GET, "/api/v1/topics").header("X-Request-Id", "proxy-7f3a.1").send();
    assert_eq!(given.header("x-request-id"), Some("proxy-7f3a.1"));
    let made = server.get("/fi/", None).expect_status(200);
    let made_id = made.header("x-request-id").expect("an id made for the request").to_owned();
    assert!(made_id.len() == 32 && made_id.bytes().all(|b| b.is_ascii_hexdigit()), "{made_id}");
    // One that could forge a log line is replaced.
    let forged = server.request(Method::GET, "/api/v1/topics").header("X-Request-Id", "a\"b").send();
    assert_ne!(forged.header("x-request-id"), Some("a\"b"));

    let log = server.wait_for_stderr(&made_id);
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect();
    let answered = |id: &str| {
        lines
            .iter()
            .find(|l| l["span"]["request_id"] == id && l["fields"]["message"] == "answered")
            .unwrap_or_else(|| panic!("no line for {id}: {log}"))
            .clone()
    };
    let line = answered("proxy-7f3a.1");
    assert_eq!(line["fields"]["status"], 200, "{line}");
    assert_eq!(line["span"]["http.route"], "/api/v1/topics", "{line}");
    assert_eq!(line["level"], "INFO");
    assert_eq!(answered(&made_id)["span"]["http.target"], "/fi/");
}
