//! Medians and percentiles of durations — lead time booking → visit, waiting time, service
//! duration, punctuality — and an interval for the difference of two medians.
//!
//! One percentile definition throughout: linear interpolation between the closest ranks,
//! Hyndman & Fan (1996) type 7, the default of R's `quantile`, NumPy and spreadsheet
//! `PERCENTILE.INC`. For sorted x₁ ≤ … ≤ xₙ and p in [0, 100], h = (n − 1)·p/100 and the
//! percentile is x_{⌊h⌋+1} + (h − ⌊h⌋)(x_{⌊h⌋+2} − x_{⌊h⌋+1}); the median is p = 50, the
//! usual middle value or mean of the two middle values.

use super::distribution::{fair_binomial_cdf, normal_quantile};
use super::{DifferenceCi, Z_95};

/// The `p`-th percentile (0 ≤ p ≤ 100) of `values`, type 7. Sorts `values` in place.
/// `None` when `values` is empty or holds a value that is not finite, or `p` is outside
/// [0, 100].
pub fn percentile(values: &mut [f64], p: f64) -> Option<f64> {
    if values.iter().any(|v| !v.is_finite()) {
        return None;
    }
    values.sort_unstable_by(f64::total_cmp);
    percentile_of_sorted(values, p)
}

/// The median of `values`, i.e. [`percentile`] 50. Sorts `values` in place.
pub fn median(values: &mut [f64]) -> Option<f64> {
    percentile(values, 50.0)
}

fn percentile_of_sorted(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() || !(0.0..=100.0).contains(&p) {
        return None;
    }
    let h = (sorted.len() - 1) as f64 * p / 100.0;
    let below = h.floor();
    let i = below as usize;
    let low = *sorted.get(i)?;
    Some(match sorted.get(i + 1) {
        Some(&high) if h > below => low + (h - below) * (high - low),
        _ => low,
    })
}

/// A 95 % distribution-free interval for the difference of two medians, `median(a) −
/// median(b)`, by Bonett & Price (2002), "Statistical inference for a linear function of
/// medians", Psychological Methods 7:370–383.
///
/// Each median's standard error comes from the order statistics that bound an exact
/// distribution-free interval for it: with c = round(n/2 − √n) (at least 1), the interval
/// [Y₍c₎, Y₍ₙ₋c₊₁₎] has confidence 1 − 2·P(Bin(n, ½) ≤ c − 1); if z_c is the normal quantile of
/// that level, SE = (Y₍ₙ₋c₊₁₎ − Y₍c₎)/(2·z_c). The interval is d ± z₀.₉₇₅·√(SE_a² + SE_b²).
/// Computed as in `ci.median2` of Bonett's R package statpsych. It assumes ties within a
/// group are rare; with heavy ties (e.g. durations rounded to whole days) it can be too
/// narrow, down to zero width when the bounding order statistics are equal.
///
/// The inputs are copied, not reordered. `None` when a group has fewer than two values or
/// holds a value that is not finite.
pub fn median_difference(a: &[f64], b: &[f64]) -> Option<DifferenceCi> {
    let (a, b) = (sorted_finite(a)?, sorted_finite(b)?);
    let (median_a, se_a) = (percentile_of_sorted(&a, 50.0)?, median_standard_error(&a)?);
    let (median_b, se_b) = (percentile_of_sorted(&b, 50.0)?, median_standard_error(&b)?);
    let difference = median_a - median_b;
    let half_width = Z_95 * (se_a * se_a + se_b * se_b).sqrt();
    Some(DifferenceCi {
        a: median_a,
        b: median_b,
        difference,
        low: difference - half_width,
        high: difference + half_width,
        method: "bonett_price",
    })
}

/// The median of `values` and its Bonett & Price standard error, for contrasts of more than
/// two groups. `None` as for [`median_difference`].
pub(crate) fn median_with_standard_error(values: &[f64]) -> Option<(f64, f64)> {
    let sorted = sorted_finite(values)?;
    Some((percentile_of_sorted(&sorted, 50.0)?, median_standard_error(&sorted)?))
}

fn sorted_finite(values: &[f64]) -> Option<Vec<f64>> {
    if values.len() < 2 || values.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    Some(sorted)
}

