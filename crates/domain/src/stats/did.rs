//! Difference in differences: the pilot's change minus the control group's change over the
//! same switch, (pilot after − pilot before) − (control after − control before), with a 95 %
//! interval.
//!
//! Pilot against control alone mixes the effect with whatever already differed between the
//! offices; before against after alone mixes it with whatever changed for everyone (the
//! season, a new benefit). The control group's own change stands in for the latter, so the
//! difference of the two changes is the estimate an evaluator reports. The four groups are
//! independent samples, so each interval extends its two-group method of [`super`] to four
//! groups with the contrast +1, −1, −1, +1:
//!
//! - rates: MOVER with Wilson intervals (Zou & Donner 2008, "Construction of confidence
//!   limits about effect measures: a general approach", Statistics in Medicine 27:1693–1702),
//!   of which Newcombe's hybrid score interval is the two-group case;
//! - means: Welch's t with Satterthwaite's degrees of freedom over four variances;
//! - medians: Bonett & Price standard errors, d ± z·√ΣSE²;
//! - NPS: the Wald trinomial standard errors, d ± z·√ΣSE².

use super::quantile::median_with_standard_error;
use super::{student_t_quantile, NpsCounts, Proportion, ScoreSummary, Z_95};
use serde::Serialize;

/// The four groups of one estimate, in the order of the contrast's terms.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Four<T> {
    pub pilot_after: T,
    pub pilot_before: T,
    pub control_after: T,
    pub control_before: T,
}

impl<T> Four<T> {
    /// Each group with its sign in the contrast.
    fn signed(&self) -> [(f64, &T); 4] {
        [
            (1.0, &self.pilot_after),
            (-1.0, &self.pilot_before),
            (-1.0, &self.control_after),
            (1.0, &self.control_before),
        ]
    }

    pub fn map<U>(&self, f: impl Fn(&T) -> U) -> Four<U> {
        Four {
            pilot_after: f(&self.pilot_after),
            pilot_before: f(&self.pilot_before),
            control_after: f(&self.control_after),
            control_before: f(&self.control_before),
        }
    }

    pub fn try_map<U>(&self, f: impl Fn(&T) -> Option<U>) -> Option<Four<U>> {
        Some(Four {
            pilot_after: f(&self.pilot_after)?,
            pilot_before: f(&self.pilot_before)?,
            control_after: f(&self.control_after)?,
            control_before: f(&self.control_before)?,
        })
    }
}

/// The estimate and its 95 % interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContrastCi {
    pub estimate: f64,
    pub low: f64,
    pub high: f64,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub method: &'static str,
}

fn contrast(values: &Four<f64>) -> f64 {
    values.signed().iter().map(|(sign, v)| sign * **v).sum()
}

/// Rates, in proportion units. `None` when a group has no trials.
///
/// With Wilson bounds [lᵢ, uᵢ] around pᵢ and signs cᵢ, MOVER gives
/// low = d − √Σ(cᵢpᵢ − min(cᵢlᵢ, cᵢuᵢ))², high = d + √Σ(max(cᵢlᵢ, cᵢuᵢ) − cᵢpᵢ)²,
/// clamped to the possible range [−2, 2].
pub fn rate_did(groups: &Four<Proportion>) -> Option<ContrastCi> {
    let rates = groups.try_map(Proportion::rate)?;
    let bounds = groups.try_map(Proportion::wilson_95)?;
    let estimate = contrast(&rates);
    let (mut below, mut above) = (0.0, 0.0);
    for ((sign, p), (_, bound)) in rates.signed().into_iter().zip(bounds.signed()) {
        let (at_low, at_high) = (sign * bound.low, sign * bound.high);
        below += (sign * p - at_low.min(at_high)).powi(2);
        above += (at_low.max(at_high) - sign * p).powi(2);
    }
    Some(ContrastCi {
        estimate,
        low: (estimate - below.sqrt()).max(-2.0),
        high: (estimate + above.sqrt()).min(2.0),
        method: "mover_wilson",
    })
}

/// Means of scores. `None` when a group has fewer than two answers or no group has spread.
///
/// d ± t₀.₉₇₅(ν)·SE, SE² = Σ sᵢ²/nᵢ, ν = SE⁴ / Σ((sᵢ²/nᵢ)²/(nᵢ − 1)).
pub fn mean_did(groups: &Four<ScoreSummary>) -> Option<ContrastCi> {
    let shares = groups.try_map(|s| Some(s.variance()? / s.n() as f64))?;
    let se2: f64 = shares.signed().iter().map(|(_, v)| **v).sum();
    if se2 <= 0.0 {
        return None;
    }
    let spread: f64 = shares
        .signed()
        .iter()
        .zip(groups.signed())
        .map(|((_, v), (_, g))| **v * **v / (g.n() - 1) as f64)
        .sum();
    let t = student_t_quantile(0.975, se2 * se2 / spread)?;
    let estimate = contrast(&groups.try_map(|s| Some(s.mean()))?);
    let half_width = t * se2.sqrt();
    Some(ContrastCi { estimate, low: estimate - half_width, high: estimate + half_width, method: "welch_t" })
}

