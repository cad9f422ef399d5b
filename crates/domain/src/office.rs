//! Offices: where citizens are served, and whether the office is in the pilot.

use crate::language::{validate_languages, Language, LocalisedText};
use crate::{OfficeId, Validation};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Whether an office serves only by appointment (the pilot) or also a walk-in queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ServiceMode {
    AppointmentOnly,
    WalkInAndAppointment,
}

impl ServiceMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceMode::AppointmentOnly => "appointment_only",
            ServiceMode::WalkInAndAppointment => "walk_in_and_appointment",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "appointment_only" => Some(ServiceMode::AppointmentOnly),
            "walk_in_and_appointment" => Some(ServiceMode::WalkInAndAppointment),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Address {
    pub street: String,
    pub postal_code: String,
    pub municipality: String,
}

/// The editable fields of an office, as sent by staff and as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfficeFields {
    pub name: LocalisedText,
    pub address: Address,
    /// IANA time zone; every time of the office is shown in it.
    #[serde(default = "default_time_zone")]
    #[cfg_attr(feature = "openapi", schema(example = "Europe/Helsinki"))]
    pub time_zone: String,
    pub service_mode: ServiceMode,
    /// The comparison group of the pilot, e.g. `pilot` or `control`.
    #[cfg_attr(feature = "openapi", schema(example = "pilot"))]
    pub pilot_group: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>, example = json!(["fi", "sv"])))]
    pub languages: Vec<Language>,
    #[serde(default)]
    pub phone: Option<String>,
    /// Horizon, notice, hold-back and change cut-off for citizens' bookings.
    #[serde(default)]
    pub booking_rules: crate::booking::BookingRules,
    /// The first office-local day of serving by appointment only, if the office has
    /// switched: the metrics compare its visits before this day with those from it on.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date, example = "2026-10-05"))]
    pub pilot_start: Option<NaiveDate>,
}

fn default_time_zone() -> String {
    "Europe/Helsinki".to_owned()
}

impl OfficeFields {
    pub fn validate(&self) -> Result<(), Vec<crate::FieldError>> {
        let mut v = Validation::new();
        self.name.validate(&mut v, "name", 200);
        v.text("address.street", &self.address.street, 200);
        v.require(
            self.address.postal_code.len() == 5
                && self.address.postal_code.bytes().all(|b| b.is_ascii_digit()),
            "address.postal_code",
            "must be five digits",
        );
        v.text("address.municipality", &self.address.municipality, 100);
        v.require(
            self.time_zone.parse::<chrono_tz::Tz>().is_ok(),
            "time_zone",
            "must be an IANA time zone such as Europe/Helsinki",
        );
        v.text("pilot_group", &self.pilot_group, 50);
        validate_languages(&mut v, "languages", &self.languages);
        if let Some(phone) = &self.phone {
            v.text("phone", phone, 40);
        }
        self.booking_rules.validate(&mut v, "booking_rules");
        if let Some(day) = self.pilot_start {
            v.year("pilot_start", day.year());
        }
        v.finish()
    }

    /// The office's time zone; `validate` has made sure it parses.
    pub fn tz(&self) -> chrono_tz::Tz {
        self.time_zone.parse().unwrap_or(chrono_tz::Europe::Helsinki)
    }

    /// An instant as the office's wall clock shows it.
    pub fn local(&self, t: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDateTime {
        t.with_timezone(&self.tz()).naive_local()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Office {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub id: OfficeId,
    #[serde(flatten)]
    pub fields: OfficeFields,
}
