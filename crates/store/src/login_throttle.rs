//! Failed sign-ins, counted in the database so every replica sees the same count.

use crate::schema::login_failures;
use crate::sql_types::{DbId, DbTime};
use crate::{DbConnection, Result};
use chrono::{DateTime, Utc};
use diesel::prelude::*;

/// Makes concurrent sign-ins under these keys take turns until the transaction ends
/// (PostgreSQL; SQLite writers already do), so parallel attempts cannot all be counted
/// below the limit.
pub fn lock(conn: &mut DbConnection, keys: &[String]) -> Result<()> {
    if let DbConnection::Pg(pg) = conn {
        let mut keys = keys.to_vec();
        keys.sort();
        for key in keys {
            diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 1))")
                .bind::<diesel::sql_types::Text, _>(format!("login:{key}"))
                .execute(pg)?;
        }
    }
    Ok(())
}

/// Records one failed (or not yet decided) attempt under each key (e.g.
/// `account:<email>` and `ip:<address>`); returns the rows' ids, in key order.
pub fn record_failure(
    conn: &mut DbConnection,
    keys: &[String],
    at: DateTime<Utc>,
) -> Result<Vec<uuid::Uuid>> {
    let mut ids = Vec::with_capacity(keys.len());
    for key in keys {
        let id = uuid::Uuid::new_v4();
        diesel::insert_into(login_failures::table)
            .values((
                login_failures::id.eq(DbId(id)),
                login_failures::throttle_key.eq(key),
                login_failures::failed_at.eq(DbTime(at)),
            ))
            .execute(conn)?;
        ids.push(id);
    }
    Ok(ids)
}

/// Forgets single attempts (those of a sign-in that succeeded).
pub fn forget(conn: &mut DbConnection, ids: &[uuid::Uuid]) -> Result<()> {
    let ids: Vec<DbId> = ids.iter().map(|i| DbId(*i)).collect();
    diesel::delete(login_failures::table.filter(login_failures::id.eq_any(ids))).execute(conn)?;
    Ok(())
}

/// Failures under `key` since `since`, and the latest of them.
pub fn failures_since(
    conn: &mut DbConnection,
    key: &str,
    since: DateTime<Utc>,
) -> Result<(i64, Option<DateTime<Utc>>)> {
    let times: Vec<DbTime> = login_failures::table
        .filter(login_failures::throttle_key.eq(key))
        .filter(login_failures::failed_at.ge(DbTime(since)))
        .select(login_failures::failed_at)
        .order(login_failures::failed_at.desc())
        .load(conn)?;
    Ok((times.len() as i64, times.first().map(|t| t.0)))
}

/// Forgets the failures under `key` (after a successful sign-in).
pub fn clear(conn: &mut DbConnection, key: &str) -> Result<()> {
    diesel::delete(login_failures::table.filter(login_failures::throttle_key.eq(key))).execute(conn)?;
    Ok(())
}

/// Drops failures older than `before`, so the table stays small.
pub fn prune(conn: &mut DbConnection, before: DateTime<Utc>) -> Result<usize> {
    Ok(diesel::delete(login_failures::table.filter(login_failures::failed_at.lt(DbTime(before))))
        .execute(conn)?)
}
