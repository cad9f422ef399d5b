//! Means of scale scores — CSAT (1–5), CES (1–7) — and Welch's interval for a difference of
//! two means.
//!
//! Welch's t interval does not assume the two groups share a variance, which pilot and
//! control offices need not.

use super::distribution::student_t_quantile;
use super::DifferenceCi;

/// Count, mean and spread of a group's scores: all Welch's interval needs, and small enough
/// to keep as an aggregate after the answers themselves are purged.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScoreSummary {
    n: u64,
    mean: f64,
    /// Sum of squared deviations from the mean.
    squared_deviations: f64,
}

impl ScoreSummary {
    /// `None` when `values` is empty or holds a value that is not finite.
    pub fn from_values(values: &[f64]) -> Option<Self> {
        if values.is_empty() || values.iter().any(|v| !v.is_finite()) {
            return None;
        }
        // Welford's update: one pass, no catastrophic cancellation.
        let (mut n, mut mean, mut squared_deviations) = (0u64, 0.0, 0.0);
        for &value in values {
            n += 1;
            let delta = value - mean;
            mean += delta / n as f64;
            squared_deviations += delta * (value - mean);
        }
        Some(ScoreSummary { n, mean, squared_deviations })
    }

    /// From a histogram: `counts[i]` answers gave the score `lowest + i`, e.g.
    /// `from_histogram(1, &[c1, c2, c3, c4, c5])` for CSAT. `None` without answers.
    pub fn from_histogram(lowest: u8, counts: &[u64]) -> Option<Self> {
        let n: u64 = counts.iter().sum();
        if n == 0 {
            return None;
        }
        let score = |i: usize| f64::from(lowest) + i as f64;
        let mean = counts.iter().enumerate().map(|(i, &c)| c as f64 * score(i)).sum::<f64>() / n as f64;
        let squared_deviations =
            counts.iter().enumerate().map(|(i, &c)| c as f64 * (score(i) - mean).powi(2)).sum();
        Some(ScoreSummary { n, mean, squared_deviations })
    }

    /// From published or stored moments: `sd` is the sample standard deviation (divisor
    /// n − 1). `None` for n = 0, a negative `sd`, or values that are not finite.
    pub fn from_moments(n: u64, mean: f64, sd: f64) -> Option<Self> {
        if n == 0 || !mean.is_finite() || !(sd.is_finite() && sd >= 0.0) {
            return None;
        }
        Some(ScoreSummary { n, mean, squared_deviations: sd * sd * (n - 1) as f64 })
    }

    pub fn n(&self) -> u64 {
        self.n
    }

    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// The sample variance (divisor n − 1); `None` for a single answer.
    pub fn variance(&self) -> Option<f64> {
        (self.n >= 2).then(|| self.squared_deviations / (self.n - 1) as f64)
    }
}

/// Welch's 95 % interval for the difference of two means, `a − b`:
/// d ± t₀.₉₇₅(ν)·SE, SE² = s_a²/n_a + s_b²/n_b, with the Welch–Satterthwaite degrees of
/// freedom ν = SE⁴ / ((s_a²/n_a)²/(n_a − 1) + (s_b²/n_b)²/(n_b − 1)).
///
/// `None` when a group has fewer than two answers, or when neither group has any spread (all
/// answers the same in both): the interval is then undefined, not of zero width.
pub fn mean_difference(a: &ScoreSummary, b: &ScoreSummary) -> Option<DifferenceCi> {
    let welch = welch(a, b)?;
    let t = student_t_quantile(0.975, welch.df)?;
    let difference = a.mean - b.mean;
    Some(DifferenceCi {
        a: a.mean,
        b: b.mean,
        difference,
        low: difference - t * welch.standard_error,
        high: difference + t * welch.standard_error,
        method: "welch_t",
    })
}

struct Welch {
    standard_error: f64,
    df: f64,
}

