//! `/{lang}/staff/offices/{id}/settings`: an office's names (fi, sv, en side by side),
//! address, phone, languages and booking rules, for its manager and admins; and the
//! pilot's fields (comparison group, service mode, pilot start), which move the office
//! between pilot and control: changed only by pilot leads and admins (POST `…/pilot`), a
//! manager sees them as facts. Both saved by `store::offices::change_by` (the API's way:
//! the role's check, the slots remade, a change of the pilot's fields audited with its old
//! and new values). The time zone is shown and kept.

use super::assessment::Choice;
use super::input::{list, parts};
use crate::catalogue::{StaffText as S, Text, Tr};
use crate::chrome::Chrome;
use crate::error::{with_status, Problem};
use crate::forms::Errors;
use crate::pages::book::see_other;
use crate::staff::{Signed, StaffForm};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use aukiolo_domain::office::{Office, OfficeFields, ServiceMode};
use aukiolo_domain::office_access::may_change_pilot_fields;
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

/// The pilot's fields as the form sends them.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct PilotForm {
    pilot_group: String,
    service_mode: String,
    pilot_start: String,
}

impl PilotForm {
    fn of(f: &OfficeFields) -> Self {
        PilotForm {
            pilot_group: f.pilot_group.clone(),
            service_mode: f.service_mode.as_str().to_owned(),
            pilot_start: super::input::day_text(f.pilot_start),
        }
    }
}

/// The office's fields with the pilot form's values, or each bad field named.
fn read_pilot(t: Tr, form: &PilotForm, current: &OfficeFields) -> Result<OfficeFields, Errors> {
    let mut errors = Errors::default();
    let mut fields = current.clone();
    fields.pilot_group = form.pilot_group.trim().to_owned();
    match ServiceMode::parse(&form.service_mode) {
        Some(mode) => fields.service_mode = mode,
        None => errors.add("service_mode", t.s(S::ChooseServiceMode)),
    }
    match super::input::optional_day(&form.pilot_start) {
        Some(day) => fields.pilot_start = day,
        None => errors.add("pilot_start", t.s(S::EnterDate)),
    }
    let validated = fields.validate();
    super::input::finish(
        t,
        errors,
        validated,
        "pilot_group",
        |path| match path {
            "pilot_group" => Some(("pilot_group", S::FillInBriefly)),
            "pilot_start" => Some(("pilot_start", S::DateOutOfRange)),
            _ => None,
        },
        fields,
    )
}

/// The pilot form as shown: the values sent (or saved), kept.
pub struct PilotView {
    action: String,
    form: PilotForm,
    modes: Vec<Choice>,
}

/// The form's field for a path of the domain's checks (`booking_rules.holdback_percent`),
/// and what to say about it in the page's language.
fn field_text(path: &str) -> Option<(&'static str, S)> {
    let last = path.rsplit('.').next().unwrap_or(path);
    Some(match (path, last) {
        ("name.fi", _) => ("name_fi", S::FillInBriefly),
        ("name.sv", _) => ("name_sv", S::FillInBriefly),
        ("name.en", _) => ("name_en", S::FillInBriefly),
        (_, "street") => ("street", S::FillInBriefly),
        (_, "municipality") => ("municipality", S::FillInBriefly),
        (_, "phone") => ("phone", S::FillInBriefly),
        (_, "postal_code") => ("postal_code", S::PostalCodeDigits),
        (_, "languages") => ("languages", S::LanguageCodes),
        (_, "horizon_weeks") => ("horizon_weeks", S::HorizonRange),
        (_, "min_notice_minutes") => ("min_notice_minutes", S::AtMostWeekMinutes),
        (_, "change_cutoff_minutes") => ("change_cutoff_minutes", S::AtMostWeekMinutes),
        (_, "questionnaire_delay_minutes") => ("questionnaire_delay_minutes", S::AtMostWeekMinutes),
        (_, "holdback_percent") => ("holdback_percent", S::PercentRange),
        (_, "holdback_release_hours") => ("holdback_release_hours", S::AtMostTwoWeeksHours),
        (_, "reminder_minutes_before") => ("reminder_minutes_before", S::RemindersRange),
        _ => return None,
    })
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
    fields.validate().map_err(|bad| super::input::named(t, bad, "name_fi", field_text))?;
    Ok(fields)
}

