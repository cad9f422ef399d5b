//! Questionnaires in the database: a completed visit (and nothing else) invites once, with
//! the token only in the message and its hash in the invitations table; a token opens the
//! questionnaire in the booking's language, answers once under any number of concurrent
//! tries, expires, and records a response for its own visit only; responses hold nothing
//! personal; the pilot template is stored once. Every test runs on SQLite and PostgreSQL,
//! and every `now` is a fixed instant.

mod common;

use aukiolo_domain::advisor::AdvisorFields;
use aukiolo_domain::booking::{Action, BookedBy, Booking, BookingRules, BookingStatus, Needs};
use aukiolo_domain::office::{Office, OfficeFields};
use aukiolo_domain::outbox::MessageKind;
use aukiolo_domain::personal_id::PersonalId;
use aukiolo_domain::questionnaire::{pilot, Answer, Answers, ValidAnswers};
use aukiolo_domain::topic::Topic;
use aukiolo_domain::{Channel, Locale, StaffUserId};
use aukiolo_store::availability::{RulesApply, TimeQuery};
use aukiolo_store::bookings::{self, Actor, Booked, NewBooking};
use aukiolo_store::outbox::{self, Message};
use aukiolo_store::personal_data::PersonalDataKeys;
use aukiolo_store::questionnaires::{self, INVITATION_VALID_DAYS};
use aukiolo_store::schema::response_answers;
use aukiolo_store::schema::{
    questionnaire_invitations, questionnaire_responses, questionnaires as templates,
};
use aukiolo_store::slots::Horizon;
use aukiolo_store::sql_types::{DbId, DbTime};
use aukiolo_store::test_support::TestDb;
use aukiolo_store::{advisors, offices, pool, Backend, DbConnection, Pool, StoreError};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use common::*;
use diesel::prelude::*;
use sha2::{Digest, Sha256};
use std::sync::Barrier;

/// Monday 2027-09-06: no Finnish holiday for weeks before or after.
fn monday() -> NaiveDate {
    day(2027, 9, 6)
}

/// When the bookings are made: Monday 07:00 in Helsinki.
fn now() -> DateTime<Utc> {
    local(monday(), 7, 0)
}

/// Tuesday of the test week, when the visits take place (ISO week 2027-W36).
fn tuesday() -> NaiveDate {
    monday() + Duration::days(1)
}

fn keys() -> PersonalDataKeys {
    PersonalDataKeys::from_secret(b"test secret")
}

fn staff() -> Actor {
    Actor::Staff(StaffUserId(uuid::Uuid::from_u128(42)))
}

/// A valid identity code for citizen `n` (0–897), as in the booking tests.
fn citizen(n: u32) -> PersonalId {
    let individual = n + 2;
    let check = b"0123456789ABCDEFHJKLMNPRSTUVWXY"[((10_190_000 + individual) % 31) as usize];
    PersonalId::parse(&format!("010190-{individual:03}{}", check as char)).expect("valid identity code")
}

const NAME: &str = "Matti Meikäläinen";
const EMAIL: &str = "matti.meikalainen@example.fi";
const PHONE: &str = "+358401234567";

/// An office with its own topic served at the office and by phone, in Finnish, Swedish
/// and English.
struct Place {
    office: Office,
    topic: Topic,
}

fn place(conn: &mut DbConnection, name: &str, pilot_group: &str, rules: BookingRules) -> Place {
    let topic = create_topic_with(conn, &name.to_lowercase(), 30, &[Channel::Office, Channel::Phone]);
    let fields =
        OfficeFields { booking_rules: rules, pilot_group: pilot_group.into(), ..office_fields(name) };
    let office = offices::create(conn, &fields, written_at()).expect("create office");
    let slots = Horizon { now: now(), days: 14 };
    for channel in [Channel::Office, Channel::Phone] {
        let advisor = advisors::create(
            conn,
            &AdvisorFields {
                languages: ["fi", "sv", "en"].map(|l| l.parse().unwrap()).to_vec(),
                channels: vec![channel],
                ..advisor_fields(office.id, vec![topic.id])
            },
        )
        .expect("create advisor");
        create_weekday_rules_on(conn, advisor.id, channel, &slots);
    }
    Place { office, topic }
}

