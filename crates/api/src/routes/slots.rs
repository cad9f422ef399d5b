//! The staff view of an office's slots (its conflicts, with their ways out, are in `conflicts`).

use crate::auth::Staff;
use crate::{ApiError, AppState};
use actix_web::get;
use actix_web::{web, HttpResponse};
use aukiolo_domain::slots::Slot;
use aukiolo_domain::{OfficeId, Validation};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Range {
    /// First day (office-local `YYYY-MM-DD`) or instant (RFC 3339); default today.
    pub(crate) from: Option<String>,
    /// End, exclusive: a day (that day is not included) or an instant; default seven days on.
    pub(crate) to: Option<String>,
}

/// The office's slots in a range, with their states (staff of the office, pilot leads, admins).
#[utoipa::path(tag = "slots", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Office id"), Range),
    responses(
        (status = 200, description = "Slots by start time", body = Vec<Slot>),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Another office", body = crate::error::Problem),
        (status = 404, description = "No such office", body = crate::error::Problem),
        (status = 422, description = "A bad `from` or `to`", body = crate::error::Problem),
    ))]
#[get("/offices/{id}/slots")]
pub async fn list(
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<OfficeId>,
    range: crate::query::ValidQuery<Range>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    staff.require_office(id)?;
    let range = range.into_inner();
    let now = state.now();
    let slots = state
        .db(move |c| {
            let office = aukiolo_store::offices::get(c, id)?;
            let mut v = Validation::new();
            let bounds = super::range::resolve(
                &mut v,
                range.from.as_deref(),
                range.to.as_deref(),
                office.fields.tz(),
                7,
                now,
            );
            v.finish()?;
            let (from, to) =
                bounds.ok_or_else(|| ApiError::Internal("range without errors or bounds".into()))?;
            Ok(aukiolo_store::slots::list_for_office(c, id, from, to)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(slots))
}
