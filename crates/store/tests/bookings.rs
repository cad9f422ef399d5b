//! Bookings in the database: one winner among many claimants of a time, idempotent
//! retries, per-citizen limits and rescheduling under races, the office's booking rules,
//! topics longer than a slot, the status machine, identity codes at rest and load
//! spreading over advisors. Every test runs on SQLite and PostgreSQL, and every `now` is a
//! fixed instant.

mod common;

use aukiolo_domain::booking::{Action, Booking, BookingRules, BookingStatus};
use aukiolo_domain::personal_id::PersonalId;
use aukiolo_domain::slots::SlotState;
use aukiolo_domain::visit_clock::VisitRefusal;
use aukiolo_domain::{AdvisorId, Channel, StaffUserId};
use aukiolo_store::availability::{self, RulesApply};
use aukiolo_store::bookings::{self, Actor, Booked};
use aukiolo_store::personal_data::PersonalDataKeys;
use aukiolo_store::schema::{bookings as booking_rows, idempotency_keys, slots as slot_rows};
use aukiolo_store::sql_types::{DbId, Id};
use aukiolo_store::{DbConnection, Refusal, StoreError};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use common::booking::*;
use common::*;
use diesel::prelude::*;
use std::collections::HashMap;

/// The error message of an `Invalid` result naming exactly `field`.
fn invalid_message<T: std::fmt::Debug>(result: Result<T, StoreError>, field: &str) -> String {
    let errors = invalid_errors(result);
    assert_eq!(errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), [field], "{errors:?}");
    errors[0].message.clone()
}

/// The local start times a citizen is offered at `place` on `d`.
fn free_starts(conn: &mut DbConnection, place: Place, d: NaiveDate) -> Vec<NaiveTime> {
    let q = place.query(local(d, 0, 0), local(d + Duration::days(1), 0, 0));
    availability::citizen_times(conn, &q, now()).unwrap().iter().map(|f| local_time(f.start)).collect()
}

/// The state and booking of `advisor`'s slot at `start`.
fn slot_holder(
    conn: &mut DbConnection,
    advisor: AdvisorId,
    start: DateTime<Utc>,
) -> (SlotState, Option<uuid::Uuid>) {
    let d = local_date(start);
    let s = slot_at(&list_days(conn, advisor, d, d), start).clone();
    (s.state, s.booking_id)
}

fn event_kinds(conn: &mut DbConnection, b: &Booking) -> Vec<String> {
    bookings::events(conn, b.id).unwrap().into_iter().map(|e| e.kind).collect()
}

fn sorted_kinds(conn: &mut DbConnection, b: &Booking) -> Vec<String> {
    let mut kinds = event_kinds(conn, b);
    kinds.sort();
    kinds
}

/// A pool large enough for every racing thread to hold its own connection.
const CANCELLED: [&str; 2] = ["cancelled_by_citizen", "cancelled_by_office"];