/// Books `place`'s topic on Tuesday at `hour`:00 for citizen `n`.
fn book(
    conn: &mut DbConnection,
    place: &Place,
    channel: Channel,
    hour: u32,
    n: u32,
    locale: Locale,
    booked_by: BookedBy,
) -> Booking {
    let start = local(tuesday(), hour, 0);
    let new = NewBooking {
        query: TimeQuery {
            topic_id: place.topic.id,
            channel,
            office_id: (channel == Channel::Office).then_some(place.office.id),
            advisor_id: None,
            language: locale.into(),
            from: start,
            to: start + Duration::minutes(1),
        },
        start,
        locale,
        name: NAME.into(),
        personal_id: citizen(n),
        email: EMAIL.into(),
        phone: Some(PHONE.into()),
        description: "Eläkehakemus".into(),
        needs: Needs::default(),
        booked_by,
    };
    match bookings::book(conn, &keys(), &new, None, Actor::Citizen, now(), RulesApply::Yes) {
        Ok(Booked::Created(b)) => b,
        other => panic!("expected a booking, got {other:?}"),
    }
}

/// A Finnish self-service office visit at `place` on Tuesday at `hour`:00.
fn visit(conn: &mut DbConnection, place: &Place, hour: u32, n: u32) -> Booking {
    book(conn, place, Channel::Office, hour, n, Locale::Fi, BookedBy::CitizenSelf)
}

/// Applies `actions` to booking `b`, the i-th a minute after the last, from its start.
fn walk(conn: &mut DbConnection, b: &Booking, actions: &[Action]) -> Booking {
    walk_from(conn, b, b.start, actions)
}

/// Applies `actions` to booking `b`, the i-th a minute after the last, from `from`.
fn walk_from(conn: &mut DbConnection, b: &Booking, from: DateTime<Utc>, actions: &[Action]) -> Booking {
    let mut last = b.clone();
    for (i, action) in (0..).zip(actions) {
        let at = from + Duration::minutes(i);
        last = bookings::transition(conn, &keys(), b.id, *action, None, staff(), at)
            .unwrap_or_else(|e| panic!("{action:?}: {e:?}"));
    }
    last
}

/// Starts and completes an office visit; returns when it was completed.
fn complete(conn: &mut DbConnection, b: &Booking) -> DateTime<Utc> {
    let done = walk(conn, b, &[Action::Start, Action::Complete]);
    assert_eq!(done.status, BookingStatus::Completed);
    b.start + Duration::minutes(1)
}

fn invitation_messages(conn: &mut DbConnection, b: &Booking) -> Vec<Message> {
    outbox::for_booking(conn, b.id)
        .unwrap()
        .into_iter()
        .filter(|m| m.kind == MessageKind::QuestionnaireInvitation)
        .collect()
}

/// The link token of a booking's one invitation message.
fn token_of(conn: &mut DbConnection, b: &Booking) -> String {
    let messages = invitation_messages(conn, b);
    assert_eq!(messages.len(), 1, "one invitation message: {messages:?}");
    messages[0].payload.link_token.clone().expect("the invitation carries its token")
}

fn sha256_hex(text: &str) -> String {
    aukiolo_domain::hex::hex(&Sha256::digest(text.as_bytes()))
}

type InvitationColumns = (DbId, Option<DbId>, String, i32, String, DbTime, DbTime, Option<DbTime>);

fn invitations(conn: &mut DbConnection) -> Vec<InvitationColumns> {
    questionnaire_invitations::table
        .select((
            questionnaire_invitations::id,
            questionnaire_invitations::booking_id,
            questionnaire_invitations::questionnaire_key,
            questionnaire_invitations::questionnaire_version,
            questionnaire_invitations::token_hash,
            questionnaire_invitations::created_at,
            questionnaire_invitations::expires_at,
            questionnaire_invitations::answered_at,
        ))
        .load(conn)
        .unwrap()
}

/// The required scores, a choice, two channels out of order and a comment.
fn full_answers() -> ValidAnswers {
    let answers = Answers::new()
        .with("satisfaction", Answer::Score(4))
        .with("recommend", Answer::Score(9))
        .with("effort", Answer::Score(6))
        .with("preference", Answer::Text("appointment".into()))
        .with("channels_known", Answer::Choices(vec!["chat".into(), "online".into()]))
        .with("comments", Answer::Text("  Nopeaa palvelua.  ".into()));
    pilot().check(&answers).expect("valid answers")
}

fn required_answers(recommend: u8) -> ValidAnswers {
    let answers = Answers::new()
        .with("satisfaction", Answer::Score(5))
        .with("recommend", Answer::Score(recommend))
        .with("effort", Answer::Score(7));
    pilot().check(&answers).expect("valid answers")
}

