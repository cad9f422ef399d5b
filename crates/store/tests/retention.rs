//! Retention in the database (DESIGN.md §4.7): a purge clears every column that held a
//! citizen's personal data in bookings whose visit is before the cut-off, and only there;
//! unlinks answered, expired and purged bookings' questionnaire invitations; deletes old
//! settled messages, old audit entries and old free-text answers; keeps every metric's
//! facts; runs again as a no-op; and a dry run changes nothing and counts the same. Every
//! test runs on SQLite and PostgreSQL at fixed instants.

mod common;

use aukiolo_domain::booking::{Action, Booking, Needs};
use aukiolo_domain::outbox::MessageKind;
use aukiolo_domain::questionnaire::{pilot, Answer, Answers};
use aukiolo_domain::staff::Role;
use aukiolo_domain::{BookingId, StaffUserId};
use aukiolo_store::availability::RulesApply;
use aukiolo_store::bookings::{self, Actor, Booked};
use aukiolo_store::retention::{self, Cutoffs, PurgeReport};
use aukiolo_store::schema::{
    audit_log, booking_events, bookings as booking_rows, idempotency_keys, outbox as outbox_rows,
    questionnaire_invitations, questionnaire_responses, response_answers,
};
use aukiolo_store::sql_types::DbId;
use aukiolo_store::staff::{self, NewStaffUser};
use aukiolo_store::{audit, metrics, outbox, questionnaires, DbConnection, StoreError};
use chrono::{DateTime, Duration, Utc};
use common::booking::*;
use common::*;
use diesel::prelude::*;

/// Visits on Tuesday of `monday()`'s week (ISO 2027-W36) are purged, those of Friday the
/// next week stay. The cut-off lies mid-week: free-text answers go by whole weeks before
/// the cut-off's.
fn cutoffs() -> Cutoffs {
    let next_wednesday = local(weekday(9), 0, 0);
    Cutoffs {
        now: local(weekday(11), 15, 0),
        bookings: next_wednesday,
        audit: next_wednesday,
        outbox: next_wednesday,
    }
}

fn staff_member(conn: &mut DbConnection, setup: &Setup) -> StaffUserId {
    let new = NewStaffUser {
        email: "advisor@aukiolo.test",
        password_hash: "not used",
        role: Role::Advisor,
        office_id: Some(setup.office.id),
        advisor_id: None,
    };
    staff::create(conn, &new, written_at()).expect("create staff").id
}

/// What a citizen `n` tells when booking, each piece findable afterwards.
struct Citizen {
    n: u32,
}

impl Citizen {
    fn name(&self) -> String {
        format!("Citizen Number{}", self.n)
    }
    fn email(&self) -> String {
        format!("citizen{}@example.fi", self.n)
    }
    fn matter(&self) -> String {
        format!("Matter of citizen {}", self.n)
    }
}

/// Books citizen `n` at `start` with every personal field filled, with an idempotency key.
fn book_at(conn: &mut DbConnection, setup: &Setup, start: DateTime<Utc>, n: u32) -> Booking {
    let who = Citizen { n };
    let new = bookings::NewBooking {
        name: who.name(),
        email: who.email(),
        phone: Some(format!("+35840000{n:04}")),
        description: who.matter(),
        needs: Needs { interpreter: Some("ar".parse().unwrap()), accessibility: Some(format!("ramp {n}")) },
        ..setup.place().request(start, &citizen(n))
    };
    let key = format!("key-{n}");
    match bookings::book(conn, &keys(), &new, Some((&key, "request")), Actor::Citizen, now(), RulesApply::Yes)
    {
        Ok(Booked::Created(b)) => b,
        other => panic!("expected a booking, got {other:?}"),
    }
}

fn act(conn: &mut DbConnection, b: &Booking, action: Action, reason: Option<&str>, at: DateTime<Utc>) {
    let staff = Actor::Staff(StaffUserId(uuid::Uuid::from_u128(42)));
    bookings::transition(conn, &keys(), b.id, action, reason, staff, at)
        .unwrap_or_else(|e| panic!("{action:?}: {e}"));
}

