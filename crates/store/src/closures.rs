//! Office closures (moves, training days, local holidays). Like absences, a closure over
//! booked slots keeps the bookings and marks them as conflicts.

use crate::schema::closures;
use crate::slots::Horizon;
use crate::sql_types::DbId;
use crate::{DbConnection, Result, StoreError};
use aukiolo_domain::calendar::{Closure, ClosureFields};
use aukiolo_domain::{ClosureId, OfficeId};
use chrono::NaiveDate;
use diesel::prelude::*;

#[derive(Queryable, Selectable)]
#[diesel(table_name = closures)]
struct ClosureRow {
    id: DbId,
    office_id: DbId,
    first_day: NaiveDate,
    last_day: NaiveDate,
    reason: String,
}

impl From<ClosureRow> for Closure {
    fn from(r: ClosureRow) -> Self {
        Closure {
            id: r.id.into(),
            fields: ClosureFields {
                office_id: r.office_id.into(),
                first_day: r.first_day,
                last_day: r.last_day,
                reason: r.reason,
            },
        }
    }
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = closures)]
struct ClosureWrite<'a> {
    office_id: DbId,
    first_day: NaiveDate,
    last_day: NaiveDate,
    reason: &'a str,
}

impl<'a> From<&'a ClosureFields> for ClosureWrite<'a> {
    fn from(f: &'a ClosureFields) -> Self {
        ClosureWrite {
            office_id: f.office_id.into(),
            first_day: f.first_day,
            last_day: f.last_day,
            reason: &f.reason,
        }
    }
}

/// Closures of an office that last until `from` or later (all with `None`).
pub fn list_for_office(
    conn: &mut DbConnection,
    office: OfficeId,
    from: Option<NaiveDate>,
) -> Result<Vec<Closure>> {
    let mut query = closures::table
        .filter(closures::office_id.eq(DbId::from(office)))
        .select(ClosureRow::as_select())
        .order(closures::first_day)
        .into_boxed();
    if let Some(from) = from {
        query = query.filter(closures::last_day.ge(from));
    }
    Ok(query.load(conn)?.into_iter().map(Closure::from).collect())
}

pub fn get(conn: &mut DbConnection, id: ClosureId) -> Result<Closure> {
    Ok(closures::table
        .find(DbId::from(id))
        .select(ClosureRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound("closure"))?
        .into())
}

fn check_office(conn: &mut DbConnection, office: OfficeId) -> Result<()> {
    crate::offices::get(conn, office).map(drop).map_err(|e| match e {
        StoreError::NotFound(_) => StoreError::field("office_id", "no such office"),
        other => other,
    })
}

pub fn create(conn: &mut DbConnection, f: &ClosureFields, horizon: &Horizon) -> Result<Closure> {
    crate::write_transaction(conn, |conn| {
        crate::slots::lock_offices(conn, &[f.office_id])?;
        check_office(conn, f.office_id)?;
        let id = ClosureId::new();
        diesel::insert_into(closures::table)
            .values((closures::id.eq(DbId::from(id)), ClosureWrite::from(f)))
            .execute(conn)?;
        crate::slots::refresh_office(conn, f.office_id, horizon)?;
        Ok(Closure { id, fields: f.clone() })
    })
}

pub fn update(
    conn: &mut DbConnection,
    id: ClosureId,
    f: &ClosureFields,
    horizon: &Horizon,
) -> Result<Closure> {
    crate::write_transaction(conn, |conn| {
        let old = get(conn, id)?;
        crate::slots::lock_offices(conn, &[old.fields.office_id, f.office_id])?;
        check_office(conn, f.office_id)?;
        diesel::update(closures::table.find(DbId::from(id))).set(ClosureWrite::from(f)).execute(conn)?;
        crate::slots::refresh_office(conn, f.office_id, horizon)?;
        if old.fields.office_id != f.office_id {
            crate::slots::refresh_office(conn, old.fields.office_id, horizon)?;
        }
        Ok(Closure { id, fields: f.clone() })
    })
}

pub fn delete(conn: &mut DbConnection, id: ClosureId, horizon: &Horizon) -> Result<()> {
    crate::write_transaction(conn, |conn| {
        let old = get(conn, id)?;
        crate::slots::lock_offices(conn, &[old.fields.office_id])?;
        diesel::delete(closures::table.find(DbId::from(id))).execute(conn)?;
        crate::slots::refresh_office(conn, old.fields.office_id, horizon)?;
        Ok(())
    })
}
