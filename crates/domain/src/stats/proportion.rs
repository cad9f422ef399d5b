//! Rates — self-service share, no-show, late cancellation, first-contact resolution, top-box
//! satisfaction — and their intervals.
//!
//! A rate gets the Wilson score interval and a difference of two rates Newcombe's hybrid
//! score interval, because the simple Wald interval p ± z·√(p(1−p)/n) collapses to zero width
//! at 0 % and 100 % and leaves [0, 1] for small groups, both common in a pilot office.

use super::{DifferenceCi, Interval, Z_95};
use serde::Serialize;

/// `successes` out of `trials`, e.g. no-shows out of bookings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Proportion {
    pub successes: u64,
    pub trials: u64,
}

impl Proportion {
    pub fn new(successes: u64, trials: u64) -> Self {
        Proportion { successes, trials }
    }

    /// `None` when there are no trials or more successes than trials.
    pub fn rate(&self) -> Option<f64> {
        (self.trials > 0 && self.successes <= self.trials).then(|| self.successes as f64 / self.trials as f64)
    }

    /// The 95 % Wilson score interval for the rate.
    pub fn wilson_95(&self) -> Option<Interval> {
        wilson(self.successes, self.trials, Z_95)
    }
}

/// The Wilson score interval (Wilson 1927; method 3 of Newcombe 1998, Statistics in Medicine
/// 17:857–872) for `successes / trials`, at the two-sided level given by `z` (use
/// [`Z_95`]). It always lies within [0, 1] and is never of zero width.
///
/// `None` when `trials` is 0, `successes > trials`, or `z` is not a positive number.
pub fn wilson(successes: u64, trials: u64, z: f64) -> Option<Interval> {
    if trials == 0 || successes > trials || !(z > 0.0 && z.is_finite()) {
        return None;
    }
    let n = trials as f64;
    let p = successes as f64 / n;
    let z2 = z * z;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half_width = z / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // At 0 and n successes the near bound is exactly 0 or 1; rounding would miss it by an ulp.
    let low = if successes == 0 { 0.0 } else { (centre - half_width).max(0.0) };
    let high = if successes == trials { 1.0 } else { (centre + half_width).min(1.0) };
    Some(Interval { low, high })
}

