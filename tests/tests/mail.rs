//! E-mail end to end through the real binary and a real SMTP server started by the test:
//! confirmation, update and cancellation with their calendar invites; retries while the
//! server is down and `dead` past the budget; and three `aukiolo worker` processes
//! sharing 2,000 due messages on PostgreSQL, each delivered exactly once.

mod common;

use aukiolo_domain::outbox::MessageKind;
use aukiolo_domain::{BookingId, Locale};
use aukiolo_store::outbox::{self, NewMessage, Payload};
use chrono::{DateTime, Duration, Utc};
use common::aukiolo_in;
use common::site::*;
use common::smtp::{free_port, manage_link, MailSink, Received};
use icalendar::{Component, DatePerhapsTime};
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::process::{Child, Stdio};
use std::time::{Duration as Wait, Instant};

/// Settings that make the worker quick to notice and quick to retry.
fn quick(smtp_url: &str, max_attempts: u32) -> Vec<(&'static str, String)> {
    vec![
        ("AUKIOLO_MAIL__SMTP_URL", smtp_url.to_owned()),
        ("AUKIOLO_MAIL__FROM", "Aukiolo <noreply@aukiolo.test>".to_owned()),
        ("AUKIOLO_MAIL__TIMEOUT_SECONDS", "5".to_owned()),
        ("AUKIOLO_WORKER__IDLE_MS", "100".to_owned()),
        ("AUKIOLO_WORKER__BACKOFF_BASE_SECONDS", "1".to_owned()),
        ("AUKIOLO_WORKER__BACKOFF_MAX_SECONDS", "2".to_owned()),
        ("AUKIOLO_WORKER__MAX_ATTEMPTS", max_attempts.to_string()),
    ]
}

