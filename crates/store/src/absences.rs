//! Advisors' absences. An absence over booked slots keeps the bookings and marks them as
//! conflicts for the office to handle.

use crate::schema::absences;
use crate::slots::Horizon;
use crate::sql_types::{DbId, DbTime};
use crate::{DbConnection, Result, StoreError};
use aukiolo_domain::calendar::{Absence, AbsenceFields, AbsenceKind};
use aukiolo_domain::{AbsenceId, AdvisorId};
use chrono::{DateTime, Utc};
use diesel::prelude::*;

#[derive(Queryable, Selectable)]
#[diesel(table_name = absences)]
struct AbsenceRow {
    id: DbId,
    advisor_id: DbId,
    starts_at: DbTime,
    ends_at: DbTime,
    kind: String,
    note: Option<String>,
}

impl AbsenceRow {
    fn into_domain(self) -> Result<Absence> {
        Ok(Absence {
            id: self.id.into(),
            fields: AbsenceFields {
                advisor_id: self.advisor_id.into(),
                starts_at: self.starts_at.0,
                ends_at: self.ends_at.0,
                kind: AbsenceKind::parse(&self.kind)
                    .ok_or_else(|| StoreError::Corrupt(format!("absence kind `{}`", self.kind)))?,
                note: self.note,
            },
        })
    }
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = absences)]
#[diesel(treat_none_as_null = true)]
struct AbsenceWrite<'a> {
    advisor_id: DbId,
    starts_at: DbTime,
    ends_at: DbTime,
    kind: &'static str,
    note: Option<&'a str>,
}

impl<'a> From<&'a AbsenceFields> for AbsenceWrite<'a> {
    fn from(f: &'a AbsenceFields) -> Self {
        AbsenceWrite {
            advisor_id: f.advisor_id.into(),
            starts_at: f.starts_at.into(),
            ends_at: f.ends_at.into(),
            kind: f.kind.as_str(),
            note: f.note.as_deref(),
        }
    }
}

/// Absences of an advisor that end after `after` (all of them with `None`).
pub fn list_for_advisor(
    conn: &mut DbConnection,
    advisor: AdvisorId,
    after: Option<DateTime<Utc>>,
) -> Result<Vec<Absence>> {
    let mut query = absences::table
        .filter(absences::advisor_id.eq(DbId::from(advisor)))
        .select(AbsenceRow::as_select())
        .order(absences::starts_at)
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(absences::ends_at.gt(DbTime(after)));
    }
    query.load(conn)?.into_iter().map(AbsenceRow::into_domain).collect()
}

pub fn get(conn: &mut DbConnection, id: AbsenceId) -> Result<Absence> {
    absences::table
        .find(DbId::from(id))
        .select(AbsenceRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound("absence"))?
        .into_domain()
}

fn check_advisor(conn: &mut DbConnection, advisor: AdvisorId) -> Result<()> {
    crate::advisors::get(conn, advisor).map(drop).map_err(|e| match e {
        StoreError::NotFound(_) => StoreError::field("advisor_id", "no such advisor"),
        other => other,
    })
}

pub fn create(conn: &mut DbConnection, f: &AbsenceFields, horizon: &Horizon) -> Result<Absence> {
    crate::write_transaction(conn, |conn| {
        crate::slots::lock_advisors(conn, &[f.advisor_id])?;
        check_advisor(conn, f.advisor_id)?;
        let id = AbsenceId::new();
        diesel::insert_into(absences::table)
            .values((absences::id.eq(DbId::from(id)), AbsenceWrite::from(f)))
            .execute(conn)?;
        crate::slots::refresh_advisor(conn, f.advisor_id, horizon)?;
        Ok(Absence { id, fields: stored(f) })
    })
}

pub fn update(
    conn: &mut DbConnection,
    id: AbsenceId,
    f: &AbsenceFields,
    horizon: &Horizon,
) -> Result<Absence> {
    crate::write_transaction(conn, |conn| {
        let old = get(conn, id)?;
        crate::slots::lock_advisors(conn, &[old.fields.advisor_id, f.advisor_id])?;
        check_advisor(conn, f.advisor_id)?;
        diesel::update(absences::table.find(DbId::from(id))).set(AbsenceWrite::from(f)).execute(conn)?;
        crate::slots::refresh_advisor(conn, f.advisor_id, horizon)?;
        if old.fields.advisor_id != f.advisor_id {
            crate::slots::refresh_advisor(conn, old.fields.advisor_id, horizon)?;
        }
        Ok(Absence { id, fields: stored(f) })
    })
}

pub fn delete(conn: &mut DbConnection, id: AbsenceId, horizon: &Horizon) -> Result<()> {
    crate::write_transaction(conn, |conn| {
        let old = get(conn, id)?;
        crate::slots::lock_advisors(conn, &[old.fields.advisor_id])?;
        diesel::delete(absences::table.find(DbId::from(id))).execute(conn)?;
        crate::slots::refresh_advisor(conn, old.fields.advisor_id, horizon)?;
        Ok(())
    })
}

/// The fields as they read back: instants at microsecond precision.
fn stored(f: &AbsenceFields) -> AbsenceFields {
    use chrono::SubsecRound;
    AbsenceFields {
        starts_at: f.starts_at.trunc_subsecs(6),
        ends_at: f.ends_at.trunc_subsecs(6),
        ..f.clone()
    }
}
