//! A deployment of the binary built through its API, shared by the end-to-end tests:
//! database and accounts, a running server, offices with advisors and schedules, and the
//! citizen's booking link.

use super::{aukiolo_in, run, DataDir, Launch, Reply, Server, COMMAND_TIMEOUT};
use aukiolo_store::{Backend, PooledConn};
use chrono::{DateTime, Duration, NaiveDate, SecondsFormat, Utc};
use reqwest::Method;
use serde_json::{json, Value};

pub const ADMIN: &str = "admin@aukiolo.example";
/// The password of every account made here.
pub const PASSWORD: &str = "booking-e2e-password";
/// The zone of every office made here.
pub const TZ: chrono_tz::Tz = chrono_tz::Europe::Helsinki;
/// The citizen of the one-citizen scenarios.
pub const CITIZEN: &str = "131052-308T";
/// libfaketime as Debian installs it (`bash scripts/install-deps`).
pub const LIBFAKETIME: &str = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";

/// How far ahead of the moment a site is made the tests book: past every rule a test
/// meets on the way (the default two hours' notice and change cut-off, the 24-hour
/// reminder and hold-back release) with twelve hours to spare for a slow run, so a test
/// passes at any hour of any day. The binary reads the real clock; the tests choose
/// their times relative to it instead of to "tomorrow".
pub fn lead() -> Duration {
    Duration::hours(36)
}

// ---------------------------------------------------------------------------------------
// Values

/// A distinct valid personal identity code for each `n`: born on the 15th of May 1985
/// and later years, individual number 002 + `n` mod 898, and its check character.
pub fn personal_id(n: usize) -> String {
    const CHECK: &[u8; 31] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";
    let born = format!("1505{:02}", 85 + n / 898);
    let individual = 2 + n % 898;
    let number: usize = format!("{born}{individual:03}").parse().expect("nine digits");
    format!("{born}-{individual:03}{}", char::from(CHECK[number % 31]))
}

/// An instant as the API writes it, e.g. `2027-03-22T06:00:00Z`.
pub fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub fn instant(value: &Value) -> DateTime<Utc> {
    value.as_str().and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("not an instant: {value}"))
}

pub fn local_date(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&TZ).date_naive()
}

pub fn id_of(resource: &Value) -> String {
    resource["id"].as_str().unwrap_or_else(|| panic!("no id in {resource}")).to_owned()
}

// ---------------------------------------------------------------------------------------
// A deployment: database, accounts, servers

/// Where the binary keeps its data: a data dir, with SQLite inside it unless the
/// environment names PostgreSQL. `user create` and every `serve` get the same settings.
pub struct Deployment {
    pub dir: DataDir,
    pub env: Vec<(&'static str, String)>,
    pub database_url: String,
}

impl Deployment {
    pub fn sqlite() -> Self {
        let dir = DataDir::new();
        let database_url = format!("sqlite://{}", dir.path().join("aukiolo.db").display());
        Deployment { dir, env: Vec::new(), database_url }
    }

    /// PostgreSQL at `url`, with the secrets that replicas must share set explicitly.
    pub fn postgres(url: &str) -> Self {
        let env = vec![
            ("DATABASE_URL", url.to_owned()),
            ("AUKIOLO_AUTH__JWT_SECRET", "booking-e2e-jwt-secret-shared-by-replicas".to_owned()),
            ("AUKIOLO_PERSONAL_DATA__KEY", "booking-e2e-personal-data-key-shared-by-replicas".to_owned()),
        ];
        Deployment { dir: DataDir::new(), env, database_url: url.to_owned() }
    }

    /// `aukiolo user create` with [`PASSWORD`] on standard input; the new account's id.
    pub fn create_user(&self, email: &str, role: &str, office: Option<&str>) -> String {
        let mut args = vec!["user", "create", "--email", email, "--role", role];
        if let Some(office) = office {
            args.extend(["--office", office]);
        }
        let mut cmd = aukiolo_in(&self.dir, &args);
        cmd.envs(self.env.iter().map(|(k, v)| (k, v)));
        let created = run(cmd, &format!("{PASSWORD}\n"), COMMAND_TIMEOUT);
        created.assert_success("user create");
        // "created ROLE EMAIL (ID)"
        created
            .stdout
            .lines()
            .find_map(|line| line.strip_prefix("created ")?.rsplit_once(" (")?.1.strip_suffix(')'))
            .unwrap_or_else(|| panic!("no account id printed: {created}"))
            .to_owned()
    }

    /// One more `aukiolo serve` on this deployment.
    pub fn start(&self) -> Server {
        self.launch(Launch::plain().data_dir(&self.dir))
    }

    /// One more `aukiolo serve` on this deployment whose clock starts at `at` and runs on
    /// from there (libfaketime): for what the binary allows only at a visit's time
    /// (arrival, completion, calls), which it checks by its own clock. This test and the
    /// other servers keep theirs.
    pub fn start_at(&self, at: DateTime<Utc>) -> Server {
        assert!(
            std::path::Path::new(LIBFAKETIME).is_file(),
            "{LIBFAKETIME} is missing: run `bash scripts/install-deps` (it installs `faketime`)"
        );
        let launch = Launch::plain()
            .data_dir(&self.dir)
            .env("LD_PRELOAD", LIBFAKETIME)
            .env("FAKETIME", &format!("@{}", at.format("%Y-%m-%d %H:%M:%S")))
            .env("FAKETIME_DONT_FAKE_MONOTONIC", "1")
            .env("TZ", "UTC");
        self.launch(launch)
    }

