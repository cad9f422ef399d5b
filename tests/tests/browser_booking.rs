//! The citizen's booking journey in a real browser (see `browser/mod.rs`), against the
//! real binary: every page of the journey checked with axe and the structure checks in
//! fi, sv and en; the whole booking by keyboard with JavaScript off, its confirmation
//! agreeing with the mail the server wrote and with the `.ics`; moving and cancelling
//! through the link in that mail; errors the GOV.UK way; two browsers after the same
//! time; GETs and HEADs that change nothing; the questionnaire from its invitation; and a
//! week with a DST change, on a server whose clock is set there with libfaketime.
//!
//! The flows run on `serve --demo` (shared by the tests of this file that run at the same
//! time, each booking with an identity code and e-mail of its own); the race starts a
//! deployment of its own whose times each have one advisor, and the DST test a demo under
//! a faked clock. Needs `chromium`, `chromium-driver` and `faketime` (`bash
//! scripts/install-deps`).

#[path = "browser/mod.rs"]
mod browser;
mod common;

use aukiolo_store::schema::bookings;
use aukiolo_store::sql_types::DbTime;
use browser::{demo_site, unique, Checker, DemoSite, Session, Shared};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Timelike, Utc};
use common::site::{personal_id, Office, Site, LIBFAKETIME};
use common::{DataDir, Launch};
use diesel::prelude::*;
use icalendar::{Component, DatePerhapsTime, EventLike};
use reqwest::Method;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

// ---------------------------------------------------------------------------------------
// What the pages say, in each language (the catalogues of crates/web and crates/notify)