#[derive(Template)]
#[template(path = "staff/settings.html")]
struct SettingsPage {
    c: Chrome,
    heading: String,
    /// The office's settings, for its manager and admins.
    form: Option<SettingsForm>,
    /// The pilot's fields, for pilot leads and admins.
    pilot: Option<PilotView>,
    errors: Errors,
    csrf: String,
    action: String,
    /// What is shown and kept: the time zone, and for a manager the pilot's fields.
    kept: Vec<(&'static str, String)>,
    notice: Option<&'static str>,
}

/// What was sent to the page, to show again; `None` for a form's saved values.
#[derive(Default)]
struct Sent {
    settings: Option<SettingsForm>,
    pilot: Option<PilotForm>,
}

fn render(signed: &Signed, office: &Office, sent: Sent, errors: Errors) -> Result<HttpResponse, Problem> {
    let lang = signed.lang();
    let t = Tr(lang);
    let heading = t.fill_s(S::SettingsTitle, &[("office", office.fields.name.get(lang))]);
    let mut c = super::chrome(signed, &heading, &super::settings_path(office.id));
    if !errors.is_empty() {
        c.mark_error();
    }
    let f = &office.fields;
    let action = format!("/{}/staff/offices/{}/settings", lang.as_str(), office.id);
    let role = signed.role();
    let pilot = may_change_pilot_fields(role).then(|| {
        let form = sent.pilot.unwrap_or_else(|| PilotForm::of(f));
        let mode = |m: ServiceMode, label| Choice {
            value: m.as_str(),
            label: t.s(label),
            checked: form.service_mode == m.as_str(),
        };
        PilotView {
            action: format!("{action}/pilot"),
            modes: vec![
                mode(ServiceMode::AppointmentOnly, S::ServiceAppointmentOnly),
                mode(ServiceMode::WalkInAndAppointment, S::ServiceWalkIn),
            ],
            form,
        }
    });
    let mut kept = Vec::new();
    if pilot.is_none() {
        let mode = match f.service_mode {
            ServiceMode::AppointmentOnly => S::ServiceAppointmentOnly,
            ServiceMode::WalkInAndAppointment => S::ServiceWalkIn,
        };
        kept.push((t.s(S::PilotGroup), f.pilot_group.clone()));
        kept.push((t.s(S::ServiceMode), t.s(mode).to_owned()));
        kept.push((
            t.s(S::PilotStart),
            f.pilot_start.map(aukiolo_domain::dates::numeric).unwrap_or_else(|| "–".into()),
        ));
    }
    kept.push((t.s(S::TimeZone), f.time_zone.clone()));
    let query = signed.cx.req.query_string();
    let notice = if query.contains("saved=1") {
        Some(t.s(S::SettingsSaved))
    } else {
        query.contains("saved=pilot").then(|| t.s(S::PilotSaved))
    };
    let page = SettingsPage {
        c,
        heading,
        form: edits_settings(role).then(|| sent.settings.unwrap_or_else(|| SettingsForm::of(f))),
        pilot,
        errors,
        csrf: signed.session.csrf_token.clone(),
        action,
        kept,
        notice,
    };
    super::html(&page)
}

/// Whether `role` keeps an office's own settings (names, address, rules).
fn edits_settings(role: Role) -> bool {
    matches!(role, Role::OfficeManager | Role::Admin)
}

/// The office, if the signer manages it (its manager, or an admin).
pub async fn managed(signed: &Signed, id: OfficeId) -> Result<Office, Problem> {
    super::require_manager(signed, id)?;
    signed.site().read(move |c| offices::get(c, id)).await
}

/// The office, if the signer may see its settings: its manager, a pilot lead or an admin.
async fn shown(signed: &Signed, id: OfficeId) -> Result<Office, Problem> {
    signed.require_role(&[Role::OfficeManager, Role::PilotLead, Role::Admin])?;
    signed.require_office(id)?;
    signed.site().read(move |c| offices::get(c, id)).await
}

pub async fn page(signed: Signed, id: web::Path<(String, OfficeId)>) -> Result<HttpResponse, Problem> {
    let office = shown(&signed, id.1).await?;
    render(&signed, &office, Sent::default(), Errors::default())
}

/// Saves `fields` as the signer's change (`offices::change_by`); the store's field errors
/// come back as the form's.
async fn save(
    signed: &Signed,
    id: OfficeId,
    fields: OfficeFields,
) -> Result<Result<(), Vec<aukiolo_domain::FieldError>>, Problem> {
    let site = signed.site().clone();
    let editor = offices::Editor { staff: signed.session.user.id, role: signed.role() };
    let (now, weeks) = (site.now(), site.horizon_weeks);
    site.read(move |c| match offices::change_by(c, id, &fields, editor, now, &Horizon::weeks(now, weeks)) {
        Ok(_) => Ok(Ok(())),
        Err(StoreError::Invalid(bad)) => Ok(Err(bad)),
        Err(e) => Err(e),
    })
    .await
}

/// POST `…/settings/pilot`: the pilot's fields, for pilot leads and admins (403 for a
/// manager), audited by the store with the old and new values.
pub async fn post_pilot(
    form: StaffForm<PilotForm>,
    id: web::Path<(String, OfficeId)>,
) -> Result<HttpResponse, Problem> {
    let StaffForm { signed, fields: form } = form;
    let office = shown(&signed, id.1).await?;
    if !may_change_pilot_fields(signed.role()) {
        return Err(Problem::Forbidden);
    }
    let t = Tr(signed.lang());
    let refused = |errors: Errors, form: PilotForm| -> Result<HttpResponse, Problem> {
        let sent = Sent { pilot: Some(form), ..Sent::default() };
        Ok(with_status(render(&signed, &office, sent, errors)?, StatusCode::UNPROCESSABLE_ENTITY))
    };
    let fields = match read_pilot(t, &form, &office.fields) {
        Ok(f) => f,
        Err(errors) => return refused(errors, form),
    };
    match save(&signed, office.id, fields).await? {
        Ok(()) => Ok(see_other(&format!(
            "/{}/staff/offices/{}/settings?saved=pilot",
            signed.lang().as_str(),
            office.id
        ))),
        Err(bad) => refused(
            super::input::named(t, bad, "pilot_group", |_| Some(("pilot_group", S::CheckValue))),
            form,
        ),
    }
}

pub async fn post(
    form: StaffForm<SettingsForm>,
    id: web::Path<(String, OfficeId)>,
) -> Result<HttpResponse, Problem> {
    let StaffForm { signed, fields: form } = form;
    let office = managed(&signed, id.1).await?;
    let t = Tr(signed.lang());
    let refused = |errors: Errors, form: SettingsForm| -> Result<HttpResponse, Problem> {
        let sent = Sent { settings: Some(form), ..Sent::default() };
        Ok(with_status(render(&signed, &office, sent, errors)?, StatusCode::UNPROCESSABLE_ENTITY))
    };
    let fields = match read(t, &form, &office.fields) {
        Ok(f) => f,
        Err(errors) => return refused(errors, form),
    };
    match save(&signed, office.id, fields).await? {
        Ok(()) => Ok(see_other(&format!(
            "/{}/staff/offices/{}/settings?saved=1",
            signed.lang().as_str(),
            office.id
        ))),
        Err(bad) => refused(super::input::named(t, bad, "name_fi", field_text), form),
    }
}
