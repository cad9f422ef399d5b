//! The transactional outbox in the database (DESIGN.md §4.2): booking changes write their
//! messages in their own transaction, unsent messages about a time are voided by a move
//! or cancellation, calendar versions grow, concurrent workers claim disjoint batches,
//! expired leases make messages claimable again, and failures back off until the message
//! is dead. Every test runs on SQLite and PostgreSQL with a fixed `now`.

mod common;

use aukiolo_domain::booking::{Action, BookingRules};
use aukiolo_domain::calendar::{AbsenceFields, AbsenceKind};
use aukiolo_domain::outbox::{MessageKind, MessageStatus, RetryPolicy};
use aukiolo_domain::{Locale, MessageId};
use aukiolo_store::availability::RulesApply;
use aukiolo_store::bookings::{self, Actor};
use aukiolo_store::outbox::{self, Message, NewMessage, Payload};
use aukiolo_store::{absences, DbConnection, StoreError};
use chrono::{DateTime, Duration, Utc};
use common::booking::*;
use common::*;
use std::collections::BTreeSet;

/// An office reminding 48 hours and 2 hours ahead, with one advisor.
fn reminding_office(conn: &mut DbConnection) -> Setup {
    reminding_office_of(conn, 1)
}

/// An office reminding 48 hours and 2 hours ahead, with `n` advisors.
fn reminding_office_of(conn: &mut DbConnection, n: usize) -> Setup {
    let topic = create_topic(conn, "pensions");
    let rules = BookingRules { reminder_minutes_before: vec![2880, 120], ..open_rules() };
    let (office, advisors) = staffed_office(conn, "Kamppi", rules, &[topic.id], n);
    Setup { office, advisors, topic }
}

/// The booking's advisor away for exactly its time, from `now()`: its slot is in conflict.
fn absent_at(conn: &mut DbConnection, b: &aukiolo_domain::booking::Booking) -> aukiolo_domain::AbsenceId {
    let fields = AbsenceFields {
        advisor_id: b.advisor_id,
        starts_at: b.start,
        ends_at: b.end,
        kind: AbsenceKind::SickLeave,
        note: None,
    };
    absences::create(conn, &fields, &slot_horizon()).expect("absence").id
}

/// The reminders of a booking, with when they are due.
fn reminders_of(
    conn: &mut DbConnection,
    b: aukiolo_domain::BookingId,
) -> Vec<(DateTime<Utc>, MessageStatus)> {
    messages_of(conn, b)
        .into_iter()
        .filter(|m| m.kind == MessageKind::Reminder)
        .map(|m| (m.due_at, m.status))
        .collect()
}

fn messages_of(conn: &mut DbConnection, booking: aukiolo_domain::BookingId) -> Vec<Message> {
    outbox::for_booking(conn, booking).expect("messages")
}

fn summary(messages: &[Message]) -> Vec<(MessageKind, MessageStatus)> {
    messages.iter().map(|m| (m.kind, m.status)).collect()
}

/// `n` due messages about nothing in particular (claims do not look at bookings).
fn enqueue_due(conn: &mut DbConnection, n: usize, due: DateTime<Utc>) -> Vec<MessageId> {
    (0..n)
        .map(|_| {
            let message = NewMessage {
                kind: MessageKind::Confirmation,
                booking_id: None,
                recipient: "maija@example.fi".into(),
                locale: Locale::Fi,
                payload: Payload::default(),
                due_at: due,
            };
            outbox::enqueue(conn, &message, due).expect("enqueue")
        })
        .collect()
}

fn ids(messages: &[Message]) -> BTreeSet<MessageId> {
    messages.iter().map(|m| m.id).collect()
}

