//! `/{lang}/staff/advisors/{id}/absences`: an advisor's coming absences, each with a
//! delete button, and a form to add one, for the manager of the advisor's office and
//! admins. The form takes the first and last day in the office's time zone, with a time
//! on either when the absence is not whole days (an empty time: from the start of the
//! first day, until the end of the last). Saved through `store::absences`, which remakes
//! the advisor's slots over the horizon: booked times under the absence become conflicts,
//! and the page then says so and links to the conflicts page.

use super::assessment::Choice;
use super::board::conflicts_path;
use crate::catalogue::{StaffText as S, Text, Tr};
use crate::chrome::Chrome;
use crate::error::{with_status, Problem};
use crate::forms::Errors;
use crate::pages::book::see_other;
use crate::staff::{Signed, StaffForm};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use aukiolo_domain::advisor::Advisor;
use aukiolo_domain::calendar::{AbsenceFields, AbsenceKind};
use aukiolo_domain::office::Office;
use aukiolo_domain::slots::{local_day_start, resolve_local};
use aukiolo_domain::{dates, AbsenceId, AdvisorId};
use aukiolo_store::slots::Horizon;
use aukiolo_store::{absences, StoreError};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

const KINDS: [AbsenceKind; 4] =
    [AbsenceKind::SickLeave, AbsenceKind::Vacation, AbsenceKind::Training, AbsenceKind::Other];

fn kind_text(t: Tr, k: AbsenceKind) -> &'static str {
    t.s(match k {
        AbsenceKind::SickLeave => S::AbsenceSickLeave,
        AbsenceKind::Vacation => S::AbsenceVacation,
        AbsenceKind::Training => S::AbsenceTraining,
        AbsenceKind::Other => S::AbsenceOther,
    })
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct AbsenceForm {
    start_date: String,
    start_time: String,
    end_date: String,
    end_time: String,
    kind: String,
    note: String,
}

pub struct Listed {
    pub when: String,
    pub kind: &'static str,
    pub note: String,
    pub delete: String,
}

#[derive(Template)]
#[template(path = "staff/absences.html")]
struct AbsencesPage {
    c: Chrome,
    heading: String,
    errors: Errors,
    notice: Option<String>,
    /// The conflicts of the office, when there are any: the text and the page.
    conflicts: Option<(String, String)>,
    listed: Vec<Listed>,
    form: AbsenceForm,
    kinds: Vec<Choice>,
    csrf: String,
    action: String,
}

/// The advisor and their office, if the signer manages it; else 403.
async fn managed(signed: &Signed, id: AdvisorId) -> Result<(Advisor, Office), Problem> {
    let advisor = signed.site().read(move |c| aukiolo_store::advisors::get(c, id)).await?;
    let office = super::settings::managed(signed, advisor.fields.office_id).await?;
    Ok((advisor, office))
}

fn path(signed: &Signed, advisor: AdvisorId) -> String {
    super::board::absences_path(signed.lang(), advisor)
}

async fn render(
    signed: &Signed,
    advisor: &Advisor,
    office: &Office,
    form: AbsenceForm,
    errors: Errors,
) -> Result<HttpResponse, Problem> {
    let lang = signed.lang();
    let t = Tr(lang);
    let (now, id, office_id) = (signed.site().now(), advisor.id, office.id);
    let (coming, in_conflict) = signed
        .site()
        .read(move |c| {
            let coming = absences::list_for_advisor(c, id, Some(now))?;
            let in_conflict = aukiolo_store::slots::conflict_bookings(c, office_id, now)?
                .into_iter()
                .filter(|b| b.advisor_id == id)
                .count();
            Ok((coming, in_conflict))
        })
        .await?;
    let tz = office.fields.tz();
    let local = |at: DateTime<Utc>| dates::date_time(lang, at.with_timezone(&tz).naive_local());
    let base = path(signed, advisor.id);
    let listed = coming
        .iter()
        .map(|a| Listed {
            when: format!("{} – {}", local(a.fields.starts_at), local(a.fields.ends_at)),
            kind: kind_text(t, a.fields.kind),
            note: a.fields.note.clone().unwrap_or_default(),
            delete: format!("{base}/{}/delete", a.id),
        })
        .collect();
    let kinds = KINDS
        .iter()
        .map(|k| Choice { value: k.as_str(), label: kind_text(t, *k), checked: form.kind == k.as_str() })
        .collect();
    let query = signed.cx.req.query_string();
    let notice = if query.contains("added=1") {
        Some(t.s(S::AbsenceAdded).to_owned())
    } else if query.contains("deleted=1") {
        Some(t.s(S::AbsenceDeleted).to_owned())
    } else {
        None
    };
    let conflicts = (in_conflict > 0).then(|| {
        (
            t.fill_s(S::AdvisorConflicts, &[("count", &in_conflict.to_string())]),
            conflicts_path(lang, office.id),
        )
    });
    let heading = t.fill_s(S::AbsencesTitle, &[("advisor", &advisor.fields.name)]);
    let mut c = super::chrome(signed, &heading, &super::board_path(office.id));
    if !errors.is_empty() {
        c.mark_error();
    }
    let page = AbsencesPage {
        c,
        heading,
        errors,
        notice,
        conflicts,
        listed,
        form,
        kinds,
        csrf: signed.session.csrf_token.clone(),
        action: base,
    };
    super::html(&page)
}

