//! `/{lang}/staff/offices/{id}/closures`: an office's coming closures (`store::closures`)
//! with a delete button each, a form to add one, and beside them the Finnish public
//! holidays of the coming months (`aukiolo_domain::holidays`), on which every office is
//! closed anyway. The domain names holidays in English only; the page names them from the
//! catalogue.

use super::calendar_change::{self, ConflictNotice, Done};
use super::input::{self, one, Given};
use super::settings::managed;
use crate::catalogue::{StaffText as S, Text, Tr};
use crate::chrome::Chrome;
use crate::error::{with_status, Problem};
use crate::forms::Errors;
use crate::staff::{Signed, StaffForm};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use aukiolo_domain::calendar::ClosureFields;
use aukiolo_domain::holidays::finnish_holidays;
use aukiolo_domain::office::Office;
use aukiolo_domain::{dates, ClosureId, OfficeId};
use aukiolo_store::closures;
use chrono::{Datelike, Duration, NaiveDate};

/// How far ahead the holidays are listed: the coming six months.
const HOLIDAY_DAYS: i64 = 183;

/// The catalogue's name of the holiday the domain calls `english`.
fn holiday(english: &str) -> Option<S> {
    Some(match english {
        "New Year's Day" => S::HolidayNewYear,
        "Epiphany" => S::HolidayEpiphany,
        "Good Friday" => S::HolidayGoodFriday,
        "Easter Sunday" => S::HolidayEaster,
        "Easter Monday" => S::HolidayEasterMonday,
        "May Day" => S::HolidayMayDay,
        "Ascension Day" => S::HolidayAscension,
        "Whit Sunday" => S::HolidayWhitSunday,
        "Midsummer Eve" => S::HolidayMidsummerEve,
        "Midsummer Day" => S::HolidayMidsummer,
        "All Saints' Day" => S::HolidayAllSaints,
        "Independence Day" => S::HolidayIndependence,
        "Christmas Eve" => S::HolidayChristmasEve,
        "Christmas Day" => S::HolidayChristmas,
        "St Stephen's Day" => S::HolidayStStephen,
        _ => return None,
    })
}

/// A holiday's name in the page's language (a test below checks every name the domain
/// gives has one).
pub fn holiday_text(t: Tr, english: &str) -> String {
    holiday(english).map_or_else(|| english.to_owned(), |s| t.s(s).to_owned())
}

/// The holidays of `first..=last`, in date order.
fn holidays(first: NaiveDate, last: NaiveDate) -> Vec<(NaiveDate, &'static str)> {
    (first.year()..=last.year())
        .flat_map(finnish_holidays)
        .filter(|(d, _)| first <= *d && *d <= last)
        .collect()
}

pub struct ClosureRow {
    first_day: String,
    last_day: String,
    reason: String,
    delete: String,
    /// The closure's days, for its delete button.
    row: String,
}

pub struct HolidayRow {
    day: String,
    name: String,
}

#[derive(Template)]
#[template(path = "staff/closures.html")]
struct ClosuresPage {
    c: Chrome,
    heading: String,
    closures: Vec<ClosureRow>,
    holidays_title: String,
    holidays: Vec<HolidayRow>,
    form: Given,
    errors: Errors,
    csrf: String,
    action: String,
    notice: Option<&'static str>,
    conflict_notice: Option<ConflictNotice>,
}

impl ClosuresPage {
    /// What was typed into `name`, to show it again.
    fn sent(&self, name: &str) -> &str {
        one(&self.form, name)
    }
}

/// The office's local today.
fn today(signed: &Signed, office: &Office) -> NaiveDate {
    signed.site().now().with_timezone(&office.fields.tz()).date_naive()
}

async fn render(
    signed: &Signed,
    office: &Office,
    form: Given,
    errors: Errors,
) -> Result<HttpResponse, Problem> {
    let lang = signed.lang();
    let t = Tr(lang);
    let today = today(signed, office);
    let id = office.id;
    let coming = signed.site().read(move |c| closures::list_for_office(c, id, Some(today))).await?;
    let base = format!("/{}/staff{}", lang.as_str(), super::closures_path(office.id));
    let heading = t.fill_s(S::ClosuresTitle, &[("office", office.fields.name.get(lang))]);
    let c = super::form_chrome(signed, &heading, &super::closures_path(office.id), &errors);
    let last = today + Duration::days(HOLIDAY_DAYS);
    let done = Done::of(signed);
    let page = ClosuresPage {
        c,
        heading,
        closures: coming
            .iter()
            .map(|cl| ClosureRow {
                row: format!(
                    "{}–{}",
                    dates::numeric(cl.fields.first_day),
                    dates::numeric(cl.fields.last_day)
                ),
                first_day: dates::date(lang, cl.fields.first_day),
                last_day: dates::date(lang, cl.fields.last_day),
                reason: cl.fields.reason.clone(),
                delete: format!("{base}/{}/delete", cl.id),
            })
            .collect(),
        holidays_title: t
            .fill_s(S::HolidaysTitle, &[("from", &dates::numeric(today)), ("to", &dates::numeric(last))]),
        holidays: holidays(today, last)
            .into_iter()
            .map(|(day, name)| HolidayRow { day: dates::date(lang, day), name: holiday_text(t, name) })
            .collect(),
        form,
        errors,
        csrf: signed.session.csrf_token.clone(),
        action: base,
        notice: done.notice(t, &[("added", S::ClosureAdded), ("deleted", S::ClosureDeleted)]),
        conflict_notice: ConflictNotice::of(signed, office.id, &done),
    };
    super::html(&page)
}

