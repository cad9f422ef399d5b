//! A citizen's contact details, validated once at the edge.

use std::fmt;

/// An e-mail address: one `@`, a non-empty local part and a dotted domain, no spaces.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let s = raw.trim();
        if s.len() > 254 {
            return Err("must be at most 254 characters");
        }
        let Some((local, domain)) = s.rsplit_once('@') else {
            return Err("must be an e-mail address such as name@example.fi");
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && domain
                .split('.')
                .all(|label| !label.is_empty() && label.chars().all(|c| c.is_alphanumeric() || c == '-'));
        if local.is_empty() || local.contains('@') || s.chars().any(char::is_whitespace) || !domain_ok {
            return Err("must be an e-mail address such as name@example.fi");
        }
        Ok(Email(format!("{local}@{}", domain.to_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Email(***)")
    }
}

/// An address as operators and logs may see it: `m***@example.fi`.
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => format!("{}***@{domain}", local.chars().next().unwrap_or('*')),
        None => "***".to_owned(),
    }
}

/// A phone number in E.164 form (`+358401234567`), from E.164 or Finnish national input
/// (`040 123 4567`, `09-123 456`).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let compact: String = raw.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')')).collect();
        let digits_only = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let e164 = if let Some(rest) = compact.strip_prefix('+') {
            (digits_only(rest) && (8..=15).contains(&rest.len()) && !rest.starts_with('0'))
                .then(|| compact.clone())
        } else if let Some(rest) = compact.strip_prefix("00") {
            (digits_only(rest) && (8..=15).contains(&rest.len())).then(|| format!("+{rest}"))
        } else if let Some(rest) = compact.strip_prefix('0') {
            (digits_only(rest) && (5..=12).contains(&rest.len())).then(|| format!("+358{rest}"))
        } else {
            None
        };
        e164.map(Phone).ok_or(
            "must be a phone number in international (+358 40 123 4567) or Finnish (040 123 4567) form",
        )
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Phone(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(Email::parse(" Maija@Example.FI ").unwrap().as_str(), "Maija@example.fi");
        for bad in
            ["", "maija", "maija@", "@example.fi", "maija@example", "mai ja@example.fi", "a@b@c.fi", "a@.fi"]
        {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn phones() {
        assert_eq!(Phone::parse("040 123 4567").unwrap().as_str(), "+358401234567");
        assert_eq!(Phone::parse("+358 40 123 4567").unwrap().as_str(), "+358401234567");
        assert_eq!(Phone::parse("09-123 456").unwrap().as_str(), "+3589123456");
        assert_eq!(Phone::parse("00358401234567").unwrap().as_str(), "+358401234567");
        for bad in ["", "12345", "+0401234567", "040 123 456a", "+1"] {
            assert!(Phone::parse(bad).is_err(), "{bad}");
        }
    }
}
