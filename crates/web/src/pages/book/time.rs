//! `/{lang}/book/time`: a week of free times. The days come first as links (each named
//! with its date and how many times are free), then one radio group per day; previous
//! and next week move through the booking horizon. A time taken meanwhile brings the
//! citizen back here with a notice and the next free times first. The move page of a
//! booking shows the same week (`TimeWeek`).

use super::{see_other, with_query, Flow, Step};
use crate::catalogue::{Text, Tr};
use crate::chrome::Chrome;
use crate::error::Problem;
use crate::forms::Errors;
use crate::journey::{Choices, Query};
use crate::lang::Cx;
use actix_web::{web, HttpResponse};
use askama::Template;
use aukiolo_domain::availability::FreeTime;
use aukiolo_domain::slots::local_day_start;
use aukiolo_domain::{dates, Channel, Locale};
use aukiolo_store::availability::{self, TimeQuery};
use aukiolo_store::rate_limits::Counted;
use aukiolo_store::{DbConnection, StoreError};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

/// One time to choose.
#[derive(Clone, Debug)]
pub struct Slot {
    /// The first radio of a page is `start`, so the error summary can link to it.
    pub id: String,
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// One day of the week with its free times.
#[derive(Clone, Debug)]
pub struct Day {
    pub id: String,
    pub name: String,
    pub count: String,
    pub slots: Vec<Slot>,
}

/// A week of free times, as both the booking and the move pages show it.
#[derive(Clone, Debug)]
pub struct TimeWeek {
    pub period: String,
    pub days: Vec<Day>,
    /// The query of the previous and next week, where they are within reach.
    pub previous: Option<NaiveDate>,
    pub next: Option<NaiveDate>,
    /// When the week has nothing free: the first free time after it, if any.
    pub later: Option<(NaiveDate, String)>,
    /// The next free times from now, for the "just taken" notice.
    pub soonest: Vec<Slot>,
}

fn value(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn monday(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

fn slot_label(tz: Tz, t: &FreeTime) -> String {
    dates::clock_range(t.start.with_timezone(&tz).time(), t.end.with_timezone(&tz).time())
}

/// Which week of which times a page shows.
#[derive(Clone, Debug)]
pub struct Wanted {
    /// Topic, channel, office and language (`from`/`to` are set by `TimeWeek::load`).
    pub base: TimeQuery,
    pub tz: Tz,
    /// Any day of the week; by default the week of the first free time.
    pub week: Option<NaiveDate>,
    pub selected: Option<DateTime<Utc>>,
    pub horizon_weeks: u32,
}

impl TimeWeek {
    pub fn load(
        conn: &mut DbConnection,
        lang: Locale,
        w: &Wanted,
        now: DateTime<Utc>,
    ) -> Result<TimeWeek, StoreError> {
        let (base, tz, week, selected) = (&w.base, w.tz, w.week, w.selected);
        let horizon_weeks = w.horizon_weeks;
        let t = Tr(lang);
        let today = now.with_timezone(&tz).date_naive();
        let end = now + Duration::weeks(i64::from(horizon_weeks));
        let ahead = TimeQuery { from: now, to: end, ..base.clone() };
        let all = availability::citizen_times(conn, &ahead, now)?;
        let first_week = all.first().map(|f| monday(f.start.with_timezone(&tz).date_naive()));
        let this_week = monday(today);
        let week = week.map(monday).filter(|w| *w >= this_week).or(first_week).unwrap_or(this_week);
        let (from, to) = (local_day_start(tz, week), local_day_start(tz, week + Duration::days(7)));
        let in_week: Vec<&FreeTime> = all.iter().filter(|f| f.start >= from && f.start < to).collect();
        let mut days = Vec::new();
        for offset in 0..7 {
            let day = week + Duration::days(offset);
            let slots: Vec<Slot> = in_week
                .iter()
                .filter(|f| f.start.with_timezone(&tz).date_naive() == day)
                .map(|f| Slot {
                    id: String::new(),
                    value: value(f.start),
                    label: slot_label(tz, f),
                    checked: selected == Some(f.start),
                })
                .collect();
            // Weekends show only when something is free on them.
            if slots.is_empty() && offset >= 5 {
                continue;
            }
            let count = match slots.len() {
                0 => t.get(Text::NoFreeTimes).to_owned(),
                1 => t.get(Text::OneFreeTime).to_owned(),
                n => t.fill(Text::FreeTimes, &[("n", &n.to_string())]),
            };
            days.push(Day { id: format!("day-{day}"), name: dates::date(lang, day), count, slots });
        }
        let later = if in_week.is_empty() {
            all.iter().find(|f| f.start >= to).map(|f| {
                let local = f.start.with_timezone(&tz);
                let when = dates::date_time(lang, local.naive_local());
                (monday(local.date_naive()), t.fill(Text::NextFreeTime, &[("when", &when)]))
            })
        } else {
            None
        };
        let soonest = all
            .iter()
            .take(3)
            .map(|f| {
                let local = f.start.with_timezone(&tz);
                let label = format!("{} {}", dates::date(lang, local.date_naive()), slot_label(tz, f));
                Slot { id: String::new(), value: value(f.start), label, checked: false }
            })
            .collect();
        Ok(TimeWeek {
            period: t.fill(
                Text::WeekOf,
                &[(
                    "period",
                    &format!("{}–{}", dates::numeric(week), dates::numeric(week + Duration::days(6))),
                )],
            ),
            days,
            previous: (week > this_week).then(|| week - Duration::days(7)),
            next: (to < end).then(|| week + Duration::days(7)),
            later,
            soonest,
        })
    }

    pub fn has_times(&self) -> bool {
        self.days.iter().any(|d| !d.slots.is_empty())
    }

    /// Numbers the radios, the notice's first when it is shown.
    pub fn number(&mut self, with_soonest: bool) {
        let soonest = self.soonest.iter_mut().filter(|_| with_soonest);
        let all = soonest.chain(self.days.iter_mut().flat_map(|d| d.slots.iter_mut()));
        for (i, slot) in all.enumerate() {
            slot.id = if i == 0 { "start".to_owned() } else { format!("start-{i}") };
        }
    }
}

/// Whether `start` is free for `base` right now.
pub fn is_free(
    conn: &mut DbConnection,
    base: &TimeQuery,
    start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let q = TimeQuery { from: start, to: start + Duration::seconds(1), ..base.clone() };
    Ok(availability::citizen_times(conn, &q, now)?.iter().any(|f| f.start == start))
}

#[derive(Template)]
#[template(path = "time.html")]
pub struct TimePage {
    pub c: Chrome,
    pub step: Option<String>,
    pub heading: String,
    pub action: String,
    pub hidden: Vec<(&'static str, String)>,
    pub errors: Errors,
    pub taken: bool,
    pub week: TimeWeek,
    /// The links to the previous and next week.
    pub previous: Option<String>,
    pub next: Option<String>,
    pub later: Option<(String, String)>,
    pub phone: String,
}

/// The time page's error after a submit: none chosen, or the one chosen gone meanwhile.
pub fn time_errors(t: Tr, submitted: bool, chosen: bool) -> Errors {
    let mut errors = Errors::default();
    match (submitted, chosen) {
        (true, true) => errors.add("start", t.get(Text::TimeTakenNotice)),
        (true, false) => errors.add("start", t.get(Text::TimeMissing)),
        _ => {}
    }
    errors
}

/// The query of the journey's times (language and channel decided, office if a visit).
pub fn base_query(flow: &Flow, now: DateTime<Utc>) -> Option<(TimeQuery, Tz)> {
    let topic = flow.choices.topic?;
    let channel = flow.choices.channel?;
    let language = flow.choices.language?;
    let tz = flow.tz();
    let office_id = if channel == Channel::Office { Some(flow.choices.office?) } else { None };
    Some((
        TimeQuery {
            topic_id: topic,
            channel,
            office_id,
            advisor_id: None,
            language: language.into(),
            from: now,
            to: now,
        },
        tz,
    ))
}

/// A link to another week of the same page.
pub fn week_link(path: &str, pairs: &[(&'static str, String)], week: NaiveDate) -> String {
    let mut pairs: Vec<(&str, String)> = pairs.iter().filter(|(k, _)| *k != "week").cloned().collect();
    pairs.push(("week", week.to_string()));
    with_query(path, &pairs)
}

pub async fn page(
    Cx { req, lang, site }: Cx,
    web::Query(query): web::Query<Query>,
) -> Result<HttpResponse, Problem> {
    site.limit(Counted::AvailabilityByAddress, &site.client_address(&req))?;
    let choices = Choices::from_query(&query);
    let submitted = query.contains_key("go");
    let taken = query.contains_key("taken");
    let now = site.now();
    let horizon = site.horizon_weeks;
    let flow = site.read(move |c| Flow::load(c, choices)).await?;
    if let Some(missing) = flow.missing_before(Step::Time) {
        return Ok(see_other(&flow.url(lang, missing)));
    }
    let Some((base, tz)) = base_query(&flow, now) else { return Ok(see_other(&flow.url(lang, Step::Topic))) };
    let start = flow.choices.start;
    let week_param = flow.choices.week;
    let (mut week, free) = {
        let base = base.clone();
        site.read(move |c| {
            let free = match start {
                Some(s) if submitted => is_free(c, &base, s, now)?,
                _ => false,
            };
            let wanted =
                Wanted { base: base.clone(), tz, week: week_param, selected: start, horizon_weeks: horizon };
            let week = TimeWeek::load(c, lang, &wanted, now)?;
            Ok((week, free))
        })
        .await?
    };
    if submitted && free {
        return Ok(see_other(&flow.next(lang, Step::Time)));
    }
    let taken = taken && !submitted;
    week.number(taken);
    let t = Tr(lang);
    let errors = time_errors(t, submitted, start.is_some());
    let heading = t.get(Text::TimeQuestion).to_owned();
    let mut c = Chrome::new(&req, lang, &heading).with_back(flow.back(lang, Step::Time));
    if !errors.is_empty() {
        c.mark_error();
    }
    let (n, of) = flow.position(Step::Time);
    let path = format!("/{}/book/time", lang.as_str());
    let mut keep = flow.choices.clone();
    keep.start = None;
    let pairs = keep.pairs();
    crate::pages::html(&TimePage {
        step: Some(t.fill(Text::StepOf, &[("n", &n.to_string()), ("of", &of.to_string())])),
        heading,
        action: path.clone(),
        hidden: pairs.clone(),
        errors,
        taken,
        previous: week.previous.map(|w| week_link(&path, &pairs, w)),
        next: week.next.map(|w| week_link(&path, &pairs, w)),
        later: week.later.clone().map(|(w, label)| (week_link(&path, &pairs, w), label)),
        week,
        phone: site.service.phone_line(lang),
        c,
    })
}
