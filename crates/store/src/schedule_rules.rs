//! Weekly schedule rules (the advisor's template). Every change refreshes the advisor's
//! slots in the same transaction.

use crate::json::{from_text, to_text};
use crate::schema::schedule_rules;
use crate::slots::Horizon;
use crate::sql_types::DbId;
use crate::{DbConnection, Result, StoreError};
use aukiolo_domain::calendar::{ScheduleRule, ScheduleRuleFields};
use aukiolo_domain::{AdvisorId, ScheduleRuleId};
use chrono::{NaiveDate, NaiveTime};
use diesel::prelude::*;

#[derive(Queryable, Selectable)]
#[diesel(table_name = schedule_rules)]
struct RuleRow {
    id: DbId,
    advisor_id: DbId,
    weekday: i16,
    start_time: NaiveTime,
    end_time: NaiveTime,
    channel: String,
    slot_minutes: i32,
    breaks: String,
    valid_from: Option<NaiveDate>,
    valid_until: Option<NaiveDate>,
}

impl RuleRow {
    fn into_domain(self) -> Result<ScheduleRule> {
        Ok(ScheduleRule {
            id: self.id.into(),
            fields: ScheduleRuleFields {
                advisor_id: self.advisor_id.into(),
                weekday: self.weekday,
                start: self.start_time,
                end: self.end_time,
                channel: self.channel.parse().map_err(StoreError::Corrupt)?,
                slot_minutes: self.slot_minutes,
                breaks: from_text("schedule_rules.breaks", &self.breaks)?,
                valid_from: self.valid_from,
                valid_until: self.valid_until,
            },
        })
    }
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = schedule_rules)]
#[diesel(treat_none_as_null = true)]
struct RuleWrite {
    advisor_id: DbId,
    weekday: i16,
    start_time: NaiveTime,
    end_time: NaiveTime,
    channel: &'static str,
    slot_minutes: i32,
    breaks: String,
    valid_from: Option<NaiveDate>,
    valid_until: Option<NaiveDate>,
}

impl From<&ScheduleRuleFields> for RuleWrite {
    fn from(f: &ScheduleRuleFields) -> Self {
        RuleWrite {
            advisor_id: f.advisor_id.into(),
            weekday: f.weekday,
            start_time: f.start,
            end_time: f.end,
            channel: f.channel.as_str(),
            slot_minutes: f.slot_minutes,
            breaks: to_text(&f.breaks),
            valid_from: f.valid_from,
            valid_until: f.valid_until,
        }
    }
}

pub fn list_for_advisor(conn: &mut DbConnection, advisor: AdvisorId) -> Result<Vec<ScheduleRule>> {
    schedule_rules::table
        .filter(schedule_rules::advisor_id.eq(DbId::from(advisor)))
        .select(RuleRow::as_select())
        .order((schedule_rules::weekday, schedule_rules::start_time))
        .load(conn)?
        .into_iter()
        .map(RuleRow::into_domain)
        .collect()
}

pub fn get(conn: &mut DbConnection, id: ScheduleRuleId) -> Result<ScheduleRule> {
    schedule_rules::table
        .find(DbId::from(id))
        .select(RuleRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound("schedule rule"))?
        .into_domain()
}

/// Refuses a rule that would overlap another rule of the same advisor.
fn check_clashes(
    conn: &mut DbConnection,
    f: &ScheduleRuleFields,
    except: Option<ScheduleRuleId>,
) -> Result<()> {
    crate::advisors::get(conn, f.advisor_id).map_err(|e| match e {
        StoreError::NotFound(_) => StoreError::field("advisor_id", "no such advisor"),
        other => other,
    })?;
    for other in list_for_advisor(conn, f.advisor_id)? {
        if Some(other.id) != except && other.fields.clashes_with(f) {
            return Err(StoreError::field(
                "start",
                format!("overlaps the advisor's rule {} on the same weekday", other.id),
            ));
        }
    }
    Ok(())
}

pub fn create(conn: &mut DbConnection, f: &ScheduleRuleFields, horizon: &Horizon) -> Result<ScheduleRule> {
    crate::write_transaction(conn, |conn| {
        crate::slots::lock_advisors(conn, &[f.advisor_id])?;
        check_clashes(conn, f, None)?;
        let id = ScheduleRuleId::new();
        diesel::insert_into(schedule_rules::table)
            .values((schedule_rules::id.eq(DbId::from(id)), RuleWrite::from(f)))
            .execute(conn)?;
        crate::slots::refresh_advisor(conn, f.advisor_id, horizon)?;
        Ok(ScheduleRule { id, fields: f.clone() })
    })
}

pub fn update(
    conn: &mut DbConnection,
    id: ScheduleRuleId,
    f: &ScheduleRuleFields,
    horizon: &Horizon,
) -> Result<ScheduleRule> {
    crate::write_transaction(conn, |conn| {
        let old = get(conn, id)?;
        crate::slots::lock_advisors(conn, &[old.fields.advisor_id, f.advisor_id])?;
        check_clashes(conn, f, Some(id))?;
        diesel::update(schedule_rules::table.find(DbId::from(id))).set(RuleWrite::from(f)).execute(conn)?;
        crate::slots::refresh_advisor(conn, f.advisor_id, horizon)?;
        if old.fields.advisor_id != f.advisor_id {
            crate::slots::refresh_advisor(conn, old.fields.advisor_id, horizon)?;
        }
        Ok(ScheduleRule { id, fields: f.clone() })
    })
}

pub fn delete(conn: &mut DbConnection, id: ScheduleRuleId, horizon: &Horizon) -> Result<()> {
    crate::write_transaction(conn, |conn| {
        let old = get(conn, id)?;
        crate::slots::lock_advisors(conn, &[old.fields.advisor_id])?;
        diesel::delete(schedule_rules::table.find(DbId::from(id))).execute(conn)?;
        crate::slots::refresh_advisor(conn, old.fields.advisor_id, horizon)?;
        Ok(())
    })
}
