//! `/{lang}/staff/offices/{id}/settings`: an office's names (fi, sv, en side by side),
//! address, phone, languages and booking rules, for its manager and admins. Saved by
//! `store::offices::change` (the API's way: the slots are remade). The pilot's own fields
//! (group, service mode, pilot start, time zone) are shown and kept as they are.

use crate::catalogue::{StaffText as S, Text, Tr};
use crate::chrome::Chrome;
use crate::error::{with_status, Problem};
use crate::forms::Errors;
use crate::pages::book::see_other;
use crate::staff::{Signed, StaffForm};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use aukiolo_domain::office::{Office, OfficeFields};
use aukiolo_domain::staff::Role;
use aukiolo_domain::{Language, OfficeId};
use aukiolo_store::slots::Horizon;
use aukiolo_store::{offices, StoreError};
use serde::{Deserialize, Serialize};

/// The form's fields, as text (numbers and lists are read by [`read`]).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct SettingsForm {
    name_fi: String,
    name_sv: String,
    name_en: String,
    street: String,
    postal_code: String,
    municipality: String,
    phone: String,
    languages: String,
    horizon_weeks: String,
    min_notice_minutes: String,
    holdback_percent: String,
    holdback_release_hours: String,
    change_cutoff_minutes: String,
    reminder_minutes_before: String,
    questionnaire_delay_minutes: String,
}

fn list<T: ToString>(items: &[T]) -> String {
    items.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

impl SettingsForm {
    fn of(f: &OfficeFields) -> Self {
        let r = &f.booking_rules;
        SettingsForm {
            name_fi: f.name.fi.clone(),
            name_sv: f.name.sv.clone(),
            name_en: f.name.en.clone(),
            street: f.address.street.clone(),
            postal_code: f.address.postal_code.clone(),
            municipality: f.address.municipality.clone(),
            phone: f.phone.clone().unwrap_or_default(),
            languages: list(&f.languages.iter().map(Language::as_str).collect::<Vec<_>>()),
            horizon_weeks: r.horizon_weeks.to_string(),
            min_notice_minutes: r.min_notice_minutes.to_string(),
            holdback_percent: r.holdback_percent.to_string(),
            holdback_release_hours: r.holdback_release_hours.to_string(),
            change_cutoff_minutes: r.change_cutoff_minutes.to_string(),
            reminder_minutes_before: list(&r.reminder_minutes_before),
            questionnaire_delay_minutes: r.questionnaire_delay_minutes.to_string(),
        }
    }
}

/// The office's fields with the form's changes, or each bad field named.
fn read(t: Tr, form: &SettingsForm, current: &OfficeFields) -> Result<OfficeFields, Errors> {
    let mut errors = Errors::default();
    let mut number = |field: &'static str, raw: &str| -> u32 {
        raw.trim().parse().unwrap_or_else(|_| {
            errors.add(field, t.s(S::WholeNumber));
            0
        })
    };
    let mut rules = current.booking_rules.clone();
    rules.horizon_weeks = number("horizon_weeks", &form.horizon_weeks);
    rules.min_notice_minutes = number("min_notice_minutes", &form.min_notice_minutes);
    rules.holdback_percent = number("holdback_percent", &form.holdback_percent);
    rules.holdback_release_hours = number("holdback_release_hours", &form.holdback_release_hours);
    rules.change_cutoff_minutes = number("change_cutoff_minutes", &form.change_cutoff_minutes);
    rules.questionnaire_delay_minutes =
        number("questionnaire_delay_minutes", &form.questionnaire_delay_minutes);
    let parts = |raw: &str| {
        raw.split([',', ' ']).map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned).collect::<Vec<_>>()
    };
    match parts(&form.reminder_minutes_before).iter().map(|p| p.parse::<u32>()).collect() {
        Ok(reminders) => rules.reminder_minutes_before = reminders,
        Err(_) => errors.add("reminder_minutes_before", t.s(S::WholeNumbers)),
    }
    let languages = match parts(&form.languages).iter().map(|p| p.parse::<Language>()).collect() {
        Ok(l) => l,
        Err(_) => {
            errors.add("languages", t.s(S::LanguageCodes));
            Vec::new()
        }
    };
    let mut fields = current.clone();
    fields.name.fi = form.name_fi.trim().to_owned();
    fields.name.sv = form.name_sv.trim().to_owned();
    fields.name.en = form.name_en.trim().to_owned();
    fields.address.street = form.street.trim().to_owned();
    fields.address.postal_code = form.postal_code.trim().to_owned();
    fields.address.municipality = form.municipality.trim().to_owned();
    fields.phone = Some(form.phone.trim().to_owned()).filter(|p| !p.is_empty());
    fields.languages = languages;
    fields.booking_rules = rules;
    if !errors.is_empty() {
        return Err(errors);
    }
    fields.validate().map_err(|bad| {
        let mut errors = Errors::default();
        for f in bad {
            // The domain's field paths, as the form names its fields.
            let field = f.field.rsplit('.').next().unwrap_or(&f.field);
            let field = match (f.field.as_str(), field) {
                (path, lang) if path.starts_with("name.") => format!("name_{lang}"),
                (_, last) => last.to_owned(),
            };
            errors.add_owned(field, f.message);
        }
        errors
    })?;
    Ok(fields)
}

