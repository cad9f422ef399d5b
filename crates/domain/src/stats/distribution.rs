//! The few distribution functions the intervals need: normal and Student t quantiles and the
//! lower tail of a fair binomial. Written out here rather than pulled in as a dependency
//! because they are small, and pinned down by table values in the tests.

/// The standard normal quantile Φ⁻¹(p), by Wichura's algorithm AS 241 (Applied Statistics
/// 37:477–484, 1988), accurate to about 1 part in 10¹⁶; the same algorithm as R's `qnorm`.
/// `None` unless 0 < p < 1.
pub fn normal_quantile(p: f64) -> Option<f64> {
    // Coefficients of AS 241 (PPND16), lowest power first.
    const A: [f64; 8] = [
        3.3871328727963665,
        133.14166789178438,
        1971.5909503065513,
        13731.69376550946,
        45921.95393154987,
        67265.7709270087,
        33430.57558358813,
        2509.0809287301227,
    ];
    const B: [f64; 8] = [
        1.0,
        42.31333070160091,
        687.1870074920579,
        5394.196021424751,
        21213.794301586597,
        39307.89580009271,
        28729.085735721943,
        5226.495278852854,
    ];
    const C: [f64; 8] = [
        1.4234371107496835,
        4.630337846156546,
        5.769497221460691,
        3.6478483247632045,
        1.2704582524523684,
        0.2417807251774506,
        0.022723844989269184,
        0.0007745450142783414,
    ];
    const D: [f64; 8] = [
        1.0,
        2.053191626637759,
        1.6763848301838038,
        0.6897673349851,
        0.14810397642748008,
        0.015198666563616457,
        0.0005475938084995345,
        1.0507500716444169e-9,
    ];
    const E: [f64; 8] = [
        6.657904643501103,
        5.463784911164114,
        1.7848265399172913,
        0.29656057182850487,
        0.026532189526576124,
        0.0012426609473880784,
        2.7115555687434876e-5,
        2.0103343992922881e-7,
    ];
    const F: [f64; 8] = [
        1.0,
        0.599832206555888,
        0.1369298809227358,
        0.014875361290850615,
        0.0007868691311456133,
        1.8463183175100548e-5,
        1.421511758316446e-7,
        2.0442631033899397e-15,
    ];
    if !(p > 0.0 && p < 1.0) {
        return None;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        return Some(q * polynomial(&A, r) / polynomial(&B, r));
    }
    let tail = if q < 0.0 { p } else { 1.0 - p };
    let r = (-tail.ln()).sqrt();
    let x = if r <= 5.0 {
        polynomial(&C, r - 1.6) / polynomial(&D, r - 1.6)
    } else {
        polynomial(&E, r - 5.0) / polynomial(&F, r - 5.0)
    };
    Some(if q < 0.0 { -x } else { x })
}

/// Σ cᵢ·xⁱ by Horner's rule, `coefficients` lowest power first.
fn polynomial(coefficients: &[f64], x: f64) -> f64 {
    coefficients.iter().rev().fold(0.0, |acc, &c| acc * x + c)
}

/// Above this many degrees of freedom the t quantile comes from its asymptotic expansion,
/// whose first omitted term is below 10⁻¹² there, while the incomplete beta would start to
/// lose digits to the size of ln Γ(df/2).
const T_EXPANSION_DF: f64 = 1e3;

/// The Student t quantile t_p(df), for any real `df > 0` (Welch's df is fractional);
/// `df = ∞` gives the normal quantile. `None` unless 0 < p < 1 and df > 0.
///
/// Found by bisection on the t tail probability, which is the regularized incomplete beta
/// function ½·I_{df/(df+t²)}(df/2, ½); for df above 1000 by the Cornish–Fisher expansion in
/// 1/df (Abramowitz & Stegun 26.7.5).
pub fn student_t_quantile(p: f64, df: f64) -> Option<f64> {
    let valid = p > 0.0 && p < 1.0 && df > 0.0;
    if !valid {
        return None;
    }
    if p == 0.5 {
        return Some(0.0);
    }
    // Work with the smaller tail so that probabilities near 1 keep their digits.
    let (tail, sign) = if p > 0.5 { (1.0 - p, 1.0) } else { (p, -1.0) };
    let t = if df > T_EXPANSION_DF { t_by_expansion(tail, df)? } else { t_by_bisection(tail, df)? };
    Some(sign * t)
}

/// The positive t with upper tail probability `tail`, for large df.
fn t_by_expansion(tail: f64, df: f64) -> Option<f64> {
    let z = normal_quantile(1.0 - tail)?;
    if df.is_infinite() {
        return Some(z);
    }
    let z2 = z * z;
    let g1 = (z2 + 1.0) * z / 4.0;
    let g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0;
    let g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0;
    let g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0;
    Some(z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df)
}

