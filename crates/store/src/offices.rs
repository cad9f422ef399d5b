//! Offices.

use crate::json::{from_text, to_text};
use crate::schema::{advisors, offices, slots};
use crate::sql_types::{DbId, DbTime};
use crate::{DbConnection, Result, StoreError};
use aukiolo_domain::office::{Address, Office, OfficeFields, ServiceMode};
use aukiolo_domain::office_access;
use aukiolo_domain::staff::Role;
use aukiolo_domain::{FieldError, LocalisedText, OfficeId, StaffUserId};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;

#[derive(Queryable, Selectable)]
#[diesel(table_name = offices)]
struct OfficeRow {
    id: DbId,
    name_fi: String,
    name_sv: String,
    name_en: String,
    street: String,
    postal_code: String,
    municipality: String,
    time_zone: String,
    service_mode: String,
    pilot_group: String,
    languages: String,
    phone: Option<String>,
    booking_rules: String,
    pilot_start: Option<NaiveDate>,
}

impl OfficeRow {
    fn into_domain(self) -> Result<Office> {
        Ok(Office {
            id: self.id.into(),
            fields: OfficeFields {
                name: LocalisedText { fi: self.name_fi, sv: self.name_sv, en: self.name_en },
                address: Address {
                    street: self.street,
                    postal_code: self.postal_code,
                    municipality: self.municipality,
                },
                service_mode: ServiceMode::parse(&self.service_mode)
                    .ok_or_else(|| StoreError::Corrupt(format!("service_mode `{}`", self.service_mode)))?,
                time_zone: self.time_zone,
                pilot_group: self.pilot_group,
                languages: from_text("offices.languages", &self.languages)?,
                phone: self.phone,
                booking_rules: from_text("offices.booking_rules", &self.booking_rules)?,
                pilot_start: self.pilot_start,
            },
        })
    }
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = offices)]
#[diesel(treat_none_as_null = true)]
struct OfficeWrite<'a> {
    name_fi: &'a str,
    name_sv: &'a str,
    name_en: &'a str,
    street: &'a str,
    postal_code: &'a str,
    municipality: &'a str,
    time_zone: &'a str,
    service_mode: &'a str,
    pilot_group: &'a str,
    languages: String,
    phone: Option<&'a str>,
    booking_rules: String,
    pilot_start: Option<NaiveDate>,
    updated_at: DbTime,
}

impl<'a> OfficeWrite<'a> {
    fn new(f: &'a OfficeFields, now: DateTime<Utc>) -> Self {
        OfficeWrite {
            name_fi: &f.name.fi,
            name_sv: &f.name.sv,
            name_en: &f.name.en,
            street: &f.address.street,
            postal_code: &f.address.postal_code,
            municipality: &f.address.municipality,
            time_zone: &f.time_zone,
            service_mode: f.service_mode.as_str(),
            pilot_group: &f.pilot_group,
            languages: to_text(&f.languages),
            phone: f.phone.as_deref(),
            booking_rules: to_text(&f.booking_rules),
            pilot_start: f.pilot_start,
            updated_at: DbTime(now),
        }
    }
}

/// Every office, by Finnish name.
pub fn list(conn: &mut DbConnection) -> Result<Vec<Office>> {
    offices::table
        .select(OfficeRow::as_select())
        .order((offices::name_fi, offices::id))
        .load(conn)?
        .into_iter()
        .map(OfficeRow::into_domain)
        .collect()
}

/// The booking rules of these offices, and nothing else of them: what a booking or a
/// look-up of free times needs, without reading every office of the network.
pub(crate) fn booking_rules_of(
    conn: &mut DbConnection,
    ids: &[OfficeId],
) -> Result<std::collections::HashMap<OfficeId, aukiolo_domain::booking::BookingRules>> {
    let ids: Vec<DbId> = ids.iter().map(|id| DbId::from(*id)).collect();
    offices::table
        .filter(offices::id.eq_any(&ids))
        .select((offices::id, offices::booking_rules))
        .load::<(DbId, String)>(conn)?
        .into_iter()
        .map(|(id, rules)| Ok((id.into(), from_text("offices.booking_rules", &rules)?)))
        .collect()
}

pub fn get(conn: &mut DbConnection, id: OfficeId) -> Result<Office> {
    offices::table
        .find(DbId::from(id))
        .select(OfficeRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound("office"))?
        .into_domain()
}

