//! `/{lang}/staff/day?date=`: the signed-in advisor's day. Each citizen with their matter
//! and needs, and only the buttons that make sense now; reading it is audited like the
//! API's day view.

use super::booking::{buttons, calls_now, status_text, topic_names, Button};
use crate::catalogue::{StaffText as S, Text, Tr};
use crate::chrome::Chrome;
use crate::error::Problem;
use crate::pages::book::questions::language_name;
use crate::staff::Signed;
use actix_web::{web, HttpResponse};
use askama::Template;
use aukiolo_domain::booking::Booking;
use aukiolo_domain::slots::SlotState;
use aukiolo_domain::{dates, Channel, Locale};
use aukiolo_store::{audit, day};
use chrono::{Duration, NaiveDate};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct DayQuery {
    date: Option<String>,
}

/// One citizen's row.
pub struct Row {
    pub time: String,
    pub reference: String,
    pub detail: String,
    pub name: String,
    pub channel: &'static str,
    pub topic: String,
    pub language: &'static str,
    pub needs: Vec<String>,
    pub matter: String,
    pub contact: Vec<String>,
    pub status: &'static str,
    pub buttons: Vec<Button>,
    pub phone: bool,
}

pub struct DayLink {
    pub href: String,
    pub label: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "staff/day.html")]
struct DayPage {
    c: Chrome,
    heading: String,
    linked: bool,
    days: Vec<DayLink>,
    rows: Vec<Row>,
    booked: usize,
    free: usize,
    no_shows: usize,
    waiting: Option<(String, String)>,
    csrf: String,
    back: String,
    /// The printable version: no buttons, no links, the table on paper.
    print: bool,
    print_href: String,
}

/// A piece of a booking's personal data as staff see it: `value`, or, once the data was
/// purged after the retention period, that it was removed.
pub fn personal(t: Tr, b: &Booking, value: &str) -> String {
    if b.is_purged() {
        t.s(S::PersonalDataRemoved).to_owned()
    } else {
        value.to_owned()
    }
}

/// The needs of a booking as short lines.
pub fn needs(t: Tr, b: &Booking) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(l) = &b.needs.interpreter {
        out.push(t.fill_s(S::Interpreter, &[("language", l.as_str())]));
    }
    if let Some(a) = b.needs.accessibility.as_deref().filter(|a| !a.trim().is_empty()) {
        out.push(t.fill_s(S::Accessibility, &[("need", a)]));
    }
    out
}

pub fn channel_text(t: Tr, c: Channel) -> &'static str {
    match c {
        Channel::Office => t.s(S::ChannelOffice),
        Channel::Phone => t.s(S::ChannelPhone),
    }
}

/// The `date=` of a day page (`YYYY-MM-DD`); none for today, 404 for one that cannot be read.
pub fn parse_date(raw: Option<&str>) -> Result<Option<NaiveDate>, Problem> {
    match raw.filter(|r| !r.is_empty()) {
        None => Ok(None),
        Some(r) => NaiveDate::parse_from_str(r, "%Y-%m-%d").map(Some).map_err(|_| Problem::NotFound),
    }
}

/// Today, tomorrow and the next days as links to the day page at `path` (under
/// `/{lang}/staff`), `shown` marked as the current one.
pub fn day_links(lang: Locale, path: &str, today: NaiveDate, shown: NaiveDate) -> Vec<DayLink> {
    let t = Tr(lang);
    (0..5)
        .map(|n| {
            let d = today + Duration::days(n);
            let label = match n {
                0 => t.s(S::Today).to_owned(),
                1 => t.s(S::Tomorrow).to_owned(),
                _ => format!("{} {}", dates::weekday(lang, d), dates::numeric(d)),
            };
            DayLink { href: format!("/{}/staff{path}?date={d}", lang.as_str()), label, current: d == shown }
        })
        .collect()
}

pub async fn page(signed: Signed, web::Query(q): web::Query<DayQuery>) -> Result<HttpResponse, Problem> {
    show(signed, q, false).await
}

