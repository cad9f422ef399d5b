//! Shared by the page tests: a database with two offices, two topics and two advisors on
//! weekly templates, the application at a fixed instant (Tuesday 14.9.2027 10.00 in
//! Helsinki), and a small browser that keeps the journey cookie and reads pages.

// Each test crate that includes this module uses a subset of it.
#![allow(dead_code)]

pub mod staff;

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use actix_web::web;
use aukiolo_domain::advisor::AdvisorFields;
use aukiolo_domain::booking::BookingRules;
use aukiolo_domain::booking::{BookedBy, Needs};
use aukiolo_domain::calendar::{ScheduleRuleFields, TimeRange};
use aukiolo_domain::office::{Address, Office, OfficeFields, ServiceMode};
use aukiolo_domain::personal_id::PersonalId;
use aukiolo_domain::topic::{Topic, TopicFields};
use aukiolo_domain::{Channel, LocalisedText};
use aukiolo_store::availability::{self, RulesApply, TimeQuery};
use aukiolo_store::bookings::{self, Actor, Booked, NewBooking};
use aukiolo_store::clock::Clock;
use aukiolo_store::personal_data::PersonalDataKeys;
use aukiolo_store::slots::Horizon;
use aukiolo_store::test_support::TestDb;
use aukiolo_store::{advisors, offices, schedule_rules, topics};
use aukiolo_web::pages::ServiceInfo;
use aukiolo_web::{Secrets, Site};
use chrono::{DateTime, NaiveTime, Utc};

pub const SIGNING: &[u8] = b"web test signing key, 32 bytes..";
pub const PERSONAL: &[u8] = b"web test personal data key";

/// Tuesday 14.9.2027 10.00 in Helsinki.
pub fn start() -> DateTime<Utc> {
    "2027-09-14T07:00:00Z".parse().expect("an instant")
}

pub fn service_info() -> ServiceInfo {
    ServiceInfo {
        phone_number: "020 123 4567".into(),
        phone_hours: LocalisedText {
            fi: "ma–pe 9–16".into(),
            sv: "mån–fre 9–16".into(),
            en: "Mon–Fri 9–16".into(),
        },
        eservice_url: "https://asiointi.example.fi/".into(),
    }
}

fn text(fi: &str, sv: &str, en: &str) -> LocalisedText {
    LocalisedText { fi: fi.into(), sv: sv.into(), en: en.into() }
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("a time")
}

/// What the fixture made.
pub struct World {
    pub site: Site,
    pub clock: Clock,
    pub tampere: Office,
    pub turku: Office,
    /// Offered at offices and by phone.
    pub housing: Topic,
    /// Only at offices.
    pub pension: Topic,
}

fn office(db: &TestDb, name: &str, street: &str, languages: &[&str], now: DateTime<Utc>) -> Office {
    let fields = OfficeFields {
        name: text(name, &format!("{name} (sv)"), &format!("{name} (en)")),
        address: Address {
            street: street.into(),
            postal_code: "33100".into(),
            municipality: "Tampere".into(),
        },
        time_zone: "Europe/Helsinki".into(),
        service_mode: ServiceMode::AppointmentOnly,
        pilot_group: "pilot".into(),
        languages: languages.iter().map(|l| l.parse().expect("a language")).collect(),
        phone: Some("+358201234567".into()),
        booking_rules: BookingRules { holdback_percent: 0, ..BookingRules::default() },
        pilot_start: None,
    };
    offices::create(&mut db.conn(), &fields, now).expect("create office")
}

fn topic(db: &TestDb, code: &str, name: LocalisedText, channels: &[Channel]) -> Topic {
    let fields = TopicFields {
        code: code.into(),
        name,
        duration_minutes: 30,
        channels: channels.to_vec(),
        what_to_bring: text("Vuokrasopimus", "Hyresavtal", "Your tenancy agreement"),
    };
    topics::create(&mut db.conn(), &fields).expect("create topic")
}

