//! Slot maths: turning weekly wall-clock rules into UTC instants, day by day.
//!
//! Rules are wall-clock times in the office's zone. Each day is resolved on its own, so a
//! DST change moves the UTC offset on exactly the day it happens. A local time that does not
//! exist (spring forward) yields no slot; one that exists twice (fall back) yields one slot,
//! at the earlier instant.

use crate::calendar::{AbsenceFields, ClosureFields, ScheduleRuleFields};
use crate::holidays::holiday_name;
use crate::Channel;
use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use serde::Serialize;

/// A slot the calendar offers: `[start, end)` in UTC, on one channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SlotSpec {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub channel: Channel,
}

/// Why the calendar does not offer a time (any more). Shown to the office for a booked
/// slot that lost its footing, so it can move or cancel the booking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Unavailability {
    PublicHoliday,
    OfficeClosure,
    Absence,
    OutsideSchedule,
}

impl Unavailability {
    pub fn parse(s: &str) -> Option<Self> {
        [Self::PublicHoliday, Self::OfficeClosure, Self::Absence, Self::OutsideSchedule]
            .into_iter()
            .find(|x| x.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Unavailability::PublicHoliday => "public_holiday",
            Unavailability::OfficeClosure => "office_closure",
            Unavailability::Absence => "absence",
            Unavailability::OutsideSchedule => "outside_schedule",
        }
    }
}

/// A booking whose time the calendar no longer offers, once however many slots it holds:
/// the office must move or cancel it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConflictBooking {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub booking_id: crate::BookingId,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub advisor_id: crate::AdvisorId,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub office_id: crate::OfficeId,
    pub channel: Channel,
    /// The start of its first slot and the end of its last.
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Why its first slot in conflict is no longer offered.
    pub reason: Unavailability,
    /// When the conflict appeared (the earliest of its slots').
    pub since: DateTime<Utc>,
}

/// The state of a materialised slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SlotState {
    Open,
    Booked,
    /// Held back by the office; not bookable.
    Blocked,
}

impl SlotState {
    pub fn as_str(self) -> &'static str {
        match self {
            SlotState::Open => "open",
            SlotState::Booked => "booked",
            SlotState::Blocked => "blocked",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Open, Self::Booked, Self::Blocked].into_iter().find(|x| x.as_str() == s)
    }
}

/// A materialised slot as staff see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Slot {
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub id: crate::SlotId,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub advisor_id: crate::AdvisorId,
    #[cfg_attr(feature = "openapi", schema(value_type = uuid::Uuid))]
    pub office_id: crate::OfficeId,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub channel: Channel,
    pub state: SlotState,
    pub booking_id: Option<uuid::Uuid>,
    /// Set on a booked slot that the calendar no longer offers: the office must move or
    /// cancel the booking.
    pub conflict: Option<Unavailability>,
}

/// Everything that decides one advisor's slots.
#[derive(Clone, Copy, Debug)]
pub struct AdvisorCalendar<'a> {
    pub tz: Tz,
    pub rules: &'a [ScheduleRuleFields],
    pub absences: &'a [AbsenceFields],
    pub closures: &'a [ClosureFields],
}

/// The single UTC instant for a wall-clock time, or `None` inside a spring-forward gap.
pub fn resolve_local(tz: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(earlier, _) => Some(earlier.with_timezone(&Utc)),
        LocalResult::None => None,
    }
}

/// The start of a local day as a UTC instant (midnight, or the first instant after a gap).
pub fn local_day_start(tz: chrono_tz::Tz, day: NaiveDate) -> DateTime<Utc> {
    (0..=120)
        .step_by(30)
        .find_map(|m| resolve_local(tz, day.and_hms_opt(0, 0, 0)? + Duration::minutes(m)))
        .expect("a day has an instant within two hours of midnight")
}

