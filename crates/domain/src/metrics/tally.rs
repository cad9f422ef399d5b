//! The counts and values of one group, gathered fact by fact. Every definition of what
//! counts towards a measure lives here, once, for rows and comparisons alike.

use super::facts::{AccessFact, BookingFact, CapacityFact, ResponseFact, WalkInFact};
use crate::booking::{BookedBy, BookingStatus};
use crate::stats::{self, NpsCounts};
use crate::visit::{OtherChannel, WalkInOutcome};
use crate::Channel;
use chrono::{DateTime, Duration, Utc};

/// The channels the pilot questionnaire asks about, in the order they are reported.
pub const KNOWN_CHANNELS: [&str; 4] = ["online", "phone", "partner_point", "chat"];

/// A cancellation by the citizen less than this long before the start is late.
pub const LATE_CANCELLATION: Duration = Duration::hours(24);

#[derive(Clone, Debug, Default)]
pub(super) struct Tally {
    /// Bookings whose visit falls in the group, not counting those moved to another time.
    pub bookings: u64,
    /// Of those, made by the citizen online.
    pub self_service: u64,
    /// Booking → scheduled start, per booking.
    pub lead_hours: Vec<f64>,
    /// Bookings with a recorded outcome: arrived, in service, completed, no-show or not
    /// reached (a due visit still `booked` has none and is left out).
    pub outcomes: u64,
    pub no_shows: u64,
    pub not_reached: u64,
    /// Visits whose start has passed but whose outcome no one recorded.
    pub unrecorded: u64,
    pub cancelled_by_citizen: u64,
    /// Cancelled by the citizen less than 24 h before the start (or after it).
    pub late_cancellations: u64,
    pub cancelled_by_office: u64,
    /// Office appointments the citizen came to (arrived, in service or completed): beside
    /// walk-ins, the office's other visitors.
    pub office_visits: u64,
    /// Service start − scheduled start, minutes (negative when early).
    pub punctuality: Vec<f64>,
    /// Arrival → service start, minutes (office visits marked arrived).
    pub waiting: Vec<f64>,
    /// Service start → completed, minutes.
    pub service: Vec<f64>,
    pub assessments: u64,
    pub resolved: u64,
    /// Assessments saying the matter could have been handled in another channel.
    pub substitutable: u64,
    pub invitations: u64,
    pub answered: u64,
    pub walk_ins: super::WalkIns,
    pub published_slots: u64,
    pub booked_slots: u64,
    pub published_minutes: u64,
    pub booked_minutes: u64,
    /// Third next available of each office–topic pair, hours; `None` when fewer than
    /// three open slots lie ahead.
    pub access: Vec<Option<f64>>,
    pub responses: u64,
    pub nps: NpsCounts,
    pub csat: Vec<u8>,
    pub ces: Vec<u8>,
    /// Answers to `preference`, and of those `appointment`.
    pub preference: u64,
    pub prefers_appointment: u64,
    /// Answers to `channels_known` (an empty list is an answer), and per channel of
    /// [`KNOWN_CHANNELS`] how many knew it.
    pub channels_answered: u64,
    pub knows: [u64; 4],
    /// Answers to `could_online`, and of those `yes` and `partly`.
    pub could_online: u64,
    pub could_online_yes: u64,
    pub could_online_partly: u64,
}

fn hours(d: Duration) -> f64 {
    d.num_milliseconds() as f64 / 3_600_000.0
}

fn minutes(d: Duration) -> f64 {
    d.num_milliseconds() as f64 / 60_000.0
}

