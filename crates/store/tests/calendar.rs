//! Calendars in the database: slot materialisation across DST changes and holidays,
//! idempotent refreshes, bookings that outlive calendar changes, validation that needs
//! data, and instants that read back equal. Every test runs on SQLite and PostgreSQL.

mod common;

use aukiolo_domain::calendar::{AbsenceFields, AbsenceKind, ClosureFields};
use aukiolo_domain::slots::{AdvisorCalendar, Slot, SlotState, Unavailability};
use aukiolo_domain::{Channel, OfficeId, TopicId};
use aukiolo_store::slots::{self, Horizon, RefreshStats};
use aukiolo_store::test_support::TestDb;
use aukiolo_store::{absences, advisors, closures, offices, schedule_rules, topics, StoreError};
use chrono::{DateTime, Duration, NaiveDate, Offset, SubsecRound, Utc};
use common::*;
use diesel::prelude::*;

/// A fortnight of the standard template from `now` (Monday midnight in Helsinki, given in
/// UTC): every working day has the 15 slots at the same local times, the UTC offset goes
/// from `offsets.0` to `offsets.1` hours on `change`, `closed` weekdays have none, and
/// the instants read back are exactly the ones the domain computes.
fn check_dst_fortnight(db: &TestDb, now: &str, change: NaiveDate, offsets: (i32, i32), closed: &[NaiveDate]) {
    let mut conn = db.conn();
    let h = Horizon { now: utc(now), days: 14 };
    let first = local_date(h.now);
    assert_eq!(h.now, local(first, 0, 0), "the horizon starts at local midnight");
    let last = first + Duration::days(13);
    let offset_on = |d: NaiveDate| if d < change { offsets.0 } else { offsets.1 };
    let cal = setup_calendar(&mut conn, &h);
    slots::refresh_advisor(&mut conn, cal.advisor.id, &h).unwrap();

    let got = list_days(&mut conn, cal.advisor.id, first, last);
    let (from, to) = (local(first, 0, 0), local(last + Duration::days(1), 0, 0));
    assert_eq!(slots::list_for_office(&mut conn, cal.office.id, from, to).unwrap(), got);
    let standard = half_hours(8, 16);
    assert_eq!((standard.len(), standard[0], standard[14]), (15, hm(8, 0), hm(15, 30)));
    assert_days(&got, first, last, closed, &standard);
    for s in &got {
        let offset = offset_on(local_date(s.start));
        assert_eq!(s.start.with_timezone(&TZ).offset().fix().local_minus_utc(), offset * 3600, "{}", s.start);
        assert_eq!(s.end - s.start, Duration::minutes(30));
        assert_eq!((s.advisor_id, s.office_id), (cal.advisor.id, cal.office.id));
        assert_eq!(
            (s.channel, s.state, s.booking_id, s.conflict),
            (Channel::Office, SlotState::Open, None, None)
        );
    }
    // Each day's 08:00, written out in UTC.
    for d in first.iter_days().take_while(|d| *d <= last) {
        if let Some(s) = got.iter().find(|s| local_date(s.start) == d) {
            assert_eq!(s.start, utc(&format!("{d}T{:02}:00:00Z", 8 - offset_on(d))), "first slot of {d}");
        }
    }

    // Round trip through the custom SQL types: the same instants as the domain computes
    // from the rules as stored.
    let stored: Vec<_> = schedule_rules::list_for_advisor(&mut conn, cal.advisor.id)
        .unwrap()
        .into_iter()
        .map(|r| r.fields)
        .collect();
    let domain = AdvisorCalendar { tz: TZ, rules: &stored, absences: &[], closures: &[] }.slots(first, last);
    let read: Vec<_> = got.iter().map(|s| (s.start, s.end, s.channel)).collect();
    let computed: Vec<_> = domain.iter().map(|s| (s.start, s.end, s.channel)).collect();
    assert_eq!(read, computed);
}

