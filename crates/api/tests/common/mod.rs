//! Fixtures shared by the API's HTTP tests: the real application on a fresh database,
//! requests described as data (so tests can be tables), responses read in full, staff
//! accounts with a known password signed in through `POST /api/v1/auth/login`, and
//! offices, topics, advisors and schedule rules created through the API as an admin.
//!
//! The application runs on a manual clock that starts at [`START`], whatever the hour,
//! weekday or season the tests run in; a test moves it with `api.clock`.

// Each test crate that includes this module uses a subset of it.
#![allow(dead_code)]

use actix_web::body::MessageBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::header::{HeaderMap, AUTHORIZATION, CONTENT_TYPE};
use actix_web::http::{Method, StatusCode};
use actix_web::test::{self, TestRequest};
use actix_web::web::{self, Bytes};
use actix_web::App;
use aukiolo_api::auth::jwt::Keys;
use aukiolo_api::{ApiSettings, AppState};
use aukiolo_domain::staff::Role;
use aukiolo_domain::{OfficeId, StaffUserId};
use aukiolo_store::clock::Clock;
use aukiolo_store::passwords as password;
use aukiolo_store::staff::{self, NewStaffUser};
use aukiolo_store::test_support::TestDb;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use serde_json::{json, Value};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::OnceLock;

/// The key the application under test signs tokens with.
pub const SECRET: &[u8] = b"aukiolo api tests: a secret of more than 32 bytes";
/// Every staff account made here has this password.
pub const PASSWORD: &str = "correct horse battery staple";
/// The zone of every office made here.
pub const TZ: chrono_tz::Tz = chrono_tz::Europe::Helsinki;

/// Where every test application's clock starts: Tuesday 14 September 2027, 10:00 in
/// Helsinki. A working day in a week with no holiday, so the standard template has slots
/// on this day and the next; the eight-week slot horizon reaches past the autumn DST
/// change (31 October 2027) and has holiday-free weeks.
pub fn start() -> DateTime<Utc> {
    "2027-09-14T07:00:00Z".parse().expect("an instant")
}

/// The signing keys of the application under test, for hand-made tokens.
pub fn keys() -> Keys {
    Keys::new(SECRET)
}

// ---------------------------------------------------------------------------------------
// Requests and responses
// ---------------------------------------------------------------------------------------

/// What a request carries as its body.
#[derive(Clone, Debug)]
pub enum Body {
    None,
    Json(Value),
    /// Text sent as is, under the given content type (or none).
    Raw {
        content_type: Option<&'static str>,
        text: String,
    },
}

/// A request as data: method, path (with query) and body, without credentials.
#[derive(Clone, Debug)]
pub struct Call {
    pub method: Method,
    pub path: String,
    pub body: Body,
}

impl Call {
    pub fn get(path: impl Into<String>) -> Self {
        Call { method: Method::GET, path: path.into(), body: Body::None }
    }

    pub fn delete(path: impl Into<String>) -> Self {
        Call { method: Method::DELETE, path: path.into(), body: Body::None }
    }

    pub fn post(path: impl Into<String>, body: Value) -> Self {
        Call { method: Method::POST, path: path.into(), body: Body::Json(body) }
    }

    pub fn put(path: impl Into<String>, body: Value) -> Self {
        Call { method: Method::PUT, path: path.into(), body: Body::Json(body) }
    }

    /// The same method and path with a raw body.
    pub fn with_raw(&self, content_type: Option<&'static str>, text: impl Into<String>) -> Self {
        Call { body: Body::Raw { content_type, text: text.into() }, ..self.clone() }
    }

    /// The JSON body as text (empty when there is none).
    pub fn json_text(&self) -> String {
        match &self.body {
            Body::Json(value) => value.to_string(),
            Body::None | Body::Raw { .. } => String::new(),
        }
    }

