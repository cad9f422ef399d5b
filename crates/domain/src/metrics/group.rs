//! The dimensions metrics can be grouped by, any combination of them, and the key of one
//! group.

use super::Week;
use crate::{Channel, OfficeId, TopicId};
use serde::{Serialize, Serializer};
use std::fmt;

/// One dimension of DESIGN §5: per office, pilot/control group, topic, channel, week.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Office,
    PilotGroup,
    Topic,
    Channel,
    Week,
}

impl Dimension {
    /// In the order groups are keyed and columns are written.
    pub const ALL: [Dimension; 5] =
        [Dimension::Office, Dimension::PilotGroup, Dimension::Topic, Dimension::Channel, Dimension::Week];

    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Office => "office",
            Dimension::PilotGroup => "pilot_group",
            Dimension::Topic => "topic",
            Dimension::Channel => "channel",
            Dimension::Week => "week",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == s)
    }

    fn bit(self) -> u8 {
        1 << self as u8
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of dimensions; empty means one group of everything.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct GroupBy(u8);

/// `group_by` named something that is no dimension.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown {}: expected a comma-separated list of office, pilot_group, topic, channel, week",
    .0.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
)]
pub struct UnknownDimensions(pub Vec<String>);

impl GroupBy {
    /// Reads a comma-separated list such as `office,week`. Order, repeats, spaces around
    /// names and empty items do not matter; every unknown name is reported.
    pub fn parse(s: &str) -> Result<GroupBy, UnknownDimensions> {
        let mut set = GroupBy::default();
        let mut unknown = Vec::new();
        for name in s.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match Dimension::parse(name) {
                Some(d) => set = set.with(d),
                None => unknown.push(name.to_owned()),
            }
        }
        if unknown.is_empty() {
            Ok(set)
        } else {
            Err(UnknownDimensions(unknown))
        }
    }

    /// Every grouping there is: the 32 subsets of the five dimensions.
    pub fn all() -> impl Iterator<Item = GroupBy> {
        (0..1u8 << Dimension::ALL.len()).map(GroupBy)
    }

    pub fn with(self, d: Dimension) -> GroupBy {
        GroupBy(self.0 | d.bit())
    }

    pub fn contains(self, d: Dimension) -> bool {
        self.0 & d.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The dimensions in canonical order.
    pub fn dimensions(self) -> Vec<Dimension> {
        Dimension::ALL.into_iter().filter(|d| self.contains(*d)).collect()
    }

    /// The key of the group a fact belongs to. `topic` or `week` is `None` for facts
    /// that have none (capacity is not per topic; open times are not per week): such a
    /// fact belongs to no group when that dimension is grouped by.
    pub fn key(
        self,
        office: OfficeId,
        pilot_group: &str,
        topic: Option<TopicId>,
        channel: Channel,
        week: Option<Week>,
    ) -> Option<GroupKey> {
        Some(GroupKey {
            office: self.contains(Dimension::Office).then_some(office),
            pilot_group: self.contains(Dimension::PilotGroup).then(|| pilot_group.to_owned()),
            topic: if self.contains(Dimension::Topic) { Some(topic?) } else { None },
            channel: self.contains(Dimension::Channel).then_some(channel),
            week: if self.contains(Dimension::Week) { Some(week?) } else { None },
        })
    }
}

impl FromIterator<Dimension> for GroupBy {
    fn from_iter<I: IntoIterator<Item = Dimension>>(iter: I) -> Self {
        iter.into_iter().fold(GroupBy::default(), GroupBy::with)
    }
}

impl fmt::Display for GroupBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.dimensions().into_iter().map(Dimension::as_str).collect();
        f.write_str(&names.join(","))
    }
}

/// Written as the list of dimension names, e.g. `["office", "week"]`.
impl Serialize for GroupBy {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.dimensions())
    }
}

/// Which group a row is about: the value of each grouped dimension; the others are absent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupKey {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<uuid::Uuid>))]
    pub office: Option<OfficeId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(example = "pilot"))]
    pub pilot_group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<uuid::Uuid>))]
    pub topic: Option<TopicId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "2026-W48"))]
    pub week: Option<Week>,
}

impl GroupKey {
    /// The value of one dimension as text (empty when not grouped by it).
    pub fn value(&self, d: Dimension) -> String {
        match d {
            Dimension::Office => self.office.map(|o| o.to_string()),
            Dimension::PilotGroup => self.pilot_group.clone(),
            Dimension::Topic => self.topic.map(|t| t.to_string()),
            Dimension::Channel => self.channel.map(|c| c.to_string()),
            Dimension::Week => self.week.map(|w| w.to_string()),
        }
        .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_any_combination_in_any_order() {
        let g = GroupBy::parse("week, office").unwrap();
        assert_eq!(g.dimensions(), [Dimension::Office, Dimension::Week]);
        assert_eq!(g.to_string(), "office,week");
        assert_eq!(GroupBy::parse("").unwrap(), GroupBy::default());
        assert_eq!(GroupBy::parse("topic,,topic,").unwrap().dimensions(), [Dimension::Topic]);
        let all = GroupBy::parse("channel,week,topic,pilot_group,office").unwrap();
        assert_eq!(all.dimensions(), Dimension::ALL);
        assert_eq!(serde_json::to_value(g).unwrap(), serde_json::json!(["office", "week"]));
    }

    #[test]
    fn names_every_unknown_dimension() {
        let e = GroupBy::parse("office,month,Week").unwrap_err();
        assert_eq!(e.0, ["month", "Week"]);
        assert_eq!(
            e.to_string(),
            "unknown `month`, `Week`: expected a comma-separated list of office, pilot_group, topic, \
             channel, week"
        );
    }

    #[test]
    fn keys_hold_only_the_grouped_dimensions() {
        let (office, topic) = (OfficeId::new(), TopicId::new());
        let week = Week::parse("2026-W48");
        let g = GroupBy::parse("office,week").unwrap();
        let key = g.key(office, "pilot", Some(topic), Channel::Phone, week).unwrap();
        assert_eq!(key, GroupKey { office: Some(office), week, ..GroupKey::default() });
        assert_eq!(
            serde_json::to_value(&key).unwrap(),
            serde_json::json!({"office": office.to_string(), "week": "2026-W48"})
        );
        // A fact without a week has no place among weekly groups, but does among others.
        assert_eq!(g.key(office, "pilot", Some(topic), Channel::Phone, None), None);
        let by_topic = GroupBy::parse("topic").unwrap();
        assert_eq!(by_topic.key(office, "pilot", None, Channel::Office, week), None);
        assert!(GroupBy::default().key(office, "pilot", None, Channel::Office, None).is_some());
    }
}
