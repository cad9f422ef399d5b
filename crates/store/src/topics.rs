//! Topics.

use crate::json::{from_text, to_text};
use crate::schema::topics;
use crate::sql_types::DbId;
use crate::{DbConnection, Result, StoreError};
use aukiolo_domain::topic::{Topic, TopicFields};
use aukiolo_domain::{LocalisedText, TopicId};
use diesel::prelude::*;

#[derive(Queryable, Selectable)]
#[diesel(table_name = topics)]
struct TopicRow {
    id: DbId,
    code: String,
    name_fi: String,
    name_sv: String,
    name_en: String,
    duration_minutes: i32,
    channels: String,
    bring_fi: String,
    bring_sv: String,
    bring_en: String,
}

impl TopicRow {
    fn into_domain(self) -> Result<Topic> {
        Ok(Topic {
            id: self.id.into(),
            fields: TopicFields {
                code: self.code,
                name: LocalisedText { fi: self.name_fi, sv: self.name_sv, en: self.name_en },
                duration_minutes: self.duration_minutes,
                channels: from_text("topics.channels", &self.channels)?,
                what_to_bring: LocalisedText { fi: self.bring_fi, sv: self.bring_sv, en: self.bring_en },
            },
        })
    }
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = topics)]
struct TopicWrite<'a> {
    code: &'a str,
    name_fi: &'a str,
    name_sv: &'a str,
    name_en: &'a str,
    duration_minutes: i32,
    channels: String,
    bring_fi: &'a str,
    bring_sv: &'a str,
    bring_en: &'a str,
}

impl<'a> From<&'a TopicFields> for TopicWrite<'a> {
    fn from(f: &'a TopicFields) -> Self {
        TopicWrite {
            code: &f.code,
            name_fi: &f.name.fi,
            name_sv: &f.name.sv,
            name_en: &f.name.en,
            duration_minutes: f.duration_minutes,
            channels: to_text(&f.channels),
            bring_fi: &f.what_to_bring.fi,
            bring_sv: &f.what_to_bring.sv,
            bring_en: &f.what_to_bring.en,
        }
    }
}

pub fn list(conn: &mut DbConnection) -> Result<Vec<Topic>> {
    topics::table
        .select(TopicRow::as_select())
        .order(topics::code)
        .load(conn)?
        .into_iter()
        .map(TopicRow::into_domain)
        .collect()
}

pub fn get(conn: &mut DbConnection, id: TopicId) -> Result<Topic> {
    topics::table
        .find(DbId::from(id))
        .select(TopicRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound("topic"))?
        .into_domain()
}

fn code_taken(conn: &mut DbConnection, code: &str, except: Option<TopicId>) -> Result<bool> {
    let mut query = topics::table.filter(topics::code.eq(code)).into_boxed();
    if let Some(id) = except {
        query = query.filter(topics::id.ne(DbId::from(id)));
    }
    Ok(query.count().get_result::<i64>(conn)? > 0)
}

pub fn create(conn: &mut DbConnection, fields: &TopicFields) -> Result<Topic> {
    crate::write_transaction(conn, |conn| {
        if code_taken(conn, &fields.code, None)? {
            return Err(StoreError::field("code", "is already used by another topic"));
        }
        let id = TopicId::new();
        diesel::insert_into(topics::table)
            .values((topics::id.eq(DbId::from(id)), TopicWrite::from(fields)))
            .execute(conn)?;
        Ok(Topic { id, fields: fields.clone() })
    })
}

pub fn update(conn: &mut DbConnection, id: TopicId, fields: &TopicFields) -> Result<Topic> {
    crate::write_transaction(conn, |conn| {
        if code_taken(conn, &fields.code, Some(id))? {
            return Err(StoreError::field("code", "is already used by another topic"));
        }
        let n =
            diesel::update(topics::table.find(DbId::from(id))).set(TopicWrite::from(fields)).execute(conn)?;
        if n == 0 {
            return Err(StoreError::NotFound("topic"));
        }
        Ok(Topic { id, fields: fields.clone() })
    })
}

/// Deletes a topic; advisors simply stop handling it.
pub fn delete(conn: &mut DbConnection, id: TopicId) -> Result<()> {
    let n = diesel::delete(topics::table.find(DbId::from(id))).execute(conn)?;
    if n == 0 {
        return Err(StoreError::NotFound("topic"));
    }
    Ok(())
}
