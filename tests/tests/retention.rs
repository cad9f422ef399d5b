//! `aukiolo purge` end to end (DESIGN.md §4.7), on SQLite and PostgreSQL: the real binary
//! seeds the demo's twelve weeks of history, counts with `--dry-run` (changing nothing),
//! then purges with a one-month retention, a cut-off in the middle of the history. Read
//! back by SQL, no personal data of a booking before the cut-off is left in any table, the
//! bookings after it keep theirs, and every metric over the purged period (and the whole
//! history) is the same JSON as before: the rows of `/api/v1/metrics` for several
//! groupings and the comparison, computed by the functions behind them at one instant.

mod common;

use aukiolo_domain::metrics::{self, GroupBy};
use aukiolo_store::schema::{
    booking_events, bookings, idempotency_keys, outbox, questionnaire_invitations, questionnaire_responses,
    response_answers,
};
use aukiolo_store::sql_types::DbTime;
use aukiolo_store::{Backend, DbConnection};
use chrono::{DateTime, Duration, Months, NaiveDate, Utc};
use common::{aukiolo_in, run, DataDir, Finished, COMMAND_TIMEOUT};
use diesel::prelude::*;
use serde_json::{json, Value};

/// A database the binary is pointed at, and how the test reaches the same one.
struct Target {
    dir: DataDir,
    /// `DATABASE_URL` for the binary; none: SQLite in the data dir.
    url: Option<String>,
}

impl Target {
    fn aukiolo(&self, args: &[&str], env: &[(&str, &str)]) -> Finished {
        let mut cmd = aukiolo_in(&self.dir, args);
        if let Some(url) = &self.url {
            cmd.env("DATABASE_URL", url);
        }
        for (key, value) in env {
            cmd.env(key, value);
        }
        run(cmd, "", COMMAND_TIMEOUT)
    }

    fn connect(&self) -> DbConnection {
        let backend = match &self.url {
            Some(url) => Backend::Postgres(url.clone()),
            None => Backend::Sqlite(self.dir.path().join("aukiolo.db")),
        };
        backend.connect().expect("reach the binary's database")
    }
}

/// The groupings compared: none, each dimension, and combinations.
const GROUPINGS: [&str; 9] = [
    "",
    "office",
    "pilot_group",
    "topic",
    "channel",
    "week",
    "office,week",
    "pilot_group,channel",
    "office,topic,channel,week",
];

/// Every metrics row for each grouping and the comparison over `[from, to)` at `now`.
fn metrics_json(conn: &mut DbConnection, from: NaiveDate, to: NaiveDate, now: DateTime<Utc>) -> Value {
    let facts = aukiolo_store::metrics::load(conn, from, to, None, now).expect("metrics facts");
    let rows: Vec<Value> = GROUPINGS
        .iter()
        .map(|g| {
            let group_by = GroupBy::parse(g).expect("a grouping");
            json!({ "group_by": g, "rows": metrics::compute(&facts, group_by) })
        })
        .collect();
    json!({ "rows": rows, "comparison": metrics::compare(&facts, from, to) })
}

/// The command's count lines (`  bookings: 12`), without its header.
fn counts(out: &Finished) -> Vec<String> {
    out.stdout.lines().filter(|l| l.starts_with("  ")).map(str::to_owned).collect()
}

fn count(out: &Finished, kind: &str) -> u64 {
    counts(out)
        .iter()
        .find_map(|l| l.trim().strip_prefix(&format!("{kind}: ")).map(|n| n.parse().expect("a count")))
        .unwrap_or_else(|| panic!("no {kind} in {out}"))
}

/// The binary reads the real clock a moment after the test: a booking within this much
/// after the test's cut-off may be on either side of the binary's.
const MARGIN: Duration = Duration::minutes(10);

/// Bookings before `cutoff` that still hold any personal data, and those from `MARGIN`
/// after it that do.
fn holding_personal_data(conn: &mut DbConnection, cutoff: DateTime<Utc>) -> (i64, i64) {
    let holding = bookings::name
        .ne("")
        .or(bookings::personal_id_enc.ne(""))
        .or(bookings::personal_id_hash.ne(""))
        .or(bookings::email.ne(""))
        .or(bookings::phone.is_not_null())
        .or(bookings::description.ne(""))
        .or(bookings::needs.ne("{}"))
        .or(bookings::cancel_reason.is_not_null())
        .or(bookings::purged_at.is_null());
    let before: i64 = bookings::table
        .filter(bookings::starts_at.lt(DbTime(cutoff)))
        .filter(holding)
        .count()
        .get_result(conn)
        .unwrap();
    let after: i64 = bookings::table
        .filter(bookings::starts_at.ge(DbTime(cutoff + MARGIN)))
        .filter(bookings::name.ne(""))
        .filter(bookings::purged_at.is_null())
        .count()
        .get_result(conn)
        .unwrap();
    (before, after)
}

