//! What every handler shares: the pool and the settings that shape the API's behaviour.

use crate::ApiError;
use aukiolo_store::clock::Clock;
use aukiolo_store::slots::Horizon;
use aukiolo_store::{DbConnection, Pool};
use chrono::{DateTime, Utc};
use std::time::Duration;

/// Settings the server passes in from its configuration.
#[derive(Clone)]
pub struct ApiSettings {
    /// HMAC key for staff tokens (at least 32 bytes).
    pub jwt_secret: Vec<u8>,
    pub token_ttl: Duration,
    /// How many weeks ahead slots are materialised.
    pub slot_horizon_weeks: u32,
    /// Failed sign-ins tolerated per account, and per client address, within `login_window`.
    pub login_max_failures_account: i64,
    pub login_max_failures_address: i64,
    pub login_window: Duration,
    /// Count sign-in failures per the client address in `Forwarded`/`X-Forwarded-For`
    /// (behind a trusted reverse proxy) instead of the peer address.
    pub trust_forwarded_for: bool,
    /// Secret from which the personal-data encryption and look-up keys are derived.
    pub personal_data_secret: Vec<u8>,
    /// Unanswered calls after which a phone appointment is "not reached".
    pub max_call_attempts: i64,
}

impl std::fmt::Debug for ApiSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiSettings")
            .field("jwt_secret", &"***")
            .field("token_ttl", &self.token_ttl)
            .field("slot_horizon_weeks", &self.slot_horizon_weeks)
            .finish_non_exhaustive()
    }
}

impl ApiSettings {
    /// The sign-in throttle, as `store::sign_in` takes it.
    pub fn sign_in_rules(&self) -> aukiolo_store::sign_in::SignInRules {
        aukiolo_store::sign_in::SignInRules {
            max_failures_account: self.login_max_failures_account,
            max_failures_address: self.login_max_failures_address,
            window: chrono::Duration::from_std(self.login_window).unwrap_or(chrono::Duration::minutes(15)),
        }
    }

    /// Defaults for tests and the embedded default, with the given key.
    pub fn with_secret(jwt_secret: Vec<u8>) -> Self {
        ApiSettings {
            jwt_secret,
            token_ttl: Duration::from_secs(10 * 3600),
            slot_horizon_weeks: 8,
            login_max_failures_account: 5,
            login_max_failures_address: 20,
            login_window: Duration::from_secs(15 * 60),
            trust_forwarded_for: false,
            personal_data_secret: b"aukiolo test personal data secret".to_vec(),
            max_call_attempts: 3,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub settings: ApiSettings,
    pub(crate) keys: crate::auth::jwt::Keys,
    pub(crate) personal: aukiolo_store::personal_data::PersonalDataKeys,
    /// Signs and checks citizens' manage links (the same key as staff tokens).
    pub links: aukiolo_store::links::ManageLinks,
    /// Every handler's "now": the system clock, unless a test built the state.
    pub clock: Clock,
}

impl AppState {
    pub fn new(pool: Pool, settings: ApiSettings) -> Self {
        let keys = crate::auth::jwt::Keys::new(&settings.jwt_secret);
        let personal =
            aukiolo_store::personal_data::PersonalDataKeys::from_secret(&settings.personal_data_secret);
        let links = aukiolo_store::links::ManageLinks::new(&settings.jwt_secret);
        AppState { pool, settings, keys, personal, links, clock: Clock::system() }
    }

    /// The same state on another clock (tests put the application at a chosen instant).
    pub fn with_clock(self, clock: Clock) -> Self {
        AppState { clock, ..self }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The citizen's manage token of a booking (see `ManageLinks::issue`).
    pub fn manage_token(&self, b: &aukiolo_domain::booking::Booking) -> String {
        self.links.issue(b)
    }

    /// The slot horizon as seen now.
    pub fn horizon(&self) -> Horizon {
        Horizon::weeks(self.now(), self.settings.slot_horizon_weeks)
    }

    /// Runs blocking database work on actix's blocking pool with a pooled connection.
    pub async fn db<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        actix_web::web::block(move || {
            let mut conn = pool.get().map_err(aukiolo_store::StoreError::from)?;
            f(&mut conn)
        })
        .await
        .map_err(|e| ApiError::Internal(format!("blocking task failed: {e}")))?
    }
}
