//! The audit log, for admins: who read or changed what, and when.

use crate::auth::{Admins, Staff};
use crate::{ApiError, AppState};
use actix_web::get;
use actix_web::{web, HttpResponse};
use aukiolo_domain::{BookingId, OfficeId, StaffUserId};
use aukiolo_store::audit::{self, AuditEntry};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    pub booking_id: Option<uuid::Uuid>,
    /// The staff account that acted.
    pub staff_id: Option<uuid::Uuid>,
    /// e.g. `read_booking`, `change_office_pilot`.
    pub action: Option<String>,
    /// Entries of this office and of its bookings.
    pub office_id: Option<uuid::Uuid>,
    /// From this instant on.
    pub from: Option<chrono::DateTime<chrono::Utc>>,
    /// Before this instant.
    pub to: Option<chrono::DateTime<chrono::Utc>>,
    /// At most this many entries, newest first (default 200, at most 1000).
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Who read or changed citizens' personal data, moved an office between pilot and
/// control, changed a staff account or retried a message, newest first (admins).
#[utoipa::path(tag = "staff", security(("bearer" = [])),
    params(AuditParams),
    responses(
        (status = 200, description = "Entries", body = Vec<AuditEntry>),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Not an admin", body = crate::error::Problem),
    ))]
#[get("/admin/audit-log")]
pub async fn audit_log(
    _staff: Staff<Admins>,
    state: web::Data<AppState>,
    params: crate::query::ValidQuery<AuditParams>,
) -> Result<HttpResponse, ApiError> {
    let params = params.into_inner();
    let limit = params.limit.unwrap_or(200).clamp(1, 1000);
    let offset = params.offset.unwrap_or(0).max(0);
    let filter = audit::Filter {
        actor: params.staff_id.map(StaffUserId),
        action: params.action.filter(|a| !a.is_empty()),
        office: params.office_id.map(OfficeId),
        booking: params.booking_id.map(BookingId),
        from: params.from,
        until: params.to,
    };
    let list = state.db(move |c| Ok(audit::search(c, &filter, limit, offset)?)).await?;
    Ok(HttpResponse::Ok().json(list))
}
