//! Pilot statistics: rates, scores and their confidence intervals.
//!
//! The pilot dashboard compares a pilot group with a control group and shows each difference
//! with a 95 % confidence interval (DESIGN §5). Everything here is pure arithmetic on counts
//! and values the caller has already aggregated, so every formula can be checked against
//! published worked examples. Degenerate inputs (no observations, no spread where a method
//! needs one) give `None` rather than a number that only looks like an answer.

pub mod access;
pub mod did;
pub mod distribution;
pub mod mean;
pub mod nps;
pub mod proportion;
pub mod quantile;

use serde::Serialize;

pub use access::third_next_available;
pub use did::{mean_did, median_did, nps_did, rate_did, ContrastCi, Four};
pub use distribution::{normal_quantile, student_t_quantile};
pub use mean::{mean_difference, ScoreSummary};
pub use nps::{nps_difference, NpsCounts};
pub use proportion::{newcombe_difference, wilson, Proportion};
pub use quantile::{median, median_difference, percentile};

/// The standard normal quantile for a two-sided 95 % interval, z₀.₉₇₅.
pub const Z_95: f64 = 1.959963984540054;

/// Questionnaire figures (NPS, CSAT, CES, …) for a group with fewer responses than this are
/// withheld, not shown (DESIGN invariant 7): below it a single answer could be traced back to
/// a person, and the estimate is too unstable to mean anything anyway.
pub const MIN_RESPONSES: u64 = 5;

/// Whether questionnaire figures for a group of `responses` answers must be withheld.
pub fn is_withheld(responses: u64) -> bool {
    responses < MIN_RESPONSES
}

/// A closed interval `[low, high]`, e.g. a confidence interval for a single rate.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

impl Interval {
    pub fn contains(&self, x: f64) -> bool {
        self.low <= x && x <= self.high
    }
}

/// A pilot-versus-control comparison: the two group estimates, their difference `a − b` and a
/// 95 % confidence interval for that difference. `method` names the interval so the
/// dashboard and the CSV say how it was computed.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DifferenceCi {
    pub a: f64,
    pub b: f64,
    pub difference: f64,
    pub low: f64,
    pub high: f64,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub method: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_below_five_responses_are_withheld() {
        assert!(is_withheld(0));
        assert!(is_withheld(4));
        assert!(!is_withheld(5));
        assert!(!is_withheld(500));
    }

    #[test]
    fn z_95_is_the_normal_quantile() {
        let z = normal_quantile(0.975).unwrap();
        assert!((z - Z_95).abs() < 1e-15, "{z}");
    }
}