fn welch(a: &ScoreSummary, b: &ScoreSummary) -> Option<Welch> {
    let share_a = a.variance()? / a.n as f64;
    let share_b = b.variance()? / b.n as f64;
    let se2 = share_a + share_b;
    if se2 <= 0.0 {
        return None;
    }
    let df = se2 * se2 / (share_a * share_a / (a.n - 1) as f64 + share_b * share_b / (b.n - 1) as f64);
    Some(Welch { standard_error: se2.sqrt(), df })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn close(got: f64, want: f64, tolerance: f64) {
        assert!((got - want).abs() <= tolerance, "got {got}, want {want}");
    }

    /// CSAT answers 1, 3, 3, 4, 4, 4, 5, 5, 5, 5 worked by hand: mean 39/10 = 3.9; squared
    /// deviations 8.41 + 2·0.81 + 3·0.01 + 4·1.21 = 14.9, variance 14.9/9.
    #[test]
    fn histogram_and_values_agree_with_hand_working() {
        let from_histogram = ScoreSummary::from_histogram(1, &[1, 0, 2, 3, 4]).unwrap();
        let from_values =
            ScoreSummary::from_values(&[1.0, 3.0, 3.0, 4.0, 4.0, 4.0, 5.0, 5.0, 5.0, 5.0]).unwrap();
        for s in [from_histogram, from_values] {
            assert_eq!(s.n(), 10);
            close(s.mean(), 3.9, 1e-12);
            close(s.variance().unwrap(), 14.9 / 9.0, 1e-12);
        }
    }

    /// R's own Welch example, `t.test(extra ~ group, data = sleep)` (Student's 1908 sleep
    /// data, in R's `datasets`): means 0.75 and 2.33, df = 17.776, 95 % CI −3.3654832 to
    /// 0.2054832.
    #[test]
    fn welch_matches_r_t_test_on_the_sleep_data() {
        let group1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
        let group2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];
        let a = ScoreSummary::from_values(&group1).unwrap();
        let b = ScoreSummary::from_values(&group2).unwrap();
        close(welch(&a, &b).unwrap().df, 17.776, 5e-4);
        let ci = mean_difference(&a, &b).unwrap();
        close(ci.a, 0.75, 1e-12);
        close(ci.b, 2.33, 1e-12);
        close(ci.low, -3.365_483_2, 5e-8);
        close(ci.high, 0.205_483_2, 5e-8);
        assert_eq!(ci.method, "welch_t");
    }

    /// The worked example of `ci.mean2` in Bonett's R package statpsych, from summaries, with
    /// a fractional df. Published, equal variances not assumed: SE 1.406801, df 44.1137,
    /// 95 % CI 2.264986 to 7.935014. The call printed beside it gives SDs 2.67 and 2.15, but
    /// every printed figure (both rows, pooled and Welch) follows from SDs 6.67 and 3.15; with
    /// 2.67 and 2.15 the SE would be 0.6847. So the SDs used here are 6.67 and 3.15.
    #[test]
    fn welch_matches_statpsych_ci_mean2_example() {
        let a = ScoreSummary::from_moments(30, 15.4, 6.67).unwrap();
        let b = ScoreSummary::from_moments(20, 10.3, 3.15).unwrap();
        let w = welch(&a, &b).unwrap();
        close(w.standard_error, 1.406_801, 5e-7);
        close(w.df, 44.1137, 5e-5);
        let ci = mean_difference(&a, &b).unwrap();
        close(ci.difference, 5.1, 1e-12);
        close(ci.low, 2.264_986, 5e-7);
        close(ci.high, 7.935_014, 5e-7);
    }

    /// With equal variances and sizes Welch's df is 2(n − 1) and the interval is the pooled
    /// one: groups {1, 2, 3} and {4, 5, 6}: d = −3, SE = √(1/3 + 1/3), df = 4,
    /// t₀.₉₇₅(4) = 2.776445.
    #[test]
    fn welch_with_equal_spread_by_hand() {
        let a = ScoreSummary::from_values(&[1.0, 2.0, 3.0]).unwrap();
        let b = ScoreSummary::from_values(&[4.0, 5.0, 6.0]).unwrap();
        let w = welch(&a, &b).unwrap();
        close(w.df, 4.0, 1e-12);
        let ci = mean_difference(&a, &b).unwrap();
        let half = 2.776_445_105_197_8 * (2.0f64 / 3.0).sqrt();
        close(ci.low, -3.0 - half, 1e-9);
        close(ci.high, -3.0 + half, 1e-9);
    }

    #[test]
    fn degenerate_input() {
        assert_eq!(ScoreSummary::from_values(&[]), None);
        assert_eq!(ScoreSummary::from_values(&[1.0, f64::NAN]), None);
        assert_eq!(ScoreSummary::from_histogram(1, &[0, 0, 0]), None);
        assert_eq!(ScoreSummary::from_moments(3, 1.0, -1.0), None);
        let single = ScoreSummary::from_values(&[4.0]).unwrap();
        assert_eq!(single.variance(), None);
        let some = ScoreSummary::from_values(&[4.0, 5.0]).unwrap();
        assert_eq!(mean_difference(&single, &some), None);
        let flat = ScoreSummary::from_values(&[5.0; 6]).unwrap();
        assert_eq!(mean_difference(&flat, &flat), None);
        // One group without spread is fine: df falls back to the other group's n − 1.
        let ci = mean_difference(&flat, &some).unwrap();
        close(ci.difference, 0.5, 1e-12);
    }

    proptest! {
        #[test]
        fn interval_contains_the_difference_and_mirrors(
            a in prop::collection::vec(1u8..=7, 2..60),
            b in prop::collection::vec(1u8..=7, 2..60),
        ) {
            let to_f64 = |v: &[u8]| v.iter().map(|&x| f64::from(x)).collect::<Vec<_>>();
            let a = ScoreSummary::from_values(&to_f64(&a)).unwrap();
            let b = ScoreSummary::from_values(&to_f64(&b)).unwrap();
            if let Some(ab) = mean_difference(&a, &b) {
                prop_assert!(ab.low <= ab.difference && ab.difference <= ab.high);
                let ba = mean_difference(&b, &a).unwrap();
                prop_assert!((ab.low + ba.high).abs() < 1e-9);
                prop_assert!((ab.high + ba.low).abs() < 1e-9);
            } else {
                prop_assert_eq!(a.variance().unwrap() + b.variance().unwrap(), 0.0);
            }
        }

        #[test]
        fn histogram_equals_values(counts in prop::collection::vec(0u64..20, 5)) {
            let values: Vec<f64> = counts
                .iter()
                .enumerate()
                .flat_map(|(i, &c)| std::iter::repeat_n(1.0 + i as f64, c as usize))
                .collect();
            let from_histogram = ScoreSummary::from_histogram(1, &counts);
            let from_values = ScoreSummary::from_values(&values);
            prop_assert_eq!(from_histogram.is_some(), from_values.is_some());
            if let (Some(h), Some(v)) = (from_histogram, from_values) {
                prop_assert!((h.mean() - v.mean()).abs() < 1e-9);
                prop_assert_eq!(h.variance().is_some(), v.variance().is_some());
                if let (Some(hv), Some(vv)) = (h.variance(), v.variance()) {
                    prop_assert!((hv - vv).abs() < 1e-9);
                }
            }
        }
    }
}
