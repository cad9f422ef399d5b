//! `/{lang}/staff/advisors/{id}/schedule`: an advisor's weekly rules (`store::rules`) with
//! a delete button each, a form to add one, and a preview of next week's times.
//!
//! The preview is computed with the domain's slot maths (`AdvisorCalendar::slots`, the
//! same function the slot refresh uses) from the rules, the advisor's absences and the
//! office's closures and holidays, rather than read from the stored slots: it then shows
//! what the rules give even where stored slots would not say it (a booked or held-back
//! slot, a week beyond a short booking horizon), and it cannot drift from the refresh.

use super::advisors::managed_advisor;
use super::assessment::Choice;
use super::calendar_change::{self, ConflictNotice, Done};
use super::day::channel_text;
use super::input::{self, one, Given};
use super::walk_ins::SelectOption;
use crate::catalogue::{StaffText as S, Text, Tr};
use crate::chrome::Chrome;
use crate::error::{with_status, Problem};
use crate::forms::Errors;
use crate::staff::{Signed, StaffForm};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use aukiolo_domain::advisor::Advisor;
use aukiolo_domain::calendar::{ScheduleRule, ScheduleRuleFields, TimeRange};
use aukiolo_domain::holidays::holiday_name;
use aukiolo_domain::office::Office;
use aukiolo_domain::slots::{AdvisorCalendar, Unavailability};
use aukiolo_domain::{dates, AdvisorId, Channel, Locale, ScheduleRuleId};
use aukiolo_store::{absences, closures, schedule_rules};
use chrono::{Datelike, Duration, NaiveDate};

/// The name of ISO weekday `n` (1 = Monday).
fn weekday_name(lang: Locale, n: i16) -> &'static str {
    // 6.9.2027 is a Monday.
    let monday = NaiveDate::from_ymd_opt(2027, 9, 6).expect("a date");
    dates::weekday(lang, monday + Duration::days(i64::from(n - 1)))
}

/// A rule as a row of the table.
pub struct RuleRow {
    weekday: &'static str,
    hours: String,
    breaks: String,
    slot_minutes: i32,
    channel: &'static str,
    validity: String,
    delete: String,
    /// The rule in a few words, for its delete button.
    row: String,
}