#[derive(Template)]
#[template(path = "staff/settings.html")]
struct SettingsPage {
    c: Chrome,
    heading: String,
    form: SettingsForm,
    errors: Errors,
    csrf: String,
    action: String,
    /// The pilot's fields, shown and kept.
    kept: Vec<(&'static str, String)>,
    notice: Option<&'static str>,
}

fn render(
    signed: &Signed,
    office: &Office,
    form: SettingsForm,
    errors: Errors,
) -> Result<HttpResponse, Problem> {
    let lang = signed.lang();
    let t = Tr(lang);
    let heading = t.fill_s(S::SettingsTitle, &[("office", office.fields.name.get(lang))]);
    let mut c = super::chrome(signed, &heading, &super::settings_path(office.id));
    if !errors.is_empty() {
        c.mark_error();
    }
    let f = &office.fields;
    let page = SettingsPage {
        c,
        heading,
        form,
        errors,
        csrf: signed.session.csrf_token.clone(),
        action: format!("/{}/staff/offices/{}/settings", lang.as_str(), office.id),
        kept: vec![
            (t.s(S::PilotGroup), f.pilot_group.clone()),
            (
                t.s(S::PilotStart),
                f.pilot_start.map(aukiolo_domain::dates::numeric).unwrap_or_else(|| "–".into()),
            ),
            (t.s(S::TimeZone), f.time_zone.clone()),
        ],
        notice: signed.cx.req.query_string().contains("saved=1").then(|| t.s(S::SettingsSaved)),
    };
    super::html(&page)
}

/// The office, if the signer manages it (its manager, or an admin); else 403.
pub async fn managed(signed: &Signed, id: OfficeId) -> Result<Office, Problem> {
    signed.require_role(&[Role::OfficeManager, Role::Admin])?;
    signed.require_office(id)?;
    signed.site().read(move |c| offices::get(c, id)).await
}

pub async fn page(signed: Signed, id: web::Path<(String, OfficeId)>) -> Result<HttpResponse, Problem> {
    let office = managed(&signed, id.1).await?;
    render(&signed, &office, SettingsForm::of(&office.fields), Errors::default())
}

pub async fn post(
    form: StaffForm<SettingsForm>,
    id: web::Path<(String, OfficeId)>,
) -> Result<HttpResponse, Problem> {
    let StaffForm { signed, fields: form } = form;
    let office = managed(&signed, id.1).await?;
    let t = Tr(signed.lang());
    let fields = match read(t, &form, &office.fields) {
        Ok(f) => f,
        Err(errors) => {
            return Ok(with_status(render(&signed, &office, form, errors)?, StatusCode::UNPROCESSABLE_ENTITY))
        }
    };
    let site = signed.site().clone();
    let (now, weeks, id) = (site.now(), site.horizon_weeks, office.id);
    let saved = site
        .read(move |c| match offices::change(c, id, &fields, now, &Horizon::weeks(now, weeks)) {
            Ok(_) => Ok(Ok(())),
            Err(StoreError::Invalid(bad)) => Ok(Err(bad)),
            Err(e) => Err(e),
        })
        .await?;
    match saved {
        Ok(()) => {
            Ok(see_other(&format!("/{}/staff/offices/{}/settings?saved=1", signed.lang().as_str(), id)))
        }
        Err(bad) => {
            let mut errors = Errors::default();
            for f in bad {
                errors.add_owned(f.field, f.message);
            }
            Ok(with_status(render(&signed, &office, form, errors)?, StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}
