//! Numbers as the page's language writes them: a decimal comma and a real minus sign
//! (U+2212) in Finnish and Swedish, a point and a hyphen-minus in English. Rounding is
//! done once here, so a page, its table and its chart show the same digits.

use aukiolo_domain::Locale;

/// `x` with `decimals` decimals in `lang`; "−0,0" is written "0,0".
pub fn decimal(lang: Locale, x: f64, decimals: usize) -> String {
    let rounded = format!("{x:.decimals$}");
    // A value that rounds to zero has no sign.
    let rounded = match rounded.strip_prefix('-') {
        Some(digits) if digits.chars().all(|c| c == '0' || c == '.') => digits.to_owned(),
        _ => rounded,
    };
    match lang {
        Locale::En => rounded,
        Locale::Fi | Locale::Sv => rounded.replace('-', "\u{2212}").replace('.', ","),
    }
}

/// `x` as a signed difference: "+1,5", "−2,0", "0,0".
pub fn signed(lang: Locale, x: f64, decimals: usize) -> String {
    let text = decimal(lang, x, decimals);
    if x > 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("+{text}")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn in_each_language() {
        assert_eq!(decimal(Locale::Fi, -12.345, 1), "\u{2212}12,3");
        assert_eq!(decimal(Locale::Sv, 0.25, 2), "0,25");
        assert_eq!(decimal(Locale::En, -0.25, 2), "-0.25");
        assert_eq!(decimal(Locale::Fi, 3.0, 0), "3");
        assert_eq!(decimal(Locale::Fi, -0.04, 1), "0,0");
        assert_eq!(signed(Locale::Fi, 1.46, 1), "+1,5");
        assert_eq!(signed(Locale::En, -2.0, 1), "-2.0");
        assert_eq!(signed(Locale::Sv, 0.01, 1), "0,0");
    }

    proptest! {
        /// The Finnish text is the English one with the comma and the real minus.
        #[test]
        fn the_languages_agree(x in -1e6f64..1e6, decimals in 0usize..4) {
            let en = decimal(Locale::En, x, decimals);
            prop_assert_eq!(decimal(Locale::Fi, x, decimals), en.replace('-', "\u{2212}").replace('.', ","));
            let back: f64 = en.parse().unwrap();
            prop_assert!((back - x).abs() <= 0.5 * 10f64.powi(-(decimals as i32)) + 1e-9);
        }
    }
}
