//! When a visit's status may change: the clock's half of the booking status machine.
//!
//! `BookingStatus::apply` says which changes exist; these rules say when they make
//! sense, so a visit cannot be started days early, a citizen marked as not showing up
//! before the time, or a phone appointment given up on before it was due. The API and
//! the pages share them (through `store::bookings::transition` and `store::visits`), and
//! the pages show only the buttons [`actions_now`] lists.
//!
//! The windows, for an appointment `[start, end)` in the office's time zone, all closing
//! at the end of the appointment's local day (its next local midnight, DST-safe):
//!
//! | step | from |
//! | --- | --- |
//! | arrive, start, complete | an hour before the start ([`SERVICE_OPENS_BEFORE_MINUTES`]) |
//! | no-show | the start |
//! | call attempts (and "not reached" after them) | ten minutes before the start ([`CALLS_OPEN_BEFORE_MINUTES`]) |
//! | reinstate (correct a no-show or "not reached" back to booked) | whenever the status allows |
//!
//! Cancelling (by the office or the citizen) is possible until the start; the citizen's
//! own cut-off (`BookingRules::citizen_may_change`) is earlier still. Nothing is
//! possible on a later day: the record of a day is closed when the day is.

use crate::booking::{Action, BookingStatus};
use crate::slots::local_day_start;
use crate::Channel;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use chrono_tz::Tz;

/// Arrival, the start of service and its completion may be recorded from this many
/// minutes before the appointment's start (a citizen who comes early may be served early).
pub const SERVICE_OPENS_BEFORE_MINUTES: i64 = 60;

/// Calls to a phone appointment may be logged from this many minutes before its start.
pub const CALLS_OPEN_BEFORE_MINUTES: i64 = 10;

/// What someone tries to do to a booking: a status change, or logging a call attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Status(Action),
    Call,
}

impl Step {
    /// The step in words, for messages: "arrival", "a no-show", …
    pub fn describe(self) -> &'static str {
        match self {
            Step::Status(Action::Arrive) => "arrival",
            Step::Status(Action::Start) => "the start of service",
            Step::Status(Action::Complete) => "completion",
            Step::Status(Action::NoShow) => "a no-show",
            Step::Status(Action::CancelByCitizen | Action::CancelByOffice) => "cancelling",
            Step::Status(Action::NotReached) => "\"not reached\"",
            Step::Status(Action::Reinstate) => "putting it back to booked",
            Step::Call => "a call attempt",
        }
    }
}

/// Why a step is refused now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VisitRefusal {
    /// The status machine does not allow it from this status (or for this channel).
    #[error("{}", not_allowed(.step, .status, .channel))]
    NotAllowed { step: Step, status: BookingStatus, channel: Channel },
    /// Not yet: it becomes possible at `opens`.
    #[error("too early: {} can be recorded from {}", .step.describe(), rfc3339(.opens))]
    TooEarly { step: Step, opens: DateTime<Utc> },
    /// No more: it was possible until `closed`.
    #[error("too late: {} was possible until {}", .step.describe(), rfc3339(.closed))]
    TooLate { step: Step, closed: DateTime<Utc> },
}

fn not_allowed(step: &Step, status: &BookingStatus, channel: &Channel) -> String {
    match step {
        Step::Call => "calls are logged for phone appointments that are still booked".to_owned(),
        Step::Status(_) => {
            let booking = match channel {
                Channel::Office => "an office visit",
                Channel::Phone => "a phone appointment",
            };
            format!("{} is not possible for {booking} that is {}", step.describe(), status.as_str())
        }
    }
}

fn rfc3339(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// When a step is possible: from `opens` (or at any earlier time when `None`) until just
/// before `closes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub opens: Option<DateTime<Utc>>,
    pub closes: DateTime<Utc>,
}

impl Window {
    fn admits(self, step: Step, now: DateTime<Utc>) -> Result<(), VisitRefusal> {
        match self.opens {
            Some(opens) if now < opens => Err(VisitRefusal::TooEarly { step, opens }),
            _ if now >= self.closes => Err(VisitRefusal::TooLate { step, closed: self.closes }),
            _ => Ok(()),
        }
    }
}

/// The end of the appointment's local day: the next local midnight after the day its
/// last moment falls on.
pub fn day_end(start: DateTime<Utc>, end: DateTime<Utc>, zone: Tz) -> DateTime<Utc> {
    let last = if end > start { end - Duration::microseconds(1) } else { start };
    let day = last.with_timezone(&zone).date_naive();
    local_day_start(zone, day + Duration::days(1))
}