/// One day of next week: its times by channel, or why it has none.
pub struct PreviewDay {
    day: String,
    times: Vec<(&'static str, String)>,
    off: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/schedule.html")]
struct SchedulePage {
    c: Chrome,
    heading: String,
    rules: Vec<RuleRow>,
    preview_title: String,
    preview: Vec<PreviewDay>,
    /// Said when the advisor is inactive: the preview is what the rules give, and none of
    /// it is offered.
    inactive: Option<&'static str>,
    weekdays: Vec<SelectOption>,
    channels: Vec<Choice>,
    form: Given,
    errors: Errors,
    csrf: String,
    action: String,
    advisor_page: String,
    absences: String,
    notice: Option<&'static str>,
    conflict_notice: Option<ConflictNotice>,
}

impl SchedulePage {
    /// What was typed into `name`, to show it again.
    fn sent(&self, name: &str) -> &str {
        one(&self.form, name)
    }
}

fn breaks_text(breaks: &[TimeRange]) -> String {
    breaks.iter().map(|b| dates::clock_range(b.start, b.end)).collect::<Vec<_>>().join(", ")
}

fn validity(t: Tr, f: &ScheduleRuleFields) -> String {
    match (f.valid_from, f.valid_until) {
        (None, None) => t.s(S::UntilFurtherNotice).to_owned(),
        (from, until) => format!(
            "{}–{}",
            input::day_text(from),
            until.map(dates::numeric).unwrap_or_else(|| t.s(S::UntilFurtherNotice).to_owned())
        ),
    }
}

/// The Monday after `today` and the Sunday after it.
fn next_week(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let monday = today + Duration::days(7 - i64::from(today.weekday().num_days_from_monday()));
    (monday, monday + Duration::days(6))
}

/// Next week's days as the calendar gives them.
fn preview(
    t: Tr,
    lang: Locale,
    cal: &AdvisorCalendar<'_>,
    first: NaiveDate,
    last: NaiveDate,
) -> Vec<PreviewDay> {
    first
        .iter_days()
        .take_while(|d| *d <= last)
        .map(|day| {
            let off = cal.day_off(day).map(|why| match why {
                Unavailability::PublicHoliday => {
                    let name =
                        holiday_name(day).map(|n| super::closures::holiday_text(t, n)).unwrap_or_default();
                    t.fill_s(S::HolidayOff, &[("name", &name)])
                }
                _ => t.s(S::ClosedOff).to_owned(),
            });
            let mut times: Vec<(&'static str, String)> = Vec::new();
            for slot in cal.slots(day, day) {
                let start = dates::clock(slot.start.with_timezone(&cal.tz).time());
                match times.last_mut() {
                    Some((channel, list)) if *channel == channel_text(t, slot.channel) => {
                        list.push_str(", ");
                        list.push_str(&start);
                    }
                    _ => times.push((channel_text(t, slot.channel), start)),
                }
            }
            PreviewDay { day: dates::date(lang, day), times, off }
        })
        .collect()
}

/// The rules, absences and closures of the advisor's calendar.
struct Loaded {
    rules: Vec<ScheduleRule>,
    absences: Vec<aukiolo_domain::calendar::AbsenceFields>,
    closures: Vec<aukiolo_domain::calendar::ClosureFields>,
}

async fn render(
    signed: &Signed,
    advisor: &Advisor,
    office: &Office,
    form: Given,
    errors: Errors,
) -> Result<HttpResponse, Problem> {
    let lang = signed.lang();
    let t = Tr(lang);
    let now = signed.site().now();
    let tz = office.fields.tz();
    let today = now.with_timezone(&tz).date_naive();
    let (id, office_id) = (advisor.id, office.id);
    let l = signed
        .site()
        .read(move |c| {
            Ok(Loaded {
                rules: schedule_rules::list_for_advisor(c, id)?,
                absences: absences::list_for_advisor(c, id, Some(now))?
                    .into_iter()
                    .map(|a| a.fields)
                    .collect(),
                closures: closures::list_for_office(c, office_id, Some(today))?
                    .into_iter()
                    .map(|c| c.fields)
                    .collect(),
            })
        })
        .await?;
    let fields: Vec<ScheduleRuleFields> = l.rules.iter().map(|r| r.fields.clone()).collect();
    let cal = AdvisorCalendar { tz, rules: &fields, absences: &l.absences, closures: &l.closures };
    let (monday, sunday) = next_week(today);
    let base = format!("/{}/staff/advisors/{}", lang.as_str(), advisor.id);
    let heading = t.fill_s(S::ScheduleTitle, &[("name", &advisor.fields.name)]);
    let c = super::form_chrome(signed, &heading, &super::advisors_path(office.id), &errors);
    let done = Done::of(signed);
    let page = SchedulePage {
        c,
        heading,
        rules: l
            .rules
            .iter()
            .map(|r| RuleRow {
                row: format!(
                    "{} {}",
                    weekday_name(lang, r.fields.weekday),
                    dates::clock_range(r.fields.start, r.fields.end)
                ),
                weekday: weekday_name(lang, r.fields.weekday),
                hours: dates::clock_range(r.fields.start, r.fields.end),
                breaks: breaks_text(&r.fields.breaks),
                slot_minutes: r.fields.slot_minutes,
                channel: channel_text(t, r.fields.channel),
                validity: validity(t, &r.fields),
                delete: format!("{base}/schedule/{}/delete", r.id),
            })
            .collect(),
        preview_title: t
            .fill_s(S::PreviewTitle, &[("from", &dates::numeric(monday)), ("to", &dates::numeric(sunday))]),
        preview: preview(t, lang, &cal, monday, sunday),
        inactive: (!advisor.fields.active).then(|| t.s(S::InactiveNote)),
        weekdays: (1..=7)
            .map(|n| SelectOption {
                value: n.to_string(),
                label: weekday_name(lang, n).to_owned(),
                selected: one(&form, "weekday") == n.to_string(),
            })
            .collect(),
        channels: Channel::ALL
            .iter()
            .map(|ch| Choice {
                value: ch.as_str(),
                label: channel_text(t, *ch),
                checked: one(&form, "channel") == ch.as_str(),
            })
            .collect(),
        form,
        errors,
        csrf: signed.session.csrf_token.clone(),
        action: format!("{base}/schedule"),
        advisor_page: base.clone(),
        absences: format!("{base}/absences"),
        notice: done.notice(t, &[("added", S::RuleAdded), ("deleted", S::RuleDeleted)]),
        conflict_notice: ConflictNotice::of(signed, office.id, &done),
    };
    super::html(&page)
}

/// The domain's and the store's field paths as this form's fields.
fn field_text(path: &str) -> Option<(&'static str, S)> {
    Some(match path {
        "weekday" => ("weekday", S::ChooseOne),
        "slot_minutes" => ("slot_minutes", S::SlotMinutesInvalid),
        "end" => ("end", S::EndAfterStart),
        // The store names `start` when the rule overlaps another of the advisor's.
        "start" => ("start", S::RuleClashes),
        "valid_until" => ("valid_until", S::UntilAfterFrom),
        p if p.starts_with("breaks") => ("breaks", S::BreaksInvalid),
        _ => return None,
    })
}

/// Breaks typed as "12.00–12.30, 14.00-14.15".
fn breaks(raw: &str) -> Option<Vec<TimeRange>> {
    raw.split(',')
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .map(|b| {
            let (start, end) = b.split_once(['–', '-'])?;
            Some(TimeRange { start: input::time(start)?, end: input::time(end)? })
        })
        .collect()
}

/// The rule the form sends for `advisor`, or each bad field named.
fn read(t: Tr, given: &Given, advisor: AdvisorId) -> Result<ScheduleRuleFields, Errors> {
    let mut errors = Errors::default();
    let mut need = |field: &'static str, text: S, ok: bool| {
        if !ok {
            errors.add(field, t.s(text));
        }
    };
    let weekday = one(given, "weekday").parse::<i16>().ok().filter(|d| (1..=7).contains(d));
    need("weekday", S::ChooseOne, weekday.is_some());
    let start = input::time(one(given, "start"));
    need("start", S::TimeInvalid, start.is_some());
    let end = input::time(one(given, "end"));
    need("end", S::TimeInvalid, end.is_some());
    let slot_minutes = one(given, "slot_minutes").trim().parse::<i32>().ok();
    need("slot_minutes", S::SlotMinutesInvalid, slot_minutes.is_some());
    let channel = one(given, "channel").parse::<Channel>().ok();
    need("channel", S::ChooseOne, channel.is_some());
    let breaks = breaks(one(given, "breaks"));
    need("breaks", S::BreaksInvalid, breaks.is_some());
    let valid_from = input::optional_day(one(given, "valid_from"));
    need("valid_from", S::DateInvalid, valid_from.is_some());
    let valid_until = input::optional_day(one(given, "valid_until"));
    need("valid_until", S::DateInvalid, valid_until.is_some());
    let (
        Some(weekday),
        Some(start),
        Some(end),
        Some(slot_minutes),
        Some(channel),
        Some(breaks),
        Some(valid_from),
        Some(valid_until),
    ) = (weekday, start, end, slot_minutes, channel, breaks, valid_from, valid_until)
    else {
        return Err(errors);
    };
    let fields = ScheduleRuleFields {
        advisor_id: advisor,
        weekday,
        start,
        end,
        channel,
        slot_minutes,
        breaks,
        valid_from,
        valid_until,
    };
    let validated = fields.validate();
    input::finish(t, Errors::default(), validated, "start", field_text, fields)
}

/// `GET /{lang}/staff/advisors/{id}/schedule`.
pub async fn page(signed: Signed, id: web::Path<(String, AdvisorId)>) -> Result<HttpResponse, Problem> {
    let (advisor, office) = managed_advisor(&signed, id.1).await?;
    let form = vec![("slot_minutes".to_owned(), "30".to_owned())];
    render(&signed, &advisor, &office, form, Errors::default()).await
}

/// `POST /{lang}/staff/advisors/{id}/schedule`: adds a weekly rule.
pub async fn add(
    form: StaffForm<Given>,
    id: web::Path<(String, AdvisorId)>,
) -> Result<HttpResponse, Problem> {
    let StaffForm { signed, fields: given } = form;
    let (advisor, office) = managed_advisor(&signed, id.1).await?;
    let t = Tr(signed.lang());
    let errors = match read(t, &given, advisor.id) {
        Ok(fields) => {
            match calendar_change::run(&signed, office.id, move |c, h| schedule_rules::create(c, &fields, h))
                .await?
            {
                Ok((_, conflicts)) => {
                    return Ok(calendar_change::back(&signed, &schedule_path(advisor.id), "added", conflicts))
                }
                Err(bad) => input::named(t, bad, "start", field_text),
            }
        }
        Err(errors) => errors,
    };
    Ok(with_status(
        render(&signed, &advisor, &office, given, errors).await?,
        StatusCode::UNPROCESSABLE_ENTITY,
    ))
}

fn schedule_path(advisor: AdvisorId) -> String {
    format!("/advisors/{advisor}/schedule")
}

/// `POST /{lang}/staff/advisors/{id}/schedule/{rule}/delete`: deletes one of the
/// advisor's rules (another advisor's is not found here).
pub async fn delete(
    form: StaffForm<Given>,
    id: web::Path<(String, AdvisorId, ScheduleRuleId)>,
) -> Result<HttpResponse, Problem> {
    let signed = form.signed;
    let (_, advisor, rule) = id.into_inner();
    let (advisor, office) = managed_advisor(&signed, advisor).await?;
    let found = signed.site().read(move |c| schedule_rules::get(c, rule)).await?;
    if found.fields.advisor_id != advisor.id {
        return Err(Problem::NotFound);
    }
    match calendar_change::run(&signed, office.id, move |c, h| schedule_rules::delete(c, rule, h)).await? {
        Ok(((), conflicts)) => {
            Ok(calendar_change::back(&signed, &schedule_path(advisor.id), "deleted", conflicts))
        }
        Err(_) => Err(Problem::NotFound),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_week_starts_on_the_coming_monday() {
        let day = |d| NaiveDate::from_ymd_opt(2027, 9, d).expect("a date");
        // From a Tuesday, a Sunday and a Monday.
        assert_eq!(next_week(day(14)), (day(20), day(26)));
        assert_eq!(next_week(day(19)), (day(20), day(26)));
        assert_eq!(next_week(day(20)), (day(27), NaiveDate::from_ymd_opt(2027, 10, 3).expect("a date")));
    }

    #[test]
    fn breaks_are_read_as_written() {
        let b = breaks("12.00–12.30, 14.00-14.15").expect("two breaks");
        assert_eq!(b.len(), 2);
        assert_eq!(breaks(""), Some(Vec::new()));
        assert_eq!(breaks("noon"), None);
    }
}
