//! What the metrics are computed from: one plain record per booking, walk-in, response,
//! office-day of capacity and office–topic of open times, each already placed in its
//! office's pilot group and, where it has one, its office-local day. The store reads them;
//! everything here is free of I/O so every figure can be worked by hand in tests.

use super::Week;
use crate::booking::{BookedBy, BookingStatus};
use crate::visit::{Assessment, WalkInOutcome};
use crate::{Channel, OfficeId, TopicId};
use chrono::{DateTime, NaiveDate, Utc};

/// Everything one metrics answer is computed from.
#[derive(Clone, Debug, PartialEq)]
pub struct Facts {
    /// When the facts were read: visits before it are due, and "third next available" is
    /// measured from it.
    pub now: DateTime<Utc>,
    pub offices: Vec<OfficeFact>,
    pub bookings: Vec<BookingFact>,
    pub walk_ins: Vec<WalkInFact>,
    pub responses: Vec<ResponseFact>,
    pub capacity: Vec<CapacityFact>,
    pub access: Vec<AccessFact>,
}

impl Facts {
    /// No facts at all, as of `now`.
    pub fn empty(now: DateTime<Utc>) -> Self {
        Facts {
            now,
            offices: Vec::new(),
            bookings: Vec::new(),
            walk_ins: Vec::new(),
            responses: Vec::new(),
            capacity: Vec::new(),
            access: Vec::new(),
        }
    }
}

/// An office as far as comparisons go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfficeFact {
    pub id: OfficeId,
    pub pilot_group: String,
    /// The first local day of appointment-only service, for before/after comparisons.
    pub pilot_start: Option<NaiveDate>,
}

/// One booking, by the time of its visit.
#[derive(Clone, Debug, PartialEq)]
pub struct BookingFact {
    pub office: OfficeId,
    pub pilot_group: String,
    pub topic: TopicId,
    pub channel: Channel,
    /// The office-local day of the visit; its ISO week is the visit week.
    pub date: NaiveDate,
    pub booked_by: BookedBy,
    pub created_at: DateTime<Utc>,
    pub start: DateTime<Utc>,
    /// The status now.
    pub status: BookingStatus,
    /// Moved to another time: the replacement booking stands for the appointment, so this
    /// one is left out of booking counts and cancellations.
    pub moved: bool,
    pub arrived_at: Option<DateTime<Utc>>,
    pub in_service_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    /// When it was cancelled, by the citizen or the office (see `status`).
    pub cancelled_at: Option<DateTime<Utc>>,
    /// The advisor's post-visit assessment.
    pub assessment: Option<Assessment>,
    pub invitation: Option<InvitationFact>,
}

/// The questionnaire invitation sent after a booking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InvitationFact {
    pub sent_at: DateTime<Utc>,
    pub answered: bool,
}

/// A citizen who came without an appointment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalkInFact {
    pub office: OfficeId,
    pub pilot_group: String,
    pub topic: TopicId,
    /// The office-local day of the visit.
    pub date: NaiveDate,
    pub outcome: WalkInOutcome,
}

/// One anonymous questionnaire response. It knows only the week of the visit, and its
/// pilot group as it was when the response was stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResponseFact {
    pub office: OfficeId,
    pub pilot_group: String,
    pub topic: TopicId,
    pub channel: Channel,
    pub week: Week,
    pub answers: ResponseAnswers,
}

/// The answers of the pilot questionnaire that the metrics count (free text never is);
/// `None` where the question was left unanswered.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResponseAnswers {
    /// CSAT, 1–5.
    pub satisfaction: Option<u8>,
    /// NPS, 0–10.
    pub recommend: Option<u8>,
    /// CES, 1–7.
    pub effort: Option<u8>,
    /// `appointment`, `without_appointment` or `no_preference`.
    pub preference: Option<String>,
    /// The channels the citizen knew of; an empty list means none of them.
    pub channels_known: Option<Vec<String>>,
    /// `yes`, `partly` or `no`.
    pub could_online: Option<String>,
}

/// The published and booked slots of one office, channel and local day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CapacityFact {
    pub office: OfficeId,
    pub pilot_group: String,
    pub channel: Channel,
    pub date: NaiveDate,
    /// Slots offered for booking (open or booked; blocked ones are not offered).
    pub published_slots: u64,
    pub booked_slots: u64,
    pub published_minutes: u64,
    pub booked_minutes: u64,
}

/// The open times from `Facts::now` on at which an office could serve a topic over a
/// channel: the starts of open slots of its active advisors who handle the topic. Only the
/// earliest few are needed, so a reader may keep just each advisor's first three.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessFact {
    pub office: OfficeId,
    pub pilot_group: String,
    pub topic: TopicId,
    pub channel: Channel,
    pub open_starts: Vec<DateTime<Utc>>,
}
