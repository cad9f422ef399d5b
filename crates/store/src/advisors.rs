//! Advisors and the topics they handle.

use crate::json::{from_text, to_text};
use crate::schema::{advisor_topics, advisors, offices, slots, topics};
use crate::slots::Horizon;
use crate::sql_types::DbId;
use crate::{DbConnection, Result, StoreError};
use aukiolo_domain::advisor::{Advisor, AdvisorFields};
use aukiolo_domain::validation::codes;
use aukiolo_domain::{AdvisorId, OfficeId, TopicId};
use diesel::prelude::*;
use std::collections::HashMap;

#[derive(Queryable, Selectable)]
#[diesel(table_name = advisors)]
struct AdvisorRow {
    id: DbId,
    office_id: DbId,
    name: String,
    languages: String,
    channels: String,
    active: bool,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = advisors)]
struct AdvisorWrite<'a> {
    office_id: DbId,
    name: &'a str,
    languages: String,
    channels: String,
    active: bool,
}

impl<'a> From<&'a AdvisorFields> for AdvisorWrite<'a> {
    fn from(f: &'a AdvisorFields) -> Self {
        AdvisorWrite {
            office_id: f.office_id.into(),
            name: &f.name,
            languages: to_text(&f.languages),
            channels: to_text(&f.channels),
            active: f.active,
        }
    }
}

fn assemble(conn: &mut DbConnection, rows: Vec<AdvisorRow>) -> Result<Vec<Advisor>> {
    let ids: Vec<DbId> = rows.iter().map(|r| r.id).collect();
    let mut topic_map: HashMap<DbId, Vec<TopicId>> = HashMap::new();
    for (advisor, topic) in advisor_topics::table
        .filter(advisor_topics::advisor_id.eq_any(&ids))
        .select((advisor_topics::advisor_id, advisor_topics::topic_id))
        .order((advisor_topics::advisor_id, advisor_topics::topic_id))
        .load::<(DbId, DbId)>(conn)?
    {
        topic_map.entry(advisor).or_default().push(topic.into());
    }
    rows.into_iter()
        .map(|r| {
            Ok(Advisor {
                id: r.id.into(),
                fields: AdvisorFields {
                    office_id: r.office_id.into(),
                    name: r.name,
                    languages: from_text("advisors.languages", &r.languages)?,
                    topic_ids: topic_map.remove(&r.id).unwrap_or_default(),
                    channels: from_text("advisors.channels", &r.channels)?,
                    active: r.active,
                },
            })
        })
        .collect()
}

/// The advisors of one office, by name.
pub fn list_for_office(conn: &mut DbConnection, office: OfficeId) -> Result<Vec<Advisor>> {
    let rows = advisors::table
        .filter(advisors::office_id.eq(DbId::from(office)))
        .select(AdvisorRow::as_select())
        .order((advisors::name, advisors::id))
        .load(conn)?;
    assemble(conn, rows)
}

/// The active advisors of every office: who can serve what, for the booking pages.
pub fn list_active(conn: &mut DbConnection) -> Result<Vec<Advisor>> {
    let rows = advisors::table
        .filter(advisors::active.eq(true))
        .select(AdvisorRow::as_select())
        .order((advisors::name, advisors::id))
        .load(conn)?;
    assemble(conn, rows)
}

pub fn get(conn: &mut DbConnection, id: AdvisorId) -> Result<Advisor> {
    let row = advisors::table
        .find(DbId::from(id))
        .select(AdvisorRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound("advisor"))?;
    Ok(assemble(conn, vec![row])?.remove(0))
}

