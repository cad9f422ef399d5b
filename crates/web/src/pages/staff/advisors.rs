//! `/{lang}/staff/offices/{id}/advisors` and `/{lang}/staff/advisors/{id}`: an office's
//! advisors (languages, topics, channels, active, the staff login that serves as each)
//! for its manager and admins; adding one (`store::advisors::create`), editing one
//! (`store::advisors::update`, which refreshes the advisor's slots as the API's PUT does),
//! and choosing which of the office's logins is the advisor (`store::staff::link_advisor`),
//! so that login's "my day" shows the advisor's day.

use super::assessment::Choice;
use super::calendar_change::{self, ConflictNotice, Done};
use super::day::channel_text;
use super::input::{self, all, one, Given};
use super::walk_ins::SelectOption;
use crate::catalogue::{StaffText as S, Text, Tr};
use crate::chrome::Chrome;
use crate::error::{with_status, Problem};
use crate::forms::Errors;
use crate::staff::{Signed, StaffForm};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use aukiolo_domain::advisor::{Advisor, AdvisorFields};
use aukiolo_domain::office::Office;
use aukiolo_domain::staff::Role;
use aukiolo_domain::topic::Topic;
use aukiolo_domain::{AdvisorId, Channel, Language, OfficeId, StaffUserId};
use aukiolo_store::staff::StaffUser;
use aukiolo_store::{advisors, offices, staff, topics};

/// The advisor form's questions as shown: the values sent (or saved), kept.
pub struct AdvisorForm {
    name: String,
    languages: String,
    topics: Vec<Choice<String>>,
    channels: Vec<Choice>,
    active: Vec<Choice>,
}

impl AdvisorForm {
    fn new(t: Tr, lang: aukiolo_domain::Locale, all_topics: &[Topic], f: &AdvisorFields) -> AdvisorForm {
        AdvisorForm {
            name: f.name.clone(),
            languages: input::list(&f.languages),
            topics: all_topics
                .iter()
                .map(|topic| Choice {
                    value: topic.id.to_string(),
                    label: topic.fields.name.get(lang).to_owned(),
                    checked: f.topic_ids.contains(&topic.id),
                })
                .collect(),
            channels: Channel::ALL
                .iter()
                .map(|c| Choice {
                    value: c.as_str(),
                    label: channel_text(t, *c),
                    checked: f.channels.contains(c),
                })
                .collect(),
            active: vec![Choice { value: "true", label: t.s(S::ActiveLabel), checked: f.active }],
        }
    }

    /// The form as it was sent, for showing it again with its errors.
    fn sent(
        t: Tr,
        lang: aukiolo_domain::Locale,
        all_topics: &[Topic],
        office: OfficeId,
        given: &Given,
    ) -> AdvisorForm {
        let mut form = AdvisorForm::new(t, lang, all_topics, &blank(office));
        form.name = one(given, "name").to_owned();
        form.languages = one(given, "languages").to_owned();
        let sent = all(given, "topics");
        form.topics.iter_mut().for_each(|c| c.checked = sent.contains(&c.value.as_str()));
        let sent = all(given, "channels");
        form.channels.iter_mut().for_each(|c| c.checked = sent.contains(&c.value));
        form.active.iter_mut().for_each(|c| c.checked = one(given, "active") == "true");
        form
    }
}

/// A new advisor's fields before anything is typed: active, nothing else.
fn blank(office: OfficeId) -> AdvisorFields {
    AdvisorFields {
        office_id: office,
        name: String::new(),
        languages: Vec::new(),
        topic_ids: Vec::new(),
        channels: Vec::new(),
        active: true,
    }
}

/// The domain's and the store's field paths as this form's fields, in the page's language.
fn field_text(path: &str) -> Option<(&'static str, S)> {
    Some(match path {
        "name" => ("name", S::NameRequired),
        "languages" => ("languages", S::LanguageCodes),
        "channels" => ("channels", S::ChooseChannels),
        p if p.starts_with("topic_ids") => ("topics", S::ChooseTopics),
        _ => return None,
    })
}

