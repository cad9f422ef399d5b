//! Bookings (ajanvaraus): the status machine, who booked, reference codes and the
//! office's booking rules.

use crate::Channel;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Where a booking is in its life. Every change is also an append-only booking event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    Booked,
    Arrived,
    InService,
    Completed,
    NoShow,
    CancelledByCitizen,
    CancelledByOffice,
    /// A phone appointment where the citizen did not answer after the allowed attempts:
    /// its own outcome, not a no-show.
    NotReached,
}

/// What staff or the citizen do to a booking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Arrive,
    Start,
    Complete,
    NoShow,
    CancelByCitizen,
    CancelByOffice,
    NotReached,
    /// Puts a no-show or a not-reached appointment back to booked: the correction of a
    /// mistaken outcome (allowed the same day, see `visit_clock`).
    Reinstate,
}

impl Action {
    pub const ALL: [Action; 8] = [
        Self::Arrive,
        Self::Start,
        Self::Complete,
        Self::NoShow,
        Self::CancelByCitizen,
        Self::CancelByOffice,
        Self::NotReached,
        Self::Reinstate,
    ];
}

impl BookingStatus {
    pub const ALL: [BookingStatus; 8] = [
        Self::Booked,
        Self::Arrived,
        Self::InService,
        Self::Completed,
        Self::NoShow,
        Self::CancelledByCitizen,
        Self::CancelledByOffice,
        Self::NotReached,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Booked => "booked",
            Self::Arrived => "arrived",
            Self::InService => "in_service",
            Self::Completed => "completed",
            Self::NoShow => "no_show",
            Self::CancelledByCitizen => "cancelled_by_citizen",
            Self::CancelledByOffice => "cancelled_by_office",
            Self::NotReached => "not_reached",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Cancelled bookings give their slot back; every other status holds it.
    pub fn holds_slot(self) -> bool {
        !matches!(self, Self::CancelledByCitizen | Self::CancelledByOffice)
    }

    /// The status after `action`, if the machine allows it, whatever the time (for the
    /// time, see `visit_clock::check`). Arrival is only for office visits; "not reached"
    /// only for phone appointments.
    pub fn apply(self, action: Action, channel: Channel) -> Option<BookingStatus> {
        use Action as A;
        use BookingStatus as S;
        match (self, action, channel) {
            (S::Booked, A::Arrive, Channel::Office) => Some(S::Arrived),
            (S::Booked | S::Arrived, A::Start, _) => Some(S::InService),
            (S::InService, A::Complete, _) => Some(S::Completed),
            (S::Booked, A::NoShow, _) => Some(S::NoShow),
            (S::Booked, A::CancelByCitizen, _) => Some(S::CancelledByCitizen),
            (S::Booked, A::CancelByOffice, _) => Some(S::CancelledByOffice),
            (S::Booked, A::NotReached, Channel::Phone) => Some(S::NotReached),
            (S::NoShow | S::NotReached, A::Reinstate, _) => Some(S::Booked),
            _ => None,
        }
    }
}

/// What the citizen needs at the visit.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Needs {
    /// Language of an interpreter to book, e.g. `ar`.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "ar"))]
    pub interpreter: Option<crate::Language>,
    /// Accessibility needs in the citizen's words.
    pub accessibility: Option<String>,
}

/// A booking as stored, with the personal identity code opened.
///
/// After the retention period (DESIGN.md §4.7) its personal data is removed:
/// `purged_at` says when, `personal_id` is `None`, `name`, `email` and `description`
/// are empty, `phone` and `cancel_reason` `None` and `needs` the default. What the
/// metrics read (times, status, topic, channel, office, advisor) stays.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Booking {
    pub id: crate::BookingId,
    pub reference: String,
    pub office_id: crate::OfficeId,
    pub advisor_id: crate::AdvisorId,
    pub topic_id: crate::TopicId,
    pub channel: Channel,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub language: crate::Locale,
    pub status: BookingStatus,
    pub booked_by: BookedBy,
    pub name: String,
    /// `None` only once the personal data is purged.
    pub personal_id: Option<crate::personal_id::PersonalId>,
    pub email: String,
    pub phone: Option<String>,
    pub description: String,
    pub needs: Needs,
    pub rescheduled_from: Option<crate::BookingId>,
    pub cancel_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    /// When the personal data was removed after the retention period.
    pub purged_at: Option<DateTime<Utc>>,
}

