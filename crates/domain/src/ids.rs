//! Newtype ids so an advisor id can never be passed where an office id is expected.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh random (v4) id.
            pub fn new() -> Self {
                Self(Uuid::new_v4())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    )*};
}

id_type!(
    /// An office (toimisto).
    OfficeId,
    /// An advisor (palveluneuvoja).
    AdvisorId,
    /// A topic (asiointiaihe).
    TopicId,
    /// One weekly rule of an advisor's schedule template.
    ScheduleRuleId,
    /// An advisor's absence.
    AbsenceId,
    /// An office closure.
    ClosureId,
    /// One bookable time of one advisor.
    SlotId,
    /// A staff user account.
    StaffUserId,
    /// A booking (ajanvaraus).
    BookingId,
    /// A message in the outbox; also the local part of its `Message-ID`.
    MessageId,
);
