//! Staff sign-in, the same for the API's token and the pages' session: failures counted
//! in the database (so every replica agrees), the slow password check made without
//! holding a pooled connection.
//!
//! Failures are counted per account *and* client address, so that five wrong passwords
//! from anywhere cannot lock the owner out of their account elsewhere; per address, so
//! that one address cannot try many accounts; and per account over a longer window with
//! a higher limit, so that guessing from many addresses stays slow too.

use crate::staff::{self, StaffUser};
use crate::{login_throttle, passwords, Pool, Result};
use chrono::{DateTime, Duration, Utc};

/// Failed sign-ins tolerated: per account and address, and per address, within `window`;
/// per account from every address within `account_window`.
#[derive(Clone, Copy, Debug)]
pub struct SignInRules {
    pub max_failures_account_address: i64,
    pub max_failures_address: i64,
    pub window: Duration,
    pub max_failures_account: i64,
    pub account_window: Duration,
}

impl Default for SignInRules {
    fn default() -> Self {
        SignInRules {
            max_failures_account_address: 5,
            max_failures_address: 20,
            window: Duration::minutes(15),
            max_failures_account: 50,
            account_window: Duration::minutes(60),
        }
    }
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
    // The pair's key is the one a successful sign-in clears.
    let keys = vec![format!("pair:{email}|{address}"), format!("ip:{address}"), format!("account:{email}")];
    let limits = [
        (rules.max_failures_account_address, rules.window),
        (rules.max_failures_address, rules.window),
        (rules.max_failures_account, rules.account_window),
    ];
    let (attempt, user) = {
        let mut conn = pool.get()?;
        // Counted and recorded in one step, before the password check, so that parallel
        // attempts cannot all slip in under the limit.
        let attempt = crate::write_transaction(&mut conn, |conn| {
            login_throttle::lock(conn, &keys)?;
            for (key, (limit, window)) in keys.iter().zip(limits) {
                let (failures, latest) = login_throttle::failures_since(conn, key, now - window)?;
                if failures >= limit {
                    let until = latest.unwrap_or(now) + window;
                    let retry_after_secs = (until - now).num_seconds().max(1) as u64;
                    return Ok(Err(retry_after_secs));
                }
            }
            login_throttle::prune(conn, now - rules.window.max(rules.account_window) * 4)?;
            Ok::<_, crate::StoreError>(Ok(login_throttle::record_failure(conn, &keys, now)?))
        })?;
        let attempt = match attempt {
            Ok(a) => a,
            Err(retry_after_secs) => {
                crate::telemetry::refused(crate::telemetry::Refusal::SignInThrottle);
                return Ok(SignIn::Throttled { retry_after_secs });
            }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::staff::NewStaffUser;
    use aukiolo_domain::staff::Role;
    use chrono::TimeZone;

    fn sign_in_at(
        db: &crate::test_support::TestDb,
        rules: SignInRules,
        password: &str,
        address: &str,
    ) -> SignIn {
        let now = Utc.with_ymd_and_hms(2027, 3, 2, 9, 0, 0).unwrap();
        sign_in(&db.pool, rules, "aino@kela.test", password, address, now).unwrap()
    }

    crate::backend_tests! {
        fn wrong_passwords_lock_one_address_and_many_addresses_lock_the_account(db) {
            let hash = passwords::hash("right horse battery");
            let new = NewStaffUser {
                email: "aino@kela.test",
                password_hash: &hash,
                role: Role::Admin,
                office_id: None,
                advisor_id: None,
            };
            staff::create(&mut db.conn(), &new, Utc::now()).unwrap();
            let rules = SignInRules { max_failures_account_address: 2, max_failures_account: 5, ..SignInRules::default() };
            for _ in 0..2 {
                assert!(matches!(sign_in_at(db, rules, "wrong", "192.0.2.1"), SignIn::Refused));
            }
            assert!(matches!(sign_in_at(db, rules, "right horse battery", "192.0.2.1"), SignIn::Throttled { .. }));
            // The owner elsewhere is not held back; their success forgets nothing of the
            // others' failures against the account.
            assert!(matches!(sign_in_at(db, rules, "right horse battery", "192.0.2.2"), SignIn::Accepted(_)));
            for address in ["198.51.100.1", "198.51.100.2", "198.51.100.3"] {
                assert!(matches!(sign_in_at(db, rules, "wrong", address), SignIn::Refused));
            }
            let SignIn::Throttled { retry_after_secs } = sign_in_at(db, rules, "right horse battery", "192.0.2.3") else {
                panic!("five failures from anywhere hold the account back");
            };
            assert!((1..=3600).contains(&retry_after_secs), "{retry_after_secs}");
        }
    }
}
