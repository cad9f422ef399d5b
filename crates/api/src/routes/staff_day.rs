//! An advisor's day as staff see it: every slot, with the booking on it in full (audited).

use super::staff_bookings::{caller, StaffBooking};
use crate::auth::{require_office, ServiceStaff, Staff};
use crate::{ApiError, AppState};
use actix_web::get;
use actix_web::{web, HttpResponse};
use aukiolo_domain::slots::Slot;
use aukiolo_domain::{AdvisorId, BookingId};
use aukiolo_store::audit;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DayParams {
    /// The office-local day, `YYYY-MM-DD`; default today.
    pub(crate) date: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DaySlot {
    #[serde(flatten)]
    pub slot: Slot,
    pub booking: Option<StaffBooking>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Day {
    #[schema(value_type = String, format = Date)]
    pub date: NaiveDate,
    #[schema(value_type = uuid::Uuid)]
    pub advisor_id: AdvisorId,
    pub slots: Vec<DaySlot>,
}

/// An advisor's day: every slot, with the booking on it in full (audited).
#[utoipa::path(tag = "staff", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Advisor id"), DayParams),
    responses(
        (status = 200, description = "The day", body = Day),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Another office", body = crate::error::Problem),
        (status = 404, description = "No such advisor", body = crate::error::Problem),
        (status = 422, description = "A bad date", body = crate::error::Problem),
    ))]
#[get("/staff/advisors/{id}/day")]
pub async fn day(
    staff: Staff<ServiceStaff>,
    state: web::Data<AppState>,
    id: web::Path<AdvisorId>,
    params: crate::query::ValidQuery<DayParams>,
) -> Result<HttpResponse, ApiError> {
    let advisor = id.into_inner();
    let who = caller(&staff, &state);
    let date = params.into_inner().date;
    let day = state
        .db(move |c| {
            let date = match date {
                Some(raw) => {
                    let mut v = aukiolo_domain::Validation::new();
                    let parsed = super::range::parse_day(&mut v, "date", &raw);
                    v.finish()?;
                    Some(parsed.ok_or_else(|| ApiError::Internal("a day without errors or value".into()))?)
                }
                None => None,
            };
            let day = aukiolo_store::day::advisor_day(c, &who.keys, advisor, date, who.now)?;
            require_office(&who.principal, day.office.id)?;
            let shown: Vec<BookingId> = day.bookings.iter().map(|b| b.id).collect();
            audit::record(c, who.id, "read_day_view", &shown, who.now)?;
            let slots = day
                .slots
                .iter()
                .map(|slot| DaySlot {
                    slot: slot.clone(),
                    booking: day.booking_of(slot).map(|b| StaffBooking::new(b, false)),
                })
                .collect();
            Ok(Day { date: day.date, advisor_id: advisor, slots })
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header(crate::headers::NO_STORE).json(day))
}