type ResponseColumns = (DbId, String, i32, DbId, DbId, String, String, String, String);

fn responses(conn: &mut DbConnection) -> Vec<ResponseColumns> {
    questionnaire_responses::table
        .select((
            questionnaire_responses::id,
            questionnaire_responses::questionnaire_key,
            questionnaire_responses::questionnaire_version,
            questionnaire_responses::office_id,
            questionnaire_responses::topic_id,
            questionnaire_responses::channel,
            questionnaire_responses::week,
            questionnaire_responses::pilot_group,
            questionnaire_responses::booking_mode,
        ))
        .order(questionnaire_responses::office_id)
        .load(conn)
        .unwrap()
}

type AnswerColumns =
    (DbId, String, Option<i32>, Option<String>, Option<String>, Option<bool>, Option<String>);

fn answer_rows(conn: &mut DbConnection) -> Vec<AnswerColumns> {
    response_answers::table
        .select((
            response_answers::response_id,
            response_answers::question_key,
            response_answers::score,
            response_answers::choice,
            response_answers::choices,
            response_answers::yes_no,
            response_answers::text_value,
        ))
        .order((response_answers::response_id, response_answers::question_key))
        .load(conn)
        .unwrap()
}

#[derive(QueryableByName)]
struct ColumnName {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
}

/// The column names of `table` as the database itself lists them.
fn columns(db: &TestDb, conn: &mut DbConnection, table: &str) -> Vec<String> {
    let sql = match db.backend {
        Backend::Sqlite(_) => format!("SELECT name FROM pragma_table_info('{table}') ORDER BY name"),
        Backend::Postgres(_) => format!(
            "SELECT column_name::text AS name FROM information_schema.columns \
             WHERE table_name = '{table}' AND table_schema = current_schema() ORDER BY name"
        ),
    };
    diesel::sql_query(sql).load::<ColumnName>(conn).unwrap().into_iter().map(|c| c.name).collect()
}

/// A pool large enough for every racing thread to hold its own connection.
fn wide_pool(db: &TestDb, size: u32) -> Pool {
    pool::connect(db.backend.clone(), pool::PoolSettings::sized(size)).expect("connect a wider pool")
}

/// Runs `f(conn)` on `n` threads released together, each with its own pooled connection.
fn race<T: Send>(pool: &Pool, n: usize, f: impl Fn(&mut DbConnection) -> T + Sync) -> Vec<T> {
    let barrier = Barrier::new(n);
    std::thread::scope(|s| {
        let threads: Vec<_> = (0..n)
            .map(|_| {
                let (barrier, f) = (&barrier, &f);
                s.spawn(move || {
                    let mut conn = pool.get().expect("pooled connection");
                    barrier.wait();
                    f(&mut conn)
                })
            })
            .collect();
        threads.into_iter().map(|t| t.join().expect("racing thread panicked")).collect()
    })
}

