//! The facts behind the pilot metrics as read from the database: bookings with their event
//! times, moves, assessments and invitations; walk-ins and slots by the office-local day;
//! responses by week with their counted answers; open times for third next available; and
//! the office scope. Built through the store's own functions (the questionnaire rows
//! directly, as their writer lives elsewhere), on SQLite and PostgreSQL, at fixed instants.

mod common;

use aukiolo_domain::booking::{Action, BookedBy, Booking, BookingStatus, Needs};
use aukiolo_domain::metrics::{self, Facts, GroupBy, InvitationFact, ResponseAnswers, Week};
use aukiolo_domain::office::{Office, OfficeFields};
use aukiolo_domain::personal_id::PersonalId;
use aukiolo_domain::staff::Role;
use aukiolo_domain::visit::{Assessment, OtherChannel, Segment, WalkInOutcome};
use aukiolo_domain::{Channel, Locale, OfficeId, StaffUserId, TopicId};
use aukiolo_store::availability::{RulesApply, TimeQuery};
use aukiolo_store::bookings::{self, Actor, Booked, NewBooking};
use aukiolo_store::personal_data::PersonalDataKeys;
use aukiolo_store::schema::{questionnaire_invitations, questionnaire_responses, response_answers};
use aukiolo_store::slots::Horizon;
use aukiolo_store::sql_types::{DbId, DbTime};
use aukiolo_store::staff::{self, NewStaffUser};
use aukiolo_store::{offices, visits, DbConnection};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use common::*;
use diesel::prelude::*;

/// Monday 6 September 2027 (ISO week 36); the pilot office switches on Wednesday 15th.
fn monday() -> NaiveDate {
    day(2027, 9, 6)
}

fn on(n: i64) -> NaiveDate {
    monday() + Duration::days(n)
}

/// The metrics are read on Monday 20 September at 08:00 in Helsinki.
fn read_at() -> DateTime<Utc> {
    local(on(14), 8, 0)
}

fn keys() -> PersonalDataKeys {
    PersonalDataKeys::from_secret(b"metrics test secret")
}

/// A valid identity code for citizen `n` (see the booking tests).
fn citizen(n: u32) -> PersonalId {
    let individual = n + 2;
    let check = b"0123456789ABCDEFHJKLMNPRSTUVWXY"[((10_190_000 + individual) % 31) as usize];
    PersonalId::parse(&format!("010190-{individual:03}{}", check as char)).expect("valid identity code")
}

struct World {
    pilot: Office,
    control: Office,
    topic: TopicId,
    staff: StaffUserId,
}

fn office(conn: &mut DbConnection, name: &str, group: &str, pilot_start: Option<NaiveDate>) -> Office {
    let fields = OfficeFields {
        pilot_group: group.into(),
        pilot_start,
        booking_rules: open_rules(),
        ..office_fields(name)
    };
    offices::create(conn, &fields, written_at()).expect("create office")
}

/// Two offices with one advisor each on the standard template for four weeks from
/// `monday()`, one topic, one staff member.
fn world(conn: &mut DbConnection) -> World {
    let horizon = Horizon { now: local(monday(), 0, 0), days: 28 };
    let topic = create_topic(conn, "pensions").id;
    let pilot = office(conn, "Kamppi", "pilot", Some(on(9)));
    let control = office(conn, "Tikkurila", "control", None);
    for o in [&pilot, &control] {
        create_serving_advisor(conn, o.id, &[topic], Channel::Office, &horizon);
    }
    let new = NewStaffUser {
        email: "advisor@aukiolo.test",
        password_hash: "not used",
        role: Role::Advisor,
        office_id: Some(pilot.id),
        advisor_id: None,
    };
    let staff = staff::create(conn, &new, written_at()).expect("create staff").id;
    World { pilot, control, topic, staff }
}

