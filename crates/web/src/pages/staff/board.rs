//! `/{lang}/staff/offices/{id}?date=`: the office manager's board. The office's day per
//! advisor (each time booked, free or held back), the day's walk-ins, a summary, and a
//! notice linking to the conflicts page while bookings are in conflict. No citizen's name
//! is on it: a booking's own page (audited) has those.

use super::booking::{status_text, topic_names};
use super::day::{channel_text, day_links, parse_date, DayLink};
use super::walk_ins::{outcome_text, Logged};
use crate::catalogue::{StaffText as S, Text, Tr};
use crate::chrome::Chrome;
use crate::error::Problem;
use crate::staff::Signed;
use actix_web::{web, HttpResponse};
use askama::Template;
use aukiolo_domain::booking::BookingRules;
use aukiolo_domain::slots::{local_day_start, Slot, SlotState, Unavailability};
use aukiolo_domain::{dates, AdvisorId, OfficeId};
use aukiolo_store::day::{office_day, AdvisorDay};
use aukiolo_store::{slots, visits};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct BoardQuery {
    date: Option<String>,
}

/// A booking on the board.
pub struct BoardBooking {
    pub href: String,
    pub reference: String,
    pub topic: String,
    pub channel: &'static str,
    pub status: &'static str,
    /// Why its time is no longer offered, when it is in conflict.
    pub conflict: Option<&'static str>,
}

/// One row of an advisor's day: a booking (over all its slots) or one time.
pub struct BoardRow {
    pub time: String,
    /// "booked", "free" or "held": the row's class, and the state in words beside it.
    pub kind: &'static str,
    pub state: &'static str,
    pub booking: Option<BoardBooking>,
    booking_id: Option<aukiolo_domain::BookingId>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

pub struct AdvisorColumn {
    pub name: String,
    pub absences: String,
    pub absences_label: String,
    pub rows: Vec<BoardRow>,
}

#[derive(Template)]
#[template(path = "staff/board.html")]
struct BoardPage {
    c: Chrome,
    heading: String,
    days: Vec<DayLink>,
    advisors: Vec<AdvisorColumn>,
    booked: usize,
    free: usize,
    held: usize,
    log: Vec<Logged>,
    log_heading: &'static str,
    /// The conflicts notice and the conflicts page.
    conflicts: Option<(String, String)>,
}

/// Why a booked time is no longer offered, in words.
pub fn conflict_text(t: Tr, why: Unavailability) -> &'static str {
    t.s(match why {
        Unavailability::Absence => S::WhyAbsence,
        Unavailability::OfficeClosure => S::WhyClosure,
        Unavailability::PublicHoliday => S::WhyHoliday,
        Unavailability::OutsideSchedule => S::WhySchedule,
    })
}

/// An advisor's slots as rows: a booking's slots as one row, each other time its own.
fn rows(
    t: Tr,
    day: &AdvisorDay,
    topics: &std::collections::HashMap<aukiolo_domain::TopicId, aukiolo_domain::LocalisedText>,
    rules: &BookingRules,
    now: DateTime<Utc>,
) -> Vec<BoardRow> {
    let lang = t.0;
    let tz = day.office.fields.tz();
    let mut out: Vec<BoardRow> = Vec::new();
    for slot in &day.slots {
        if let (Some(id), Some(last)) = (slot.booking_id.map(aukiolo_domain::BookingId), out.last_mut()) {
            if last.booking_id == Some(id) {
                last.end = slot.end;
                last.time = clock_range(tz, last.start, last.end);
                continue;
            }
        }
        out.push(row(t, lang, day, slot, topics, rules, now, tz));
    }
    out
}

fn clock_range(tz: Tz, start: DateTime<Utc>, end: DateTime<Utc>) -> String {
    dates::clock_range(start.with_timezone(&tz).time(), end.with_timezone(&tz).time())
}