aukiolo_store::backend_tests! {
    fn completion_invites_once_after_the_delay(db) {
        let mut conn = db.conn();
        let rules = BookingRules { holdback_percent: 0, questionnaire_delay_minutes: 45, ..BookingRules::default() };
        let kamppi = place(&mut conn, "Kamppi", "pilot", rules);
        let b = book(&mut conn, &kamppi, Channel::Office, 10, 1, Locale::Sv, BookedBy::CitizenSelf);

        // Arrival and service invite no one yet.
        walk(&mut conn, &b, &[Action::Arrive, Action::Start]);
        assert!(invitations(&mut conn).is_empty());
        assert!(invitation_messages(&mut conn, &b).is_empty());

        let done_at = b.start + Duration::minutes(5);
        let done = bookings::transition(&mut conn, &keys(), b.id, Action::Complete, None, staff(), done_at)
            .unwrap();
        assert_eq!(done.status, BookingStatus::Completed);

        let due = done_at + Duration::minutes(45);
        let messages = invitation_messages(&mut conn, &b);
        assert_eq!(messages.len(), 1, "{messages:?}");
        let m = &messages[0];
        assert_eq!((m.recipient.as_str(), m.locale, m.due_at, m.created_at), (EMAIL, Locale::Sv, due, done_at));
        assert_eq!((m.payload.calendar.clone(), m.payload.reason.clone()), (None, None));
        let token = m.payload.link_token.clone().expect("the token is in the payload");
        assert_eq!(token.len(), 43, "{token}");
        assert!(token.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'), "{token}");

        // The invitations table keeps only the token's hash.
        let rows = invitations(&mut conn);
        assert_eq!(rows.len(), 1);
        let (id, booking, key, version, hash, created, expires, answered) = rows[0].clone();
        assert_eq!((booking, key.as_str(), version), (Some(DbId::from(b.id)), "pilot", 1));
        assert_eq!(hash, sha256_hex(&token));
        assert_ne!(id.0.to_string(), token);
        assert_eq!((created.0, expires.0, answered), (done_at, due + Duration::days(INVITATION_VALID_DAYS), None));
        assert_eq!(INVITATION_VALID_DAYS, 14);

        // The link opens the questionnaire in the booking's language.
        let open = questionnaires::open(&mut conn, &token, due).unwrap();
        assert_eq!((open.questionnaire.clone(), open.locale, open.expires_at), (pilot(), Locale::Sv, expires.0));
        assert_eq!(open.questionnaire.localised(open.locale).title, pilot().localised(Locale::Sv).title);

        // A completed booking cannot be completed again, so it stays one invitation.
        let again = bookings::transition(&mut conn, &keys(), b.id, Action::Complete, None, staff(), due);
        assert!(matches!(again, Err(StoreError::Refused(_))), "{again:?}");
        assert_eq!(invitations(&mut conn).len(), 1);
        assert_eq!(invitation_messages(&mut conn, &b).len(), 1);
    }

    fn no_invitation_without_a_completed_visit(db) {
        let mut conn = db.conn();
        let kamppi = place(&mut conn, "Kamppi", "pilot", open_rules());
        let outcomes: Vec<(Booking, &[Action])> = vec![
            (visit(&mut conn, &kamppi, 9, 1), &[Action::NoShow]),
            (visit(&mut conn, &kamppi, 10, 2), &[Action::CancelByCitizen]),
            (visit(&mut conn, &kamppi, 11, 3), &[Action::CancelByOffice]),
            (visit(&mut conn, &kamppi, 13, 4), &[Action::Arrive, Action::Start]),
            (
                book(&mut conn, &kamppi, Channel::Phone, 14, 5, Locale::Fi, BookedBy::PhoneService),
                &[Action::NotReached],
            ),
        ];
        for (b, actions) in &outcomes {
            // Cancelled the day before; the rest recorded from the start.
            let cancelled = matches!(actions, [Action::CancelByCitizen | Action::CancelByOffice]);
            let from = if cancelled { b.start - Duration::days(1) } else { b.start };
            let after = walk_from(&mut conn, b, from, actions);
            assert!(invitation_messages(&mut conn, b).is_empty(), "{:?}", after.status);
            // Called directly for such a booking, it does nothing either.
            questionnaires::invite_after_visit(&mut conn, &after, now()).unwrap();
        }
        assert!(invitations(&mut conn).is_empty());

        // A completed phone appointment is invited like a visit.
        let call = book(&mut conn, &kamppi, Channel::Phone, 15, 6, Locale::Fi, BookedBy::PhoneService);
        complete(&mut conn, &call);
        assert_eq!(invitation_messages(&mut conn, &call).len(), 1);
        assert_eq!(invitations(&mut conn).len(), 1);
    }

    fn a_token_answers_once_under_concurrency(db) {
        let mut conn = db.conn();
        let kamppi = place(&mut conn, "Kamppi", "pilot", open_rules());
        let b = visit(&mut conn, &kamppi, 10, 1);
        let done = complete(&mut conn, &b);
        let token = token_of(&mut conn, &b);
        let at = done + Duration::hours(3);
        let pool = wide_pool(db, 8);

        let results = race(&pool, 8, |conn| questionnaires::answer(conn, &token, &required_answers(9), at));

        let ok = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(ok, 1, "{results:?}");
        for r in results.iter().filter(|r| r.is_err()) {
            assert!(matches!(r, Err(StoreError::Conflict(_))), "{r:?}");
        }
        assert_eq!(responses(&mut conn).len(), 1);
        assert_eq!(answer_rows(&mut conn).len(), 3);
        let answered = invitations(&mut conn)[0].7;
        // Only the day is kept, so the time cannot tie the response to the booking.
        assert_eq!(answered, Some(DbTime(at.date_naive().and_time(chrono::NaiveTime::MIN).and_utc())));

        // Afterwards the link neither opens nor answers.
        let open = questionnaires::open(&mut conn, &token, at);
        assert!(matches!(open, Err(StoreError::Conflict(_))), "{open:?}");
        let again = questionnaires::answer(&mut conn, &token, &required_answers(3), at);
        assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
        assert_eq!(responses(&mut conn).len(), 1);
    }

    fn links_expire_and_unknown_tokens_are_not_found(db) {
        let mut conn = db.conn();
        let kamppi = place(&mut conn, "Kamppi", "pilot", open_rules());
        let b = visit(&mut conn, &kamppi, 10, 1);
        complete(&mut conn, &b);
        let token = token_of(&mut conn, &b);
        let expires = questionnaires::open(&mut conn, &token, now()).unwrap().expires_at;

        for at in [expires, expires + Duration::days(30)] {
            let open = questionnaires::open(&mut conn, &token, at);
            assert!(matches!(open, Err(StoreError::Gone(_))), "{open:?}");
            let answer = questionnaires::answer(&mut conn, &token, &required_answers(9), at);
            assert!(matches!(answer, Err(StoreError::Gone(_))), "{answer:?}");
        }
        assert!(responses(&mut conn).is_empty());
        assert_eq!(invitations(&mut conn)[0].7, None, "an expired try spends nothing");

        // A made-up token of the right shape, a malformed one and the hash itself are unknown.
        let guessed = "A".repeat(43);
        let hash = invitations(&mut conn)[0].4.clone();
        for unknown in [guessed.as_str(), "not-a-token", hash.as_str(), ""] {
            let open = questionnaires::open(&mut conn, unknown, now());
            assert!(matches!(open, Err(StoreError::NotFound(_))), "{unknown}: {open:?}");
            let answer = questionnaires::answer(&mut conn, unknown, &required_answers(9), now());
            assert!(matches!(answer, Err(StoreError::NotFound(_))), "{unknown}: {answer:?}");
        }

        // Just before it expires, the link still works.
        let last_moment = expires - Duration::seconds(1);
        questionnaires::answer(&mut conn, &token, &required_answers(9), last_moment).unwrap();
        assert_eq!(responses(&mut conn).len(), 1);
    }

    fn a_token_records_the_response_of_its_own_visit(db) {
        let mut conn = db.conn();
        let kamppi = place(&mut conn, "Kamppi", "pilot", open_rules());
        let itakeskus = place(&mut conn, "Itäkeskus", "control", open_rules());
        let a = visit(&mut conn, &kamppi, 10, 1);
        let b = book(&mut conn, &itakeskus, Channel::Office, 11, 2, Locale::En, BookedBy::Advisor);
        complete(&mut conn, &a);
        complete(&mut conn, &b);
        let (token_a, token_b) = (token_of(&mut conn, &a), token_of(&mut conn, &b));
        assert_ne!(token_a, token_b);
        let later = local(tuesday(), 18, 0);

        questionnaires::answer(&mut conn, &token_a, &full_answers(), later).unwrap();

        let rows = responses(&mut conn);
        assert_eq!(rows.len(), 1);
        let (id, key, version, office, topic, channel, week, group, mode) = rows[0].clone();
        assert_eq!(
            (key.as_str(), version, office, topic),
            ("pilot", 1, DbId::from(kamppi.office.id), DbId::from(kamppi.topic.id))
        );
        assert_eq!(
            (channel.as_str(), week.as_str(), group.as_str(), mode.as_str()),
            ("office", "2027-W36", "pilot", "self_service")
        );
        assert_eq!(id.0.get_version_num(), 4, "random, not time-ordered ids");
        let stored = answer_rows(&mut conn);
        let by_key = |k: &str| stored.iter().find(|r| r.1 == k).cloned().expect(k);
        assert_eq!(by_key("satisfaction"), (id, "satisfaction".into(), Some(4), None, None, None, None));
        assert_eq!(by_key("recommend").2, Some(9));
        assert_eq!(by_key("preference").3.as_deref(), Some("appointment"));
        let choices: Vec<String> = serde_json::from_str(by_key("channels_known").4.as_deref().unwrap()).unwrap();
        assert_eq!(choices, ["online", "chat"], "a JSON array in the template's order");
        assert_eq!(by_key("comments").6.as_deref(), Some("Nopeaa palvelua."));
        assert_eq!(stored.len(), 6, "unanswered questions have no row");

        // B's link is untouched by A's answer, and records B's own visit.
        let open_b = questionnaires::open(&mut conn, &token_b, later).unwrap();
        assert_eq!(open_b.locale, Locale::En);
        let a_again = questionnaires::answer(&mut conn, &token_a, &required_answers(0), later);
        assert!(matches!(a_again, Err(StoreError::Conflict(_))), "{a_again:?}");
        questionnaires::answer(&mut conn, &token_b, &required_answers(0), later).unwrap();
        let rows = responses(&mut conn);
        let b_row = rows.iter().find(|r| r.3 == DbId::from(itakeskus.office.id)).expect("B's response");
        assert_eq!(
            (b_row.4, b_row.7.as_str(), b_row.8.as_str()),
            (DbId::from(itakeskus.topic.id), "control", "advisor")
        );
        let answered: Vec<_> = invitations(&mut conn).into_iter().map(|r| r.7.is_some()).collect();
        assert_eq!(answered, [true, true]);
    }

    fn responses_hold_no_personal_data(db) {
        let mut conn = db.conn();
        let kamppi = place(&mut conn, "Kamppi", "pilot", open_rules());
        let b = visit(&mut conn, &kamppi, 10, 1);
        complete(&mut conn, &b);
        let token = token_of(&mut conn, &b);
        questionnaires::answer(&mut conn, &token, &full_answers(), local(tuesday(), 18, 0)).unwrap();

        // No column that could hold who answered, or when.
        let response_columns = columns(db, &mut conn, "questionnaire_responses");
        let answer_columns = columns(db, &mut conn, "response_answers");
        assert_eq!(
            response_columns,
            [
                "booking_mode", "channel", "id", "office_id", "pilot_group", "questionnaire_key",
                "questionnaire_version", "topic_id", "week"
            ]
        );
        assert_eq!(
            answer_columns,
            ["choice", "choices", "question_key", "response_id", "score", "text_value", "yes_no"]
        );
        let forbidden = [
            "name", "email", "mail", "personal", "hetu", "phone", "booking_id", "reference", "citizen",
            "token", "invitation", "_at", "time", "date", "description",
        ];
        for column in response_columns.iter().chain(&answer_columns) {
            for word in forbidden {
                assert!(!column.contains(word), "column `{column}` looks like `{word}`");
            }
        }

        // And no stored value that names the booking or the person.
        let stored = format!("{:?} {:?}", responses(&mut conn), answer_rows(&mut conn));
        let id = b.id.0.to_string();
        let code = citizen(1).expose().to_owned();
        for personal in [NAME, "Meikäläinen", EMAIL, PHONE, code.as_str(), b.reference.as_str(), id.as_str(), token.as_str()] {
            assert!(!stored.contains(personal), "a response holds `{personal}`: {stored}");
        }
        let stored_ids: Vec<DbId> = responses(&mut conn).into_iter().map(|r| r.0).collect();
        let invitation_ids: Vec<DbId> = invitations(&mut conn).into_iter().map(|r| r.0).collect();
        assert!(stored_ids.iter().all(|r| !invitation_ids.contains(r)), "a response id is an invitation id");
    }

    fn the_pilot_template_is_stored_once(db) {
        let mut conn = db.conn();
        let stored = || -> Vec<(String, i32)> {
            templates::table
                .select((templates::key, templates::version))
                .load(&mut db.conn())
                .unwrap()
        };
        assert_eq!(stored(), [("pilot".to_owned(), 1)], "migrating stored it");
        assert_eq!(questionnaires::template(&mut conn, "pilot", 1).unwrap(), pilot());

        // Replicas starting together each make sure of it.
        let pool = wide_pool(db, 4);
        let results = race(&pool, 4, |conn| questionnaires::ensure_pilot(conn, now()));
        assert!(results.iter().all(Result::is_ok), "{results:?}");
        assert_eq!(stored(), [("pilot".to_owned(), 1)]);

        // A stored version whose content differs from the code's is refused, not overwritten.
        let mut changed = pilot();
        changed.title.en = "Something else".into();
        diesel::update(templates::table.find(("pilot", 1)))
            .set(templates::template.eq(serde_json::to_string(&changed).unwrap()))
            .execute(&mut conn)
            .unwrap();
        let refused = questionnaires::ensure_pilot(&mut conn, now());
        assert!(matches!(refused, Err(StoreError::Conflict(_))), "{refused:?}");
        assert_eq!(questionnaires::template(&mut conn, "pilot", 1).unwrap(), changed);
        let missing = questionnaires::template(&mut conn, "pilot", 2);
        assert!(matches!(missing, Err(StoreError::NotFound(_))), "{missing:?}");
    }
}