/// The wall-clock start times one rule yields on one day: on the grid from `start`, each
/// slot fitting before `end`, restarting the grid at the end of a break it would overlap.
pub fn rule_start_times(rule: &ScheduleRuleFields) -> Vec<NaiveTime> {
    let secs = |t: NaiveTime| i64::from(t.num_seconds_from_midnight());
    let len = i64::from(rule.slot_minutes) * 60;
    let end = secs(rule.end);
    let mut times = Vec::new();
    let mut t = secs(rule.start);
    while len > 0 && t + len <= end {
        if let Some(b) = rule.breaks.iter().find(|b| secs(b.start) < t + len && t < secs(b.end)) {
            t = secs(b.end);
            continue;
        }
        let start = u32::try_from(t).expect("within one day");
        times.push(NaiveTime::from_num_seconds_from_midnight_opt(start, 0).expect("within one day"));
        t += len;
    }
    times
}

impl AdvisorCalendar<'_> {
    /// Why `day` has no slots at all, if it has none.
    pub fn day_off(&self, day: NaiveDate) -> Option<Unavailability> {
        if holiday_name(day).is_some() {
            Some(Unavailability::PublicHoliday)
        } else if self.closures.iter().any(|c| c.covers(day)) {
            Some(Unavailability::OfficeClosure)
        } else {
            None
        }
    }

    fn absent(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
        self.absences.iter().any(|a| a.starts_at < end && start < a.ends_at)
    }

    /// The slots of the days `first..=last` (local dates), sorted, without duplicates.
    pub fn slots(&self, first: NaiveDate, last: NaiveDate) -> Vec<SlotSpec> {
        let mut out = Vec::new();
        for day in first.iter_days().take_while(|d| *d <= last) {
            if self.day_off(day).is_some() {
                continue;
            }
            for rule in self.rules.iter().filter(|r| r.applies_on(day)) {
                let len = Duration::minutes(i64::from(rule.slot_minutes));
                for local in rule_start_times(rule) {
                    let Some(start) = resolve_local(self.tz, day.and_time(local)) else {
                        continue;
                    };
                    let end = start + len;
                    if !self.absent(start, end) {
                        out.push(SlotSpec { start, end, channel: rule.channel });
                    }
                }
            }
        }
        out.sort();
        out.dedup_by_key(|s| s.start);
        out
    }

    /// Why the calendar would not offer `[start, end)` on `channel`, or `None` if it would.
    pub fn unavailability(
        &self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        channel: Channel,
    ) -> Option<Unavailability> {
        let day = start.with_timezone(&self.tz).date_naive();
        if let Some(reason) = self.day_off(day) {
            return Some(reason);
        }
        if self.absent(start, end) {
            return Some(Unavailability::Absence);
        }
        let offered = self
            .slots(day, day)
            .into_iter()
            .any(|s| s.start == start && s.end == end && s.channel == channel);
        (!offered).then_some(Unavailability::OutsideSchedule)
    }
}

