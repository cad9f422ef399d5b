//! Failed sign-ins, counted in the database so every replica sees the same count.

use crate::schema::login_failures;
use crate::sql_types::{DbId, DbTime};
use crate::{DbConnection, Result};
use chrono::{DateTime, Utc};
use diesel::prelude::*;

/// Records one failure under each key (e.g. `account:<email>` and `ip:<address>`).
pub fn record_failure(conn: &mut DbConnection, keys: &[String], at: DateTime<Utc>) -> Result<()> {
    for key in keys {
        diesel::insert_into(login_failures::table)
            .values((
                login_failures::id.eq(DbId(uuid::Uuid::new_v4())),
                login_failures::throttle_key.eq(key),
                login_failures::failed_at.eq(DbTime(at)),
            ))
            .execute(conn)?;
    }
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