    pub fn label(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// A response read in full, labelled with the request it answers.
#[derive(Debug)]
pub struct Resp {
    pub label: String,
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Resp {
    async fn read<B: MessageBody>(label: String, res: ServiceResponse<B>) -> Resp {
        let status = res.status();
        let headers = res.headers().clone();
        let body = test::read_body(res).await;
        Resp { label, status, headers, body }
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{}: body is not JSON ({e}): {}", self.label, self.text()))
    }

    /// Asserts the status and returns the body as JSON (`null` when empty).
    pub fn expect(&self, status: StatusCode) -> Value {
        assert_eq!(self.status, status, "{}: unexpected status; body: {}", self.label, self.text());
        if self.body.is_empty() {
            Value::Null
        } else {
            self.json()
        }
    }

    /// Asserts a 2xx answer and returns the body as JSON.
    pub fn expect_success(&self) -> Value {
        assert!(
            self.status.is_success(),
            "{}: expected 2xx, got {}: {}",
            self.label,
            self.status,
            self.text()
        );
        if self.body.is_empty() {
            Value::Null
        } else {
            self.json()
        }
    }

    /// Asserts an RFC 9457 problem of this status and returns the problem document.
    pub fn expect_problem(&self, status: StatusCode) -> Value {
        let problem = self.expect(status);
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "{}: content type of a {status} answer",
            self.label
        );
        assert_eq!(problem["status"], json!(status.as_u16()), "{}: problem status", self.label);
        let kind = problem["type"].as_str().unwrap_or_default();
        assert!(kind.starts_with("urn:aukiolo:problem:"), "{}: problem type {kind:?}", self.label);
        assert!(problem["title"].is_string() && problem["detail"].is_string(), "{}: {problem}", self.label);
        problem
    }

    /// Asserts a 422 validation problem and returns the fields it names, in order.
    pub fn invalid_fields(&self) -> Vec<String> {
        let problem = self.expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(problem["type"], "urn:aukiolo:problem:validation", "{}", self.label);
        let errors = problem["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("{}: a validation problem lists its errors: {problem}", self.label));
        errors
            .iter()
            .map(|e| {
                assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()), "{}: {e}", self.label);
                e["field"].as_str().unwrap_or_else(|| panic!("{}: {e}", self.label)).to_owned()
            })
            .collect()
    }
}

type Handler = Box<dyn Fn(TestRequest) -> Pin<Box<dyn Future<Output = ServiceResponse>>>>;

/// The real application, built exactly as the server builds it, over a test database,
/// on a manual clock.
pub struct Api {
    handler: Handler,
    /// The application's clock, at [`start`] until a test moves it.
    pub clock: Clock,
}

impl Api {
    pub async fn new(db: &TestDb) -> Api {
        let clock = Clock::manual(start());
        let state = AppState::new(db.pool.clone(), ApiSettings::with_secret(SECRET.to_vec()))
            .with_clock(clock.clone());
        let service = Rc::new(
            test::init_service(
                App::new()
                    .wrap(aukiolo_api::default_headers())
                    .app_data(web::Data::new(state))
                    .configure(aukiolo_api::configure),
            )
            .await,
        );
        let handler: Handler = Box::new(move |req| {
            let service = Rc::clone(&service);
            Box::pin(async move { test::call_service(&*service, req.to_request()).await })
        });
        Api { handler, clock }
    }

    /// The application's "now".
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Sends `call` with the given `Authorization` header value, if any.
    pub async fn request(&self, call: &Call, authorization: Option<&str>) -> Resp {
        self.request_with(call, authorization, &[]).await
    }

    /// Sends `call` as `token` with an `Accept` header.
    pub async fn call_accepting(&self, call: &Call, token: &str, accept: &str) -> Resp {
        self.request_with(call, Some(&format!("Bearer {token}")), &[("accept", accept)]).await
    }

    async fn request_with(&self, call: &Call, authorization: Option<&str>, headers: &[(&str, &str)]) -> Resp {
        self.request_from(call, authorization, headers, None).await
    }