/// The advisor's fields the form sends, in `office`, or each bad field named.
fn read(t: Tr, given: &Given, office: OfficeId, all_topics: &[Topic]) -> Result<AdvisorFields, Errors> {
    let mut errors = Errors::default();
    let languages: Vec<Language> = input::parts(one(given, "languages"))
        .iter()
        .map(|p| p.parse())
        .collect::<Result<_, _>>()
        .unwrap_or_else(|_| {
            errors.add("languages", t.s(S::LanguageCodes));
            Vec::new()
        });
    let channels: Vec<Channel> = all(given, "channels").iter().filter_map(|c| c.parse().ok()).collect();
    let topic_ids = all(given, "topics")
        .iter()
        .map(|id| all_topics.iter().find(|t| t.id.to_string() == *id).map(|t| t.id))
        .collect::<Option<Vec<_>>>()
        .unwrap_or_else(|| {
            errors.add("topics", t.s(S::ChooseTopics));
            Vec::new()
        });
    let fields = AdvisorFields {
        office_id: office,
        name: one(given, "name").trim().to_owned(),
        languages,
        topic_ids,
        channels,
        active: one(given, "active") == "true",
    };
    let validated = fields.validate();
    input::finish(t, errors, validated, "name", field_text, fields)
}

/// An advisor and their office, if the signer manages that office.
pub async fn managed_advisor(signed: &Signed, id: AdvisorId) -> Result<(Advisor, Office), Problem> {
    signed.require_role(&[Role::OfficeManager, Role::Admin])?;
    let (advisor, office) = signed
        .site()
        .read(move |c| {
            let advisor = advisors::get(c, id)?;
            let office = offices::get(c, advisor.fields.office_id)?;
            Ok((advisor, office))
        })
        .await?;
    super::require_manager(signed, office.id)?;
    Ok((advisor, office))
}

/// The office's logins, which may serve as its advisors.
fn office_logins(users: Vec<StaffUser>, office: OfficeId) -> Vec<StaffUser> {
    users.into_iter().filter(|u| u.office_id == Some(office)).collect()
}

/// One advisor's row in the office's table.
pub struct Row {
    href: String,
    schedule: String,
    name: String,
    languages: String,
    topics: String,
    channels: String,
    active: &'static str,
    logins: String,
}

#[derive(Template)]
#[template(path = "staff/advisors.html")]
struct AdvisorsPage {
    c: Chrome,
    heading: String,
    rows: Vec<Row>,
    form: AdvisorForm,
    errors: Errors,
    csrf: String,
    action: String,
    notice: Option<&'static str>,
    conflict_notice: Option<ConflictNotice>,
}

/// What the advisors' pages read: the office, its advisors, every topic, its logins.
struct Loaded {
    office: Office,
    advisors: Vec<Advisor>,
    topics: Vec<Topic>,
    logins: Vec<StaffUser>,
}

async fn load(signed: &Signed, office: OfficeId) -> Result<Loaded, Problem> {
    signed
        .site()
        .read(move |c| {
            Ok(Loaded {
                office: offices::get(c, office)?,
                advisors: advisors::list_for_office(c, office)?,
                topics: topics::list(c)?,
                logins: office_logins(staff::list(c)?, office),
            })
        })
        .await
}

fn render_list(
    signed: &Signed,
    l: Loaded,
    form: Option<&Given>,
    errors: Errors,
) -> Result<HttpResponse, Problem> {
    let lang = signed.lang();
    let t = Tr(lang);
    let heading = t.fill_s(S::AdvisorsTitle, &[("office", l.office.fields.name.get(lang))]);
    let c = super::form_chrome(signed, &heading, &super::advisors_path(l.office.id), &errors);
    let base = format!("/{}/staff/advisors", lang.as_str());
    let rows = l
        .advisors
        .iter()
        .map(|a| {
            let f = &a.fields;
            let topic_names: Vec<&str> = l
                .topics
                .iter()
                .filter(|topic| f.topic_ids.contains(&topic.id))
                .map(|topic| topic.fields.name.get(lang))
                .collect();
            let logins: Vec<&str> =
                l.logins.iter().filter(|u| u.advisor_id == Some(a.id)).map(|u| u.email.as_str()).collect();
            Row {
                href: format!("{base}/{}", a.id),
                schedule: format!("{base}/{}/schedule", a.id),
                name: f.name.clone(),
                languages: input::list(&f.languages),
                topics: topic_names.join(", "),
                channels: f.channels.iter().map(|ch| channel_text(t, *ch)).collect::<Vec<_>>().join(", "),
                active: t.s(if f.active { S::Yes } else { S::No }),
                logins: if logins.is_empty() {
                    t.s(S::NotLinkedToLogin).to_owned()
                } else {
                    logins.join(", ")
                },
            }
        })
        .collect();
    let form = match form {
        Some(given) => AdvisorForm::sent(t, lang, &l.topics, l.office.id, given),
        None => AdvisorForm::new(t, lang, &l.topics, &blank(l.office.id)),
    };
    let done = Done::of(signed);
    let page = AdvisorsPage {
        c,
        heading,
        rows,
        form,
        errors,
        csrf: signed.session.csrf_token.clone(),
        action: format!("/{}/staff{}", lang.as_str(), super::advisors_path(l.office.id)),
        notice: done.notice(t, &[("added", S::AdvisorAdded)]),
        conflict_notice: ConflictNotice::of(signed, l.office.id, &done),
    };
    super::html(&page)
}

