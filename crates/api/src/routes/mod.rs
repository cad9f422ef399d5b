//! Handlers, one module per resource.

pub mod absences;
pub mod advisors;
pub mod audit_log;
pub mod availability;
pub mod bookings;
pub mod closures;
pub mod conflicts;
pub mod health;
pub mod metrics;
pub mod offices;
pub mod outbox;
pub mod questionnaires;
mod range;
pub mod schedule_rules;
mod scoped;
pub mod slots;
pub mod staff_bookings;
pub mod staff_day;
pub mod topics;
pub mod users;
pub mod visits;

use crate::ApiError;
use aukiolo_domain::{AdvisorId, OfficeId};
use aukiolo_store::{DbConnection, StoreError};

/// The office of an advisor named in a request body; an unknown one is a bad field.
pub(crate) fn office_of_advisor_field(
    conn: &mut DbConnection,
    advisor: AdvisorId,
) -> Result<OfficeId, ApiError> {
    match aukiolo_store::advisors::get(conn, advisor) {
        Ok(a) => Ok(a.fields.office_id),
        Err(StoreError::NotFound(_)) => Err(StoreError::field("advisor_id", "no such advisor").into()),
        Err(e) => Err(e.into()),
    }
}
