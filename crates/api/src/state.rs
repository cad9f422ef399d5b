//! What every handler shares: the pool and the settings that shape the API's behaviour.

use crate::ApiError;
use aukiolo_store::clock::Clock;
use aukiolo_store::rate_limits::{client_address, Counted, RateLimiter};
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
    /// The sign-in throttle (`store::sign_in`).
    pub sign_in: aukiolo_store::sign_in::SignInRules,
    /// What one client may ask of the public endpoints (`store::rate_limits`).
    pub rate_limits: aukiolo_store::rate_limits::RateLimits,
    /// Count limits and sign-in failures per the client address in `X-Forwarded-For`
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
    /// Defaults for tests, with the given key and no rate limits.
    #[cfg(any(test, feature = "test-support"))]
    pub fn with_secret(jwt_secret: Vec<u8>) -> Self {
        ApiSettings {
            jwt_secret,
            token_ttl: Duration::from_secs(10 * 3600),
            slot_horizon_weeks: 8,
            sign_in: aukiolo_store::sign_in::SignInRules::default(),
            rate_limits: aukiolo_store::rate_limits::RateLimits::UNLIMITED,
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
    /// This replica's request counts; `serve` shares it with the pages and syncs it.
    pub limiter: std::sync::Arc<RateLimiter>,
}

impl AppState {
    pub fn new(pool: Pool, settings: ApiSettings) -> Self {
        let keys = crate::auth::jwt::Keys::new(&settings.jwt_secret);
        let personal =
            aukiolo_store::personal_data::PersonalDataKeys::from_secret(&settings.personal_data_secret);
        let links = aukiolo_store::links::ManageLinks::new(&settings.jwt_secret);
        let limiter = std::sync::Arc::new(RateLimiter::new(settings.rate_limits));
        AppState { pool, settings, keys, personal, links, clock: Clock::system(), limiter }
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

    /// The client address a request counts under (see `rate_limits::client_address`).
    pub fn client_address(&self, req: &actix_web::HttpRequest) -> String {
        let forwarded = req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok());
        client_address(forwarded, req.peer_addr().map(|a| a.ip()), self.settings.trust_forwarded_for)
    }

    /// Counts one request of `what` by `key`, or refuses it with 429.
    pub fn limit(&self, what: Counted, key: &str) -> Result<(), ApiError> {
        self.limiter
            .check(what, key, self.now())
            .map_err(|r| ApiError::RateLimited { retry_after_secs: r.retry_after_secs })
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
