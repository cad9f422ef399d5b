//! Who may change which of an office's fields. The pilot's fields (`pilot_group`,
//! `service_mode`, `pilot_start`) decide on which side of the pilot comparison the
//! office's visits fall, so only pilot leads and admins may move an office between pilot
//! and control; its manager keeps the office's other settings, and a pilot lead changes
//! nothing but the pilot's fields.

use crate::office::OfficeFields;
use crate::staff::Role;
use serde::{Deserialize, Serialize};

/// The fields that move an office between pilot and control.
pub const PILOT_FIELDS: [&str; 3] = ["pilot_group", "service_mode", "pilot_start"];

/// One field's old and new value, as the audit log keeps it (`None`: no value).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

impl FieldChange {
    pub fn new(field: &str, old: Option<String>, new: Option<String>) -> Self {
        FieldChange { field: field.to_owned(), old, new }
    }
}

/// The pilot's fields that differ between `before` and `after`, with both values.
pub fn pilot_changes(before: &OfficeFields, after: &OfficeFields) -> Vec<FieldChange> {
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string());
    let mut changes = Vec::new();
    if before.pilot_group != after.pilot_group {
        changes.push(FieldChange::new(
            "pilot_group",
            Some(before.pilot_group.clone()),
            Some(after.pilot_group.clone()),
        ));
    }
    if before.service_mode != after.service_mode {
        changes.push(FieldChange::new(
            "service_mode",
            Some(before.service_mode.as_str().to_owned()),
            Some(after.service_mode.as_str().to_owned()),
        ));
    }
    if before.pilot_start != after.pilot_start {
        changes.push(FieldChange::new("pilot_start", day(before.pilot_start), day(after.pilot_start)));
    }
    changes
}

/// The office's other fields that differ between `before` and `after`, by name.
fn other_changes(before: &OfficeFields, after: &OfficeFields) -> Vec<&'static str> {
    let differs = [
        ("name", before.name != after.name),
        ("address", before.address != after.address),
        ("time_zone", before.time_zone != after.time_zone),
        ("languages", before.languages != after.languages),
        ("phone", before.phone != after.phone),
        ("booking_rules", before.booking_rules != after.booking_rules),
    ];
    differs.into_iter().filter(|(_, d)| *d).map(|(name, _)| name).collect()
}

/// The fields `role` changed between `before` and `after` but may not change, by name;
/// empty when the change is allowed. Advisors may change nothing.
pub fn refused_fields(role: Role, before: &OfficeFields, after: &OfficeFields) -> Vec<String> {
    let pilot = || pilot_changes(before, after).into_iter().map(|c| c.field).collect::<Vec<_>>();
    let other = || other_changes(before, after).into_iter().map(str::to_owned).collect::<Vec<_>>();
    match role {
        Role::Admin => Vec::new(),
        Role::PilotLead => other(),
        Role::OfficeManager => pilot(),
        Role::Advisor => pilot().into_iter().chain(other()).collect(),
    }
}

/// Whether `role` may move an office between pilot and control.
pub fn may_change_pilot_fields(role: Role) -> bool {
    matches!(role, Role::PilotLead | Role::Admin)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::office::{Address, ServiceMode};
    use crate::LocalisedText;

    fn fields() -> OfficeFields {
        OfficeFields {
            name: LocalisedText { fi: "Oulu".into(), sv: "Uleåborg".into(), en: "Oulu".into() },
            address: Address {
                street: "Isokatu 1".into(),
                postal_code: "90100".into(),
                municipality: "Oulu".into(),
            },
            time_zone: "Europe/Helsinki".into(),
            service_mode: ServiceMode::AppointmentOnly,
            pilot_group: "pilot".into(),
            languages: vec!["fi".parse().unwrap()],
            phone: None,
            booking_rules: Default::default(),
            pilot_start: chrono::NaiveDate::from_ymd_opt(2026, 10, 5),
        }
    }

    #[test]
    fn moving_to_control_is_for_pilot_leads_and_admins() {
        let before = fields();
        let mut after = fields();
        after.pilot_group = "control".into();
        after.service_mode = ServiceMode::WalkInAndAppointment;
        after.pilot_start = None;
        assert_eq!(refused_fields(Role::OfficeManager, &before, &after), PILOT_FIELDS);
        assert!(refused_fields(Role::PilotLead, &before, &after).is_empty());
        assert!(refused_fields(Role::Admin, &before, &after).is_empty());
        assert_eq!(
            pilot_changes(&before, &after)[2],
            FieldChange::new("pilot_start", Some("2026-10-05".into()), None)
        );
    }

    #[test]
    fn a_pilot_lead_changes_only_the_pilot_fields_and_a_manager_the_rest() {
        let before = fields();
        let mut after = fields();
        after.phone = Some("020 123".into());
        after.booking_rules.horizon_weeks += 1;
        assert_eq!(refused_fields(Role::PilotLead, &before, &after), ["phone", "booking_rules"]);
        assert!(refused_fields(Role::OfficeManager, &before, &after).is_empty());
        assert_eq!(refused_fields(Role::Advisor, &before, &after), ["phone", "booking_rules"]);
        assert!(refused_fields(Role::OfficeManager, &before, &before).is_empty());
        assert!(pilot_changes(&before, &before).is_empty());
    }
}