impl Booking {
    /// Whether the personal data is gone: nothing can be shown of the citizen, nothing
    /// sent to them, and the booking cannot change any more.
    pub fn is_purged(&self) -> bool {
        self.purged_at.is_some()
    }
}

/// One entry of a booking's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingEvent {
    pub at: DateTime<Utc>,
    /// `citizen`, `staff:<id>` or `system`.
    pub actor: String,
    /// The status reached (`booked`, `arrived`, …) or `rescheduled_from`, `call_attempt`.
    pub kind: String,
    pub detail: Option<String>,
}

/// Who made the booking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BookedBy {
    CitizenSelf,
    Advisor,
    PhoneService,
    WalkIn,
}

impl BookedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CitizenSelf => "citizen_self",
            Self::Advisor => "advisor",
            Self::PhoneService => "phone_service",
            Self::WalkIn => "walk_in",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::CitizenSelf, Self::Advisor, Self::PhoneService, Self::WalkIn]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// Characters that cannot be mistaken for one another when read aloud or written by hand
/// (no 0/O/Q, 1/I/L, 2/Z, 5/S, 8/B, U/V).
pub const REFERENCE_ALPHABET: &[u8] = b"ACDEFHJKMNPRTWXY34679";

/// A reference such as `K7M-4QX-9TD` from nine random indices into the alphabet.
pub fn reference_from(indices: [u8; 9]) -> String {
    let mut out = String::with_capacity(11);
    for (i, n) in indices.iter().enumerate() {
        if i == 3 || i == 6 {
            out.push('-');
        }
        out.push(REFERENCE_ALPHABET[usize::from(*n) % REFERENCE_ALPHABET.len()] as char);
    }
    out
}

/// An office's booking rules; every office has them, with these defaults.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct BookingRules {
    /// How far ahead citizens may book.
    pub horizon_weeks: u32,
    /// Citizens book at least this long before the start.
    pub min_notice_minutes: u32,
    /// Share of each day's slots held back for same-day and walk-in use (0–100).
    pub holdback_percent: u32,
    /// A held-back slot is released to everyone this long before it starts.
    pub holdback_release_hours: u32,
    /// Citizens may cancel or reschedule until this long before the start.
    pub change_cutoff_minutes: u32,
    /// Reminders by e-mail this long before the start (e.g. `[2880, 120]` for 48 h and
    /// 2 h); none that would fall before the booking was made.
    #[cfg_attr(feature = "openapi", schema(example = json!([1440])))]
    pub reminder_minutes_before: Vec<u32>,
    /// The experience questionnaire is sent this long after a completed visit.
    pub questionnaire_delay_minutes: u32,
}

impl Default for BookingRules {
    fn default() -> Self {
        BookingRules {
            horizon_weeks: 8,
            min_notice_minutes: 120,
            holdback_percent: 20,
            holdback_release_hours: 24,
            change_cutoff_minutes: 120,
            reminder_minutes_before: vec![24 * 60],
            questionnaire_delay_minutes: 120,
        }
    }
}

impl BookingRules {
    pub fn validate(&self, v: &mut crate::Validation, field: &str) {
        v.require((1..=52).contains(&self.horizon_weeks), &format!("{field}.horizon_weeks"), "must be 1–52");
        v.require(
            self.min_notice_minutes <= 7 * 24 * 60,
            &format!("{field}.min_notice_minutes"),
            "must be at most a week",
        );
        v.require(self.holdback_percent <= 100, &format!("{field}.holdback_percent"), "must be 0–100");
        v.require(
            self.holdback_release_hours <= 14 * 24,
            &format!("{field}.holdback_release_hours"),
            "must be at most two weeks",
        );
        v.require(
            self.change_cutoff_minutes <= 7 * 24 * 60,
            &format!("{field}.change_cutoff_minutes"),
            "must be at most a week",
        );
        v.require(
            self.questionnaire_delay_minutes <= 7 * 24 * 60,
            &format!("{field}.questionnaire_delay_minutes"),
            "must be at most a week",
        );
        let reminders = format!("{field}.reminder_minutes_before");
        v.require(self.reminder_minutes_before.len() <= 4, &reminders, "may list at most 4 reminders");
        v.require(
            self.reminder_minutes_before.iter().all(|m| (10..=14 * 24 * 60).contains(m)),
            &reminders,
            "each must be 10 minutes to 14 days (20160)",
        );
        let mut seen = self.reminder_minutes_before.clone();
        seen.sort_unstable();
        seen.dedup();
        v.require(seen.len() == self.reminder_minutes_before.len(), &reminders, "lists a time twice");
    }