    /// Sends `call` as if from the client at `peer`.
    async fn request_from(
        &self,
        call: &Call,
        authorization: Option<&str>,
        headers: &[(&str, &str)],
        peer: Option<std::net::SocketAddr>,
    ) -> Resp {
        let mut req = TestRequest::default().method(call.method.clone()).uri(&call.path);
        if let Some(peer) = peer {
            req = req.peer_addr(peer);
        }
        if let Some(value) = authorization {
            req = req.insert_header((AUTHORIZATION, value.to_owned()));
        }
        for (name, value) in headers {
            req = req.insert_header((name.to_string(), value.to_string()));
        }
        req = match &call.body {
            Body::None => req,
            Body::Json(value) => req.set_json(value),
            Body::Raw { content_type, text } => {
                let req = req.set_payload(text.clone());
                match content_type {
                    Some(ct) => req.insert_header((CONTENT_TYPE, *ct)),
                    None => req,
                }
            }
        };
        let res = (self.handler)(req).await;
        Resp::read(call.label(), res).await
    }

    /// Sends `call` with `token` as a bearer token.
    pub async fn call(&self, call: &Call, token: &str) -> Resp {
        self.request(call, Some(&format!("Bearer {token}"))).await
    }

    /// Sends `call` without credentials.
    pub async fn anonymous(&self, call: &Call) -> Resp {
        self.request(call, None).await
    }

    pub async fn login(&self, email: &str, password: &str) -> Resp {
        self.anonymous(&login_call(email, password)).await
    }

    /// Signs in from the client address `peer` (e.g. `"192.0.2.1:40000"`).
    pub async fn login_from(&self, email: &str, password: &str, peer: &str) -> Resp {
        let peer = peer.parse().expect("a socket address");
        self.request_from(&login_call(email, password), None, &[], Some(peer)).await
    }
}

fn login_call(email: &str, password: &str) -> Call {
    Call::post("/api/v1/auth/login", json!({ "email": email, "password": password }))
}

// ---------------------------------------------------------------------------------------
// Staff
// ---------------------------------------------------------------------------------------

/// The hash of [`PASSWORD`], computed once: argon2 is slow in unoptimised builds.
fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| password::hash(PASSWORD))
}

/// A staff account with its token.
#[derive(Clone, Debug)]
pub struct Member {
    pub id: StaffUserId,
    pub email: String,
    pub role: Role,
    pub office: Option<OfficeId>,
    pub token: String,
}

/// Creates an account directly in the store, with [`PASSWORD`].
pub fn create_staff(db: &TestDb, email: &str, role: Role, office: Option<&str>) -> StaffUserId {
    let office_id = office.map(|o| o.parse::<OfficeId>().expect("office id"));
    let new = NewStaffUser { email, password_hash: password_hash(), role, office_id, advisor_id: None };
    staff::create(&mut db.conn(), &new, start()).expect("create staff user").id
}

/// The member signed in again, at the application's clock as it is now: tokens expire by
/// that clock, so a test that moves it far signs in anew.
pub async fn signed_in_again(api: &Api, m: &Member) -> Member {
    let body = api.login(&m.email, PASSWORD).await.expect(StatusCode::OK);
    let token = body["token"].as_str().expect("login answers a token").to_owned();
    Member { token, ..m.clone() }
}

/// Creates an account and signs in as it through the API.
pub async fn member(api: &Api, db: &TestDb, email: &str, role: Role, office: Option<&str>) -> Member {
    let id = create_staff(db, email, role, office);
    let body = api.login(email, PASSWORD).await.expect(StatusCode::OK);
    let token = body["token"].as_str().expect("login answers a token").to_owned();
    Member { id, email: email.to_owned(), role, office: office.map(|o| o.parse().unwrap()), token }
}

// ---------------------------------------------------------------------------------------
// Request bodies
// ---------------------------------------------------------------------------------------

pub fn office_body(name: &str) -> Value {
    json!({
        "name": { "fi": name, "sv": format!("{name} (sv)"), "en": format!("{name} (en)") },
        "address": {
            "street": "Mannerheimintie 1",
            "postal_code": "00100",
            "municipality": "Helsinki"
        },
        "time_zone": TZ.name(),
        "service_mode": "appointment_only",
        "pilot_group": "pilot",
        "languages": ["fi", "sv"],
        "phone": null
    })
}

pub fn topic_body(code: &str) -> Value {
    json!({
        "code": code,
        "name": { "fi": code, "sv": code, "en": code },
        "duration_minutes": 30,
        "channels": ["office"],
        "what_to_bring": { "fi": "", "sv": "", "en": "" }
    })
}

