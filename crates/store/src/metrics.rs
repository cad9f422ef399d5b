//! Reads the facts the pilot metrics are computed from (`aukiolo_domain::metrics`) for the
//! office-local days `[from, to)`, in a fixed handful of queries whatever the number of
//! bookings: one per table, bookings' events, assessments and invitations joined to the
//! bookings of the period rather than asked for booking by booking.
//!
//! Every query filters on the offices in scope as well as on time, so the
//! `(office_id, starts_at)`-style indexes serve it. Instants are first narrowed to a UTC
//! window a day wider on each side, then each row is kept or dropped by its day in its own
//! office's time zone.

use crate::schema::{
    advisor_topics, advisors, booking_events, bookings, offices, questionnaire_invitations,
    questionnaire_responses, response_answers, slots, topics, visit_assessments, walk_ins,
};
use crate::sql_types::{DbId, DbTime, Id, Instant};
use crate::visits::AssessmentRow;
use crate::{DbConnection, Result, StoreError};
use aukiolo_domain::booking::{BookedBy, BookingStatus};
use aukiolo_domain::metrics::table::Names;
use aukiolo_domain::metrics::{
    AccessFact, BookingFact, CapacityFact, Facts, InvitationFact, OfficeFact, ResponseAnswers, ResponseFact,
    WalkInFact, Week,
};
use aukiolo_domain::visit::{Assessment, WalkInOutcome};
use aukiolo_domain::{AdvisorId, Channel, LocalisedText, OfficeId, TopicId};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use diesel::dsl;
use diesel::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The questions whose answers the metrics count; free text is never read.
const COUNTED_QUESTIONS: [&str; 6] =
    ["satisfaction", "recommend", "effort", "preference", "channels_known", "could_online"];

/// The booking events that carry the times the metrics use.
const TIMED_EVENTS: [&str; 5] =
    ["arrived", "in_service", "completed", "cancelled_by_citizen", "cancelled_by_office"];

/// Open slots ahead kept per advisor and channel: the third next available of any set of
/// advisors is among each one's first three.
const OPEN_PER_ADVISOR: i64 = 3;

/// An office in scope, with what placing its rows needs.
struct Office {
    pilot_group: String,
    tz: Tz,
}

/// The offices in scope and the UTC window around the period.
struct Window {
    from: NaiveDate,
    to: NaiveDate,
    offices: HashMap<OfficeId, Office>,
    office_ids: Vec<DbId>,
    lo: DbTime,
    hi: DbTime,
}

impl Window {
    fn office(&self, id: DbId) -> Result<&Office> {
        self.offices
            .get(&id.into())
            .ok_or_else(|| StoreError::Corrupt(format!("a row refers to office {} outside the scope", id.0)))
    }

    /// The office-local day of `at`, if it lies in the period.
    fn day(&self, office: &Office, at: DateTime<Utc>) -> Option<NaiveDate> {
        let day = at.with_timezone(&office.tz).date_naive();
        (self.from <= day && day < self.to).then_some(day)
    }
}

type InWindow = dsl::And<
    dsl::And<dsl::EqAny<bookings::office_id, Vec<DbId>>, dsl::GtEq<bookings::starts_at, DbTime>>,
    dsl::Lt<bookings::starts_at, DbTime>,
>;

/// The bookings of the offices in scope starting in the UTC window.
fn bookings_in(w: &Window) -> InWindow {
    bookings::office_id
        .eq_any(w.office_ids.clone())
        .and(bookings::starts_at.ge(w.lo))
        .and(bookings::starts_at.lt(w.hi))
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} `{value}`"))
}

fn channel(value: &str) -> Result<Channel> {
    value.parse().map_err(StoreError::Corrupt)
}

/// The facts of the office-local days `[from, to)` of every office, or only of `office`,
/// as of `now` (which decides which visits are due, and from when open times count).
///
/// Bookings count by the day of their start, walk-ins by the day they were logged, slots by
/// the day they start, questionnaire responses by their ISO week when its Monday lies in
/// the period; assessments and invitations go with their booking.
pub fn load(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
    office: Option<OfficeId>,
    now: DateTime<Utc>,
) -> Result<Facts> {
    let (window, office_facts) = window(conn, from, to, office)?;
    let bookings = load_bookings(conn, &window)?;
    Ok(Facts {
        now,
        offices: office_facts,
        bookings,
        walk_ins: load_walk_ins(conn, &window)?,
        responses: load_responses(conn, &window)?,
        capacity: load_capacity(conn, &window)?,
        access: load_access(conn, &window, now)?,
    })
}

