//! What is recorded around a visit, on both backends and at fixed instants relative to
//! the booking's start: call attempts only in their window, "not reached" after the
//! allowed unanswered calls with its mail, its correction the same day; assessments only
//! of completed visits and corrected by their author on the day (in the office's zone);
//! the walk-in log by office-local day, with bad references named.

mod common;

use aukiolo_domain::booking::{Action, Booking, BookingStatus};
use aukiolo_domain::outbox::{MessageKind, MessageStatus};
use aukiolo_domain::staff::Role;
use aukiolo_domain::visit::{Assessment, OtherChannel, Segment, WalkInOutcome};
use aukiolo_domain::{Channel, StaffUserId};
use aukiolo_store::availability::RulesApply;
use aukiolo_store::bookings::{self, Actor};
use aukiolo_store::staff::{self, NewStaffUser};
use aukiolo_store::visits::{self, CallOutcome, NewWalkIn};
use aukiolo_store::{outbox, DbConnection, Refusal, StoreError};
use chrono::{DateTime, Duration, Utc};
use common::booking::*;
use common::*;

fn staff_member(conn: &mut DbConnection, email: &str, setup: &Setup) -> StaffUserId {
    let new = NewStaffUser {
        email,
        password_hash: "not used",
        role: Role::Advisor,
        office_id: Some(setup.office.id),
        advisor_id: None,
    };
    staff::create(conn, &new, written_at()).expect("create staff").id
}

/// The setup's office with a phone advisor for a phone topic; a phone appointment on
/// Tuesday at `hour`:00 for citizen `n`.
fn phone_appointment(conn: &mut DbConnection, setup: &Setup, hour: u32, n: u32) -> Booking {
    let topic =
        match aukiolo_store::topics::list(conn).unwrap().into_iter().find(|t| t.fields.code == "tax_card") {
            Some(topic) => topic,
            None => {
                let topic = create_topic_with(conn, "tax_card", 30, &[Channel::Phone]);
                create_serving_advisor(conn, setup.office.id, &[topic.id], Channel::Phone, &slot_horizon());
                topic
            }
        };
    let place = Place { topic: topic.id, channel: Channel::Phone, office: None };
    created(book(conn, place, local(weekday(1), hour, 0), &citizen(n), RulesApply::Yes))
}

fn kinds(conn: &mut DbConnection, b: &Booking) -> Vec<(MessageKind, MessageStatus)> {
    outbox::for_booking(conn, b.id).unwrap().into_iter().map(|m| (m.kind, m.status)).collect()
}

fn refused(result: Result<CallOutcome, StoreError>, starts: &str) {
    match result {
        Err(StoreError::Refused(why)) => assert!(why.to_string().starts_with(starts), "{why}"),
        other => panic!("expected a refusal starting {starts:?}, got {other:?}"),
    }
}

fn assessment(resolved_at_once: bool) -> Assessment {
    Assessment {
        resolved_at_once,
        segment: Segment::LifeChange,
        other_channel: OtherChannel::PhoneService,
        personal_service_reasons: Vec::new(),
        other_channels_discussed: true,
    }
}