/// Newcombe's hybrid score interval (method 10 of Newcombe 1998, "Interval estimation for the
/// difference between independent proportions: comparison of eleven methods", Statistics in
/// Medicine 17:873–890) for the difference of two independent rates `a − b`, at 95 %.
///
/// With Wilson intervals [l₁, u₁] for a and [l₂, u₂] for b and d = p₁ − p₂:
/// low = d − √((p₁ − l₁)² + (u₂ − p₂)²), high = d + √((u₁ − p₁)² + (p₂ − l₂)²).
/// It needs no iteration, stays within [−1, 1] and covers well even for small groups.
/// The difference is in proportion units (0.05 = 5 percentage points).
///
/// `None` when either group has no trials (or more successes than trials).
pub fn newcombe_difference(a: Proportion, b: Proportion) -> Option<DifferenceCi> {
    let (p1, p2) = (a.rate()?, b.rate()?);
    let (w1, w2) = (a.wilson_95()?, b.wilson_95()?);
    let difference = p1 - p2;
    let below = ((p1 - w1.low).powi(2) + (w2.high - p2).powi(2)).sqrt();
    let above = ((w1.high - p1).powi(2) + (p2 - w2.low).powi(2)).sqrt();
    Some(DifferenceCi {
        a: p1,
        b: p2,
        difference,
        low: (difference - below).max(-1.0),
        high: (difference + above).min(1.0),
        method: "newcombe_hybrid_score",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn close4(got: f64, want: f64) {
        assert!((got - want).abs() < 5e-5, "got {got}, want {want} (to 4 decimals)");
    }

    #[test]
    fn rate() {
        assert_eq!(Proportion::new(3, 12).rate(), Some(0.25));
        assert_eq!(Proportion::new(0, 0).rate(), None);
        assert_eq!(Proportion::new(5, 4).rate(), None);
    }

    /// Newcombe (1998), "Two-sided confidence intervals for the single proportion: comparison
    /// of seven methods", Statistics in Medicine 17:857–872, Table I, method 3 (score interval
    /// without continuity correction). All four published examples reproduce to 4 decimals.
    #[test]
    fn wilson_matches_newcombe_1998_table_i() {
        for (x, n, low, high) in [
            (81, 263, 0.2553, 0.3662),
            (15, 148, 0.0624, 0.1605),
            (0, 20, 0.0, 0.1611),
            (1, 29, 0.0061, 0.1718),
        ] {
            let i = wilson(x, n, Z_95).unwrap();
            close4(i.low, low);
            close4(i.high, high);
        }
    }

    /// At 0/n and n/n the closed form is exact: the far bound is (z²/n)/(1 + z²/n).
    #[test]
    fn wilson_at_the_edges() {
        let i = wilson(0, 10, Z_95).unwrap();
        assert_eq!(i.low, 0.0);
        let z2n = Z_95 * Z_95 / 10.0;
        assert!((i.high - z2n / (1.0 + z2n)).abs() < 1e-15);
        let i = wilson(10, 10, Z_95).unwrap();
        assert_eq!(i.high, 1.0);
        assert!((i.low - 1.0 / (1.0 + z2n)).abs() < 1e-15);
    }

    #[test]
    fn wilson_rejects_degenerate_input() {
        assert_eq!(wilson(0, 0, Z_95), None);
        assert_eq!(wilson(6, 5, Z_95), None);
        assert_eq!(wilson(1, 5, 0.0), None);
        assert_eq!(wilson(1, 5, f64::NAN), None);
    }

    /// Newcombe (1998), "Interval estimation for the difference between independent
    /// proportions: comparison of eleven methods", Statistics in Medicine 17:873–890,
    /// Table II, method 10 (hybrid score, no continuity correction), examples (a)–(h). All
    /// eight published intervals reproduce to 4 decimals.
    #[test]
    fn newcombe_matches_newcombe_1998_table_ii() {
        for ((x1, n1), (x2, n2), difference, low, high) in [
            ((56, 70), (48, 80), 0.2000, 0.0524, 0.3339),
            ((9, 10), (3, 10), 0.6000, 0.1705, 0.8090),
            ((6, 7), (2, 7), 0.5714, 0.0582, 0.8062),
            ((5, 56), (0, 29), 0.0893, -0.0381, 0.1926),
            ((0, 10), (0, 20), 0.0, -0.1611, 0.2775),
            ((0, 10), (0, 10), 0.0, -0.2775, 0.2775),
            ((10, 10), (0, 20), 1.0, 0.6791, 1.0),
            ((10, 10), (0, 10), 1.0, 0.6075, 1.0),
        ] {
            let ci = newcombe_difference(Proportion::new(x1, n1), Proportion::new(x2, n2)).unwrap();
            close4(ci.difference, difference);
            close4(ci.low, low);
            close4(ci.high, high);
            assert_eq!(ci.method, "newcombe_hybrid_score");
        }
    }

    #[test]
    fn newcombe_needs_both_groups() {
        assert_eq!(newcombe_difference(Proportion::new(0, 0), Proportion::new(1, 2)), None);
        assert_eq!(newcombe_difference(Proportion::new(1, 2), Proportion::new(0, 0)), None);
    }

    fn proportion() -> impl Strategy<Value = Proportion> {
        (1u64..5_000).prop_flat_map(|n| (0..=n, Just(n))).prop_map(|(x, n)| Proportion::new(x, n))
    }

    proptest! {
        #[test]
        fn wilson_lies_in_unit_interval_and_contains_the_rate(p in proportion()) {
            let i = p.wilson_95().unwrap();
            let rate = p.rate().unwrap();
            prop_assert!(0.0 <= i.low && i.low <= rate && rate <= i.high && i.high <= 1.0);
            prop_assert!(i.low < i.high);
        }

        #[test]
        fn newcombe_lies_in_bounds_and_contains_the_difference(a in proportion(), b in proportion()) {
            let ci = newcombe_difference(a, b).unwrap();
            prop_assert!(-1.0 <= ci.low && ci.low <= ci.difference);
            prop_assert!(ci.difference <= ci.high && ci.high <= 1.0);
        }

        #[test]
        fn newcombe_swapping_groups_mirrors_the_interval(a in proportion(), b in proportion()) {
            let ab = newcombe_difference(a, b).unwrap();
            let ba = newcombe_difference(b, a).unwrap();
            prop_assert!((ab.difference + ba.difference).abs() < 1e-12);
            prop_assert!((ab.low + ba.high).abs() < 1e-12);
            prop_assert!((ab.high + ba.low).abs() < 1e-12);
        }
    }
}
