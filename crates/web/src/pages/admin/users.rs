//! `/{lang}/admin/users`: every staff account (e-mail, role, office, advisor, active) and
//! the form that creates one with its role, office and advisor (`store::admin::create`,
//! audited). The new account's password is generated and shown once (`password.rs`).
//! What the users pages share: the accounts, offices and advisors by name, and reading
//! the role, office and advisor a form sends.

use super::password;
use crate::catalogue::{admin::role_name, AdminText as A, Text, Tr};
use crate::chrome::Chrome;
use crate::error::{with_status, Problem};
use crate::forms::Errors;
use crate::pages::staff::walk_ins::SelectOption;
use crate::staff::{Signed, StaffForm};
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use askama::Template;
use aukiolo_domain::advisor::Advisor;
use aukiolo_domain::contact::Email;
use aukiolo_domain::office::Office;
use aukiolo_domain::staff::Role;
use aukiolo_domain::{AdvisorId, FieldError, OfficeId, StaffUserId};
use aukiolo_store::staff::{NewStaffUser, StaffUser};
use aukiolo_store::{advisors, offices, passwords, staff, StoreError};
use serde::Deserialize;

/// Every account, office and advisor, to show ids by name.
pub struct Directory {
    pub users: Vec<StaffUser>,
    pub offices: Vec<Office>,
    pub advisors: Vec<Advisor>,
}

impl Directory {
    pub async fn load(signed: &Signed) -> Result<Directory, Problem> {
        signed
            .site()
            .read(|c| {
                let offices = offices::list(c)?;
                let mut all = Vec::new();
                for o in &offices {
                    all.extend(advisors::list_for_office(c, o.id)?);
                }
                Ok(Directory { users: staff::list(c)?, offices, advisors: all })
            })
            .await
    }

    pub fn office(&self, t: Tr, id: Option<OfficeId>) -> String {
        match id {
            None => t.a(A::NoOffice).to_owned(),
            Some(id) => self
                .offices
                .iter()
                .find(|o| o.id == id)
                .map_or_else(|| id.to_string(), |o| o.fields.name.get(t.0).to_owned()),
        }
    }

    pub fn advisor(&self, t: Tr, id: Option<AdvisorId>) -> String {
        match id {
            None => t.a(A::NoAdvisor).to_owned(),
            Some(id) => self
                .advisors
                .iter()
                .find(|a| a.id == id)
                .map_or_else(|| id.to_string(), |a| a.fields.name.clone()),
        }
    }

    pub fn email(&self, id: StaffUserId) -> String {
        self.users.iter().find(|u| u.id == id).map_or_else(|| id.to_string(), |u| u.email.clone())
    }

    /// The drop-downs of the role, office and advisor questions, `form`'s choices selected.
    pub fn choices(&self, t: Tr, form: &AccessForm) -> AccessChoices {
        let option = |value: String, label: String, chosen: &str| SelectOption {
            selected: value == chosen,
            value,
            label,
        };
        AccessChoices {
            roles: Role::ALL
                .into_iter()
                .map(|r| option(r.as_str().to_owned(), t.a(role_name(r)).to_owned(), &form.role))
                .collect(),
            offices: std::iter::once(option(String::new(), t.a(A::NoOffice).to_owned(), &form.office))
                .chain(
                    self.offices
                        .iter()
                        .map(|o| option(o.id.to_string(), o.fields.name.get(t.0).to_owned(), &form.office)),
                )
                .collect(),
            advisors: std::iter::once(option(String::new(), t.a(A::NoAdvisor).to_owned(), &form.advisor))
                .chain(self.advisors.iter().map(|a| {
                    let label = format!("{} ({})", a.fields.name, self.office(t, Some(a.fields.office_id)));
                    option(a.id.to_string(), label, &form.advisor)
                }))
                .collect(),
        }
    }
}

/// The role, office and advisor a form sends (as text, kept when refused).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct AccessForm {
    pub role: String,
    pub office: String,
    pub advisor: String,
}

impl AccessForm {
    pub fn of(user: &StaffUser) -> Self {
        AccessForm {
            role: user.role.as_str().to_owned(),
            office: user.office_id.map(|o| o.to_string()).unwrap_or_default(),
            advisor: user.advisor_id.map(|a| a.to_string()).unwrap_or_default(),
        }
    }
}

/// The drop-downs of an [`AccessForm`].
pub struct AccessChoices {
    pub roles: Vec<SelectOption>,
    pub offices: Vec<SelectOption>,
    pub advisors: Vec<SelectOption>,
}

/// A role, office and advisor that exist and fit together.
pub struct Access {
    pub role: Role,
    pub office: Option<OfficeId>,
    pub advisor: Option<AdvisorId>,
}

