//! Finnish personal identity codes (henkilötunnus): `DDMMYYCZZZQ`.
//!
//! C is the century sign: `+` 1800s; `-`, `Y`, `X`, `W`, `V`, `U` 1900s; `A`, `B`, `C`, `D`,
//! `E`, `F` 2000s (the letters other than `-` and `A` were added in 2023). ZZZ is the
//! individual number, Q the check character: DDMMYYZZZ mod 31 in `0123456789ABCDEFHJKLMNPRSTUVWXY`.

use chrono::NaiveDate;
use std::fmt;

const CHECK: &[u8; 31] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";

/// A valid identity code, upper-cased. Its `Debug` and `Display` never show it whole, so it
/// cannot reach a log by accident; use `expose` where the code itself is needed.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PersonalId(String);

impl PersonalId {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let code = raw.trim().to_ascii_uppercase();
        let b = code.as_bytes();
        if b.len() != 11 {
            return Err("must be 11 characters: DDMMYYCZZZQ");
        }
        let digits = |r: std::ops::Range<usize>| -> Option<u32> {
            b[r].iter().try_fold(0u32, |acc, c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
        };
        let (Some(day), Some(month), Some(yy), Some(individual)) =
            (digits(0..2), digits(2..4), digits(4..6), digits(7..10))
        else {
            return Err("must have digits in the date and individual number");
        };
        let century = match b[6] {
            b'+' => 1800,
            b'-' | b'Y' | b'X' | b'W' | b'V' | b'U' => 1900,
            b'A' | b'B' | b'C' | b'D' | b'E' | b'F' => 2000,
            _ => return Err("has an unknown century sign"),
        };
        if NaiveDate::from_ymd_opt(century + yy as i32, month, day).is_none() {
            return Err("has a date that does not exist");
        }
        if individual < 2 {
            return Err("has an individual number below 002");
        }
        let n = day * 10_000_000 + month * 100_000 + yy * 1000 + individual;
        if CHECK[(n % 31) as usize] != b[10] {
            return Err("has a wrong check character");
        }
        Ok(PersonalId(code))
    }

    /// The date of birth the code encodes.
    pub fn birth_date(&self) -> NaiveDate {
        let b = self.0.as_bytes();
        let num = |i: usize| u32::from(b[i] - b'0') * 10 + u32::from(b[i + 1] - b'0');
        let century = match b[6] {
            b'+' => 1800,
            b'A'..=b'F' => 2000,
            _ => 1900,
        };
        NaiveDate::from_ymd_opt(century + num(4) as i32, num(2), num(0)).expect("checked when parsed")
    }

    /// The code itself, for encryption and keyed hashing only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `DDMMYY-****` style mask for staff lists.
    pub fn masked(&self) -> String {
        format!("{}****", &self.0[..7])
    }
}

impl fmt::Debug for PersonalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PersonalId({})", self.masked())
    }
}

impl fmt::Display for PersonalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_examples_are_valid() {
        // Examples from the Digital and Population Data Services Agency.
        for code in [
            "131052-308T",
            "010594Y9021",
            "020594X903P",
            "020594X902N",
            "010516B903X",
            "010501A9032",
            "290200A905H",
        ] {
            assert!(PersonalId::parse(code).is_ok(), "{code}");
        }
        assert_eq!(
            PersonalId::parse("010516B903X").unwrap().birth_date(),
            NaiveDate::from_ymd_opt(2016, 5, 1).unwrap()
        );
        assert_eq!(
            PersonalId::parse("131052-308T").unwrap().birth_date(),
            NaiveDate::from_ymd_opt(1952, 10, 13).unwrap()
        );
    }

    #[test]
    fn bad_codes_say_why() {
        assert_eq!(PersonalId::parse("131052-308U"), Err("has a wrong check character"));
        assert_eq!(PersonalId::parse("310252-308T"), Err("has a date that does not exist"));
        assert_eq!(PersonalId::parse("131052G308T"), Err("has an unknown century sign"));
        assert_eq!(PersonalId::parse("131052-30"), Err("must be 11 characters: DDMMYYCZZZQ"));
        assert_eq!(
            PersonalId::parse("1310a2-308T"),
            Err("must have digits in the date and individual number")
        );
    }

    #[test]
    fn never_shown_whole() {
        let id = PersonalId::parse("131052-308t").unwrap();
        assert_eq!(format!("{id} {id:?}"), "131052-**** PersonalId(131052-****)");
        assert_eq!(id.expose(), "131052-308T");
    }
}