pub fn advisor_body(office: &str, topics: &[&str]) -> Value {
    json!({
        "office_id": office,
        "name": "Aino Virtanen",
        "languages": ["fi"],
        "topic_ids": topics,
        "channels": ["office"],
        "active": true
    })
}

/// A rule on `weekday` (1 = Monday), 08:00–16:00, 30-minute office slots, lunch 12:00–12:30.
pub fn rule_body(advisor: &str, weekday: u32) -> Value {
    json!({
        "advisor_id": advisor,
        "weekday": weekday,
        "start": "08:00",
        "end": "16:00",
        "channel": "office",
        "slot_minutes": 30,
        "breaks": [{ "start": "12:00", "end": "12:30" }],
        "valid_from": null,
        "valid_until": null
    })
}

pub fn absence_body(advisor: &str, day: NaiveDate) -> Value {
    json!({
        "advisor_id": advisor,
        "starts_at": format!("{day}T06:00:00Z"),
        "ends_at": format!("{day}T10:00:00Z"),
        "kind": "training",
        "note": null
    })
}

pub fn closure_body(office: &str, day: NaiveDate) -> Value {
    json!({ "office_id": office, "first_day": day, "last_day": day, "reason": "Staff training" })
}

/// `value` with the member at JSON pointer `pointer` replaced by `new`.
pub fn with(mut value: Value, pointer: &str, new: Value) -> Value {
    match value.pointer_mut(pointer) {
        Some(slot) => *slot = new,
        None => panic!("no {pointer} in {value}"),
    }
    value
}

/// `value` without the member at JSON pointer `pointer`.
pub fn without(mut value: Value, pointer: &str) -> Value {
    let (parent, key) = pointer.rsplit_once('/').expect("a JSON pointer");
    let removed = value.pointer_mut(parent).and_then(Value::as_object_mut).and_then(|o| o.remove(key));
    assert!(removed.is_some(), "no {pointer} to remove");
    value
}

// ---------------------------------------------------------------------------------------
// Data created through the API
// ---------------------------------------------------------------------------------------

/// POSTs `body` to `path` as `token`, expects 201 and returns the new id.
pub async fn create(api: &Api, token: &str, path: &str, body: Value) -> String {
    let created = api.call(&Call::post(path, body), token).await.expect(StatusCode::CREATED);
    created["id"].as_str().unwrap_or_else(|| panic!("POST {path} answers an id: {created}")).to_owned()
}

pub async fn create_office(api: &Api, token: &str, name: &str) -> String {
    create(api, token, "/api/v1/offices", office_body(name)).await
}

pub async fn create_topic(api: &Api, token: &str, code: &str) -> String {
    create(api, token, "/api/v1/topics", topic_body(code)).await
}

pub async fn create_advisor(api: &Api, token: &str, office: &str, topics: &[&str]) -> String {
    create(api, token, "/api/v1/advisors", advisor_body(office, topics)).await
}

/// The standard template, Monday to Friday 08:00–16:00; returns the rule ids.
pub async fn create_weekday_rules(api: &Api, token: &str, advisor: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for weekday in 1..=5 {
        ids.push(create(api, token, "/api/v1/schedule-rules", rule_body(advisor, weekday)).await);
    }
    ids
}

/// An admin, two offices (A and B), a topic and one advisor in each office.
pub struct World {
    pub api: Api,
    pub admin: Member,
    pub office_a: String,
    pub office_b: String,
    pub topic: String,
    pub advisor_a: String,
    pub advisor_b: String,
}

impl World {
    /// Sets the application's clock to `at` (e.g. a few minutes before a visit, so staff
    /// may record it) and signs the admin in again there.
    pub async fn at(&mut self, at: DateTime<Utc>) {
        self.api.clock.set(at);
        self.admin = signed_in_again(&self.api, &self.admin).await;
    }

