//! Layered configuration: `config/default.toml` (compiled in) < `--config FILE` <
//! `AUKIOLO_*` environment variables (and `DATABASE_URL`) < command-line flags.

use anyhow::{bail, Context, Result};
use aukiolo_store::rate_limits::{Limit, RateLimits};
use serde::Deserialize;
use std::path::{Path, PathBuf};

const DEFAULTS: &str = include_str!("../../../config/default.toml");

/// Top level: no `deny_unknown_fields`, since other `AUKIOLO_*` variables (such as
/// `AUKIOLO_DEMO_PASSWORD`) share the prefix. The sections are strict.
#[derive(Debug, Deserialize)]
pub struct Settings {
    pub bind: String,
    pub data_dir: PathBuf,
    pub metrics: MetricsSettings,
    pub log: LogSettings,
    pub database: DatabaseSettings,
    pub slots: SlotSettings,
    pub auth: AuthSettings,
    pub bookings: BookingSettings,
    pub personal_data: PersonalDataSettings,
    pub mail: MailSettings,
    pub worker: OutboxWorkerSettings,
    pub limits: LimitSettings,
    pub http: HttpSettings,
    pub retention: RetentionSettings,
    /// What the pages tell citizens about the organisation's other channels.
    pub service: aukiolo_web::pages::ServiceInfo,
}

/// The operators' Prometheus endpoint (`crate::prometheus`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsSettings {
    /// Empty: none.
    pub bind: String,
}

impl MetricsSettings {
    pub fn bind(&self) -> Option<&str> {
        Some(self.bind.trim()).filter(|b| !b.is_empty())
    }
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    pub format: LogFormat,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailSettings {
    pub smtp_url: String,
    /// Only from the environment (`AUKIOLO_MAIL__USERNAME`, `AUKIOLO_MAIL__PASSWORD`).
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
    pub from: String,
    pub public_url: String,
    pub timeout_seconds: u64,
}

impl std::fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailSettings")
            .field("smtp_url", &self.smtp_url)
            .field("from", &self.from)
            .field("public_url", &self.public_url)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutboxWorkerSettings {
    pub in_serve: bool,
    pub batch: i64,
    pub lease_seconds: i64,
    pub idle_ms: u64,
    pub concurrency: usize,
    pub max_attempts: u32,
    pub backoff_base_seconds: i64,
    pub backoff_max_seconds: i64,
}

/// How long personal data, audit entries and sent messages are kept (DESIGN.md §4.7), and
/// when `serve` purges what is older.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionSettings {
    /// Months after a visit that its booking keeps the citizen's personal data.
    pub bookings_months: u32,
    /// Months an audit entry is kept.
    pub audit_months: u32,
    /// Days a sent, dead or void message is kept.
    pub outbox_days: u32,
    /// Whether `serve` purges once a day.
    pub run_in_serve: bool,
    /// The wall-clock time of the daily purge, `HH:MM`.
    pub daily_at: String,
    /// The zone of `daily_at`.
    pub time_zone: String,
}

impl RetentionSettings {
    pub fn periods(&self) -> aukiolo_store::retention::Periods {
        aukiolo_store::retention::Periods {
            bookings_months: self.bookings_months,
            audit_months: self.audit_months,
            outbox_days: self.outbox_days,
        }
    }

    /// `daily_at` as a time of day.
    pub fn daily_at(&self) -> Result<chrono::NaiveTime> {
        chrono::NaiveTime::parse_from_str(&self.daily_at, "%H:%M")
            .with_context(|| format!("retention.daily_at `{}` is not a time HH:MM", self.daily_at))
    }

    pub fn time_zone(&self) -> Result<chrono_tz::Tz> {
        self.time_zone
            .parse()
            .map_err(|_| anyhow::anyhow!("retention.time_zone `{}` is not a time zone", self.time_zone))
    }

    fn check(&self) -> Result<()> {
        // Manage links live a day past the visit: a month keeps a purge clear of them.
        if !(1..=1200).contains(&self.bookings_months) || !(1..=1200).contains(&self.audit_months) {
            bail!("retention: bookings_months and audit_months must be between 1 and 1200");
        }
        if !(1..=36_500).contains(&self.outbox_days) {
            bail!("retention: outbox_days must be between 1 and 36500");
        }
        self.daily_at()?;
        self.time_zone()?;
        Ok(())
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookingSettings {
    pub max_call_attempts: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonalDataSettings {
    /// Only from the environment (`AUKIOLO_PERSONAL_DATA__KEY`).
    #[serde(default)]
    pub key: Option<String>,
    pub key_file: String,
}

impl std::fmt::Debug for PersonalDataSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PersonalDataSettings").field("key_file", &self.key_file).finish_non_exhaustive()
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    pub url: String,
    pub pool_size: u32,
    /// How long a request waits for a pooled connection before a 503.
    pub pool_wait_ms: u64,
}

/// What one client may ask of the public endpoints (`store::rate_limits`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitSettings {
    /// How often a replica adds its counts to the database and reads everyone's.
    pub sync_interval_ms: u64,
    pub bookings_per_address: Limit,
    pub bookings_per_person: Limit,
    pub availability_per_address: Limit,
    pub lost_links_per_address: Limit,
}

impl LimitSettings {
    pub fn rates(&self) -> RateLimits {
        RateLimits {
            bookings_per_address: self.bookings_per_address,
            bookings_per_person: self.bookings_per_person,
            availability_per_address: self.availability_per_address,
            lost_links_per_address: self.lost_links_per_address,
        }
    }
}

/// Bounds on what a connection may hold of the server (docs/operations.md pairs them with
/// the reverse proxy's).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpSettings {
    /// Open connections per process; more wait in the listen queue.
    pub max_connections: usize,
    /// Time to send the request head.
    pub header_timeout_ms: u64,
    /// Time to send the whole body, from the end of the head.
    pub body_timeout_ms: u64,
    /// Largest body accepted (JSON and forms).
    pub max_body_bytes: usize,
    /// How long an idle keep-alive connection stays open.
    pub keep_alive_seconds: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlotSettings {
    pub horizon_weeks: u32,
    pub refresh_interval_minutes: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    /// Only from the environment (`AUKIOLO_AUTH__JWT_SECRET`).
    #[serde(default)]
    pub jwt_secret: Option<String>,
    pub jwt_secret_file: String,
    pub token_ttl_minutes: u64,
    pub session_idle_minutes: u64,
    /// Failures per account and client address, and per address, within the window.
    pub login_max_failures_account_address: i64,
    pub login_max_failures_address: i64,
    pub login_window_minutes: u64,
    /// Failures per account from every address, within their own (longer) window.
    pub login_max_failures_account: i64,
    pub login_account_window_minutes: u64,
    pub trust_forwarded_for: bool,
}

impl std::fmt::Debug for AuthSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthSettings")
            .field("jwt_secret", &self.jwt_secret.as_ref().map(|_| "***"))
            .field("jwt_secret_file", &self.jwt_secret_file)
            .finish_non_exhaustive()
    }
}