/// When `step` is possible for an appointment `[start, end)` in `zone`.
pub fn window(step: Step, start: DateTime<Utc>, end: DateTime<Utc>, zone: Tz) -> Window {
    let before = |minutes: i64| Some(start - Duration::minutes(minutes));
    let closes = day_end(start, end, zone);
    match step {
        Step::Status(Action::Arrive | Action::Start | Action::Complete) => {
            Window { opens: before(SERVICE_OPENS_BEFORE_MINUTES), closes }
        }
        Step::Status(Action::NoShow) => Window { opens: Some(start), closes },
        Step::Status(Action::NotReached) | Step::Call => {
            Window { opens: before(CALLS_OPEN_BEFORE_MINUTES), closes }
        }
        Step::Status(Action::Reinstate) => Window { opens: None, closes },
        Step::Status(Action::CancelByCitizen | Action::CancelByOffice) => {
            Window { opens: None, closes: start }
        }
    }
}

/// The status `action` leads to now, or why it is refused.
pub fn check(
    status: BookingStatus,
    action: Action,
    channel: Channel,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    now: DateTime<Utc>,
    zone: Tz,
) -> Result<BookingStatus, VisitRefusal> {
    let step = Step::Status(action);
    let next = status.apply(action, channel).ok_or(VisitRefusal::NotAllowed { step, status, channel })?;
    window(step, start, end, zone).admits(step, now)?;
    Ok(next)
}

/// Whether a call attempt may be logged now: a phone appointment still booked, from a
/// few minutes before its start until the end of its day.
pub fn call_allowed(
    status: BookingStatus,
    channel: Channel,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    now: DateTime<Utc>,
    zone: Tz,
) -> Result<(), VisitRefusal> {
    if status != BookingStatus::Booked || channel != Channel::Phone {
        return Err(VisitRefusal::NotAllowed { step: Step::Call, status, channel });
    }
    window(Step::Call, start, end, zone).admits(Step::Call, now)
}

