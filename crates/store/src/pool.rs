//! The r2d2 pool over the backend the URL names.
//!
//! A request waits for a connection at most `wait` (the server's `database.pool_wait_ms`,
//! hundreds of milliseconds): past that the service is overloaded or the database is away,
//! and a quick 503 with `Retry-After` serves the client better than a queue. A connection
//! that broke (a transaction left open or in error, the server gone mid-request) is
//! dropped instead of going back into the pool.

use crate::backend::{Backend, DbConnection};
use crate::StoreError;
use diesel::connection::SimpleConnection;
use std::cell::Cell;
use std::time::Duration;

/// How many connections, and how long a request may wait for one.
#[derive(Clone, Copy, Debug)]
pub struct PoolSettings {
    pub max_size: u32,
    pub wait: Duration,
}

impl PoolSettings {
    /// `max_size` connections and a patient wait, for tools and tests that are not
    /// serving anyone.
    pub fn sized(max_size: u32) -> Self {
        PoolSettings { max_size, wait: Duration::from_secs(10) }
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
        conn.batch_execute("SELECT 1").map_err(StoreError::from)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        LOST.replace(false) || diesel::r2d2::R2D2Connection::is_broken(conn)
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
        .connection_timeout(settings.wait)
        .build_unchecked(Manager { backend }))
}

/// Like `connect`, then applies pending migrations.
pub fn connect_and_migrate(backend: Backend, settings: PoolSettings) -> Result<Pool, StoreError> {
    let pool = connect(backend, settings)?;
    let mut conn = pool.get()?;
    crate::migrations::run(&mut conn)?;
    drop(conn);
    Ok(pool)
}
