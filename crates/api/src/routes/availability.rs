//! Free times: when a topic can be booked, without naming advisors. Citizens see them
//! with the office's rules applied; staff, who may book inside them, see every free time,
//! and may ask for one office's phone advisors.

use crate::auth::{ServiceStaff, Staff};
use crate::{ApiError, AppState};
use actix_web::get;
use actix_web::{web, HttpResponse};
use aukiolo_domain::availability::{free_times, FreeTime};
use aukiolo_domain::validation::codes;
use aukiolo_domain::{Channel, Language, Locale, OfficeId, TopicId, Validation};
use aukiolo_store::availability::{citizen_times, find_runs, RulesApply, TimeQuery};
use aukiolo_store::rate_limits::Counted;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(availability).service(staff_availability);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AvailabilityParams {
    #[param(required = true, value_type = uuid::Uuid)]
    topic_id: Option<String>,
    #[param(required = true, value_type = Channel)]
    channel: Option<String>,
    /// Required for office visits. For phone appointments, citizens are served by every
    /// office (it is ignored); staff may name an office to see only its phone advisors.
    #[param(value_type = Option<uuid::Uuid>)]
    office_id: Option<String>,
    /// The language of the appointment, as a booking takes it.
    #[param(required = true, value_type = Locale)]
    language: Option<String>,
    /// First day (`YYYY-MM-DD`, office-local) or instant; default today.
    from: Option<String>,
    /// End, exclusive; default 14 days after `from`, at most 62.
    to: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Availability {
    pub times: Vec<FreeTime>,
}

/// Reads the parameters into a query, naming every bad one. The office is kept as given,
/// for phone appointments too.
pub(crate) fn time_query(p: &AvailabilityParams, now: DateTime<Utc>) -> Result<TimeQuery, ApiError> {
    let mut v = Validation::new();
    let required = |v: &mut Validation, field: &str, value: &Option<String>| -> Option<String> {
        let value = value.clone().filter(|s| !s.trim().is_empty());
        if value.is_none() {
            v.add_code(field, codes::REQUIRED, "is required");
        }
        value
    };
    let topic = required(&mut v, "topic_id", &p.topic_id).and_then(|t| {
        v.check_as("topic_id", codes::INVALID_UUID, t.parse::<TopicId>().map_err(|_| "must be a topic id"))
    });
    let channel = required(&mut v, "channel", &p.channel)
        .and_then(|c| v.check_as("channel", codes::UNKNOWN_VALUE, c.parse::<Channel>()));
    // The language of a booking (fi, sv, en): a time found in another could not be booked.
    let language = required(&mut v, "language", &p.language)
        .and_then(|l| v.check_as("language", codes::UNKNOWN_VALUE, l.parse::<Locale>()))
        .map(Language::from);
    let office = match &p.office_id {
        Some(o) if !o.is_empty() => v.check_as(
            "office_id",
            codes::INVALID_UUID,
            o.parse::<OfficeId>().map_err(|_| "must be an office id"),
        ),
        _ => None,
    };
    if channel == Some(Channel::Office) && office.is_none() && p.office_id.as_deref().unwrap_or("").is_empty()
    {
        v.add_code("office_id", codes::REQUIRED, "is required for office appointments");
    }
    // Dates are read in the offices' time zone; every office is in Finland.
    let range = super::range::resolve(
        &mut v,
        p.from.as_deref(),
        p.to.as_deref(),
        chrono_tz::Europe::Helsinki,
        14,
        now,
    );
    v.finish()?;
    match (topic, channel, language, range) {
        (Some(topic_id), Some(channel), Some(language), Some((from, to))) => {
            Ok(TimeQuery { topic_id, channel, office_id: office, advisor_id: None, language, from, to })
        }
        _ => Err(ApiError::Internal("query without errors or values".into())),
    }
}

/// Free times of a topic at which at least one matching advisor (office, channel, topic,
/// language) is free, one entry per time, with the office's booking rules applied.
#[utoipa::path(tag = "bookings",
    params(AvailabilityParams),
    responses(
        (status = 200, description = "Free times, sorted", body = Availability),
        (status = 422, description = "A missing or bad parameter, named", body = crate::error::Problem),
        (status = 429, description = "Too many look-ups from this address; see `Retry-After`", body = crate::error::Problem),
    ))]
#[get("/availability")]
pub async fn availability(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    params: crate::query::ValidQuery<AvailabilityParams>,
) -> Result<HttpResponse, ApiError> {
    state.limit(Counted::AvailabilityByAddress, &state.client_address(&req))?;
    let now = state.now();
    let mut query = time_query(&params, now)?;
    if query.channel == Channel::Phone {
        query.office_id = None;
    }
    let times = state.db(move |c| Ok(citizen_times(c, &query, now)?)).await?;
    Ok(HttpResponse::Ok().json(Availability { times }))
}

/// Free times as staff book them: the office's notice, horizon and hold-back do not
/// apply (staff may book inside them). `office_id` limits phone appointments to that
/// office's phone advisors; without it, office staff see their own office's, admins
/// every office's. Staff of one office ask only about it.
#[utoipa::path(tag = "staff", security(("bearer" = [])),
    params(AvailabilityParams),
    responses(
        (status = 200, description = "Free times, sorted", body = Availability),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Not serving staff of the office", body = crate::error::Problem),
        (status = 422, description = "A missing or bad parameter, named", body = crate::error::Problem),
    ))]
#[get("/staff/availability")]
pub async fn staff_availability(
    staff: Staff<ServiceStaff>,
    state: web::Data<AppState>,
    params: crate::query::ValidQuery<AvailabilityParams>,
) -> Result<HttpResponse, ApiError> {
    let now = state.now();
    let mut query = time_query(&params, now)?;
    match query.office_id {
        Some(office) => staff.require_office(office)?,
        None => query.office_id = staff.principal.office,
    }
    let times =
        state.db(move |c| Ok(free_times(&find_runs(c, &query, now, RulesApply::StaffOverride)?))).await?;
    Ok(HttpResponse::Ok().json(Availability { times }))
}
