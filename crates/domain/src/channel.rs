//! How a citizen meets the advisor.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The service channel of a slot, a topic or an advisor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// At the office, face to face.
    Office,
    /// The advisor calls the citizen.
    Phone,
}

impl Channel {
    pub const ALL: [Channel; 2] = [Channel::Office, Channel::Phone];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Office => "office",
            Channel::Phone => "phone",
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Channel {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "office" => Ok(Channel::Office),
            "phone" => Ok(Channel::Phone),
            other => Err(format!("unknown channel `{other}`: expected office or phone")),
        }
    }
}

/// Checks a list of channels is non-empty and has no repeats.
pub fn validate_channels(v: &mut crate::Validation, field: &str, channels: &[Channel]) {
    if channels.is_empty() {
        v.add(field, "must name at least one channel");
    }
    for c in Channel::ALL {
        if channels.iter().filter(|x| **x == c).count() > 1 {
            v.add(field, format!("lists `{c}` twice"));
        }
    }
}
