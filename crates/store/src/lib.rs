//! Aukiolo's storage: one diesel code base over SQLite (the embedded default) and
//! PostgreSQL (production), with transactions that keep the invariants of DESIGN.md §4.

pub mod absences;
pub mod advisors;
pub mod audit;
pub mod backend;
pub mod bookings;
pub mod closures;
mod error;
mod json;
pub mod login_throttle;
pub mod migrations;
pub mod offices;
pub mod personal_data;
pub mod pool;
pub mod rules;
pub mod schema;
pub mod slots;
pub mod sql_types;
pub mod staff;
#[cfg(any(test, feature = "test-support"))]
pub mod test_support;
pub mod topics;
pub mod visits;

pub use backend::{Backend, DbConnection};
pub use error::StoreError;
pub use pool::{Pool, PooledConn};

/// The result type of every store function.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Runs `f` in a transaction that writes. On SQLite the write lock is taken first, so a
/// writer waits its turn (busy timeout) instead of failing when it upgrades a read
/// transaction that another writer has overtaken.
pub fn write_transaction<T>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T>,
) -> Result<T> {
    use diesel::connection::{Connection, SimpleConnection};
    conn.transaction(|conn| {
        if matches!(conn, DbConnection::Sqlite(_)) {
            conn.batch_execute("UPDATE offices SET id = id WHERE 1 = 0")?;
        }
        f(conn)
    })
}
