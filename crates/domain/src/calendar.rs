//! The inputs of an advisor's calendar: weekly rules with breaks, absences, office closures.

use crate::{AbsenceId, AdvisorId, Channel, ClosureId, OfficeId, ScheduleRuleId, Validation};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

/// A wall-clock interval within one day, `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimeRange {
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "12:00"))]
    pub start: NaiveTime,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "12:30"))]
    pub end: NaiveTime,
}

impl TimeRange {
    pub fn overlaps(&self, other: &TimeRange) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// One weekly rule of an advisor's schedule template: on this weekday, between these
/// wall-clock times, offer slots of this length on this channel, except during breaks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScheduleRuleFields {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub advisor_id: AdvisorId,
    /// ISO weekday: 1 = Monday … 7 = Sunday.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 7, example = 1))]
    pub weekday: i16,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "08:00"))]
    pub start: NaiveTime,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "16:00"))]
    pub end: NaiveTime,
    pub channel: Channel,
    #[cfg_attr(feature = "openapi", schema(example = 30))]
    pub slot_minutes: i32,
    #[serde(default)]
    pub breaks: Vec<TimeRange>,
    /// First day the rule applies (inclusive); none = always.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub valid_from: Option<NaiveDate>,
    /// Last day the rule applies (inclusive); none = until further notice.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub valid_until: Option<NaiveDate>,
}

impl ScheduleRuleFields {
    pub fn validate(&self) -> Result<(), Vec<crate::FieldError>> {
        let mut v = Validation::new();
        v.require((1..=7).contains(&self.weekday), "weekday", "must be 1 (Monday) to 7 (Sunday)");
        v.require(
            (5..=240).contains(&self.slot_minutes) && self.slot_minutes % 5 == 0,
            "slot_minutes",
            "must be a multiple of 5 between 5 and 240",
        );
        v.require(self.start < self.end, "end", "must be after start");
        for (i, b) in self.breaks.iter().enumerate() {
            if b.start >= b.end {
                v.add(format!("breaks[{i}].end"), "must be after the break's start");
            } else if b.start < self.start || b.end > self.end {
                v.add(format!("breaks[{i}]"), "must lie within start and end");
            }
            if self.breaks[..i].iter().any(|other| other.overlaps(b)) {
                v.add(format!("breaks[{i}]"), "overlaps another break");
            }
        }
        if self.start < self.end && (self.end - self.start).num_minutes() < i64::from(self.slot_minutes) {
            v.add("slot_minutes", "is longer than the working hours");
        }
        if let (Some(from), Some(until)) = (self.valid_from, self.valid_until) {
            v.require(from <= until, "valid_until", "must not be before valid_from");
        }
        v.finish()
    }

    /// Whether the rule is in force on `day`.
    pub fn applies_on(&self, day: NaiveDate) -> bool {
        use chrono::Datelike;
        i16::try_from(day.weekday().number_from_monday()).ok() == Some(self.weekday)
            && self.valid_from.is_none_or(|f| f <= day)
            && self.valid_until.is_none_or(|u| day <= u)
    }

    /// Whether two rules of one advisor could produce overlapping slots.
    pub fn clashes_with(&self, other: &ScheduleRuleFields) -> bool {
        // `None` is "no limit": the later start and the earlier end bound the common days.
        let from = self.valid_from.max(other.valid_from);
        let until = match (self.valid_until, other.valid_until) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let dates_overlap = match (from, until) {
            (Some(f), Some(u)) => f <= u,
            _ => true,
        };
        self.weekday == other.weekday && dates_overlap && self.start < other.end && other.start < self.end
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScheduleRule {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub id: ScheduleRuleId,
    #[serde(flatten)]
    pub fields: ScheduleRuleFields,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AbsenceKind {
    SickLeave,
    Vacation,
    Training,
    Other,
}

impl AbsenceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AbsenceKind::SickLeave => "sick_leave",
            AbsenceKind::Vacation => "vacation",
            AbsenceKind::Training => "training",
            AbsenceKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::SickLeave, Self::Vacation, Self::Training, Self::Other].into_iter().find(|k| k.as_str() == s)
    }
}

/// An advisor away over `[starts_at, ends_at)`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AbsenceFields {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub advisor_id: AdvisorId,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub kind: AbsenceKind,
    #[serde(default)]
    pub note: Option<String>,
}

impl AbsenceFields {
    pub fn validate(&self) -> Result<(), Vec<crate::FieldError>> {
        let mut v = Validation::new();
        use chrono::Datelike;
        let in_years = v.year("starts_at", self.starts_at.year()) & v.year("ends_at", self.ends_at.year());
        v.require(!in_years || self.starts_at < self.ends_at, "ends_at", "must be after starts_at");
        if let Some(note) = &self.note {
            v.require(note.chars().count() <= 500, "note", "must be at most 500 characters");
        }
        v.finish()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Absence {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub id: AbsenceId,
    #[serde(flatten)]
    pub fields: AbsenceFields,
}

/// An office closed from `first_day` to `last_day` inclusive (local dates).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClosureFields {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub office_id: OfficeId,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub first_day: NaiveDate,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub last_day: NaiveDate,
    pub reason: String,
}

impl ClosureFields {
    pub fn validate(&self) -> Result<(), Vec<crate::FieldError>> {
        let mut v = Validation::new();
        use chrono::Datelike;
        let in_years = v.year("first_day", self.first_day.year()) & v.year("last_day", self.last_day.year());
        v.require(!in_years || self.first_day <= self.last_day, "last_day", "must not be before first_day");
        v.multiline_text("reason", &self.reason, 500);
        v.finish()
    }

    pub fn covers(&self, day: NaiveDate) -> bool {
        self.first_day <= day && day <= self.last_day
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Closure {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub id: ClosureId,
    #[serde(flatten)]
    pub fields: ClosureFields,
}