/// Books citizen `n` at `office` at `start`, as of `at`.
fn book(
    w: &World,
    conn: &mut DbConnection,
    office: OfficeId,
    start: DateTime<Utc>,
    at: DateTime<Utc>,
    n: u32,
    by: BookedBy,
) -> Booking {
    let query = TimeQuery {
        topic_id: w.topic,
        channel: Channel::Office,
        office_id: Some(office),
        advisor_id: None,
        language: "fi".parse().unwrap(),
        from: start,
        to: start + Duration::minutes(1),
    };
    let new = NewBooking {
        query,
        start,
        locale: Locale::Fi,
        name: "Matti Meikäläinen".into(),
        personal_id: citizen(n),
        email: "matti@example.fi".into(),
        phone: None,
        description: "Eläkehakemus".into(),
        needs: Needs::default(),
        booked_by: by,
    };
    let actor = if by == BookedBy::CitizenSelf { Actor::Citizen } else { Actor::Staff(w.staff) };
    match bookings::book(conn, &keys(), &new, None, actor, at, RulesApply::StaffOverride) {
        Ok(Booked::Created(b)) => b,
        other => panic!("booking failed: {other:?}"),
    }
}

fn act(w: &World, conn: &mut DbConnection, b: &Booking, action: Action, at: DateTime<Utc>) {
    bookings::transition(conn, &keys(), b.id, action, None, Actor::Staff(w.staff), at).expect("transition");
}

fn assess(
    w: &World,
    conn: &mut DbConnection,
    b: &Booking,
    resolved_at_once: bool,
    other_channel: OtherChannel,
) {
    let a = Assessment {
        resolved_at_once,
        segment: Segment::Occasional,
        other_channel,
        personal_service_reasons: Vec::new(),
        other_channels_discussed: false,
    };
    visits::assess(conn, b.id, w.staff, &a, b.end).expect("assess");
}

fn walk_in(w: &World, conn: &mut DbConnection, office: OfficeId, outcome: WalkInOutcome, at: DateTime<Utc>) {
    let new = visits::NewWalkIn { office, topic: w.topic, outcome, booking_reference: None };
    visits::log_walk_in(conn, &new, w.staff, at).expect("walk-in");
}

fn invite(conn: &mut DbConnection, b: &Booking, answered: Option<DateTime<Utc>>) {
    let sent = b.end + Duration::hours(1);
    // Completing the visit invited already; this test decides when and whether it was answered.
    diesel::delete(
        questionnaire_invitations::table.filter(questionnaire_invitations::booking_id.eq(DbId::from(b.id))),
    )
    .execute(conn)
    .expect("replace the invitation");
    diesel::insert_into(questionnaire_invitations::table)
        .values((
            questionnaire_invitations::id.eq(DbId(uuid::Uuid::new_v4())),
            questionnaire_invitations::booking_id.eq(DbId::from(b.id)),
            questionnaire_invitations::questionnaire_key.eq("pilot"),
            questionnaire_invitations::questionnaire_version.eq(1),
            questionnaire_invitations::token_hash.eq(uuid::Uuid::new_v4().to_string()),
            questionnaire_invitations::created_at.eq(DbTime(sent)),
            questionnaire_invitations::expires_at.eq(DbTime(sent + Duration::days(14))),
            questionnaire_invitations::answered_at.eq(answered.map(DbTime)),
        ))
        .execute(conn)
        .expect("invite");
}

