//! Messages to citizens: what kinds there are, the states a message goes through, and
//! how long a failed one waits before the next try.

use crate::{BookingId, Locale, MessageId};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Why a message is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    Confirmation,
    Reminder,
    Rescheduled,
    Cancelled,
    QuestionnaireInvitation,
    /// A phone appointment was not reached after the allowed calls: how to book again.
    NotReached,
}

/// Where a message is: `pending` until a worker sends it (`sent`); a failed try makes it
/// `failed` and due again later; past the retry budget it is `dead` until an operator
/// retries it; `void` when the booking changed before it was due (a reminder of a
/// cancelled booking).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MessageStatus {
    Pending,
    Failed,
    Sent,
    Dead,
    Void,
}

macro_rules! text_forms {
    ($name:ident { $($variant:ident = $text:literal),* $(,)? }) => {
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|x| x.as_str() == s)
            }
        }
    };
}

text_forms!(MessageKind {
    Confirmation = "confirmation",
    Reminder = "reminder",
    Rescheduled = "rescheduled",
    Cancelled = "cancelled",
    QuestionnaireInvitation = "questionnaire_invitation",
    NotReached = "not_reached",
});

text_forms!(MessageStatus { Pending = "pending", Failed = "failed", Sent = "sent", Dead = "dead", Void = "void" });

/// How often and how patiently a message is retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries in all, the first included; after the last failure the message is dead.
    pub max_attempts: u32,
    /// Wait after the first failure; it doubles with each further failure…
    pub base_delay: Duration,
    /// …up to this.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { max_attempts: 12, base_delay: Duration::seconds(30), max_delay: Duration::hours(1) }
    }
}

impl RetryPolicy {
    /// The wait before the next try after `attempts` tries have failed, or `None` when
    /// the budget is spent. Up to a quarter is added by `spread` (any number, e.g. bits of
    /// the message id), so messages that failed together do not all come back together.
    pub fn next_delay(&self, attempts: u32, spread: u64) -> Option<Duration> {
        if attempts >= self.max_attempts {
            return None;
        }
        let doublings = attempts.saturating_sub(1).min(30);
        let base = self.base_delay.num_milliseconds().max(1);
        let delay = base.saturating_mul(1_i64 << doublings).min(self.max_delay.num_milliseconds().max(base));
        let jitter = delay / 4 * i64::try_from(spread % 1000).unwrap_or(0) / 1000;
        Some(Duration::milliseconds(delay + jitter))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn text_forms_round_trip() {
        for k in MessageKind::ALL {
            assert_eq!(MessageKind::parse(k.as_str()), Some(*k));
        }
        for s in MessageStatus::ALL {
            assert_eq!(MessageStatus::parse(s.as_str()), Some(*s));
        }
        assert_eq!(MessageStatus::parse("sending"), None);
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_then_gives_up() {
        let p = RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::seconds(10),
            max_delay: Duration::seconds(35),
        };
        let delays: Vec<_> = (1..=5).map(|a| p.next_delay(a, 0).map(|d| d.num_seconds())).collect();
        assert_eq!(delays, vec![Some(10), Some(20), Some(35), Some(35), None]);
    }

    proptest! {
        #[test]
        fn delays_grow_and_stay_within_a_quarter_of_jitter(attempts in 1u32..40, spread: u64) {
            let p = RetryPolicy { max_attempts: 40, ..RetryPolicy::default() };
            let d = p.next_delay(attempts, spread).unwrap();
            let plain = p.next_delay(attempts, 0).unwrap();
            prop_assert!(d >= plain && d <= plain + plain / 4);
            prop_assert!(plain <= p.max_delay);
            if attempts > 1 {
                prop_assert!(plain >= p.next_delay(attempts - 1, 0).unwrap());
            }
        }
    }
}

/// One version of a booking's calendar event: reschedules keep the first booking's UID
/// and raise the sequence, so calendars update the event instead of adding another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarVersion {
    pub uid: String,
    pub sequence: u32,
}

/// What a message needs besides its booking, fixed when it is written.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payload {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<CalendarVersion>,
    /// The office's reason for a cancellation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// A link secret (the questionnaire invitation's token); never shown to operators.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_token: Option<String>,
    /// When the link stops working, as the mail must say (retries do not move it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
}

/// A message to write.
#[derive(Clone, Debug)]
pub struct NewMessage {
    pub kind: MessageKind,
    pub booking_id: Option<BookingId>,
    pub recipient: String,
    pub locale: Locale,
    pub payload: Payload,
    pub due_at: DateTime<Utc>,
}

/// A message as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub id: MessageId,
    pub kind: MessageKind,
    pub booking_id: Option<BookingId>,
    pub recipient: String,
    pub locale: Locale,
    pub payload: Payload,
    pub due_at: DateTime<Utc>,
    pub status: MessageStatus,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// How many messages are in each status, and since when the oldest waiting one is due:
/// the two figures an operator watches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboxCounts {
    pub pending: i64,
    pub failed: i64,
    pub sent: i64,
    pub dead: i64,
    pub void: i64,
    pub oldest_due: Option<DateTime<Utc>>,
}