/// Medians of durations. `None` when a group has fewer than two values.
pub fn median_did(groups: &Four<&[f64]>) -> Option<ContrastCi> {
    let medians = groups.try_map(|v| median_with_standard_error(v))?;
    let estimate = contrast(&medians.try_map(|(m, _)| Some(*m))?);
    let se2: f64 = medians.signed().iter().map(|(_, (_, se))| se * se).sum();
    let half_width = Z_95 * se2.sqrt();
    Some(ContrastCi {
        estimate,
        low: estimate - half_width,
        high: estimate + half_width,
        method: "bonett_price",
    })
}

/// NPS, in points. `None` when a group has no answers.
pub fn nps_did(groups: &Four<NpsCounts>) -> Option<ContrastCi> {
    let estimate = contrast(&groups.try_map(NpsCounts::nps)?);
    let se = groups.try_map(NpsCounts::standard_error)?;
    let se2: f64 = se.signed().iter().map(|(_, s)| **s * **s).sum();
    let half_width = Z_95 * se2.sqrt();
    Some(ContrastCi {
        estimate,
        low: (estimate - half_width).max(-400.0),
        high: (estimate + half_width).min(400.0),
        method: "wald_trinomial",
    })
}

#[cfg(test)]
mod tests {
    use super::super::{mean_difference, median_difference, newcombe_difference, nps_difference};
    use super::*;
    use proptest::prelude::*;

    fn close(got: f64, want: f64) {
        assert!((got - want).abs() < 1e-9, "got {got}, want {want}");
    }

    fn four<T: Copy>(values: [T; 4]) -> Four<T> {
        Four {
            pilot_after: values[0],
            pilot_before: values[1],
            control_after: values[2],
            control_before: values[3],
        }
    }

    /// Pilot 30/100 → 20/100, control 25/100 → 25/100: the pilot fell by 10 points, the
    /// control did not move, so the estimate is −0.10. By hand, with the Wilson bounds of
    /// 20/100 [0.133367, 0.288829], 30/100 [0.218949, 0.395849] and 25/100
    /// [0.175452, 0.343045]:
    /// below = √(0.066633² + 0.095849² + 0.093045² + 0.074548²) = 0.166858,
    /// above = √(0.088829² + 0.081051² + 0.074548² + 0.093045²) = 0.169336,
    /// so the interval is [−0.266858, 0.069336].
    #[test]
    fn rates_by_hand() {
        let p = |x| Proportion::new(x, 100);
        let ci = rate_did(&four([p(20), p(30), p(25), p(25)])).unwrap();
        close(ci.estimate, -0.10);
        let w = |x: u64| Proportion::new(x, 100).wilson_95().unwrap();
        let (w20, w30, w25) = (w(20), w(30), w(25));
        assert!((w20.low - 0.133367).abs() < 1e-6 && (w30.high - 0.395849).abs() < 1e-6);
        let below = ((0.20 - w20.low).powi(2)
            + (w30.high - 0.30).powi(2)
            + (w25.high - 0.25).powi(2)
            + (0.25 - w25.low).powi(2))
        .sqrt();
        let above = ((w20.high - 0.20).powi(2)
            + (0.30 - w30.low).powi(2)
            + (0.25 - w25.low).powi(2)
            + (w25.high - 0.25).powi(2))
        .sqrt();
        assert!((below - 0.166858).abs() < 1e-6 && (above - 0.169336).abs() < 1e-6, "{below} {above}");
        close(ci.low, -0.10 - below);
        close(ci.high, -0.10 + above);
        assert!((ci.low + 0.266858).abs() < 1e-6 && (ci.high - 0.069336).abs() < 1e-6);
        assert_eq!(ci.method, "mover_wilson");
    }