/// A stored response of `office` in `week` with scores, a preference, known channels and
/// a comment (which the metrics must not read).
fn respond(
    conn: &mut DbConnection,
    office: &Office,
    topic: TopicId,
    week: &str,
    scores: (i32, i32, i32),
    known: &[&str],
) {
    let id = DbId(uuid::Uuid::new_v4());
    diesel::insert_into(questionnaire_responses::table)
        .values((
            questionnaire_responses::id.eq(id),
            questionnaire_responses::questionnaire_key.eq("pilot"),
            questionnaire_responses::questionnaire_version.eq(1),
            questionnaire_responses::office_id.eq(DbId::from(office.id)),
            questionnaire_responses::topic_id.eq(DbId::from(topic)),
            questionnaire_responses::channel.eq("office"),
            questionnaire_responses::week.eq(week),
            questionnaire_responses::pilot_group.eq(&office.fields.pilot_group),
            questionnaire_responses::booking_mode.eq("self_service"),
        ))
        .execute(conn)
        .expect("response");
    let score = |key: &str, s: i32| {
        (
            response_answers::response_id.eq(id),
            response_answers::question_key.eq(key.to_owned()),
            response_answers::score.eq(Some(s)),
        )
    };
    for (key, s) in [("satisfaction", scores.0), ("recommend", scores.1), ("effort", scores.2)] {
        diesel::insert_into(response_answers::table).values(score(key, s)).execute(conn).expect("score");
    }
    diesel::insert_into(response_answers::table)
        .values((
            response_answers::response_id.eq(id),
            response_answers::question_key.eq("preference"),
            response_answers::choice.eq(Some("appointment")),
        ))
        .execute(conn)
        .expect("choice");
    diesel::insert_into(response_answers::table)
        .values((
            response_answers::response_id.eq(id),
            response_answers::question_key.eq("channels_known"),
            response_answers::choices.eq(Some(serde_json::to_string(known).unwrap())),
        ))
        .execute(conn)
        .expect("choices");
    diesel::insert_into(response_answers::table)
        .values((
            response_answers::response_id.eq(id),
            response_answers::question_key.eq("comments"),
            response_answers::text_value.eq(Some("Kiitos")),
        ))
        .execute(conn)
        .expect("text");
}

/// The bookings and their stories:
/// - p1 (pilot, Tue 7th 09:00, booked the day before by the citizen): arrived 08:55,
///   started 09:05, completed 09:25; resolved at once, e-service would have done; the
///   invitation answered.
/// - p2 (pilot, Wed 8th 10:00, booked two days before by an advisor): no-show.
/// - p3 (pilot, Thu 16th 09:00, booked Wed 15th 09:00): cancelled by the citizen 20:00 the
///   evening before.
/// - p4 (pilot, Fri 17th 09:00, booked Mon 13th): moved on Tue 14th to 10:00 (p5).
/// - c1 (control, Tue 7th 09:00, booked as a walk-in the same morning): completed.
struct Story {
    p1: Booking,
    p2: Booking,
    p3: Booking,
    p4: Booking,
    p5: Booking,
    c1: Booking,
}

fn story(w: &World, conn: &mut DbConnection) -> Story {
    let (p, c) = (w.pilot.id, w.control.id);
    let p1 = book(w, conn, p, local(on(1), 9, 0), local(on(0), 9, 0), 1, BookedBy::CitizenSelf);
    act(w, conn, &p1, Action::Arrive, local(on(1), 8, 55));
    act(w, conn, &p1, Action::Start, local(on(1), 9, 5));
    act(w, conn, &p1, Action::Complete, local(on(1), 9, 25));
    assess(w, conn, &p1, true, OtherChannel::EService);
    invite(conn, &p1, Some(local(on(2), 12, 0)));
    let p2 = book(w, conn, p, local(on(2), 10, 0), local(on(0), 10, 0), 2, BookedBy::Advisor);
    act(w, conn, &p2, Action::NoShow, local(on(2), 10, 20));
    let p3 = book(w, conn, p, local(on(10), 9, 0), local(on(9), 9, 0), 3, BookedBy::CitizenSelf);
    bookings::transition(
        conn,
        &keys(),
        p3.id,
        Action::CancelByCitizen,
        None,
        Actor::Citizen,
        local(on(9), 20, 0),
    )
    .expect("cancel");
    let p4 = book(w, conn, p, local(on(11), 9, 0), local(on(7), 9, 0), 4, BookedBy::CitizenSelf);
    let p5 = bookings::reschedule(
        conn,
        &keys(),
        p4.id,
        local(on(11), 10, 0),
        Actor::Citizen,
        local(on(8), 9, 0),
        RulesApply::Yes,
    )
    .expect("move");
    let c1 = book(w, conn, c, local(on(1), 9, 0), local(on(1), 8, 0), 5, BookedBy::WalkIn);
    act(w, conn, &c1, Action::Arrive, local(on(1), 8, 50));
    act(w, conn, &c1, Action::Start, local(on(1), 9, 10));
    act(w, conn, &c1, Action::Complete, local(on(1), 9, 40));
    Story { p1, p2, p3, p4, p5, c1 }
}