    fn launch(&self, launch: Launch) -> Server {
        self.env.iter().fold(launch, |launch, (k, v)| launch.env(k, v)).start()
    }

    /// A connection of our own to the servers' database.
    pub fn database(&self) -> PooledConn {
        let backend = Backend::from_url(&self.database_url).expect("the deployment's database URL");
        let pool = aukiolo_store::pool::connect(backend, aukiolo_store::pool::PoolSettings::sized(1))
            .expect("open the deployment's database");
        pool.get().expect("a connection to the deployment's database")
    }
}

/// An office made through the API, with the body it was made from (a `PUT` replaces all).
pub struct Office {
    pub id: String,
    pub fields: Value,
    pub advisors: Vec<String>,
}

/// A booking as its citizen holds it: the reference and the manage link's token.
pub struct Link {
    pub reference: String,
    pub token: String,
    pub start: DateTime<Utc>,
}

impl Link {
    /// From the answer to a booking or a move.
    pub fn from(reply: Reply, status: u16) -> Self {
        let reply = reply.expect_status(status);
        let body = reply.json();
        let text = |key: &str| body[key].as_str().unwrap_or_else(|| panic!("no {key}: {reply}")).to_owned();
        assert_eq!(body["status"], "booked", "{reply}");
        Link { reference: text("reference"), token: text("manage_token"), start: instant(&body["start"]) }
    }

    /// `/api/v1/bookings/REFERENCE` followed by `rest`.
    pub fn path(&self, rest: &str) -> String {
        format!("/api/v1/bookings/{}{rest}", self.reference)
    }

    /// Moves the booking to `start` with its manage link, expecting 200; the new booking.
    pub fn reschedule(&self, server: &Server, start: DateTime<Utc>) -> Link {
        let moved = server
            .request(Method::POST, &self.path("/reschedule"))
            .bearer(&self.token)
            .json(&json!({ "start": iso(start) }))
            .send();
        Link::from(moved, 200)
    }
}

/// A running deployment with its admin signed in and one topic (30 minutes, at the office
/// or by phone).
pub struct Site {
    pub deployment: Deployment,
    pub server: Server,
    pub admin: String,
    pub topic: String,
    /// [`lead`] after the site was made: the tests book from then on. Fixed once, so
    /// every look at the offered times within a test sees the same window.
    pub earliest: DateTime<Utc>,
}

impl Site {
    pub fn sqlite() -> Self {
        Site::on(Deployment::sqlite())
    }

    pub fn on(deployment: Deployment) -> Self {
        deployment.create_user(ADMIN, "admin", None);
        let server = deployment.start();
        let admin = server.login(ADMIN, PASSWORD);
        let earliest = Utc::now() + lead();
        let mut site = Site { deployment, server, admin, topic: String::new(), earliest };
        site.topic = id_of(&site.create(
            "/api/v1/topics",
            &json!({
                "code": "housing_allowance",
                "name": { "fi": "Asumistuki", "sv": "Bostadsbidrag", "en": "Housing allowance" },
                "duration_minutes": 30,
                "channels": ["office", "phone"],
                "what_to_bring": { "fi": "", "sv": "", "en": "" }
            }),
        ));
        site
    }

    /// POSTs as the admin, expecting 201; the resource made.
    pub fn create(&self, path: &str, body: &Value) -> Value {
        self.server
            .request(Method::POST, path)
            .bearer(&self.admin)
            .json(body)
            .send()
            .expect_status(201)
            .json()
    }

    /// An office with these booking rules and `advisors` advisors serving the topic in
    /// Finnish at the office, Monday to Friday 08:00–16:00 in 30-minute slots.
    pub fn office(&self, name: &str, booking_rules: Value, advisors: usize) -> Office {
        let fields = json!({
            "name": { "fi": name, "sv": name, "en": name },
            "address": { "street": "Hämeenkatu 12", "postal_code": "33100", "municipality": "Tampere" },
            "time_zone": TZ.name(),
            "service_mode": "appointment_only",
            "pilot_group": "pilot",
            "languages": ["fi", "sv", "en"],
            "phone": null,
            "booking_rules": booking_rules
        });
        let id = id_of(&self.create("/api/v1/offices", &fields));
        let advisors = (1..=advisors)
            .map(|n| {
                let advisor = id_of(&self.create(
                    "/api/v1/advisors",
                    &json!({
                        "office_id": id,
                        "name": format!("Neuvoja {n}, {name}"),
                        "languages": ["fi", "sv", "en"],
                        "topic_ids": [self.topic],
                        "channels": ["office"],
                        "active": true
                    }),
                ));
                for weekday in 1..=5 {
                    self.create(
                        "/api/v1/schedule-rules",
                        &json!({
                            "advisor_id": advisor,
                            "weekday": weekday,
                            "start": "08:00",
                            "end": "16:00",
                            "channel": "office",
                            "slot_minutes": 30,
                            "breaks": []
                        }),
                    );
                }
                advisor
            })
            .collect();
        Office { id, fields, advisors }
    }

