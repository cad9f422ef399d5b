//! Staff page sessions, kept in the database so that every replica agrees and a session
//! can be ended from anywhere. The cookie carries a random secret; the table holds only
//! its SHA-256, so a copy of the database opens no session.

use crate::schema::staff_sessions;
use crate::sql_types::{DbId, DbTime};
use crate::staff::{self, StaffUser};
use crate::{DbConnection, Result};
use aukiolo_domain::hex::hex;
use aukiolo_domain::StaffUserId;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

/// How long a session lives: at most `lifetime` after sign-in, and until `idle` passes
/// without a request.
#[derive(Clone, Copy, Debug)]
pub struct SessionRules {
    pub lifetime: Duration,
    pub idle: Duration,
}

/// A live session and the account behind it.
#[derive(Clone, Debug)]
pub struct Session {
    pub user: StaffUser,
    /// Every form of the session carries it; a POST without it is refused.
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

/// Seen again after this long, a session's idle clock is reset (not on every request,
/// which would make every page view a write).
const TOUCH_AFTER_SECONDS: i64 = 60;

fn random_token() -> String {
    let bytes: [u8; 32] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn digest(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// Starts a session for `user`; returns the secret for the cookie with the session.
pub fn start(
    conn: &mut DbConnection,
    user: &StaffUser,
    rules: SessionRules,
    now: DateTime<Utc>,
) -> Result<(String, Session)> {
    let secret = random_token();
    let csrf_token = random_token();
    let expires_at = now + rules.lifetime;
    crate::write_transaction(conn, |conn| {
        // Expired sessions of anyone go with each sign-in, so the table stays small.
        diesel::delete(staff_sessions::table.filter(staff_sessions::expires_at.le(DbTime(now))))
            .execute(conn)?;
        diesel::insert_into(staff_sessions::table)
            .values((
                staff_sessions::id.eq(digest(&secret)),
                staff_sessions::staff_id.eq(DbId::from(user.id)),
                staff_sessions::access_version.eq(user.access_version),
                staff_sessions::csrf_token.eq(&csrf_token),
                staff_sessions::created_at.eq(DbTime(now)),
                staff_sessions::last_seen_at.eq(DbTime(now)),
                staff_sessions::expires_at.eq(DbTime(expires_at)),
            ))
            .execute(conn)?;
        Ok::<_, crate::StoreError>(())
    })?;
    Ok((secret, Session { user: user.clone(), csrf_token, expires_at }))
}

/// The session behind a cookie's secret, if it is live and its account may still act
/// (the same [`staff::authorise`] check as a token's).
pub fn find(
    conn: &mut DbConnection,
    secret: &str,
    rules: SessionRules,
    now: DateTime<Utc>,
) -> Result<Option<Session>> {
    let id = digest(secret);
    let row: Option<(DbId, i64, String, DbTime, DbTime)> = staff_sessions::table
        .find(&id)
        .select((
            staff_sessions::staff_id,
            staff_sessions::access_version,
            staff_sessions::csrf_token,
            staff_sessions::last_seen_at,
            staff_sessions::expires_at,
        ))
        .first(conn)
        .optional()?;
    let Some((staff_id, version, csrf_token, DbTime(last_seen), DbTime(expires_at))) = row else {
        return Ok(None);
    };
    if expires_at <= now || last_seen + rules.idle <= now {
        return Ok(None);
    }
    let Some(user) = staff::authorise(conn, staff_id.into(), version)? else {
        return Ok(None);
    };
    if now - last_seen >= Duration::seconds(TOUCH_AFTER_SECONDS) {
        diesel::update(staff_sessions::table.find(&id))
            .set(staff_sessions::last_seen_at.eq(DbTime(now)))
            .execute(conn)?;
    }
    Ok(Some(Session { user, csrf_token, expires_at }))
}

/// Signs out: the session behind this secret ends.
pub fn end(conn: &mut DbConnection, secret: &str) -> Result<()> {
    diesel::delete(staff_sessions::table.find(digest(secret))).execute(conn)?;
    Ok(())
}

/// Ends every session of an account (its access changed, or it is deleted).
pub fn end_all(conn: &mut DbConnection, staff: StaffUserId) -> Result<usize> {
    Ok(diesel::delete(staff_sessions::table.filter(staff_sessions::staff_id.eq(DbId::from(staff))))
        .execute(conn)?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn secrets_are_random_and_stored_hashed() {
        let (a, b) = (super::random_token(), super::random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(super::digest(&a).len(), 64);
        assert_ne!(super::digest(&a), a);
    }
}