/// An advisor on Mon–Fri 8.00–16.00 with a lunch break, over `channel_of(weekday)`.
pub fn advisor(
    db: &TestDb,
    office: &Office,
    topics: &[&Topic],
    channel_of: impl Fn(i16) -> Channel,
    now: DateTime<Utc>,
) {
    let fields = AdvisorFields {
        office_id: office.id,
        name: "Aino Virtanen".into(),
        languages: vec!["fi".parse().unwrap(), "sv".parse().unwrap()],
        topic_ids: topics.iter().map(|t| t.id).collect(),
        channels: vec![Channel::Office, Channel::Phone],
        active: true,
    };
    let advisor = advisors::create(&mut db.conn(), &fields).expect("create advisor");
    let horizon = Horizon::weeks(now, 8);
    for weekday in 1..=5 {
        let rule = ScheduleRuleFields {
            advisor_id: advisor.id,
            weekday,
            start: hm(8, 0),
            end: hm(16, 0),
            channel: channel_of(weekday),
            slot_minutes: 30,
            breaks: vec![TimeRange { start: hm(12, 0), end: hm(12, 30) }],
            valid_from: None,
            valid_until: None,
        };
        schedule_rules::create(&mut db.conn(), &rule, &horizon).expect("create rule");
    }
}

impl World {
    /// The fixture at `now`: Tampere serves both topics in Finnish and Swedish, at the
    /// office Monday to Wednesday and by phone Thursday and Friday; Turku serves both at
    /// the office in Finnish only.
    pub fn at(db: &TestDb, now: DateTime<Utc>) -> World {
        let tampere = office(db, "Tampere", "Hämeenkatu 12", &["fi", "sv"], now);
        let turku = office(db, "Turku", "Humalistonkatu 3", &["fi"], now);
        let housing = topic(
            db,
            "housing",
            text("Asumistuki", "Bostadsbidrag", "Housing allowance"),
            &[Channel::Office, Channel::Phone],
        );
        let pension = topic(db, "pension", text("Eläkkeet", "Pensioner", "Pensions"), &[Channel::Office]);
        advisor(
            db,
            &tampere,
            &[&housing, &pension],
            |d| if d <= 3 { Channel::Office } else { Channel::Phone },
            now,
        );
        advisor(db, &turku, &[&housing, &pension], |_| Channel::Office, now);
        let clock = Clock::manual(now);
        let secrets = Secrets { signing: SIGNING, personal_data: PERSONAL };
        let site = Site::new(db.pool.clone(), clock.clone(), secrets, service_info(), 8);
        World { site, clock, tampere, turku, housing, pension }
    }

    pub fn new(db: &TestDb) -> World {
        World::at(db, start())
    }

    pub fn data(&self) -> web::Data<Site> {
        web::Data::new(self.site.clone())
    }
}

/// A page as the browser got it.
#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    pub headers: actix_web::http::header::HeaderMap,
    pub body: String,
}

impl Page {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// Where a redirect leads (a path).
    pub fn location(&self) -> String {
        assert!(self.status.is_redirection(), "not a redirect: {} {}", self.status, self.body);
        self.header("location").to_owned()
    }

    /// The text between the first `open` and the next `close` after it.
    pub fn between(&self, open: &str, close: &str) -> Option<&str> {
        let start = self.body.find(open)? + open.len();
        let len = self.body[start..].find(close)?;
        Some(&self.body[start..start + len])
    }

    /// The value of the hidden or text input `name`.
    pub fn input(&self, name: &str) -> Option<String> {
        let tag = self.body.split("<input").find(|t| t.contains(&format!("name=\"{name}\"")))?;
        let value = tag.split("value=\"").nth(1)?.split('"').next()?;
        Some(unescape(value))
    }

    /// The values of the radios named `name`, in page order.
    pub fn radios(&self, name: &str) -> Vec<String> {
        self.body
            .split("<input type=\"radio\"")
            .skip(1)
            .filter(|t| t.contains(&format!("name=\"{name}\"")))
            .filter_map(|t| t.split("value=\"").nth(1)?.split('"').next().map(unescape))
            .collect()
    }

    /// The `action` of the page's (last) form.
    pub fn form_action(&self) -> String {
        let form = self.body.rsplit("<form").next().expect("a form");
        unescape(form.split("action=\"").nth(1).and_then(|a| a.split('"').next()).expect("an action"))
    }

    pub fn h1(&self) -> String {
        let inner = self.between("<h1>", "</h1>").unwrap_or_default();
        inner.to_owned()
    }
}

pub fn unescape(s: &str) -> String {
    s.replace("&#38;", "&").replace("&amp;", "&").replace("&quot;", "\"").replace("&#34;", "\"")
}