    /// When the reminders of a booking starting at `start`, made at `now`, are due:
    /// only those still ahead, so a late booking gets no reminder that would come at once.
    pub fn reminders(&self, start: DateTime<Utc>, now: DateTime<Utc>) -> Vec<DateTime<Utc>> {
        let mut due: Vec<_> = self
            .reminder_minutes_before
            .iter()
            .map(|m| start - Duration::minutes(i64::from(*m)))
            .filter(|at| *at > now)
            .collect();
        due.sort();
        due
    }

    pub fn earliest_start(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now + Duration::minutes(i64::from(self.min_notice_minutes))
    }

    pub fn latest_start(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now + Duration::weeks(i64::from(self.horizon_weeks))
    }

    /// Whether a slot (identified by its id's bits, so the choice is stable and spread
    /// evenly) is held back from citizens at `now`.
    pub fn held_back(&self, slot_id: uuid::Uuid, start: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        let in_share = (slot_id.as_u128() % 100) < u128::from(self.holdback_percent);
        in_share && now < start - Duration::hours(i64::from(self.holdback_release_hours))
    }

    /// Whether a citizen may still cancel or move a booking starting at `start`.
    pub fn citizen_may_change(&self, start: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        now <= start - Duration::minutes(i64::from(self.change_cutoff_minutes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reminders_only_ahead_of_the_booking() {
        let start = "2026-12-10T08:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let rules = BookingRules { reminder_minutes_before: vec![120, 2880], ..BookingRules::default() };
        let early = start - Duration::days(5);
        assert_eq!(
            rules.reminders(start, early),
            vec![start - Duration::hours(48), start - Duration::hours(2)]
        );
        assert_eq!(rules.reminders(start, start - Duration::hours(24)), vec![start - Duration::hours(2)]);
        assert!(rules.reminders(start, start - Duration::minutes(90)).is_empty());
        let mut v = crate::Validation::new();
        BookingRules { reminder_minutes_before: vec![5, 60, 60], ..rules }.validate(&mut v, "rules");
        let errors = v.finish().unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors.iter().all(|e| e.field == "rules.reminder_minutes_before"));
    }

    #[test]
    fn the_status_machine() {
        use Action::{Arrive, CancelByOffice, Complete, Start};
        use BookingStatus::*;
        let office = Channel::Office;
        let phone = Channel::Phone;
        assert_eq!(Booked.apply(Arrive, office), Some(Arrived));
        assert_eq!(Arrived.apply(Start, office), Some(InService));
        assert_eq!(InService.apply(Complete, office), Some(Completed));
        assert_eq!(Booked.apply(Start, phone), Some(InService));
        assert_eq!(Booked.apply(Action::NoShow, office), Some(NoShow));
        assert_eq!(Booked.apply(Action::NotReached, phone), Some(NotReached));
        assert_eq!(Booked.apply(Action::NotReached, office), None);
        assert_eq!(Booked.apply(Arrive, phone), None);
        assert_eq!(Completed.apply(CancelByOffice, office), None);
        assert_eq!(CancelledByCitizen.apply(Arrive, office), None);
        assert_eq!(Arrived.apply(Action::NoShow, office), None);
        assert_eq!(NoShow.apply(Action::Reinstate, office), Some(Booked));
        assert_eq!(NotReached.apply(Action::Reinstate, phone), Some(Booked));
        assert_eq!(Completed.apply(Action::Reinstate, office), None);
        assert_eq!(Booked.apply(Action::Reinstate, office), None);
        for s in BookingStatus::ALL {
            assert_eq!(BookingStatus::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn references_use_the_unambiguous_alphabet() {
        let r = reference_from([0, 1, 2, 3, 4, 5, 6, 7, 17]);
        assert_eq!(r, "ACD-EFH-JK4");
        assert!(r.chars().filter(|c| *c != '-').all(|c| REFERENCE_ALPHABET.contains(&(c as u8))));
    }

    #[test]
    fn hold_back_releases_in_time() {
        let rules = BookingRules { holdback_percent: 100, ..BookingRules::default() };
        let start = Utc::now() + Duration::hours(48);
        let id = uuid::Uuid::new_v4();
        assert!(rules.held_back(id, start, Utc::now()));
        assert!(!rules.held_back(id, start, start - Duration::hours(23)));
        assert!(!BookingRules { holdback_percent: 0, ..rules }.held_back(id, start, Utc::now()));
    }
}
