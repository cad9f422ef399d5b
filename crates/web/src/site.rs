//! What every page handler shares: the database, the clock, the keys, and what the
//! configuration says about the service.

use crate::error::Problem;
use crate::pages::ServiceInfo;
use crate::seal::Sealer;
use aukiolo_store::clock::Clock;
use aukiolo_store::links::ManageLinks;
use aukiolo_store::personal_data::PersonalDataKeys;
use aukiolo_store::rate_limits::{Counted, RateLimiter, RateLimits};
use aukiolo_store::{DbConnection, Pool, StoreError};
use chrono::{DateTime, Utc};
use std::sync::Arc;

#[derive(Clone)]
pub struct Site {
    pub pool: Pool,
    pub clock: Clock,
    pub personal: PersonalDataKeys,
    pub links: ManageLinks,
    /// Seals the journey's personal answers and signs form tokens.
    pub sealer: Sealer,
    pub service: ServiceInfo,
    /// How many weeks ahead times can be booked (the slot horizon).
    pub horizon_weeks: u32,
    /// Count requests per the address in `X-Forwarded-For` (behind a trusted proxy).
    pub trust_forwarded_for: bool,
    pub staff: crate::staff::StaffSettings,
    /// Limits on what one client may ask; `serve` shares the API's, tests start unlimited.
    pub limiter: Arc<RateLimiter>,
}

impl std::fmt::Debug for Site {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Site").field("horizon_weeks", &self.horizon_weeks).finish_non_exhaustive()
    }
}

/// The secrets the pages need, from the server's configuration.
pub struct Secrets<'a> {
    /// The key of staff tokens and manage links.
    pub signing: &'a [u8],
    pub personal_data: &'a [u8],
}

impl Site {
    pub fn new(
        pool: Pool,
        clock: Clock,
        secrets: Secrets<'_>,
        service: ServiceInfo,
        horizon_weeks: u32,
    ) -> Self {
        Site::with_proxy(pool, clock, secrets, service, horizon_weeks, false)
    }

    /// `new`, behind a reverse proxy whose `X-Forwarded-For` is trusted or not.
    pub fn with_proxy(
        pool: Pool,
        clock: Clock,
        secrets: Secrets<'_>,
        service: ServiceInfo,
        horizon_weeks: u32,
        trust_forwarded_for: bool,
    ) -> Self {
        Site {
            pool,
            clock,
            personal: PersonalDataKeys::from_secret(secrets.personal_data),
            links: ManageLinks::new(secrets.signing),
            sealer: Sealer::from_secret(secrets.signing),
            service,
            horizon_weeks,
            trust_forwarded_for,
            staff: crate::staff::StaffSettings::default(),
            limiter: Arc::new(RateLimiter::new(RateLimits::UNLIMITED)),
        }
    }

    /// The same site counting requests in `limiter` (the one the API counts in).
    pub fn with_limiter(self, limiter: Arc<RateLimiter>) -> Self {
        Site { limiter, ..self }
    }

    /// Counts one request of `what` by `key`, or refuses it with the 429 page.
    pub fn limit(&self, what: Counted, key: &str) -> Result<(), Problem> {
        self.limiter.check(what, key, self.now()).map_err(|r| Problem::RateLimited(r.retry_after_secs))
    }

    /// The same site with the staff pages' settings from the configuration.
    pub fn with_staff(self, staff: crate::staff::StaffSettings) -> Self {
        Site { staff, ..self }
    }

    /// The client address a request counts under (see `rate_limits::client_address`).
    pub fn client_address(&self, req: &actix_web::HttpRequest) -> String {
        let forwarded = req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok());
        aukiolo_store::rate_limits::client_address(
            forwarded,
            req.peer_addr().map(|a| a.ip()),
            self.trust_forwarded_for,
        )
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Runs database work on actix's blocking pool with a pooled connection.
    pub async fn db<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        actix_web::web::block(move || {
            let mut conn = pool.get()?;
            f(&mut conn)
        })
        .await
        .unwrap_or_else(|e| Err(StoreError::Connect(format!("blocking task failed: {e}"))))
    }

    /// `db`, with a failure shown as the error page.
    pub async fn read<T, F>(&self, f: F) -> Result<T, Problem>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        self.db(f).await.map_err(Problem::from)
    }
}