/// A browser: keeps its cookies (the journey's, a staff session's), sends what a
/// same-origin form sends.
#[derive(Clone, Debug, Default)]
pub struct Browser {
    pub cookies: std::collections::BTreeMap<String, String>,
}

impl Browser {
    fn keep_cookie(&mut self, headers: &actix_web::http::header::HeaderMap) {
        for v in headers.get_all("set-cookie") {
            let v = v.to_str().unwrap_or_default();
            let Some((name, rest)) = v.split_once('=') else { continue };
            let value = rest.split(';').next().unwrap_or_default();
            if value.is_empty() || v.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
    }

    pub async fn send<S, B>(&mut self, app: &S, req: TestRequest) -> Page
    where
        S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
        B: MessageBody,
    {
        let jar: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let req = if jar.is_empty() { req } else { req.insert_header(("cookie", jar.join("; "))) };
        let res = test::call_service(app, req.to_request()).await;
        let (status, headers) = (res.status(), res.headers().clone());
        self.keep_cookie(&headers);
        let body = String::from_utf8(test::read_body(res).await.to_vec()).expect("UTF-8");
        Page { status, headers, body }
    }

    pub async fn get<S, B>(&mut self, app: &S, path: &str) -> Page
    where
        S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
        B: MessageBody,
    {
        self.send(app, TestRequest::get().uri(path)).await
    }

    /// A form POST from our own page.
    pub async fn post<S, B>(&mut self, app: &S, path: &str, form: &[(&str, &str)]) -> Page
    where
        S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
        B: MessageBody,
    {
        let req = TestRequest::post()
            .uri(path)
            .insert_header(("sec-fetch-site", "same-origin"))
            .insert_header(("content-type", "application/x-www-form-urlencoded"))
            .set_payload(serde_urlencoded::to_string(form).expect("a form"));
        self.send(app, req).await
    }
}

/// The application with the pages only, on `world`'s site.
#[macro_export]
macro_rules! app {
    ($world:expr) => {
        actix_web::test::init_service(
            actix_web::App::new().app_data($world.data()).configure(aukiolo_web::configure),
        )
        .await
    };
}

/// Who books in [`book_as`].
pub struct Citizen<'a> {
    pub name: &'a str,
    pub personal_id: &'a str,
    pub email: &'a str,
}

/// Anna, who books in [`book_first`].
pub const ANNA: Citizen<'static> =
    Citizen { name: "Anna", personal_id: "131052-308T", email: "anna@example.fi" };

/// A visit in Swedish at the first free time.
pub fn book_first(db: &TestDb, w: &World) -> aukiolo_domain::booking::Booking {
    let now = w.clock.now();
    let query = housing_at_tampere(w, now, now + chrono::Duration::days(7));
    let start = availability::citizen_times(&mut db.conn(), &query, now).expect("times")[0].start;
    book_as(db, w, start, &ANNA, RulesApply::Yes)
}

fn housing_at_tampere(w: &World, from: DateTime<Utc>, to: DateTime<Utc>) -> TimeQuery {
    TimeQuery {
        topic_id: w.housing.id,
        channel: Channel::Office,
        office_id: Some(w.tampere.id),
        advisor_id: None,
        language: "sv".parse().unwrap(),
        from,
        to,
    }
}

/// A housing visit in Swedish at Tampere at `start`, booked by `who` themselves.
pub fn book_as(
    db: &TestDb,
    w: &World,
    start: DateTime<Utc>,
    who: &Citizen<'_>,
    rules: RulesApply,
) -> aukiolo_domain::booking::Booking {
    let keys = PersonalDataKeys::from_secret(PERSONAL);
    let new = NewBooking {
        query: housing_at_tampere(w, start, start),
        start,
        locale: aukiolo_domain::Locale::Sv,
        name: who.name.into(),
        personal_id: PersonalId::parse(who.personal_id).unwrap(),
        email: who.email.into(),
        phone: None,
        description: "Bostadsbidrag".into(),
        needs: Needs::default(),
        booked_by: BookedBy::CitizenSelf,
    };
    let Booked::Created(b) =
        bookings::book(&mut db.conn(), &keys, &new, None, Actor::Citizen, w.clock.now(), rules)
            .expect("book")
    else {
        panic!("a new booking")
    };
    b
}