/// The domain's field paths as this form's fields.
fn field_text(path: &str) -> Option<(&'static str, S)> {
    Some(match path {
        "first_day" => ("first_day", S::DateInvalid),
        "last_day" => ("last_day", S::UntilAfterFrom),
        "reason" => ("reason", S::ReasonRequired),
        _ => return None,
    })
}

/// The closure the form sends (the last day left empty is the first), or each bad field
/// named. A closure that has ended already is refused: it would change nothing.
fn read(t: Tr, given: &Given, office: OfficeId, today: NaiveDate) -> Result<ClosureFields, Errors> {
    let mut errors = Errors::default();
    let first_day = input::day(one(given, "first_day"));
    if first_day.is_none() {
        errors.add("first_day", t.s(S::DateInvalid));
    }
    let last_day = match one(given, "last_day").trim() {
        "" => first_day,
        raw => input::day(raw),
    };
    match last_day {
        None if first_day.is_some() => errors.add("last_day", t.s(S::DateInvalid)),
        Some(last) if last < today => errors.add("last_day", t.s(S::LastDayPast)),
        _ => {}
    }
    let fields = ClosureFields {
        office_id: office,
        first_day: first_day.unwrap_or(today),
        last_day: last_day.unwrap_or(today),
        reason: one(given, "reason").trim().to_owned(),
    };
    let validated = fields.validate();
    input::finish(t, errors, validated, "first_day", field_text, fields)
}

/// `GET /{lang}/staff/offices/{id}/closures`.
pub async fn page(signed: Signed, id: web::Path<(String, OfficeId)>) -> Result<HttpResponse, Problem> {
    let office = managed(&signed, id.1).await?;
    render(&signed, &office, Given::new(), Errors::default()).await
}

/// `POST /{lang}/staff/offices/{id}/closures`: closes the office on some days.
pub async fn add(form: StaffForm<Given>, id: web::Path<(String, OfficeId)>) -> Result<HttpResponse, Problem> {
    let StaffForm { signed, fields: given } = form;
    let office = managed(&signed, id.1).await?;
    let t = Tr(signed.lang());
    let errors = match read(t, &given, office.id, today(&signed, &office)) {
        Ok(fields) => {
            match calendar_change::run(&signed, office.id, move |c, h| closures::create(c, &fields, h))
                .await?
            {
                Ok((_, conflicts)) => {
                    return Ok(calendar_change::back(
                        &signed,
                        &super::closures_path(office.id),
                        "added",
                        conflicts,
                    ))
                }
                Err(bad) => input::named(t, bad, "first_day", field_text),
            }
        }
        Err(errors) => errors,
    };
    Ok(with_status(render(&signed, &office, given, errors).await?, StatusCode::UNPROCESSABLE_ENTITY))
}

/// `POST /{lang}/staff/offices/{id}/closures/{closure}/delete`: reopens (another office's
/// closure is not found here).
pub async fn delete(
    form: StaffForm<Given>,
    id: web::Path<(String, OfficeId, ClosureId)>,
) -> Result<HttpResponse, Problem> {
    let signed = form.signed;
    let (_, office, closure) = id.into_inner();
    let office = managed(&signed, office).await?;
    let found = signed.site().read(move |c| closures::get(c, closure)).await?;
    if found.fields.office_id != office.id {
        return Err(Problem::NotFound);
    }
    match calendar_change::run(&signed, office.id, move |c, h| closures::delete(c, closure, h)).await? {
        Ok(((), conflicts)) => {
            Ok(calendar_change::back(&signed, &super::closures_path(office.id), "deleted", conflicts))
        }
        Err(_) => Err(Problem::NotFound),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_holiday_has_a_name_in_the_catalogue() {
        for year in 2025..=2040 {
            for (day, name) in finnish_holidays(year) {
                assert!(holiday(name).is_some(), "{day}: {name}");
            }
        }
    }

    #[test]
    fn holidays_are_listed_across_a_new_year() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a date");
        let listed = holidays(day(2027, 12, 1), day(2028, 1, 10));
        let names: Vec<&str> = listed.iter().map(|(_, n)| *n).collect();
        assert_eq!(
            names,
            [
                "Independence Day",
                "Christmas Eve",
                "Christmas Day",
                "St Stephen's Day",
                "New Year's Day",
                "Epiphany"
            ]
        );
    }
}
