//! The r2d2 pool over the backend the URL names.

use crate::backend::{Backend, DbConnection};
use crate::StoreError;
use diesel::connection::SimpleConnection;
use std::time::Duration;

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

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

pub type Pool = r2d2::Pool<Manager>;
pub type PooledConn = r2d2::PooledConnection<Manager>;

/// Builds a pool and opens its first connection, so a wrong URL or a server that is down
/// is reported at start-up with the driver's message.
pub fn connect(backend: Backend, max_size: u32) -> Result<Pool, StoreError> {
    // Try once ourselves: r2d2 would only say "timed out" after its timeout.
    drop(backend.connect()?);
    Ok(r2d2::Pool::builder()
        .max_size(max_size)
        .connection_timeout(Duration::from_secs(10))
        .build(Manager { backend })?)
}

/// Like `connect`, then applies pending migrations.
pub fn connect_and_migrate(backend: Backend, max_size: u32) -> Result<Pool, StoreError> {
    let pool = connect(backend, max_size)?;
    let mut conn = pool.get()?;
    crate::migrations::run(&mut conn)?;
    drop(conn);
    Ok(pool)
}
