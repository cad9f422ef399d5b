//! Operators' view of the outbox: what is waiting, what failed and why, and a retry for
//! messages that died (admins). Recipients are shown masked and link secrets never.

use crate::auth::{Admins, Staff};
use crate::{ApiError, AppState};
use actix_web::{get, post};
use actix_web::{web, HttpResponse};
use aukiolo_domain::contact::mask_email;
use aukiolo_domain::outbox::{MessageKind, MessageStatus};
use aukiolo_domain::{BookingId, Locale, MessageId};
use aukiolo_store::outbox::{self, Message, OutboxCounts};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list).service(retry).service(status);
}

/// A message as operators see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxEntry {
    #[schema(value_type = uuid::Uuid)]
    pub id: MessageId,
    pub kind: MessageKind,
    #[schema(value_type = Option<uuid::Uuid>)]
    pub booking_id: Option<BookingId>,
    /// Masked, e.g. `m***@example.fi`.
    pub recipient: String,
    pub locale: Locale,
    pub status: MessageStatus,
    pub due_at: DateTime<Utc>,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

impl From<Message> for OutboxEntry {
    fn from(m: Message) -> Self {
        OutboxEntry {
            id: m.id,
            kind: m.kind,
            booking_id: m.booking_id,
            recipient: mask_email(&m.recipient),
            locale: m.locale,
            status: m.status,
            due_at: m.due_at,
            attempts: m.attempts,
            last_error: m.last_error.map(|e| e.replace(&m.recipient, &mask_email(&m.recipient))),
            created_at: m.created_at,
            sent_at: m.sent_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxParams {
    /// pending, failed, sent, dead or void; all if absent.
    pub status: Option<String>,
    /// At most this many, newest first (default 100, at most 1000).
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Messages, newest first (admins).
#[utoipa::path(tag = "operations", security(("bearer" = [])),
    params(OutboxParams),
    responses(
        (status = 200, description = "Messages", body = Vec<OutboxEntry>),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Not an admin", body = crate::error::Problem),
        (status = 422, description = "Unknown status", body = crate::error::Problem),
    ))]
#[get("/admin/outbox")]
pub async fn list(
    _staff: Staff<Admins>,
    state: web::Data<AppState>,
    params: crate::query::ValidQuery<OutboxParams>,
) -> Result<HttpResponse, ApiError> {
    let params = params.into_inner();
    let wanted = match params.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(MessageStatus::parse(s).ok_or_else(|| {
            aukiolo_store::StoreError::field("status", "must be pending, failed, sent, dead or void")
        })?),
    };
    let limit = params.limit.unwrap_or(100).clamp(1, 1000);
    let offset = params.offset.unwrap_or(0).max(0);
    let list = state.db(move |c| Ok(outbox::list(c, wanted, limit, offset)?)).await?;
    Ok(HttpResponse::Ok().json(list.into_iter().map(OutboxEntry::from).collect::<Vec<_>>()))
}

/// Sends a failed or dead message again now, with a fresh retry budget (admins); audited
/// as `retry_message`.
#[utoipa::path(tag = "operations", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Message id")),
    responses(
        (status = 200, description = "Due again now", body = OutboxEntry),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Not an admin", body = crate::error::Problem),
        (status = 404, description = "No such message", body = crate::error::Problem),
        (status = 409, description = "Not failed or dead", body = crate::error::Problem),
    ))]
#[post("/admin/outbox/{id}/retry")]
pub async fn retry(
    staff: Staff<Admins>,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = MessageId(id.into_inner());
    let now = state.now();
    let by = staff.id;
    let message = state.db(move |c| Ok(aukiolo_store::admin::retry_message(c, by, id, now)?)).await?;
    Ok(HttpResponse::Ok().json(OutboxEntry::from(message)))
}

/// What operators watch.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceStatus {
    /// Messages by status, and the due time of the oldest one still waiting.
    pub outbox: OutboxCounts,
}

/// Outbox counts by status (admins).
#[utoipa::path(tag = "operations", security(("bearer" = [])),
    responses(
        (status = 200, description = "Counts", body = ServiceStatus),
        (status = 401, description = "Not signed in", body = crate::error::Problem),
        (status = 403, description = "Not an admin", body = crate::error::Problem),
    ))]
#[get("/admin/status")]
pub async fn status(_staff: Staff<Admins>, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let now = state.now();
    let outbox = state.db(move |c| Ok(outbox::counts(c, now)?)).await?;
    Ok(HttpResponse::Ok().json(ServiceStatus { outbox }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn recipients_are_masked() {
        assert_eq!(super::mask_email("maija.meikalainen@example.fi"), "m***@example.fi");
        assert_eq!(super::mask_email("nonsense"), "***");
    }
}
