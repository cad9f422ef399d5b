//! Weekly schedule rules of advisors (the schedule template). Each change regenerates
//! the advisor's slots in the same transaction.

use super::scoped::{self, Scoped};
use crate::auth::{Managers, Staff};
use crate::json::ValidJson;
use crate::{ApiError, AppState};
use actix_web::{delete, get, post, put};
use actix_web::{web, HttpResponse};
use aukiolo_domain::calendar::{ScheduleRule, ScheduleRuleFields};
use aukiolo_domain::{AdvisorId, FieldError, OfficeId, ScheduleRuleId};
use aukiolo_store::slots::Horizon;
use aukiolo_store::{schedule_rules, DbConnection};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_for_advisor).service(create).service(get).service(update).service(delete);
}

pub(crate) struct Rules;

impl Scoped for Rules {
    type Id = ScheduleRuleId;
    type Fields = ScheduleRuleFields;
    type Item = ScheduleRule;

    fn validate(f: &ScheduleRuleFields) -> Result<(), Vec<FieldError>> {
        f.validate()
    }
    fn office_of_fields(conn: &mut DbConnection, f: &ScheduleRuleFields) -> Result<OfficeId, ApiError> {
        super::office_of_advisor_field(conn, f.advisor_id)
    }
    fn fields_of(item: &ScheduleRule) -> &ScheduleRuleFields {
        &item.fields
    }
    fn get(conn: &mut DbConnection, id: ScheduleRuleId) -> aukiolo_store::Result<ScheduleRule> {
        schedule_rules::get(conn, id)
    }
    fn create(
        conn: &mut DbConnection,
        f: &ScheduleRuleFields,
        h: &Horizon,
    ) -> aukiolo_store::Result<ScheduleRule> {
        schedule_rules::create(conn, f, h)
    }
    fn update(
        conn: &mut DbConnection,
        id: ScheduleRuleId,
        f: &ScheduleRuleFields,
        h: &Horizon,
    ) -> aukiolo_store::Result<ScheduleRule> {
        schedule_rules::update(conn, id, f, h)
    }
    fn delete(conn: &mut DbConnection, id: ScheduleRuleId, h: &Horizon) -> aukiolo_store::Result<()> {
        schedule_rules::delete(conn, id, h)
    }
}

/// An advisor's weekly rules.
#[utoipa::path(tag = "schedules", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Advisor id")),
    responses(
        (status = 200, description = "The rules, by weekday and start", body = Vec<ScheduleRule>),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Another office", body = crate::error::Problem),
        (status = 404, description = "No such advisor", body = crate::error::Problem),
    ))]
#[get("/advisors/{id}/schedule-rules")]
pub async fn list_for_advisor(
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<AdvisorId>,
) -> Result<HttpResponse, ApiError> {
    scoped::list_for_advisor(staff, &state, id.into_inner(), schedule_rules::list_for_advisor).await
}

/// One rule.
#[utoipa::path(tag = "schedules", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Rule id")),
    responses(
        (status = 200, description = "The rule", body = ScheduleRule),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Another office", body = crate::error::Problem),
        (status = 404, description = "No such rule", body = crate::error::Problem),
    ))]
#[get("/schedule-rules/{id}")]
pub async fn get(
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<ScheduleRuleId>,
) -> Result<HttpResponse, ApiError> {
    scoped::get::<Rules>(staff, &state, id.into_inner()).await
}

/// Add a weekly rule; the advisor's slots are generated at once.
#[utoipa::path(tag = "schedules", security(("bearer" = [])),
    request_body = ScheduleRuleFields,
    responses(
        (status = 201, description = "Created", body = ScheduleRule),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Not a manager of the advisor's office", body = crate::error::Problem),
        (status = 422, description = "Invalid fields, each named (also an overlap with another rule)", body = crate::error::Problem),
    ))]
#[post("/schedule-rules")]
pub async fn create(
    staff: Staff<Managers>,
    state: web::Data<AppState>,
    body: ValidJson<ScheduleRuleFields>,
) -> Result<HttpResponse, ApiError> {
    scoped::create::<Rules>(staff, &state, body.0).await
}

/// Replace a rule; open slots follow, booked ones stay (as conflicts if no longer offered).
#[utoipa::path(tag = "schedules", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Rule id")),
    request_body = ScheduleRuleFields,
    responses(
        (status = 200, description = "Updated", body = ScheduleRule),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Not a manager of the advisor's office", body = crate::error::Problem),
        (status = 404, description = "No such rule", body = crate::error::Problem),
        (status = 422, description = "Invalid fields, each named", body = crate::error::Problem),
    ))]
#[put("/schedule-rules/{id}")]
pub async fn update(
    staff: Staff<Managers>,
    state: web::Data<AppState>,
    id: web::Path<ScheduleRuleId>,
    body: ValidJson<ScheduleRuleFields>,
) -> Result<HttpResponse, ApiError> {
    scoped::update::<Rules>(staff, &state, id.into_inner(), body.0).await
}

/// Delete a rule.
#[utoipa::path(tag = "schedules", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Rule id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Not a manager of the advisor's office", body = crate::error::Problem),
        (status = 404, description = "No such rule", body = crate::error::Problem),
    ))]
#[delete("/schedule-rules/{id}")]
pub async fn delete(
    staff: Staff<Managers>,
    state: web::Data<AppState>,
    id: web::Path<ScheduleRuleId>,
) -> Result<HttpResponse, ApiError> {
    scoped::delete::<Rules>(staff, &state, id.into_inner()).await
}
