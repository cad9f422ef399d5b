//! `/{lang}/admin/users/{id}`: one staff account, and what an admin does to it: change
//! its role, office or advisor (POST `…/{id}`), deactivate or activate it again (POST
//! `…/active`), reset its password (POST `…/password`, shown once). Each through
//! `store::admin`, audited in its transaction; a new role or office, deactivating and a
//! new password end the account's sessions and refuse its tokens (`store::staff`). An
//! admin cannot change their own role or deactivate themselves (nobody would be left to
//! undo it).

use super::users::{read_access, store_errors, AccessChoices, AccessForm, Directory};
use crate::catalogue::{admin::role_name, AdminText as A, Text, Tr};
use crate::chrome::Chrome;
use crate::error::{with_status, Problem};
use crate::forms::Errors;
use crate::pages::book::see_other;
use crate::pages::booking::Fact;
use crate::staff::{Signed, StaffForm};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use aukiolo_domain::StaffUserId;
use aukiolo_store::staff::{AccountChange, StaffUser};
use aukiolo_store::{passwords, StoreError};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "admin/user.html")]
struct UserPage {
    c: Chrome,
    heading: String,
    facts: Vec<Fact>,
    errors: Errors,
    notice: Option<&'static str>,
    csrf: String,
    action: String,
    choices: AccessChoices,
    active: bool,
    yourself: bool,
}

type Id = web::Path<(String, StaffUserId)>;

fn render(
    signed: &Signed,
    dir: &Directory,
    user: &StaffUser,
    form: &AccessForm,
    errors: Errors,
) -> Result<HttpResponse, Problem> {
    let t = Tr(signed.lang());
    let heading = t.fill_a(A::UserTitle, &[("email", &user.email)]);
    let notice = signed.cx.req.query_string().strip_prefix("done=").and_then(|done| match done {
        "saved" => Some(t.a(A::UserSaved)),
        "deactivated" => Some(t.a(A::UserDeactivated)),
        "activated" => Some(t.a(A::UserActivated)),
        _ => None,
    });
    let facts = vec![
        Fact { label: t.a(A::Email), value: user.email.clone() },
        Fact { label: t.a(A::Role), value: t.a(role_name(user.role)).to_owned() },
        Fact { label: t.a(A::Office), value: dir.office(t, user.office_id) },
        Fact { label: t.a(A::Advisor), value: dir.advisor(t, user.advisor_id) },
        Fact {
            label: t.a(A::Status),
            value: t.a(if user.active { A::StatusActive } else { A::StatusInactive }).into(),
        },
    ];
    let page = UserPage {
        c: super::chrome(signed, &heading, &errors),
        heading,
        facts,
        errors,
        notice,
        csrf: signed.session.csrf_token.clone(),
        action: user_path(signed, user.id),
        choices: dir.choices(t, form),
        active: user.active,
        yourself: user.id == signed.session.user.id,
    };
    crate::pages::staff::html(&page)
}

fn user_path(signed: &Signed, id: StaffUserId) -> String {
    super::path(signed, &format!("/users/{id}"))
}

/// The directory and the account `id` (404 when there is none), for an admin.
async fn load(signed: &Signed, id: StaffUserId) -> Result<(Directory, StaffUser), Problem> {
    super::require_admin(signed)?;
    let dir = Directory::load(signed).await?;
    let user = dir.users.iter().find(|u| u.id == id).cloned().ok_or(Problem::NotFound)?;
    Ok((dir, user))
}

pub async fn page(signed: Signed, id: Id) -> Result<HttpResponse, Problem> {
    let (dir, user) = load(&signed, id.1).await?;
    render(&signed, &dir, &user, &AccessForm::of(&user), Errors::default())
}

/// Applies `change` to the account as the signed-in admin; the store's refusals come back
/// as the form's errors.
async fn change(
    signed: &Signed,
    id: StaffUserId,
    change: AccountChange,
) -> Result<Result<StaffUser, Vec<aukiolo_domain::FieldError>>, Problem> {
    let (admin, now) = (signed.session.user.id, signed.site().now());
    signed
        .site()
        .read(move |c| match aukiolo_store::admin::change(c, admin, id, &change, now) {
            Ok(user) => Ok(Ok(user)),
            Err(StoreError::Invalid(bad)) => Ok(Err(bad)),
            Err(e) => Err(e),
        })
        .await
}

fn refused(
    signed: &Signed,
    dir: &Directory,
    user: &StaffUser,
    form: &AccessForm,
    errors: Errors,
) -> Result<HttpResponse, Problem> {
    Ok(with_status(render(signed, dir, user, form, errors)?, StatusCode::UNPROCESSABLE_ENTITY))
}

pub async fn save(form: StaffForm<AccessForm>, id: Id) -> Result<HttpResponse, Problem> {
    let StaffForm { signed, fields: form } = form;
    let (dir, user) = load(&signed, id.1).await?;
    let t = Tr(signed.lang());
    let mut errors = Errors::default();
    let access = read_access(t, &dir, &form, &mut errors);
    if let Some(a) = &access {
        if user.id == signed.session.user.id && a.role != user.role {
            errors.add("role", t.a(A::NotYourself));
        }
    }
    let (Some(access), true) = (access, errors.is_empty()) else {
        return refused(&signed, &dir, &user, &form, errors);
    };
    let wanted = AccountChange {
        role: access.role,
        office_id: access.office,
        advisor_id: access.advisor,
        active: user.active,
    };
    match change(&signed, user.id, wanted).await? {
        Ok(_) => Ok(see_other(&format!("{}?done=saved", user_path(&signed, user.id)))),
        Err(bad) => refused(&signed, &dir, &user, &form, store_errors(t, bad)),
    }
}

#[derive(Debug, Deserialize)]
pub struct ActiveForm {
    active: bool,
}

pub async fn set_active(form: StaffForm<ActiveForm>, id: Id) -> Result<HttpResponse, Problem> {
    let StaffForm { signed, fields: form } = form;
    let (dir, user) = load(&signed, id.1).await?;
    if user.id == signed.session.user.id && !form.active {
        let mut errors = Errors::default();
        errors.add("active", Tr(signed.lang()).a(A::NotYourself));
        return refused(&signed, &dir, &user, &AccessForm::of(&user), errors);
    }
    let wanted = AccountChange {
        role: user.role,
        office_id: user.office_id,
        advisor_id: user.advisor_id,
        active: form.active,
    };
    match change(&signed, user.id, wanted).await? {
        Ok(_) => {
            let done = if form.active { "activated" } else { "deactivated" };
            Ok(see_other(&format!("{}?done={done}", user_path(&signed, user.id))))
        }
        Err(bad) => {
            refused(&signed, &dir, &user, &AccessForm::of(&user), store_errors(Tr(signed.lang()), bad))
        }
    }
}

pub async fn reset_password(
    form: StaffForm<crate::pages::staff::input::Given>,
    id: Id,
) -> Result<HttpResponse, Problem> {
    let signed = form.signed;
    super::require_admin(&signed)?;
    let id = id.1;
    let password = passwords::generate();
    let hash = passwords::hash(&password);
    let (admin, now) = (signed.session.user.id, signed.site().now());
    let user =
        signed.site().read(move |c| aukiolo_store::admin::reset_password(c, admin, id, &hash, now)).await?;
    super::password::show(&signed, &user, &password, A::PasswordReset)
}