fn window(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
    office: Option<OfficeId>,
) -> Result<(Window, Vec<OfficeFact>)> {
    let mut query = offices::table
        .select((offices::id, offices::pilot_group, offices::time_zone, offices::pilot_start))
        .order((offices::name_fi, offices::id))
        .into_boxed();
    if let Some(office) = office {
        query = query.filter(offices::id.eq(DbId::from(office)));
    }
    let rows: Vec<(DbId, String, String, Option<NaiveDate>)> = query.load(conn)?;
    let mut offices = HashMap::new();
    let mut facts = Vec::new();
    for (id, pilot_group, time_zone, pilot_start) in rows {
        let tz: Tz = time_zone.parse().map_err(|_| corrupt("office time zone", &time_zone))?;
        facts.push(OfficeFact { id: id.into(), pilot_group: pilot_group.clone(), pilot_start });
        offices.insert(id.into(), Office { pilot_group, tz });
    }
    // Every zone is within 14 hours of UTC, so a day either side holds every local day.
    let utc_midnight = |d: NaiveDate| DbTime(d.and_time(chrono::NaiveTime::MIN).and_utc());
    let window = Window {
        from,
        to,
        office_ids: facts.iter().map(|o| DbId::from(o.id)).collect(),
        offices,
        lo: utc_midnight(from - Duration::days(1)),
        hi: utc_midnight(to + Duration::days(1)),
    };
    Ok((window, facts))
}

#[derive(Default)]
struct Events {
    arrived: Option<DateTime<Utc>>,
    in_service: Option<DateTime<Utc>>,
    completed: Option<DateTime<Utc>>,
    cancelled: Option<DateTime<Utc>>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = bookings)]
struct BookingRow {
    id: DbId,
    office_id: DbId,
    topic_id: DbId,
    channel: String,
    starts_at: DbTime,
    created_at: DbTime,
    status: String,
    booked_by: String,
    invitation_sent_at: Option<DbTime>,
    invitation_answered: Option<bool>,
}

impl BookingRow {
    /// The invitation as kept on the booking once it lost its link (`crate::retention`).
    fn unlinked_invitation(&self) -> Option<InvitationFact> {
        self.invitation_sent_at.map(|sent| InvitationFact {
            sent_at: sent.0,
            answered: self.invitation_answered.unwrap_or(false),
        })
    }
}

fn load_bookings(conn: &mut DbConnection, w: &Window) -> Result<Vec<BookingFact>> {
    let rows: Vec<BookingRow> = bookings::table
        .filter(bookings_in(w))
        .select(BookingRow::as_select())
        .order((bookings::starts_at, bookings::id))
        .load(conn)?;

    // Bookings of the period that a later booking replaced (moved).
    let replacement = diesel::alias!(bookings as replacement);
    let moved: HashSet<DbId> = bookings::table
        .inner_join(replacement.on(replacement.field(bookings::rescheduled_from).eq(bookings::id.nullable())))
        .filter(bookings_in(w))
        .select(bookings::id)
        .load::<DbId>(conn)?
        .into_iter()
        .collect();

    let mut events: HashMap<DbId, Events> = HashMap::new();
    let event_rows: Vec<(DbId, String, DbTime)> = booking_events::table
        .inner_join(bookings::table)
        .filter(bookings_in(w))
        .filter(booking_events::kind.eq_any(TIMED_EVENTS))
        .select((booking_events::booking_id, booking_events::kind, booking_events::at))
        .order((booking_events::at, booking_events::id))
        .load(conn)?;
    for (booking, kind, at) in event_rows {
        let e = events.entry(booking).or_default();
        let slot = match kind.as_str() {
            "arrived" => &mut e.arrived,
            "in_service" => &mut e.in_service,
            "completed" => &mut e.completed,
            _ => &mut e.cancelled,
        };
        // A status is reached once; should it repeat, the first time stands.
        slot.get_or_insert(at.0);
    }

    let assessments: HashMap<DbId, Assessment> = visit_assessments::table
        .inner_join(bookings::table)
        .filter(bookings_in(w))
        .select((visit_assessments::booking_id, AssessmentRow::as_select()))
        .load::<(DbId, AssessmentRow)>(conn)?
        .into_iter()
        .map(|(booking, row)| Ok((booking, row.into_domain()?.assessment)))
        .collect::<Result<_>>()?;

    // Invitations still linked to their booking; the others are kept on the booking.
    let invitations: HashMap<DbId, InvitationFact> = questionnaire_invitations::table
        .inner_join(bookings::table)
        .filter(bookings_in(w))
        .select((
            questionnaire_invitations::booking_id,
            questionnaire_invitations::created_at,
            questionnaire_invitations::answered_at,
        ))
        .load::<(Option<DbId>, DbTime, Option<DbTime>)>(conn)?
        .into_iter()
        .filter_map(|(booking, sent, answered)| {
            Some((booking?, InvitationFact { sent_at: sent.0, answered: answered.is_some() }))
        })
        .collect();

    let mut facts = Vec::with_capacity(rows.len());
    for r in rows {
        let office = w.office(r.office_id)?;
        let Some(date) = w.day(office, r.starts_at.0) else { continue };
        let e = events.remove(&r.id).unwrap_or_default();
        facts.push(BookingFact {
            office: r.office_id.into(),
            pilot_group: office.pilot_group.clone(),
            topic: r.topic_id.into(),
            channel: channel(&r.channel)?,
            date,
            booked_by: BookedBy::parse(&r.booked_by)
                .ok_or_else(|| corrupt("booking booked_by", &r.booked_by))?,
            created_at: r.created_at.0,
            start: r.starts_at.0,
            status: BookingStatus::parse(&r.status).ok_or_else(|| corrupt("booking status", &r.status))?,
            moved: moved.contains(&r.id),
            arrived_at: e.arrived,
            in_service_at: e.in_service,
            completed_at: e.completed,
            cancelled_at: e.cancelled,
            assessment: assessments.get(&r.id).cloned(),
            invitation: invitations.get(&r.id).copied().or_else(|| r.unlinked_invitation()),
        });
    }
    Ok(facts)
}