aukiolo_store::backend_tests! {
    fn a_booking_writes_its_confirmation_and_the_reminders_still_ahead(db) {
        let mut conn = db.conn();
        let setup = reminding_office(&mut conn);
        // Tuesday 10:00 is 27 hours ahead: the 48-hour reminder would be in the past.
        let start = local(weekday(1), 10, 0);
        let b = created(book(&mut conn, setup.place(), start, &citizen(1), RulesApply::Yes));
        let messages = messages_of(&mut conn, b.id);
        assert_eq!(
            summary(&messages),
            [(MessageKind::Confirmation, MessageStatus::Pending), (MessageKind::Reminder, MessageStatus::Pending)]
        );
        assert_eq!(messages[0].due_at, now());
        assert_eq!(messages[1].due_at, start - Duration::hours(2));
        assert!(messages.iter().all(|m| m.recipient == "matti@example.fi" && m.locale == Locale::Fi));
        let calendar = messages[0].payload.calendar.clone().expect("a calendar version");
        assert_eq!(calendar.uid, format!("{}@aukiolo", b.id));
        assert_eq!(calendar.sequence, 0);
    }

    fn a_move_keeps_the_event_and_voids_the_old_reminders(db) {
        let mut conn = db.conn();
        let setup = reminding_office(&mut conn);
        let a = created(book(&mut conn, setup.place(), local(weekday(3), 10, 0), &citizen(1), RulesApply::Yes));
        let b = bookings::reschedule(
            &mut conn, &keys(), a.id, local(weekday(4), 11, 0), Actor::Citizen, now(), RulesApply::Yes,
        )
        .expect("moved");
        let old = messages_of(&mut conn, a.id);
        assert_eq!(
            summary(&old),
            [
                (MessageKind::Confirmation, MessageStatus::Void),
                (MessageKind::Reminder, MessageStatus::Void),
                (MessageKind::Reminder, MessageStatus::Void),
            ],
            "the old time's unsent messages go, and no cancellation of its own"
        );
        let new = messages_of(&mut conn, b.id);
        assert_eq!(
            summary(&new),
            [
                (MessageKind::Rescheduled, MessageStatus::Pending),
                (MessageKind::Reminder, MessageStatus::Pending),
                (MessageKind::Reminder, MessageStatus::Pending),
            ]
        );
        let first = old[0].payload.calendar.clone().expect("version");
        let moved = new[0].payload.calendar.clone().expect("version");
        assert_eq!(moved.uid, first.uid);
        assert_eq!(moved.sequence, 1);

        let cancelled = bookings::transition(
            &mut conn, &keys(), b.id, Action::CancelByOffice, Some("advisor ill"), Actor::System, now(),
        )
        .expect("cancelled");
        let after = messages_of(&mut conn, cancelled.id);
        assert_eq!(
            summary(&after),
            [
                (MessageKind::Rescheduled, MessageStatus::Void),
                (MessageKind::Reminder, MessageStatus::Void),
                (MessageKind::Reminder, MessageStatus::Void),
                (MessageKind::Cancelled, MessageStatus::Pending),
            ]
        );
        let cancellation = &after[3];
        assert_eq!(cancellation.payload.reason.as_deref(), Some("advisor ill"));
        let version = cancellation.payload.calendar.clone().expect("version");
        assert_eq!((version.uid, version.sequence), (first.uid, 2));
    }

    fn a_failed_change_writes_no_message(db) {
        let mut conn = db.conn();
        let setup = reminding_office(&mut conn);
        let start = local(weekday(1), 10, 0);
        let b = created(book(&mut conn, setup.place(), start, &citizen(1), RulesApply::Yes));
        // The time is taken: the second booking fails and leaves nothing in the outbox.
        assert!(matches!(
            book(&mut conn, setup.place(), start, &citizen(2), RulesApply::Yes),
            Err(StoreError::TimeTaken(_))
        ));
        let all = outbox::list(&mut conn, None, 100, 0).expect("list");
        assert_eq!(all.len(), 2, "{all:?}");
        assert!(all.iter().all(|m| m.booking_id == Some(b.id)));
        // An illegal status change neither.
        let illegal = bookings::transition(&mut conn, &keys(), b.id, Action::Complete, None, Actor::System, now());
        assert!(matches!(illegal, Err(StoreError::Refused(_))));
        assert_eq!(outbox::list(&mut conn, None, 100, 0).expect("list").len(), 2);
    }

    fn workers_claim_disjoint_batches_and_expired_leases_come_back(db) {
        let mut conn = db.conn();
        let all: BTreeSet<MessageId> = enqueue_due(&mut conn, 100, now()).into_iter().collect();
        let lease = Duration::seconds(60);
        let pool = wide_pool(db, 4);
        let batches = race(&pool, 3, |i, conn| {
            outbox::claim(conn, &format!("worker-{i}"), 30, lease, now()).expect("claim")
        });
        let claimed: Vec<BTreeSet<MessageId>> = batches.iter().map(|b| ids(b)).collect();
        assert!(claimed.iter().all(|b| b.len() == 30), "{:?}", claimed.iter().map(BTreeSet::len).collect::<Vec<_>>());
        let union: BTreeSet<MessageId> = claimed.iter().flatten().copied().collect();
        assert_eq!(union.len(), 90, "two workers claimed the same message");
        assert!(batches.iter().flatten().all(|m| m.attempts == 1));

        // Under live leases only the ten unclaimed are left.
        let rest = outbox::claim(&mut conn, "worker-3", 100, lease, now()).expect("claim");
        assert_eq!(ids(&rest), all.difference(&union).copied().collect());
        assert!(outbox::claim(&mut conn, "worker-3", 100, lease, now()).expect("claim").is_empty());

        // Worker 0 settles its batch; the others die. After the leases end, their
        // messages are anyone's again, with a second try counted.
        let settled: Vec<MessageId> = claimed[0].iter().copied().collect();
        assert_eq!(outbox::mark_sent(&mut conn, &settled, now()).expect("sent"), 30);
        let later = now() + lease + Duration::seconds(1);
        let again = outbox::claim(&mut conn, "worker-4", 1000, lease, later).expect("claim");
        let expected: BTreeSet<MessageId> = all.difference(&claimed[0]).copied().collect();
        assert_eq!(ids(&again), expected);
        assert!(again.iter().all(|m| m.attempts == 2));
        // A worker that lost its lease cannot settle the message as failed.
        let lost = *claimed[1].iter().next().expect("a message");
        let policy = RetryPolicy::default();
        assert_eq!(outbox::mark_failed(&mut conn, lost, "worker-1", "timeout", &policy, later).expect("mark"), None);

        // Handed back untried: claimable at once, the claim not counted; only by its holder.
        let back: Vec<MessageId> = again.iter().take(5).map(|m| m.id).collect();
        assert_eq!(outbox::release(&mut conn, &back, "worker-0").expect("release"), 0);
        assert_eq!(outbox::release(&mut conn, &back, "worker-4").expect("release"), 5);
        let retaken = outbox::claim(&mut conn, "worker-5", 1000, lease, later).expect("claim");
        assert_eq!(ids(&retaken), back.iter().copied().collect());
        assert!(retaken.iter().all(|m| m.attempts == 2), "{retaken:?}");
    }

    fn an_operator_cannot_retry_a_message_a_worker_is_trying(db) {
        let mut conn = db.conn();
        let [id] = enqueue_due(&mut conn, 1, now())[..] else { unreachable!() };
        let policy = RetryPolicy { max_attempts: 5, ..RetryPolicy::default() };
        outbox::claim(&mut conn, "w", 10, Duration::seconds(60), now()).expect("claim");
        outbox::mark_failed(&mut conn, id, "w", "421", &policy, now()).expect("mark");
        let due = outbox::get(&mut conn, id).expect("get").due_at;
        outbox::claim(&mut conn, "w", 10, Duration::seconds(60), due).expect("claim again");
        assert!(matches!(outbox::retry(&mut conn, id, due), Err(StoreError::Conflict(_))));
        let after_lease = due + Duration::seconds(61);
        assert_eq!(outbox::retry(&mut conn, id, after_lease).expect("retry").status, MessageStatus::Pending);
    }

    fn failures_back_off_then_the_message_is_dead_until_retried(db) {
        let mut conn = db.conn();
        let [id] = enqueue_due(&mut conn, 1, now())[..] else { unreachable!() };
        let policy = RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::seconds(10),
            max_delay: Duration::seconds(15),
        };
        let mut t = now();
        for attempt in 1..=3u32 {
            let claimed = outbox::claim(&mut conn, "w", 10, Duration::seconds(60), t).expect("claim");
            assert_eq!(ids(&claimed), BTreeSet::from([id]), "attempt {attempt}");
            let status = outbox::mark_failed(&mut conn, id, "w", "421 try later", &policy, t).expect("mark");
            let message = outbox::get(&mut conn, id).expect("get");
            assert_eq!(message.attempts, attempt);
            assert_eq!(message.last_error.as_deref(), Some("421 try later"));
            if attempt < 3 {
                assert_eq!(status, Some(MessageStatus::Failed));
                assert!(message.due_at >= t + Duration::seconds(10), "no backoff: {message:?}");
                // Not due before the backoff has passed.
                assert!(outbox::claim(&mut conn, "w", 10, Duration::seconds(60), t).expect("claim").is_empty());
                t = message.due_at;
            } else {
                assert_eq!(status, Some(MessageStatus::Dead));
            }
        }
        let far = t + Duration::days(1);
        assert!(outbox::claim(&mut conn, "w", 10, Duration::seconds(60), far).expect("claim").is_empty());
        let counts = outbox::counts(&mut conn, far).expect("counts");
        assert_eq!((counts.dead, counts.pending, counts.failed), (1, 0, 0));
        assert_eq!(outbox::list(&mut conn, Some(MessageStatus::Dead), 10, 0).expect("list").len(), 1);

        let retried = outbox::retry(&mut conn, id, far).expect("retry");
        assert_eq!((retried.status, retried.attempts, retried.due_at), (MessageStatus::Pending, 0, far));
        assert!(matches!(outbox::retry(&mut conn, id, far), Err(StoreError::Conflict(_))));
        assert!(matches!(outbox::retry(&mut conn, MessageId::new(), far), Err(StoreError::NotFound(_))));
        assert_eq!(ids(&outbox::claim(&mut conn, "w", 10, Duration::seconds(60), far).expect("claim")), BTreeSet::from([id]));
    }

    fn a_sent_invitation_keeps_no_link_token(db) {
        let mut conn = db.conn();
        let setup = reminding_office(&mut conn);
        let start = local(weekday(1), 10, 0);
        let b = created(book(&mut conn, setup.place(), start, &citizen(1), RulesApply::Yes));
        for action in [Action::Arrive, Action::Start, Action::Complete] {
            bookings::transition(&mut conn, &keys(), b.id, action, None, Actor::System, start).expect("visit");
        }
        let invitation = messages_of(&mut conn, b.id)
            .into_iter()
            .find(|m| m.kind == MessageKind::QuestionnaireInvitation)
            .expect("an invitation");
        assert!(invitation.payload.link_token.is_some());
        let due = invitation.due_at;
        let claimed = outbox::claim(&mut conn, "w", 100, Duration::seconds(60), due).expect("claim");
        assert!(ids(&claimed).contains(&invitation.id));
        outbox::mark_sent(&mut conn, &[invitation.id], due).expect("sent");
        let sent = outbox::get(&mut conn, invitation.id).expect("get");
        assert_eq!(sent.status, MessageStatus::Sent);
        assert_eq!(sent.payload, Payload::default(), "the token stays in the outbox");
    }

    /// A reminder of a time the office no longer offers (an absence over the booked slot)
    /// is not sent: at its time it is void. A reminder due after the conflict is gone goes
    /// out as usual.
    fn reminders_of_a_time_in_conflict_are_held(db) {
        let mut conn = db.conn();
        let setup = reminding_office(&mut conn);
        // Thursday 10:00: reminders on Tuesday at 10:00 and on Thursday at 08:00.
        let b = created(book(&mut conn, setup.place(), local(weekday(3), 10, 0), &citizen(1), RulesApply::Yes));
        let (two_days, two_hours) = (b.start - Duration::hours(48), b.start - Duration::hours(2));
        let absence = absent_at(&mut conn, &b);

        let claimed = outbox::claim(&mut conn, "w", 100, Duration::seconds(60), two_days).expect("claim");
        assert_eq!(summary(&claimed), [(MessageKind::Confirmation, MessageStatus::Pending)], "not the reminder");
        outbox::mark_sent(&mut conn, &[claimed[0].id], two_days).expect("sent");
        assert_eq!(reminders_of(&mut conn, b.id), [(two_days, MessageStatus::Void), (two_hours, MessageStatus::Pending)]);
        let held = messages_of(&mut conn, b.id).into_iter().find(|m| m.status == MessageStatus::Void).unwrap();
        assert_eq!(held.last_error.as_deref(), Some("void: the booked time is in conflict"));
        assert_eq!(held.attempts, 0, "never tried");

        // The advisor is back before the second reminder's time: it goes out.
        let back = aukiolo_store::slots::Horizon { now: two_days + Duration::hours(1), days: 60 };
        absences::delete(&mut conn, absence, &back).expect("delete absence");
        let claimed = outbox::claim(&mut conn, "w", 100, Duration::seconds(60), two_hours).expect("claim");
        assert_eq!(summary(&claimed), [(MessageKind::Reminder, MessageStatus::Pending)]);
        assert_eq!(claimed[0].due_at, two_hours);
    }

    /// Resolving a conflict by a move gives the new booking reminders of its own;
    /// cancelling one voids its reminders.
    fn a_conflict_resolved_by_a_move_or_a_cancellation(db) {
        let mut conn = db.conn();
        let setup = reminding_office_of(&mut conn, 2);
        let staff = Actor::Staff(aukiolo_domain::StaffUserId(uuid::Uuid::from_u128(7)));
        let start = local(weekday(3), 10, 0);
        let moved_away = created(book(&mut conn, setup.place(), start, &citizen(1), RulesApply::Yes));
        let cancelled = created(book(&mut conn, setup.place(), local(weekday(3), 11, 0), &citizen(2), RulesApply::Yes));
        absent_at(&mut conn, &moved_away);
        absent_at(&mut conn, &cancelled);
        let conflicts = aukiolo_store::slots::conflict_bookings(&mut conn, setup.office.id, now()).unwrap();
        assert_eq!(conflicts.iter().map(|c| c.booking_id).collect::<Vec<_>>(), [moved_away.id, cancelled.id]);

        let moved = bookings::reschedule(&mut conn, &keys(), moved_away.id, start, staff, now(), RulesApply::StaffOverride)
            .expect("the other advisor is free then");
        assert_ne!(moved.advisor_id, moved_away.advisor_id);
        assert!(reminders_of(&mut conn, moved_away.id).iter().all(|(_, s)| *s == MessageStatus::Void));
        let fresh = [(start - Duration::hours(48), MessageStatus::Pending), (start - Duration::hours(2), MessageStatus::Pending)];
        assert_eq!(reminders_of(&mut conn, moved.id), fresh);
        bookings::transition(&mut conn, &keys(), cancelled.id, Action::CancelByOffice, Some("advisor ill"), staff, now())
            .expect("cancelled");
        assert!(reminders_of(&mut conn, cancelled.id).iter().all(|(_, s)| *s == MessageStatus::Void));
        assert!(aukiolo_store::slots::conflict_bookings(&mut conn, setup.office.id, now()).unwrap().is_empty());

        let claimed = outbox::claim(&mut conn, "w", 100, Duration::seconds(60), start - Duration::hours(48)).expect("claim");
        let reminders: Vec<_> = claimed.iter().filter(|m| m.kind == MessageKind::Reminder).collect();
        assert_eq!(reminders.len(), 1, "{claimed:?}");
        assert_eq!(reminders[0].booking_id, Some(moved.id));
    }
}