/// Two bookable slots of the standard template on `d`, booked as bookings `n` and `n + 1`.
fn book_two(conn: &mut aukiolo_store::DbConnection, cal: &Calendar, d: NaiveDate, n: u128) {
    let of_day = list_days(conn, cal.advisor.id, d, d);
    claim_slot(conn, slot_at(&of_day, local(d, 8, 0)).id, n);
    claim_slot(conn, slot_at(&of_day, local(d, 10, 0)).id, n + 1);
}

/// The office's conflicts from `now` on, one per booking: (booking, reason), by start;
/// each appeared at the horizon's `now` of the change that caused it.
fn conflicts(
    conn: &mut aukiolo_store::DbConnection,
    cal: &Calendar,
    now: DateTime<Utc>,
) -> Vec<(uuid::Uuid, Unavailability)> {
    let list = slots::conflict_bookings(conn, cal.office.id, now).unwrap();
    assert!(list.iter().all(|c| c.since == now && c.advisor_id == cal.advisor.id), "{list:?}");
    list.into_iter().map(|c| (c.booking_id.0, c.reason)).collect()
}

/// What `conflicts` lists for these slots in conflict.
fn of_slots(slots: &[Slot]) -> Vec<(uuid::Uuid, Unavailability)> {
    let mut out: Vec<(uuid::Uuid, Unavailability)> = Vec::new();
    for s in slots {
        let booking = s.booking_id.expect("a booked slot");
        if !out.iter().any(|(b, _)| *b == booking) {
            out.push((booking, s.conflict.expect("in conflict")));
        }
    }
    out
}

