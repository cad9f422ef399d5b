//! A citizen's contact details, validated once at the edge.

use std::fmt;

/// An e-mail address the mailer can send to: a dot-atom local part of ASCII characters,
/// `@`, and a dotted domain kept in its ASCII (`xn--`) form. Checked with the same parser
/// that sends (lettre's), so an address accepted here never fails at the transport.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

/// Characters of an unquoted local part (RFC 5321 `atext`, and dots between them).
fn atext(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c)
}

impl Email {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        const SHAPE: &str = "must be an e-mail address such as name@example.fi";
        let s = raw.trim();
        if s.len() > 254 {
            return Err("must be at most 254 characters");
        }
        let Some((local, domain)) = s.rsplit_once('@') else {
            return Err(SHAPE);
        };
        if local.is_empty() || domain.is_empty() {
            return Err(SHAPE);
        }
        // Quoted local parts, commas, angle brackets and the like pass some grammars and
        // fail at real servers: only the plain form is taken.
        if !local.chars().all(atext) || local.len() > 64 {
            return Err("may have only letters a–z, digits and . _ + - before the @");
        }
        let domain = idna::domain_to_ascii(domain).map_err(|_| SHAPE)?;
        let dotted = domain.contains('.')
            && domain.split('.').all(|label| {
                !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if !dotted {
            return Err(SHAPE);
        }
        let address = format!("{local}@{domain}");
        address.parse::<lettre::Address>().map_err(|_| SHAPE)?;
        Ok(Email(address))
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
        // International domains are kept in the form every server takes.
        assert_eq!(Email::parse("maija@hämeenlinna.fi").unwrap().as_str(), "maija@xn--hmeenlinna-q5a.fi");
        assert_eq!(
            Email::parse("o'brien+aukiolo@example.fi").unwrap().as_str(),
            "o'brien+aukiolo@example.fi"
        );
        for bad in [
            "",
            "maija",
            "maija@",
            "@example.fi",
            "maija@example",
            "mai ja@example.fi",
            "a@b@c.fi",
            "a@.fi",
            "a,b@example.fi",
            "x<y@example.fi",
            "\"a b\"@example.fi",
            ".maija@example.fi",
            "maija..v@example.fi",
            "äiti@example.fi",
            "maija@exa_mple.fi",
        ] {
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
