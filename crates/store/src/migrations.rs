//! Embedded migrations, one folder per backend with the same names.

use crate::{DbConnection, StoreError};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

const SQLITE: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// Any constant: replicas starting together take turns on PostgreSQL under this lock.
const PG_MIGRATION_LOCK: i64 = 27_444_201_607;

/// The migrations not yet applied, without applying any (for commands that promise to
/// change nothing).
pub fn pending(conn: &mut DbConnection) -> Result<Vec<String>, StoreError> {
    let pending = match conn {
        DbConnection::Pg(c) => {
            c.pending_migrations(POSTGRES).map(|v| v.iter().map(|m| m.name().to_string()).collect())
        }
        DbConnection::Sqlite(c) => {
            c.pending_migrations(SQLITE).map(|v| v.iter().map(|m| m.name().to_string()).collect())
        }
    };
    pending.map_err(|e| StoreError::Migration(e.to_string()))
}

/// Applies every pending migration and stores the pilot questionnaire if missing; returns
/// the versions applied.
pub fn run(conn: &mut DbConnection) -> Result<Vec<String>, StoreError> {
    let applied = match conn {
        DbConnection::Pg(c) => {
            use diesel::RunQueryDsl;
            diesel::sql_query("SELECT pg_advisory_lock($1)")
                .bind::<diesel::sql_types::BigInt, _>(PG_MIGRATION_LOCK)
                .execute(c)?;
            let result =
                c.run_pending_migrations(POSTGRES).map(|v| v.iter().map(|m| m.to_string()).collect());
            // Not unlocking is harmless: the lock goes with the session.
            let _ = diesel::sql_query("SELECT pg_advisory_unlock($1)")
                .bind::<diesel::sql_types::BigInt, _>(PG_MIGRATION_LOCK)
                .execute(c);
            result
        }
        DbConnection::Sqlite(c) => {
            c.run_pending_migrations(SQLITE).map(|v| v.iter().map(|m| m.to_string()).collect())
        }
    };
    let applied = applied.map_err(|e| StoreError::Migration(e.to_string()))?;
    // Every database has the questionnaire that invitations refer to, whichever command
    // (`migrate`, `serve`, a test) brought its schema up to date.
    crate::questionnaires::ensure_pilot(conn, chrono::Utc::now())?;
    Ok(applied)
}
