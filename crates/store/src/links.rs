//! Citizens' manage links: a signed token (HS256 JWT of its own audience) for one
//! booking, valid until a day after the appointment. Pages, the API and the mails all
//! make and read them here, so a link in a mail opens the page and the API alike.

use aukiolo_domain::booking::Booking;
use aukiolo_domain::BookingId;
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The issuer of every token Aukiolo signs (manage links and staff tokens).
pub const ISSUER: &str = "aukiolo";
/// Not the staff tokens' audience: a staff token never opens a booking link, nor the
/// reverse.
const AUDIENCE: &str = "aukiolo-booking";

/// What a manage token says.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ManageClaims {
    pub sub: BookingId,
    pub reference: String,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
}

/// Why a link does not open: the citizen is told apart "not valid" (403) from "expired"
/// (410), since only the second is cured by asking for a new link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkProblem {
    Invalid,
    Expired,
}

struct Inner {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

/// The key that signs and checks manage links.
#[derive(Clone)]
pub struct ManageLinks(Arc<Inner>);

impl std::fmt::Debug for ManageLinks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ManageLinks(***)")
    }
}

/// What a token of `audience` must be: HS256 only, our issuer, `exp`, `iss`, `aud` and
/// `sub` present, no leeway. Expiry is left to [`expired`], which reads the
/// application's clock instead of the system's.
pub fn validation(audience: &str) -> Validation {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.algorithms = vec![Algorithm::HS256];
    validation.set_issuer(&[ISSUER]);
    validation.set_audience(&[audience]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    validation.leeway = 0;
    validation.validate_exp = false;
    validation
}

/// A token is good up to, excluding, its `exp` second (RFC 7519).
pub fn expired(exp: i64, now: DateTime<Utc>) -> bool {
    now.timestamp() >= exp
}

impl ManageLinks {
    pub fn new(secret: &[u8]) -> Self {
        ManageLinks(Arc::new(Inner {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation: validation(AUDIENCE),
        }))
    }

    /// The token of a booking. It outlives the appointment by a day, so the citizen can
    /// still look at it, and has no issue time: the same booking always gets the same
    /// token (an idempotent retry returns an identical answer).
    pub fn issue(&self, b: &Booking) -> String {
        self.issue_until(b.id, &b.reference, b.end + chrono::Duration::days(1))
    }

    pub fn issue_until(&self, booking: BookingId, reference: &str, expires_at: DateTime<Utc>) -> String {
        let claims = ManageClaims {
            sub: booking,
            reference: reference.to_owned(),
            exp: expires_at.timestamp(),
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.0.encoding)
            .expect("HS256 signing cannot fail")
    }

    /// The claims of a token at `now`.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<ManageClaims, LinkProblem> {
        let claims = jsonwebtoken::decode::<ManageClaims>(token, &self.0.decoding, &self.0.validation)
            .map_err(|_| LinkProblem::Invalid)?
            .claims;
        if expired(claims.exp, now) {
            return Err(LinkProblem::Expired);
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn valid_until_the_second_of_expiry_and_only_with_this_key() {
        let links = ManageLinks::new(b"0123456789abcdef0123456789abcdef");
        let now = "2027-03-24T08:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let id = BookingId::new();
        let token = links.issue_until(id, "K7M-4QX-9TD", now + Duration::hours(1));
        assert_eq!(links.verify(&token, now).unwrap().sub, id);
        assert!(links.verify(&token, now + Duration::minutes(59)).is_ok());
        assert_eq!(links.verify(&token, now + Duration::hours(1)), Err(LinkProblem::Expired));
        let other = ManageLinks::new(b"another secret another secret 00");
        assert_eq!(other.verify(&token, now), Err(LinkProblem::Invalid));
        let mut tampered = token.clone();
        tampered.insert(tampered.len() / 2, 'x');
        assert_eq!(links.verify(&tampered, now), Err(LinkProblem::Invalid));
    }
}