/// What else held the purged bookings' personal data: event details, idempotency keys,
/// messages (recipients and link tokens), linked invitations, free-text answers of weeks
/// before the cut-off's. All must be zero.
fn leftovers(conn: &mut DbConnection, cutoff: DateTime<Utc>) -> [(&'static str, i64); 5] {
    let purged = || bookings::table.filter(bookings::purged_at.is_not_null()).select(bookings::id);
    let details: i64 = booking_events::table
        .filter(booking_events::booking_id.eq_any(purged()))
        .filter(booking_events::detail.is_not_null())
        .count()
        .get_result(conn)
        .unwrap();
    let keys: i64 = idempotency_keys::table
        .filter(idempotency_keys::booking_id.eq_any(purged()))
        .count()
        .get_result(conn)
        .unwrap();
    let messages: i64 = outbox::table
        .filter(outbox::booking_id.eq_any(purged().select(bookings::id.nullable())))
        .count()
        .get_result(conn)
        .unwrap();
    let invitations: i64 = questionnaire_invitations::table
        .filter(questionnaire_invitations::booking_id.eq_any(purged().select(bookings::id.nullable())))
        .count()
        .get_result(conn)
        .unwrap();
    let week = cutoff.format("%G-W%V").to_string();
    let texts: i64 = response_answers::table
        .inner_join(questionnaire_responses::table)
        .filter(questionnaire_responses::week.lt(week))
        .filter(response_answers::text_value.is_not_null())
        .count()
        .get_result(conn)
        .unwrap();
    [
        ("event details", details),
        ("idempotency keys", keys),
        ("messages", messages),
        ("linked invitations", invitations),
        ("free-text answers", texts),
    ]
}

/// The purge `took` took of each kind what `told` said would go. Each command reads the
/// real clock a moment after the one before, so it may take the odd booking or invitation
/// more that crossed its cut-off in between, never less (crates/store/tests/retention.rs
/// checks equality at one instant).
fn assert_took(told: &dyn Fn(&str) -> u64, took: &Finished) {
    for (kind, _) in aukiolo_store::retention::PurgeReport::default().kinds() {
        let (told, taken) = (told(kind), count(took, kind));
        assert!(told <= taken && taken <= told + 10, "{kind}: {told} told, {taken} taken: {took}");
    }
}

fn purge_the_demo_history(target: &Target) {
    target.aukiolo(&["seed"], &[]).assert_success("seed");
    let short = [("AUKIOLO_RETENTION__BOOKINGS_MONTHS", "1")];
    // The instant every figure is computed at, before and after, and the purge's cut-off
    // as the binary will compute it (a moment later: nothing is booked in between).
    let now = Utc::now();
    let cutoff = now.checked_sub_months(Months::new(1)).expect("a month back");
    let today = now.date_naive();
    let (first, last) = (today - Duration::weeks(13), today + Duration::days(1));
    let periods = [(first, cutoff.date_naive()), (first, last)];

    let mut conn = target.connect();
    let before: Vec<Value> =
        periods.iter().map(|(from, to)| metrics_json(&mut conn, *from, *to, now)).collect();
    let (old, recent) = holding_personal_data(&mut conn, cutoff);
    assert!(old > 500 && recent > 100, "the demo history has bookings on both sides: {old} {recent}");
    assert!(
        before[0]["rows"][0]["rows"][0]["bookings"].as_u64() > Some(0),
        "the purged period has metrics: {:#}",
        before[0]["rows"][0]
    );

    let dry = target.aukiolo(&["purge", "--dry-run"], &short);
    dry.assert_success("purge --dry-run");
    assert!(dry.stdout.contains("would purge (dry run, nothing changed):"), "{dry}");
    assert!(count(&dry, "bookings") > 500, "{dry}");
    assert_eq!(holding_personal_data(&mut conn, cutoff), (old, recent), "a dry run changed bookings");

    let purged = target.aukiolo(&["purge"], &short);
    purged.assert_success("purge");
    assert!(purged.stdout.contains("purged:"), "{purged}");
    assert_took(&|kind| count(&dry, kind), &purged);

    let (old_left, recent_left) = holding_personal_data(&mut conn, cutoff);
    assert_eq!(old_left, 0, "bookings before the cut-off with personal data");
    assert_eq!(recent_left, recent, "bookings after the cut-off lost personal data");
    for (what, n) in leftovers(&mut conn, cutoff) {
        assert_eq!(n, 0, "{what} of purged bookings left");
    }
    for ((from, to), before) in periods.iter().zip(&before) {
        let after = metrics_json(&mut conn, *from, *to, now);
        assert!(after == *before, "metrics over {from}..{to} changed:\nbefore {before:#}\nafter {after:#}");
    }

    let again = target.aukiolo(&["purge"], &short);
    again.assert_success("second purge");
    assert_took(&|_| 0, &again);
}

#[test]
fn a_dry_run_without_a_database_creates_none() {
    let target = Target { dir: DataDir::new(), url: None };
    let dry = target.aukiolo(&["purge", "--dry-run"], &[]);
    dry.assert_failure("a dry run without a database");
    assert!(dry.stderr.contains("no database at"), "{dry}");
    let created: Vec<_> = std::fs::read_dir(target.dir.path()).expect("read the data dir").collect();
    assert!(created.is_empty(), "files created: {created:?}");
}

#[test]
fn purge_keeps_every_metric_of_the_demo_history_on_sqlite() {
    purge_the_demo_history(&Target { dir: DataDir::new(), url: None });
}

#[test]
#[cfg_attr(not(aukiolo_pg_tests), ignore = "PostgreSQL: set AUKIOLO_TEST_DATABASE_URL to run")]
fn purge_keeps_every_metric_of_the_demo_history_on_postgres() {
    let db = aukiolo_store::test_support::TestDb::postgres();
    purge_the_demo_history(&Target { dir: DataDir::new(), url: Some(db.url.clone()) });
}
