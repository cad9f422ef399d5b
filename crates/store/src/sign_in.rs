//! Staff sign-in, the same for the API's token and the pages' session: failures counted
//! per account and per client address in the database (so every replica agrees), the
//! slow password check made without holding a pooled connection.

use crate::staff::{self, StaffUser};
use crate::{login_throttle, passwords, Pool, Result};
use chrono::{DateTime, Duration, Utc};

/// Failed sign-ins tolerated within `window`, per account and per client address.
#[derive(Clone, Copy, Debug)]
pub struct SignInRules {
    pub max_failures_account: i64,
    pub max_failures_address: i64,
    pub window: Duration,
}

/// How a sign-in ended.
#[derive(Debug)]
pub enum SignIn {
    Accepted(StaffUser),
    /// Wrong e-mail or password, or a deactivated account (not saying which).
    Refused,
    /// Too many failures lately; try again after this many seconds.
    Throttled {
        retry_after_secs: u64,
    },
}

/// Checks `email` and `password` from `address`. Blocking: run it off the async threads.
pub fn sign_in(
    pool: &Pool,
    rules: SignInRules,
    email: &str,
    password: &str,
    address: &str,
    now: DateTime<Utc>,
) -> Result<SignIn> {
    let email = staff::normalise_email(email);
    let keys = vec![format!("account:{email}"), format!("ip:{address}")];
    let limits = [rules.max_failures_account, rules.max_failures_address];
    let (attempt, user) = {
        let mut conn = pool.get()?;
        // Counted and recorded in one step, before the password check, so that parallel
        // attempts cannot all slip in under the limit.
        let attempt = crate::write_transaction(&mut conn, |conn| {
            login_throttle::lock(conn, &keys)?;
            for (key, limit) in keys.iter().zip(limits) {
                let (failures, latest) = login_throttle::failures_since(conn, key, now - rules.window)?;
                if failures >= limit {
                    let until = latest.unwrap_or(now) + rules.window;
                    let retry_after_secs = (until - now).num_seconds().max(1) as u64;
                    return Ok(Err(retry_after_secs));
                }
            }
            login_throttle::prune(conn, now - rules.window * 4)?;
            Ok::<_, crate::StoreError>(Ok(login_throttle::record_failure(conn, &keys, now)?))
        })?;
        let attempt = match attempt {
            Ok(a) => a,
            Err(retry_after_secs) => return Ok(SignIn::Throttled { retry_after_secs }),
        };
        (attempt, staff::find_by_email(&mut conn, &email)?)
    };
    let ok = match &user {
        Some(u) => passwords::verify(password, &u.password_hash) && u.active,
        None => {
            passwords::verify_dummy(password);
            false
        }
    };
    let Some(user) = user.filter(|_| ok) else {
        tracing::info!("failed staff sign-in");
        return Ok(SignIn::Refused);
    };
    let mut conn = pool.get()?;
    crate::write_transaction(&mut conn, |conn| {
        login_throttle::clear(conn, &keys[0])?;
        login_throttle::forget(conn, &attempt)
    })?;
    tracing::info!(staff = %user.id, "staff signed in");
    Ok(SignIn::Accepted(user))
}