impl Tally {
    pub fn add_booking(&mut self, b: &BookingFact, now: DateTime<Utc>) {
        if b.moved {
            return;
        }
        self.bookings += 1;
        self.self_service += u64::from(b.booked_by == BookedBy::CitizenSelf);
        self.lead_hours.push(hours(b.start - b.created_at));
        match b.status {
            BookingStatus::Arrived | BookingStatus::InService | BookingStatus::Completed => {
                self.outcomes += 1;
                self.office_visits += u64::from(b.channel == Channel::Office);
            }
            BookingStatus::NoShow => {
                self.outcomes += 1;
                self.no_shows += 1;
            }
            BookingStatus::NotReached => {
                self.outcomes += 1;
                self.not_reached += 1;
            }
            BookingStatus::Booked => self.unrecorded += u64::from(b.start < now),
            BookingStatus::CancelledByCitizen => {
                self.cancelled_by_citizen += 1;
                let late = b.cancelled_at.is_some_and(|at| at > b.start - LATE_CANCELLATION);
                self.late_cancellations += u64::from(late);
            }
            BookingStatus::CancelledByOffice => self.cancelled_by_office += 1,
        }
        if let Some(start) = b.in_service_at {
            self.punctuality.push(minutes(start - b.start));
            if let Some(arrived) = b.arrived_at {
                self.waiting.push(minutes(start - arrived));
            }
            if let Some(done) = b.completed_at {
                self.service.push(minutes(done - start));
            }
        }
        if let Some(a) = &b.assessment {
            self.assessments += 1;
            self.resolved += u64::from(a.resolved_at_once);
            self.substitutable += u64::from(a.other_channel != OtherChannel::No);
        }
        if let Some(i) = b.invitation {
            self.invitations += 1;
            self.answered += u64::from(i.answered);
        }
    }

    pub fn add_walk_in(&mut self, w: &WalkInFact) {
        let counts = &mut self.walk_ins;
        counts.total += 1;
        *match w.outcome {
            WalkInOutcome::BookedNow => &mut counts.booked_now,
            WalkInOutcome::BookedLater => &mut counts.booked_later,
            WalkInOutcome::DirectedToEservice => &mut counts.directed_to_eservice,
            WalkInOutcome::DirectedToPhone => &mut counts.directed_to_phone,
            WalkInOutcome::ServedUrgent => &mut counts.served_urgent,
            WalkInOutcome::Left => &mut counts.left,
        } += 1;
    }

    pub fn add_capacity(&mut self, c: &CapacityFact) {
        self.published_slots += c.published_slots;
        self.booked_slots += c.booked_slots;
        self.published_minutes += c.published_minutes;
        self.booked_minutes += c.booked_minutes;
    }

    /// One office–topic pair, from the open starts of all its channels being counted.
    pub fn add_access(&mut self, now: DateTime<Utc>, open_starts: &[DateTime<Utc>]) {
        self.access.push(stats::third_next_available(now, open_starts).map(hours));
    }

    pub fn add_response(&mut self, r: &ResponseFact) {
        self.responses += 1;
        let a = &r.answers;
        if let Some(count) = a.recommend.and_then(|s| self.nps.counts.get_mut(usize::from(s))) {
            *count += 1;
        }
        self.csat.extend(a.satisfaction);
        self.ces.extend(a.effort);
        if let Some(p) = &a.preference {
            self.preference += 1;
            self.prefers_appointment += u64::from(p == "appointment");
        }
        if let Some(known) = &a.channels_known {
            self.channels_answered += 1;
            for (count, channel) in self.knows.iter_mut().zip(KNOWN_CHANNELS) {
                *count += u64::from(known.iter().any(|k| k == channel));
            }
        }
        if let Some(c) = &a.could_online {
            self.could_online += 1;
            self.could_online_yes += u64::from(c == "yes");
            self.could_online_partly += u64::from(c == "partly");
        }
    }

    pub fn csat_top_box(&self) -> u64 {
        self.csat.iter().filter(|&&s| s >= 4).count() as u64
    }
}

/// Every access fact's pair, merged per group key and office–topic: without channel in the
/// grouping, an office's phone and office slots for a topic are one pair.
pub(super) fn access_pairs<'f, K: Ord + Clone>(
    facts: impl IntoIterator<Item = (K, &'f AccessFact)>,
) -> std::collections::BTreeMap<(K, crate::OfficeId, crate::TopicId), Vec<DateTime<Utc>>> {
    let mut pairs = std::collections::BTreeMap::new();
    for (key, a) in facts {
        pairs.entry((key, a.office, a.topic)).or_insert_with(Vec::new).extend(a.open_starts.iter().copied());
    }
    pairs
}