    pub async fn new(db: &TestDb) -> World {
        let api = Api::new(db).await;
        let admin = member(&api, db, "admin@aukiolo.test", Role::Admin, None).await;
        let office_a = create_office(&api, &admin.token, "Kamppi").await;
        let office_b = create_office(&api, &admin.token, "Tikkurila").await;
        let topic = create_topic(&api, &admin.token, "housing_allowance").await;
        let advisor_a = create_advisor(&api, &admin.token, &office_a, &[&topic]).await;
        let advisor_b = create_advisor(&api, &admin.token, &office_b, &[&topic]).await;
        World { api, admin, office_a, office_b, topic, advisor_a, advisor_b }
    }
}

// ---------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------

/// The day of [`start`] in Helsinki.
pub fn today() -> NaiveDate {
    start().with_timezone(&TZ).date_naive()
}

/// A Monday at least two weeks ahead whose whole week lies inside the default eight-week
/// slot horizon and has no Finnish holiday, so the standard template gives 75 slots.
pub fn free_week_monday() -> NaiveDate {
    let today = today();
    let horizon_end = today + Duration::days(8 * 7); // the first day no longer in the horizon
    (14..)
        .map(|d| today + Duration::days(d))
        .filter(|d| d.weekday() == Weekday::Mon)
        .take_while(|monday| *monday + Duration::days(7) <= horizon_end)
        .find(|monday| {
            (0..7).all(|d| aukiolo_domain::holidays::holiday_name(*monday + Duration::days(d)).is_none())
        })
        .expect("some week of the horizon has no holiday")
}

/// `GET /api/v1/offices/{office}/slots` for the week starting on `monday`.
pub fn week_slots_call(office: &str, monday: NaiveDate) -> Call {
    Call::get(format!("/api/v1/offices/{office}/slots?from={monday}&to={}", monday + Duration::days(7)))
}

/// Everything the API shows about the world's data, to prove a refused request wrote
/// nothing: the lists of offices, topics, both offices' advisors and closures, advisor
/// A's rules and absences, and office A's slots in a free week.
pub async fn snapshot(w: &World) -> Vec<(String, Value)> {
    let (a, b, adv) = (&w.office_a, &w.office_b, &w.advisor_a);
    let calls = [
        Call::get("/api/v1/offices"),
        Call::get("/api/v1/topics"),
        Call::get(format!("/api/v1/offices/{a}/advisors")),
        Call::get(format!("/api/v1/offices/{b}/advisors")),
        Call::get(format!("/api/v1/offices/{a}/closures")),
        Call::get(format!("/api/v1/offices/{b}/closures")),
        Call::get(format!("/api/v1/advisors/{adv}/schedule-rules")),
        Call::get(format!("/api/v1/advisors/{adv}/absences")),
        week_slots_call(a, free_week_monday()),
    ];
    let mut seen = Vec::new();
    for call in calls {
        let body = w.api.call(&call, &w.admin.token).await.expect(StatusCode::OK);
        seen.push((call.label(), body));
    }
    seen
}

// ---------------------------------------------------------------------------------------
// Bookings
// ---------------------------------------------------------------------------------------

/// Valid personal identity codes (published examples): one citizen each.
pub const PERSONAL_IDS: [&str; 7] =
    ["131052-308T", "010594Y9021", "020594X903P", "020594X902N", "010516B903X", "010501A9032", "290200A905H"];

/// A distinct valid identity code for each `n` below 898: born 1 January 1990,
/// individual number `n + 2`, and its check character.
pub fn citizen(n: usize) -> String {
    let individual = n + 2;
    assert!(individual <= 899, "citizen {n} is out of range");
    let check = b"0123456789ABCDEFHJKLMNPRSTUVWXY"[(10_190_000 + individual) % 31];
    format!("010190-{individual:03}{}", check as char)
}

/// An instant as the API writes it.
pub fn instant(value: &Value) -> DateTime<Utc> {
    serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{value} is not an instant: {e}"))
}

/// The Helsinki day an instant falls on.
pub fn local_day(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&TZ).date_naive()
}

/// `value` (an object) with `key` set to `new`, whether or not it was there.
pub fn plus(mut value: Value, key: &str, new: Value) -> Value {
    match value.as_object_mut() {
        Some(object) => object.insert(key.to_owned(), new),
        None => panic!("{value} is not an object"),
    };
    value
}