/// The positive t with upper tail probability `tail`, by bracketing and bisection.
fn t_by_bisection(tail: f64, df: f64) -> Option<f64> {
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    // The tail falls as t grows: double `hi` until it brackets the answer.
    let mut doublings = 0;
    while t_upper_tail(hi, df)? > tail {
        lo = hi;
        hi *= 2.0;
        doublings += 1;
        if doublings > 1_000 {
            return None;
        }
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if t_upper_tail(mid, df)? > tail {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= 1e-15 * hi {
            break;
        }
    }
    Some(0.5 * (lo + hi))
}

/// P(T > t) for t ≥ 0.
fn t_upper_tail(t: f64, df: f64) -> Option<f64> {
    let t2 = t * t;
    let x = df / (df + t2);
    let y = t2 / (df + t2);
    Some(0.5 * regularized_beta(df / 2.0, 0.5, x, y)?)
}

/// The regularized incomplete beta function I_x(a, b), with `y = 1 − x` passed separately so
/// that x close to 1 keeps its precision. Continued fraction by the modified Lentz method
/// (Numerical Recipes, 2nd ed., §6.4), using the symmetry I_x(a,b) = 1 − I_y(b,a) where the
/// fraction converges faster.
fn regularized_beta(a: f64, b: f64, x: f64, y: f64) -> Option<f64> {
    if x <= 0.0 {
        return Some(0.0);
    }
    if y <= 0.0 {
        return Some(1.0);
    }
    let ln_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * y.ln();
    let front = ln_front.exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        Some(front * beta_continued_fraction(a, b, x)? / a)
    } else {
        Some(1.0 - front * beta_continued_fraction(b, a, y)? / b)
    }
}

fn beta_continued_fraction(a: f64, b: f64, x: f64) -> Option<f64> {
    const TINY: f64 = 1e-300;
    const EPS: f64 = 1e-16;
    let guard = |v: f64| if v.abs() < TINY { TINY } else { v };
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 / guard(1.0 - qab * x / qap);
    let mut h = d;
    for m in 1..=10_000 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let even = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 / guard(1.0 + even * d);
        c = guard(1.0 + even / c);
        h *= d * c;
        let odd = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 / guard(1.0 + odd * d);
        c = guard(1.0 + odd / c);
        let step = d * c;
        h *= step;
        if (step - 1.0).abs() < EPS {
            return Some(h);
        }
    }
    None
}