pub async fn page(signed: Signed, id: web::Path<(String, AdvisorId)>) -> Result<HttpResponse, Problem> {
    let (advisor, office) = managed(&signed, id.1).await?;
    render(&signed, &advisor, &office, AbsenceForm::default(), Errors::default()).await
}

/// The instant a day and an optional time stand for in `tz`: the time on that day, or,
/// without one, the day's start (`end` false) or the next day's (`end` true).
fn instant(
    t: Tr,
    errors: &mut Errors,
    tz: Tz,
    (date_field, raw_date): (&'static str, &str),
    (time_field, raw_time): (&'static str, &str),
    end: bool,
) -> Option<DateTime<Utc>> {
    let date: Option<NaiveDate> = dates::parse_date(raw_date);
    if date.is_none() {
        errors.add(date_field, t.s(S::EnterDate));
    }
    let time = match raw_time.trim() {
        "" => None,
        raw => match dates::parse_clock(raw) {
            Some(time) => Some(time),
            None => {
                errors.add(time_field, t.s(S::EnterTime));
                return None;
            }
        },
    };
    let date = date?;
    match time {
        None if end => Some(local_day_start(tz, date + Duration::days(1))),
        None => Some(local_day_start(tz, date)),
        Some(time) => {
            let at = resolve_local(tz, date.and_time(time));
            if at.is_none() {
                errors.add(time_field, t.s(S::EnterTime));
            }
            at
        }
    }
}

/// The absence the form describes, or each bad field named in the page's language.
fn read(t: Tr, form: &AbsenceForm, advisor: AdvisorId, tz: Tz) -> Result<AbsenceFields, Errors> {
    let mut errors = Errors::default();
    let starts = instant(
        t,
        &mut errors,
        tz,
        ("start_date", &form.start_date),
        ("start_time", &form.start_time),
        false,
    );
    let ends = instant(t, &mut errors, tz, ("end_date", &form.end_date), ("end_time", &form.end_time), true);
    let kind = AbsenceKind::parse(&form.kind);
    if kind.is_none() {
        errors.add("kind", t.s(S::ChooseOne));
    }
    let (Some(starts_at), Some(ends_at), Some(kind)) = (starts, ends, kind) else {
        return Err(errors);
    };
    if ends_at <= starts_at {
        errors.add("end_date", t.s(S::EndBeforeStart));
        return Err(errors);
    }
    let note = Some(form.note.trim().to_owned()).filter(|n| !n.is_empty());
    let fields = AbsenceFields { advisor_id: advisor, starts_at, ends_at, kind, note };
    // The domain's own checks (years within bounds, the note's length), in our words.
    if let Err(bad) = fields.validate() {
        for f in bad {
            match f.field.as_str() {
                "note" => errors.add("note", t.s(S::NoteTooLong)),
                "ends_at" => errors.add("end_date", t.s(S::DateOutOfRange)),
                _ => errors.add("start_date", t.s(S::DateOutOfRange)),
            }
        }
        return Err(errors);
    }
    Ok(fields)
}

pub async fn add(
    form: StaffForm<AbsenceForm>,
    id: web::Path<(String, AdvisorId)>,
) -> Result<HttpResponse, Problem> {
    let StaffForm { signed, fields: form } = form;
    let (advisor, office) = managed(&signed, id.1).await?;
    let fields = match read(Tr(signed.lang()), &form, advisor.id, office.fields.tz()) {
        Ok(f) => f,
        Err(errors) => {
            let page = render(&signed, &advisor, &office, form, errors).await?;
            return Ok(with_status(page, StatusCode::UNPROCESSABLE_ENTITY));
        }
    };
    let site = signed.site().clone();
    let (now, weeks) = (site.now(), site.horizon_weeks);
    site.read(move |c| absences::create(c, &fields, &Horizon::weeks(now, weeks))).await?;
    Ok(see_other(&format!("{}?added=1", path(&signed, advisor.id))))
}

pub async fn delete(
    form: StaffForm<super::booking::Nothing>,
    path_: web::Path<(String, AdvisorId, AbsenceId)>,
) -> Result<HttpResponse, Problem> {
    let signed = form.signed;
    let (_, advisor_id, absence) = path_.into_inner();
    let (advisor, _) = managed(&signed, advisor_id).await?;
    let site = signed.site().clone();
    let (now, weeks) = (site.now(), site.horizon_weeks);
    site.read(move |c| delete_of(c, advisor_id, absence, &Horizon::weeks(now, weeks))).await?;
    Ok(see_other(&format!("{}?deleted=1", path(&signed, advisor.id))))
}

/// Deletes `absence` if it is `advisor`'s (else not found), in one transaction.
fn delete_of(
    c: &mut aukiolo_store::DbConnection,
    advisor: AdvisorId,
    absence: AbsenceId,
    horizon: &Horizon,
) -> Result<(), StoreError> {
    aukiolo_store::write_transaction(c, |c| {
        if absences::get(c, absence)?.fields.advisor_id != advisor {
            return Err(StoreError::NotFound("absence"));
        }
        absences::delete(c, absence, horizon)
    })
}
