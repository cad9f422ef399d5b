//! Advisors (palveluneuvoja): who serves, in which languages, topics and channels.

use crate::channel::validate_channels;
use crate::language::{validate_languages, Language};
use crate::{AdvisorId, Channel, OfficeId, TopicId, Validation};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdvisorFields {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub office_id: OfficeId,
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>, example = json!(["fi", "en"])))]
    pub languages: Vec<Language>,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<uuid::Uuid>))]
    pub topic_ids: Vec<TopicId>,
    pub channels: Vec<Channel>,
    /// An inactive advisor keeps history but gets no new slots.
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

impl AdvisorFields {
    pub fn validate(&self) -> Result<(), Vec<crate::FieldError>> {
        let mut v = Validation::new();
        v.text("name", &self.name, 200);
        validate_languages(&mut v, "languages", &self.languages);
        validate_channels(&mut v, "channels", &self.channels);
        let mut seen = std::collections::HashSet::new();
        for t in &self.topic_ids {
            if !seen.insert(t) {
                v.add("topic_ids", format!("lists `{t}` twice"));
            }
        }
        v.finish()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Advisor {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub id: AdvisorId,
    #[serde(flatten)]
    pub fields: AdvisorFields,
}