fn load(conn: &mut DbConnection, office: Option<OfficeId>) -> Facts {
    aukiolo_store::metrics::load(conn, monday(), on(14), office, read_at()).expect("load facts")
}

aukiolo_store::backend_tests! {
    fn bookings_with_their_events_moves_assessments_and_invitations(db) {
        let mut conn = db.conn();
        let w = world(&mut conn);
        let s = story(&w, &mut conn);
        let facts = load(&mut conn, None);

        let offices: Vec<_> = facts.offices.iter().map(|o| (o.id, o.pilot_group.as_str(), o.pilot_start)).collect();
        assert_eq!(offices, [(w.pilot.id, "pilot", Some(on(9))), (w.control.id, "control", None)]);
        assert_eq!(facts.now, read_at());
        let starts: Vec<_> = facts.bookings.iter().map(|b| b.start).collect();
        assert_eq!(starts, [s.p1.start, s.c1.start, s.p2.start, s.p3.start, s.p4.start, s.p5.start]);
        let of = |b: &Booking| facts.bookings.iter().find(|f| f.start == b.start && f.office == b.office_id && f.created_at == b.created_at).expect("fact");

        let p1 = of(&s.p1);
        assert_eq!((p1.office, p1.pilot_group.as_str(), p1.topic, p1.channel), (w.pilot.id, "pilot", w.topic, Channel::Office));
        assert_eq!((p1.date, p1.booked_by, p1.status, p1.moved), (on(1), BookedBy::CitizenSelf, BookingStatus::Completed, false));
        assert_eq!((p1.created_at, p1.start), (local(on(0), 9, 0), local(on(1), 9, 0)));
        assert_eq!(
            (p1.arrived_at, p1.in_service_at, p1.completed_at, p1.cancelled_at),
            (Some(local(on(1), 8, 55)), Some(local(on(1), 9, 5)), Some(local(on(1), 9, 25)), None)
        );
        let a = p1.assessment.as_ref().expect("an assessment");
        assert_eq!((a.resolved_at_once, a.other_channel), (true, OtherChannel::EService));
        assert_eq!(p1.invitation, Some(InvitationFact { sent_at: s.p1.end + Duration::hours(1), answered: true }));

        let p2 = of(&s.p2);
        assert_eq!((p2.status, p2.booked_by, p2.assessment.clone(), p2.invitation), (BookingStatus::NoShow, BookedBy::Advisor, None, None));
        let p3 = of(&s.p3);
        assert_eq!((p3.status, p3.cancelled_at), (BookingStatus::CancelledByCitizen, Some(local(on(9), 20, 0))));
        let p4 = of(&s.p4);
        assert_eq!((p4.status, p4.moved, p4.cancelled_at), (BookingStatus::CancelledByCitizen, true, Some(local(on(8), 9, 0))));
        let p5 = of(&s.p5);
        assert_eq!((p5.status, p5.moved, p5.created_at), (BookingStatus::Booked, false, local(on(8), 9, 0)));
        assert_eq!(of(&s.c1).booked_by, BookedBy::WalkIn);

        // The same figures end to end: six bookings, five counted (p4 moved); outcomes p1,
        // p2, c1 with one no-show; p5 past and unrecorded; p3 cancelled late.
        let row = &metrics::compute(&facts, GroupBy::default())[0];
        assert_eq!(row.bookings, 5);
        assert_eq!((row.no_show.numerator, row.no_show.denominator), (Some(1), Some(3)));
        assert_eq!(row.outcome_unrecorded, 1);
        assert_eq!((row.late_cancellation.numerator, row.late_cancellation.denominator), (Some(1), Some(5)));
        assert_eq!((row.waiting_minutes.n, row.waiting_minutes.median), (2, Some(15.0)));
        // p1 answered; c1's completed visit was invited on completion and has not answered.
        assert_eq!((row.response_rate.numerator, row.response_rate.denominator), (Some(1), Some(2)));
    }

    fn walk_ins_and_slots_by_the_office_local_day(db) {
        let mut conn = db.conn();
        let w = world(&mut conn);
        let s = story(&w, &mut conn);
        let (p, c) = (w.pilot.id, w.control.id);
        walk_in(&w, &mut conn, p, WalkInOutcome::BookedNow, local(on(1), 10, 0));
        // 23:30 on the last day is in the period; 00:30 the next day (still the 19th in
        // UTC) and 23:30 the day before the first are not.
        walk_in(&w, &mut conn, c, WalkInOutcome::Left, local(on(13), 23, 30));
        walk_in(&w, &mut conn, c, WalkInOutcome::Left, local(on(14), 0, 30));
        walk_in(&w, &mut conn, c, WalkInOutcome::Left, local(on(-1), 23, 30));
        let facts = load(&mut conn, None);
        let walk_ins: Vec<_> = facts.walk_ins.iter().map(|f| (f.office, f.date, f.outcome)).collect();
        assert_eq!(walk_ins, [(p, on(1), WalkInOutcome::BookedNow), (c, on(13), WalkInOutcome::Left)]);

        // Ten weekdays of 15 half-hour slots at each office; booked: p1, p2, p5 and c1 (p3
        // and p4 gave theirs back).
        assert_eq!(facts.capacity.len(), 20);
        let day = |office: OfficeId, d: NaiveDate| {
            let f = facts.capacity.iter().find(|f| f.office == office && f.date == d).expect("a day of capacity");
            (f.published_slots, f.booked_slots, f.published_minutes, f.booked_minutes)
        };
        assert_eq!(day(p, on(1)), (15, 1, 450, 30));
        assert_eq!(day(p, on(10)), (15, 0, 450, 0));
        assert_eq!(day(p, on(11)), (15, 1, 450, 30));
        assert_eq!(day(c, on(1)), (15, 1, 450, 30));
        assert!(facts.capacity.iter().all(|f| f.channel == Channel::Office && f.date >= monday() && f.date < on(14)));
        let booked: u64 = facts.capacity.iter().map(|f| f.booked_slots).sum();
        assert_eq!(booked, 4, "{:?}", (s.p3.status, s.p4.status));

        // Open times from Monday 20th 08:00: each advisor's next three, 08:00, 08:30, 09:00.
        let access: Vec<_> = facts.access.iter().map(|a| (a.office, a.topic, a.channel, a.open_starts.clone())).collect();
        let next = vec![local(on(14), 8, 0), local(on(14), 8, 30), local(on(14), 9, 0)];
        assert_eq!(access.len(), 2);
        assert!(access.contains(&(p, w.topic, Channel::Office, next.clone())));
        assert!(access.contains(&(c, w.topic, Channel::Office, next)));
        let row = &metrics::compute(&facts, GroupBy::parse("office").unwrap())[0];
        assert_eq!(row.third_next_available_hours.value, Some(1.0));
    }

    fn responses_by_week_without_free_text(db) {
        let mut conn = db.conn();
        let w = world(&mut conn);
        for i in 0..5 {
            respond(&mut conn, &w.pilot, w.topic, "2027-W36", (4, 9 + i % 2, 6), &["online"]);
        }
        respond(&mut conn, &w.pilot, w.topic, "2027-W37", (2, 3, 1), &[]);
        for _ in 0..3 {
            respond(&mut conn, &w.control, w.topic, "2027-W37", (5, 10, 7), &["online", "chat"]);
        }
        // Weeks whose Monday lies outside the period.
        respond(&mut conn, &w.pilot, w.topic, "2027-W35", (1, 1, 1), &[]);
        respond(&mut conn, &w.pilot, w.topic, "2027-W38", (1, 1, 1), &[]);

        let facts = load(&mut conn, None);
        assert_eq!(facts.responses.len(), 9);
        let weeks: Vec<String> = facts.responses.iter().map(|r| r.week.to_string()).collect();
        assert_eq!(weeks.iter().filter(|w| *w == "2027-W36").count(), 5);
        let first = &facts.responses[0];
        assert_eq!((first.office, first.pilot_group.as_str(), first.topic, first.channel), (w.pilot.id, "pilot", w.topic, Channel::Office));
        assert_eq!(first.week, Week::parse("2027-W36").unwrap());
        let a = &first.answers;
        assert_eq!((a.satisfaction, a.effort, a.preference.as_deref(), a.could_online.as_deref()), (Some(4), Some(6), Some("appointment"), None));
        assert_eq!(a.channels_known, Some(vec!["online".to_owned()]));
        let none_known = facts.responses.iter().find(|r| r.week.to_string() == "2027-W37" && r.office == w.pilot.id).unwrap();
        assert_eq!(none_known.answers, ResponseAnswers {
            satisfaction: Some(2),
            recommend: Some(3),
            effort: Some(1),
            preference: Some("appointment".into()),
            channels_known: Some(Vec::new()),
            could_online: None,
        });

        // Grouped by office and week: every week is withheld (both offices' weeks have rows,
        // from their slots), the pilot's first week with five responses too, or the office's
        // six less its five would give the second week's one.
        let rows = metrics::compute(&facts, GroupBy::parse("office,week").unwrap());
        let mut shown: Vec<(bool, String, u64, bool)> = rows
            .iter()
            .map(|r| (r.group.office == Some(w.pilot.id), r.group.week.unwrap().to_string(), r.responses, r.nps.value.is_some()))
            .collect();
        shown.sort();
        assert_eq!(
            shown,
            [
                (false, "2027-W36".into(), 0, false),
                (false, "2027-W37".into(), 3, false),
                (true, "2027-W36".into(), 5, false),
                (true, "2027-W37".into(), 1, false),
            ]
        );
        let first_week = rows.iter().find(|r| r.group.office == Some(w.pilot.id) && r.responses == 5).unwrap();
        assert_eq!(first_week.nps.withheld, Some(metrics::complementary()));
    }

    fn an_office_sees_only_its_own_facts(db) {
        let mut conn = db.conn();
        let w = world(&mut conn);
        story(&w, &mut conn);
        respond(&mut conn, &w.pilot, w.topic, "2027-W36", (4, 9, 6), &["online"]);
        respond(&mut conn, &w.control, w.topic, "2027-W36", (4, 9, 6), &["online"]);
        walk_in(&w, &mut conn, w.pilot.id, WalkInOutcome::Left, local(on(1), 10, 0));

        let facts = load(&mut conn, Some(w.control.id));
        assert_eq!(facts.offices.iter().map(|o| o.id).collect::<Vec<_>>(), [w.control.id]);
        assert_eq!(facts.bookings.len(), 1);
        assert!(facts.bookings.iter().all(|b| b.office == w.control.id));
        assert!(facts.walk_ins.is_empty());
        assert_eq!(facts.responses.len(), 1);
        assert!(facts.capacity.iter().all(|c| c.office == w.control.id));
        assert_eq!(facts.access.len(), 1);
        assert_eq!((facts.access[0].office, facts.access[0].open_starts.len()), (w.control.id, 3));

        // An empty period reads nothing but the offices.
        let empty = aukiolo_store::metrics::load(&mut conn, day(2030, 1, 1), day(2030, 2, 1), None, read_at()).unwrap();
        assert!(empty.bookings.is_empty() && empty.walk_ins.is_empty() && empty.responses.is_empty() && empty.capacity.is_empty());
        assert_eq!(empty.offices.len(), 2);
    }
}
