//! Advisors' absences (sick leave, vacation, training). Each change regenerates the
//! advisor's slots; booked slots under an absence stay and become conflicts.

use super::scoped::{self, Scoped};
use crate::auth::{Managers, Staff};
use crate::json::ValidJson;
use crate::{ApiError, AppState};
use actix_web::{delete, get, post, put};
use actix_web::{web, HttpResponse};
use aukiolo_domain::calendar::{Absence, AbsenceFields};
use aukiolo_domain::{AbsenceId, AdvisorId, FieldError, OfficeId};
use aukiolo_store::slots::Horizon;
use aukiolo_store::{absences, DbConnection};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_for_advisor).service(create).service(get).service(update).service(delete);
}

pub(crate) struct Absences;

impl Scoped for Absences {
    type Id = AbsenceId;
    type Fields = AbsenceFields;
    type Item = Absence;

    fn validate(f: &AbsenceFields) -> Result<(), Vec<FieldError>> {
        f.validate()
    }
    fn office_of_fields(conn: &mut DbConnection, f: &AbsenceFields) -> Result<OfficeId, ApiError> {
        super::office_of_advisor_field(conn, f.advisor_id)
    }
    fn fields_of(item: &Absence) -> &AbsenceFields {
        &item.fields
    }
    fn get(conn: &mut DbConnection, id: AbsenceId) -> aukiolo_store::Result<Absence> {
        absences::get(conn, id)
    }
    fn create(conn: &mut DbConnection, f: &AbsenceFields, h: &Horizon) -> aukiolo_store::Result<Absence> {
        absences::create(conn, f, h)
    }
    fn update(
        conn: &mut DbConnection,
        id: AbsenceId,
        f: &AbsenceFields,
        h: &Horizon,
    ) -> aukiolo_store::Result<Absence> {
        absences::update(conn, id, f, h)
    }
    fn delete(conn: &mut DbConnection, id: AbsenceId, h: &Horizon) -> aukiolo_store::Result<()> {
        absences::delete(conn, id, h)
    }
}

/// An advisor's absences.
#[utoipa::path(tag = "absences", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Advisor id")),
    responses(
        (status = 200, description = "The absences, by start", body = Vec<Absence>),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Another office", body = crate::error::Problem),
        (status = 404, description = "No such advisor", body = crate::error::Problem),
    ))]
#[get("/advisors/{id}/absences")]
pub async fn list_for_advisor(
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<AdvisorId>,
) -> Result<HttpResponse, ApiError> {
    scoped::list_for_advisor(staff, &state, id.into_inner(), |c, id| absences::list_for_advisor(c, id, None))
        .await
}

/// One absence.
#[utoipa::path(tag = "absences", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Absence id")),
    responses(
        (status = 200, description = "The absence", body = Absence),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Another office", body = crate::error::Problem),
        (status = 404, description = "No such absence", body = crate::error::Problem),
    ))]
#[get("/absences/{id}")]
pub async fn get(
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<AbsenceId>,
) -> Result<HttpResponse, ApiError> {
    scoped::get::<Absences>(staff, &state, id.into_inner()).await
}

/// Record an absence; the advisor's open slots in it disappear at once.
#[utoipa::path(tag = "absences", security(("bearer" = [])),
    request_body = AbsenceFields,
    responses(
        (status = 201, description = "Created", body = Absence),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Not a manager of the advisor's office", body = crate::error::Problem),
        (status = 422, description = "Invalid fields, each named ", body = crate::error::Problem),
    ))]
#[post("/absences")]
pub async fn create(
    staff: Staff<Managers>,
    state: web::Data<AppState>,
    body: ValidJson<AbsenceFields>,
) -> Result<HttpResponse, ApiError> {
    scoped::create::<Absences>(staff, &state, body.0).await
}

/// Change an absence; slots follow, booked ones stay (as conflicts while covered).
#[utoipa::path(tag = "absences", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Absence id")),
    request_body = AbsenceFields,
    responses(
        (status = 200, description = "Updated", body = Absence),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Not a manager of the advisor's office", body = crate::error::Problem),
        (status = 404, description = "No such absence", body = crate::error::Problem),
        (status = 422, description = "Invalid fields, each named", body = crate::error::Problem),
    ))]
#[put("/absences/{id}")]
pub async fn update(
    staff: Staff<Managers>,
    state: web::Data<AppState>,
    id: web::Path<AbsenceId>,
    body: ValidJson<AbsenceFields>,
) -> Result<HttpResponse, ApiError> {
    scoped::update::<Absences>(staff, &state, id.into_inner(), body.0).await
}

/// Delete an absence; its time becomes bookable again.
#[utoipa::path(tag = "absences", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Absence id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Not a manager of the advisor's office", body = crate::error::Problem),
        (status = 404, description = "No such absence", body = crate::error::Problem),
    ))]
#[delete("/absences/{id}")]
pub async fn delete(
    staff: Staff<Managers>,
    state: web::Data<AppState>,
    id: web::Path<AbsenceId>,
) -> Result<HttpResponse, ApiError> {
    scoped::delete::<Absences>(staff, &state, id.into_inner()).await
}
