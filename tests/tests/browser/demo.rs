//! The demo deployment as the booking-flow tests see it from outside the browser: the
//! `serve --demo` server with its data dir, the mails it wrote there (`outbox/*.eml`, no
//! SMTP server configured), its SQLite database, and its staff signed in with the demo
//! password, for what the citizen's pages cannot do (complete a visit, read metrics).

use super::Shared;
use crate::common::site::LIBFAKETIME;
use crate::common::smtp::Received;
use crate::common::{DataDir, Launch, Server};
use aukiolo_store::schema::{bookings, staff_users};
use aukiolo_store::sql_types::{DbId, DbTime};
use aukiolo_store::{Backend, DbConnection};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use reqwest::Method;
use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long a mail may take to be written after what caused it.
const MAIL_TIMEOUT: Duration = Duration::from_secs(30);

/// A `serve --demo` with its data dir at hand.
pub struct DemoSite {
    pub server: Server,
    pub dir: DataDir,
    /// Bearer tokens of the staff signed in so far, by e-mail.
    tokens: Mutex<HashMap<String, String>>,
}

/// The demo deployment shared by the tests of this process that hold it at the same
/// time (like [`super::demo_server`]); tests that book take their own identity codes and
/// e-mail addresses ([`unique`]), so they do not meet.
pub fn demo_site() -> Arc<DemoSite> {
    static SITE: Shared<DemoSite> = Shared::new();
    SITE.get_or_start(|| DemoSite::start(Launch::demo()))
}

/// A number no other call in this process gets: for identity codes and e-mail addresses.
pub fn unique() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// One `.eml` the server wrote.
#[derive(Clone, Debug)]
pub struct Mail {
    pub file: PathBuf,
    pub received: Received,
}

impl Mail {
    pub fn subject(&self) -> String {
        self.received.header("Subject")
    }

    pub fn to(&self) -> String {
        self.received.header("To")
    }

    /// The plain text part, decoded.
    pub fn text(&self) -> String {
        self.received.parts("text/plain").into_iter().next().unwrap_or_default()
    }

    /// The inline calendar invite, if the mail carries one.
    pub fn invite(&self) -> Option<String> {
        self.received.parts("text/calendar").into_iter().next()
    }

    /// The rest of the text's line that starts with `prefix` ("Aika: ").
    pub fn line(&self, prefix: &str) -> Option<String> {
        crate::common::line_after(&self.text(), prefix)
    }

    /// The first link in the text that contains `part` (`/manage/`, `/questionnaire/`).
    pub fn link(&self, part: &str) -> Option<String> {
        self.text().split_whitespace().find(|w| w.starts_with("http") && w.contains(part)).map(str::to_owned)
    }
}

impl std::fmt::Display for Mail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} to {}: {}\n{}", self.file.display(), self.to(), self.subject(), self.text())
    }
}

/// A booking row as the database holds it.
#[derive(Clone, Debug)]
pub struct Row {
    pub id: String,
    /// `booked`, `cancelled_by_citizen`, …
    pub status: String,
    pub start: DateTime<Utc>,
}

impl DemoSite {
    /// Starts `launch` (a `Launch::demo()`, perhaps with more settings) on a fresh data
    /// dir, with a worker quick to write mail.
    pub fn start(launch: Launch) -> DemoSite {
        DemoSite::start_in(launch, DataDir::new())
    }

    /// [`DemoSite::start`] on `dir`, which may hold an earlier server's data (then
    /// nothing is seeded and no password printed: only the citizens' links work).
    pub fn start_in(launch: Launch, dir: DataDir) -> DemoSite {
        let server = launch.data_dir(&dir).env("AUKIOLO_WORKER__IDLE_MS", "100").start();
        DemoSite { server, dir, tokens: Mutex::new(HashMap::new()) }
    }

    pub fn url(&self, path: &str) -> String {
        self.server.url(path)
    }

    // -----------------------------------------------------------------------------------
    // Mail

