//! Staff user accounts, and the access check every staff request makes: the account
//! exists, is active, and its access version is the one the token or session carries.

use crate::schema::staff_users;
use crate::sql_types::{DbId, DbTime};
use crate::{DbConnection, Result, StoreError};
use aukiolo_domain::staff::{Principal, Role};
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
    pub active: bool,
    /// Bumped by every change of role, office or activity; tokens and sessions issued
    /// under another version are refused.
    pub access_version: i64,
}

impl StaffUser {
    pub fn principal(&self) -> Principal {
        Principal { role: self.role, office: self.office_id }
    }
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
    active: bool,
    access_version: i64,
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
            active: self.active,
            access_version: self.access_version,
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
        check_scope(conn, new.role, new.office_id, new.advisor_id)?;
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
            active: true,
            access_version: 0,
        })
    })
}

/// An office for the roles that need one, and an advisor only of that office.
fn check_scope(
    conn: &mut DbConnection,
    role: Role,
    office: Option<OfficeId>,
    advisor: Option<AdvisorId>,
) -> Result<()> {
    if role.needs_office() && office.is_none() {
        return Err(StoreError::field("office", format!("is required for the role {}", role.as_str())));
    }
    if let Some(office) = office {
        crate::offices::get(conn, office).map_err(|e| match e {
            StoreError::NotFound(_) => StoreError::field("office", "no such office"),
            other => other,
        })?;
    }
    if let Some(advisor) = advisor {
        let of = crate::advisors::get(conn, advisor).map_err(|e| match e {
            StoreError::NotFound(_) => StoreError::field("advisor", "no such advisor"),
            other => other,
        })?;
        if office != Some(of.fields.office_id) {
            return Err(StoreError::field("advisor", "works in another office"));
        }
    }
    Ok(())
}

/// What an admin may change about an account (the e-mail stays).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AccountChange {
    pub role: Role,
    pub office_id: Option<OfficeId>,
    pub advisor_id: Option<AdvisorId>,
    pub active: bool,
}

/// Changes an account. A new role, office or activity ends its sessions and makes every
/// token issued before unusable, on the next request.
pub fn update(conn: &mut DbConnection, id: StaffUserId, change: &AccountChange) -> Result<StaffUser> {
    crate::write_transaction(conn, |conn| {
        let before = get(conn, id)?;
        check_scope(conn, change.role, change.office_id, change.advisor_id)?;
        let revokes = before.role != change.role
            || before.office_id != change.office_id
            || before.active != change.active;
        let version = before.access_version + i64::from(revokes);
        diesel::update(staff_users::table.find(DbId::from(id)))
            .set((
                staff_users::role.eq(change.role.as_str()),
                staff_users::office_id.eq(change.office_id.map(DbId::from)),
                staff_users::advisor_id.eq(change.advisor_id.map(DbId::from)),
                staff_users::active.eq(change.active),
                staff_users::access_version.eq(version),
            ))
            .execute(conn)?;
        if revokes {
            crate::sessions::end_all(conn, id)?;
            tracing::info!(staff = %id, "staff access changed: sessions and tokens revoked");
        }
        get(conn, id)
    })
}

/// Gives an account a new password hash. Like a change of access, it ends the account's
/// sessions and refuses the tokens issued before (whoever held the old password is out).
pub fn set_password(conn: &mut DbConnection, id: StaffUserId, password_hash: &str) -> Result<StaffUser> {
    crate::write_transaction(conn, |conn| {
        let before = get(conn, id)?;
        diesel::update(staff_users::table.find(DbId::from(id)))
            .set((
                staff_users::password_hash.eq(password_hash),
                staff_users::access_version.eq(before.access_version + 1),
            ))
            .execute(conn)?;
        crate::sessions::end_all(conn, id)?;
        tracing::info!(staff = %id, "staff password reset: sessions and tokens revoked");
        get(conn, id)
    })
}

/// Links an account to the advisor it serves as (an office manager's change: no access
/// changes, so nothing is revoked).
pub fn link_advisor(
    conn: &mut DbConnection,
    id: StaffUserId,
    advisor: Option<AdvisorId>,
) -> Result<StaffUser> {
    crate::write_transaction(conn, |conn| {
        let user = get(conn, id)?;
        check_scope(conn, user.role, user.office_id, advisor)?;
        diesel::update(staff_users::table.find(DbId::from(id)))
            .set(staff_users::advisor_id.eq(advisor.map(DbId::from)))
            .execute(conn)?;
        get(conn, id)
    })
}

/// Deletes an account that has left no trace; one that has (audit rows, visits it
/// recorded) is deactivated instead, since that history must keep its author.
pub fn delete(conn: &mut DbConnection, id: StaffUserId) -> Result<()> {
    crate::write_transaction(conn, |conn| {
        get(conn, id)?;
        crate::sessions::end_all(conn, id)?;
        match diesel::delete(staff_users::table.find(DbId::from(id))).execute(conn).map_err(StoreError::from)
        {
            Ok(_) => Ok(()),
            Err(StoreError::StillReferenced(_)) => {
                Err(StoreError::Conflict("the account has recorded history; deactivate it instead".into()))
            }
            Err(e) => Err(e),
        }
    })
}

/// Every account, by e-mail.
pub fn list(conn: &mut DbConnection) -> Result<Vec<StaffUser>> {
    staff_users::table
        .order(staff_users::email.asc())
        .select(StaffRow::as_select())
        .load(conn)?
        .into_iter()
        .map(StaffRow::into_domain)
        .collect()
}

/// The account behind a token or session issued under `version`, if it may still act:
/// it exists, is active, and nothing about its access changed since.
pub fn authorise(conn: &mut DbConnection, id: StaffUserId, version: i64) -> Result<Option<StaffUser>> {
    let user = match get(conn, id) {
        Ok(u) => u,
        Err(StoreError::NotFound(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    Ok((user.active && user.access_version == version).then_some(user))
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