/// `form` read against `dir`, or each bad field named.
pub fn read_access(t: Tr, dir: &Directory, form: &AccessForm, errors: &mut Errors) -> Option<Access> {
    let role = Role::parse(&form.role);
    if role.is_none() {
        errors.add("role", t.a(A::RoleMissing));
    }
    let office = match form.office.as_str() {
        "" => None,
        raw => match dir.offices.iter().find(|o| o.id.to_string() == raw) {
            Some(o) => Some(o.id),
            None => {
                errors.add("office", t.a(A::OfficeUnknown));
                return None;
            }
        },
    };
    if office.is_none() && role.is_some_and(Role::needs_office) {
        errors.add("office", t.a(A::OfficeNeeded));
    }
    let advisor = match form.advisor.as_str() {
        "" => None,
        raw => match dir.advisors.iter().find(|a| a.id.to_string() == raw) {
            Some(a) if Some(a.fields.office_id) == office => Some(a.id),
            Some(_) => {
                errors.add("advisor", t.a(A::AdvisorOtherOffice));
                None
            }
            None => {
                errors.add("advisor", t.a(A::AdvisorUnknown));
                None
            }
        },
    };
    Some(Access { role: role?, office, advisor })
}

/// The store's refusals of an account, in the page's language.
pub fn store_errors(t: Tr, bad: Vec<FieldError>) -> Errors {
    let mut errors = Errors::default();
    for f in bad {
        let (field, text) = match f.field.as_str() {
            "email" => ("email", A::EmailTaken),
            "office" => ("office", A::OfficeNeeded),
            "advisor" => ("advisor", A::AdvisorOtherOffice),
            _ => ("role", A::CheckValue),
        };
        if errors.get(field).is_none() {
            errors.add(field, t.a(text));
        }
    }
    errors
}

/// One account as the table shows it.
pub struct Row {
    pub href: String,
    pub email: String,
    pub role: &'static str,
    pub office: String,
    pub advisor: String,
    pub status: &'static str,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewUserForm {
    email: String,
    #[serde(flatten)]
    access: AccessForm,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    c: Chrome,
    heading: &'static str,
    rows: Vec<Row>,
    errors: Errors,
    csrf: String,
    action: String,
    email: String,
    choices: AccessChoices,
    notice: Option<&'static str>,
}

fn render(
    signed: &Signed,
    dir: &Directory,
    form: &NewUserForm,
    errors: Errors,
) -> Result<HttpResponse, Problem> {
    let t = Tr(signed.lang());
    let rows = dir
        .users
        .iter()
        .map(|u| Row {
            href: super::path(signed, &format!("/users/{}", u.id)),
            email: u.email.clone(),
            role: t.a(role_name(u.role)),
            office: dir.office(t, u.office_id),
            advisor: u.advisor_id.map(|a| dir.advisor(t, Some(a))).unwrap_or_else(|| "–".into()),
            status: t.a(if u.active { A::StatusActive } else { A::StatusInactive }),
        })
        .collect();
    let heading = t.a(A::UsersTitle);
    let page = UsersPage {
        c: super::chrome(signed, heading, &errors),
        heading,
        rows,
        errors,
        csrf: signed.session.csrf_token.clone(),
        action: super::path(signed, "/users"),
        email: form.email.clone(),
        choices: dir.choices(t, &form.access),
        notice: None,
    };
    crate::pages::staff::html(&page)
}

pub async fn page(signed: Signed) -> Result<HttpResponse, Problem> {
    super::require_admin(&signed)?;
    let dir = Directory::load(&signed).await?;
    let form = NewUserForm {
        access: AccessForm { role: Role::Advisor.as_str().into(), ..AccessForm::default() },
        ..NewUserForm::default()
    };
    render(&signed, &dir, &form, Errors::default())
}

pub async fn create(form: StaffForm<NewUserForm>) -> Result<HttpResponse, Problem> {
    let StaffForm { signed, fields: form } = form;
    super::require_admin(&signed)?;
    let t = Tr(signed.lang());
    let dir = Directory::load(&signed).await?;
    let mut errors = Errors::default();
    let email = Email::parse(form.email.trim()).ok();
    if email.is_none() {
        errors.add("email", t.a(A::EmailInvalid));
    }
    let access = read_access(t, &dir, &form.access, &mut errors);
    let (Some(email), Some(access), true) = (email, access, errors.is_empty()) else {
        return Ok(with_status(render(&signed, &dir, &form, errors)?, StatusCode::UNPROCESSABLE_ENTITY));
    };
    let password = passwords::generate();
    let hash = passwords::hash(&password);
    let (admin, now) = (signed.session.user.id, signed.site().now());
    let created = signed
        .site()
        .read(move |c| {
            let new = NewStaffUser {
                email: email.as_str(),
                password_hash: &hash,
                role: access.role,
                office_id: access.office,
                advisor_id: access.advisor,
            };
            match aukiolo_store::admin::create(c, admin, &new, now) {
                Ok(user) => Ok(Ok(user)),
                Err(StoreError::Invalid(bad)) => Ok(Err(bad)),
                Err(e) => Err(e),
            }
        })
        .await?;
    match created {
        Ok(user) => password::show(&signed, &user, &password, A::UserCreated),
        Err(bad) => Ok(with_status(
            render(&signed, &dir, &form, store_errors(t, bad))?,
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
    }
}