/// `/{lang}/staff/day/print?date=`: the same day for paper.
pub async fn print(signed: Signed, web::Query(q): web::Query<DayQuery>) -> Result<HttpResponse, Problem> {
    show(signed, q, true).await
}

async fn show(signed: Signed, q: DayQuery, print: bool) -> Result<HttpResponse, Problem> {
    let lang = signed.lang();
    let t = Tr(lang);
    let date = parse_date(q.date.as_deref())?;
    let Some(advisor) = signed.session.user.advisor_id else {
        let page = DayPage {
            c: super::chrome(&signed, t.s(S::MyDay), "/day"),
            heading: t.s(S::MyDay).to_owned(),
            linked: false,
            days: Vec::new(),
            rows: Vec::new(),
            booked: 0,
            free: 0,
            no_shows: 0,
            waiting: None,
            csrf: String::new(),
            back: String::new(),
            print,
            print_href: String::new(),
        };
        return super::html(&page);
    };
    let site = signed.site().clone();
    let (keys, now, staff) = (site.personal.clone(), site.now(), signed.session.user.id);
    let (day, topics, waiting, name) = site
        .read(move |c| {
            let day = day::advisor_day(c, &keys, advisor, date, now)?;
            let shown: Vec<_> = day.bookings.iter().map(|b| b.id).collect();
            audit::record(c, staff, "read_day_view", &shown, now)?;
            let topics = topic_names(c)?;
            let waiting = day::waiting_to_be_recorded(c, advisor, now)?;
            // Only the printed day names its advisor (the screen has the staff bar).
            let name = match print {
                true => aukiolo_store::advisors::get(c, advisor)?.fields.name,
                false => String::new(),
            };
            Ok((day, topics, waiting, name))
        })
        .await?;
    signed.require_office(day.office.id)?;
    let tz = day.office.fields.tz();
    let today = now.with_timezone(&tz).date_naive();
    let back = format!("/{}/staff/day?date={}", lang.as_str(), day.date);
    let print_href = format!("/{}/staff/day/print?date={}", lang.as_str(), day.date);
    let rows = day
        .bookings
        .iter()
        .map(|b| Row {
            time: dates::clock_range(b.start.with_timezone(&tz).time(), b.end.with_timezone(&tz).time()),
            reference: b.reference.clone(),
            detail: format!("/{}/staff/bookings/{}", lang.as_str(), b.id.0),
            name: personal(t, b, &b.name),
            channel: channel_text(t, b.channel),
            topic: topics.get(&b.topic_id).map(|n| n.get(lang).to_owned()).unwrap_or_default(),
            language: t.get(language_name(b.language)),
            needs: needs(t, b),
            matter: personal(t, b, &b.description),
            contact: std::iter::once(personal(t, b, &b.email)).chain(b.phone.clone()).collect(),
            status: status_text(t, b.status),
            buttons: buttons(t, b, now, tz),
            phone: calls_now(b, now, tz),
        })
        .collect::<Vec<_>>();
    let free = day.slots.iter().filter(|s| s.state == SlotState::Open && s.start > now).count();
    let no_shows =
        day.bookings.iter().filter(|b| b.status == aukiolo_domain::booking::BookingStatus::NoShow).count();
    let waiting = waiting.first().filter(|_| !print).map(|(id, _)| {
        (
            t.fill_s(S::Waiting, &[("count", &waiting.len().to_string())]),
            format!("/{}/staff/bookings/{}", lang.as_str(), id.0),
        )
    });
    let day_text = format!("{} {}", dates::weekday(lang, day.date), dates::numeric(day.date));
    let heading = match print {
        true => t.fill_s(S::PrintTitle, &[("advisor", &name), ("day", &day_text)]),
        false => t.fill_s(S::DayTitle, &[("day", &day_text)]),
    };
    let page = DayPage {
        c: super::chrome(&signed, &heading, "/day"),
        heading,
        linked: true,
        days: day_links(lang, "/day", today, day.date),
        booked: rows.len(),
        rows,
        free,
        no_shows,
        waiting,
        csrf: signed.session.csrf_token.clone(),
        back,
        print,
        print_href,
    };
    super::html(&page)
}
