//! Staff accounts, kept by admins. Changing an account's role, office or activity, or
//! deleting it, revokes its sessions and tokens on their next request.

use crate::auth::{Admins, Staff};
use crate::json::ValidJson;
use crate::{ApiError, AppState};
use actix_web::{delete, get, put};
use actix_web::{web, HttpResponse};
use aukiolo_domain::staff::Role;
use aukiolo_domain::{AdvisorId, OfficeId, StaffUserId};
use aukiolo_store::staff::{self, AccountChange, StaffUser};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list).service(get).service(update).service(delete);
}

/// A staff account as admins see it (never its password hash).
#[derive(Debug, Serialize, ToSchema)]
pub struct Account {
    #[schema(value_type = uuid::Uuid)]
    pub id: StaffUserId,
    pub email: String,
    pub role: Role,
    #[schema(value_type = Option<uuid::Uuid>)]
    pub office_id: Option<OfficeId>,
    #[schema(value_type = Option<uuid::Uuid>)]
    pub advisor_id: Option<AdvisorId>,
    pub active: bool,
}

impl From<StaffUser> for Account {
    fn from(u: StaffUser) -> Self {
        Account {
            id: u.id,
            email: u.email,
            role: u.role,
            office_id: u.office_id,
            advisor_id: u.advisor_id,
            active: u.active,
        }
    }
}

/// The new state of an account; the e-mail cannot change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountFields {
    pub role: Role,
    #[schema(value_type = Option<uuid::Uuid>)]
    #[serde(default)]
    pub office_id: Option<OfficeId>,
    /// The advisor this account serves as (in its office).
    #[schema(value_type = Option<uuid::Uuid>)]
    #[serde(default)]
    pub advisor_id: Option<AdvisorId>,
    pub active: bool,
}

/// Every staff account (admin).
#[utoipa::path(tag = "auth", security(("bearer" = [])),
    responses(
        (status = 200, description = "The accounts, by e-mail", body = Vec<Account>),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Not an admin", body = crate::error::Problem),
    ))]
#[get("/admin/users")]
pub async fn list(_staff: Staff<Admins>, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let list = state.db(|c| Ok(staff::list(c)?)).await?;
    Ok(HttpResponse::Ok().json(list.into_iter().map(Account::from).collect::<Vec<_>>()))
}

/// One staff account (admin).
#[utoipa::path(tag = "auth", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Account id")),
    responses(
        (status = 200, description = "The account", body = Account),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Not an admin", body = crate::error::Problem),
        (status = 404, description = "No such account", body = crate::error::Problem),
    ))]
#[get("/admin/users/{id}")]
pub async fn get(
    _staff: Staff<Admins>,
    state: web::Data<AppState>,
    id: web::Path<StaffUserId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let user = state.db(move |c| Ok(staff::get(c, id)?)).await?;
    Ok(HttpResponse::Ok().json(Account::from(user)))
}

/// Change an account's role, office, advisor or activity (admin), audited
/// (`change_account`, each field's old and new value). A new role, office or activity
/// ends the account's sessions and refuses its earlier tokens at once.
#[utoipa::path(tag = "auth", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Account id")),
    request_body = AccountFields,
    responses(
        (status = 200, description = "The account after the change", body = Account),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Not an admin", body = crate::error::Problem),
        (status = 404, description = "No such account", body = crate::error::Problem),
        (status = 422, description = "Invalid fields, each named", body = crate::error::Problem),
    ))]
#[put("/admin/users/{id}")]
pub async fn update(
    admin: Staff<Admins>,
    state: web::Data<AppState>,
    id: web::Path<StaffUserId>,
    body: ValidJson<AccountFields>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let f = body.0;
    let change =
        AccountChange { role: f.role, office_id: f.office_id, advisor_id: f.advisor_id, active: f.active };
    let (by, now) = (admin.id, state.now());
    let user = state.db(move |c| Ok(aukiolo_store::admin::change(c, by, id, &change, now)?)).await?;
    tracing::info!(admin = %admin.id, staff = %id, role = user.role.as_str(), active = user.active, "account changed");
    Ok(HttpResponse::Ok().json(Account::from(user)))
}

/// Delete an account that has recorded nothing (admin); one with history is deactivated
/// instead (409 says so).
#[utoipa::path(tag = "auth", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Account id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Not an admin", body = crate::error::Problem),
        (status = 404, description = "No such account", body = crate::error::Problem),
        (status = 409, description = "The account has history: deactivate it", body = crate::error::Problem),
    ))]
#[delete("/admin/users/{id}")]
pub async fn delete(
    admin: Staff<Admins>,
    state: web::Data<AppState>,
    id: web::Path<StaffUserId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    state.db(move |c| Ok(staff::delete(c, id)?)).await?;
    tracing::info!(admin = %admin.id, staff = %id, "account deleted");
    Ok(HttpResponse::NoContent().finish())
}