pub fn create(conn: &mut DbConnection, fields: &OfficeFields, now: DateTime<Utc>) -> Result<Office> {
    let id = OfficeId::new();
    diesel::insert_into(offices::table)
        .values((
            offices::id.eq(DbId::from(id)),
            offices::created_at.eq(DbTime(now)),
            OfficeWrite::new(fields, now),
        ))
        .execute(conn)?;
    Ok(Office { id, fields: fields.clone() })
}

/// Who is changing an office, for the check of what their role may change and for the
/// audit log.
#[derive(Clone, Copy, Debug)]
pub struct Editor {
    pub staff: StaffUserId,
    pub role: Role,
}

/// A staff member's change of an office, in one transaction: refused (`NotAllowed`, each
/// field named) when it changes a field the role may not (`office_access`), else the
/// change as [`change`] makes it, and a change of the pilot's fields audited
/// (`change_office_pilot`) with each field's old and new value.
pub fn change_by(
    conn: &mut DbConnection,
    id: OfficeId,
    fields: &OfficeFields,
    editor: Editor,
    now: DateTime<Utc>,
    horizon: &crate::slots::Horizon,
) -> Result<Office> {
    crate::write_transaction(conn, |conn| {
        let before = get(conn, id)?;
        let refused = office_access::refused_fields(editor.role, &before.fields, fields);
        if !refused.is_empty() {
            let why = format!("may not be changed by the role {}", editor.role.as_str());
            return Err(StoreError::NotAllowed(
                refused
                    .into_iter()
                    .map(|field| {
                        FieldError::new(field, aukiolo_domain::validation::codes::INVALID, why.clone())
                    })
                    .collect(),
            ));
        }
        let changes = office_access::pilot_changes(&before.fields, fields);
        let office = change(conn, id, fields, now, horizon)?;
        if !changes.is_empty() {
            let detail = crate::audit::Detail { changes, ..Default::default() };
            crate::audit::record_change(conn, editor.staff, "change_office_pilot", Some(id), &detail, now)?;
        }
        Ok(office)
    })
}

/// Changes an office and remakes its slots in one transaction: the time zone decides
/// every slot's instant, and the rules what is held back. Unchecked and unaudited: for
/// seeding and tests; staff changes go through [`change_by`].
pub fn change(
    conn: &mut DbConnection,
    id: OfficeId,
    fields: &OfficeFields,
    now: DateTime<Utc>,
    horizon: &crate::slots::Horizon,
) -> Result<Office> {
    crate::write_transaction(conn, |conn| {
        let office = update(conn, id, fields, now)?;
        crate::slots::refresh_office(conn, id, horizon)?;
        Ok(office)
    })
}

pub fn update(
    conn: &mut DbConnection,
    id: OfficeId,
    fields: &OfficeFields,
    now: DateTime<Utc>,
) -> Result<Office> {
    let n = diesel::update(offices::table.find(DbId::from(id)))
        .set(OfficeWrite::new(fields, now))
        .execute(conn)?;
    if n == 0 {
        return Err(StoreError::NotFound("office"));
    }
    Ok(Office { id, fields: fields.clone() })
}

/// Deletes an office that has no advisors and no slot history (it must not vanish).
pub fn delete(conn: &mut DbConnection, id: OfficeId) -> Result<()> {
    crate::write_transaction(conn, |conn| {
        let staff: i64 =
            advisors::table.filter(advisors::office_id.eq(DbId::from(id))).count().get_result(conn)?;
        if staff > 0 {
            return Err(StoreError::Conflict(format!(
                "the office still has {staff} advisor(s); move or delete them first"
            )));
        }
        let history: i64 = slots::table
            .filter(slots::office_id.eq(DbId::from(id)))
            .filter(slots::state.ne("open"))
            .count()
            .get_result(conn)?;
        if history > 0 {
            return Err(StoreError::Conflict(format!(
                "the office has {history} booked or blocked slot(s) in its history"
            )));
        }
        diesel::delete(slots::table.filter(slots::office_id.eq(DbId::from(id)))).execute(conn)?;
        crate::staff::ensure_no_users_in_office(conn, id)?;
        let n = diesel::delete(offices::table.find(DbId::from(id))).execute(conn)?;
        if n == 0 {
            return Err(StoreError::NotFound("office"));
        }
        Ok(())
    })
}