/// Completes a visit at its start; returns its questionnaire link token.
fn complete(conn: &mut DbConnection, b: &Booking) -> String {
    act(conn, b, Action::Start, None, b.start);
    act(conn, b, Action::Complete, None, b.start + Duration::minutes(20));
    let invitation = outbox::for_booking(conn, b.id)
        .unwrap()
        .into_iter()
        .find(|m| m.kind == MessageKind::QuestionnaireInvitation)
        .expect("an invitation");
    invitation.payload.link_token.expect("its token")
}

fn answer(conn: &mut DbConnection, token: &str, comment: &str, at: DateTime<Utc>) {
    let answers = Answers::new()
        .with("satisfaction", Answer::Score(4))
        .with("recommend", Answer::Score(9))
        .with("effort", Answer::Score(6))
        .with("comments", Answer::Text(comment.into()));
    questionnaires::answer(conn, token, &pilot().check(&answers).expect("valid"), at).expect("answered");
}

/// Marks every message of `b` that is still waiting sent.
fn send_all(conn: &mut DbConnection, b: &Booking) {
    let ids: Vec<_> = outbox::for_booking(conn, b.id).unwrap().into_iter().map(|m| m.id).collect();
    outbox::mark_sent(conn, &ids, now()).unwrap();
}

struct History {
    /// Visits before the cut-off: completed and answered, cancelled with a reason,
    /// completed without an answer yet (its link still valid).
    old: [Booking; 3],
    /// Visits after it: completed and answered, booked.
    recent: [Booking; 2],
    /// The link of the recent visit not yet answered.
    recent_token: String,
    old_unanswered_token: String,
}

/// Monday's bookings for both weeks, the visits done as they happen, an audit entry
/// before the cut-off and one after.
fn history(conn: &mut DbConnection, setup: &Setup) -> History {
    let staff = staff_member(conn, setup);
    let tuesday = weekday(1);
    let next_friday = weekday(11);
    let answered = book_at(conn, setup, local(tuesday, 9, 0), 1);
    let cancelled = book_at(conn, setup, local(tuesday, 10, 0), 2);
    let unanswered = book_at(conn, setup, local(tuesday, 11, 0), 3);
    let recent_answered = book_at(conn, setup, local(next_friday, 9, 0), 4);
    let recent = book_at(conn, setup, local(next_friday, 10, 0), 5);
    send_all(conn, &answered);
    act(conn, &cancelled, Action::CancelByOffice, Some("Citizen Number2 asked by phone"), now());
    let token = complete(conn, &answered);
    answer(conn, &token, "Thanks, from Citizen Number1", answered.start + Duration::hours(3));
    let old_unanswered_token = complete(conn, &unanswered);
    let token = complete(conn, &recent_answered);
    answer(conn, &token, "Kept comment", recent_answered.start + Duration::hours(3));
    let recent_token = complete(conn, &recent);
    audit::record(conn, staff, "read_booking", &[answered.id], now()).unwrap();
    audit::record(conn, staff, "read_booking", &[recent.id], cutoffs().now - Duration::hours(1)).unwrap();
    let reread = |conn: &mut DbConnection, b: &Booking| bookings::get(conn, &keys(), b.id).unwrap();
    History {
        old: [reread(conn, &answered), reread(conn, &cancelled), reread(conn, &unanswered)],
        recent: [reread(conn, &recent_answered), reread(conn, &recent)],
        recent_token,
        old_unanswered_token,
    }
}

fn ids(bookings: &[Booking]) -> Vec<DbId> {
    bookings.iter().map(|b| DbId::from(b.id)).collect()
}

type PersonalColumns = (String, String, String, String, Option<String>, String, String, Option<String>);

/// Every column of `bookings` that holds personal data.
fn personal_columns(conn: &mut DbConnection, id: BookingId) -> PersonalColumns {
    booking_rows::table
        .find(DbId::from(id))
        .select((
            booking_rows::name,
            booking_rows::personal_id_enc,
            booking_rows::personal_id_hash,
            booking_rows::email,
            booking_rows::phone,
            booking_rows::description,
            booking_rows::needs,
            booking_rows::cancel_reason,
        ))
        .first(conn)
        .unwrap()
}

