//! Bringing an advisor's stored slots in line with the calendar, worked out as a plan:
//! the slots the calendar wants ([`desired`]), then what must change for the stored ones
//! to match ([`diff`]). The store reads the calendar and the slots, and applies the plan
//! in one transaction; working it out needs no database.

use crate::slots::{AdvisorCalendar, Slot, SlotSpec, SlotState, Unavailability};
use crate::{Channel, SlotId};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::{HashMap, HashSet};

/// The slots the calendar offers over days `first..=last` that start at `now` or later,
/// by start; none for an advisor who is not active.
pub fn desired(
    calendar: &AdvisorCalendar<'_>,
    active: bool,
    first: NaiveDate,
    last: NaiveDate,
    now: DateTime<Utc>,
) -> HashMap<DateTime<Utc>, SlotSpec> {
    if !active {
        return HashMap::new();
    }
    calendar.slots(first, last).into_iter().filter(|s| s.start >= now).map(|s| (s.start, s)).collect()
}

/// Why a booked slot's time is no longer offered, or `None` if it still is: an advisor who
/// is no longer active offers nothing.
pub fn booked_reason(calendar: &AdvisorCalendar<'_>, active: bool, slot: &Slot) -> Option<Unavailability> {
    if active {
        calendar.unavailability(slot.start, slot.end, slot.channel)
    } else {
        Some(Unavailability::OutsideSchedule)
    }
}

/// One change to the stored slots.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// An open slot the calendar no longer offers, or that would overlap a booked or
    /// blocked one.
    Remove(SlotId),
    /// An open slot whose end or channel the calendar changed.
    Reshape { slot: SlotId, end: DateTime<Utc>, channel: Channel },
    /// A booked slot the calendar no longer offers: a conflict from now on.
    ConflictAppeared { slot: SlotId, reason: Unavailability },
    /// A conflict for another reason than before; it stays as old as it was.
    ConflictReason { slot: SlotId, reason: Unavailability },
    /// A booked slot the calendar offers again.
    ConflictResolved(SlotId),
    /// A new open slot.
    Create(SlotSpec),
}

/// What a refresh does, and how many booked slots are in conflict after it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// Changes to existing slots in their order, then new slots by start.
    pub changes: Vec<Change>,
    pub conflicts: usize,
}

