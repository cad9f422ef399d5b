//! Staff roles and office scopes: who may see and change what.

use crate::OfficeId;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Advisor,
    OfficeManager,
    PilotLead,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Advisor, Role::OfficeManager, Role::PilotLead, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Advisor => "advisor",
            Role::OfficeManager => "office_manager",
            Role::PilotLead => "pilot_lead",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Advisors and office managers work for one office; pilot leads and admins see all.
    pub fn needs_office(self) -> bool {
        matches!(self, Role::Advisor | Role::OfficeManager)
    }
}

/// A signed-in staff member as far as access decisions go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Principal {
    pub role: Role,
    /// The office an advisor or manager belongs to; `None` for network-wide roles.
    pub office: Option<OfficeId>,
}

impl Principal {
    /// Whether this person may act on `office`'s data at all (admins and pilot leads
    /// everywhere, others only in their own office).
    pub fn covers(&self, office: OfficeId) -> bool {
        match self.role {
            Role::Admin | Role::PilotLead => true,
            Role::Advisor | Role::OfficeManager => self.office == Some(office),
        }
    }
}