/// The words a test looks for (and types into the labelled fields), in one language.
struct Words {
    lang: &'static str,
    weekdays: [&'static str; 7],
    /// "klo", "kl.", "at"
    at: &'static str,
    finnish_time: &'static str,
    finnish_time_note: &'static str,
    start_book: &'static str,
    continue_: &'static str,
    next_week: &'static str,
    topic: &'static str,
    office_visit: &'static str,
    phone_appointment: &'static str,
    office: &'static str,
    /// "Ensimmäinen vapaa aika": before the office's first free time in its hint.
    first_free: &'static str,
    /// The name of the page's own language among the appointment's languages.
    language: &'static str,
    matter: &'static str,
    interpreter: &'static str,
    accessibility: &'static str,
    name: &'static str,
    personal_id: &'static str,
    email: &'static str,
    phone_required: &'static str,
    phone_optional: &'static str,
    error_prefix: &'static str,
    change: &'static str,
    book: &'static str,
    booked: &'static str,
    add_to_calendar: &'static str,
    manage_link: &'static str,
    /// "Soitamme sinulle numeroon "
    we_will_call: &'static str,
    taken: &'static str,
    manage: &'static str,
    move_link: &'static str,
    cancel_link: &'static str,
    /// The move confirmation's question around the old and the new time.
    move_question: (&'static str, &'static str, &'static str),
    move_yes: &'static str,
    moved: &'static str,
    /// The cancel confirmation's question around the time.
    cancel_question: (&'static str, &'static str),
    cancel_yes: &'static str,
    cancelled: &'static str,
    link_invalid: &'static str,
    link_expired: &'static str,
    resend_sent: &'static str,
    questionnaire_title: &'static str,
    nps_top: &'static str,
    csat_top: &'static str,
    ces_top: &'static str,
    prefer_appointment: &'static str,
    knew_online: &'static str,
    partly_online: &'static str,
    comments: &'static str,
    send_answers: &'static str,
    thanks: &'static str,
    answered: &'static str,
    mail_confirmed: &'static str,
    mail_moved: &'static str,
    mail_cancelled: &'static str,
    mail_questionnaire: &'static str,
    mail_time: &'static str,
    mail_place: &'static str,
    mail_reference: &'static str,
}

const FI: Words = Words {
    lang: "fi",
    weekdays: ["maanantai", "tiistai", "keskiviikko", "torstai", "perjantai", "lauantai", "sunnuntai"],
    at: "klo",
    finnish_time: "Suomen aikaa",
    finnish_time_note: "Ajat ovat Suomen aikaa.",
    start_book: "Varaa aika",
    continue_: "Jatka",
    next_week: "Seuraava viikko",
    topic: "Asumistuki",
    office_visit: "Käynti palvelupisteessä",
    phone_appointment: "Puhelinaika",
    office: "Turun palvelupiste",
    first_free: "Ensimmäinen vapaa aika",
    language: "suomi",
    matter: "Mitä asiasi koskee?",
    interpreter: "Tulkin kieli (vapaaehtoinen)",
    accessibility: "Saavutettavuustarpeet (vapaaehtoinen)",
    name: "Nimi",
    personal_id: "Henkilötunnus",
    email: "Sähköpostiosoite",
    phone_required: "Puhelinnumero",
    phone_optional: "Puhelinnumero (vapaaehtoinen)",
    error_prefix: "Virhe: ",
    change: "Muuta",
    book: "Varaa aika",
    booked: "Aika on varattu",
    add_to_calendar: "Lisää kalenteriin (.ics)",
    manage_link: "Katso, siirrä tai peru varaus",
    we_will_call: "Soitamme sinulle numeroon ",
    taken: "Valitsemasi aika ehdittiin juuri varata toiselle.",
    manage: "Varauksesi",
    move_link: "Siirrä aikaa",
    cancel_link: "Peru aika",
    move_question: ("Siirretäänkö aika ", " uuteen aikaan ", "?"),
    move_yes: "Kyllä, siirrä aika",
    moved: "Aika on siirretty.",
    cancel_question: ("Perutaanko aika ", "?"),
    cancel_yes: "Kyllä, peru aika",
    cancelled: "Tämä aika on peruttu.",
    link_invalid: "Linkki ei ole voimassa",
    link_expired: "Linkki on vanhentunut",
    resend_sent: "Pyyntö vastaanotettu",
    questionnaire_title: "Kerro kokemuksestasi Kelan palvelusta",
    nps_top: "10 – erittäin todennäköistä",
    csat_top: "5 – erittäin tyytyväinen",
    ces_top: "7 – erittäin helppoa",
    prefer_appointment: "Varaisin ajan",
    knew_online: "Kelan verkkoasiointi",
    partly_online: "Osittain",
    comments: "Mitä muuta haluaisit kertoa meille?",
    send_answers: "Lähetä vastaukset",
    thanks: "Kiitos vastauksistasi",
    answered: "Kyselyyn on jo vastattu",
    mail_confirmed: "Ajanvarauksesi on vahvistettu",
    mail_moved: "Ajanvarauksesi on siirretty",
    mail_cancelled: "Ajanvarauksesi on peruttu",
    mail_questionnaire: "Miten asiointisi sujui?",
    mail_time: "Aika: ",
    mail_place: "Paikka: ",
    mail_reference: "Varaustunnus: ",
};

const SV: Words = Words {
    lang: "sv",
    weekdays: ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"],
    at: "kl.",
    finnish_time: "finsk tid",
    finnish_time_note: "Tiderna anges i finsk tid.",
    start_book: "Boka tid",
    continue_: "Fortsätt",
    next_week: "Nästa vecka",
    topic: "Bostadsbidrag",
    office_visit: "Besök på ett serviceställe",
    phone_appointment: "Telefontid",
    office: "Åbo servicekontor",
    first_free: "Första lediga tid",
    language: "svenska",
    matter: "Vad gäller ditt ärende?",
    interpreter: "Tolkens språk (frivilligt)",
    accessibility: "Behov av tillgänglighet (frivilligt)",
    name: "Namn",
    personal_id: "Personbeteckning",
    email: "E-postadress",
    phone_required: "Telefonnummer",
    phone_optional: "Telefonnummer (frivilligt)",
    error_prefix: "Fel: ",
    change: "Ändra",
    book: "Boka tiden",
    booked: "Tiden är bokad",
    add_to_calendar: "Lägg till i kalendern (.ics)",
    manage_link: "Se, flytta eller avboka bokningen",
    we_will_call: "Vi ringer dig på numret ",
    taken: "Tiden du valde har just bokats av någon annan.",
    manage: "Din bokning",
    move_link: "Flytta tiden",
    cancel_link: "Avboka tiden",
    move_question: ("Ska tiden ", " flyttas till ", "?"),
    move_yes: "Ja, flytta tiden",
    moved: "Tiden har flyttats.",
    cancel_question: ("Ska tiden ", " avbokas?"),
    cancel_yes: "Ja, avboka tiden",
    cancelled: "Den här tiden är avbokad.",
    link_invalid: "Länken är inte giltig",
    link_expired: "Länken har gått ut",
    resend_sent: "Begäran har tagits emot",
    questionnaire_title: "Berätta om din erfarenhet av FPA:s service",
    nps_top: "10 – mycket sannolikt",
    csat_top: "5 – mycket nöjd",
    ces_top: "7 – mycket lätt",
    prefer_appointment: "Jag skulle boka en tid",
    knew_online: "FPA:s e-tjänst",
    partly_online: "Delvis",
    comments: "Vill du berätta något mer för oss?",
    send_answers: "Skicka svaren",
    thanks: "Tack för dina svar",
    answered: "Enkäten är redan besvarad",
    mail_confirmed: "Din tidsbokning är bekräftad",
    mail_moved: "Din bokade tid har flyttats",
    mail_cancelled: "Din bokade tid har avbokats",
    mail_questionnaire: "Hur gick ditt ärende?",
    mail_time: "Tid: ",
    mail_place: "Plats: ",
    mail_reference: "Bokningskod: ",
};

const EN: Words = Words {
    lang: "en",
    weekdays: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    at: "at",
    finnish_time: "Finnish time",
    finnish_time_note: "Times are in Finnish time.",
    start_book: "Book an appointment",
    continue_: "Continue",
    next_week: "Next week",
    topic: "Housing allowance",
    office_visit: "Visit to an office",
    phone_appointment: "Phone appointment",
    office: "Turku service point",
    first_free: "First free time",
    language: "English",
    matter: "What is your matter?",
    interpreter: "Interpreter's language (optional)",
    accessibility: "Accessibility needs (optional)",
    name: "Name",
    personal_id: "Personal identity code",
    email: "Email address",
    phone_required: "Phone number",
    phone_optional: "Phone number (optional)",
    error_prefix: "Error: ",
    change: "Change",
    book: "Book appointment",
    booked: "Appointment booked",
    add_to_calendar: "Add to calendar (.ics)",
    manage_link: "View, move or cancel the booking",
    we_will_call: "We will call you at ",
    taken: "The time you chose was just booked by someone else.",
    manage: "Your booking",
    move_link: "Move the appointment",
    cancel_link: "Cancel the appointment",
    move_question: ("Move the appointment on ", " to ", "?"),
    move_yes: "Yes, move it",
    moved: "Your appointment has been moved.",
    cancel_question: ("Cancel the appointment on ", "?"),
    cancel_yes: "Yes, cancel it",
    cancelled: "This appointment is cancelled.",
    link_invalid: "This link is not valid",
    link_expired: "This link has expired",
    resend_sent: "Request received",
    questionnaire_title: "Tell us about your experience of Kela's service",
    nps_top: "10 – extremely likely",
    csat_top: "5 – very satisfied",
    ces_top: "7 – very easy",
    prefer_appointment: "Book an appointment",
    knew_online: "Kela's online service",
    partly_online: "Partly",
    comments: "Is there anything else you would like to tell us?",
    send_answers: "Send answers",
    thanks: "Thank you for your answers",
    answered: "This questionnaire has already been answered",
    mail_confirmed: "Your appointment is confirmed",
    mail_moved: "Your appointment has been moved",
    mail_cancelled: "Your appointment has been cancelled",
    mail_questionnaire: "How did your visit go?",
    mail_time: "Time: ",
    mail_place: "Place: ",
    mail_reference: "Booking reference: ",
};

/// The demo office the flows book at, in Finnish (every language served there), and its
/// address as every page and mail writes it.
const TURKU: &str = "Turun palvelupiste";
const TURKU_ADDRESS: &str = "Humalistonkatu 3, 20100 Turku";
/// The topic the flows book (30 minutes, at the office or by phone).
const TOPIC: &str = "housing_allowance";

impl Words {
    /// "keskiviikko 2.12.2026"
    fn date(&self, d: NaiveDate) -> String {
        format!(
            "{} {}.{}.{}",
            self.weekdays[d.weekday().num_days_from_monday() as usize],
            d.day(),
            d.month(),
            d.year()
        )
    }

    /// "keskiviikko 2.12.2026 klo 9.00–9.30", on the office's (Finnish) wall clock.
    fn when(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> String {
        let (from, to) = (local(start), local(end));
        format!("{} {} {}–{}", self.date(from.date()), self.at, clock(from.time()), clock(to.time()))
    }

    /// "keskiviikko 2.12.2026 klo 9.00–9.30 (Suomen aikaa)", as the booking's pages say it.
    fn when_with_zone(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> String {
        format!("{} ({})", self.when(start, end), self.finnish_time)
    }

    /// "keskiviikko 2.12.2026 klo 9.00", as the mails say it.
    fn mail_when(&self, start: DateTime<Utc>) -> String {
        let from = local(start);
        format!("{} {} {}", self.date(from.date()), self.at, clock(from.time()))
    }
}

/// "keskiviikko 2.12.2026 klo 9.00" read back (the weekday checked against the date).
fn parse_when(w: &Words, text: &str) -> chrono::NaiveDateTime {
    let parsed = text.rsplit_once(&format!(" {} ", w.at)).and_then(|(day, time)| {
        let date = NaiveDate::parse_from_str(day.rsplit(' ').next()?, "%d.%m.%Y").ok()?;
        let time = NaiveTime::parse_from_str(time, "%H.%M").ok()?;
        (w.date(date) == day).then(|| date.and_time(time))
    });
    parsed.unwrap_or_else(|| panic!("not a date and time in {}: {text:?}", w.lang))
}

/// Finnish wall-clock time.
fn local(t: DateTime<Utc>) -> chrono::NaiveDateTime {
    t.with_timezone(&chrono_tz::Europe::Helsinki).naive_local()
}

/// "9.00", "14.30".
fn clock(t: NaiveTime) -> String {
    format!("{}.{:02}", t.hour(), t.minute())
}

fn instant(value: &str) -> DateTime<Utc> {
    value.parse().unwrap_or_else(|e| panic!("not an instant: {value:?}: {e}"))
}

/// How far ahead the flows book: past the demo's two hours' notice and change cut-off,
/// with an hour to spare for a slow run.
fn lead() -> Duration {
    Duration::hours(3)
}

// ---------------------------------------------------------------------------------------
// A citizen

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Channel {
    Office,
    Phone,
}

/// Who books: a distinct identity code and address for every booking of the process.
struct Citizen {
    name: String,
    personal_id: String,
    email: String,
    phone: &'static str,
    matter: String,
}

impl Citizen {
    fn new(tag: &str) -> Citizen {
        let n = unique();
        Citizen {
            name: format!("Åsa Öberg-Mäkinen {n}"),
            // 100 + n: clear of the codes the other end-to-end helpers start from.
            personal_id: personal_id(100 + n),
            email: format!("{tag}.{n}@example.fi"),
            phone: "040 123 4567",
            matter: format!("Asumistuen tarkistus muuton jälkeen ({tag} {n})"),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Reading the pages

/// The times a time page offers: (value, label, the day's legend), in page order.
fn offered_times(s: &Session) -> Vec<(String, String, String)> {
    let found = s.execute(
        r#"
        const text = e => ((e && e.textContent) || '').trim();
        return [...document.querySelectorAll('input[type=radio][name=start]')].map(r => [
          r.value,
          text(document.querySelector('label[for="' + r.id + '"]')),
          text(r.closest('fieldset') && r.closest('fieldset').querySelector('legend')),
        ]);
        "#,
        vec![],
    );
    found
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| {
            let text = |i: usize| t[i].as_str().unwrap_or_default().to_owned();
            (text(0), text(1), text(2))
        })
        .collect()
}

/// The day a test books on: the tests of a process that share the demo each take a day
/// of their own (the `n`th day with free times at least [`lead`] ahead), so that two
/// running side by side never reach for the same slot.
#[derive(Clone, Copy, Debug)]
struct Lane(usize);

impl Lane {
    fn next() -> Lane {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        Lane(NEXT.fetch_add(1, Ordering::Relaxed))
    }

    /// Of `times` (in order), the first on the lane's day that `skip` does not exclude.
    fn pick<T: Clone>(
        self,
        times: &[T],
        start: impl Fn(&T) -> DateTime<Utc>,
        skip: impl Fn(&T) -> bool,
    ) -> Option<T> {
        let earliest = Utc::now() + lead();
        let mut days: Vec<NaiveDate> = Vec::new();
        for t in times.iter().filter(|t| start(t) >= earliest) {
            let day = local(start(t)).date();
            if !days.contains(&day) {
                days.push(day);
            }
        }
        let day = *days.get(self.0)?;
        times.iter().find(|t| start(t) >= earliest && local(start(t)).date() == day && !skip(t)).cloned()
    }
}

/// On a time page: the first time on `lane`'s day that `skip` does not exclude, going on
/// to the next weeks (by keyboard) until it is shown; its value, label and day.
fn first_time(s: &Session, w: &Words, lane: Lane, skip: impl Fn(&str) -> bool) -> (String, String, String) {
    let mut seen: Vec<(String, String, String)> = Vec::new();
    for _ in 0..8 {
        seen.extend(offered_times(s));
        if let Some(found) = lane.pick(&seen, |(v, _, _)| instant(v), |(v, _, _)| skip(v)) {
            return found;
        }
        s.follow(w.next_week);
    }
    panic!("no free time for {lane:?} in eight weeks up to {}", s.current_path());
}

/// The texts of the `dl.summary` rows: (label, value).
fn summary(s: &Session) -> Vec<(String, String)> {
    let rows = s.execute(
        r#"
        return [...document.querySelectorAll('dl.summary .summary__row')].map(r => [
          r.querySelector('dt').innerText.trim(), r.querySelector('dd').innerText.trim().replace(/\s+/g, ' ')]);
        "#,
        vec![],
    );
    rows.as_array()
        .into_iter()
        .flatten()
        .map(|r| (r[0].as_str().unwrap_or_default().to_owned(), r[1].as_str().unwrap_or_default().to_owned()))
        .collect()
}

/// The visible text of `main`.
fn main_text(s: &Session) -> String {
    s.text_of("main")
}

/// The address of the link named `label` (found without the keyboard, for reading).
fn href_of(s: &Session, label: &str) -> String {
    let href = s.execute(
        "const a = [...document.querySelectorAll('a')].find(a => a.textContent.trim().replace(/\\s+/g, ' ') === arguments[0]);
         return a ? a.href : null;",
        vec![json!(label)],
    );
    href.as_str().unwrap_or_else(|| panic!("no link {label:?} on {}", s.current_path())).to_owned()
}

/// Fills the fields of `main form` by their ids and submits it, by script (for reaching a
/// page in the axe session; the keyboard flows type).
fn submit_by_script(s: &Session, values: &[(&str, &str)]) {
    let values: Vec<Value> = values.iter().map(|(k, v)| json!([k, v])).collect();
    s.expect_new_page("submitting the form by script", || {
        s.execute(
            "for (const [id, v] of arguments[0]) document.getElementById(id).value = v;
             document.querySelector('main form').submit();",
            vec![json!(values)],
        );
    });
}

// ---------------------------------------------------------------------------------------
// Outside the browser

/// A client that follows no redirect.
fn http() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(std::time::Duration::from_secs(60))
        .pool_idle_timeout(common::CLIENT_IDLE)
        .build()
        .expect("an HTTP client")
}

struct Fetched {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: String,
}

impl Fetched {
    fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
    }
}

fn fetch(method: Method, url: &str) -> Fetched {
    let response =
        http().request(method.clone(), url).send().unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.text().unwrap_or_default();
    Fetched { status, headers, body }
}

/// The one event of an `.ics`: its start, end, UID, description and location.
struct Event {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    uid: String,
    description: String,
    location: String,
}

fn event(ics: &str) -> Event {
    let calendar: icalendar::Calendar = ics.parse().unwrap_or_else(|e| panic!("{e}: {ics}"));
    let events: Vec<_> = calendar.events().collect();
    assert_eq!(events.len(), 1, "{ics}");
    let utc = |t: Option<DatePerhapsTime>| match t {
        Some(DatePerhapsTime::DateTime(icalendar::CalendarDateTime::Utc(t))) => t,
        other => panic!("not a UTC time: {other:?} in {ics}"),
    };
    let e = events[0];
    Event {
        start: utc(e.get_start()),
        end: utc(e.get_end()),
        uid: e.get_uid().unwrap_or_default().to_owned(),
        description: e.get_description().unwrap_or_default().replace("\\n", "\n"),
        location: e.get_location().unwrap_or_default().to_owned(),
    }
}

/// The times the public API offers for [`TOPIC`] at `office` in `lang`, six weeks from
/// today.
fn free_times(site: &DemoSite, office: &Value, lang: &str) -> Vec<DateTime<Utc>> {
    let from = local(Utc::now()).date();
    let path = format!(
        "/api/v1/availability?topic_id={}&channel=office&office_id={}&language={lang}&from={from}&to={}",
        site.topic(TOPIC)["id"].as_str().unwrap_or_default(),
        office["id"].as_str().unwrap_or_default(),
        from + Duration::days(42)
    );
    let reply = site.server.get(&path, None).expect_status(200);
    let times = reply.json()["times"].as_array().cloned().unwrap_or_else(|| panic!("no times: {reply}"));
    times.iter().map(|t| instant(t["start"].as_str().unwrap_or_default())).collect()
}

/// Books `topic` at `office` in `lang` through the public API, at the first time still
/// free on `lane`'s day; (reference, manage token, start).
fn book_by_api(
    site: &DemoSite,
    office: &Value,
    lang: &str,
    who: &Citizen,
    lane: Lane,
) -> (String, String, DateTime<Utc>) {
    let topic = site.topic(TOPIC);
    let times = free_times(site, office, lang);
    let mut tried = Vec::new();
    while let Some(start) = lane.pick(&times, |t| *t, |t| tried.contains(t)) {
        tried.push(start);
        let body = json!({
            "topic_id": topic["id"], "channel": "office", "office_id": office["id"],
            "start": start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "language": lang, "name": who.name, "personal_id": who.personal_id, "email": who.email,
            "phone": who.phone, "description": who.matter, "needs": {}
        });
        let reply = site.server.post_json("/api/v1/bookings", &body);
        if reply.status == 409 {
            continue; // taken by another test meanwhile
        }
        let reply = reply.expect_status(201);
        let booked = reply.json();
        let text = |k: &str| booked[k].as_str().unwrap_or_else(|| panic!("no {k}: {reply}")).to_owned();
        return (text("reference"), text("manage_token"), start);
    }
    panic!("nothing could be booked at {} on the day of {lane:?}: {times:?}", office["name"]["fi"]);
}

/// The `responses` of `office` in the ISO week of `visit` in the metrics, as the pilot
/// lead reads them (0 without a row).
fn responses(site: &DemoSite, office: &Value, visit: DateTime<Utc>) -> i64 {
    let day = local(visit).date();
    let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
    let week = format!("{}-W{:02}", day.iso_week().year(), day.iso_week().week());
    let path =
        format!("/api/v1/metrics?from={monday}&to={}&group_by=office,week", monday + Duration::days(7));
    let rows = site.server.get(&path, Some(&site.pilot_lead())).expect_status(200).json()["rows"].clone();
    rows.as_array()
        .into_iter()
        .flatten()
        .find(|r| r["group"]["office"] == office["id"] && r["group"]["week"] == week.as_str())
        .map_or(0, |r| r["responses"].as_i64().unwrap_or_else(|| panic!("no responses in {r}")))
}

/// The demo office `name_fi`, its questionnaire sent as soon as a visit is completed.
fn office_inviting_at_once(site: &DemoSite, name_fi: &str) -> Value {
    let office = site.office(name_fi);
    site.set_rules(&office, |rules| rules["questionnaire_delay_minutes"] = json!(0));
    office
}

/// Completes the visit `reference` and returns the questionnaire link of its invitation.
fn questionnaire_link(site: &DemoSite, w: &Words, reference: &str, email: &str) -> String {
    let _at_visit = site.complete_visit(reference);
    let invitation = site.wait_for_mail(email, w.mail_questionnaire);
    let link =
        invitation.link("/questionnaire/").unwrap_or_else(|| panic!("no questionnaire link: {invitation}"));
    assert!(link.contains(&format!("/{}/questionnaire/", w.lang)), "not in the booking's language: {link}");
    link
}

// =======================================================================================
// 1. Every page of the journey, checked with axe and the structure checks

/// Drives a whole journey in a session with JavaScript on and checks every page it meets
/// with [`Checker`] (axe, `lang`, one `h1`, unique titles, skip link, language links,
/// nothing from another host, reflow at 320 px, visible focus): the four questions, the
/// time, matter, details (empty and with errors), check, confirmation, manage, move, move
/// confirmation, cancel, lost link (form, errors, request received), questionnaire,
/// thanks, already answered, 403 and 404.
fn every_booking_page_in(w: &Words) {
    // A demo of its own: the visit is completed by a server at the visit's time, whose
    // worker sends what is due by then (see `DemoSite::complete_visit`).
    let site = DemoSite::start(Launch::demo());
    let lang = w.lang;
    let office = office_inviting_at_once(&site, TURKU);
    let topic = site.topic(TOPIC);
    let who = Citizen::new(&format!("axe-{lang}"));
    let lane = Lane::next();
    let js = Session::with_javascript();
    let mut pages = Checker::new(&js);
    let url = |path: &str| site.url(&format!("/{lang}{path}"));

    // The questions: the first by the journey's own start, the others by their answers.
    let topic_page = pages.url(&url("/book"));
    assert!(topic_page.url.contains(&format!("/{lang}/book/topic")), "{topic_page:?}");
    let choices = format!("topic={}", topic["id"].as_str().unwrap_or_default());
    pages.url(&url(&format!("/book/channel?{choices}")));
    let choices = format!("{choices}&channel=office");
    pages.url(&url(&format!("/book/office?{choices}")));
    let choices = format!("{choices}&office={}", office["id"].as_str().unwrap_or_default());
    pages.url(&url(&format!("/book/language?{choices}")));
    let choices = format!("{choices}&language={lang}");
    let time_page = url(&format!("/book/time?{choices}"));
    pages.url(&time_page);
    js.goto(&time_page);
    let (start, _, _) = first_time(&js, w, lane, |_| false);

    // Matter and details need the journey's cookie: this session answers them.
    let matter_page = url(&format!("/book/matter?{choices}&start={}", urlencode(&start)));
    pages.url(&matter_page);
    js.goto(&matter_page);
    js.fill(w.matter, &who.matter);
    js.submit(w.continue_);
    let details_page = js.current_url().to_string();
    assert!(details_page.contains("/book/details"), "{details_page}");
    pages.url(&details_page);
    let with_errors = pages.reached("the details page with errors", |s| {
        s.goto(&details_page);
        submit_by_script(
            s,
            &[("name", "Maija"), ("personal_id", "131052-308X"), ("email", "a,b@example.fi")],
        );
    });
    assert!(with_errors.title.starts_with(w.error_prefix), "{with_errors:?}");
    js.goto(&details_page);
    js.fill(w.name, &who.name);
    js.fill(w.personal_id, &who.personal_id);
    js.fill(w.email, &who.email);
    js.submit(w.continue_);
    let check_page = js.current_url().to_string();
    assert!(check_page.contains("/book/check"), "{check_page}");
    pages.url(&check_page);

    js.goto(&check_page);
    js.submit(w.book);
    let confirmation = js.current_url().to_string();
    assert!(confirmation.contains(&format!("/{lang}/booking/")), "{confirmation}");
    let reference = js.text_of("span.panel__reference");
    let manage = href_of(&js, w.manage_link);
    pages.url(&confirmation);

    // The booking's own pages, while it can still be moved and cancelled.
    pages.url(&manage);
    js.goto(&manage);
    let move_page = href_of(&js, w.move_link);
    let cancel_page = href_of(&js, w.cancel_link);
    pages.url(&move_page);
    js.goto(&move_page);
    let (other, _, _) = first_time(&js, w, lane, |v| v == start);
    let token = manage.split("?t=").nth(1).expect("a token in the manage link").to_owned();
    pages.url(&url(&format!("/manage/{reference}/move/confirm?t={token}&start={}", urlencode(&other))));
    pages.url(&cancel_page);

    // The lost link: its form, its errors, and the neutral answer (a reference of its
    // own each time: three requests a reference an hour are allowed).
    let resend = url("/manage/resend");
    pages.url(&resend);
    pages.reached("the lost-link form with errors", |s| {
        s.goto(&resend);
        submit_by_script(s, &[]);
    });
    let sent = pages.reached("the lost-link answer", |s| {
        s.goto(&resend);
        let fake = format!("AXE-{:03}-{lang}", unique());
        submit_by_script(s, &[("reference", &fake), ("email", "nobody@example.fi")]);
    });
    assert_eq!(sent.h1, w.resend_sent, "{sent:?}");

    // After the visit: the questionnaire from the invitation, thanks, already answered.
    let questionnaire = questionnaire_link(&site, w, &reference, &who.email);
    let asked = pages.url(&questionnaire);
    assert_eq!(asked.h1, w.questionnaire_title, "{asked:?}");
    js.goto(&questionnaire);
    js.expect_new_page("answering the questionnaire by script", || {
        js.execute(
            "for (const [n, v] of [['recommend', '9'], ['satisfaction', '4'], ['effort', '6']])
               document.querySelector(`input[name=${n}][value='${v}']`).checked = true;
             document.querySelector('main form').submit();",
            vec![],
        );
    });
    let thanks = js.current_url().to_string();
    assert!(thanks.ends_with(&format!("/{lang}/questionnaire/thanks")), "{thanks}");
    assert_eq!(pages.url(&thanks).h1, w.thanks);
    assert_eq!(pages.url(&questionnaire).h1, w.answered);

    // Error pages: a link that was altered, a path that is no page.
    let invalid = pages.url(&format!("{manage}x"));
    assert_eq!(invalid.h1, w.link_invalid, "{invalid:?}");
    pages.url(&url("/no-such-page"));
    let checked = pages.finish();
    links_lead_somewhere(&checked);
}

/// Every link of the pages checked (on this server) answers a GET and a HEAD alike with
/// a page or a redirect, never an error (the links with the journey's answers and the
/// booking's token in them too: a GET changes nothing); but a language link of an error
/// page leads to the same error in another language, so it answers as the page does.
fn links_lead_somewhere(checked: &[browser::Checked]) {
    let mut seen: Vec<&str> = Vec::new();
    let mut broken = Vec::new();
    for page in checked {
        let own = fetch(Method::GET, &page.url).status;
        let rest =
            |u: &str| url::Url::parse(u).ok().map(|u| u.path().splitn(3, '/').nth(2).map(str::to_owned));
        for link in &page.links {
            if seen.contains(&link.as_str()) {
                continue;
            }
            seen.push(link);
            let same_page = rest(link) == rest(&page.url)
                && link.split_once('?').map(|q| q.1) == page.url.split_once('?').map(|q| q.1);
            let (get, head) = (fetch(Method::GET, link).status, fetch(Method::HEAD, link).status);
            let expected = if same_page { get == own } else { get < 400 };
            if !expected || head != get {
                broken.push(format!("{link} (GET {get}, HEAD {head}) on {} ({own})", page.url));
            }
        }
    }
    assert!(broken.is_empty(), "{} broken link(s):\n{}", broken.len(), broken.join("\n"));
}

fn urlencode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

#[test]
fn every_booking_page_in_finnish() {
    every_booking_page_in(&FI);
}

#[test]
fn every_booking_page_in_swedish() {
    every_booking_page_in(&SV);
}

#[test]
fn every_booking_page_in_english() {
    every_booking_page_in(&EN);
}

// =======================================================================================
// 2 and 3. The whole booking by keyboard with JavaScript off; errors the GOV.UK way

/// What a keyboard journey booked.
struct Booked {
    reference: String,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    /// The confirmation's `.ics` link.
    calendar: String,
}

/// The GOV.UK error pattern on the page shown: the title starts with "Virhe: ", the
/// summary links to exactly `fields` (in order) and each link's target is the field with
/// that id, described by its message beside it; following the first link by keyboard
/// puts the focus on its field.
fn assert_govuk_errors(s: &Session, w: &Words, fields: &[&str]) {
    let title = s.title();
    assert!(
        title.starts_with(w.error_prefix),
        "the title {title:?} of {} lacks {:?}",
        s.current_path(),
        w.error_prefix
    );
    let links: Vec<String> = s
        .find_all("div.error-summary a")
        .into_iter()
        .map(|a| s.block_on("reading a link", a.attr("href")).unwrap_or_default())
        .collect();
    let wanted: Vec<String> = fields.iter().map(|f| format!("#{f}")).collect();
    assert_eq!(links, wanted, "the error summary's links on {}", s.current_path());
    for field in fields {
        assert_eq!(s.count(&format!("[id=\"{field}\"]")), 1, "no one field #{field} on {}", s.current_path());
        let message = format!("{field}-error");
        assert_eq!(s.count(&format!("p.error-message[id=\"{message}\"]")), 1, "no message beside #{field}");
        let described = s.attr_of(&format!("[id=\"{field}\"]"), "aria-describedby").unwrap_or_default();
        assert!(described.split_whitespace().any(|d| d == message), "#{field} is described by {described:?}");
    }
    // The summary's first link, by keyboard: the focus moves to its field.
    let first = s.texts_of("div.error-summary a").into_iter().next().expect("a summary link");
    s.tab_to(&first);
    s.enter();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    loop {
        let id = s.block_on("reading the focused id", s.focused().element.attr("id")).unwrap_or_default();
        if id == fields[0] {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the summary link {first:?} moved the focus to #{id}, not #{}",
            fields[0]
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// The whole booking as a citizen without JavaScript does it, by keyboard alone, from the
/// start page to the confirmation; on the details page first with nothing, then with a
/// bad identity code and address (both refused the GOV.UK way, the values kept).
fn book_by_keyboard(
    site: &DemoSite,
    s: &Session,
    w: &Words,
    channel: Channel,
    who: &Citizen,
    lane: Lane,
) -> Booked {
    let lang = w.lang;
    let mut first_free = None;
    s.goto(&site.url(&format!("/{lang}/")));
    s.follow(w.start_book);
    assert!(s.current_path().starts_with(&format!("/{lang}/book/topic")), "{}", s.current_path());
    s.choose(w.topic);
    s.submit(w.continue_);
    assert!(s.current_path().starts_with(&format!("/{lang}/book/channel?")), "{}", s.current_path());
    match channel {
        Channel::Office => {
            s.choose(w.office_visit);
            s.submit(w.continue_);
            assert!(s.current_path().starts_with(&format!("/{lang}/book/office?")), "{}", s.current_path());
            // Each office with its address and its first free time as its radio's hint.
            let radio = s.labelled(w.office);
            let hint = s.block_on("reading a hint's id", radio.element.attr("aria-describedby"));
            let hint = s.text_of(&format!("[id=\"{}\"]", hint.unwrap_or_default()));
            let when = hint
                .strip_prefix(&format!("{TURKU_ADDRESS}. {} ", w.first_free))
                .and_then(|rest| rest.strip_suffix('.'))
                .unwrap_or_else(|| panic!("the hint of {:?}: {hint:?}", w.office));
            first_free = Some(parse_when(w, when));
            s.choose(w.office);
            s.submit(w.continue_);
        }
        Channel::Phone => {
            s.choose(w.phone_appointment);
            s.submit(w.continue_);
        }
    }
    assert!(s.current_path().starts_with(&format!("/{lang}/book/language?")), "{}", s.current_path());
    s.choose(w.language);
    s.submit(w.continue_);

    // The time: labels on the Finnish wall clock, said once to be Finnish time.
    assert!(s.current_path().starts_with(&format!("/{lang}/book/time?")), "{}", s.current_path());
    assert_eq!(main_text(s).matches(w.finnish_time_note).count(), 1, "{}", main_text(s));
    if let (Some(hinted), Some((first, _, _))) = (first_free, offered_times(s).first()) {
        // The office's first free time, in any language it serves, is no later than the
        // first in the language chosen.
        assert!(hinted <= local(instant(first)), "the office page said {hinted}, the first time is {first}");
    }
    let (value, label, day) = first_time(s, w, lane, |_| false);
    let start = instant(&value);
    let end = start + Duration::minutes(30);
    assert_eq!(
        label,
        format!("{}–{}", clock(local(start).time()), clock(local(end).time())),
        "the label of {value}"
    );
    assert_eq!(day, w.date(local(start).date()), "the day of {value}");
    s.choose_value("start", &value);
    s.submit(w.continue_);

    assert!(s.current_path().starts_with(&format!("/{lang}/book/matter?")), "{}", s.current_path());
    s.fill(w.matter, &who.matter);
    if channel == Channel::Office {
        s.fill(w.interpreter, "ar");
        s.fill(w.accessibility, "Pyörätuoli");
    }
    s.submit(w.continue_);

    // Details: nothing, then a bad code and address, then right.
    assert!(s.current_path().starts_with(&format!("/{lang}/book/details?")), "{}", s.current_path());
    let phone_label = if channel == Channel::Phone { w.phone_required } else { w.phone_optional };
    s.labelled(phone_label);
    s.submit(w.continue_);
    let mut missing = vec!["name", "personal_id", "email"];
    if channel == Channel::Phone {
        missing.push("phone");
    }
    assert_govuk_errors(s, w, &missing);
    s.fill(w.name, &who.name);
    s.fill(w.personal_id, "131052-308X");
    s.fill(w.email, "a,b@example.fi");
    s.submit(w.continue_);
    let mut invalid = vec!["personal_id", "email"];
    if channel == Channel::Phone {
        invalid.push("phone");
    }
    assert_govuk_errors(s, w, &invalid);
    assert_eq!(s.value_of(w.name), who.name, "the name is kept");
    assert_eq!(s.value_of(w.personal_id), "131052-308X", "the identity code is kept");
    assert_eq!(s.value_of(w.email), "a,b@example.fi", "the address is kept");
    // Spaces in the code are how people write it; they are ignored.
    let spaced = format!("{} {}", &who.personal_id[..6], &who.personal_id[6..]);
    s.fill(w.personal_id, &spaced);
    s.fill(w.email, &who.email);
    if channel == Channel::Phone {
        s.fill(w.phone_required, who.phone);
    }
    s.submit(w.continue_);

    // Check: every answer, each with its change link.
    assert!(s.current_path().starts_with(&format!("/{lang}/book/check?")), "{}", s.current_path());
    let rows = summary(s);
    let values: Vec<&str> = rows.iter().map(|(_, v)| v.as_str()).collect();
    for expected in [w.topic, &who.matter, &who.name, &who.personal_id, &who.email] {
        assert!(values.contains(&expected), "{expected:?} not among the answers {rows:?}");
    }
    let when = w.when_with_zone(start, end);
    assert!(values.contains(&when.as_str()), "{when:?} not among the answers {rows:?}");
    let changes = s.execute(
        "return [...document.querySelectorAll('dl.summary .summary__row')].map(r => (r.querySelector('a') || {}).textContent || '')",
        vec![],
    );
    for change in changes.as_array().into_iter().flatten() {
        assert!(
            change.as_str().unwrap_or_default().starts_with(w.change),
            "a row without its change link: {changes}"
        );
    }
    s.submit(w.book);

    // The confirmation.
    let path = s.current_path();
    assert!(path.starts_with(&format!("/{lang}/booking/")), "{path}");
    assert_eq!(s.text_of("h1"), w.booked);
    let reference = s.text_of("span.panel__reference");
    assert!(path.starts_with(&format!("/{lang}/booking/{reference}?t=")), "{path}");
    let facts = summary(s);
    let values: Vec<&str> = facts.iter().map(|(_, v)| v.as_str()).collect();
    assert!(values.contains(&reference.as_str()) && values.contains(&when.as_str()), "{facts:?}");
    let place = place(w, channel);
    assert!(values.contains(&place.as_str()), "{place:?} not in {facts:?}");
    let calendar = href_of(s, w.add_to_calendar);
    Booked { reference, start, end, calendar }
}

/// Where the booking's pages say it is: the office with its address, or the call.
fn place(w: &Words, channel: Channel) -> String {
    match channel {
        Channel::Office => format!("{}, {TURKU_ADDRESS}", w.office),
        Channel::Phone => format!("{}+358401234567", w.we_will_call),
    }
}

/// The keyboard booking, then: the confirmation agrees with the mail and the `.ics`; the
/// manage link from the mail opens the booking; moving it goes through its confirmation
/// page to the new booking's page; cancelling through its confirmation page ends on the
/// page saying it is cancelled.
fn book_move_and_cancel_by_keyboard(w: &Words, channel: Channel) {
    let site = demo_site();
    let lang = w.lang;
    let who = Citizen::new(&format!("keyboard-{lang}"));
    let s = Session::without_javascript();
    let lane = Lane::next();
    let booked = book_by_keyboard(&site, &s, w, channel, &who, lane);
    let reference = &booked.reference;

    // The mail the server wrote, and the .ics.
    let mail = site.wait_for_mail(&who.email, w.mail_confirmed);
    let text = mail.text();
    assert!(text.contains(&format!("{}{reference}", w.mail_reference)), "{mail}");
    assert_eq!(mail.line(w.mail_time), Some(w.mail_when(booked.start)), "{mail}");
    match channel {
        Channel::Office => assert_eq!(mail.line(w.mail_place), Some(place(w, channel)), "{mail}"),
        Channel::Phone => assert!(text.contains(&format!("{}.", place(w, channel))), "{mail}"),
    }
    let invite = event(&mail.invite().unwrap_or_else(|| panic!("no invite in {mail}")));
    assert_eq!((invite.start, invite.end), (booked.start, booked.end), "the mail's invite");
    let ics = fetch(Method::GET, &booked.calendar);
    assert_eq!(ics.status, 200, "{}", booked.calendar);
    assert!(ics.header("content-type").starts_with("text/calendar"), "{}", ics.header("content-type"));
    let file = event(&ics.body);
    assert_eq!((file.start, file.end), (booked.start, booked.end), "the .ics");
    assert_eq!(file.uid, invite.uid, "the .ics and the mail's invite are one event");
    assert!(file.description.contains(reference.as_str()), "{}", ics.body);
    match channel {
        Channel::Office => assert_eq!(file.location, TURKU_ADDRESS, "{}", ics.body),
        Channel::Phone => assert_eq!(file.location, "+358401234567", "{}", ics.body),
    }
    assert_eq!(site.booking(reference).status, "booked");

    // The manage link from the mail.
    let link = mail.link("/manage/").unwrap_or_else(|| panic!("no manage link: {mail}"));
    assert!(link.starts_with(&site.url(&format!("/{lang}/manage/{reference}?t="))), "{link}");
    s.goto(&link);
    assert_eq!(s.text_of("h1"), w.manage);
    let facts = summary(&s);
    let when = w.when_with_zone(booked.start, booked.end);
    assert!(facts.iter().any(|(_, v)| *v == when), "{when:?} not in {facts:?}");

    // Move: the time page of the same topic and office, then its confirmation.
    s.follow(w.move_link);
    assert!(
        s.current_path().starts_with(&format!("/{lang}/manage/{reference}/move?")),
        "{}",
        s.current_path()
    );
    let old = booked.start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (value, label, _) = first_time(&s, w, lane, |v| v == old);
    let new_start = instant(&value);
    let new_end = new_start + Duration::minutes(30);
    assert_eq!(label, format!("{}–{}", clock(local(new_start).time()), clock(local(new_end).time())));
    s.choose_value("start", &value);
    s.submit(w.continue_);
    assert!(
        s.current_path().starts_with(&format!("/{lang}/manage/{reference}/move/confirm?")),
        "{}",
        s.current_path()
    );
    let (before, middle, after) = w.move_question;
    let question =
        format!("{before}{}{middle}{}{after}", w.when(booked.start, booked.end), w.when(new_start, new_end));
    assert_eq!(s.text_of("h1"), question);
    assert_eq!(site.booking(reference).status, "booked", "the confirmation page moved nothing yet");
    s.submit(w.move_yes);
    let path = s.current_path();
    let moved_to = path
        .strip_prefix(&format!("/{lang}/manage/"))
        .and_then(|rest| rest.split('?').next())
        .unwrap_or_else(|| panic!("not a manage page: {path}"))
        .to_owned();
    assert_ne!(&moved_to, reference, "a move makes a new booking");
    assert!(s.text_of("div.notice").starts_with(w.moved), "{}", s.text_of("div.notice"));
    assert_eq!(s.text_of("h1"), w.manage);
    let when = w.when_with_zone(new_start, new_end);
    assert!(summary(&s).iter().any(|(_, v)| *v == when), "{when:?} not in {:?}", summary(&s));
    let moved_mail = site.wait_for_mail(&who.email, w.mail_moved);
    assert!(moved_mail.text().contains(&moved_to), "{moved_mail}");
    assert_eq!(moved_mail.line(w.mail_time), Some(w.mail_when(new_start)), "{moved_mail}");
    assert_eq!(site.booking(&moved_to).status, "booked");

    // Cancel, through its confirmation page.
    s.follow(w.cancel_link);
    assert!(
        s.current_path().starts_with(&format!("/{lang}/manage/{moved_to}/cancel?")),
        "{}",
        s.current_path()
    );
    let (before, after) = w.cancel_question;
    assert_eq!(s.text_of("h1"), format!("{before}{}{after}", w.when(new_start, new_end)));
    assert_eq!(site.booking(&moved_to).status, "booked", "the confirmation page cancelled nothing yet");
    s.submit(w.cancel_yes);
    assert!(s.current_path().starts_with(&format!("/{lang}/manage/{moved_to}?")), "{}", s.current_path());
    assert_eq!(s.text_of("p.lead"), w.cancelled);
    let text = main_text(&s);
    assert!(
        !text.contains(w.move_link) && !text.contains(w.cancel_link),
        "a cancelled booking offers changes: {text}"
    );
    assert_eq!(site.booking(&moved_to).status, "cancelled_by_citizen");
    site.wait_for_mail(&who.email, w.mail_cancelled);
}

#[test]
fn an_office_visit_booked_moved_and_cancelled_by_keyboard_without_javascript_in_finnish() {
    book_move_and_cancel_by_keyboard(&FI, Channel::Office);
}

#[test]
fn a_phone_appointment_booked_moved_and_cancelled_by_keyboard_without_javascript_in_swedish() {
    book_move_and_cancel_by_keyboard(&SV, Channel::Phone);
}

#[test]
fn an_office_visit_booked_moved_and_cancelled_by_keyboard_without_javascript_in_english() {
    book_move_and_cancel_by_keyboard(&EN, Channel::Office);
}

// =======================================================================================
// 4. Two browsers after the same time

/// A deployment of its own with one office and one advisor, so that each time is one
/// slot: the time two citizens choose is the last of its kind.
struct RaceSite {
    site: Site,
    office: Office,
    /// The times offered when it was made, each race taking the next.
    times: Vec<DateTime<Utc>>,
    next: AtomicUsize,
}

fn race_site() -> Arc<RaceSite> {
    static SITE: Shared<RaceSite> = Shared::new();
    SITE.get_or_start(|| {
        let site = Site::sqlite();
        let office = site.office("Kilpailun palvelupiste", json!({ "holdback_percent": 0 }), 1);
        let times = site.offered(&office);
        RaceSite { site, office, times, next: AtomicUsize::new(0) }
    })
}

impl RaceSite {
    fn url(&self, path: &str) -> String {
        self.site.server.url(path)
    }

    /// The time page of `lang` in the week of `start`, every question answered.
    fn time_page(&self, lang: &str, start: DateTime<Utc>) -> String {
        self.url(&format!(
            "/{lang}/book/time?topic={}&channel=office&office={}&language={lang}&week={}",
            self.site.topic,
            self.office.id,
            local(start).date()
        ))
    }

    /// How many booking rows start at `start`, and how many hold `email`.
    fn rows(&self, start: DateTime<Utc>, email: &str) -> (i64, i64) {
        let mut conn = self.site.deployment.database();
        let at = bookings::table
            .filter(bookings::starts_at.eq(DbTime(start)))
            .count()
            .get_result(&mut conn)
            .expect("bookings at the time");
        let of = bookings::table
            .filter(bookings::email.eq(email))
            .count()
            .get_result(&mut conn)
            .expect("bookings of the citizen");
        (at, of)
    }
}

/// From the time page to the check page with `start`, as `who`; the check page's URL.
fn answer_up_to_check(
    race: &RaceSite,
    s: &Session,
    w: &Words,
    who: &Citizen,
    start: DateTime<Utc>,
) -> String {
    s.goto(&race.time_page(w.lang, start));
    s.choose_value("start", &start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    s.submit(w.continue_);
    s.fill(w.matter, &who.matter);
    s.submit(w.continue_);
    s.fill(w.name, &who.name);
    s.fill(w.personal_id, &who.personal_id);
    s.fill(w.email, &who.email);
    s.submit(w.continue_);
    let check = s.current_url().to_string();
    assert!(check.contains(&format!("/{}/book/check?", w.lang)), "{check}");
    check
}

/// Two citizens (`a` in one language, `b` in another) take the same time, the last of
/// its kind: `a` books it; `b`, booking a moment later, is back on the time page with the
/// notice, the next free times first and every answer kept. A third browser holding
/// `a`'s journey (the same form sent again) and `a`'s own back-and-submit both end on
/// `a`'s confirmation; the database holds one booking at that time.
fn two_browsers_choose_the_same_time(a_words: &Words, b_words: &Words) {
    let race = race_site();
    let start = race.times[race.next.fetch_add(1, Ordering::Relaxed) * 2];
    let (a_who, b_who) = (Citizen::new("race-a"), Citizen::new("race-b"));
    let (a, b) = (Session::without_javascript(), Session::without_javascript());
    let a_check = answer_up_to_check(&race, &a, a_words, &a_who, start);
    answer_up_to_check(&race, &b, b_words, &b_who, start);
    // The same journey in a third browser: `a`'s cookie, before `a` books.
    let journey = a.cookie("aukiolo_journey").expect("the journey's cookie");
    let c = Session::without_javascript();
    c.goto(&race.url(&format!("/{}/", a_words.lang)));
    c.add_cookie(journey);

    a.submit(a_words.book);
    let confirmation = a.current_path();
    assert!(confirmation.starts_with(&format!("/{}/booking/", a_words.lang)), "{confirmation}");
    let reference = a.text_of("span.panel__reference");

    // The other race tests of this binary book on the same site meanwhile, so the free
    // times are read before and after `b`'s page: times only go, none come.
    let free = || -> Vec<String> {
        let from = local(Utc::now()).date();
        race.site
            .free_times(&race.office, from)
            .into_iter()
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .collect()
    };
    let before = free();
    b.submit(b_words.book);
    let lang = b_words.lang;
    let path = b.current_path();
    assert!(path.starts_with(&format!("/{lang}/book/time?")) && path.contains("taken=1"), "{path}");
    let notice = b.text_of("div.notice");
    assert!(notice.starts_with(b_words.taken), "{notice}");
    let offered: Vec<String> = offered_times(&b).into_iter().map(|(v, _, _)| v).collect();
    let value = start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    assert!(!offered.contains(&value), "the time taken is still offered: {offered:?}");
    let after = free();
    // The next free times come first: the page's first three were free, in order, and no
    // time still free after it was skipped before the third.
    let first = &offered[..offered.len().min(3)];
    assert!(first.len() == 3 && first.windows(2).all(|w| w[0] < w[1]), "{offered:?}");
    assert!(first.iter().all(|t| before.contains(t)), "offered {first:?}, free {before:?}");
    let skipped: Vec<&String> = after.iter().filter(|t| *t <= &first[2] && !first.contains(t)).collect();
    assert!(skipped.is_empty(), "the next free times come first: {skipped:?} skipped in {offered:?}");
    // Every other answer is kept: a new time leads to the matter and details as given.
    b.choose_value("start", &offered[0]);
    b.submit(b_words.continue_);
    assert!(b.current_path().starts_with(&format!("/{lang}/book/matter?")), "{}", b.current_path());
    assert_eq!(b.value_of(b_words.matter), b_who.matter);
    b.submit(b_words.continue_);
    assert_eq!(b.value_of(b_words.name), b_who.name);
    assert_eq!(b.value_of(b_words.personal_id), b_who.personal_id);
    assert_eq!(b.value_of(b_words.email), b_who.email);
    b.submit(b_words.continue_);
    assert!(b.current_path().starts_with(&format!("/{lang}/book/check?")), "{}", b.current_path());
    let new_when = b_words.when_with_zone(instant(&offered[0]), instant(&offered[0]) + Duration::minutes(30));
    assert!(summary(&b).iter().any(|(_, v)| *v == new_when), "{new_when:?} not in {:?}", summary(&b));

    // The final form again: from the third browser, and after `a`'s Back.
    c.goto(&a_check);
    c.submit(a_words.book);
    assert!(
        c.current_path().starts_with(&format!("/{}/booking/{reference}?", a_words.lang)),
        "{}",
        c.current_path()
    );
    a.back();
    if a.current_path().contains("/book/check") {
        a.submit(a_words.book);
    }
    assert!(
        a.current_path().starts_with(&format!("/{}/booking/{reference}?", a_words.lang)),
        "{}",
        a.current_path()
    );
    assert_eq!(race.rows(start, &a_who.email), (1, 1), "bookings at {start}, and of the winner");
    assert_eq!(race.rows(start, &b_who.email).1, 0, "the second citizen booked nothing");
}

#[test]
fn two_browsers_choose_the_same_time_finnish_first_swedish_second() {
    two_browsers_choose_the_same_time(&FI, &SV);
}

#[test]
fn two_browsers_choose_the_same_time_swedish_first_english_second() {
    two_browsers_choose_the_same_time(&SV, &EN);
}

#[test]
fn two_browsers_choose_the_same_time_english_first_finnish_second() {
    two_browsers_choose_the_same_time(&EN, &FI);
}

// =======================================================================================
// 5. GET and HEAD change nothing; an altered link gets the localised 403 page

/// Every language's page about one booking (confirmation, `.ics`, manage, cancel, move,
/// a time chosen on the move page, the move's confirmation), fetched with GET and HEAD as
/// a mail scanner would: all answer, the pages that carry the link's token say
/// `no-store` and `no-referrer`, and the booking is as it was, the time chosen still
/// free, no mail but the confirmation. The same link altered by one character gets the
/// 403 page in each language, not stored either.
#[test]
fn get_and_head_of_the_booking_links_change_nothing_and_an_altered_link_is_refused() {
    let site = demo_site();
    let office = site.office(TURKU);
    let who = Citizen::new("scanner");
    let lane = Lane::next();
    let (reference, token, start) = book_by_api(&site, &office, "fi", &who, lane);
    let s = Session::without_javascript();
    let move_page = site.url(&format!("/fi/manage/{reference}/move?t={token}"));
    s.goto(&move_page);
    let old = start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (chosen, _, _) = first_time(&s, &FI, lane, |v| v == old);
    let other = urlencode(&chosen);

    for w in [&FI, &SV, &EN] {
        let lang = w.lang;
        let link = |rest: &str, more: &str| site.url(&format!("/{lang}/{rest}?t={token}{more}"));
        let pages = [
            (link(&format!("booking/{reference}"), ""), 200, true),
            (link(&format!("booking/{reference}/calendar.ics"), ""), 200, true),
            (link(&format!("manage/{reference}"), ""), 200, true),
            (link(&format!("manage/{reference}/cancel"), ""), 200, true),
            (link(&format!("manage/{reference}/move"), ""), 200, true),
            (link(&format!("manage/{reference}/move"), &format!("&start={other}&go=1")), 303, false),
            (link(&format!("manage/{reference}/move/confirm"), &format!("&start={other}")), 200, true),
        ];
        for (url, status, private) in &pages {
            for method in [Method::GET, Method::HEAD] {
                let got = fetch(method.clone(), url);
                assert_eq!(got.status, *status, "{method} {url}: {}", got.body);
                if *private {
                    assert_eq!(got.header("cache-control"), "no-store", "{method} {url}");
                    assert_eq!(got.header("referrer-policy"), "no-referrer", "{method} {url}");
                }
                if method == Method::HEAD {
                    assert!(got.body.is_empty(), "HEAD {url} has a body");
                }
            }
        }

        // Altered by one character: the localised 403, never stored.
        for rest in [
            format!("manage/{reference}"),
            format!("manage/{reference}/cancel"),
            format!("booking/{reference}"),
        ] {
            let url = site.url(&format!("/{lang}/{rest}?t={token}x"));
            let got = fetch(Method::GET, &url);
            assert_eq!(got.status, 403, "{url}");
            assert_eq!(got.header("cache-control"), "no-store", "{url}");
            assert!(got.body.contains(&format!("<h1>{}</h1>", w.link_invalid)), "{url}: {}", got.body);
        }
        s.goto(&site.url(&format!("/{lang}/manage/{reference}?t={token}x")));
        assert_eq!(s.text_of("h1"), w.link_invalid);
        assert_eq!(s.attr_of("html", "lang").as_deref(), Some(lang));
    }

    // Nothing changed.
    let row = site.booking(&reference);
    assert_eq!((row.status.as_str(), row.start), ("booked", start), "{row:?}");
    assert_eq!(site.bookings_of(&who.email).len(), 1, "a GET made a booking");
    s.goto(&site.url(&format!("/fi/manage/{reference}?t={token}")));
    assert_eq!(s.text_of("h1"), FI.manage);
    assert_eq!(s.count("p.lead"), 0, "the booking is no longer simply booked: {}", main_text(&s));
    let still = free_times(&site, &office, "fi");
    assert!(
        still.contains(&instant(&chosen)),
        "the time chosen by GET ({chosen}) is no longer free: {still:?}"
    );
    site.wait_for_mail(&who.email, FI.mail_confirmed);
    std::thread::sleep(std::time::Duration::from_secs(1));
    let mails: Vec<String> =
        site.mails().into_iter().filter(|m| m.to() == who.email).map(|m| m.subject()).collect();
    assert_eq!(mails.len(), 1, "mail besides the confirmation: {mails:?}");
}

// =======================================================================================
// 6. The questionnaire from its invitation

/// A visit booked and completed (by its advisor through the staff API); the invitation's
/// link, fetched with GET and HEAD, is still answerable; the citizen answers through the
/// page by keyboard without JavaScript; Back and a second browser holding the form both
/// get "already answered" (a POST of it: 409); the metrics count one response more for
/// that office and week.
fn questionnaire_answered_once(w: &Words, office_fi: &str) {
    // A demo of its own, as in `every_booking_page_in`.
    let site = DemoSite::start(Launch::demo());
    let lang = w.lang;
    let office = office_inviting_at_once(&site, office_fi);
    let who = Citizen::new(&format!("survey-{lang}"));
    let (reference, _, start) = book_by_api(&site, &office, lang, &who, Lane::next());
    let before = responses(&site, &office, start);
    let link = questionnaire_link(&site, w, &reference, &who.email);

    for method in [Method::GET, Method::HEAD, Method::GET] {
        let got = fetch(method.clone(), &link);
        assert_eq!(got.status, 200, "{method} {link}: {}", got.body);
        assert_eq!(got.header("cache-control"), "no-store", "{method} {link}");
        assert_eq!(got.header("referrer-policy"), "no-referrer", "{method} {link}");
    }
    let altered = fetch(Method::GET, &format!("{link}x"));
    assert_eq!(altered.status, 403, "an altered questionnaire link");
    assert!(altered.body.contains(&format!("<h1>{}</h1>", w.link_invalid)), "{}", altered.body);

    let (s, second) = (Session::without_javascript(), Session::without_javascript());
    second.goto(&link);
    s.goto(&link);
    assert_eq!(s.text_of("h1"), w.questionnaire_title);
    s.choose(w.nps_top);
    s.choose(w.csat_top);
    s.choose(w.ces_top);
    s.choose(w.prefer_appointment);
    s.set_checkbox(w.knew_online, true);
    s.choose(w.partly_online);
    s.tab_until(&format!("the field {:?}", w.comments), |f| f.label.starts_with(w.comments));
    s.type_text("Kiitos!");
    s.submit(w.send_answers);
    assert_eq!(s.current_path(), format!("/{lang}/questionnaire/thanks"));
    assert_eq!(s.text_of("h1"), w.thanks);

    // Answered once: Back shows it so (or, if the browser shows the form it had, sending
    // it again does), and so does the form a second browser held.
    s.back();
    if s.text_of("h1") != w.answered {
        s.submit(w.send_answers);
    }
    assert_eq!(s.text_of("h1"), w.answered);
    let form_token = second.attr_of("input[name=token]", "value").expect("the form's token");
    let posted = http()
        .post(&link)
        .header("Origin", site.url(""))
        .form(&[("token", form_token.as_str()), ("recommend", "3"), ("satisfaction", "2"), ("effort", "2")])
        .send()
        .expect("a second answer");
    assert_eq!(posted.status().as_u16(), 409, "a second answer");
    second.choose(w.nps_top);
    second.choose(w.csat_top);
    second.choose(w.ces_top);
    second.submit(w.send_answers);
    assert_eq!(second.text_of("h1"), w.answered);

    assert_eq!(responses(&site, &office, start), before + 1, "one response more in the metrics");
}

#[test]
fn the_questionnaire_is_answered_once_through_its_page_in_finnish() {
    questionnaire_answered_once(&FI, "Tampereen palvelupiste");
}

#[test]
fn the_questionnaire_is_answered_once_through_its_page_in_swedish() {
    questionnaire_answered_once(&SV, "Vaasan palvelupiste");
}

#[test]
fn the_questionnaire_is_answered_once_through_its_page_in_english() {
    questionnaire_answered_once(&EN, "Oulun palvelupiste");
}

// =======================================================================================
// 7. A week with a DST change

/// `serve --demo` whose clock starts at `at` (UTC) and runs on from there; the browser
/// and this test keep the real clock.
fn demo_at(at: &str, dir: DataDir) -> DemoSite {
    assert!(
        std::path::Path::new(LIBFAKETIME).is_file(),
        "{LIBFAKETIME} is missing: run `bash scripts/install-deps` (it installs `faketime`)"
    );
    let launch = Launch::demo()
        .env("LD_PRELOAD", LIBFAKETIME)
        .env("FAKETIME", &format!("@{at}"))
        .env("FAKETIME_DONT_FAKE_MONOTONIC", "1")
        .env("TZ", "UTC");
    DemoSite::start_in(launch, dir)
}

/// One booking of the DST test: its language, its day, and the offset from UTC that the
/// Finnish wall clock has on that day (written out here rather than asked of a time zone
/// database, which is what is being checked).
struct DstCase {
    w: &'static Words,
    day: NaiveDate,
    offset_hours: i64,
}

/// The demo's clock set to Monday 25.10.2027 (the week whose Sunday ends summer time in
/// Finland, 31.10.2027 at 4.00 EEST = 3.00 EET): bookings on Thursday 28.10 and Friday
/// 29.10 (UTC+3) and on Monday 1.11 (UTC+2) show one and the same wall-clock time on the
/// time page, the check page, the confirmation, the manage page, in the mail and as the
/// `.ics`'s UTC start. A week later by the server's clock the same manage links get the
/// localised 410 "link expired" page.
#[test]
fn a_booking_across_the_dst_change_keeps_its_wall_clock_time_everywhere() {
    let dir = DataDir::new();
    let site = demo_at("2027-10-25 08:00:00", dir.clone());
    let office = site.office(TURKU);
    let topic = site.topic(TOPIC);
    let day = |d: u32, m: u32| NaiveDate::from_ymd_opt(2027, m, d).expect("a day");
    let cases = [
        DstCase { w: &FI, day: day(28, 10), offset_hours: 3 },
        DstCase { w: &SV, day: day(1, 11), offset_hours: 2 },
        DstCase { w: &EN, day: day(29, 10), offset_hours: 3 },
    ];
    let s = Session::without_javascript();
    let mut links = Vec::new();
    for case in &cases {
        let (w, lang) = (case.w, case.w.lang);
        let wall = |t: DateTime<Utc>| (t + Duration::hours(case.offset_hours)).naive_utc();
        let who = Citizen::new(&format!("dst-{lang}"));
        s.goto(&site.url(&format!(
            "/{lang}/book/time?topic={}&channel=office&office={}&language={lang}&week={}",
            topic["id"].as_str().unwrap_or_default(),
            office["id"].as_str().unwrap_or_default(),
            case.day
        )));
        let times = offered_times(&s);
        let (value, label, legend) = times
            .iter()
            .find(|(v, _, legend)| *legend == w.date(case.day) && wall(instant(v)).hour() >= 9)
            .unwrap_or_else(|| panic!("no time from 9.00 on {} in {times:?}", case.day))
            .clone();
        let start = instant(&value);
        let end = start + Duration::minutes(30);
        let (from, to) = (clock(wall(start).time()), clock(wall(end).time()));
        assert_eq!(wall(start).date(), case.day, "{value} on {legend}");
        assert_eq!(label, format!("{from}–{to}"), "the time page's label of {value} on {legend}");
        let shown = format!("{} {} {from}–{to} ({})", w.date(case.day), w.at, w.finnish_time);
        s.choose_value("start", &value);
        s.submit(w.continue_);
        s.fill(w.matter, &who.matter);
        s.submit(w.continue_);
        s.fill(w.name, &who.name);
        s.fill(w.personal_id, &who.personal_id);
        s.fill(w.email, &who.email);
        s.submit(w.continue_);
        assert!(
            summary(&s).iter().any(|(_, v)| *v == shown),
            "{shown:?} not on the check page: {:?}",
            summary(&s)
        );
        s.submit(w.book);
        assert_eq!(s.text_of("h1"), w.booked);
        assert!(
            summary(&s).iter().any(|(_, v)| *v == shown),
            "{shown:?} not on the confirmation: {:?}",
            summary(&s)
        );
        let ics = event(&fetch(Method::GET, &href_of(&s, w.add_to_calendar)).body);
        assert_eq!((ics.start, ics.end), (start, end), "the .ics of {shown}");

        let mail = site.wait_for_mail(&who.email, w.mail_confirmed);
        assert_eq!(mail.line(w.mail_time), Some(format!("{} {} {from}", w.date(case.day), w.at)), "{mail}");
        let invite = event(&mail.invite().unwrap_or_else(|| panic!("no invite in {mail}")));
        assert_eq!((invite.start, invite.end), (start, end), "the mail's invite of {shown}");
        let link = mail.link("/manage/").unwrap_or_else(|| panic!("no manage link: {mail}"));
        s.goto(&link);
        assert_eq!(s.text_of("h1"), w.manage);
        assert!(
            summary(&s).iter().any(|(_, v)| *v == shown),
            "{shown:?} not on the manage page: {:?}",
            summary(&s)
        );
        links.push((w, link));
    }

    // Two weeks on by the server's clock, the links (valid until a day after each
    // appointment) have expired.
    drop(site);
    let later = demo_at("2027-11-08 08:00:00", dir);
    for (w, link) in &links {
        let link = link.replacen(&url_base(link), &later.url(""), 1);
        let got = fetch(Method::GET, &link);
        assert_eq!(got.status, 410, "{link}");
        assert_eq!(got.header("cache-control"), "no-store", "{link}");
        s.goto(&link);
        assert_eq!(s.text_of("h1"), w.link_expired, "{link}");
        assert_eq!(s.attr_of("html", "lang").as_deref(), Some(w.lang));
    }
}

/// `http://127.0.0.1:PORT` of a URL.
fn url_base(link: &str) -> String {
    let url = url::Url::parse(link).unwrap_or_else(|e| panic!("{link}: {e}"));
    url.origin().ascii_serialization()
}