/// The changes that turn `existing` (the advisor's slots from now on) into `desired`.
/// Booked and blocked slots stay as they are, and nothing new may overlap them; a booked
/// slot is marked with `booked_reason`'s answer. Blocked slots are the office's own
/// decision and are left alone.
pub fn diff(
    desired: &HashMap<DateTime<Utc>, SlotSpec>,
    existing: &[Slot],
    booked_reason: impl Fn(&Slot) -> Option<Unavailability>,
) -> Plan {
    let kept: Vec<(DateTime<Utc>, DateTime<Utc>)> =
        existing.iter().filter(|s| s.state != SlotState::Open).map(|s| (s.start, s.end)).collect();
    let overlaps_kept =
        |s: &SlotSpec| kept.iter().any(|(start, end)| s.start < *end && *start < s.end && s.start != *start);

    let mut plan = Plan::default();
    let mut present = HashSet::new();
    for slot in existing {
        present.insert(slot.start);
        let change = match slot.state {
            SlotState::Open => match desired.get(&slot.start) {
                None => Some(Change::Remove(slot.id)),
                Some(w) if overlaps_kept(w) => Some(Change::Remove(slot.id)),
                Some(w) if w.end != slot.end || w.channel != slot.channel => {
                    Some(Change::Reshape { slot: slot.id, end: w.end, channel: w.channel })
                }
                Some(_) => None,
            },
            SlotState::Booked => {
                let reason = booked_reason(slot);
                plan.conflicts += usize::from(reason.is_some());
                match (slot.conflict, reason) {
                    (None, Some(reason)) => Some(Change::ConflictAppeared { slot: slot.id, reason }),
                    (Some(was), Some(is)) if was != is => {
                        Some(Change::ConflictReason { slot: slot.id, reason: is })
                    }
                    (Some(_), None) => Some(Change::ConflictResolved(slot.id)),
                    _ => None,
                }
            }
            SlotState::Blocked => None,
        };
        plan.changes.extend(change);
    }

    let mut new: Vec<SlotSpec> =
        desired.values().filter(|s| !present.contains(&s.start) && !overlaps_kept(s)).copied().collect();
    new.sort_by_key(|s| s.start);
    plan.changes.extend(new.into_iter().map(Change::Create));
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AdvisorId, OfficeId};
    use chrono::{Duration, TimeZone};

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 3, 24, h, m, 0).unwrap()
    }

    fn spec(h: u32, m: u32, minutes: i64, channel: Channel) -> SlotSpec {
        SlotSpec { start: at(h, m), end: at(h, m) + Duration::minutes(minutes), channel }
    }

    fn stored(spec: SlotSpec, state: SlotState, conflict: Option<Unavailability>) -> Slot {
        Slot {
            id: SlotId::new(),
            advisor_id: AdvisorId::new(),
            office_id: OfficeId::new(),
            start: spec.start,
            end: spec.end,
            channel: spec.channel,
            state,
            booking_id: None,
            conflict,
        }
    }

    fn wanted(specs: &[SlotSpec]) -> HashMap<DateTime<Utc>, SlotSpec> {
        specs.iter().map(|s| (s.start, *s)).collect()
    }

    #[test]
    fn nothing_changes_when_the_slots_match() {
        let s = spec(8, 0, 30, Channel::Office);
        let plan = diff(&wanted(&[s]), &[stored(s, SlotState::Open, None)], |_| None);
        assert_eq!(plan, Plan::default());
    }

    #[test]
    fn open_slots_follow_the_calendar() {
        let (gone, longer, same) = (
            spec(8, 0, 30, Channel::Office),
            spec(9, 0, 30, Channel::Office),
            spec(10, 0, 30, Channel::Phone),
        );
        let existing = [
            stored(gone, SlotState::Open, None),
            stored(longer, SlotState::Open, None),
            stored(same, SlotState::Open, None),
        ];
        let new = spec(11, 0, 30, Channel::Phone);
        let longer_now = spec(9, 0, 45, Channel::Phone);
        let plan = diff(&wanted(&[longer_now, same, new]), &existing, |_| None);
        assert_eq!(
            plan.changes,
            vec![
                Change::Remove(existing[0].id),
                Change::Reshape { slot: existing[1].id, end: longer_now.end, channel: Channel::Phone },
                Change::Create(new),
            ]
        );
        assert_eq!(plan.conflicts, 0);
    }

    #[test]
    fn booked_and_blocked_slots_stay_and_nothing_new_overlaps_them() {
        let booked = stored(spec(8, 0, 30, Channel::Office), SlotState::Booked, None);
        let blocked = stored(spec(9, 0, 30, Channel::Office), SlotState::Blocked, None);
        // A schedule of 45-minute slots from 8.15 and 9.15 would overlap both.
        let overlapping = [spec(8, 15, 45, Channel::Office), spec(9, 15, 45, Channel::Office)];
        let open_overlapping = stored(overlapping[0], SlotState::Open, None);
        let later = spec(10, 0, 45, Channel::Office);
        let plan = diff(
            &wanted(&[overlapping[0], overlapping[1], later]),
            &[booked.clone(), blocked, open_overlapping.clone()],
            |_| Some(Unavailability::OutsideSchedule),
        );
        assert_eq!(
            plan.changes,
            vec![
                Change::ConflictAppeared { slot: booked.id, reason: Unavailability::OutsideSchedule },
                Change::Remove(open_overlapping.id),
                Change::Create(later),
            ]
        );
        assert_eq!(plan.conflicts, 1);
    }

    #[test]
    fn a_conflict_appears_changes_its_reason_and_is_resolved() {
        let s = spec(8, 0, 30, Channel::Office);
        let fresh = stored(s, SlotState::Booked, None);
        let plan = diff(&HashMap::new(), std::slice::from_ref(&fresh), |_| Some(Unavailability::Absence));
        assert_eq!(
            plan.changes,
            vec![Change::ConflictAppeared { slot: fresh.id, reason: Unavailability::Absence }]
        );

        let absent = stored(s, SlotState::Booked, Some(Unavailability::Absence));
        let plan =
            diff(&HashMap::new(), std::slice::from_ref(&absent), |_| Some(Unavailability::OfficeClosure));
        assert_eq!(
            plan.changes,
            vec![Change::ConflictReason { slot: absent.id, reason: Unavailability::OfficeClosure }]
        );
        let plan = diff(&HashMap::new(), std::slice::from_ref(&absent), |_| Some(Unavailability::Absence));
        assert_eq!((plan.changes, plan.conflicts), (vec![], 1));

        let plan = diff(&wanted(&[s]), std::slice::from_ref(&absent), |_| None);
        assert_eq!((plan.changes, plan.conflicts), (vec![Change::ConflictResolved(absent.id)], 0));
    }
}