/// The facts every metric is computed from, over both weeks, as of one instant.
fn facts(conn: &mut DbConnection) -> aukiolo_domain::metrics::Facts {
    metrics::load(conn, monday(), weekday(14), None, cutoffs().now).unwrap()
}

aukiolo_store::backend_tests! {
    fn a_purge_clears_personal_data_before_the_cutoff_and_keeps_every_metric(db) {
        let mut conn = db.conn();
        let setup = Setup::new(&mut conn, 2);
        let h = history(&mut conn, &setup);
        let before = facts(&mut conn);
        assert!(before.bookings.iter().filter(|b| b.invitation.is_some()).count() >= 4, "{before:#?}");

        let report = retention::purge(&mut conn, &cutoffs()).unwrap();
        assert_eq!(report.bookings, 3, "{report:?}");
        assert_eq!(report.idempotency_keys, 3, "{report:?}");
        // Both answered ones and the old unanswered one (its booking goes); the recent
        // unanswered link stays usable.
        assert_eq!(report.invitations_unlinked, 3, "{report:?}");
        assert_eq!(report.audit_entries, 1, "{report:?}");
        assert_eq!(report.answer_texts, 1, "{report:?}");
        assert!(report.event_details > 0 && report.settled_messages > 0, "{report:?}");

        // Every column that held the old bookings' personal data is empty.
        for b in &h.old {
            let columns = personal_columns(&mut conn, b.id);
            let empty = (String::new(), String::new(), String::new(), String::new(), None, String::new(), "{}".to_owned(), None);
            assert_eq!(columns, empty, "{}", b.reference);
            let read = bookings::get(&mut conn, &keys(), b.id).unwrap();
            assert_eq!(read.purged_at, Some(cutoffs().now));
            assert_eq!((read.personal_id, read.name.as_str(), read.phone), (None, "", None));
            // What the metrics read stays.
            assert_eq!((read.status, read.start, read.topic_id, read.channel), (b.status, b.start, b.topic_id, b.channel));
        }
        let old = ids(&h.old);
        let details: Vec<Option<String>> = booking_events::table
            .filter(booking_events::booking_id.eq_any(&old))
            .select(booking_events::detail)
            .load(&mut conn)
            .unwrap();
        assert!(details.len() >= 7 && details.iter().all(Option::is_none), "{details:?}");
        let keys_left: i64 =
            idempotency_keys::table.filter(idempotency_keys::booking_id.eq_any(&old)).count().get_result(&mut conn).unwrap();
        assert_eq!(keys_left, 0);
        let messages: Vec<(String, String)> = outbox_rows::table.select((outbox_rows::recipient, outbox_rows::payload)).load(&mut conn).unwrap();
        for c in 1..=3 {
            let who = Citizen { n: c };
            assert!(!messages.iter().any(|(to, _)| *to == who.email()), "a message to {} is left: {messages:?}", who.email());
        }
        let linked: Vec<Option<DbId>> = questionnaire_invitations::table.select(questionnaire_invitations::booking_id).load(&mut conn).unwrap();
        assert_eq!(linked.iter().flatten().copied().collect::<Vec<_>>(), [DbId::from(h.recent[1].id)], "only the unanswered recent invitation keeps its booking");
        let audited: Vec<Option<DbId>> = audit_log::table.select(audit_log::booking_id).load(&mut conn).unwrap();
        assert_eq!(audited, [Some(DbId::from(h.recent[1].id))]);
        let texts: Vec<(String, Option<String>)> = response_answers::table
            .inner_join(questionnaire_responses::table)
            .filter(response_answers::question_key.eq("comments"))
            .select((questionnaire_responses::week, response_answers::text_value))
            .order(questionnaire_responses::week)
            .load(&mut conn)
            .unwrap();
        assert_eq!(texts, [("2027-W36".to_owned(), None), ("2027-W37".to_owned(), Some("Kept comment".to_owned()))]);

        // The recent bookings keep everything, their messages and links too.
        for b in &h.recent {
            assert_eq!(&bookings::get(&mut conn, &keys(), b.id).unwrap(), b);
        }
        assert!(questionnaires::open(&mut conn, &h.recent_token, cutoffs().now).is_ok());
        // The purged booking's link, still within its time, no longer opens.
        let gone = questionnaires::open(&mut conn, &h.old_unanswered_token, cutoffs().now);
        assert!(matches!(gone, Err(StoreError::Gone(_))), "{gone:?}");

        // Every fact every metric reads is the same.
        assert_eq!(facts(&mut conn), before);

        // A purged booking cannot change any more.
        let late = bookings::transition(&mut conn, &keys(), h.old[2].id, Action::NoShow, None, Actor::System, cutoffs().now);
        assert!(matches!(late, Err(StoreError::Refused(_))), "{late:?}");

        // Again: nothing left to take.
        assert_eq!(retention::purge(&mut conn, &cutoffs()).unwrap(), PurgeReport::default());
        assert_eq!(retention::plan(&mut conn, &cutoffs()).unwrap(), PurgeReport::default());
        assert_eq!(facts(&mut conn), before);
    }

    fn a_dry_run_changes_nothing_and_counts_what_the_purge_takes(db) {
        let mut conn = db.conn();
        let setup = Setup::new(&mut conn, 2);
        let h = history(&mut conn, &setup);
        let snapshot = |conn: &mut DbConnection| {
            let personal: Vec<PersonalColumns> = h.old.iter().chain(&h.recent).map(|b| personal_columns(conn, b.id)).collect();
            let events: Vec<Option<String>> = booking_events::table.select(booking_events::detail).order(booking_events::id).load(conn).unwrap();
            let messages: Vec<DbId> = outbox_rows::table.select(outbox_rows::id).order(outbox_rows::id).load(conn).unwrap();
            let linked: Vec<Option<DbId>> = questionnaire_invitations::table.select(questionnaire_invitations::booking_id).order(questionnaire_invitations::id).load(conn).unwrap();
            let audited: Vec<DbId> = audit_log::table.select(audit_log::id).order(audit_log::id).load(conn).unwrap();
            let texts: Vec<Option<String>> = response_answers::table.select(response_answers::text_value).order((response_answers::response_id, response_answers::question_key)).load(conn).unwrap();
            let keys: Vec<String> = idempotency_keys::table.select(idempotency_keys::key).order(idempotency_keys::key).load(conn).unwrap();
            format!("{personal:?}{events:?}{messages:?}{linked:?}{audited:?}{texts:?}{keys:?}")
        };
        let before = snapshot(&mut conn);

        let planned = retention::plan(&mut conn, &cutoffs()).unwrap();
        assert_eq!(snapshot(&mut conn), before, "a dry run changed something");
        assert!(!planned.is_empty());
        assert_eq!(retention::purge(&mut conn, &cutoffs()).unwrap(), planned);
        assert_ne!(snapshot(&mut conn), before);
    }

    fn one_purge_at_a_time(db) {
        // On PostgreSQL a second purge while the lock is held does nothing; on SQLite the
        // writers of a process take turns, so both run and the second finds nothing.
        let mut first = db.conn();
        let setup = Setup::new(&mut first, 1);
        book_at(&mut first, &setup, local(weekday(1), 9, 0), 1);
        let mut second = db.conn();
        if let DbConnection::Pg(pg) = &mut *first {
            diesel::sql_query("SELECT pg_advisory_lock(27444201610)").execute(pg).unwrap();
            assert_eq!(retention::purge_alone(&mut second, &cutoffs()).unwrap(), None);
            diesel::sql_query("SELECT pg_advisory_unlock(27444201610)").execute(pg).unwrap();
        }
        let report = retention::purge_alone(&mut second, &cutoffs()).unwrap().expect("the lock was free");
        assert_eq!(report.bookings, 1);
        // The lock was given back: another connection gets it.
        assert_eq!(retention::purge_alone(&mut first, &cutoffs()).unwrap(), Some(PurgeReport::default()));
    }
}
