//! Staff tokens: HS256 JWTs with issuer, audience and expiry, nothing else accepted. A
//! token also names the account's access version: the extractor refuses it once the
//! account's role, office or activity has changed (`store::staff::authorise`).

use aukiolo_domain::staff::{Principal, Role};
use aukiolo_domain::{OfficeId, StaffUserId};
use aukiolo_store::links::{expired, validation, ISSUER};
use aukiolo_store::staff::StaffUser;
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

const AUDIENCE: &str = "aukiolo-staff";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    pub sub: StaffUserId,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office: Option<OfficeId>,
    /// The account's access version when the token was issued.
    #[serde(default)]
    pub ver: i64,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
}

impl Claims {
    pub fn principal(&self) -> Principal {
        Principal { role: self.role, office: self.office }
    }
}

struct KeysInner {
    encoding: EncodingKey,
    decoding: DecodingKey,
    staff: Validation,
}

#[derive(Clone)]
pub struct Keys(Arc<KeysInner>);

impl Keys {
    pub fn new(secret: &[u8]) -> Self {
        Keys(Arc::new(KeysInner {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            staff: validation(AUDIENCE),
        }))
    }

    /// A token for this account, valid until `expires_at` or until its access changes.
    pub fn issue(&self, user: &StaffUser, now: DateTime<Utc>, expires_at: DateTime<Utc>) -> String {
        let claims = Claims {
            sub: user.id,
            role: user.role,
            office: user.office_id,
            ver: user.access_version,
            iat: now.timestamp(),
            exp: expires_at.timestamp(),
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.0.encoding)
            .expect("HS256 signing cannot fail")
    }

    /// The claims of a token valid at `now`; `None` for expired, forged, unsigned or
    /// malformed ones.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Option<Claims> {
        jsonwebtoken::decode::<Claims>(token, &self.0.decoding, &self.0.staff)
            .ok()
            .map(|d| d.claims)
            .filter(|c| !expired(c.exp, now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn valid_expired_forged_and_unsigned() {
        let keys = Keys::new(b"0123456789abcdef0123456789abcdef");
        let now = "2027-03-24T08:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let id = StaffUserId::new();
        let user = StaffUser {
            id,
            email: "a@example.fi".into(),
            password_hash: String::new(),
            role: Role::Admin,
            office_id: None,
            advisor_id: None,
            active: true,
            access_version: 3,
        };
        let good = keys.issue(&user, now, now + Duration::hours(1));
        assert_eq!(keys.verify(&good, now).unwrap().ver, 3);
        assert_eq!(keys.verify(&good, now).unwrap().sub, id);
        // Expiry follows the clock it is given, whatever the system's says.
        assert!(keys.verify(&good, now + Duration::minutes(59)).is_some());
        assert!(keys.verify(&good, now + Duration::hours(1)).is_none());

        let expired = keys.issue(&user, now - Duration::hours(2), now - Duration::hours(1));
        assert!(keys.verify(&expired, now).is_none());

        let other = Keys::new(b"another secret another secret 00");
        assert!(keys.verify(&other.issue(&user, now, now + Duration::hours(1)), now).is_none());

        // alg "none": header and claims of a good token, no signature.
        let mut parts = good.split('.');
        let (_, payload) = (parts.next(), parts.next().unwrap());
        use base64_none::encode;
        let unsigned = format!("{}.{}.", encode(br#"{"alg":"none","typ":"JWT"}"#), payload);
        assert!(keys.verify(&unsigned, now).is_none());
    }

    /// Just enough base64url for the test above, to avoid a dependency.
    mod base64_none {
        pub fn encode(input: &[u8]) -> String {
            const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
            let mut out = String::new();
            for chunk in input.chunks(3) {
                let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
                let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
                for i in 0..=chunk.len() {
                    out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
                }
            }
            out
        }
    }
}
