//! Personal identity codes at rest: encrypted with ChaCha20-Poly1305 (a random 96-bit
//! nonce per value) and found by a keyed hash (HMAC-SHA-256), so the database never holds
//! a code in plain text and cannot be searched by code without the key.

use crate::StoreError;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chacha20poly1305::aead::Aead;
use chacha20poly1305::{ChaCha20Poly1305, Key, KeyInit, Nonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

const PREFIX: &str = "v1:";

/// The two keys derived from one configured secret.
#[derive(Clone)]
pub struct PersonalDataKeys {
    cipher: ChaCha20Poly1305,
    hash_key: [u8; 32],
}

impl std::fmt::Debug for PersonalDataKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PersonalDataKeys(***)")
    }
}

/// A 32-byte key for `purpose` from one configured secret (HMAC-SHA-256), so each use of
/// the secret gets a key of its own.
pub fn derive(secret: &[u8], purpose: &str) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(purpose.as_bytes());
    mac.finalize().into_bytes().into()
}

impl PersonalDataKeys {
    pub fn from_secret(secret: &[u8]) -> Self {
        let enc = derive(secret, "aukiolo personal data encryption v1");
        PersonalDataKeys {
            cipher: ChaCha20Poly1305::new(&Key::from(enc)),
            hash_key: derive(secret, "aukiolo personal data lookup v1"),
        }
    }

    pub fn encrypt(&self, plain: &str) -> String {
        let mut nonce = [0u8; 12];
        rand::rng().fill_bytes(&mut nonce);
        let sealed = self
            .cipher
            .encrypt(&Nonce::from(nonce), plain.as_bytes())
            .expect("encryption of a short text cannot fail");
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        format!("{PREFIX}{}", B64.encode(bytes))
    }

    pub fn decrypt(&self, text: &str) -> Result<String, StoreError> {
        let corrupt = || StoreError::Corrupt("encrypted personal data cannot be opened with this key".into());
        let bytes = B64.decode(text.strip_prefix(PREFIX).ok_or_else(corrupt)?).map_err(|_| corrupt())?;
        if bytes.len() < 12 {
            return Err(corrupt());
        }
        let (nonce, sealed) = bytes.split_at(12);
        let nonce: [u8; 12] = nonce.try_into().map_err(|_| corrupt())?;
        let plain = self.cipher.decrypt(&Nonce::from(nonce), sealed).map_err(|_| corrupt())?;
        String::from_utf8(plain).map_err(|_| corrupt())
    }

    /// A keyed hash for equality look-ups (hex).
    pub fn lookup_hash(&self, plain: &str) -> String {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.hash_key).expect("HMAC takes any key length");
        mac.update(plain.as_bytes());
        aukiolo_domain::hex::hex(&mac.finalize().into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_keyed_hash() {
        let keys = PersonalDataKeys::from_secret(b"a secret of some length");
        let sealed = keys.encrypt("131052-308T");
        assert!(!sealed.contains("131052"));
        assert_ne!(sealed, keys.encrypt("131052-308T"), "a fresh nonce each time");
        assert_eq!(keys.decrypt(&sealed).unwrap(), "131052-308T");
        assert_eq!(keys.lookup_hash("131052-308T"), keys.lookup_hash("131052-308T"));
        let other = PersonalDataKeys::from_secret(b"another secret");
        assert!(other.decrypt(&sealed).is_err());
        assert_ne!(other.lookup_hash("131052-308T"), keys.lookup_hash("131052-308T"));
    }
}