aukiolo_store::backend_tests! {
    // Spring forward on Sunday 2027-03-28 (+02 → +03); Good Friday and Easter Monday closed.
    fn dst_spring_forward_fortnight(db) {
        let closed = [day(2027, 3, 26), day(2027, 3, 29)];
        check_dst_fortnight(
            db,
            "2027-03-21T22:00:00Z",
            day(2027, 3, 28),
            (2, 3),
            &closed,
        );
    }

    // Fall back on Sunday 2027-10-31 (+03 → +02); All Saints' Day is a Saturday.
    fn dst_fall_back_fortnight(db) {
        check_dst_fortnight(db, "2027-10-24T21:00:00Z", day(2027, 10, 31), (3, 2), &[]);
    }

    fn no_slots_on_holidays(db) {
        let mut conn = db.conn();
        let cal = setup_calendar(&mut conn, &horizon(day(2027, 5, 3), 7));
        let standard = half_hours(8, 16);
        // Ascension Day; Midsummer Eve; Independence Day and Christmas Eve.
        let ascension = (day(2027, 5, 3), 7, vec![day(2027, 5, 6)]);
        let midsummer = (day(2027, 6, 21), 7, vec![day(2027, 6, 25)]);
        let december = (
            day(2027, 12, 1),
            31,
            vec![day(2027, 12, 6), day(2027, 12, 24)],
        );
        for (first, days, closed) in [ascension, midsummer, december] {
            let stats =
                slots::refresh_advisor(&mut conn, cal.advisor.id, &horizon(first, days)).unwrap();
            let last = first + Duration::days(i64::from(days) - 1);
            let got = list_days(&mut conn, cal.advisor.id, first, last);
            assert_days(&got, first, last, &closed, &standard);
            // Creating the rules already filled May.
            let created = if first == day(2027, 5, 3) {
                0
            } else {
                got.len()
            };
            assert_eq!(
                stats.created, created,
                "slots created by the refresh from {first}"
            );
        }
    }

    fn refreshing_twice_changes_nothing(db) {
        let mut conn = db.conn();
        let first = day(2027, 9, 13);
        // The rules fill one week; the refresh extends to two.
        let cal = setup_calendar(&mut conn, &horizon(first, 7));
        let h = horizon(first, 14);
        let stats = slots::refresh_advisor(&mut conn, cal.advisor.id, &h).unwrap();
        assert_eq!(
            stats,
            RefreshStats {
                created: 5 * 15,
                ..RefreshStats::default()
            }
        );
        let once = list_days(&mut conn, cal.advisor.id, first, first + Duration::days(13));
        assert_eq!(once.len(), 10 * 15);

        let stats = slots::refresh_advisor(&mut conn, cal.advisor.id, &h).unwrap();
        assert_eq!(stats, RefreshStats::default());
        assert_eq!(
            slots::refresh_office(&mut conn, cal.office.id, &h).unwrap(),
            RefreshStats::default()
        );
        assert_eq!(
            slots::refresh_all(&db.pool, &h).unwrap(),
            RefreshStats::default()
        );
        let twice = list_days(&mut conn, cal.advisor.id, first, first + Duration::days(13));
        assert_eq!(twice, once, "same ids, times and states");
    }

    fn a_slot_is_claimed_once(db) {
        let mut conn = db.conn();
        let first = day(2027, 9, 13);
        let cal = setup_calendar(&mut conn, &horizon(first, 7));
        let slot = list_days(&mut conn, cal.advisor.id, first, first)[0].clone();
        let booking = claim_slot(&mut conn, slot.id, 1);
        assert!(!slots::claim(&mut conn, slot.id, uuid::Uuid::from_u128(2)).unwrap());
        assert!(!slots::claim(&mut conn, slot.id, booking).unwrap());
        assert!(!slots::claim(
            &mut conn,
            aukiolo_domain::SlotId::new(),
            uuid::Uuid::from_u128(3)
        )
        .unwrap());
        let read = list_days(&mut conn, cal.advisor.id, first, first)[0].clone();
        assert_eq!(
            (read.id, read.state, read.booking_id, read.conflict),
            (slot.id, SlotState::Booked, Some(booking), None)
        );
        // A refresh leaves a booking the calendar still offers alone.
        let stats = slots::refresh_advisor(&mut conn, cal.advisor.id, &horizon(first, 7)).unwrap();
        assert_eq!(stats, RefreshStats::default());
        assert_eq!(list_days(&mut conn, cal.advisor.id, first, first)[0], read);
    }

    fn booked_slot_outlives_a_rule_change(db) {
        let mut conn = db.conn();
        let first = day(2027, 9, 13);
        let last = first + Duration::days(13);
        let h = horizon(first, 14);
        let cal = setup_calendar(&mut conn, &h);
        let tuesday = day(2027, 9, 14);
        book_two(&mut conn, &cal, tuesday, 1);
        let before = list_days(&mut conn, cal.advisor.id, tuesday, tuesday);
        let (early, inside) = (
            slot_at(&before, local(tuesday, 8, 0)).clone(),
            slot_at(&before, local(tuesday, 10, 0)).clone(),
        );

        for r in &cal.rules {
            let f = rule_fields(cal.advisor.id, r.fields.weekday, hm(9, 0), hm(15, 0));
            schedule_rules::update(&mut conn, r.id, &f, &h).unwrap();
        }
        let got = list_days(&mut conn, cal.advisor.id, first, last);
        let kept = slot_at(&got, early.start);
        assert_eq!(kept.id, early.id);
        assert_eq!(
            (kept.state, kept.booking_id),
            (SlotState::Booked, early.booking_id)
        );
        assert_eq!(kept.conflict, Some(Unavailability::OutsideSchedule));
        assert_eq!(
            slot_at(&got, inside.start),
            &inside,
            "a booking still offered has no conflict"
        );
        let rest: Vec<_> = got.iter().filter(|s| s.id != early.id).cloned().collect();
        assert_days(&rest, first, last, &[], &half_hours(9, 15));
        assert_eq!(
            conflicts(&mut conn, &cal, h.now),
            of_slots(std::slice::from_ref(kept))
        );

        // Back to 08:00–16:00: the booking is offered again and the conflict clears.
        for r in &cal.rules {
            schedule_rules::update(&mut conn, r.id, &r.fields, &h).unwrap();
        }
        let got = list_days(&mut conn, cal.advisor.id, first, last);
        assert_eq!(slot_at(&got, early.start), &early);
        assert_days(&got, first, last, &[], &half_hours(8, 16));
        assert!(conflicts(&mut conn, &cal, h.now).is_empty());
    }

    fn absence_over_a_booking_is_a_conflict_until_deleted(db) {
        let mut conn = db.conn();
        let first = day(2027, 9, 13);
        let h = horizon(first, 14);
        let cal = setup_calendar(&mut conn, &h);
        let tuesday = day(2027, 9, 14);
        book_two(&mut conn, &cal, tuesday, 1);
        let booked = slot_at(
            &list_days(&mut conn, cal.advisor.id, tuesday, tuesday),
            local(tuesday, 10, 0),
        )
        .clone();

        let absence = absences::create(
            &mut conn,
            &AbsenceFields {
                advisor_id: cal.advisor.id,
                starts_at: local(tuesday, 10, 0),
                ends_at: local(tuesday, 11, 0),
                kind: AbsenceKind::Training,
                note: Some("First aid course".into()),
            },
            &h,
        )
        .unwrap();
        let of_day = list_days(&mut conn, cal.advisor.id, tuesday, tuesday);
        let kept = slot_at(&of_day, booked.start);
        assert_eq!(
            (kept.id, kept.state, kept.booking_id),
            (booked.id, SlotState::Booked, booked.booking_id)
        );
        assert_eq!(kept.conflict, Some(Unavailability::Absence));
        let mut expected = half_hours(8, 16);
        expected.retain(|t| *t != hm(10, 30));
        assert_eq!(
            local_starts(&of_day, tuesday),
            expected,
            "the open 10:30 slot is gone"
        );
        assert_eq!(
            conflicts(&mut conn, &cal, h.now),
            of_slots(std::slice::from_ref(kept))
        );

        absences::delete(&mut conn, absence.id, &h).unwrap();
        let of_day = list_days(&mut conn, cal.advisor.id, tuesday, tuesday);
        assert_eq!(slot_at(&of_day, booked.start), &booked);
        assert_eq!(local_starts(&of_day, tuesday), half_hours(8, 16));
        assert!(conflicts(&mut conn, &cal, h.now).is_empty());
    }

    fn closure_over_a_booked_day_is_an_office_closure(db) {
        let mut conn = db.conn();
        let first = day(2027, 9, 13);
        let last = first + Duration::days(13);
        let h = horizon(first, 14);
        let cal = setup_calendar(&mut conn, &h);
        let wednesday = day(2027, 9, 15);
        book_two(&mut conn, &cal, wednesday, 1);
        let booked: Vec<_> = list_days(&mut conn, cal.advisor.id, wednesday, wednesday)
            .into_iter()
            .filter(|s| s.state == SlotState::Booked)
            .collect();
        assert_eq!(booked.len(), 2);

        let closure = closures::create(
            &mut conn,
            &ClosureFields {
                office_id: cal.office.id,
                first_day: wednesday,
                last_day: wednesday,
                reason: "Moving".into(),
            },
            &h,
        )
        .unwrap();
        let got = list_days(&mut conn, cal.advisor.id, first, last);
        let on_day: Vec<_> = got
            .iter()
            .filter(|s| local_date(s.start) == wednesday)
            .cloned()
            .collect();
        assert_eq!(
            on_day.len(),
            2,
            "only the bookings remain on the closed day"
        );
        for (kept, was) in on_day.iter().zip(&booked) {
            assert_eq!(
                (kept.id, kept.state, kept.booking_id),
                (was.id, SlotState::Booked, was.booking_id)
            );
            assert_eq!(kept.conflict, Some(Unavailability::OfficeClosure));
        }
        let rest: Vec<_> = got
            .iter()
            .filter(|s| local_date(s.start) != wednesday)
            .cloned()
            .collect();
        assert_days(&rest, first, last, &[wednesday], &half_hours(8, 16));
        assert_eq!(
            conflicts(&mut conn, &cal, h.now),
            of_slots(&on_day)
        );

        closures::delete(&mut conn, closure.id, &h).unwrap();
        let got = list_days(&mut conn, cal.advisor.id, first, last);
        assert_days(&got, first, last, &[], &half_hours(8, 16));
        assert!(got
            .iter()
            .filter(|s| s.state == SlotState::Booked)
            .all(|s| s.conflict.is_none()));
        assert!(conflicts(&mut conn, &cal, h.now).is_empty());
    }

    fn advisor_references_must_exist(db) {
        let mut conn = db.conn();
        let office = create_office(&mut conn, "Kamppi");
        let topic = create_topic(&mut conn, "pensions");
        let count = |conn: &mut aukiolo_store::DbConnection| -> (i64, i64) {
            use aukiolo_store::schema::{advisor_topics, advisors};
            (
                advisors::table.count().get_result(conn).unwrap(),
                advisor_topics::table.count().get_result(conn).unwrap(),
            )
        };

        let unknown_office =
            advisors::create(&mut conn, &advisor_fields(OfficeId::new(), vec![topic.id]));
        assert_eq!(invalid_fields(unknown_office), ["office_id"]);
        let unknown_topic =
            advisors::create(&mut conn, &advisor_fields(office.id, vec![TopicId::new()]));
        assert_eq!(invalid_fields(unknown_topic), ["topic_ids[0]"]);
        let second_unknown = advisors::create(
            &mut conn,
            &advisor_fields(office.id, vec![topic.id, TopicId::new()]),
        );
        assert_eq!(invalid_fields(second_unknown), ["topic_ids[1]"]);
        assert_eq!(count(&mut conn), (0, 0), "nothing was written");
        assert!(advisors::list_for_office(&mut conn, office.id)
            .unwrap()
            .is_empty());

        let ok = advisors::create(&mut conn, &advisor_fields(office.id, vec![topic.id])).unwrap();
        assert_eq!(
            advisors::list_for_office(&mut conn, office.id).unwrap(),
            vec![ok]
        );
        assert_eq!(count(&mut conn), (1, 1));
    }

    fn overlapping_rules_are_refused(db) {
        let mut conn = db.conn();
        let h = horizon(day(2027, 9, 13), 7);
        let cal = setup_calendar(&mut conn, &h);
        let overlapping = rule_fields(cal.advisor.id, 1, hm(15, 0), hm(17, 0));
        assert_eq!(
            invalid_fields(schedule_rules::create(&mut conn, &overlapping, &h)),
            ["start"]
        );
        // Moving Tuesday's rule onto Monday clashes too.
        let mut moved = cal.rules[1].fields.clone();
        moved.weekday = 1;
        assert_eq!(
            invalid_fields(schedule_rules::update(&mut conn, cal.rules[1].id, &moved, &h)),
            ["start"]
        );
        let stored = schedule_rules::list_for_advisor(&mut conn, cal.advisor.id).unwrap();
        assert_eq!(stored, cal.rules, "nothing was written");
        // Right after Monday's hours, or on a Saturday, is fine.
        schedule_rules::create(
            &mut conn,
            &rule_fields(cal.advisor.id, 1, hm(16, 0), hm(17, 0)),
            &h,
        )
        .unwrap();
        schedule_rules::create(
            &mut conn,
            &rule_fields(cal.advisor.id, 6, hm(8, 0), hm(16, 0)),
            &h,
        )
        .unwrap();
        assert_eq!(
            schedule_rules::list_for_advisor(&mut conn, cal.advisor.id)
                .unwrap()
                .len(),
            7
        );
    }

    fn topic_codes_are_unique(db) {
        let mut conn = db.conn();
        let pensions = create_topic(&mut conn, "pensions");
        let mut again = topic_fields("pensions");
        again.duration_minutes = 45;
        assert_eq!(invalid_fields(topics::create(&mut conn, &again)), ["code"]);
        let other = create_topic(&mut conn, "housing_allowance");
        assert_eq!(
            invalid_fields(topics::update(&mut conn, other.id, &again)),
            ["code"]
        );
        // Keeping its own code is no clash.
        topics::update(&mut conn, pensions.id, &again).unwrap();
        let codes: Vec<_> = topics::list(&mut conn)
            .unwrap()
            .into_iter()
            .map(|t| t.fields.code)
            .collect();
        assert_eq!(codes, ["housing_allowance", "pensions"]);
    }

    fn an_office_with_advisors_is_not_deleted(db) {
        let mut conn = db.conn();
        let office = create_office(&mut conn, "Kamppi");
        let advisor = create_advisor(&mut conn, office.id);
        assert!(matches!(
            offices::delete(&mut conn, office.id),
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(offices::get(&mut conn, office.id).unwrap(), office);
        advisors::delete(&mut conn, advisor.id).unwrap();
        offices::delete(&mut conn, office.id).unwrap();
        assert!(matches!(
            offices::get(&mut conn, office.id),
            Err(StoreError::NotFound(_))
        ));
    }

    fn an_office_pilot_start_is_kept_and_cleared(db) {
        let mut conn = db.conn();
        let office = create_office(&mut conn, "Kamppi");
        assert_eq!(offices::get(&mut conn, office.id).unwrap().fields.pilot_start, None);
        let started = aukiolo_domain::office::OfficeFields {
            pilot_start: Some(day(2027, 3, 1)),
            ..office.fields.clone()
        };
        offices::update(&mut conn, office.id, &started, written_at()).unwrap();
        assert_eq!(offices::get(&mut conn, office.id).unwrap().fields.pilot_start, Some(day(2027, 3, 1)));
        assert_eq!(offices::list(&mut conn).unwrap()[0].fields, started);
        offices::update(&mut conn, office.id, &office.fields, written_at()).unwrap();
        assert_eq!(offices::get(&mut conn, office.id).unwrap().fields.pilot_start, None);
    }

    fn instants_truncate_to_microseconds(db) {
        let mut conn = db.conn();
        let office = create_office(&mut conn, "Kamppi");
        let advisor = create_advisor(&mut conn, office.id);
        let fields = AbsenceFields {
            advisor_id: advisor.id,
            starts_at: utc("2027-09-14T07:00:00.123456789Z"),
            ends_at: utc("2027-09-14T08:00:00.999999999Z"),
            kind: AbsenceKind::SickLeave,
            note: None,
        };
        let created = absences::create(&mut conn, &fields, &horizon(day(2027, 9, 13), 7)).unwrap();
        let read = absences::get(&mut conn, created.id).unwrap();
        assert_eq!(read.fields.starts_at, utc("2027-09-14T07:00:00.123456Z"));
        assert_eq!(
            read.fields.ends_at,
            utc("2027-09-14T08:00:00.999999Z"),
            "truncated, not rounded"
        );
        assert_eq!(read.fields.starts_at, fields.starts_at.trunc_subsecs(6));
        assert_eq!(read.fields.ends_at, fields.ends_at.trunc_subsecs(6));
        assert_eq!(
            absences::list_for_advisor(&mut conn, advisor.id, None).unwrap(),
            vec![read.clone()]
        );
        // Comparisons see the stored value: it ends after 08:00:00.999998 but not after .999999.
        let mut after = |t: &str| {
            absences::list_for_advisor(&mut conn, advisor.id, Some(utc(t)))
                .unwrap()
                .len()
        };
        assert_eq!(after("2027-09-14T08:00:00.999998Z"), 1);
        assert_eq!(after("2027-09-14T08:00:00.999999Z"), 0);
    }

    fn deactivating_an_advisor_keeps_only_bookings(db) {
        let mut conn = db.conn();
        let first = day(2027, 9, 13);
        let last = first + Duration::days(13);
        let cal = setup_calendar(&mut conn, &horizon(first, 14));
        let (monday, thursday) = (day(2027, 9, 13), day(2027, 9, 23));
        let all = list_days(&mut conn, cal.advisor.id, first, last);
        let past = slot_at(&all, local(monday, 9, 0)).id;
        let future = slot_at(&all, local(thursday, 9, 0)).id;
        claim_slot(&mut conn, past, 1);
        claim_slot(&mut conn, future, 2);

        // Deactivated on Wednesday: Monday and Tuesday are history and stay as they were.
        let h = horizon(day(2027, 9, 15), 14);
        let mut fields = cal.advisor.fields.clone();
        fields.active = false;
        advisors::update(&mut conn, cal.advisor.id, &fields, &h).unwrap();
        assert!(
            !advisors::get(&mut conn, cal.advisor.id)
                .unwrap()
                .fields
                .active
        );
        let got = list_days(&mut conn, cal.advisor.id, first, last);
        let history: Vec<_> = all
            .iter()
            .filter(|s| s.start < h.now)
            .map(|s| (s.id, s.start))
            .collect();
        assert_eq!(history.len(), 30);
        assert_eq!(
            got.iter()
                .filter(|s| s.start < h.now)
                .map(|s| (s.id, s.start))
                .collect::<Vec<_>>(),
            history
        );
        assert_eq!(slot_at(&got, local(monday, 9, 0)).conflict, None);
        let ahead: Vec<_> = got.into_iter().filter(|s| s.start >= h.now).collect();
        assert_eq!(ahead.len(), 1, "only the booking remains");
        assert_eq!((ahead[0].id, ahead[0].state), (future, SlotState::Booked));
        assert_eq!(ahead[0].conflict, Some(Unavailability::OutsideSchedule));
        assert_eq!(
            conflicts(&mut conn, &cal, h.now),
            of_slots(&ahead)
        );

        // Reactivated, the calendar is back and the booking has its footing again.
        fields.active = true;
        advisors::update(&mut conn, cal.advisor.id, &fields, &h).unwrap();
        let got = list_days(&mut conn, cal.advisor.id, day(2027, 9, 15), last);
        assert_days(&got, day(2027, 9, 15), last, &[], &half_hours(8, 16));
        assert_eq!(slot_at(&got, local(thursday, 9, 0)).conflict, None);
        assert!(conflicts(&mut conn, &cal, h.now).is_empty());
    }
}

aukiolo_store::backend_tests! {
    /// Concurrent calendar changes for one advisor queue for it instead of deadlocking
    /// (each change locks the advisor before writing anything that refers to it).
    fn concurrent_absences_for_one_advisor_all_succeed(db) {
        let first = day(2027, 9, 13);
        let h = horizon(first, 14);
        let cal = setup_calendar(&mut db.conn(), &h);
        let results: Vec<_> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..12u32)
                .map(|i| {
                    let (pool, advisor) = (db.pool.clone(), cal.advisor.id);
                    scope.spawn(move || {
                        let fields = AbsenceFields {
                            advisor_id: advisor,
                            starts_at: local(day(2027, 9, 14 + i % 4), 8 + i / 4, 0),
                            ends_at: local(day(2027, 9, 14 + i % 4), 9 + i / 4, 0),
                            kind: AbsenceKind::Other,
                            note: None,
                        };
                        absences::create(&mut pool.get().unwrap(), &fields, &h).map(drop)
                    })
                })
                .collect();
            workers.into_iter().map(|w| w.join().unwrap()).collect()
        });
        for r in &results {
            assert!(r.is_ok(), "{r:?}");
        }
        assert_eq!(absences::list_for_advisor(&mut db.conn(), cal.advisor.id, None).unwrap().len(), 12);
    }
}