/// The status changes staff may make now, for the buttons to show: the correction back
/// to booked when it is allowed, cancelling by the office while the time is ahead. Not
/// the citizen's cancelling (theirs is on the manage page) nor "not reached" (it follows
/// from call attempts; see [`call_allowed`]).
pub fn actions_now(
    status: BookingStatus,
    channel: Channel,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    now: DateTime<Utc>,
    zone: Tz,
) -> Vec<Action> {
    Action::ALL
        .into_iter()
        .filter(|a| !matches!(a, Action::CancelByCitizen | Action::NotReached))
        .filter(|a| check(status, *a, channel, start, end, now, zone).is_ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone, Timelike};
    use proptest::prelude::*;

    const HELSINKI: Tz = chrono_tz::Europe::Helsinki;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().expect("an RFC 3339 instant")
    }

    fn minutes(m: i64) -> Duration {
        Duration::minutes(m)
    }

    /// A status from which the machine allows `step` on `channel`, if any.
    fn status_for(step: Step, channel: Channel) -> Option<BookingStatus> {
        use BookingStatus as S;
        let candidates = [S::Booked, S::Arrived, S::InService, S::NoShow, S::NotReached];
        match step {
            Step::Call => (channel == Channel::Phone).then_some(S::Booked),
            Step::Status(action) => candidates.into_iter().find(|s| s.apply(action, channel).is_some()),
        }
    }

    fn outcome(
        step: Step,
        status: BookingStatus,
        channel: Channel,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), VisitRefusal> {
        match step {
            Step::Call => call_allowed(status, channel, start, end, now, HELSINKI),
            Step::Status(action) => check(status, action, channel, start, end, now, HELSINKI).map(|_| ()),
        }
    }

    /// The next Helsinki midnight after `day`, worked out without `local_day_start`
    /// (midnight exists once on every day in Helsinki: its changes are at 03:00/04:00).
    fn midnight_after(day: NaiveDate) -> DateTime<Utc> {
        let next = (day + Duration::days(1)).and_hms_opt(0, 0, 0).unwrap();
        HELSINKI.from_local_datetime(&next).single().unwrap().with_timezone(&Utc)
    }

    fn local_day(t: DateTime<Utc>) -> NaiveDate {
        t.with_timezone(&HELSINKI).date_naive()
    }

    fn steps() -> Vec<Step> {
        Action::ALL.into_iter().map(Step::Status).chain([Step::Call]).collect()
    }

    #[test]
    fn the_windows_of_a_morning_visit() {
        // Tuesday 14 September 2027, 10:00–10:30 in Helsinki (UTC+3).
        let (start, end) = (at("2027-09-14T07:00:00Z"), at("2027-09-14T07:30:00Z"));
        let midnight = at("2027-09-14T21:00:00Z");
        let booked = BookingStatus::Booked;
        let office = Channel::Office;
        let check_at = |action, now| check(booked, action, office, start, end, now, HELSINKI);

        assert_eq!(
            check_at(Action::Arrive, start - minutes(61)),
            Err(VisitRefusal::TooEarly { step: Step::Status(Action::Arrive), opens: start - minutes(60) })
        );
        assert_eq!(check_at(Action::Arrive, start - minutes(60)), Ok(BookingStatus::Arrived));
        assert_eq!(check_at(Action::Arrive, midnight - minutes(1)), Ok(BookingStatus::Arrived));
        assert_eq!(
            check_at(Action::Arrive, midnight),
            Err(VisitRefusal::TooLate { step: Step::Status(Action::Arrive), closed: midnight })
        );
        assert!(check_at(Action::NoShow, start - Duration::seconds(1)).is_err());
        assert_eq!(check_at(Action::NoShow, start), Ok(BookingStatus::NoShow));
        assert_eq!(
            check_at(Action::CancelByOffice, start - Duration::seconds(1)),
            Ok(BookingStatus::CancelledByOffice)
        );
        assert!(check_at(Action::CancelByOffice, start).is_err());
        assert_eq!(
            check(
                BookingStatus::NoShow,
                Action::Reinstate,
                office,
                start,
                end,
                midnight - minutes(1),
                HELSINKI
            ),
            Ok(booked)
        );
        assert!(
            check(BookingStatus::NoShow, Action::Reinstate, office, start, end, midnight, HELSINKI).is_err()
        );

        let phone = Channel::Phone;
        assert!(call_allowed(booked, phone, start, end, start - minutes(11), HELSINKI).is_err());
        assert_eq!(call_allowed(booked, phone, start, end, start - minutes(10), HELSINKI), Ok(()));
        assert!(matches!(
            call_allowed(booked, office, start, end, start, HELSINKI),
            Err(VisitRefusal::NotAllowed { step: Step::Call, .. })
        ));

        let early = start - Duration::days(5);
        assert_eq!(actions_now(booked, office, start, end, early, HELSINKI), [Action::CancelByOffice]);
        assert_eq!(
            actions_now(booked, office, start, end, start - minutes(30), HELSINKI),
            [Action::Arrive, Action::Start, Action::CancelByOffice]
        );
        assert_eq!(
            actions_now(booked, office, start, end, start + minutes(5), HELSINKI),
            [Action::Arrive, Action::Start, Action::NoShow]
        );
        assert_eq!(
            actions_now(BookingStatus::NoShow, office, start, end, start + minutes(5), HELSINKI),
            [Action::Reinstate]
        );
        assert_eq!(actions_now(booked, office, start, end, midnight, HELSINKI), []);
    }

    #[test]
    fn refusals_read_clearly() {
        let opens = at("2027-09-14T06:00:00Z");
        let early = VisitRefusal::TooEarly { step: Step::Status(Action::Arrive), opens };
        assert_eq!(early.to_string(), "too early: arrival can be recorded from 2027-09-14T06:00:00Z");
        let late = VisitRefusal::TooLate { step: Step::Call, closed: opens };
        assert_eq!(late.to_string(), "too late: a call attempt was possible until 2027-09-14T06:00:00Z");
        let no = VisitRefusal::NotAllowed {
            step: Step::Status(Action::Arrive),
            status: BookingStatus::Completed,
            channel: Channel::Office,
        };
        assert_eq!(no.to_string(), "arrival is not possible for an office visit that is completed");
    }

    /// On the days the clocks change, the day still ends at local midnight: 23 and 25
    /// hours after the one before (the offsets written out, not asked of the zone data).
    #[test]
    fn a_day_with_a_dst_change_ends_at_its_midnight() {
        // Sunday 28 March 2027, 01:30 EET (UTC+2); the clocks go from 03:00 to 04:00, and
        // the day ends at 00:00 EEST (UTC+3) on the 29th.
        let spring = at("2027-03-27T23:30:00Z");
        assert_eq!(day_end(spring, spring + minutes(30), HELSINKI), at("2027-03-28T21:00:00Z"));
        // Sunday 31 October 2027, 02:30 EEST (UTC+3); the clocks go from 04:00 back to
        // 03:00, and the day ends at 00:00 EET (UTC+2) on 1 November.
        let autumn = at("2027-10-30T23:30:00Z");
        assert_eq!(day_end(autumn, autumn + minutes(30), HELSINKI), at("2027-10-31T22:00:00Z"));
        let previous = |t: DateTime<Utc>| day_end(t - Duration::days(1), t - Duration::days(1), HELSINKI);
        assert_eq!(day_end(spring, spring, HELSINKI) - previous(spring), Duration::hours(23));
        assert_eq!(day_end(autumn, autumn, HELSINKI) - previous(autumn), Duration::hours(25));
        // A visit at 09:00 EET on the autumn Sunday can be started from 08:00 EET.
        let nine = at("2027-10-31T07:00:00Z");
        let opens = window(Step::Status(Action::Start), nine, nine + minutes(30), HELSINKI).opens;
        assert_eq!(opens, Some(at("2027-10-31T06:00:00Z")));
    }

    /// Appointments from Friday to Monday around either DST change, at any minute.
    fn appointment() -> impl Strategy<Value = (DateTime<Utc>, DateTime<Utc>)> {
        let weekends = prop_oneof![Just(at("2027-03-25T22:00:00Z")), Just(at("2027-10-28T21:00:00Z"))];
        (weekends, 0i64..4 * 24 * 60, 1i64..=120)
            .prop_map(|(base, offset, length)| (base + minutes(offset), base + minutes(offset + length)))
            .prop_filter("within one local day", |(start, end)| {
                local_day(*start) == local_day(*end - Duration::microseconds(1))
            })
    }

    fn channel() -> impl Strategy<Value = Channel> {
        prop_oneof![Just(Channel::Office), Just(Channel::Phone)]
    }

    proptest! {
        /// Each step is possible exactly from its opening until the appointment's local
        /// midnight (or, for cancelling, the start), and says which edge it missed.
        #[test]
        fn every_step_is_possible_exactly_in_its_window(
            (start, end) in appointment(),
            channel in channel(),
            offset in -2i64 * 24 * 60..3 * 24 * 60,
        ) {
            let now = start + minutes(offset);
            let midnight = midnight_after(local_day(start));
            prop_assert_eq!(midnight.with_timezone(&HELSINKI).time().hour(), 0);
            prop_assert!(midnight - start <= Duration::hours(25));
            for step in steps() {
                let Some(status) = status_for(step, channel) else { continue };
                let (opens, closes) = match step {
                    Step::Status(Action::Arrive | Action::Start | Action::Complete) => (Some(start - minutes(60)), midnight),
                    Step::Status(Action::NoShow) => (Some(start), midnight),
                    Step::Status(Action::NotReached) | Step::Call => (Some(start - minutes(10)), midnight),
                    Step::Status(Action::Reinstate) => (None, midnight),
                    Step::Status(Action::CancelByCitizen | Action::CancelByOffice) => (None, start),
                };
                let expected = match opens {
                    Some(opens) if now < opens => Err(VisitRefusal::TooEarly { step, opens }),
                    _ if now >= closes => Err(VisitRefusal::TooLate { step, closed: closes }),
                    _ => Ok(()),
                };
                prop_assert_eq!(outcome(step, status, channel, start, end, now), expected, "{:?}", step);
            }
        }

        /// Nothing is possible on a later local day than the appointment's, whatever the
        /// status.
        #[test]
        fn a_later_day_is_closed(
            (start, end) in appointment(),
            channel in channel(),
            later in 0i64..3 * 24 * 60,
        ) {
            let now = midnight_after(local_day(start)) + minutes(later);
            prop_assert!(local_day(now) > local_day(start));
            for status in BookingStatus::ALL {
                prop_assert_eq!(actions_now(status, channel, start, end, now, HELSINKI), vec![]);
                for step in steps() {
                    prop_assert!(outcome(step, status, channel, start, end, now).is_err());
                }
            }
        }

        /// The buttons are the status changes `check` allows, less the citizen's cancelling
        /// and "not reached".
        #[test]
        fn actions_now_are_what_check_allows(
            (start, end) in appointment(),
            channel in channel(),
            offset in -2i64 * 24 * 60..2 * 24 * 60,
        ) {
            let now = start + minutes(offset);
            for status in BookingStatus::ALL {
                let shown = actions_now(status, channel, start, end, now, HELSINKI);
                for action in Action::ALL {
                    let allowed = check(status, action, channel, start, end, now, HELSINKI).is_ok();
                    let listed = !matches!(action, Action::CancelByCitizen | Action::NotReached) && allowed;
                    prop_assert_eq!(shown.contains(&action), listed, "{:?} {:?}", status, action);
                }
                if status == BookingStatus::Booked {
                    prop_assert_eq!(shown.contains(&Action::CancelByOffice), now < start);
                }
            }
        }
    }
}
