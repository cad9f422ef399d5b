//! What the audit log holds: who read or changed what, when, and for changes that are not
//! of a booking, each field's old and new value.

use crate::office_access::FieldChange;
use crate::{BookingId, MessageId, OfficeId, StaffUserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub staff_id: StaffUserId,
    /// e.g. `read_booking`, `read_day_view`, `create_booking`, `change_office_pilot`.
    pub action: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<uuid::Uuid>))]
    pub booking_id: Option<BookingId>,
    /// The office the entry concerns: its own, or its booking's.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<uuid::Uuid>))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub office_id: Option<OfficeId>,
    /// What changed, for changes that are not of a booking.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<Detail>,
}

/// What a change changed: each field's old and new value, and the account or message it
/// was made to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Detail {
    #[cfg_attr(feature = "openapi", schema(value_type = Option<uuid::Uuid>))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<StaffUserId>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<uuid::Uuid>))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<MessageId>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<FieldChange>,
}
