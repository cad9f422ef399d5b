//! Slots and availability for one office of 20 advisors over 4 weeks (Mon–Fri
//! 08:00–16:00, 30-minute slots, lunch break): pure generation, the first refresh
//! (inserting every slot), a refresh with nothing to change, reading the office's 4 weeks
//! back, and the citizens' availability query with half the slots booked (DESIGN.md §6:
//! p99 < 10 ms). SQLite always; PostgreSQL when `AUKIOLO_TEST_DATABASE_URL` is set.
//!
//! `cargo bench -p aukiolo-store --bench slots`

use aukiolo_domain::advisor::AdvisorFields;
use aukiolo_domain::calendar::{ScheduleRuleFields, TimeRange};
use aukiolo_domain::office::{Address, OfficeFields, ServiceMode};
use aukiolo_domain::slots::AdvisorCalendar;
use aukiolo_domain::topic::TopicFields;
use aukiolo_domain::TopicId;
use aukiolo_domain::{Channel, LocalisedText, OfficeId};
use aukiolo_store::availability::{self, TimeQuery};
use aukiolo_store::slots::{self, Horizon};
use aukiolo_store::test_support::{TestDb, PG_ENV};
use aukiolo_store::{advisors, offices, DbConnection};
use chrono::{Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use std::time::Instant;

const ADVISORS: usize = 20;
const WEEKS: u32 = 4;
const RUNS: usize = 100;

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn rule(weekday: i16) -> ScheduleRuleFields {
    ScheduleRuleFields {
        advisor_id: aukiolo_domain::AdvisorId::new(),
        weekday,
        start: hm(8, 0),
        end: hm(16, 0),
        channel: Channel::Office,
        slot_minutes: 30,
        breaks: vec![TimeRange { start: hm(12, 0), end: hm(12, 30) }],
        valid_from: None,
        valid_until: None,
    }
}

/// Milliseconds of `f` over `RUNS` runs: (median, p99).
fn time<T>(mut f: impl FnMut() -> T) -> (f64, f64) {
    let mut ms: Vec<f64> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    ms.sort_by(|a, b| a.total_cmp(b));
    (ms[RUNS / 2], ms[RUNS * 99 / 100])
}

fn setup(conn: &mut DbConnection, horizon: &Horizon) -> (OfficeId, TopicId) {
    let topic = aukiolo_store::topics::create(
        conn,
        &TopicFields {
            code: "housing_allowance".into(),
            name: LocalisedText { fi: "Asumistuki".into(), sv: "Bostadsbidrag".into(), en: "Housing".into() },
            duration_minutes: 30,
            channels: vec![Channel::Office, Channel::Phone],
            what_to_bring: LocalisedText { fi: String::new(), sv: String::new(), en: String::new() },
        },
    )
    .unwrap();
    let office = offices::create(
        conn,
        &OfficeFields {
            name: LocalisedText { fi: "Testi".into(), sv: "Test".into(), en: "Test".into() },
            address: Address {
                street: "Katu 1".into(),
                postal_code: "00100".into(),
                municipality: "Helsinki".into(),
            },
            time_zone: "Europe/Helsinki".into(),
            service_mode: ServiceMode::AppointmentOnly,
            pilot_group: "pilot".into(),
            languages: vec!["fi".parse().unwrap()],
            phone: None,
            booking_rules: Default::default(),
            pilot_start: None,
        },
        Utc::now(),
    )
    .unwrap();
    for i in 0..ADVISORS {
        let advisor = advisors::create(
            conn,
            &AdvisorFields {
                office_id: office.id,
                name: format!("Advisor {i}"),
                languages: vec!["fi".parse().unwrap()],
                topic_ids: vec![topic.id],
                channels: vec![Channel::Office],
                active: true,
            },
        )
        .unwrap();
        for weekday in 1..=5 {
            let r = ScheduleRuleFields { advisor_id: advisor.id, ..rule(weekday) };
            // Insert without refreshing: the first refresh is what we measure.
            aukiolo_store::schedule_rules::create(conn, &r, &Horizon { days: 0, ..*horizon }).unwrap();
        }
    }
    // `days: 0` still generates today; clear so the measured refresh starts from nothing.
    diesel::RunQueryDsl::execute(diesel::delete(aukiolo_store::schema::slots::table), conn).unwrap();
    (office.id, topic.id)
}

fn bench_backend(name: &str, db: TestDb, horizon: &Horizon) {
    let mut conn = db.conn();
    let (office, topic) = setup(&mut conn, horizon);
    let t = Instant::now();
    let stats = slots::refresh_office(&mut conn, office, horizon).unwrap();
    let first = t.elapsed().as_secs_f64() * 1000.0;
    let (idle_median, idle_max) = time(|| slots::refresh_office(&mut conn, office, horizon).unwrap());
    let from = horizon.now;
    let to = from + Duration::weeks(i64::from(WEEKS));
    let (read_median, read_max) = time(|| slots::list_for_office(&mut conn, office, from, to).unwrap().len());
    let count = slots::list_for_office(&mut conn, office, from, to).unwrap().len();
    println!("{name}: first refresh of {} slots: {first:.1} ms", stats.created);
    println!("{name}: refresh with nothing to change: median {idle_median:.1} ms, p99 {idle_max:.1} ms");
    println!("{name}: read {count} slots of the office: median {read_median:.1} ms, p99 {read_max:.1} ms");

    // Book every other slot, then ask for the office's free times over the 4 weeks.
    let all = slots::list_for_office(&mut conn, office, from, to).unwrap();
    for slot in all.iter().step_by(2) {
        assert!(slots::claim(&mut conn, slot.id, uuid::Uuid::new_v4()).unwrap());
    }
    let query = TimeQuery {
        topic_id: topic,
        channel: Channel::Office,
        office_id: Some(office),
        advisor_id: None,
        language: "fi".parse().unwrap(),
        from,
        to,
    };
    let free = availability::citizen_times(&mut conn, &query, horizon.now).unwrap().len();
    let (median, p99) = time(|| availability::citizen_times(&mut conn, &query, horizon.now).unwrap().len());
    println!("{name}: availability, 4 weeks, half booked ({free} free times): median {median:.2} ms, p99 {p99:.2} ms");
}

fn main() {
    // A Monday in a week without holidays, fixed so runs compare.
    let now = Utc.with_ymd_and_hms(2027, 9, 5, 21, 0, 0).unwrap();
    let horizon = Horizon::weeks(now, WEEKS);

    let rules: Vec<_> = (1..=5).map(rule).collect();
    let first = NaiveDate::from_ymd_opt(2027, 9, 6).unwrap();
    let last = first + Duration::days(i64::from(WEEKS) * 7 - 1);
    let (median, max) = time(|| {
        (0..ADVISORS)
            .map(|_| {
                AdvisorCalendar {
                    tz: chrono_tz::Europe::Helsinki,
                    rules: &rules,
                    absences: &[],
                    closures: &[],
                }
                .slots(first, last)
                .len()
            })
            .sum::<usize>()
    });
    println!("domain: generate {ADVISORS} advisors x {WEEKS} weeks: median {median:.2} ms, max {max:.2} ms");

    bench_backend("SQLite", TestDb::sqlite(), &horizon);
    if std::env::var_os(PG_ENV).is_some() {
        bench_backend("PostgreSQL", TestDb::postgres(), &horizon);
    } else {
        println!("PostgreSQL: skipped ({PG_ENV} not set)");
    }
}