fn load_walk_ins(conn: &mut DbConnection, w: &Window) -> Result<Vec<WalkInFact>> {
    let rows: Vec<(DbId, DbTime, DbId, String)> = walk_ins::table
        .filter(walk_ins::office_id.eq_any(&w.office_ids))
        .filter(walk_ins::at.ge(w.lo))
        .filter(walk_ins::at.lt(w.hi))
        .select((walk_ins::office_id, walk_ins::at, walk_ins::topic_id, walk_ins::outcome))
        .order((walk_ins::at, walk_ins::id))
        .load(conn)?;
    let mut facts = Vec::new();
    for (office_id, at, topic, outcome) in rows {
        let office = w.office(office_id)?;
        let Some(date) = w.day(office, at.0) else { continue };
        facts.push(WalkInFact {
            office: office_id.into(),
            pilot_group: office.pilot_group.clone(),
            topic: topic.into(),
            date,
            outcome: WalkInOutcome::parse(&outcome).ok_or_else(|| corrupt("walk-in outcome", &outcome))?,
        });
    }
    Ok(facts)
}

/// The ISO weeks whose Monday lies in `[from, to)`, as stored.
fn weeks(from: NaiveDate, to: NaiveDate) -> Vec<String> {
    let first = Week::of(from);
    let first_monday =
        if first.monday() < from { first.monday() + Duration::weeks(1) } else { first.monday() };
    first_monday
        .iter_weeks()
        .take_while(|monday| *monday < to)
        .map(|monday| Week::of(monday).to_string())
        .collect()
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = response_answers)]
struct AnswerRow {
    response_id: DbId,
    question_key: String,
    score: Option<i32>,
    choice: Option<String>,
    choices: Option<String>,
}

