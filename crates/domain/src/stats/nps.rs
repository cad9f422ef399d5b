//! Net Promoter Score of the visit questionnaire ("How likely would you recommend …", 0–10).
//!
//! Promoters answer 9–10, passives 7–8, detractors 0–6; the NPS is the promoters' share minus
//! the detractors' share, in points from −100 to 100.

use super::{DifferenceCi, Z_95};
use serde::Serialize;

/// How many answers each score 0..=10 received.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NpsCounts {
    pub counts: [u64; 11],
}

impl NpsCounts {
    /// Tallies raw answers; `None` if any is above 10.
    pub fn from_scores(scores: impl IntoIterator<Item = u8>) -> Option<Self> {
        let mut counts = [0u64; 11];
        for score in scores {
            *counts.get_mut(usize::from(score))? += 1;
        }
        Some(NpsCounts { counts })
    }

    pub fn n(&self) -> u64 {
        self.counts.iter().sum()
    }

    pub fn promoters(&self) -> u64 {
        self.counts[9..].iter().sum()
    }

    pub fn passives(&self) -> u64 {
        self.counts[7..9].iter().sum()
    }

    pub fn detractors(&self) -> u64 {
        self.counts[..7].iter().sum()
    }

    /// The NPS in points, −100..=100; `None` without answers.
    pub fn nps(&self) -> Option<f64> {
        let (promoters, detractors) = self.shares()?;
        Some(100.0 * (promoters - detractors))
    }

    /// The standard error of the NPS in points (see [`nps_difference`] for the formula).
    pub fn standard_error(&self) -> Option<f64> {
        Some(100.0 * self.variance_of_share()?.sqrt())
    }

    fn shares(&self) -> Option<(f64, f64)> {
        let n = self.n();
        (n > 0).then(|| (self.promoters() as f64 / n as f64, self.detractors() as f64 / n as f64))
    }

    /// Variance of p_pro − p_det, on the 0..1 scale.
    fn variance_of_share(&self) -> Option<f64> {
        let (promoters, detractors) = self.shares()?;
        let net = promoters - detractors;
        // Never negative in exact arithmetic; `max` absorbs rounding when everyone agrees.
        Some(((promoters + detractors - net * net) / self.n() as f64).max(0.0))
    }
}

/// A 95 % interval for the difference of two independent NPS, `a − b`, in points.
///
/// Method: the NPS is a difference of two proportions from one trinomial (promoter, passive,
/// detractor), so its variance is Var(p̂_pro − p̂_det) = (p_pro + p_det − (p_pro − p_det)²)/n.
/// For two independent groups the interval is d ± z·√(Var_a + Var_b), scaled to points and
/// clamped to [−200, 200]. This is the plain Wald interval on the trinomial, the common method
/// and the baseline in Rocks (2016), "Interval estimation for the 'Net Promoter Score'", The
/// American Statistician 70:365–372. Rocks found adjusted-Wald and score variants to cover
/// better in small samples; groups below [`super::MIN_RESPONSES`] are withheld anyway, but
/// the interval should be read as approximate for groups of a few dozen.
///
/// `None` when either group has no answers.
pub fn nps_difference(a: &NpsCounts, b: &NpsCounts) -> Option<DifferenceCi> {
    let (nps_a, nps_b) = (a.nps()?, b.nps()?);
    let difference = nps_a - nps_b;
    let half_width = Z_95 * 100.0 * (a.variance_of_share()? + b.variance_of_share()?).sqrt();
    Some(DifferenceCi {
        a: nps_a,
        b: nps_b,
        difference,
        low: (difference - half_width).max(-200.0),
        high: (difference + half_width).min(200.0),
        method: "wald_trinomial",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn close(got: f64, want: f64) {
        assert!((got - want).abs() < 1e-9, "got {got}, want {want}");
    }

    /// Ten answers: 10, 10, 9, 9, 9 (5 promoters), 8, 7 (2 passives), 6, 3, 0 (3 detractors).
    fn group_a() -> NpsCounts {
        NpsCounts::from_scores([10, 10, 9, 9, 9, 8, 7, 6, 3, 0]).unwrap()
    }

    /// Twenty answers: 4 promoters, 6 passives, 10 detractors.
    fn group_b() -> NpsCounts {
        let mut counts = [0; 11];
        counts[9] = 4;
        counts[7] = 6;
        counts[5] = 10;
        NpsCounts { counts }
    }

    /// Hand-worked: NPS = 100·(5 − 3)/10 = 20; Var = (0.5 + 0.3 − 0.2²)/10 = 0.076, so the
    /// standard error is 100·√0.076 = 27.5681 points.
    #[test]
    fn nps_and_its_standard_error_by_hand() {
        let a = group_a();
        assert_eq!((a.n(), a.promoters(), a.passives(), a.detractors()), (10, 5, 2, 3));
        close(a.nps().unwrap(), 20.0);
        close(a.standard_error().unwrap(), 100.0 * 0.076f64.sqrt());
        let b = group_b();
        close(b.nps().unwrap(), -30.0);
        close(b.standard_error().unwrap(), 100.0 * 0.0305f64.sqrt());
    }

    /// Hand-worked: d = 20 − (−30) = 50; Var_b = (0.2 + 0.5 − 0.3²)/20 = 0.0305;
    /// SE = 100·√(0.076 + 0.0305) = 32.634338; 50 ± 1.959964·32.634338 = −13.9621 … 113.9621.
    #[test]
    fn difference_by_hand() {
        let ci = nps_difference(&group_a(), &group_b()).unwrap();
        close(ci.a, 20.0);
        close(ci.b, -30.0);
        close(ci.difference, 50.0);
        assert!((ci.low - -13.962_126_6).abs() < 1e-6, "{}", ci.low);
        assert!((ci.high - 113.962_126_6).abs() < 1e-6, "{}", ci.high);
        assert_eq!(ci.method, "wald_trinomial");
    }

    #[test]
    fn unanimous_groups_have_no_spread() {
        let all_promoters = NpsCounts::from_scores([10; 8]).unwrap();
        let all_detractors = NpsCounts::from_scores([0; 6]).unwrap();
        let ci = nps_difference(&all_promoters, &all_detractors).unwrap();
        assert_eq!((ci.difference, ci.low, ci.high), (200.0, 200.0, 200.0));
    }

    #[test]
    fn degenerate_input() {
        assert_eq!(NpsCounts::from_scores([3, 11]), None);
        assert_eq!(NpsCounts::default().nps(), None);
        assert_eq!(nps_difference(&NpsCounts::default(), &group_a()), None);
    }

    proptest! {
        #[test]
        fn interval_contains_the_difference_and_mirrors(
            a in prop::array::uniform11(0u64..50),
            b in prop::array::uniform11(0u64..50),
        ) {
            let (a, b) = (NpsCounts { counts: a }, NpsCounts { counts: b });
            prop_assume!(a.n() > 0 && b.n() > 0);
            let ab = nps_difference(&a, &b).unwrap();
            prop_assert!(-200.0 <= ab.low && ab.low <= ab.difference);
            prop_assert!(ab.difference <= ab.high && ab.high <= 200.0);
            prop_assert!((-100.0..=100.0).contains(&ab.a));
            let ba = nps_difference(&b, &a).unwrap();
            prop_assert!((ab.low + ba.high).abs() < 1e-9);
            prop_assert!((ab.high + ba.low).abs() < 1e-9);
        }
    }
}