#[allow(clippy::too_many_arguments)]
fn row(
    t: Tr,
    lang: aukiolo_domain::Locale,
    day: &AdvisorDay,
    slot: &Slot,
    topics: &std::collections::HashMap<aukiolo_domain::TopicId, aukiolo_domain::LocalisedText>,
    rules: &BookingRules,
    now: DateTime<Utc>,
    tz: Tz,
) -> BoardRow {
    let booking = day.booking_of(slot).map(|b| BoardBooking {
        href: format!("/{}/staff/bookings/{}", lang.as_str(), b.id.0),
        reference: b.reference.clone(),
        topic: topics.get(&b.topic_id).map(|n| n.get(lang).to_owned()).unwrap_or_default(),
        channel: channel_text(t, b.channel),
        status: status_text(t, b.status),
        conflict: slot.conflict.map(|why| conflict_text(t, why)),
    });
    let held = slot.state == SlotState::Blocked
        || (slot.state == SlotState::Open && rules.held_back(slot.id.0, slot.start, now));
    let (kind, state) = match (slot.state, held) {
        (SlotState::Booked, _) => ("booked", S::SlotBooked),
        (_, true) => ("held", S::SlotHeldBack),
        _ => ("free", S::SlotFree),
    };
    BoardRow {
        time: clock_range(tz, slot.start, slot.end),
        kind,
        state: t.s(state),
        booking,
        booking_id: slot.booking_id.map(aukiolo_domain::BookingId),
        start: slot.start,
        end: slot.end,
    }
}

/// The absences page of `advisor`.
pub fn absences_path(lang: aukiolo_domain::Locale, advisor: AdvisorId) -> String {
    format!("/{}/staff/advisors/{advisor}/absences", lang.as_str())
}

/// The conflicts page of `office`.
pub fn conflicts_path(lang: aukiolo_domain::Locale, office: OfficeId) -> String {
    format!("/{}/staff/offices/{office}/conflicts", lang.as_str())
}

pub async fn page(
    signed: Signed,
    id: web::Path<(String, OfficeId)>,
    web::Query(q): web::Query<BoardQuery>,
) -> Result<HttpResponse, Problem> {
    let office = super::settings::managed(&signed, id.1).await?;
    let date = parse_date(q.date.as_deref())?;
    let lang = signed.lang();
    let t = Tr(lang);
    let site = signed.site().clone();
    let (keys, now, office_id) = (site.personal.clone(), site.now(), office.id);
    let tz = office.fields.tz();
    let today = now.with_timezone(&tz).date_naive();
    let (day, topics, log, summary) = site
        .read(move |c| {
            let day = office_day(c, &keys, office_id, date, now)?;
            let log = visits::walk_ins_on(c, office_id, day.date)?;
            let summary = slots::conflict_summary(c, office_id, now, local_day_start(tz, today))?;
            Ok((day, topic_names(c)?, log, summary))
        })
        .await?;
    let rules = &office.fields.booking_rules;
    let advisors: Vec<AdvisorColumn> = day
        .advisors
        .iter()
        .map(|(a, d)| AdvisorColumn {
            name: a.fields.name.clone(),
            absences: absences_path(lang, a.id),
            absences_label: t.fill_s(S::AbsencesLink, &[("advisor", &a.fields.name)]),
            rows: rows(t, d, &topics, rules, now),
        })
        .collect();
    let count = |kind: &str, future: bool| {
        advisors.iter().flat_map(|a| &a.rows).filter(|r| r.kind == kind && (!future || r.start > now)).count()
    };
    let topic = |id| topics.get(&id).map(|n: &aukiolo_domain::LocalisedText| n.get(lang).to_owned());
    let walk_ins = log
        .iter()
        .map(|w| Logged {
            time: dates::clock(w.at.with_timezone(&tz).time()),
            topic: topic(w.topic_id).unwrap_or_default(),
            outcome: outcome_text(t, w.outcome),
        })
        .collect();
    let conflicts = summary.oldest.map(|oldest| {
        let since = dates::date_time(lang, oldest.with_timezone(&tz).naive_local());
        let text = t.fill_s(
            S::ConflictsNotice,
            &[
                ("count", &summary.open.to_string()),
                ("since", &since),
                ("new", &summary.appeared_since.len().to_string()),
            ],
        );
        (text, conflicts_path(lang, office_id))
    });
    let day_text = dates::date(lang, day.date);
    let heading = t.fill_s(S::BoardTitle, &[("office", office.fields.name.get(lang)), ("day", &day_text)]);
    let page = BoardPage {
        c: super::chrome(&signed, &heading, &super::board_path(office_id)),
        heading,
        days: day_links(lang, &super::board_path(office_id), today, day.date),
        booked: count("booked", false),
        free: count("free", true),
        held: count("held", true),
        advisors,
        log: walk_ins,
        log_heading: t.s(S::WalkInsOfDay),
        conflicts,
    };
    super::html(&page)
}