/// `GET /{lang}/staff/offices/{id}/advisors`.
pub async fn list(signed: Signed, id: web::Path<(String, OfficeId)>) -> Result<HttpResponse, Problem> {
    super::require_manager(&signed, id.1)?;
    let loaded = load(&signed, id.1).await?;
    render_list(&signed, loaded, None, Errors::default())
}

/// `POST /{lang}/staff/offices/{id}/advisors`: adds an advisor to the office.
pub async fn create(
    form: StaffForm<Given>,
    id: web::Path<(String, OfficeId)>,
) -> Result<HttpResponse, Problem> {
    let StaffForm { signed, fields: given } = form;
    let office = id.1;
    super::require_manager(&signed, office)?;
    let loaded = load(&signed, office).await?;
    let t = Tr(signed.lang());
    let fields = match read(t, &given, office, &loaded.topics) {
        Ok(f) => f,
        Err(errors) => return refused_list(&signed, loaded, &given, errors),
    };
    match calendar_change::run(&signed, office, move |c, _| advisors::create(c, &fields)).await? {
        Ok((_, conflicts)) => {
            Ok(calendar_change::back(&signed, &super::advisors_path(office), "added", conflicts))
        }
        Err(bad) => refused_list(&signed, loaded, &given, input::named(t, bad, "name", field_text)),
    }
}

fn refused_list(signed: &Signed, l: Loaded, given: &Given, errors: Errors) -> Result<HttpResponse, Problem> {
    Ok(with_status(render_list(signed, l, Some(given), errors)?, StatusCode::UNPROCESSABLE_ENTITY))
}

#[derive(Template)]
#[template(path = "staff/advisor.html")]
struct AdvisorPage {
    c: Chrome,
    heading: String,
    form: AdvisorForm,
    errors: Errors,
    csrf: String,
    action: String,
    link_action: String,
    logins: Vec<SelectOption>,
    schedule: String,
    absences: String,
    back: String,
    back_label: String,
    notice: Option<&'static str>,
    conflict_notice: Option<ConflictNotice>,
}

fn render_advisor(
    signed: &Signed,
    advisor: &Advisor,
    l: Loaded,
    form: Option<&Given>,
    errors: Errors,
) -> Result<HttpResponse, Problem> {
    let lang = signed.lang();
    let t = Tr(lang);
    let heading = t.fill_s(S::AdvisorTitle, &[("name", &advisor.fields.name)]);
    let c = super::form_chrome(signed, &heading, &super::advisors_path(l.office.id), &errors);
    let base = format!("/{}/staff/advisors/{}", lang.as_str(), advisor.id);
    let chosen = match form.map(|g| one(g, "login")) {
        Some(sent) if errors.get("login").is_some() => sent.to_owned(),
        _ => l
            .logins
            .iter()
            .find(|u| u.advisor_id == Some(advisor.id))
            .map(|u| u.id.to_string())
            .unwrap_or_default(),
    };
    let logins = std::iter::once(SelectOption {
        value: String::new(),
        label: t.s(S::NoLogin).to_owned(),
        selected: chosen.is_empty(),
    })
    .chain(l.logins.iter().map(|u| SelectOption {
        value: u.id.to_string(),
        label: u.email.clone(),
        selected: chosen == u.id.to_string(),
    }))
    .collect();
    let form = match form {
        Some(given) if errors.get("login").is_none() => {
            AdvisorForm::sent(t, lang, &l.topics, l.office.id, given)
        }
        _ => AdvisorForm::new(t, lang, &l.topics, &advisor.fields),
    };
    let done = Done::of(signed);
    let page = AdvisorPage {
        c,
        heading,
        form,
        errors,
        csrf: signed.session.csrf_token.clone(),
        action: base.clone(),
        link_action: format!("{base}/login"),
        logins,
        schedule: format!("{base}/schedule"),
        absences: format!("{base}/absences"),
        back: format!("/{}/staff{}", lang.as_str(), super::advisors_path(l.office.id)),
        back_label: t.fill_s(S::AdvisorsTitle, &[("office", l.office.fields.name.get(lang))]),
        notice: done.notice(t, &[("saved", S::AdvisorSaved), ("linked", S::LinkSaved)]),
        conflict_notice: ConflictNotice::of(signed, l.office.id, &done),
    };
    super::html(&page)
}

