//! The r2d2 pool over the backend the URL names.
//!
//! A request waits for a connection at most `wait` (the server's `database.pool_wait_ms`,
//! hundreds of milliseconds): past that the service is overloaded or the database is away,
//! and a quick 503 with `Retry-After` serves the client better than a queue. A connection
//! that broke (a transaction left open or in error, the server gone mid-request) is
//! dropped instead of going back into the pool.
//!
//! Connections are pinged when they are taken only for a while after one was found lost:
//! a ping on every request would be one more round trip each. After an outage the pings
//! sort the dead connections out before requests get them; a connection that died idle
//! with nothing else failing (the database restarted at night) fails its first statement,
//! which answers that one request with 503, drops the connection and starts the pings.

use crate::backend::{Backend, DbConnection};
use crate::StoreError;
use diesel::connection::SimpleConnection;
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// How many connections, and how long a request may wait for one.
#[derive(Clone, Copy, Debug)]
pub struct PoolSettings {
    pub max_size: u32,
    pub wait: Duration,
    /// Open connections only when asked for, none in the background: for commands that
    /// end when their work is done. A process that exits while a PostgreSQL connection is
    /// still being opened on a pool thread can crash as libpq and OpenSSL are torn down
    /// under it (seen as SIGSEGV after `aukiolo purge --dry-run` had printed its report).
    pub lazy: bool,
}

impl PoolSettings {
    /// `max_size` connections and a patient wait, for tools and tests that are not
    /// serving anyone.
    pub fn sized(max_size: u32) -> Self {
        PoolSettings { max_size, wait: Duration::from_secs(10), lazy: false }
    }
}

thread_local! {
    /// Set when this thread saw its connection fail as lost; the connection going back
    /// to the pool from this thread is then dropped (`has_broken`).
    static LOST: Cell<bool> = const { Cell::new(false) };
}

/// Marks the connection in use on this thread as broken.
pub(crate) fn connection_lost() {
    LOST.set(true);
    suspect_connections();
}

/// How long after a lost connection every checkout pings: long enough for a pool's idle
/// connections to be taken once each after the database is back.
const SUSPECT_FOR: Duration = Duration::from_secs(60);

/// Until when (milliseconds since `epoch()`) checkouts ping.
static SUSPECT_UNTIL: AtomicU64 = AtomicU64::new(0);

fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

fn millis_now() -> u64 {
    u64::try_from(epoch().elapsed().as_millis()).unwrap_or(u64::MAX)
}

fn suspect_connections() {
    let until = millis_now().saturating_add(SUSPECT_FOR.as_millis() as u64);
    SUSPECT_UNTIL.fetch_max(until, Ordering::Relaxed);
}

fn connections_suspect() -> bool {
    millis_now() < SUSPECT_UNTIL.load(Ordering::Relaxed)
}

/// Opens connections of one backend; SQLite ones get their PRAGMAs in `Backend::connect`.
#[derive(Debug)]
pub struct Manager {
    backend: Backend,
}

impl r2d2::ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = StoreError;

    fn connect(&self) -> Result<DbConnection, StoreError> {
        self.backend.connect()
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), StoreError> {
        if connections_suspect() {
            conn.batch_execute("SELECT 1").map_err(StoreError::from)?;
        }
        Ok(())
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        let broken = LOST.replace(false) || diesel::r2d2::R2D2Connection::is_broken(conn);
        if broken {
            suspect_connections();
        }
        broken
    }
}

pub type Pool = r2d2::Pool<Manager>;
pub type PooledConn = r2d2::PooledConnection<Manager>;

/// Builds a pool and opens its first connection, so a wrong URL or a server that is down
/// is reported at start-up with the driver's message.
pub fn connect(backend: Backend, settings: PoolSettings) -> Result<Pool, StoreError> {
    // Try once ourselves: r2d2 would only say "timed out" after its timeout.
    drop(backend.connect()?);
    // Unchecked: the other connections open in the background, not within one `wait`.
    Ok(r2d2::Pool::builder()
        .max_size(settings.max_size)
        .min_idle(settings.lazy.then_some(0))
        .connection_timeout(settings.wait)
        .event_handler(Box::new(crate::telemetry::PoolEvents))
        .build_unchecked(Manager { backend }))
}

/// Whether the database answers a query through this pool now: an idle connection if
/// there is one, else a new one within the pool's wait. For readiness probes.
pub fn answers(pool: &Pool) -> bool {
    pool.try_get().or_else(|| pool.get().ok()).is_some_and(|mut c| c.batch_execute("SELECT 1").is_ok())
}

/// Like `connect`, then applies pending migrations.
pub fn connect_and_migrate(backend: Backend, settings: PoolSettings) -> Result<Pool, StoreError> {
    let pool = connect(backend, settings)?;
    let mut conn = pool.get()?;
    crate::migrations::run(&mut conn)?;
    drop(conn);
    Ok(pool)
}