fn load_responses(conn: &mut DbConnection, w: &Window) -> Result<Vec<ResponseFact>> {
    let weeks = weeks(w.from, w.to);
    let rows: Vec<(DbId, DbId, DbId, String, String, String)> = questionnaire_responses::table
        .filter(questionnaire_responses::office_id.eq_any(&w.office_ids))
        .filter(questionnaire_responses::week.eq_any(&weeks))
        .select((
            questionnaire_responses::id,
            questionnaire_responses::office_id,
            questionnaire_responses::topic_id,
            questionnaire_responses::channel,
            questionnaire_responses::week,
            questionnaire_responses::pilot_group,
        ))
        .order((questionnaire_responses::week, questionnaire_responses::id))
        .load(conn)?;
    let answer_rows: Vec<AnswerRow> = response_answers::table
        .inner_join(questionnaire_responses::table)
        .filter(questionnaire_responses::office_id.eq_any(&w.office_ids))
        .filter(questionnaire_responses::week.eq_any(&weeks))
        .filter(response_answers::question_key.eq_any(COUNTED_QUESTIONS))
        .select(AnswerRow::as_select())
        .load(conn)?;
    let mut answers: HashMap<DbId, ResponseAnswers> = HashMap::new();
    for AnswerRow { response_id, question_key, score, choice, choices } in answer_rows {
        let a = answers.entry(response_id).or_default();
        let score = || -> Result<Option<u8>> {
            score.map(|s| u8::try_from(s).map_err(|_| corrupt("answer score", &s.to_string()))).transpose()
        };
        match question_key.as_str() {
            "satisfaction" => a.satisfaction = score()?,
            "recommend" => a.recommend = score()?,
            "effort" => a.effort = score()?,
            "preference" => a.preference = choice,
            "could_online" => a.could_online = choice,
            _ => {
                a.channels_known = choices
                    .map(|c| crate::json::from_text::<Vec<String>>("response_answers.choices", &c))
                    .transpose()?
            }
        }
    }
    rows.into_iter()
        .map(|(id, office, topic, channel_text, week, pilot_group)| {
            Ok(ResponseFact {
                office: office.into(),
                pilot_group,
                topic: topic.into(),
                channel: channel(&channel_text)?,
                week: Week::parse(&week).ok_or_else(|| corrupt("response week", &week))?,
                answers: answers.remove(&id).unwrap_or_default(),
            })
        })
        .collect()
}

fn load_capacity(conn: &mut DbConnection, w: &Window) -> Result<Vec<CapacityFact>> {
    let rows: Vec<(DbId, String, DbTime, DbTime, String)> = slots::table
        .filter(slots::office_id.eq_any(&w.office_ids))
        .filter(slots::starts_at.ge(w.lo))
        .filter(slots::starts_at.lt(w.hi))
        .filter(slots::state.eq_any(["open", "booked"]))
        .select((slots::office_id, slots::channel, slots::starts_at, slots::ends_at, slots::state))
        .load(conn)?;
    let mut days: BTreeMap<(DbId, Channel, NaiveDate), CapacityFact> = BTreeMap::new();
    for (office_id, channel_text, start, end, state) in rows {
        let office = w.office(office_id)?;
        let Some(date) = w.day(office, start.0) else { continue };
        let channel = channel(&channel_text)?;
        let day = days.entry((office_id, channel, date)).or_insert_with(|| CapacityFact {
            office: office_id.into(),
            pilot_group: office.pilot_group.clone(),
            channel,
            date,
            published_slots: 0,
            booked_slots: 0,
            published_minutes: 0,
            booked_minutes: 0,
        });
        let minutes = u64::try_from((end.0 - start.0).num_minutes()).unwrap_or(0);
        day.published_slots += 1;
        day.published_minutes += minutes;
        if state == "booked" {
            day.booked_slots += 1;
            day.booked_minutes += minutes;
        }
    }
    Ok(days.into_values().collect())
}

#[derive(QueryableByName)]
struct OpenSlotRow {
    #[diesel(sql_type = Id)]
    advisor_id: DbId,
    #[diesel(sql_type = diesel::sql_types::Text)]
    channel: String,
    #[diesel(sql_type = Instant)]
    starts_at: DbTime,
}

/// Each advisor's first three open slots per channel from `now` on, of one office or all,
/// in one query (a window function, on both backends).
fn first_open_slots(
    conn: &mut DbConnection,
    office: Option<DbId>,
    now: DateTime<Utc>,
) -> Result<Vec<OpenSlotRow>> {
    let pg = matches!(conn, DbConnection::Pg(_));
    let (first, second) = if pg { ("$1", "$2") } else { ("?", "?") };
    let of_office = if office.is_some() { format!(" AND office_id = {second}") } else { String::new() };
    let sql = format!(
        "SELECT advisor_id, channel, starts_at FROM ( \
             SELECT advisor_id, channel, starts_at, \
                    ROW_NUMBER() OVER (PARTITION BY advisor_id, channel ORDER BY starts_at) AS nth \
             FROM slots WHERE state = 'open' AND starts_at >= {first}{of_office} \
         ) AS ranked WHERE nth <= {OPEN_PER_ADVISOR}"
    );
    let query = diesel::sql_query(sql).bind::<Instant, _>(DbTime(now));
    Ok(match office {
        Some(office) => query.bind::<Id, _>(office).load(conn)?,
        None => query.load(conn)?,
    })
}