aukiolo_store::backend_tests! {
    fn calls_are_logged_in_their_window_and_three_unanswered_make_not_reached(db) {
        let mut conn = db.conn();
        let setup = Setup::new(&mut conn, 1);
        let staff = staff_member(&mut conn, "neuvoja@aukiolo.test", &setup);
        let b = phone_appointment(&mut conn, &setup, 10, 1);
        let at = |m: i64| b.start + Duration::minutes(m);
        let log = |conn: &mut DbConnection, reached: bool, when: DateTime<Utc>| {
            visits::log_call(conn, &keys(), b.id, staff, reached, 3, when)
        };

        // A day early, or before ten minutes ahead, nothing is logged.
        refused(log(&mut conn, false, at(-24 * 60)), "too early: a call attempt can be recorded from");
        refused(log(&mut conn, false, at(-11)), "too early");
        assert!(visits::call_attempts(&mut conn, b.id).unwrap().is_empty());

        let outcomes: Vec<_> = [(false, -5), (true, 0), (false, 3), (false, 8)]
            .into_iter()
            .map(|(reached, m)| log(&mut conn, reached, at(m)).unwrap())
            .map(|o| (o.attempts, o.status))
            .collect();
        let booked = BookingStatus::Booked;
        assert_eq!(outcomes, [(1, booked), (1, booked), (2, booked), (3, BookingStatus::NotReached)]);
        let calls = visits::call_attempts(&mut conn, b.id).unwrap();
        let seen: Vec<_> = calls.iter().map(|c| (c.at, c.reached, c.staff_id)).collect();
        assert_eq!(seen, [(at(-5), false, staff), (at(0), true, staff), (at(3), false, staff), (at(8), false, staff)]);
        assert_eq!(bookings::get(&mut conn, &keys(), b.id).unwrap().status, BookingStatus::NotReached);
        let messages = kinds(&mut conn, &b);
        assert_eq!(messages.last(), Some(&(MessageKind::NotReached, MessageStatus::Pending)), "{messages:?}");
        assert!(
            messages.iter().all(|(k, s)| *k == MessageKind::NotReached || *s == MessageStatus::Void),
            "nothing else about the time is left to send: {messages:?}"
        );
        refused(log(&mut conn, false, at(9)), "calls are logged for phone appointments that are still booked");

        // Corrected the same day (the citizen called back): booked again, the mail void,
        // and calls counted afresh.
        let back = bookings::transition(&mut conn, &keys(), b.id, Action::Reinstate, None, Actor::Staff(staff), at(20))
            .unwrap();
        assert_eq!(back.status, booked);
        assert_eq!(kinds(&mut conn, &b).last(), Some(&(MessageKind::NotReached, MessageStatus::Void)));
        assert_eq!(log(&mut conn, false, at(25)).unwrap(), CallOutcome { attempts: 1, status: booked });
        // Not on a later day.
        refused(log(&mut conn, false, local(weekday(2), 8, 0)), "too late: a call attempt was possible until");
    }

    fn an_office_visit_takes_no_calls(db) {
        let mut conn = db.conn();
        let setup = Setup::new(&mut conn, 1);
        let staff = staff_member(&mut conn, "neuvoja@aukiolo.test", &setup);
        let visit = created(book(&mut conn, setup.place(), local(weekday(1), 9, 0), &citizen(1), RulesApply::Yes));
        refused(visits::log_call(&mut conn, &keys(), visit.id, staff, false, 3, visit.start), "calls are logged");
        let unknown = visits::log_call(&mut conn, &keys(), aukiolo_domain::BookingId::new(), staff, false, 3, visit.start);
        assert!(matches!(unknown, Err(StoreError::NotFound("booking"))), "{unknown:?}");
    }

    fn assessments_of_completed_visits_by_their_author_on_the_day(db) {
        let mut conn = db.conn();
        let setup = Setup::new(&mut conn, 1);
        let author = staff_member(&mut conn, "neuvoja@aukiolo.test", &setup);
        let other = staff_member(&mut conn, "toinen@aukiolo.test", &setup);
        let visit = created(book(&mut conn, setup.place(), local(weekday(1), 15, 0), &citizen(1), RulesApply::Yes));
        let at = |m: i64| visit.start + Duration::minutes(m);

        let early = visits::assess(&mut conn, visit.id, author, &assessment(true), at(0));
        assert!(matches!(&early, Err(StoreError::Refused(Refusal::NotCompleted))), "{early:?}");
        for (action, m) in [(Action::Start, 0), (Action::Complete, 20)] {
            bookings::transition(&mut conn, &keys(), visit.id, action, None, Actor::Staff(author), at(m)).unwrap();
        }
        assert_eq!(visits::assessment(&mut conn, visit.id).unwrap(), None);
        let first = visits::assess(&mut conn, visit.id, author, &assessment(true), at(25)).unwrap();
        assert_eq!((first.author_id, first.created_at, first.updated_at), (author, at(25), at(25)));
        // 23:50 in Helsinki is still the day it was written.
        let late_evening = local(weekday(1), 23, 50);
        let corrected = visits::assess(&mut conn, visit.id, author, &assessment(false), late_evening).unwrap();
        assert_eq!((corrected.assessment.resolved_at_once, corrected.created_at), (false, at(25)));
        assert_eq!(visits::assessment(&mut conn, visit.id).unwrap(), Some(corrected.clone()));

        let by_other = visits::assess(&mut conn, visit.id, other, &assessment(true), at(30));
        assert!(matches!(by_other, Err(StoreError::Refused(Refusal::AssessmentClosed))), "{by_other:?}");
        // 00:10 in Helsinki on Wednesday is 21:10 UTC on Tuesday: another day in the office.
        let next_day = local(weekday(2), 0, 10);
        assert_eq!(next_day.date_naive(), visit.start.date_naive(), "the same UTC day");
        let too_late = visits::assess(&mut conn, visit.id, author, &assessment(true), next_day);
        assert!(matches!(too_late, Err(StoreError::Refused(Refusal::AssessmentClosed))), "{too_late:?}");
        assert_eq!(visits::assessment(&mut conn, visit.id).unwrap(), Some(corrected));

        let twice = Assessment {
            personal_service_reasons: vec![
                aukiolo_domain::visit::PersonalServiceReason::Health,
                aukiolo_domain::visit::PersonalServiceReason::Health,
            ],
            ..assessment(true)
        };
        let invalid = visits::assess(&mut conn, visit.id, author, &twice, at(40));
        assert!(matches!(&invalid, Err(StoreError::Invalid(f)) if f[0].field == "personal_service_reasons"), "{invalid:?}");
    }

    fn walk_ins_by_the_office_local_day(db) {
        let mut conn = db.conn();
        let setup = Setup::new(&mut conn, 1);
        let staff = staff_member(&mut conn, "neuvoja@aukiolo.test", &setup);
        let visit = created(book(&mut conn, setup.place(), local(weekday(1), 9, 0), &citizen(1), RulesApply::Yes));
        let other_office = create_office(&mut conn, "Tikkurila");
        let new = |reference: Option<&'static str>| NewWalkIn {
            office: setup.office.id,
            topic: setup.topic.id,
            outcome: WalkInOutcome::BookedNow,
            booking_reference: reference,
        };
        let tuesday = weekday(1);
        // 00:30 on Tuesday in Helsinki is Monday in UTC; 23:30 is Tuesday in both.
        let reference = visit.reference.to_lowercase();
        let with_reference = NewWalkIn { booking_reference: Some(reference.as_str()), ..new(None) };
        let logged = [
            visits::log_walk_in(&mut conn, &new(None), staff, local(tuesday, 0, 30)).unwrap(),
            visits::log_walk_in(&mut conn, &with_reference, staff, local(tuesday, 23, 30)).unwrap(),
            visits::log_walk_in(&mut conn, &new(None), staff, local(weekday(2), 0, 0)).unwrap(),
        ];
        assert_eq!(logged[1].booking_id, Some(visit.id));
        assert_eq!(visits::walk_ins_on(&mut conn, setup.office.id, tuesday).unwrap(), logged[..2]);
        assert_eq!(visits::walk_ins_on(&mut conn, setup.office.id, weekday(2)).unwrap(), logged[2..]);
        assert!(visits::walk_ins_on(&mut conn, other_office.id, tuesday).unwrap().is_empty());

        // A reference of another office's booking, an unknown one and an unknown topic are
        // named; nothing is written.
        let elsewhere = NewWalkIn { office: other_office.id, ..with_reference.clone() };
        let unknown = NewWalkIn { topic: aukiolo_domain::TopicId::new(), booking_reference: Some("AAA-AAA-AAA"), ..new(None) };
        for (bad, fields) in [(elsewhere, vec!["booking_reference"]), (unknown, vec!["topic_id", "booking_reference"])] {
            match visits::log_walk_in(&mut conn, &bad, staff, local(tuesday, 10, 0)) {
                Err(StoreError::Invalid(errors)) => {
                    assert_eq!(errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), fields);
                }
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(visits::walk_ins_on(&mut conn, setup.office.id, tuesday).unwrap().len(), 2);
        assert!(visits::walk_ins_on(&mut conn, other_office.id, tuesday).unwrap().is_empty());
        let no_office = visits::walk_ins_on(&mut conn, aukiolo_domain::OfficeId::new(), tuesday);
        assert!(matches!(no_office, Err(StoreError::NotFound(_))), "{no_office:?}");
    }
}