/// Checks that the office and every topic exist, naming the field that does not.
fn check_references(conn: &mut DbConnection, f: &AdvisorFields) -> Result<()> {
    let mut errors = Vec::new();
    let office: i64 = offices::table.find(DbId::from(f.office_id)).count().get_result(conn)?;
    if office == 0 {
        errors.push(aukiolo_domain::FieldError::new("office_id", codes::UNKNOWN_VALUE, "no such office"));
    }
    let ids: Vec<DbId> = f.topic_ids.iter().map(|t| DbId::from(*t)).collect();
    let known: Vec<DbId> = topics::table.filter(topics::id.eq_any(&ids)).select(topics::id).load(conn)?;
    for (i, id) in ids.iter().enumerate() {
        if !known.contains(id) {
            errors.push(aukiolo_domain::FieldError::new(
                format!("topic_ids[{i}]"),
                codes::UNKNOWN_VALUE,
                "no such topic",
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Invalid(errors))
    }
}

fn write_topics(conn: &mut DbConnection, id: AdvisorId, topic_ids: &[TopicId]) -> Result<()> {
    diesel::delete(advisor_topics::table.filter(advisor_topics::advisor_id.eq(DbId::from(id))))
        .execute(conn)?;
    for topic in topic_ids {
        diesel::insert_into(advisor_topics::table)
            .values((
                advisor_topics::advisor_id.eq(DbId::from(id)),
                advisor_topics::topic_id.eq(DbId::from(*topic)),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn create(conn: &mut DbConnection, f: &AdvisorFields) -> Result<Advisor> {
    crate::write_transaction(conn, |conn| {
        check_references(conn, f)?;
        let id = AdvisorId::new();
        diesel::insert_into(advisors::table)
            .values((advisors::id.eq(DbId::from(id)), AdvisorWrite::from(f)))
            .execute(conn)?;
        write_topics(conn, id, &f.topic_ids)?;
        Ok(Advisor { id, fields: f.clone() })
    })
}

/// Updates an advisor. Moving to another office is refused while future bookings remain;
/// otherwise the advisor's open slots follow (deactivation removes them).
pub fn update(
    conn: &mut DbConnection,
    id: AdvisorId,
    f: &AdvisorFields,
    horizon: &Horizon,
) -> Result<Advisor> {
    crate::write_transaction(conn, |conn| {
        crate::slots::lock_advisors(conn, &[id])?;
        let old = get(conn, id)?;
        check_references(conn, f)?;
        if old.fields.office_id != f.office_id {
            let booked = crate::slots::future_booked_count(conn, id, horizon.now)?;
            if booked > 0 {
                return Err(StoreError::Conflict(format!(
                    "the advisor has {booked} future booking(s) at the current office; move or cancel them first"
                )));
            }
            diesel::delete(
                slots::table
                    .filter(slots::advisor_id.eq(DbId::from(id)))
                    .filter(slots::starts_at.ge(crate::sql_types::DbTime(horizon.now)))
                    .filter(slots::state.eq("open")),
            )
            .execute(conn)?;
        }
        diesel::update(advisors::table.find(DbId::from(id))).set(AdvisorWrite::from(f)).execute(conn)?;
        write_topics(conn, id, &f.topic_ids)?;
        crate::slots::refresh_advisor(conn, id, horizon)?;
        Ok(Advisor { id, fields: f.clone() })
    })
}

/// Deletes an advisor who has never had a booking; open slots go with them.
pub fn delete(conn: &mut DbConnection, id: AdvisorId) -> Result<()> {
    crate::write_transaction(conn, |conn| {
        crate::slots::lock_advisors(conn, &[id])?;
        get(conn, id)?;
        let kept: i64 = slots::table
            .filter(slots::advisor_id.eq(DbId::from(id)))
            .filter(slots::state.ne("open"))
            .count()
            .get_result(conn)?;
        if kept > 0 {
            return Err(StoreError::Conflict(
                "the advisor has bookings; deactivate the advisor instead (set active to false)".into(),
            ));
        }
        diesel::delete(slots::table.filter(slots::advisor_id.eq(DbId::from(id)))).execute(conn)?;
        crate::staff::unlink_advisor(conn, id)?;
        diesel::delete(advisors::table.find(DbId::from(id))).execute(conn)?;
        Ok(())
    })
}