fn advisor_path(id: AdvisorId) -> String {
    format!("/advisors/{id}")
}

/// `GET /{lang}/staff/advisors/{id}`.
pub async fn page(signed: Signed, id: web::Path<(String, AdvisorId)>) -> Result<HttpResponse, Problem> {
    let (advisor, office) = managed_advisor(&signed, id.1).await?;
    let loaded = load(&signed, office.id).await?;
    render_advisor(&signed, &advisor, loaded, None, Errors::default())
}

/// `POST /{lang}/staff/advisors/{id}`: saves the advisor (in the same office).
pub async fn update(
    form: StaffForm<Given>,
    id: web::Path<(String, AdvisorId)>,
) -> Result<HttpResponse, Problem> {
    let StaffForm { signed, fields: given } = form;
    let (advisor, office) = managed_advisor(&signed, id.1).await?;
    let loaded = load(&signed, office.id).await?;
    let t = Tr(signed.lang());
    let fields = match read(t, &given, office.id, &loaded.topics) {
        Ok(f) => f,
        Err(errors) => return refused_advisor(&signed, &advisor, loaded, &given, errors),
    };
    let id = advisor.id;
    match calendar_change::run(&signed, office.id, move |c, h| advisors::update(c, id, &fields, h)).await? {
        Ok((_, conflicts)) => Ok(calendar_change::back(&signed, &advisor_path(id), "saved", conflicts)),
        Err(bad) => {
            let errors = input::named(t, bad, "name", field_text);
            refused_advisor(&signed, &advisor, loaded, &given, errors)
        }
    }
}

fn refused_advisor(
    signed: &Signed,
    advisor: &Advisor,
    l: Loaded,
    given: &Given,
    errors: Errors,
) -> Result<HttpResponse, Problem> {
    Ok(with_status(
        render_advisor(signed, advisor, l, Some(given), errors)?,
        StatusCode::UNPROCESSABLE_ENTITY,
    ))
}

/// `POST /{lang}/staff/advisors/{id}/login`: the office's login chosen (or none) serves
/// as this advisor from now on; any other login of the office that did is unlinked, in
/// the same transaction, so the advisor's day is one person's.
pub async fn link(
    form: StaffForm<Given>,
    id: web::Path<(String, AdvisorId)>,
) -> Result<HttpResponse, Problem> {
    let StaffForm { signed, fields: given } = form;
    let (advisor, office) = managed_advisor(&signed, id.1).await?;
    let loaded = load(&signed, office.id).await?;
    let sent = one(&given, "login");
    let chosen: Option<StaffUserId> = match sent {
        "" => None,
        raw => match loaded.logins.iter().find(|u| u.id.to_string() == raw) {
            Some(u) => Some(u.id),
            None => {
                let mut errors = Errors::default();
                errors.add("login", Tr(signed.lang()).s(S::ChooseLogin));
                return refused_advisor(&signed, &advisor, loaded, &given, errors);
            }
        },
    };
    let before: Vec<StaffUserId> = loaded
        .logins
        .iter()
        .filter(|u| u.advisor_id == Some(advisor.id) && Some(u.id) != chosen)
        .map(|u| u.id)
        .collect();
    let id = advisor.id;
    let linked = calendar_change::run(&signed, office.id, move |c, _| {
        for user in before {
            staff::link_advisor(c, user, None)?;
        }
        if let Some(user) = chosen {
            staff::link_advisor(c, user, Some(id))?;
        }
        Ok(())
    })
    .await?;
    match linked {
        Ok(_) => Ok(calendar_change::back(&signed, &advisor_path(id), "linked", 0)),
        Err(_) => {
            let mut errors = Errors::default();
            errors.add("login", Tr(signed.lang()).s(S::ChooseLogin));
            refused_advisor(&signed, &advisor, loaded, &given, errors)
        }
    }
}