    /// Replaces the office's booking rules (missing ones take their defaults).
    pub fn set_rules(&self, office: &Office, rules: Value) {
        let mut fields = office.fields.clone();
        fields["booking_rules"] = rules;
        self.server
            .request(Method::PUT, &format!("/api/v1/offices/{}", office.id))
            .bearer(&self.admin)
            .json(&fields)
            .send()
            .expect_status(200);
    }

    /// The times citizens are offered at `office` in the 14 days from the local day `from`.
    pub fn free_times(&self, office: &Office, from: NaiveDate) -> Vec<DateTime<Utc>> {
        let path = format!(
            "/api/v1/availability?topic_id={}&channel=office&office_id={}&language=fi&from={from}&to={}",
            self.topic,
            office.id,
            from + Duration::days(14)
        );
        let reply = self.server.get(&path, None).expect_status(200);
        let times = reply.json()["times"].as_array().unwrap_or_else(|| panic!("no times: {reply}")).clone();
        times.iter().map(|t| instant(&t["start"])).collect()
    }

    /// The times offered from [`Site::earliest`] on (14 days of them).
    pub fn offered(&self, office: &Office) -> Vec<DateTime<Utc>> {
        let times = self.free_times(office, local_date(self.earliest));
        times.into_iter().filter(|t| *t >= self.earliest).collect()
    }

    /// The first `N` times offered from [`Site::earliest`] on.
    pub fn first_free<const N: usize>(&self, office: &Office) -> [DateTime<Utc>; N] {
        let times = self.offered(office);
        times
            .get(..N)
            .and_then(|t| t.try_into().ok())
            .unwrap_or_else(|| panic!("fewer than {N} free times: {times:?}"))
    }

    /// The first `N` times offered on one local day, from [`Site::earliest`] on: for
    /// tests that count by day or week, whatever weekday they start on.
    pub fn first_free_on_one_day<const N: usize>(&self, office: &Office) -> [DateTime<Utc>; N] {
        let times = self.offered(office);
        times
            .iter()
            .map(|t| local_date(*t))
            .find_map(|day| {
                let same: Vec<_> = times.iter().copied().filter(|t| local_date(*t) == day).collect();
                same.get(..N).and_then(|t| t.try_into().ok())
            })
            .unwrap_or_else(|| panic!("no day with {N} free times: {times:?}"))
    }

    /// The starts of the open future slots of `office` in `days` local days from `from`
    /// (the staff view, which no booking rule filters).
    pub fn open_slots(&self, office: &Office, from: NaiveDate, days: i64) -> Vec<DateTime<Utc>> {
        let path =
            format!("/api/v1/offices/{}/slots?from={from}&to={}", office.id, from + Duration::days(days));
        let now = Utc::now();
        self.server
            .get(&path, Some(&self.admin))
            .expect_status(200)
            .list()
            .iter()
            .filter(|slot| slot["state"] == "open")
            .map(|slot| instant(&slot["start"]))
            .filter(|start| *start > now)
            .collect()
    }

    /// What a citizen sends to book `start` at `office`.
    pub fn request(&self, office: &Office, start: DateTime<Utc>, personal_id: &str) -> Value {
        json!({
            "topic_id": self.topic,
            "channel": "office",
            "office_id": office.id,
            "start": iso(start),
            "language": "fi",
            "name": "Maija Meikäläinen",
            "personal_id": personal_id,
            "email": "maija@example.fi",
            "phone": "+358401234567",
            "description": "Asumistuen tarkistus muuton jälkeen",
            "needs": {}
        })
    }

    /// Books `start` at `office` for `personal_id`, expecting 201.
    pub fn book(&self, office: &Office, start: DateTime<Utc>, personal_id: &str) -> Link {
        Link::from(book(&self.server, &self.request(office, start, personal_id), None), 201)
    }

    /// The slot holding `link`'s booking in `advisor`'s day, as staff with `token` see it.
    pub fn booked_slot(&self, token: &str, advisor: &str, link: &Link) -> Value {
        let path = format!("/api/v1/staff/advisors/{advisor}/day?date={}", local_date(link.start));
        let day = self.server.get(&path, Some(token)).expect_status(200).json();
        let slots = day["slots"].as_array().unwrap_or_else(|| panic!("no slots: {day}"));
        slots
            .iter()
            .find(|slot| slot["booking"]["reference"] == link.reference.as_str())
            .unwrap_or_else(|| panic!("booking {} not in the day: {day:#}", link.reference))
            .clone()
    }
}

/// `POST /api/v1/bookings` with an `Idempotency-Key` when given.
pub fn book(server: &Server, body: &Value, key: Option<&str>) -> Reply {
    let request = server.request(Method::POST, "/api/v1/bookings").json(body);
    match key {
        Some(key) => request.header("Idempotency-Key", key),
        None => request,
    }
    .send()
}
