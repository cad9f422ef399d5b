//! Access to appointments: "third next available", the standard measure of how soon a
//! citizen can be seen.
//!
//! The first and second free times are often a cancellation or a slot no one wants, so
//! they say little about capacity; the time to the third one is far more stable (the
//! measure comes from primary-care access work, e.g. the Institute for Healthcare
//! Improvement's Third Next Available Appointment).

use chrono::{DateTime, Duration, Utc};

/// The time from `reference` to the start of the third open bookable slot starting at or after
/// it. `open_slot_starts` may be in any order.
///
/// Slots are counted, not distinct start times: two advisors free at 9:00 are two
/// appointments a citizen could book, and the standard definition counts appointments. So
/// with slots at 9:00, 9:00 and 10:00 the third next available is 10:00.
///
/// `None` when fewer than three open slots start at or after `reference`. The result is
/// calendar time; callers that report in days or working days convert it.
pub fn third_next_available(
    reference: DateTime<Utc>,
    open_slot_starts: &[DateTime<Utc>],
) -> Option<Duration> {
    let mut upcoming: Vec<DateTime<Utc>> =
        open_slot_starts.iter().copied().filter(|&start| start >= reference).collect();
    if upcoming.len() < 3 {
        return None;
    }
    let (_, third, _) = upcoming.select_nth_unstable(2);
    Some(*third - reference)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, day, hour, minute, 0).unwrap()
    }

    /// A small calendar, looked at on Monday 2 March 2026 at 08:00 UTC:
    /// - Mon 07:30 (already past, ignored)
    /// - Mon 09:00, advisor A; Mon 09:00, advisor B
    /// - Mon 10:00
    /// - Tue 09:00
    ///
    /// Counting slots, the third is Mon 10:00, two hours away; counting distinct start times
    /// it would have been Tue 09:00.
    #[test]
    fn counts_slots_not_start_times() {
        let reference = at(2, 8, 0);
        let slots = [at(3, 9, 0), at(2, 10, 0), at(2, 9, 0), at(2, 7, 30), at(2, 9, 0)];
        assert_eq!(third_next_available(reference, &slots), Some(Duration::hours(2)));
    }

    /// Seen on Friday 6 March at 15:00: the slots left are Fri 15:00 (starting now counts),
    /// Fri 15:30 and, after the weekend, Mon 9 March 08:15: 2 days 17 h 15 min.
    #[test]
    fn across_a_weekend() {
        let reference = at(6, 15, 0);
        let slots = [at(9, 8, 15), at(6, 15, 30), at(6, 15, 0), at(9, 9, 0)];
        let expected = Duration::days(2) + Duration::hours(17) + Duration::minutes(15);
        assert_eq!(third_next_available(reference, &slots), Some(expected));
    }

    #[test]
    fn fewer_than_three_upcoming_slots() {
        let reference = at(2, 8, 0);
        assert_eq!(third_next_available(reference, &[]), None);
        assert_eq!(third_next_available(reference, &[at(2, 9, 0), at(2, 9, 0), at(1, 9, 0)]), None);
    }

    proptest! {
        #[test]
        fn matches_sorting(offsets in prop::collection::vec(-500i64..5_000, 0..40)) {
            let reference = at(2, 8, 0);
            let slots: Vec<_> = offsets.iter().map(|&m| reference + Duration::minutes(m)).collect();
            let mut upcoming: Vec<i64> = offsets.iter().copied().filter(|&m| m >= 0).collect();
            upcoming.sort_unstable();
            let expected = upcoming.get(2).map(|&m| Duration::minutes(m));
            prop_assert_eq!(third_next_available(reference, &slots), expected);
        }
    }
}