/// Changes some of an office's booking rules (e.g. `{"holdback_percent": 0}`) and keeps
/// the rest, through `PUT /api/v1/offices/{id}` as `token`; returns the office.
pub async fn set_booking_rules(api: &Api, token: &str, office: &str, changes: Value) -> Value {
    let path = format!("/api/v1/offices/{office}");
    let mut fields = api.anonymous(&Call::get(&path)).await.expect(StatusCode::OK);
    let object = fields.as_object_mut().expect("an office");
    object.remove("id");
    let rules = object.get_mut("booking_rules").and_then(Value::as_object_mut).expect("booking rules");
    for (key, value) in changes.as_object().expect("rules to change") {
        rules.insert(key.clone(), value.clone());
    }
    api.call(&Call::put(&path, fields), token).await.expect(StatusCode::OK)
}

/// A valid booking request of `topic` at `start` in Finnish: an office visit at `office`,
/// or a phone appointment when `office` is `None`.
pub fn booking_body(topic: &str, office: Option<&str>, start: DateTime<Utc>, personal_id: &str) -> Value {
    let body = json!({
        "topic_id": topic,
        "channel": if office.is_some() { "office" } else { "phone" },
        "start": start,
        "language": "fi",
        "name": "Maija Meikäläinen",
        "personal_id": personal_id,
        "email": "maija@example.fi",
        "phone": "040 123 4567",
        "description": "Asumistuen hakemus",
        "needs": { "interpreter": null, "accessibility": null }
    });
    match office {
        Some(office) => plus(body, "office_id", json!(office)),
        None => body,
    }
}

/// `GET /api/v1/availability` of `topic` in Finnish over the local days `[from, to)`, at
/// `office` or, when `None`, by phone.
pub fn availability_call(topic: &str, office: Option<&str>, from: NaiveDate, to: NaiveDate) -> Call {
    let place = match office {
        Some(office) => format!("channel=office&office_id={office}"),
        None => "channel=phone".to_owned(),
    };
    Call::get(format!("/api/v1/availability?topic_id={topic}&{place}&language=fi&from={from}&to={to}"))
}

/// The free times a citizen sees (see [`availability_call`]).
pub async fn free_times(
    api: &Api,
    topic: &str,
    office: Option<&str>,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<Value> {
    let body = api.anonymous(&availability_call(topic, office, from, to)).await.expect(StatusCode::OK);
    body["times"].as_array().unwrap_or_else(|| panic!("availability lists times: {body}")).clone()
}

/// The starts of the free times of `topic` at `office` in the free week.
pub async fn free_week_starts(api: &Api, topic: &str, office: &str) -> Vec<DateTime<Utc>> {
    let monday = free_week_monday();
    let times = free_times(api, topic, Some(office), monday, monday + Duration::days(7)).await;
    times.iter().map(|t| instant(&t["start"])).collect()
}

/// Books as a citizen; expects 201 and returns the answer (reference, manage token, …).
pub async fn book(api: &Api, body: Value) -> Value {
    api.anonymous(&Call::post("/api/v1/bookings", body)).await.expect(StatusCode::CREATED)
}

/// The id of a booking, from the manage token in the answer to booking it.
pub fn booking_id(created: &Value) -> String {
    let token = created["manage_token"].as_str().unwrap_or_else(|| panic!("a manage token in {created}"));
    aukiolo_store::links::ManageLinks::new(SECRET)
        .verify(token, start())
        .expect("a valid manage token")
        .sub
        .to_string()
}

impl World {
    /// The world with both advisors on the standard weekday template and no hold-back,
    /// so citizens can book every slot of a free week.
    pub async fn bookable(db: &TestDb) -> World {
        let w = World::new(db).await;
        for (office, advisor) in [(&w.office_a, &w.advisor_a), (&w.office_b, &w.advisor_b)] {
            set_booking_rules(&w.api, &w.admin.token, office, json!({ "holdback_percent": 0 })).await;
            create_weekday_rules(&w.api, &w.admin.token, advisor).await;
        }
        w
    }
}