    /// A control group without change or spread: the estimate is the pilot's change and the
    /// interval Welch's over the pilot's two groups, widened by nothing.
    #[test]
    fn means_by_hand() {
        let s = |v: &[f64]| ScoreSummary::from_values(v).unwrap();
        // Means 4 and 3, variances 2.5 each (1..5 shifted); control constant 3 and 3.
        let groups =
            four([s(&[2.0, 3.0, 4.0, 5.0, 6.0]), s(&[1.0, 2.0, 3.0, 4.0, 5.0]), s(&[3.0; 5]), s(&[3.0; 5])]);
        let ci = mean_did(&groups).unwrap();
        close(ci.estimate, 1.0);
        // SE² = 0.5 + 0.5 = 1, ν = 1 / (2 · 0.25/4) = 8, t₀.₉₇₅(8) = 2.306004.
        let t = student_t_quantile(0.975, 8.0).unwrap();
        assert!((t - 2.306004).abs() < 1e-6);
        close(ci.low, 1.0 - t);
        close(ci.high, 1.0 + t);
        // The same as Welch's two-group interval, which sees the same two variances.
        let welch = mean_difference(&groups.pilot_after, &groups.pilot_before).unwrap();
        close(ci.low, welch.low);
    }

    /// Four equal NPS groups of 10 promoters, 5 passives and 5 detractors (NPS 25, variance
    /// of the share (0.75 − 0.0625)/20 = 0.034375): estimate 0, half-width
    /// z·100·√(4 · 0.034375) = 72.6774.
    #[test]
    fn nps_by_hand() {
        let mut counts = [0u64; 11];
        counts[10] = 10;
        counts[8] = 5;
        counts[0] = 5;
        let g = NpsCounts { counts };
        let ci = nps_did(&four([g; 4])).unwrap();
        close(ci.estimate, 0.0);
        close(ci.high, Z_95 * 100.0 * (4.0f64 * 0.034375).sqrt());
        assert!((ci.high - 72.677_410).abs() < 1e-6);
        close(ci.low, -ci.high);
    }

    /// Medians 12, 10, 7, 6 (1..=2m−1 centred): estimate (12 − 10) − (7 − 6) = 1, and the
    /// half-width combines the four standard errors the two-group intervals use.
    #[test]
    fn medians_by_hand() {
        let around = |m: f64| -> Vec<f64> { (-4..=4).map(|i| m + f64::from(i)).collect() };
        let (a1, a0, b1, b0) = (around(12.0), around(10.0), around(7.0), around(6.0));
        let ci = median_did(&four([&a1[..], &a0[..], &b1[..], &b0[..]])).unwrap();
        close(ci.estimate, 1.0);
        let pilot = median_difference(&a1, &a0).unwrap();
        let control = median_difference(&b1, &b0).unwrap();
        // Each two-group half-width is z·√(2SE²) and all four SEs are equal here, so the
        // four-group one is √2 times either.
        close(ci.high - ci.estimate, (pilot.high - pilot.difference) * 2f64.sqrt());
        close(control.high - control.difference, pilot.high - pilot.difference);
    }

    #[test]
    fn a_group_without_data_gives_no_estimate() {
        let p = |x, n| Proportion::new(x, n);
        assert_eq!(rate_did(&four([p(1, 2), p(1, 2), p(1, 2), p(0, 0)])), None);
        let one = [5.0];
        let two = [5.0, 6.0];
        assert_eq!(median_did(&four([&two[..], &two[..], &two[..], &one[..]])), None);
        assert_eq!(nps_did(&four([NpsCounts::default(); 4])), None);
        let s = ScoreSummary::from_values(&[3.0, 3.0]).unwrap();
        assert_eq!(mean_did(&four([s; 4])), None, "no spread anywhere");
    }

    proptest! {
        /// With a control group that has exactly the pilot's "before" data on both sides,
        /// the estimate is the pilot's change, and the interval is at least as wide as the
        /// two-group interval of that change.
        #[test]
        fn rates_contain_the_estimate_and_widen_the_change(
            a1 in 0u64..40, a0 in 0u64..40, b in 0u64..40, n in 40u64..80
        ) {
            let p = |x| Proportion::new(x, n);
            let ci = rate_did(&four([p(a1), p(a0), p(b), p(b)])).unwrap();
            prop_assert!(ci.low <= ci.estimate && ci.estimate <= ci.high);
            let change = newcombe_difference(p(a1), p(a0)).unwrap();
            prop_assert!((ci.estimate - change.difference).abs() < 1e-12);
            prop_assert!(ci.low <= change.low + 1e-12 && ci.high >= change.high - 1e-12);
        }

        #[test]
        fn nps_contains_the_estimate(
            a in prop::array::uniform11(0u64..5), b in prop::array::uniform11(0u64..5)
        ) {
            let (a, b) = (NpsCounts { counts: a }, NpsCounts { counts: b });
            prop_assume!(a.n() > 0 && b.n() > 0);
            let ci = nps_did(&four([a, b, b, a])).unwrap();
            prop_assert!(ci.low <= ci.estimate + 1e-9 && ci.estimate <= ci.high + 1e-9);
            let two = nps_difference(&a, &b).unwrap();
            prop_assert!((ci.estimate - 2.0 * two.difference).abs() < 1e-9);
        }
    }
}
