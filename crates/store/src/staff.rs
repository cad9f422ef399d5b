//! Staff user accounts.

use crate::schema::staff_users;
use crate::sql_types::{DbId, DbTime};
use crate::{DbConnection, Result, StoreError};
use aukiolo_domain::staff::Role;
use aukiolo_domain::{AdvisorId, OfficeId, StaffUserId};
use chrono::{DateTime, Utc};
use diesel::prelude::*;

/// A staff account. The hash is an argon2 PHC string; the password itself is never stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffUser {
    pub id: StaffUserId,
    pub email: String,
    pub password_hash: String,
    pub role: Role,
    pub office_id: Option<OfficeId>,
    pub advisor_id: Option<AdvisorId>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = staff_users)]
struct StaffRow {
    id: DbId,
    email: String,
    password_hash: String,
    role: String,
    office_id: Option<DbId>,
    advisor_id: Option<DbId>,
}

impl StaffRow {
    fn into_domain(self) -> Result<StaffUser> {
        Ok(StaffUser {
            id: self.id.into(),
            email: self.email,
            password_hash: self.password_hash,
            role: Role::parse(&self.role)
                .ok_or_else(|| StoreError::Corrupt(format!("role `{}`", self.role)))?,
            office_id: self.office_id.map(Into::into),
            advisor_id: self.advisor_id.map(Into::into),
        })
    }
}

/// The fields of a new account.
#[derive(Clone, Debug)]
pub struct NewStaffUser<'a> {
    pub email: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub office_id: Option<OfficeId>,
    pub advisor_id: Option<AdvisorId>,
}

/// E-mail addresses are compared case-insensitively.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub fn create(conn: &mut DbConnection, new: &NewStaffUser<'_>, now: DateTime<Utc>) -> Result<StaffUser> {
    crate::write_transaction(conn, |conn| {
        let email = normalise_email(new.email);
        if find_by_email(conn, &email)?.is_some() {
            return Err(StoreError::field("email", "an account with this e-mail already exists"));
        }
        if new.role.needs_office() && new.office_id.is_none() {
            return Err(StoreError::field(
                "office",
                format!("is required for the role {}", new.role.as_str()),
            ));
        }
        if let Some(office) = new.office_id {
            crate::offices::get(conn, office).map_err(|e| match e {
                StoreError::NotFound(_) => StoreError::field("office", "no such office"),
                other => other,
            })?;
        }
        let id = StaffUserId::new();
        diesel::insert_into(staff_users::table)
            .values((
                staff_users::id.eq(DbId::from(id)),
                staff_users::email.eq(&email),
                staff_users::password_hash.eq(new.password_hash),
                staff_users::role.eq(new.role.as_str()),
                staff_users::office_id.eq(new.office_id.map(DbId::from)),
                staff_users::advisor_id.eq(new.advisor_id.map(DbId::from)),
                staff_users::created_at.eq(DbTime(now)),
            ))
            .execute(conn)?;
        Ok(StaffUser {
            id,
            email,
            password_hash: new.password_hash.to_owned(),
            role: new.role,
            office_id: new.office_id,
            advisor_id: new.advisor_id,
        })
    })
}

pub fn find_by_email(conn: &mut DbConnection, email: &str) -> Result<Option<StaffUser>> {
    staff_users::table
        .filter(staff_users::email.eq(normalise_email(email)))
        .select(StaffRow::as_select())
        .first(conn)
        .optional()?
        .map(StaffRow::into_domain)
        .transpose()
}

pub fn get(conn: &mut DbConnection, id: StaffUserId) -> Result<StaffUser> {
    staff_users::table
        .find(DbId::from(id))
        .select(StaffRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound("staff user"))?
        .into_domain()
}

pub fn count(conn: &mut DbConnection) -> Result<i64> {
    Ok(staff_users::table.count().get_result(conn)?)
}

pub(crate) fn ensure_no_users_in_office(conn: &mut DbConnection, office: OfficeId) -> Result<()> {
    let n: i64 =
        staff_users::table.filter(staff_users::office_id.eq(DbId::from(office))).count().get_result(conn)?;
    if n > 0 {
        return Err(StoreError::Conflict(format!(
            "{n} staff account(s) belong to the office; move or remove them first"
        )));
    }
    Ok(())
}

pub(crate) fn unlink_advisor(conn: &mut DbConnection, advisor: AdvisorId) -> Result<()> {
    diesel::update(staff_users::table.filter(staff_users::advisor_id.eq(DbId::from(advisor))))
        .set(staff_users::advisor_id.eq(None::<DbId>))
        .execute(conn)?;
    Ok(())
}