/// ln Γ(x) for x > 0, by the Lanczos approximation (g = 7, 9 terms), good to about 15
/// significant digits.
pub(crate) fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const COEFFICIENTS: [f64; 9] = [
        0.9999999999998099,
        676.5203681218851,
        -1259.1392167224028,
        771.3234287776531,
        -176.6150291621406,
        12.507343278686905,
        -0.13857109526572012,
        9.984369578019572e-6,
        1.5056327351493116e-7,
    ];
    if x < 0.5 {
        // Reflection keeps the series in its accurate range: Γ(x)Γ(1−x) = π / sin(πx).
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = COEFFICIENTS[0];
    for (i, c) in COEFFICIENTS.iter().enumerate().skip(1) {
        sum += c / (x + i as f64);
    }
    let t = x + G + 0.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

/// P(X ≤ k) for X ~ Binomial(n, ½), `k < n`. Summed downward from k in log space so that no
/// term underflows for large n.
pub(crate) fn fair_binomial_cdf(k: u64, n: u64) -> f64 {
    let (kf, nf) = (k as f64, n as f64);
    let ln_first =
        ln_gamma(nf + 1.0) - ln_gamma(kf + 1.0) - ln_gamma(nf - kf + 1.0) - nf * std::f64::consts::LN_2;
    let mut term = ln_first.exp();
    let mut sum = term;
    let mut i = kf;
    while i > 0.0 {
        // C(n, i−1) = C(n, i) · i / (n − i + 1)
        term *= i / (nf - i + 1.0);
        sum += term;
        if term < sum * 1e-17 {
            break;
        }
        i -= 1.0;
    }
    sum.min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(got: f64, want: f64, tolerance: f64) {
        assert!((got - want).abs() <= tolerance, "got {got}, want {want}");
    }

    /// Reference values from R `qnorm` and Python `statistics.NormalDist.inv_cdf`, both AS 241;
    /// one value in each of its three branches at least.
    #[test]
    fn normal_quantiles() {
        close(normal_quantile(0.5).unwrap(), 0.0, 0.0);
        close(normal_quantile(0.975).unwrap(), 1.959_963_984_540_054, 1e-15);
        close(normal_quantile(0.025).unwrap(), -1.959_963_984_540_054, 1e-15);
        close(normal_quantile(0.95).unwrap(), 1.644_853_626_951_472_2, 1e-15);
        close(normal_quantile(0.995).unwrap(), 2.575_829_303_548_900_4, 1e-14);
        close(normal_quantile(0.841_344_746_068_542_9).unwrap(), 1.0, 1e-12);
        close(normal_quantile(1e-10).unwrap(), -6.361_340_902_404_056, 1e-12);
        close(normal_quantile(1e-15).unwrap(), -7.941_345_326_170_995, 1e-12);
        assert_eq!(normal_quantile(0.0), None);
        assert_eq!(normal_quantile(1.0), None);
        assert_eq!(normal_quantile(f64::NAN), None);
    }

    /// Table values of t₀.₉₇₅ (any statistics textbook; digits beyond the table from R `qt`).
    #[test]
    fn student_t_table_values() {
        close(student_t_quantile(0.975, 1.0).unwrap(), 12.706_204_736_174_7, 1e-9);
        close(student_t_quantile(0.975, 2.0).unwrap(), 4.302_652_729_749_46, 1e-9);
        close(student_t_quantile(0.975, 5.0).unwrap(), 2.570_581_835_636_31, 1e-9);
        close(student_t_quantile(0.975, 10.0).unwrap(), 2.228_138_851_986_27, 1e-9);
        close(student_t_quantile(0.975, 30.0).unwrap(), 2.042_272_456_301_24, 1e-9);
        close(student_t_quantile(0.975, 20.0).unwrap(), 2.085_963_447_265_84, 1e-9);
        close(student_t_quantile(0.975, 100.0).unwrap(), 1.983_971_518_523_55, 1e-9);
        close(student_t_quantile(0.995, 2.0).unwrap(), 9.924_843_200_918_29, 1e-9);
        close(student_t_quantile(0.025, 5.0).unwrap(), -2.570_581_835_636_31, 1e-9);
        close(student_t_quantile(0.975, f64::INFINITY).unwrap(), 1.959_963_984_540_054, 1e-15);
        // Large df tends to z.
        close(student_t_quantile(0.975, 1e9).unwrap(), 1.959_963_984_540_054, 1e-8);
        assert_eq!(student_t_quantile(0.975, 0.0), None);
        assert_eq!(student_t_quantile(0.975, f64::NAN), None);
        assert_eq!(student_t_quantile(1.0, 5.0), None);
    }

    /// df = 1 is the Cauchy distribution, whose quantile is tan(π(p − ½)).
    #[test]
    fn student_t_with_one_df_is_cauchy() {
        for p in [0.6, 0.75, 0.9, 0.99, 0.999] {
            let exact = (std::f64::consts::PI * (p - 0.5)).tan();
            close(student_t_quantile(p, 1.0).unwrap(), exact, 1e-9 * exact);
        }
    }

    /// The expansion and the bisection must agree where one hands over to the other, and
    /// already at df = 100 for p = 0.975, where the first omitted term, g₅/df⁵, is about
    /// 10⁻¹⁰ and a wrong g₄ would show as 10⁻⁸.
    #[test]
    fn t_expansion_meets_bisection() {
        for p in [0.9, 0.975, 0.995] {
            let tail = 1.0 - p;
            let by_expansion = t_by_expansion(tail, T_EXPANSION_DF).unwrap();
            let by_bisection = t_by_bisection(tail, T_EXPANSION_DF).unwrap();
            close(by_expansion, by_bisection, 1e-11);
        }
        close(t_by_expansion(0.025, 100.0).unwrap(), t_by_bisection(0.025, 100.0).unwrap(), 1e-9);
    }

    /// ln Γ against exact values: Γ(n) = (n−1)!, Γ(½) = √π.
    #[test]
    fn ln_gamma_exact_values() {
        close(ln_gamma(1.0), 0.0, 1e-14);
        close(ln_gamma(2.0), 0.0, 1e-14);
        close(ln_gamma(5.0), 24f64.ln(), 1e-13);
        close(ln_gamma(0.5), 0.5 * std::f64::consts::PI.ln(), 1e-14);
        close(ln_gamma(21.0), 2_432_902_008_176_640_000f64.ln(), 1e-12);
    }

    /// Fair binomial lower tails worked by hand: P(X ≤ 1 | n = 10) = 11/1024,
    /// P(X ≤ 5 | n = 20) = 21700/1048576.
    #[test]
    fn fair_binomial_lower_tails() {
        close(fair_binomial_cdf(0, 2), 0.25, 1e-15);
        close(fair_binomial_cdf(1, 10), 11.0 / 1024.0, 1e-15);
        close(fair_binomial_cdf(5, 20), 21_700.0 / 1_048_576.0, 1e-14);
        close(fair_binomial_cdf(4, 9), 0.5, 1e-14);
        // Large n: P(X ≤ n/2 − 1) for n = 10⁶ is ½ − ½·P(X = n/2) ≈ ½ − 1/(2·sqrt(π n / 2)).
        let n = 1_000_000u64;
        let half_mode = 0.5 * (2.0 / (std::f64::consts::PI * n as f64)).sqrt();
        close(fair_binomial_cdf(n / 2 - 1, n), 0.5 - half_mode, 1e-6);
    }
}