/// Bonett & Price's standard error of the median of `sorted` (n ≥ 2).
fn median_standard_error(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    let nf = n as f64;
    // n/2 − √n is a half-integer only for odd square n, where rounding half away from zero
    // (Rust) and half to even (R, as in statpsych) agree.
    let c = (nf / 2.0 - nf.sqrt()).round().max(1.0) as usize;
    let outside = fair_binomial_cdf(c as u64 - 1, n as u64);
    let z = normal_quantile(1.0 - outside)?;
    let (low, high) = (sorted.get(c - 1)?, sorted.get(n - c)?);
    Some((high - low) / (2.0 * z))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn close(got: f64, want: f64, tolerance: f64) {
        assert!((got - want).abs() <= tolerance, "got {got}, want {want}");
    }

    fn one_to(n: u32) -> Vec<f64> {
        (1..=n).map(f64::from).collect()
    }

    /// Type 7 worked by hand (the same values as R `quantile(x, type = 7)` and
    /// `numpy.percentile`): for 1..=10, h = 9p/100, so p90 → h = 8.1 → 9 + 0.1 = 9.1,
    /// p25 → h = 2.25 → 3.25, median → h = 4.5 → 5.5.
    #[test]
    fn percentiles_by_hand() {
        close(percentile(&mut one_to(10), 90.0).unwrap(), 9.1, 1e-12);
        close(percentile(&mut one_to(10), 25.0).unwrap(), 3.25, 1e-12);
        close(median(&mut one_to(10)).unwrap(), 5.5, 0.0);
        close(percentile(&mut one_to(10), 0.0).unwrap(), 1.0, 0.0);
        close(percentile(&mut one_to(10), 100.0).unwrap(), 10.0, 0.0);
        // Odd count: the middle value; even count: the mean of the two middle values.
        close(median(&mut [7.0, 1.0, 3.0]).unwrap(), 3.0, 0.0);
        close(median(&mut [4.0, 1.0, 3.0, 2.0]).unwrap(), 2.5, 0.0);
        // p90 of five values: h = 3.6 → 40 + 0.6·(50 − 40) = 46.
        close(percentile(&mut [50.0, 10.0, 30.0, 20.0, 40.0], 90.0).unwrap(), 46.0, 1e-12);
        close(median(&mut [42.0]).unwrap(), 42.0, 0.0);
    }

    #[test]
    fn percentile_rejects_degenerate_input() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [1.0, f64::NAN]), None);
        assert_eq!(median(&mut [f64::INFINITY, f64::INFINITY]), None);
        assert_eq!(percentile(&mut one_to(3), 100.5), None);
        assert_eq!(percentile(&mut one_to(3), -1.0), None);
        assert_eq!(percentile(&mut one_to(3), f64::NAN), None);
    }

    /// The two worked examples of `ci.median2` in Bonett's R package statpsych (the
    /// Bonett & Price 2002 interval); published results to the printed digits.
    #[test]
    fn bonett_price_matches_statpsych_ci_median2_examples() {
        let y1 = [32.0, 39.0, 26.0, 35.0, 43.0, 27.0, 40.0, 37.0, 34.0, 29.0];
        let y2 = [36.0, 44.0, 47.0, 42.0, 49.0, 39.0, 46.0, 31.0, 33.0, 48.0];
        // Median1 34.5, Median2 43, difference −8.5, SE 4.316291, CI −16.95977 to −0.04022524.
        let ci = median_difference(&y1, &y2).unwrap();
        close(ci.a, 34.5, 0.0);
        close(ci.b, 43.0, 0.0);
        close(ci.difference, -8.5, 0.0);
        close(ci.low, -16.95977, 5e-6);
        close(ci.high, -0.040_225_24, 5e-9);
        assert_eq!(ci.method, "bonett_price");

        let y1 = [
            70.0, 394.0, 43.0, 95.0, 62.0, 128.0, 2.0, 203.0, 81.0, 436.0, 85.0, 35.0, 156.0, 1.0, 3.0, 27.0,
            63.0, 181.0, 184.0, 18.0,
        ];
        let y2 = [
            102.0, 120.0, 78.0, 78.0, 417.0, 124.0, 86.0, 171.0, 176.0, 129.0, 230.0, 194.0, 100.0, 157.0,
            306.0, 411.0, 164.0, 103.0, 193.0, 312.0,
        ];
        // Median1 75.5, Median2 160.5, difference −85, SE 37.11502, CI −157.7441 to −12.25589.
        let ci = median_difference(&y1, &y2).unwrap();
        close(ci.difference, -85.0, 0.0);
        close(ci.low, -157.7441, 5e-5);
        close(ci.high, -12.25589, 5e-6);
    }

    /// By hand for n = 10: c = round(5 − 3.162) = 2, P(Bin(10, ½) ≤ 1) = 11/1024, so
    /// SE = (Y₍₉₎ − Y₍₂₎)/(2·Φ⁻¹(1 − 11/1024)).
    #[test]
    fn median_standard_error_by_hand() {
        let sorted = one_to(10);
        let z = normal_quantile(1.0 - 11.0 / 1024.0).unwrap();
        close(median_standard_error(&sorted).unwrap(), (9.0 - 2.0) / (2.0 * z), 1e-12);
    }

    #[test]
    fn median_difference_rejects_degenerate_input() {
        assert_eq!(median_difference(&[1.0], &[1.0, 2.0]), None);
        assert_eq!(median_difference(&[1.0, 2.0], &[]), None);
        assert_eq!(median_difference(&[1.0, f64::INFINITY], &[1.0, 2.0]), None);
        // Two values per group is the smallest case with an interval.
        assert!(median_difference(&[1.0, 2.0], &[3.0, 5.0]).is_some());
    }

    proptest! {
        #[test]
        fn percentile_is_monotone_and_within_range(
            mut values in prop::collection::vec(-1e6f64..1e6, 1..80),
            p in 0.0f64..=100.0,
            q in 0.0f64..=100.0,
        ) {
            let (lo, hi) = if p <= q { (p, q) } else { (q, p) };
            let at_lo = percentile(&mut values, lo).unwrap();
            let at_hi = percentile(&mut values, hi).unwrap();
            prop_assert!(values[0] <= at_lo && at_lo <= at_hi && at_hi <= values[values.len() - 1]);
        }

        #[test]
        fn median_interval_contains_the_difference_and_mirrors(
            a in prop::collection::vec(0f64..10_000.0, 2..120),
            b in prop::collection::vec(0f64..10_000.0, 2..120),
        ) {
            let ab = median_difference(&a, &b).unwrap();
            prop_assert!(ab.low <= ab.difference && ab.difference <= ab.high);
            let ba = median_difference(&b, &a).unwrap();
            prop_assert_eq!(ba.difference, -ab.difference);
            prop_assert!((ab.low + ba.high).abs() < 1e-9);
            prop_assert!((ab.high + ba.low).abs() < 1e-9);
        }
    }
}