    /// Every mail written so far.
    pub fn mails(&self) -> Vec<Mail> {
        let dir = self.dir.path().join("outbox");
        let Ok(entries) = std::fs::read_dir(&dir) else { return Vec::new() };
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        files.sort();
        files
            .into_iter()
            .filter_map(|file| {
                let data = std::fs::read(&file).ok()?;
                Some(Mail { file, received: Received { to: Vec::new(), data } })
            })
            .collect()
    }

    /// The mails to `to` for which `wanted` holds, waiting (at most 30 s) until there
    /// are `n`; panics listing the mails to `to` there are.
    pub fn wait_for_mails(&self, to: &str, n: usize, wanted: impl Fn(&Mail) -> bool) -> Vec<Mail> {
        let deadline = Instant::now() + MAIL_TIMEOUT;
        loop {
            let mine: Vec<Mail> = self.mails().into_iter().filter(|m| m.to() == to).collect();
            let found: Vec<Mail> = mine.iter().filter(|m| wanted(m)).cloned().collect();
            if found.len() >= n {
                return found;
            }
            if Instant::now() > deadline {
                let all: Vec<String> =
                    mine.iter().map(|m| format!("  {}: {}", m.file.display(), m.subject())).collect();
                panic!(
                    "{} of {n} mails to {to} within {MAIL_TIMEOUT:?}; the mails to {to}:\n{}",
                    found.len(),
                    all.join("\n")
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The one mail to `to` whose subject starts with `subject`, waiting for it.
    pub fn wait_for_mail(&self, to: &str, subject: &str) -> Mail {
        let mut found = self.wait_for_mails(to, 1, |m| m.subject().starts_with(subject));
        assert_eq!(found.len(), 1, "more than one mail {subject:?} to {to}: {found:#?}");
        found.remove(0)
    }

    // -----------------------------------------------------------------------------------
    // The database

    /// A connection of our own to the server's SQLite database.
    pub fn database(&self) -> DbConnection {
        let url = format!("sqlite://{}", self.dir.path().join("aukiolo.db").display());
        Backend::from_url(&url).and_then(|b| b.connect()).expect("the demo's database")
    }

    /// The booking `reference`.
    pub fn booking(&self, reference: &str) -> Row {
        let (id, status, start): (DbId, String, DbTime) = bookings::table
            .filter(bookings::reference.eq(reference))
            .select((bookings::id, bookings::status, bookings::starts_at))
            .first(&mut self.database())
            .unwrap_or_else(|e| panic!("booking {reference}: {e}"));
        Row { id: id.0.to_string(), status, start: start.0 }
    }

    /// Every booking row (any status) made with `email`.
    pub fn bookings_of(&self, email: &str) -> Vec<Row> {
        let rows: Vec<(DbId, String, DbTime)> = bookings::table
            .filter(bookings::email.eq(email))
            .select((bookings::id, bookings::status, bookings::starts_at))
            .load(&mut self.database())
            .expect("bookings by e-mail");
        rows.into_iter()
            .map(|(id, status, start)| Row { id: id.0.to_string(), status, start: start.0 })
            .collect()
    }

    /// The e-mail of the staff login of the advisor who has the booking `reference`.
    pub fn advisor_login(&self, reference: &str) -> String {
        let mut conn = self.database();
        let advisor: DbId = bookings::table
            .filter(bookings::reference.eq(reference))
            .select(bookings::advisor_id)
            .first(&mut conn)
            .unwrap_or_else(|e| panic!("booking {reference}: {e}"));
        staff_users::table
            .filter(staff_users::advisor_id.eq(advisor))
            .select(staff_users::email)
            .first(&mut conn)
            .unwrap_or_else(|e| panic!("no login for the advisor of {reference}: {e}"))
    }

    // -----------------------------------------------------------------------------------
    // Staff

    /// The bearer token of the demo login `email` (signed in once, with the demo password
    /// the server printed).
    pub fn token(&self, email: &str) -> String {
        if let Some(token) = self.tokens.lock().unwrap_or_else(PoisonError::into_inner).get(email) {
            return token.clone();
        }
        let token = self.server.login(email, &self.server.demo_password());
        self.tokens.lock().unwrap_or_else(PoisonError::into_inner).insert(email.to_owned(), token.clone());
        token
    }

    pub fn admin(&self) -> String {
        self.token("admin@aukiolo.example")
    }

    pub fn pilot_lead(&self) -> String {
        self.token("pilot.lead@aukiolo.example")
    }

    /// The office whose Finnish name is `name_fi`, as `GET /api/v1/offices` gives it.
    pub fn office(&self, name_fi: &str) -> Value {
        let offices = self.server.get("/api/v1/offices", None).expect_status(200).list();
        offices
            .into_iter()
            .find(|o| o["name"]["fi"] == name_fi)
            .unwrap_or_else(|| panic!("no office {name_fi:?} in the demo"))
    }

    /// The topic with `code`.
    pub fn topic(&self, code: &str) -> Value {
        let topics = self.server.get("/api/v1/topics", None).expect_status(200).list();
        topics
            .into_iter()
            .find(|t| t["code"] == code)
            .unwrap_or_else(|| panic!("no topic {code:?} in the demo"))
    }

    /// Changes the booking rules of `office` (as `GET /api/v1/offices/{id}` gives it)
    /// through the API as the admin.
    pub fn set_rules(&self, office: &Value, change: impl FnOnce(&mut Value)) {
        let mut fields = office.clone();
        let id = fields["id"].as_str().expect("the office's id").to_owned();
        if let Value::Object(map) = &mut fields {
            map.remove("id");
        }
        change(&mut fields["booking_rules"]);
        self.server
            .request(Method::PUT, &format!("/api/v1/offices/{id}"))
            .bearer(&self.admin())
            .json(&fields)
            .send()
            .expect_status(200);
    }

    /// A second server on this data dir whose clock (libfaketime) stands at `at`, for what
    /// may be recorded only around a visit's time. Its mails link to the demo the browser
    /// uses; its worker sends what is due by `at`.
    pub fn server_at(&self, at: DateTime<Utc>) -> Server {
        assert!(
            std::path::Path::new(LIBFAKETIME).is_file(),
            "{LIBFAKETIME} is missing: run `bash scripts/install-deps` (it installs `faketime`)"
        );
        Launch::demo()
            .data_dir(&self.dir)
            .env("LD_PRELOAD", LIBFAKETIME)
            .env("FAKETIME", &format!("@{}", at.format("%Y-%m-%d %H:%M:%S")))
            .env("FAKETIME_DONT_FAKE_MONOTONIC", "1")
            .env("TZ", "UTC")
            .env("AUKIOLO_WORKER__IDLE_MS", "100")
            .env("AUKIOLO_MAIL__PUBLIC_URL", self.url("").trim_end_matches('/'))
            .start()
    }

    /// Completes the visit `reference` as its advisor would, at its time: through a
    /// server on this data whose clock stands five minutes after the visit's start
    /// ([`DemoSite::server_at`]), since a visit is recorded only around its time. That
    /// server's worker sends what is due by then, the questionnaire invitation among it,
    /// so the caller keeps it until the mail has come; a test that uses this runs on a
    /// demo of its own, so that no other test's reminder goes out early.
    pub fn complete_visit(&self, reference: &str) -> Server {
        let booking = self.booking(reference);
        let at_visit = self.server_at(booking.start + chrono::Duration::minutes(5));
        // Signed in there: a token of now would have run out by the visit's time.
        let advisor = at_visit.login(&self.advisor_login(reference), &self.server.demo_password());
        for action in ["arrive", "start", "complete"] {
            let path = format!("/api/v1/staff/bookings/{}/{action}", booking.id);
            at_visit.request(Method::POST, &path).bearer(&advisor).send().expect_status(200);
        }
        at_visit
    }
}