fn site_with(mut deployment: Deployment, env: Vec<(&'static str, String)>) -> Site {
    deployment.env.extend(env);
    Site::on(deployment)
}

/// The single event of a message's invite, with the calendar's METHOD.
struct Invite {
    method: String,
    uid: String,
    sequence: u32,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

fn utc(value: Option<DatePerhapsTime>) -> DateTime<Utc> {
    match value {
        Some(DatePerhapsTime::DateTime(icalendar::CalendarDateTime::Utc(t))) => t,
        other => panic!("not a UTC time: {other:?}"),
    }
}

fn invite(mail: &Received) -> Invite {
    let parts = mail.parts("text/calendar");
    assert_eq!(parts.len(), 1, "one inline invite expected");
    let files = mail.parts("application/ics");
    assert_eq!(files, parts, "the attached invite differs from the inline one");
    let calendar: icalendar::Calendar = parts[0].parse().unwrap_or_else(|e| panic!("{e}: {}", parts[0]));
    let events: Vec<_> = calendar.events().collect();
    assert_eq!(events.len(), 1, "{}", parts[0]);
    let event = events[0];
    Invite {
        method: calendar.property_value("METHOD").unwrap_or_default().to_owned(),
        uid: event.get_uid().unwrap_or_default().to_owned(),
        sequence: event.get_sequence().unwrap_or_else(|| panic!("no SEQUENCE: {}", parts[0])),
        start: utc(event.get_start()),
        end: utc(event.get_end()),
    }
}

/// The messages of the outbox, as an admin sees them.
fn outbox_list(site: &Site, status: &str) -> Vec<Value> {
    site.server
        .get(&format!("/api/v1/admin/outbox?status={status}"), Some(&site.admin))
        .expect_status(200)
        .list()
}

fn wait_until(what: &str, timeout: Wait, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !done() {
        assert!(Instant::now() < deadline, "{what} did not happen in {timeout:?}");
        std::thread::sleep(Wait::from_millis(100));
    }
}

#[test]
fn confirmation_update_and_cancellation_reach_the_smtp_server() {
    let sink = MailSink::start();
    let site = site_with(Deployment::sqlite(), quick(&sink.url(), 8));
    let server = &site.server;
    let office = site.office("Tampereen palvelupiste", json!({ "holdback_percent": 0 }), 1);
    let [first, second] = site.first_free(&office);

    let mut request = site.request(&office, first, CITIZEN);
    request["language"] = json!("sv");
    request["email"] = json!("anna.svensson@example.fi");
    request["name"] = json!("Anna Svensson");
    let a = Link::from(book(server, &request, None), 201);

    let mails = sink.wait_for(1, Wait::from_secs(30));
    let confirmation = &mails[0];
    assert_eq!(confirmation.to, vec!["anna.svensson@example.fi".to_owned()]);
    assert_eq!(confirmation.header("To"), "anna.svensson@example.fi");
    let subject = confirmation.header("Subject");
    assert!(subject.starts_with("Din tidsbokning är bekräftad"), "not Swedish: {subject}");
    let message_id = confirmation.header("Message-ID");
    assert!(message_id.starts_with('<') && message_id.ends_with("@aukiolo.test>"), "{message_id}");
    let text = &confirmation.parts("text/plain")[0];
    assert!(text.contains(&a.reference), "{text}");
    assert!(text.contains("Hämeenkatu 12, 33100 Tampere"), "no address: {text}");
    assert!(confirmation.parts("text/html")[0].contains(&a.reference));
    // The link works as it is: it opens the booking's page, in the booking's language,
    // without any other credential.
    let link = manage_link(text);
    assert!(link.contains("/sv/manage/"), "{link}");
    let opened = reqwest::blocking::get(&link).expect("open the manage link");
    assert_eq!(opened.status().as_u16(), 200, "{link}");
    let page = opened.text().expect("the manage page");
    assert!(page.contains(&a.reference) && page.contains("lang=\"sv\""), "{page}");

    let first_invite = invite(confirmation);
    assert_eq!(first_invite.method, "REQUEST");
    assert_eq!(first_invite.sequence, 0);
    assert_eq!(first_invite.start, first);
    assert_eq!(first_invite.end, first + Duration::minutes(30));

    // A reminder waits for its time (24 hours before, by default).
    let pending = outbox_list(&site, "pending");
    assert!(pending.iter().any(|m| m["kind"] == "reminder"), "no reminder waiting: {pending:?}");

    let b = a.reschedule(server, second);
    let mails = sink.wait_for(2, Wait::from_secs(30));
    let update = &mails[1];
    assert!(
        update.header("Subject").starts_with("Din bokade tid har flyttats"),
        "{}",
        update.header("Subject")
    );
    assert!(update.parts("text/plain")[0].contains(&b.reference));
    let second_invite = invite(update);
    assert_eq!(second_invite.method, "REQUEST");
    assert_eq!(second_invite.uid, first_invite.uid, "a move must update the same event");
    assert!(second_invite.sequence > first_invite.sequence);
    assert_eq!(second_invite.start, second);
    assert_ne!(update.header("Message-ID"), message_id);

    server.request(Method::POST, &b.path("/cancel")).bearer(&b.token).send().expect_status(200);
    let mails = sink.wait_for(3, Wait::from_secs(30));
    let cancellation = &mails[2];
    assert!(cancellation.header("Subject").starts_with("Din bokade tid har avbokats"));
    let cancel_invite = invite(cancellation);
    assert_eq!(cancel_invite.method, "CANCEL");
    assert_eq!(cancel_invite.uid, first_invite.uid);
    assert!(cancel_invite.sequence > second_invite.sequence);

    // No reminder is left to go out, and nothing else arrives.
    assert!(outbox_list(&site, "pending").is_empty(), "still pending: {:?}", outbox_list(&site, "pending"));
    let void = outbox_list(&site, "void");
    assert_eq!(void.iter().filter(|m| m["kind"] == "reminder").count(), 2, "{void:?}");
    let sent = outbox_list(&site, "sent");
    assert_eq!(sent.len(), 3, "{sent:?}");
    std::thread::sleep(Wait::from_secs(1));
    assert_eq!(sink.count(), 3, "more mail than the three messages");
    let status = server.get("/api/v1/admin/status", Some(&site.admin)).expect_status(200).json();
    assert_eq!(status["outbox"]["sent"], 3, "{status}");
    assert_eq!(status["outbox"]["void"], 2, "{status}");
}

#[test]
fn retries_while_the_smtp_server_is_down_then_delivers() {
    let port = free_port();
    let site = site_with(Deployment::sqlite(), quick(&format!("smtp://127.0.0.1:{port}"), 30));
    let office = site.office("Turun palvelupiste", json!({ "holdback_percent": 0 }), 1);
    let [time] = site.first_free(&office);
    let link = site.book(&office, time, CITIZEN);

    wait_until("a failed try", Wait::from_secs(30), || {
        outbox_list(&site, "failed").iter().any(|m| m["kind"] == "confirmation")
    });
    let failed = outbox_list(&site, "failed");
    let message = failed.iter().find(|m| m["kind"] == "confirmation").expect("the failed confirmation");
    assert!(message["last_error"].as_str().is_some_and(|e| !e.is_empty()), "{message}");
    assert_eq!(message["recipient"], "m***@example.fi", "{message}");
    let due = message["due_at"].as_str().and_then(|t| t.parse::<DateTime<Utc>>().ok()).expect("due_at");
    assert!(due > Utc::now() - Duration::seconds(3), "no backoff: due {due}");

    let sink = MailSink::on_port(port);
    let mails = sink.wait_for(1, Wait::from_secs(30));
    assert!(mails[0].parts("text/plain")[0].contains(&link.reference));
    wait_until("the confirmation marked sent", Wait::from_secs(10), || {
        outbox_list(&site, "sent")
            .iter()
            .any(|m| m["kind"] == "confirmation" && m["attempts"].as_u64() > Some(1))
    });
    std::thread::sleep(Wait::from_secs(1));
    assert_eq!(sink.count(), 1);
}

#[test]
fn past_the_budget_a_message_is_dead_and_an_admin_can_retry_it() {
    let site = site_with(Deployment::sqlite(), quick(&format!("smtp://127.0.0.1:{}", free_port()), 2));
    let office = site.office("Oulun palvelupiste", json!({ "holdback_percent": 0 }), 1);
    let [time] = site.first_free(&office);
    site.book(&office, time, CITIZEN);

    wait_until("a dead message", Wait::from_secs(30), || !outbox_list(&site, "dead").is_empty());
    let dead = outbox_list(&site, "dead");
    assert_eq!(dead.len(), 1, "{dead:?}");
    assert_eq!(dead[0]["kind"], "confirmation");
    assert_eq!(dead[0]["attempts"], 2);
    let status = site.server.get("/api/v1/admin/status", Some(&site.admin)).expect_status(200).json();
    assert_eq!(status["outbox"]["dead"], 1, "{status}");

    let id = dead[0]["id"].as_str().expect("id");
    let path = format!("/api/v1/admin/outbox/{id}/retry");
    let retried =
        site.server.request(Method::POST, &path).bearer(&site.admin).send().expect_status(200).json();
    assert_eq!(retried["status"], "pending", "{retried}");
    assert_eq!(retried["attempts"], 0, "{retried}");
    // Only failed or dead messages can be retried; only admins may.
    let sent_or_pending = site.server.request(Method::POST, &path).bearer(&site.admin).send();
    assert!([200, 409].contains(&sent_or_pending.status), "{sent_or_pending}");
    site.server.request(Method::POST, &path).send().expect_problem(401);
    site.server.get("/api/v1/admin/outbox?status=lost", Some(&site.admin)).expect_invalid("status");
}

// ---------------------------------------------------------------------------------------
// Several workers on one PostgreSQL database

/// `aukiolo worker` processes, killed when dropped; each logs to `worker-N.log` in the
/// data dir.
struct Workers {
    children: Vec<Child>,
    logs: Vec<std::path::PathBuf>,
}

impl Workers {
    fn start(deployment: &Deployment, n: usize, env: &[(&'static str, String)]) -> Self {
        let logs: Vec<_> = (0..n).map(|i| deployment.dir.path().join(format!("worker-{i}.log"))).collect();
        let children = logs
            .iter()
            .map(|log| {
                let mut cmd = aukiolo_in(&deployment.dir, &["worker"]);
                cmd.envs(deployment.env.iter().map(|(k, v)| (k, v)))
                    .envs(env.iter().map(|(k, v)| (k, v)))
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .stderr(std::fs::File::create(log).expect("a worker log"));
                cmd.spawn().expect("start aukiolo worker")
            })
            .collect();
        Workers { children, logs }
    }

    /// Waits for `n` messages at `sink`; on a timeout, fails with what the workers logged.
    fn await_delivery(&self, sink: &MailSink, n: usize, timeout: Wait) {
        if sink.wait_until(n, timeout).is_none() {
            panic!("{} of {n} messages arrived; the workers said:\n{}", sink.count(), self.logs());
        }
    }

    /// What the workers logged, for a failure message.
    fn logs(&self) -> String {
        self.logs
            .iter()
            .map(|l| std::fs::read_to_string(l).unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// SIGKILL, as a crash would.
    fn kill(&mut self, i: usize) {
        let _ = self.children[i].kill();
        let _ = self.children[i].wait();
    }
}

impl Drop for Workers {
    fn drop(&mut self) {
        for i in 0..self.children.len() {
            self.kill(i);
        }
    }
}

/// A PostgreSQL deployment whose `serve` sends nothing, with one booking to write about,
/// and `n` more due messages written straight into its outbox.
fn postgres_outbox(url: &str, n: usize) -> Site {
    let mut deployment = Deployment::postgres(url);
    deployment.env.push(("AUKIOLO_WORKER__IN_SERVE", "false".to_owned()));
    let site = Site::on(deployment);
    let office = site.office("Vaasan palvelupiste", json!({ "holdback_percent": 0 }), 1);
    let [time] = site.first_free(&office);
    let link = site.book(&office, time, CITIZEN);
    let view = site.server.get(&link.path(""), Some(&link.token)).expect_status(200).json();
    let mut conn = site.deployment.database();
    let booking: BookingId = {
        use aukiolo_store::schema::bookings;
        use diesel::prelude::*;
        bookings::table
            .filter(bookings::reference.eq(&link.reference))
            .select(bookings::id)
            .first::<aukiolo_store::sql_types::DbId>(&mut *conn)
            .expect("the booking")
            .into()
    };
    assert_eq!(view["status"], "booked");
    let now = Utc::now();
    for _ in 0..n {
        let message = NewMessage {
            kind: MessageKind::Reminder,
            booking_id: Some(booking),
            recipient: "maija@example.fi".to_owned(),
            locale: Locale::Fi,
            payload: Payload::default(),
            due_at: now,
        };
        outbox::enqueue(&mut conn, &message, now).expect("enqueue");
    }
    site
}

/// Every Message-ID received, with how often.
fn deliveries(sink: &MailSink) -> BTreeMap<String, usize> {
    let mut seen = BTreeMap::new();
    for mail in sink.messages() {
        *seen.entry(mail.header("Message-ID")).or_insert(0) += 1;
    }
    seen
}

#[test]
#[cfg_attr(not(aukiolo_pg_tests), ignore = "PostgreSQL: set AUKIOLO_TEST_DATABASE_URL to run")]
fn three_workers_deliver_two_thousand_messages_exactly_once_on_postgres() {
    // Declared before the servers and workers, so dropped after they have stopped.
    let db = aukiolo_store::test_support::TestDb::postgres();
    const MESSAGES: usize = 2000;
    let site = postgres_outbox(&db.url, MESSAGES);
    let sink = MailSink::start();
    let started = Instant::now();
    let workers = Workers::start(&site.deployment, 3, &quick(&sink.url(), 8));
    // The confirmation of the booking too.
    workers.await_delivery(&sink, MESSAGES + 1, Wait::from_secs(300));
    let took = started.elapsed();
    wait_until("every message marked sent", Wait::from_secs(30), || {
        let status = site.server.get("/api/v1/admin/status", Some(&site.admin)).expect_status(200).json();
        status["outbox"]["sent"] == MESSAGES + 1
    });
    std::thread::sleep(Wait::from_secs(1));
    let seen = deliveries(&sink);
    assert_eq!(seen.len(), MESSAGES + 1, "distinct Message-IDs");
    let repeated: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(repeated.is_empty(), "delivered more than once: {repeated:?}");
    eprintln!("{} messages through 3 workers in {took:?}", MESSAGES + 1);
}

/// DESIGN.md §6: 10,000 due reminders through 2 workers to a local SMTP server, one worker
/// killed with SIGKILL midway and started again; every message arrives, and duplicates
/// (only possible for the batch in the killed worker's hands) are counted.
#[test]
#[ignore = "load run: AUKIOLO_TEST_DATABASE_URL=… cargo test --release -p aukiolo-tests --test mail -- --ignored --nocapture"]
fn ten_thousand_reminders_through_two_workers_with_a_kill() {
    let db = aukiolo_store::test_support::TestDb::postgres();
    const MESSAGES: usize = 10_000;
    let site = postgres_outbox(&db.url, MESSAGES);
    let sink = MailSink::start();
    let mut env = quick(&sink.url(), 8);
    // The killed worker's batch waits out its lease before another worker takes it.
    env.push(("AUKIOLO_WORKER__LEASE_SECONDS", "10".to_owned()));
    let started = Instant::now();
    let mut workers = Workers::start(&site.deployment, 2, &env);
    sink.wait_for(MESSAGES / 2, Wait::from_secs(600));
    workers.kill(0);
    let killed_at = sink.count();
    let _restarted = Workers::start(&site.deployment, 1, &env);
    workers.await_delivery(&sink, MESSAGES + 1, Wait::from_secs(600));
    let took = started.elapsed();
    std::thread::sleep(Wait::from_secs(3));
    let seen = deliveries(&sink);
    let duplicates: usize = seen.values().map(|n| n - 1).sum();
    assert_eq!(seen.len(), MESSAGES + 1, "a message was lost");
    eprintln!(
        "{} messages through 2 workers in {took:?} ({:.0}/s); one killed after {killed_at}; {duplicates} duplicates",
        MESSAGES + 1,
        (MESSAGES + 1) as f64 / took.as_secs_f64()
    );
}
