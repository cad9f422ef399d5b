//! Sealed values and form tokens. What a citizen writes on the booking pages (the matter,
//! name, identity code, contact) travels between pages only sealed: encrypted and
//! authenticated with ChaCha20-Poly1305, with an expiry inside, so it is unreadable,
//! cannot be altered, and stops working on its own. Form tokens are HMACs that tie a
//! POST to the journey it came from.

use aukiolo_store::personal_data::derive;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use chacha20poly1305::aead::Aead;
use chacha20poly1305::{ChaCha20Poly1305, Key, KeyInit, Nonce};
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

#[derive(Clone)]
pub struct Sealer {
    cipher: ChaCha20Poly1305,
    form_key: [u8; 32],
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(***)")
    }
}

#[derive(Serialize, Deserialize)]
struct Envelope<T> {
    exp: i64,
    v: T,
}

impl Sealer {
    pub fn from_secret(secret: &[u8]) -> Self {
        Sealer {
            cipher: ChaCha20Poly1305::new(&Key::from(derive(secret, "aukiolo page seal v1"))),
            form_key: derive(secret, "aukiolo form token v1"),
        }
    }

    pub fn seal<T: Serialize>(&self, value: &T, expires: DateTime<Utc>) -> String {
        let plain = serde_json::to_vec(&Envelope { exp: expires.timestamp(), v: value })
            .expect("a value of ours serialises");
        let mut nonce = [0u8; 12];
        rand::rng().fill_bytes(&mut nonce);
        let sealed =
            self.cipher.encrypt(&Nonce::from(nonce), plain.as_slice()).expect("encryption cannot fail");
        let mut out = nonce.to_vec();
        out.extend(sealed);
        B64.encode(out)
    }

    /// The value, if `sealed` was made by this key, is unaltered and has not expired.
    pub fn open<T: DeserializeOwned>(&self, sealed: &str, now: DateTime<Utc>) -> Option<T> {
        let bytes = B64.decode(sealed).ok()?;
        if bytes.len() < 12 {
            return None;
        }
        let (nonce, body) = bytes.split_at(12);
        let nonce: [u8; 12] = nonce.try_into().ok()?;
        let plain = self.cipher.decrypt(&Nonce::from(nonce), body).ok()?;
        let envelope: Envelope<T> = serde_json::from_slice(&plain).ok()?;
        (now.timestamp() < envelope.exp).then_some(envelope.v)
    }

    fn mac(&self, purpose: &str, subject: &str) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.form_key).expect("any key length");
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(subject.as_bytes());
        mac
    }

    /// The token a form carries for `subject` (a journey, a booking).
    pub fn form_token(&self, purpose: &str, subject: &str) -> String {
        B64.encode(self.mac(purpose, subject).finalize().into_bytes())
    }

    /// Whether `token` is the form token for `subject`, compared in constant time.
    pub fn check_form_token(&self, purpose: &str, subject: &str, token: &str) -> bool {
        B64.decode(token).is_ok_and(|t| self.mac(purpose, subject).verify_slice(&t).is_ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn sealed_values_open_only_unaltered_unexpired_and_with_the_key() {
        let sealer = Sealer::from_secret(b"a secret of thirty-two bytes....");
        let now = "2027-03-28T00:30:00Z".parse::<DateTime<Utc>>().unwrap();
        let sealed = sealer.seal(&("Maija", 42), now + Duration::minutes(60));
        assert!(!sealed.contains("Maija"));
        assert_eq!(sealer.open::<(String, i32)>(&sealed, now), Some(("Maija".to_owned(), 42)));
        assert_eq!(sealer.open::<(String, i32)>(&sealed, now + Duration::minutes(60)), None);
        let mut altered = sealed.clone().into_bytes();
        altered[20] = if altered[20] == b'A' { b'B' } else { b'A' };
        assert_eq!(sealer.open::<(String, i32)>(&String::from_utf8(altered).unwrap(), now), None);
        let other = Sealer::from_secret(b"another secret of thirty-two....");
        assert_eq!(other.open::<(String, i32)>(&sealed, now), None);
    }

    #[test]
    fn form_tokens_belong_to_their_purpose_and_subject() {
        let sealer = Sealer::from_secret(b"a secret of thirty-two bytes....");
        let token = sealer.form_token("book", "journey-1");
        assert!(sealer.check_form_token("book", "journey-1", &token));
        assert!(!sealer.check_form_token("book", "journey-2", &token));
        assert!(!sealer.check_form_token("cancel", "journey-1", &token));
        assert!(!sealer.check_form_token("book", "journey-1", "not base64!"));
    }
}
