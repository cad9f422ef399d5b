//! What advisors record about visits: the post-visit assessment (mirroring the pilot's
//! advisor survey) and the walk-in log of appointment-only offices.

use crate::{BookingId, OfficeId, StaffUserId, TopicId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),* }
            }

            pub fn parse(s: &str) -> Option<Self> {
                [$(Self::$variant),*].into_iter().find(|x| x.as_str() == s)
            }
        }
    };
}

text_enum!(
    /// The customer segment of this visit.
    Segment {
        Occasional = "occasional",
        Continuous = "continuous",
        LifeChange = "life_change",
        Special = "special",
        Potential = "potential",
    }
);

text_enum!(
    /// Could the matter have been handled in another channel?
    OtherChannel {
        No = "no",
        EService = "e_service",
        PhoneService = "phone_service",
        PartnerServicePoint = "partner_service_point",
    }
);

text_enum!(
    /// Why personal service was needed.
    PersonalServiceReason {
        Health = "health",
        Language = "language",
        ComplexSituation = "complex_situation",
        NoOnlineBankCredentials = "no_online_bank_credentials",
        Documents = "documents",
        WantsPersonalService = "wants_personal_service",
        Other = "other",
    }
);

text_enum!(
    /// What happened to a citizen who came without an appointment.
    WalkInOutcome {
        BookedNow = "booked_now",
        BookedLater = "booked_later",
        DirectedToEservice = "directed_to_eservice",
        DirectedToPhone = "directed_to_phone",
        ServedUrgent = "served_urgent",
        Left = "left",
    }
);

/// The advisor's one-minute assessment after a completed visit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assessment {
    /// Resolved at once (kerralla kuntoon).
    pub resolved_at_once: bool,
    pub segment: Segment,
    pub other_channel: OtherChannel,
    pub personal_service_reasons: Vec<PersonalServiceReason>,
    pub other_channels_discussed: bool,
}

impl Assessment {
    pub fn validate(&self) -> Result<(), Vec<crate::FieldError>> {
        let mut v = crate::Validation::new();
        let mut seen = std::collections::HashSet::new();
        for r in &self.personal_service_reasons {
            if !seen.insert(r) {
                v.add("personal_service_reasons", format!("lists `{}` twice", r.as_str()));
            }
        }
        v.finish()
    }
}

/// An assessment as stored: who wrote it and when, and when it was last corrected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssessmentRecord {
    #[serde(flatten)]
    pub assessment: Assessment,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub author_id: StaffUserId,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One logged call to a phone appointment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CallAttempt {
    pub at: DateTime<Utc>,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub staff_id: StaffUserId,
    pub reached: bool,
}

/// A citizen who came to an office without an appointment, as logged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WalkIn {
    pub id: uuid::Uuid,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub office_id: OfficeId,
    pub at: DateTime<Utc>,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub topic_id: TopicId,
    pub outcome: WalkInOutcome,
    /// The booking made for the visitor, if any.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<uuid::Uuid>))]
    pub booking_id: Option<BookingId>,
    /// Who logged it.
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub staff_id: StaffUserId,
}

/// What a logged call did to its phone appointment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CallOutcome {
    /// Unanswered calls so far (since the booking was made, or last put back to booked).
    pub attempts: i64,
    pub status: crate::booking::BookingStatus,
}
