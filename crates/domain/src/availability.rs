//! Which times can be booked for a topic: runs of consecutive open slots of one advisor
//! that together last at least the topic's duration.

use crate::{AdvisorId, Channel, OfficeId, SlotId};
use chrono::{DateTime, Duration, Utc};
use std::collections::BTreeMap;

/// An open slot of an advisor who matches the request (topic, language, channel, office).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenSlot {
    pub id: SlotId,
    pub advisor_id: AdvisorId,
    pub office_id: OfficeId,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub channel: Channel,
}

/// One way to book a time: these slots of this advisor, in order, back to back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    pub advisor_id: AdvisorId,
    pub office_id: OfficeId,
    pub channel: Channel,
    pub start: DateTime<Utc>,
    /// `start` + the topic's duration (the slots may last longer).
    pub end: DateTime<Utc>,
    pub slots: Vec<SlotId>,
}

/// A bookable time as citizens see it: no advisor named. `office_id` is empty for phone
/// appointments, which any office's phone advisors may serve.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FreeTime {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub channel: Channel,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<uuid::Uuid>))]
    pub office_id: Option<OfficeId>,
}

/// One entry per time (and office, for office visits), sorted.
pub fn free_times(runs: &[Run]) -> Vec<FreeTime> {
    let mut times: Vec<FreeTime> = runs
        .iter()
        .map(|r| FreeTime {
            start: r.start,
            end: r.end,
            channel: r.channel,
            office_id: (r.channel == Channel::Office).then_some(r.office_id),
        })
        .collect();
    times.sort();
    times.dedup();
    times
}

/// Every run of back-to-back slots of one advisor and one channel lasting at least
/// `duration`, starting at each slot; sorted by start, then advisor.
pub fn runs(slots: &[OpenSlot], duration: Duration) -> Vec<Run> {
    let mut by_advisor: BTreeMap<(AdvisorId, Channel), Vec<&OpenSlot>> = BTreeMap::new();
    for s in slots {
        by_advisor.entry((s.advisor_id, s.channel)).or_default().push(s);
    }
    let mut out = Vec::new();
    for list in by_advisor.values_mut() {
        list.sort_by_key(|s| s.start);
        for i in 0..list.len() {
            let first = list[i];
            let mut ids = vec![first.id];
            let mut end = first.end;
            let mut j = i + 1;
            while end - first.start < duration && j < list.len() && list[j].start == end {
                ids.push(list[j].id);
                end = list[j].end;
                j += 1;
            }
            if end - first.start >= duration {
                out.push(Run {
                    advisor_id: first.advisor_id,
                    office_id: first.office_id,
                    channel: first.channel,
                    start: first.start,
                    end: first.start + duration,
                    slots: ids,
                });
            }
        }
    }
    out.sort_by_key(|r| (r.start, r.advisor_id));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn slot(advisor: AdvisorId, h: u32, m: u32, len: i64) -> OpenSlot {
        let start = Utc.with_ymd_and_hms(2027, 9, 6, h, m, 0).unwrap();
        OpenSlot {
            id: SlotId::new(),
            advisor_id: advisor,
            office_id: OfficeId(uuid::Uuid::nil()),
            start,
            end: start + Duration::minutes(len),
            channel: Channel::Office,
        }
    }

    #[test]
    fn longer_topics_take_consecutive_slots_of_one_advisor() {
        let (a, b) = (AdvisorId::new(), AdvisorId::new());
        // a: 8:00, 8:30, 9:30 (gap at 9:00); b: 8:30
        let slots = [slot(a, 8, 0, 30), slot(a, 8, 30, 30), slot(a, 9, 30, 30), slot(b, 8, 30, 30)];
        let thirty = runs(&slots, Duration::minutes(30));
        assert_eq!(thirty.len(), 4);
        let long = runs(&slots, Duration::minutes(45));
        assert_eq!(long.len(), 1, "{long:?}");
        assert_eq!(long[0].slots, vec![slots[0].id, slots[1].id]);
        assert_eq!(long[0].end - long[0].start, Duration::minutes(45));
    }
}
