//! The staff view of an office's slots and of its conflicts.

use crate::auth::Staff;
use crate::{ApiError, AppState};
use actix_web::{web, HttpResponse};
use aukiolo_domain::slots::Slot;
use aukiolo_domain::{FieldError, OfficeId, Validation};
use aukiolo_store::slots::local_day_start;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Deserialize;
use utoipa::IntoParams;

/// Longest range one request may cover.
const MAX_DAYS: i64 = 62;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/offices/{id}/slots", web::get().to(list))
        .route("/offices/{id}/conflicts", web::get().to(conflicts));
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct Range {
    /// First day (office-local `YYYY-MM-DD`) or instant (RFC 3339); default today.
    from: Option<String>,
    /// End, exclusive: a day (that day is not included) or an instant; default seven days on.
    to: Option<String>,
}

/// Reads a day (local midnight) or an instant.
fn parse_bound(v: &mut Validation, field: &str, raw: &str, tz: chrono_tz::Tz) -> Option<DateTime<Utc>> {
    if let Ok(day) = raw.parse::<NaiveDate>() {
        return Some(local_day_start(tz, day));
    }
    v.check(
        field,
        DateTime::parse_from_rfc3339(raw)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| "must be a date (YYYY-MM-DD) or an RFC 3339 instant"),
    )
}

fn resolve(range: &Range, tz: chrono_tz::Tz) -> Result<(DateTime<Utc>, DateTime<Utc>), Vec<FieldError>> {
    let mut v = Validation::new();
    let today = Utc::now().with_timezone(&tz).date_naive();
    let from = match &range.from {
        Some(raw) => parse_bound(&mut v, "from", raw, tz),
        None => Some(local_day_start(tz, today)),
    };
    let to = match (&range.to, from) {
        (Some(raw), _) => parse_bound(&mut v, "to", raw, tz),
        (None, Some(f)) => Some(f + Duration::days(7)),
        (None, None) => None,
    };
    if let (Some(f), Some(t)) = (from, to) {
        v.require(t > f, "to", "must be after from");
        v.require(t - f <= Duration::days(MAX_DAYS), "to", "the range may cover at most 62 days");
        v.finish()?;
        return Ok((f, t));
    }
    Err(v.finish().err().unwrap_or_default())
}

/// The office's slots in a range, with their states (staff of the office, pilot leads, admins).
#[utoipa::path(get, path = "/api/v1/offices/{id}/slots", tag = "slots", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Office id"), Range),
    responses(
        (status = 200, description = "Slots by start time", body = Vec<Slot>),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Another office", body = crate::error::Problem),
        (status = 404, description = "No such office", body = crate::error::Problem),
        (status = 422, description = "A bad `from` or `to`", body = crate::error::Problem),
    ))]
pub async fn list(
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<OfficeId>,
    range: web::Query<Range>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    staff.require_office(id)?;
    let range = range.into_inner();
    let slots = state
        .db(move |c| {
            let office = aukiolo_store::offices::get(c, id)?;
            let (from, to) = resolve(&range, office.fields.tz())?;
            Ok(aukiolo_store::slots::list_for_office(c, id, from, to)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(slots))
}

/// Booked slots the calendar no longer offers (absence, closure, holiday, changed
/// schedule): each booking must be moved or cancelled by the office.
#[utoipa::path(get, path = "/api/v1/offices/{id}/conflicts", tag = "slots", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Office id")),
    responses(
        (status = 200, description = "Conflicting booked slots, by start time", body = Vec<Slot>),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Another office", body = crate::error::Problem),
        (status = 404, description = "No such office", body = crate::error::Problem),
    ))]
pub async fn conflicts(
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<OfficeId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    staff.require_office(id)?;
    let slots = state
        .db(move |c| {
            aukiolo_store::offices::get(c, id)?;
            Ok(aukiolo_store::slots::conflicts(c, id, Utc::now())?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(slots))
}
