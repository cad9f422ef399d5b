//! The pilot lead's pages under `/{lang}/pilot`: the dashboard (each measure pilot against
//! control, and before against after the pilot start with the difference in differences)
//! a measure week by week, and the instruments (questionnaire, assessments, walk-ins). Office managers see their own office's figures, pilot leads
//! and admins the whole network, as in the metrics API; advisors none.
//!
//! Every figure comes from `aukiolo_domain::metrics` over the facts the store reads, the
//! same functions the JSON API answers with, so page and API agree to the digit shown.

pub mod chart;
pub mod csv;
pub mod dashboard;
pub mod instruments;
pub mod measure;
pub mod period;

use crate::catalogue::{PilotText as P, Tr};
use crate::error::Problem;
use crate::staff::Signed;
use actix_web::web;
use aukiolo_domain::staff::Role;
use aukiolo_domain::{Locale, OfficeId};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/pilot", crate::pages::get().to(dashboard::page))
        .route("/pilot/table.csv", crate::pages::get().to(csv::dashboard))
        .route("/pilot/measures/{key}/table.csv", crate::pages::get().to(csv::measure))
        .route("/pilot/measures/{key}", crate::pages::get().to(measure::page))
        .route("/pilot/questionnaire", crate::pages::get().to(instruments::questionnaire))
        .route("/pilot/assessments", crate::pages::get().to(instruments::assessments))
        .route("/pilot/walk-ins", crate::pages::get().to(instruments::walk_ins));
}

/// The offices the signer's figures cover: all (`None`) or a manager's own; 403 for others.
pub fn scope(signed: &Signed) -> Result<Option<OfficeId>, Problem> {
    let user = &signed.session.user;
    match user.role {
        Role::PilotLead | Role::Admin => Ok(None),
        Role::OfficeManager => user.office_id.map(Some).ok_or(Problem::Forbidden),
        Role::Advisor => Err(Problem::Forbidden),
    }
}

/// The frame of a pilot page, its title marked when the period form has errors.
pub fn chrome(signed: &Signed, heading: &str, errors: &crate::forms::Errors) -> crate::chrome::Chrome {
    super::staff::form_chrome(signed, heading, "/pilot", errors)
}

/// The dashboard's path in `lang`.
pub fn dashboard_path(lang: Locale) -> String {
    format!("/{}/pilot", lang.as_str())
}

/// How the values of one unit are written: a share as a percentage, the rest as they are,
/// each with the decimals that its size deserves.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Unit {
    pub key: &'static str,
    scale: f64,
    decimals: usize,
}

/// The units in the order the dashboard shows them.
pub const UNITS: [Unit; 5] = [
    Unit { key: "share", scale: 100.0, decimals: 1 },
    Unit { key: "points", scale: 1.0, decimals: 1 },
    Unit { key: "score", scale: 1.0, decimals: 2 },
    Unit { key: "minutes", scale: 1.0, decimals: 1 },
    Unit { key: "hours", scale: 1.0, decimals: 1 },
];

impl Unit {
    pub fn of(key: &str) -> Unit {
        UNITS.into_iter().find(|u| u.key == key).unwrap_or(UNITS[1])
    }

    pub fn heading(self, t: Tr) -> &'static str {
        t.p(match self.key {
            "share" => P::UnitShare,
            "points" => P::UnitPoints,
            "score" => P::UnitScore,
            "minutes" => P::UnitMinutes,
            _ => P::UnitHours,
        })
    }

    /// A value on the page's scale (a share in per cent).
    pub fn scaled(self, x: f64) -> f64 {
        x * self.scale
    }

    pub fn value(self, lang: Locale, x: Option<f64>) -> String {
        x.map(|x| crate::numbers::decimal(lang, self.scaled(x), self.decimals)).unwrap_or_else(|| "–".into())
    }

    pub fn difference(self, lang: Locale, x: Option<f64>) -> String {
        x.map(|x| crate::numbers::signed(lang, self.scaled(x), self.decimals)).unwrap_or_else(|| "–".into())
    }

    /// "[low; high]"; a dash without an interval.
    pub fn interval(self, lang: Locale, low: Option<f64>, high: Option<f64>) -> String {
        match (low, high) {
            (Some(l), Some(h)) => {
                format!("{} … {}", self.difference(lang, Some(l)), self.difference(lang, Some(h)))
            }
            _ => "–".into(),
        }
    }

    /// An axis label on the page's scale, already scaled.
    pub fn tick(self, lang: Locale, x: f64) -> String {
        crate::numbers::decimal(lang, x, self.decimals.min(1))
    }
}

/// The measure's name in `t`, or its key when the catalogue lacks it.
pub fn measure_name(t: Tr, key: &str) -> String {
    crate::catalogue::pilot::measure_name(key).map(|p| t.p(p).to_owned()).unwrap_or_else(|| key.to_owned())
}