/// Flags that override everything else when given.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub config_file: Option<PathBuf>,
    pub data_dir: Option<PathBuf>,
    pub bind: Option<String>,
}

impl Settings {
    pub fn load(overrides: &Overrides) -> Result<Self> {
        let mut builder =
            config::Config::builder().add_source(config::File::from_str(DEFAULTS, config::FileFormat::Toml));
        if let Some(file) = &overrides.config_file {
            if !file.exists() {
                bail!("configuration file {} does not exist", file.display());
            }
            builder = builder.add_source(config::File::from(file.as_path()).format(config::FileFormat::Toml));
        }
        builder = builder.add_source(
            config::Environment::with_prefix("AUKIOLO")
                .prefix_separator("_")
                .separator("__")
                .try_parsing(true),
        );
        if let Ok(url) = std::env::var("DATABASE_URL") {
            builder = builder.set_override("database.url", url)?;
        }
        if let Some(dir) = &overrides.data_dir {
            builder = builder.set_override("data_dir", dir.to_string_lossy().into_owned())?;
        }
        if let Some(bind) = &overrides.bind {
            builder = builder.set_override("bind", bind.clone())?;
        }
        let settings: Settings =
            builder.build().and_then(|c| c.try_deserialize()).context("invalid configuration")?;
        settings.check()?;
        Ok(settings)
    }

    fn check(&self) -> Result<()> {
        if !(1..=52).contains(&self.slots.horizon_weeks) {
            bail!("slots.horizon_weeks must be between 1 and 52");
        }
        if self.slots.refresh_interval_minutes == 0 {
            bail!("slots.refresh_interval_minutes must be at least 1");
        }
        if self.database.pool_size == 0 {
            bail!("database.pool_size must be at least 1");
        }
        if !(1..=60_000).contains(&self.database.pool_wait_ms) {
            bail!("database.pool_wait_ms must be 1–60000");
        }
        let l = &self.limits;
        if l.sync_interval_ms == 0
            || [
                l.bookings_per_address,
                l.bookings_per_person,
                l.availability_per_address,
                l.lost_links_per_address,
            ]
            .iter()
            .any(|x| x.max < 0 || x.window_seconds < 1)
        {
            bail!("limits: sync_interval_ms and every window_seconds must be at least 1, max at least 0 (0: no limit)");
        }
        let h = &self.http;
        if h.max_connections == 0
            || h.header_timeout_ms == 0
            || h.body_timeout_ms == 0
            || h.max_body_bytes < 1024
        {
            bail!("http: max_connections and the timeouts must be at least 1, max_body_bytes at least 1024");
        }
        let w = &self.worker;
        if !(1..=1000).contains(&w.batch) || w.lease_seconds < 1 || w.concurrency == 0 || w.max_attempts == 0
        {
            bail!("worker: batch must be 1–1000, lease_seconds, concurrency and max_attempts at least 1");
        }
        if w.backoff_base_seconds < 0 || w.backoff_max_seconds < w.backoff_base_seconds {
            bail!("worker: backoff_base_seconds must be at least 0 and at most backoff_max_seconds");
        }
        self.retention.check()?;
        if let Err(e) = self.mail.from.parse::<lettre::message::Mailbox>() {
            bail!("mail.from `{}` is not an e-mail address: {e}", self.mail.from);
        }
        Ok(())
    }

    /// The database URL: configured, or SQLite inside the data dir.
    pub fn database_url(&self) -> String {
        if self.database.url.trim().is_empty() {
            format!("sqlite://{}", self.data_dir.join("aukiolo.db").display())
        } else {
            self.database.url.trim().to_owned()
        }
    }

    /// The pool as `serve`, `worker` and the other commands open it.
    pub fn pool_settings(&self) -> aukiolo_store::pool::PoolSettings {
        aukiolo_store::pool::PoolSettings {
            max_size: self.database.pool_size,
            wait: std::time::Duration::from_millis(self.database.pool_wait_ms),
            lazy: false,
        }
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }
}