#[derive(QueryableByName)]
struct SharedSlot {
    #[diesel(sql_type = Id)]
    slot_id: DbId,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// One slot, one booking: no slot is the first of two active bookings, and the slots
/// pointing at each active booking are exactly its `slot_count` slots, its first included.
fn assert_one_booking_per_slot(conn: &mut DbConnection) {
    let shared: Vec<SharedSlot> = diesel::sql_query(
        "SELECT slot_id, count(*) AS n FROM bookings \
         WHERE status NOT IN ('cancelled_by_citizen', 'cancelled_by_office') \
         GROUP BY slot_id HAVING count(*) > 1",
    )
    .load(conn)
    .unwrap();
    let shared: Vec<_> = shared.iter().map(|s| (s.slot_id, s.n)).collect();
    assert!(shared.is_empty(), "slots with several active bookings: {shared:?}");

    let active: Vec<(DbId, DbId, i32)> = booking_rows::table
        .filter(booking_rows::status.ne_all(CANCELLED))
        .select((booking_rows::id, booking_rows::slot_id, booking_rows::slot_count))
        .load(conn)
        .unwrap();
    let held: Vec<(DbId, Option<DbId>, String)> = slot_rows::table
        .filter(slot_rows::booking_id.is_not_null())
        .select((slot_rows::id, slot_rows::booking_id, slot_rows::state))
        .load(conn)
        .unwrap();
    let mut by_booking: HashMap<DbId, Vec<DbId>> = HashMap::new();
    for (slot, booking, state) in held {
        assert_eq!(state, "booked", "slot {slot:?} has a booking");
        by_booking.entry(booking.unwrap()).or_default().push(slot);
    }
    for (id, first, count) in active {
        let slots = by_booking.remove(&id).unwrap_or_default();
        assert_eq!(slots.len(), count as usize, "slots of booking {id:?}");
        assert!(slots.contains(&first), "booking {id:?} does not hold its first slot");
    }
    assert!(by_booking.is_empty(), "slots held for inactive bookings: {by_booking:?}");
}

fn count_bookings(conn: &mut DbConnection) -> i64 {
    booking_rows::table.count().get_result(conn).unwrap()
}

aukiolo_store::backend_tests! {
    fn one_booking_wins_a_contested_time(db) {
        let mut conn = db.conn();
        let setup = Setup::new(&mut conn, 1);
        let place = setup.place();
        let tuesday = weekday(1);
        let start = local(tuesday, 10, 0);
        let pool = wide_pool(db, 32);

        let results =
            race(&pool, 200, |i, conn| book(conn, place, start, &citizen(i as u32), RulesApply::Yes));

        // The losers are offered the next three free times, all later.
        let next_three: Vec<_> = [(10, 30), (11, 0), (11, 30)].map(|(h, m)| local(tuesday, h, m)).to_vec();
        let mut winners = Vec::new();
        for result in results {
            match result {
                Ok(Booked::Created(b)) => winners.push(b),
                Err(StoreError::TimeTaken(alternatives)) => {
                    let starts: Vec<_> = alternatives.iter().map(|f| f.start).collect();
                    assert_eq!(starts, next_three);
                }
                other => panic!("expected a booking or TimeTaken, got {other:?}"),
            }
        }
        assert_eq!(winners.len(), 1, "exactly one booking is made");
        let winner = &winners[0];
        assert_eq!(
            (winner.start, winner.status, winner.advisor_id),
            (start, BookingStatus::Booked, setup.advisors[0].id)
        );
        let free = free_starts(&mut conn, place, tuesday);
        assert!(!free.contains(&hm(10, 0)), "{free:?}");
        assert!(next_three.iter().all(|t| free.contains(&local_time(*t))), "{free:?}");

        assert_eq!(count_bookings(&mut conn), 1);
        assert_one_booking_per_slot(&mut conn);
        assert_eq!(
            slot_holder(&mut conn, setup.advisors[0].id, start),
            (SlotState::Booked, Some(winner.id.0))
        );
    }

    /// Losing a race is a lost race, whatever else is true of the time: where the slots
    /// left at that time are held back, the losers still get `TimeTaken` with alternatives,
    /// never the hold-back rule.
    fn losers_of_a_race_hear_it_was_taken_where_the_rest_is_held_back(db) {
        let mut conn = db.conn();
        let topic = create_topic(&mut conn, "pensions");
        let rules = BookingRules { holdback_percent: 50, ..BookingRules::default() };
        let (office, advisors) = staffed_office(&mut conn, "Kamppi", rules.clone(), &[topic.id], 6);
        let place = Place::office(&topic, &office);
        // A time of the week where some advisors' slots are open to citizens and the rest
        // held back (which ones is decided by the slots' ids).
        let tuesday = weekday(1);
        let slots: Vec<_> =
            advisors.iter().flat_map(|a| list_days(&mut conn, a.id, tuesday, weekday(4))).collect();
        let (start, open) = slots
            .iter()
            .map(|s| s.start)
            .filter_map(|start| {
                let at: Vec<_> = slots.iter().filter(|s| s.start == start).collect();
                let open = at.iter().filter(|s| !rules.held_back(s.id.0, start, now())).count();
                (open > 0 && open < at.len()).then_some((start, open))
            })
            .next()
            .expect("a time with both open and held-back slots");
        let pool = wide_pool(db, 32);

        let results = race(&pool, 60, |i, conn| book(conn, place, start, &citizen(i as u32), RulesApply::Yes));

        let mut made = 0;
        for result in results {
            match result {
                Ok(Booked::Created(b)) => {
                    assert_eq!(b.start, start);
                    made += 1;
                }
                Err(StoreError::TimeTaken(alternatives)) => {
                    assert!(!alternatives.is_empty() && alternatives.iter().all(|f| f.start > start));
                }
                other => panic!("expected a booking or TimeTaken, got {other:?}"),
            }
        }
        assert_eq!(made, open, "every slot open to citizens is booked, once");
        assert_eq!(count_bookings(&mut conn), open as i64);
        assert_one_booking_per_slot(&mut conn);
        // A newcomer hears the same, and a time never offered still names the rule.
        let late = book(&mut conn, place, start, &citizen(100), RulesApply::Yes);
        assert!(matches!(late, Err(StoreError::TimeTaken(_))), "{late:?}");
        let held_everywhere = slots.iter().map(|s| s.start).find(|start| {
            slots.iter().filter(|s| s.start == *start).all(|s| rules.held_back(s.id.0, *start, now()))
        });
        if let Some(held) = held_everywhere {
            let message = invalid_message(book(&mut conn, place, held, &citizen(101), RulesApply::Yes), "start");
            assert!(message.contains("held back"), "{message}");
        }
    }

    fn idempotent_retries_book_once(db) {
        let mut conn = db.conn();
        let setup = Setup::new(&mut conn, 1);
        let request = setup.place().request(local(weekday(1), 9, 0), &citizen(1));
        let send = |conn: &mut DbConnection, hash: &str| {
            bookings::book(
                conn,
                &keys(),
                &request,
                Some(("3f1c-retry", hash)),
                Actor::Citizen,
                now(),
                RulesApply::Yes,
            )
        };
        let pool = wide_pool(db, 20);

        let results = race(&pool, 20, |_, conn| send(conn, "sha256:aaaa"));

        let mut first = Vec::new();
        let mut replays = Vec::new();
        for result in results {
            match result {
                Ok(Booked::Created(b)) => first.push(b),
                Ok(Booked::Replayed(b)) => replays.push(b),
                Err(e) => panic!("a retry failed: {e:?}"),
            }
        }
        assert_eq!((first.len(), replays.len()), (1, 19));
        for replay in &replays {
            assert_eq!(replay, &first[0], "the same booking comes back");
        }
        assert_eq!(count_bookings(&mut conn), 1);
        let keys_stored: i64 = idempotency_keys::table.count().get_result(&mut conn).unwrap();
        assert_eq!(keys_stored, 1);
        assert_eq!(event_kinds(&mut conn, &first[0]), ["booked"]);

        // The same key for another request is refused, and nothing is written.
        let message = invalid_message(send(&mut conn, "sha256:bbbb"), "Idempotency-Key");
        assert!(message.contains("different request"), "{message}");
        assert_eq!(count_bookings(&mut conn), 1);
        assert_one_booking_per_slot(&mut conn);
    }

    fn unrelated_clients_may_send_the_same_key(db) {
        let mut conn = db.conn();
        let setup = Setup::new(&mut conn, 1);
        let book = |conn: &mut DbConnection, hour: u32, who: u32, actor: Actor| {
            let request = setup.place().request(local(weekday(1), hour, 0), &citizen(who));
            bookings::book(conn, &keys(), &request, Some(("order-1", "sha256:own")), actor, now(), RulesApply::Yes)
        };
        // Two citizens, and a staff member booking for a third, each with "order-1": three
        // bookings, none told that the key was used before.
        let staff = Actor::Staff(StaffUserId::new());
        for (hour, who, actor) in [(9, 1, Actor::Citizen), (10, 2, Actor::Citizen), (11, 3, staff)] {
            assert!(matches!(book(&mut conn, hour, who, actor), Ok(Booked::Created(_))), "{who}");
        }
        assert_eq!(count_bookings(&mut conn), 3);
        // The same client's own retry is still a replay.
        assert!(matches!(book(&mut conn, 9, 1, Actor::Citizen), Ok(Booked::Replayed(_))));
    }

    fn one_citizen_racing_keeps_the_limit(db) {
        let mut conn = db.conn();
        let setup = Setup::new(&mut conn, 1);
        let place = setup.place();
        let who = citizen(1);
        let pool = wide_pool(db, 8);

        // Eight requests by one citizen for the eight morning times of Wednesday at once.
        let results = race(&pool, 8, |i, conn| {
            let start = local(weekday(2), 8, 0) + Duration::minutes(30 * i as i64);
            book(conn, place, start, &who, RulesApply::Yes)
        });

        let mut made = 0;
        for result in results {
            match result {
                Ok(Booked::Created(_)) => made += 1,
                refused => assert_eq!(invalid_fields(refused), ["personal_id"]),
            }
        }
        assert_eq!(made, bookings::MAX_FUTURE_PER_CITIZEN);
        assert_eq!(count_bookings(&mut conn), bookings::MAX_FUTURE_PER_CITIZEN);
        assert_one_booking_per_slot(&mut conn);
    }

    fn rescheduling_races_leave_one_booking(db) {
        let mut conn = db.conn();
        let setup = Setup::new(&mut conn, 1);
        let place = setup.place();
        let advisor = setup.advisors[0].id;
        let keys = keys();
        let reschedule = |conn: &mut DbConnection, b: &Booking, to: DateTime<Utc>| {
            bookings::reschedule(conn, &keys, b.id, to, Actor::Citizen, now(), RulesApply::Yes)
        };

        // Moving onto a taken time fails and leaves the booking as it was; onto a free
        // time, the old one is cancelled and its slot freed.
        let old = created(book(&mut conn, place, local(monday(), 9, 0), &citizen(0), RulesApply::Yes));
        created(book(&mut conn, place, local(monday(), 9, 30), &citizen(1), RulesApply::Yes));
        let taken = reschedule(&mut conn, &old, local(monday(), 9, 30));
        assert!(matches!(taken, Err(StoreError::TimeTaken(_))), "{taken:?}");
        assert_eq!(bookings::get(&mut conn, &keys, old.id).unwrap(), old);
        let moved = reschedule(&mut conn, &old, local(monday(), 10, 0)).unwrap();
        assert_eq!((moved.rescheduled_from, moved.personal_id.clone()), (Some(old.id), Some(citizen(0))));
        assert_eq!(slot_holder(&mut conn, advisor, old.start), (SlotState::Open, None));
        assert_eq!(slot_holder(&mut conn, advisor, moved.start), (SlotState::Booked, Some(moved.id.0)));

        // Each day the mover holds 09:00 and moves to 10:00 while ten others try to book
        // 10:00 and ten others 09:00.
        let pool = wide_pool(db, 21);
        let mut moved_rounds = 0;
        for round in 1..=4 {
            let d = weekday(round);
            let (t1, t2) = (local(d, 9, 0), local(d, 10, 0));
            let base = 100 * round as u32;
            let mover = citizen(base);
            let old = created(book(&mut conn, place, t1, &mover, RulesApply::Yes));

            let results = race(&pool, 21, |i, conn| {
                if i == 0 {
                    return reschedule(conn, &old, t2);
                }
                let start = if i % 2 == 0 { t1 } else { t2 };
                book(conn, place, start, &citizen(base + i as u32), RulesApply::Yes).map(|b| match b {
                    Booked::Created(b) => b,
                    Booked::Replayed(b) => panic!("nothing to replay: {b:?}"),
                })
            });
            for result in &results {
                assert!(matches!(result, Ok(_) | Err(StoreError::TimeTaken(_))), "{result:?}");
            }

            let of_day =
                bookings::list_for_advisor(&mut conn, &keys, advisor, local(d, 0, 0), local(d, 23, 0))
                    .unwrap();
            let mine: Vec<&Booking> = of_day.iter().filter(|b| b.personal_id.as_ref() == Some(&mover)).collect();
            let active: Vec<&&Booking> = mine.iter().filter(|b| b.status == BookingStatus::Booked).collect();
            assert_eq!(active.len(), 1, "the mover has exactly one booking: {mine:?}");
            let old_now = bookings::get(&mut conn, &keys, old.id).unwrap();
            match &results[0] {
                Ok(moved) => {
                    moved_rounds += 1;
                    assert_eq!(active[0], &moved);
                    assert_eq!((moved.start, moved.rescheduled_from), (t2, Some(old.id)));
                    assert_eq!(old_now.status, BookingStatus::CancelledByCitizen);
                    let reason = old_now.cancel_reason.clone().unwrap_or_default();
                    assert!(reason.contains(&moved.reference), "{reason}");
                    let events = bookings::events(&mut conn, moved.id).unwrap();
                    assert!(
                        events.iter().any(|e| e.kind == "rescheduled_from"
                            && e.detail.as_deref() == Some(old.reference.as_str())),
                        "{events:?}"
                    );
                    // Events of one instant come back in no particular order.
                    assert_eq!(sorted_kinds(&mut conn, moved), ["booked", "rescheduled_from"]);
                    assert_eq!(sorted_kinds(&mut conn, &old), ["booked", "cancelled_by_citizen"]);
                }
                Err(_) => {
                    assert_eq!(mine.len(), 1, "no new booking was left behind: {mine:?}");
                    assert_eq!(old_now, old);
                    assert_eq!(event_kinds(&mut conn, &old), ["booked"]);
                }
            }
            let at_t2 = of_day.iter().filter(|b| b.start == t2 && b.status == BookingStatus::Booked).count();
            assert_eq!(at_t2, 1, "someone holds 10:00");
            assert_one_booking_per_slot(&mut conn);
        }
        eprintln!("the move won {moved_rounds} of 4 races");
    }

    fn citizen_rules_name_the_field(db) {
        let mut conn = db.conn();
        let topic = create_topic(&mut conn, "pensions");
        let held_back = BookingRules { holdback_percent: 100, ..open_rules() };
        let [kamppi, itakeskus, hold] =
            [("Kamppi", open_rules()), ("Itäkeskus", open_rules()), ("Pasila", held_back)].map(
                |(name, rules)| {
                    Place::office(&topic, &staffed_office(&mut conn, name, rules, &[topic.id], 1).0)
                },
            );
        let (tuesday, wednesday) = (weekday(1), weekday(2));

        // Less than 120 minutes' notice; staff may book it.
        let soon = local(monday(), 8, 0);
        let message = invalid_message(book(&mut conn, kamppi, soon, &citizen(1), RulesApply::Yes), "start");
        assert!(message.contains("120 minutes"), "{message}");
        created(book(&mut conn, kamppi, soon, &citizen(1), RulesApply::StaffOverride));
        created(book(&mut conn, kamppi, local(monday(), 9, 0), &citizen(2), RulesApply::Yes));

        // The eight weeks from Monday 07:00 end before 1 November opens; the last working
        // day within them is Friday 29 October.
        created(book(&mut conn, kamppi, local(day(2027, 10, 29), 15, 30), &citizen(3), RulesApply::Yes));
        let late = local(day(2027, 11, 1), 8, 0);
        let message = invalid_message(book(&mut conn, kamppi, late, &citizen(4), RulesApply::Yes), "start");
        assert!(message.contains("horizon"), "{message}");

        // All of Pasila is held back until 24 hours before: Monday is offered, Wednesday not.
        assert_eq!(free_starts(&mut conn, hold, monday()).first(), Some(&hm(9, 0)));
        assert!(free_starts(&mut conn, hold, wednesday).is_empty());
        let held = local(wednesday, 10, 0);
        let message = invalid_message(book(&mut conn, hold, held, &citizen(5), RulesApply::Yes), "start");
        assert!(message.contains("held back"), "{message}");
        let staff = created(book(&mut conn, hold, held, &citizen(5), RulesApply::StaffOverride));
        assert_eq!(staff.start, held);

        // One citizen: two future bookings at most, and never two at once.
        let who = citizen(6);
        let first = created(book(&mut conn, kamppi, local(tuesday, 9, 0), &who, RulesApply::Yes));
        let clash = book(&mut conn, itakeskus, local(tuesday, 9, 0), &who, RulesApply::Yes);
        let message = invalid_message(clash, "start");
        // The answer names no reference: whoever knows a code could read it otherwise.
        assert!(message.contains("overlaps") && !message.contains(&first.reference), "{message}");
        created(book(&mut conn, itakeskus, local(tuesday, 9, 30), &who, RulesApply::Yes));
        let third = book(&mut conn, itakeskus, local(wednesday, 9, 0), &who, RulesApply::Yes);
        assert_eq!(invalid_fields(third), ["personal_id"]);

        // A time off the grid is no bookable time, for staff either.
        for rules in [RulesApply::Yes, RulesApply::StaffOverride] {
            let off = book(&mut conn, kamppi, local(tuesday, 8, 10), &citizen(7), rules);
            let message = invalid_message(off, "start");
            assert!(message.contains("not a bookable time"), "{message}");
        }
        assert_eq!(count_bookings(&mut conn), 6, "refused requests wrote nothing");
        assert_one_booking_per_slot(&mut conn);
    }

    fn long_topics_take_consecutive_slots(db) {
        let mut conn = db.conn();
        let short = create_topic(&mut conn, "pensions");
        let long = create_topic_with(&mut conn, "estate_inventory", 45, &[Channel::Office]);
        let (office, advisors) = staffed_office(&mut conn, "Kamppi", open_rules(), &[short.id, long.id], 1);
        let (short, long) = (Place::office(&short, &office), Place::office(&long, &office));
        let advisor = advisors[0].id;
        let tuesday = weekday(1);

        // 45 minutes need two slots in a row: not before lunch at 11:30 nor at 15:30.
        let mut long_day: Vec<_> = half_hours(8, 16);
        long_day.retain(|t| ![hm(11, 30), hm(15, 30)].contains(t));
        assert_eq!(free_starts(&mut conn, long, tuesday), long_day);

        let b = created(book(&mut conn, long, local(tuesday, 8, 0), &citizen(1), RulesApply::Yes));
        assert_eq!((b.start, b.end), (local(tuesday, 8, 0), local(tuesday, 8, 45)));
        for t in [local(tuesday, 8, 0), local(tuesday, 8, 30)] {
            assert_eq!(slot_holder(&mut conn, advisor, t), (SlotState::Booked, Some(b.id.0)));
        }
        let slot_count: i32 =
            booking_rows::table.find(DbId(b.id.0)).select(booking_rows::slot_count).first(&mut conn).unwrap();
        assert_eq!(slot_count, 2);
        assert_eq!(slot_holder(&mut conn, advisor, local(tuesday, 9, 0)), (SlotState::Open, None));
        assert_eq!(free_starts(&mut conn, short, tuesday)[0], hm(9, 0));
        assert_one_booking_per_slot(&mut conn);

        // A short booking at 09:30 leaves 09:00 too short for the long topic.
        created(book(&mut conn, short, local(tuesday, 9, 30), &citizen(2), RulesApply::Yes));
        assert_eq!(free_starts(&mut conn, long, tuesday)[0], hm(10, 0));
        let squeezed = book(&mut conn, long, local(tuesday, 9, 0), &citizen(3), RulesApply::Yes);
        assert!(matches!(squeezed, Err(StoreError::TimeTaken(_))), "{squeezed:?}");

        // Cancelling gives both slots back.
        let cancelled = bookings::transition(
            &mut conn,
            &keys(),
            b.id,
            Action::CancelByCitizen,
            None,
            Actor::Citizen,
            now(),
        )
        .unwrap();
        assert_eq!(cancelled.status, BookingStatus::CancelledByCitizen);
        for t in [local(tuesday, 8, 0), local(tuesday, 8, 30)] {
            assert_eq!(slot_holder(&mut conn, advisor, t), (SlotState::Open, None));
        }
        assert_eq!(free_starts(&mut conn, long, tuesday)[..2], [hm(8, 0), hm(8, 30)]);
        assert_one_booking_per_slot(&mut conn);
    }

    fn status_changes_follow_the_machine(db) {
        let mut conn = db.conn();
        let setup = Setup::new(&mut conn, 1);
        let place = setup.place();
        let tuesday = weekday(1);
        let staff = Actor::Staff(StaffUserId(uuid::Uuid::from_u128(42)));
        let keys = keys();
        // Times relative to a booking's start, as the visit clock wants them.
        let at = |b: &Booking, m: i64| b.start + Duration::minutes(m);

        // Booked → arrived → in service → completed, each an event in order.
        let visit = created(book(&mut conn, place, local(tuesday, 9, 0), &citizen(1), RulesApply::Yes));
        let steps = [
            (Action::Arrive, BookingStatus::Arrived, -10),
            (Action::Start, BookingStatus::InService, 2),
            (Action::Complete, BookingStatus::Completed, 25),
        ];
        for (action, status, m) in steps {
            let b = bookings::transition(&mut conn, &keys, visit.id, action, None, staff, at(&visit, m)).unwrap();
            assert_eq!(b.status, status);
        }
        let events = bookings::events(&mut conn, visit.id).unwrap();
        let summary: Vec<_> = events.iter().map(|e| (e.at, e.actor.as_str(), e.kind.as_str())).collect();
        let staff_label = "staff:00000000-0000-0000-0000-00000000002a";
        assert_eq!(
            summary,
            [
                (now(), "citizen", "booked"),
                (at(&visit, -10), staff_label, "arrived"),
                (at(&visit, 2), staff_label, "in_service"),
                (at(&visit, 25), staff_label, "completed"),
            ]
        );
        assert_eq!(
            slot_holder(&mut conn, setup.advisors[0].id, visit.start),
            (SlotState::Booked, Some(visit.id.0))
        );

        // Illegal changes, or changes at the wrong time, are conflicts and change nothing.
        let other = created(book(&mut conn, place, local(tuesday, 10, 0), &citizen(2), RulesApply::Yes));
        let refusals = [
            (Action::Complete, at(&other, 5), "completion is not possible for an office visit that is booked"),
            (Action::NotReached, at(&other, 5), "\"not reached\" is not possible"),
            (Action::Arrive, at(&other, -120), "too early: arrival can be recorded from 2027-09-07T06:00:00Z"),
            (Action::Start, now(), "too early"),
            (Action::NoShow, at(&other, -1), "too early: a no-show can be recorded from 2027-09-07T07:00:00Z"),
            (Action::Arrive, local(weekday(2), 0, 0), "too late: arrival was possible until 2027-09-07T21:00:00Z"),
            (Action::Reinstate, at(&other, 5), "putting it back to booked is not possible"),
        ];
        for (action, when, why) in refusals {
            match bookings::transition(&mut conn, &keys, other.id, action, None, staff, when) {
                Err(StoreError::Refused(refusal)) => {
                    assert!(refusal.to_string().starts_with(why), "{action:?}: {refusal}")
                }
                refused => panic!("{action:?} at {when}: {refused:?}"),
            }
        }
        assert_eq!(bookings::get(&mut conn, &keys, other.id).unwrap(), other);
        assert_eq!(event_kinds(&mut conn, &other), ["booked"]);

        // Cancelling gives the time back to citizens; a cancelled booking stays cancelled.
        assert!(!free_starts(&mut conn, place, tuesday).contains(&hm(10, 0)));
        let cancel = |conn: &mut DbConnection| {
            bookings::transition(
                conn,
                &keys,
                other.id,
                Action::CancelByOffice,
                Some("advisor ill"),
                staff,
                now() + Duration::minutes(5),
            )
        };
        let cancelled = cancel(&mut conn).unwrap();
        assert_eq!(
            (cancelled.status, cancelled.cancel_reason.as_deref()),
            (BookingStatus::CancelledByOffice, Some("advisor ill"))
        );
        assert!(free_starts(&mut conn, place, tuesday).contains(&hm(10, 0)));
        assert_eq!(slot_holder(&mut conn, setup.advisors[0].id, other.start), (SlotState::Open, None));
        assert!(matches!(cancel(&mut conn), Err(StoreError::Refused(_))));
        assert_eq!(event_kinds(&mut conn, &other), ["booked", "cancelled_by_office"]);

        // A no-show after the start, corrected the same day, is booked again (an event);
        // on the next day it can no longer be corrected.
        let missed = created(book(&mut conn, place, local(tuesday, 11, 0), &citizen(4), RulesApply::Yes));
        let no_show = bookings::transition(&mut conn, &keys, missed.id, Action::NoShow, None, staff, at(&missed, 15))
            .unwrap();
        assert_eq!(no_show.status, BookingStatus::NoShow);
        let back = bookings::transition(&mut conn, &keys, missed.id, Action::Reinstate, None, staff, at(&missed, 20))
            .unwrap();
        assert_eq!(back.status, BookingStatus::Booked);
        let last = bookings::events(&mut conn, missed.id).unwrap().pop().unwrap();
        assert_eq!((last.kind.as_str(), last.detail.as_deref()), ("booked", Some("corrected from no_show")));
        bookings::transition(&mut conn, &keys, missed.id, Action::NoShow, None, staff, at(&missed, 30)).unwrap();
        let next_day = local(weekday(2), 8, 0);
        let late = bookings::transition(&mut conn, &keys, missed.id, Action::Reinstate, None, staff, next_day);
        assert!(matches!(&late, Err(StoreError::Refused(Refusal::Visit(VisitRefusal::TooLate { .. })))), "{late:?}");
        assert_eq!(event_kinds(&mut conn, &missed), ["booked", "no_show", "booked", "no_show"]);

        // "Not reached" is for phone appointments only; they cannot "arrive".
        let by_phone = create_topic_with(&mut conn, "tax_card", 30, &[Channel::Phone]);
        create_serving_advisor(&mut conn, setup.office.id, &[by_phone.id], Channel::Phone, &slot_horizon());
        let phone = Place { topic: by_phone.id, channel: Channel::Phone, office: None };
        let call = created(book(&mut conn, phone, local(tuesday, 9, 0), &citizen(3), RulesApply::Yes));
        assert_eq!(call.channel, Channel::Phone);
        let arrive = bookings::transition(&mut conn, &keys, call.id, Action::Arrive, None, staff, at(&call, 0));
        assert!(matches!(arrive, Err(StoreError::Refused(_))), "{arrive:?}");
        let b = bookings::transition(&mut conn, &keys, call.id, Action::NotReached, None, staff, at(&call, 7))
            .unwrap();
        assert_eq!(b.status, BookingStatus::NotReached);
        assert_eq!(event_kinds(&mut conn, &call), ["booked", "not_reached"]);
        assert_one_booking_per_slot(&mut conn);
    }

    fn identity_codes_are_encrypted_at_rest(db) {
        let mut conn = db.conn();
        let setup = Setup::new(&mut conn, 1);
        let code = "131052-308T";
        let who = PersonalId::parse(code).unwrap();
        let b = created(book(&mut conn, setup.place(), local(weekday(1), 9, 0), &who, RulesApply::Yes));

        let raw: Vec<(String, String)> = booking_rows::table
            .select((booking_rows::personal_id_enc, booking_rows::personal_id_hash))
            .load(&mut conn)
            .unwrap();
        assert_eq!(raw.len(), 1);
        let (enc, hash) = &raw[0];
        for column in [enc, hash] {
            for plain in [code, "131052", "308T"] {
                assert!(!column.contains(plain), "`{column}` contains `{plain}`");
            }
        }
        assert_eq!(hash, &keys().lookup_hash(code), "found by its keyed hash");
        assert_eq!(keys().decrypt(enc).unwrap(), code);

        let read =
            bookings::get_by_reference(&mut conn, &keys(), &format!(" {} ", b.reference.to_lowercase()))
                .unwrap();
        assert_eq!(read.personal_id.as_ref(), Some(&who));
        assert_eq!(read.personal_id.as_ref().map(PersonalId::expose), Some(code));
        assert_eq!(read, b);
        let other_key = PersonalDataKeys::from_secret(b"another secret");
        let unreadable = bookings::get_by_reference(&mut conn, &other_key, &b.reference);
        assert!(matches!(unreadable, Err(StoreError::Corrupt(_))), "{unreadable:?}");
    }

    fn bookings_spread_over_advisors(db) {
        let mut conn = db.conn();
        let setup = Setup::new(&mut conn, 3);
        let place = setup.place();
        let tuesday = weekday(1);
        let mut book_at = |h: u32, n: u32| {
            created(book(&mut conn, place, local(tuesday, h, 0), &citizen(n), RulesApply::Yes)).advisor_id
        };

        // Three at 09:00 go to three advisors.
        let mut at_nine: Vec<_> = (0..3).map(|n| book_at(9, n)).collect();
        at_nine.sort();
        let mut all: Vec<_> = setup.advisors.iter().map(|a| a.id).collect();
        all.sort();
        assert_eq!(at_nine, all);

        // Two at 10:00 leave one advisor with one booking that day: 11:00 goes to them.
        let busy = [book_at(10, 3), book_at(10, 4)];
        assert_ne!(busy[0], busy[1]);
        let quiet = all.iter().find(|a| !busy.contains(a)).copied().unwrap();
        assert_eq!(book_at(11, 5), quiet);
    }

    /// The office's conflicts are bookings, once each however many of their slots lost
    /// their footing, with when each appeared, so the office board can say what is new.
    fn conflicts_are_counted_by_booking(db) {
        use aukiolo_domain::calendar::{AbsenceFields, AbsenceKind};
        use aukiolo_domain::slots::Unavailability;
        use aukiolo_store::slots::{self, Horizon};
        let mut conn = db.conn();
        let long = create_topic_with(&mut conn, "rehabilitation", 60, &[Channel::Office]);
        let (office, advisors) = staffed_office(&mut conn, "Kamppi", open_rules(), &[long.id], 1);
        let place = Place::office(&long, &office);
        let tuesday = weekday(1);
        let first = created(book(&mut conn, place, local(tuesday, 9, 0), &citizen(1), RulesApply::Yes));
        let second = created(book(&mut conn, place, local(tuesday, 13, 0), &citizen(2), RulesApply::Yes));
        let away = |conn: &mut DbConnection, b: &Booking, horizon: &Horizon| {
            let fields = AbsenceFields {
                advisor_id: advisors[0].id,
                starts_at: b.start,
                ends_at: b.end,
                kind: AbsenceKind::Training,
                note: None,
            };
            aukiolo_store::absences::create(conn, &fields, horizon).unwrap();
        };
        away(&mut conn, &first, &slot_horizon());
        let later = Horizon { now: now() + Duration::hours(1), ..slot_horizon() };
        away(&mut conn, &second, &later);

        let in_conflict = slots::list_for_office(&mut conn, office.id, now(), now() + Duration::days(7))
            .unwrap()
            .into_iter()
            .filter(|s| s.conflict.is_some())
            .count();
        assert_eq!(in_conflict, 4, "two slots each");
        let list = slots::conflict_bookings(&mut conn, office.id, now()).unwrap();
        let seen: Vec<_> = list.iter().map(|c| (c.booking_id, c.start, c.end, c.reason, c.since)).collect();
        let absence = Unavailability::Absence;
        assert_eq!(
            seen,
            [
                (first.id, first.start, first.end, absence, now()),
                (second.id, second.start, second.end, absence, later.now),
            ]
        );
        let summary = |since: DateTime<Utc>| {
            let s = slots::conflict_summary(&mut db.conn(), office.id, now(), since).unwrap();
            (s.open, s.appeared_since)
        };
        assert_eq!(summary(now()), (2, vec![first.id, second.id]));
        assert_eq!(summary(now() + Duration::minutes(1)), (2, vec![second.id]));
        assert_eq!(summary(later.now + Duration::minutes(1)), (2, vec![]));
    }
}

/// A booking whose preferred advisor's slot is taken while it waits for it ends that
/// attempt, holding no claim, and books the other advisor free at the time
/// (PostgreSQL: SQLite has one writer at a time, so nothing is taken meanwhile).
#[test]
#[cfg_attr(not(aukiolo_pg_tests), ignore = "PostgreSQL: set AUKIOLO_TEST_DATABASE_URL to run")]
fn a_booking_that_loses_its_first_choice_books_another_advisor() {
    use diesel::connection::SimpleConnection;
    let db = aukiolo_store::test_support::TestDb::postgres();
    let mut conn = db.conn();
    let setup = Setup::new(&mut conn, 2);
    let place = setup.place();
    let tuesday = weekday(1);
    // One advisor has a booking that day, so a booking at 10:00 prefers the other.
    let busy = created(book(&mut conn, place, local(tuesday, 9, 0), &citizen(1), RulesApply::Yes)).advisor_id;
    let preferred = setup.advisors.iter().map(|a| a.id).find(|a| *a != busy).unwrap();
    let at = local(tuesday, 10, 0);
    let preferred_slot = slot_rows::table
        .filter(slot_rows::advisor_id.eq(DbId::from(preferred)))
        .filter(slot_rows::starts_at.eq(aukiolo_store::sql_types::DbTime(at)));

    // Another transaction takes the preferred slot and has not committed yet.
    let mut holder = db.conn();
    holder.batch_execute("BEGIN").unwrap();
    diesel::update(preferred_slot).set(slot_rows::state.eq("blocked")).execute(&mut holder).unwrap();
    let booked = std::thread::scope(|s| {
        let booking = s.spawn(|| created(book(&mut db.conn(), place, at, &citizen(2), RulesApply::Yes)));
        // Commit once the booking waits for the slot's row lock.
        let mut watcher = db.conn();
        let mut waiting = || {
            diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
                "(SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() \
                 AND wait_event_type = 'Lock')",
            ))
            .get_result::<i64>(&mut watcher)
            .unwrap()
        };
        let started = std::time::Instant::now();
        while waiting() == 0 {
            assert!(started.elapsed() < std::time::Duration::from_secs(30), "the booking never waited");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        holder.batch_execute("COMMIT").unwrap();
        booking.join().expect("the booking thread")
    });

    assert_eq!(booked.advisor_id, busy, "booked with the advisor still free");
    assert_eq!(booked.start, at);
    let state: String = preferred_slot.select(slot_rows::state).first(&mut conn).unwrap();
    assert_eq!(state, "blocked", "the lost claim left the other transaction's slot alone");
    assert_one_booking_per_slot(&mut conn);
}
