//! Bookings whose time the calendar no longer offers (absence, closure, holiday, changed
//! schedule): the one list, for every staff role in the office's scope. Those who serve
//! citizens also get each booking (personal identity code masked) and its ways out.

use super::staff_bookings::StaffBooking;
use crate::auth::{RoleSet, ServiceStaff, Staff};
use crate::{ApiError, AppState};
use actix_web::get;
use actix_web::{web, HttpResponse};
use aukiolo_domain::availability::FreeTime;
use aukiolo_domain::slots::ConflictBooking;
use aukiolo_domain::{BookingId, OfficeId};
use aukiolo_store::audit;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct Conflict {
    /// The booking in conflict: its times, why and since when.
    #[serde(flatten)]
    pub conflict: ConflictBooking,
    /// The booking itself; for advisors, office managers and admins.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub booking: Option<StaffBooking>,
    /// Another advisor is free at the same time: `move` without a start takes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub same_time_available: Option<bool>,
    /// The next free times otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alternatives: Option<Vec<FreeTime>>,
}

/// Bookings whose time the calendar no longer offers, one entry per booking however many
/// slots it holds, by start; each must be moved or cancelled by the office, and its
/// reminders are held until then. Advisors, managers and admins also get the booking and
/// its ways out: the same time with another advisor, or the next free times; their reading
/// is audited (`read_conflicts`), as on the conflicts page.
#[utoipa::path(tag = "staff", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Office id")),
    responses(
        (status = 200, description = "Conflicts, by time", body = Vec<Conflict>),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Another office", body = crate::error::Problem),
        (status = 404, description = "No such office", body = crate::error::Problem),
    ))]
#[get("/staff/offices/{id}/conflicts")]
pub async fn conflicts(
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<OfficeId>,
) -> Result<HttpResponse, ApiError> {
    let office = id.into_inner();
    staff.require_office(office)?;
    let serves_citizens = ServiceStaff::ROLES.contains(&staff.principal.role);
    let (me, keys, now) = (staff.id, state.personal.clone(), state.now());
    let list = state
        .db(move |c| {
            aukiolo_store::offices::get(c, office)?;
            if !serves_citizens {
                let found = aukiolo_store::slots::conflict_bookings(c, office, now)?;
                return Ok(found
                    .into_iter()
                    .map(|conflict| Conflict {
                        conflict,
                        booking: None,
                        same_time_available: None,
                        alternatives: None,
                    })
                    .collect::<Vec<_>>());
            }
            let found = aukiolo_store::conflicts::ways_out(c, &keys, office, now)?;
            let shown: Vec<BookingId> = found.iter().map(|w| w.booking.id).collect();
            audit::record(c, me, "read_conflicts", &shown, now)?;
            Ok(found
                .into_iter()
                .map(|w| Conflict {
                    booking: Some(StaffBooking::new(&w.booking, true)),
                    same_time_available: Some(w.same_time_available),
                    alternatives: Some(w.alternatives),
                    conflict: w.conflict,
                })
                .collect())
        })
        .await?;
    Ok(HttpResponse::Ok().json(list))
}