/// What the office board shows of its conflicts: how many bookings are in conflict, and
/// which of them appeared since `since` (e.g. the manager's last look).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConflictSummary {
    pub open: usize,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<uuid::Uuid>))]
    pub appeared_since: Vec<crate::BookingId>,
    /// When the oldest open conflict appeared (none open: `None`).
    pub oldest: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::TimeRange;
    use crate::AdvisorId;
    use chrono::{Datelike, Offset};
    use chrono_tz::Europe::Helsinki;
    use proptest::prelude::*;

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn weekday_rule(weekday: i16) -> ScheduleRuleFields {
        ScheduleRuleFields {
            advisor_id: AdvisorId::new(),
            weekday,
            start: hm(8, 0),
            end: hm(16, 0),
            channel: Channel::Office,
            slot_minutes: 30,
            breaks: vec![TimeRange { start: hm(12, 0), end: hm(12, 30) }],
            valid_from: None,
            valid_until: None,
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Mon–Fri 08–16, 30 min, lunch 12:00–12:30, over the DST weeks of 2027: 15 slots on
    /// each working day at the same local times, and the offset changes on the right day.
    #[test]
    fn weekday_template_across_the_dst_changes_of_2027() {
        let rules: Vec<_> = (1..=5).map(weekday_rule).collect();
        let cal = AdvisorCalendar { tz: Helsinki, rules: &rules, absences: &[], closures: &[] };
        let expected_local: Vec<NaiveTime> =
            (0..16).map(|i| hm(8, 0) + Duration::minutes(30 * i)).filter(|t| *t != hm(12, 0)).collect();
        assert_eq!(expected_local.len(), 15);
        // (first, last, the day DST changes, UTC offset in hours before and after)
        for (first, last, change, before, after) in [
            (d(2027, 3, 22), d(2027, 4, 4), d(2027, 3, 28), 2, 3),
            (d(2027, 10, 25), d(2027, 11, 7), d(2027, 10, 31), 3, 2),
        ] {
            let slots = cal.slots(first, last);
            for day in first.iter_days().take_while(|x| *x <= last) {
                let of_day: Vec<_> =
                    slots.iter().filter(|s| s.start.with_timezone(&Helsinki).date_naive() == day).collect();
                let working = day.weekday().number_from_monday() <= 5 && holiday_name(day).is_none();
                if !working {
                    assert!(of_day.is_empty(), "{day} should have no slots");
                    continue;
                }
                let local: Vec<_> = of_day.iter().map(|s| s.start.with_timezone(&Helsinki).time()).collect();
                assert_eq!(local, expected_local, "{day}");
                let offset = if day < change { before } else { after };
                for s in &of_day {
                    let got = s.start.with_timezone(&Helsinki).offset().fix().local_minus_utc();
                    assert_eq!(got, offset * 3600, "{day} {}", s.start);
                    assert_eq!(s.end - s.start, Duration::minutes(30));
                }
                assert_eq!(of_day[0].start.time(), hm(8 - offset as u32, 0), "{day} first slot in UTC");
            }
        }
    }

    #[test]
    fn no_slots_on_the_public_holidays_of_2027() {
        let rules: Vec<_> = (1..=7).map(weekday_rule).collect();
        let cal = AdvisorCalendar { tz: Helsinki, rules: &rules, absences: &[], closures: &[] };
        let slots = cal.slots(d(2027, 1, 1), d(2027, 12, 31));
        for holiday in
            [d(2027, 3, 26), d(2027, 3, 29), d(2027, 5, 6), d(2027, 6, 25), d(2027, 12, 6), d(2027, 12, 24)]
        {
            assert!(
                !slots.iter().any(|s| s.start.with_timezone(&Helsinki).date_naive() == holiday),
                "slots on {holiday}"
            );
        }
        // An ordinary day still has its 15.
        assert_eq!(
            slots.iter().filter(|s| s.start.with_timezone(&Helsinki).date_naive() == d(2027, 3, 25)).count(),
            15
        );
    }

    #[test]
    fn absences_and_closures_remove_slots() {
        let rules = vec![weekday_rule(3)];
        let day = d(2027, 9, 15); // a Wednesday
        let absence = AbsenceFields {
            advisor_id: rules[0].advisor_id,
            starts_at: resolve_local(Helsinki, day.and_time(hm(9, 15))).unwrap(),
            ends_at: resolve_local(Helsinki, day.and_time(hm(10, 0))).unwrap(),
            kind: crate::calendar::AbsenceKind::Training,
            note: None,
        };
        let absences = [absence];
        let cal = AdvisorCalendar { tz: Helsinki, rules: &rules, absences: &absences, closures: &[] };
        // 09:00 and 09:30 overlap the absence.
        assert_eq!(cal.slots(day, day).len(), 13);
        let nine = resolve_local(Helsinki, day.and_time(hm(9, 0))).unwrap();
        assert_eq!(
            cal.unavailability(nine, nine + Duration::minutes(30), Channel::Office),
            Some(Unavailability::Absence)
        );
        let closures = [ClosureFields {
            office_id: crate::OfficeId::new(),
            first_day: day,
            last_day: day,
            reason: "Moving".into(),
        }];
        let closed = AdvisorCalendar { closures: &closures, ..cal };
        assert!(closed.slots(day, day).is_empty());
        assert_eq!(
            closed.unavailability(nine, nine + Duration::minutes(30), Channel::Office),
            Some(Unavailability::OfficeClosure)
        );
    }

    const ZONES: [Tz; 5] = [
        Helsinki,
        chrono_tz::America::New_York,
        chrono_tz::Australia::Lord_Howe, // half-hour DST shift
        chrono_tz::Europe::London,
        chrono_tz::America::Santiago, // DST change at midnight
    ];

    prop_compose! {
        fn arb_rule()(
            weekday in 1i16..=7,
            start_min in 0u32..(24 * 12),
            span in 1u32..(24 * 12),
            slot_steps in 1i32..=24,
            break_at in proptest::option::of(0u32..100),
        ) -> ScheduleRuleFields {
            let start = start_min * 5;
            let end = (start + span * 5).min(24 * 60 - 1);
            let t = |m: u32| NaiveTime::from_hms_opt(m / 60, m % 60, 0).unwrap();
            let breaks = break_at
                .map(|pct| start + (end - start) * pct / 100)
                .filter(|b| b + 15 <= end)
                .map(|b| vec![TimeRange { start: t(b), end: t(b + 15) }])
                .unwrap_or_default();
            ScheduleRuleFields {
                advisor_id: AdvisorId::new(),
                weekday,
                start: t(start),
                end: t(end),
                channel: Channel::Phone,
                slot_minutes: slot_steps * 5,
                breaks,
                valid_from: None,
                valid_until: None,
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// Over random templates, zones and dates 2024–2030: every slot starts at a local time
        /// the rule offers, on the rule's weekday; none is doubled; every local time that
        /// exists on a working day has its slot.
        #[test]
        fn generated_slots_match_the_template(
            rule in arb_rule(),
            zone in 0usize..ZONES.len(),
            first_offset in 0i64..(7 * 365 - 21),
            days in 0i64..21,
        ) {
            let tz = ZONES[zone];
            let first = d(2024, 1, 1) + Duration::days(first_offset);
            let last = first + Duration::days(days);
            let rules = [rule.clone()];
            let cal = AdvisorCalendar { tz, rules: &rules, absences: &[], closures: &[] };
            let slots = cal.slots(first, last);
            let offered = rule_start_times(&rule);
            let len = Duration::minutes(i64::from(rule.slot_minutes));

            let mut seen = std::collections::HashSet::new();
            for s in &slots {
                prop_assert!(seen.insert(s.start), "doubled slot {}", s.start);
                prop_assert_eq!(s.end - s.start, len);
                let local = s.start.with_timezone(&tz).naive_local();
                prop_assert!(offered.contains(&local.time()), "slot at {} not in template", local);
                prop_assert!(local.time() >= rule.start && local.time() + len <= rule.end || local.time() + len < local.time());
                prop_assert!(rule.applies_on(local.date()));
                prop_assert!(local.date() >= first && local.date() <= last);
            }
            let mut expected = 0;
            for day in first.iter_days().take_while(|x| *x <= last) {
                if !rule.applies_on(day) || holiday_name(day).is_some() {
                    continue;
                }
                for t in &offered {
                    if let Some(start) = resolve_local(tz, day.and_time(*t)) {
                        expected += 1;
                        prop_assert!(slots.iter().any(|s| s.start == start), "missing {} {}", day, t);
                    }
                }
            }
            prop_assert_eq!(slots.len(), expected);
        }
    }
}