/// Per office, topic and channel: the open times of the active advisors who handle the
/// topic over a channel the topic is offered on.
fn load_access(conn: &mut DbConnection, w: &Window, now: DateTime<Utc>) -> Result<Vec<AccessFact>> {
    let advisor_rows: Vec<(DbId, DbId, String)> = advisors::table
        .filter(advisors::office_id.eq_any(&w.office_ids))
        .filter(advisors::active.eq(true))
        .select((advisors::id, advisors::office_id, advisors::channels))
        .load(conn)?;
    let mut advisor_channels: HashMap<AdvisorId, (OfficeId, Vec<Channel>)> = HashMap::new();
    for (id, office, channels) in advisor_rows {
        let channels = crate::json::from_text("advisors.channels", &channels)?;
        advisor_channels.insert(id.into(), (office.into(), channels));
    }
    let serves: Vec<(DbId, DbId)> = advisor_topics::table
        .inner_join(advisors::table)
        .filter(advisors::office_id.eq_any(&w.office_ids))
        .filter(advisors::active.eq(true))
        .select((advisor_topics::advisor_id, advisor_topics::topic_id))
        .load(conn)?;
    let topic_channels: HashMap<TopicId, Vec<Channel>> = topics::table
        .select((topics::id, topics::channels))
        .load::<(DbId, String)>(conn)?
        .into_iter()
        .map(|(id, channels)| Ok((id.into(), crate::json::from_text("topics.channels", &channels)?)))
        .collect::<Result<_>>()?;
    let mut open: HashMap<(AdvisorId, Channel), Vec<DateTime<Utc>>> = HashMap::new();
    let one_office = match w.office_ids.as_slice() {
        [office] => Some(*office),
        _ => None,
    };
    for row in first_open_slots(conn, one_office, now)? {
        open.entry((row.advisor_id.into(), channel(&row.channel)?)).or_default().push(row.starts_at.0);
    }

    let mut pairs: BTreeMap<(OfficeId, TopicId, Channel), Vec<DateTime<Utc>>> = BTreeMap::new();
    for (advisor, topic) in serves {
        let (advisor, topic): (AdvisorId, TopicId) = (advisor.into(), topic.into());
        let Some((office, channels)) = advisor_channels.get(&advisor) else { continue };
        let offered = topic_channels.get(&topic).map(Vec::as_slice).unwrap_or_default();
        for &c in channels.iter().filter(|c| offered.contains(c)) {
            let starts = pairs.entry((*office, topic, c)).or_default();
            starts.extend(open.get(&(advisor, c)).into_iter().flatten().copied());
        }
    }
    pairs
        .into_iter()
        .map(|((office, topic, channel), open_starts)| {
            Ok(AccessFact {
                office,
                pilot_group: w.office(office.into())?.pilot_group.clone(),
                topic,
                channel,
                open_starts,
            })
        })
        .collect()
}

/// Every office's and topic's name in each language, for the names a table shows beside
/// their ids: two queries of four columns, whatever the period.
pub fn names(conn: &mut DbConnection) -> Result<Names> {
    type Named = (DbId, String, String, String);
    let text = |(_, fi, sv, en): Named| LocalisedText { fi, sv, en };
    let offices: Vec<Named> = offices::table
        .select((offices::id, offices::name_fi, offices::name_sv, offices::name_en))
        .load(conn)?;
    let topics: Vec<Named> =
        topics::table.select((topics::id, topics::name_fi, topics::name_sv, topics::name_en)).load(conn)?;
    Ok(Names {
        offices: offices.into_iter().map(|n| (n.0.into(), text(n))).collect(),
        topics: topics.into_iter().map(|n| (n.0.into(), text(n))).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn weeks_starting_in_the_period() {
        // Sunday 1 November to Tuesday 1 December 2026: Mondays 2, 9, 16, 23 and 30 Nov.
        assert_eq!(
            weeks(day(2026, 11, 1), day(2026, 12, 1)),
            ["2026-W45", "2026-W46", "2026-W47", "2026-W48", "2026-W49"]
        );
        // From a Monday to a Monday: exactly those weeks.
        assert_eq!(weeks(day(2026, 11, 16), day(2026, 11, 30)), ["2026-W47", "2026-W48"]);
        assert!(weeks(day(2026, 11, 17), day(2026, 11, 23)).is_empty());
        assert_eq!(weeks(day(2026, 12, 28), day(2027, 1, 5)), ["2026-W53", "2027-W01"]);
    }
}
