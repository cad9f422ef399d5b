//! Topics (asiointiaihe): what a citizen's matter is about, and how long it usually takes.

use crate::language::LocalisedText;
use crate::{Channel, TopicId, Validation};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopicFields {
    /// A stable short name such as `pensions`, used in reports and URLs.
    #[cfg_attr(feature = "openapi", schema(example = "housing_allowance"))]
    pub code: String,
    pub name: LocalisedText,
    /// Default length of an appointment on this topic.
    #[cfg_attr(feature = "openapi", schema(example = 30))]
    pub duration_minutes: i32,
    pub channels: Vec<Channel>,
    /// What the citizen should bring or have at hand.
    pub what_to_bring: LocalisedText,
}

impl TopicFields {
    pub fn validate(&self) -> Result<(), Vec<crate::FieldError>> {
        let mut v = Validation::new();
        v.require(
            !self.code.is_empty()
                && self.code.len() <= 50
                && self.code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
            "code",
            "must be 1–50 characters of a–z, 0–9 and _",
        );
        self.name.validate(&mut v, "name", 200);
        v.require(
            (5..=240).contains(&self.duration_minutes) && self.duration_minutes % 5 == 0,
            "duration_minutes",
            "must be a multiple of 5 between 5 and 240",
        );
        crate::channel::validate_channels(&mut v, "channels", &self.channels);
        for (lang, text) in
            [("fi", &self.what_to_bring.fi), ("sv", &self.what_to_bring.sv), ("en", &self.what_to_bring.en)]
        {
            v.require(
                text.chars().count() <= 2000,
                &format!("what_to_bring.{lang}"),
                "must be at most 2000 characters",
            );
        }
        v.finish()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Topic {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub id: TopicId,
    #[serde(flatten)]
    pub fields: TopicFields,
}
