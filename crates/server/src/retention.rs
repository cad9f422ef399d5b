//! Retention in the binary (DESIGN.md §4.7): `aukiolo purge [--dry-run]`, and the daily
//! purge inside `serve`. What goes and how is `aukiolo_store::retention`; this module
//! chooses when, from the clock it is given, and tells the operator counts only (never
//! anything of the data itself).

use crate::config::RetentionSettings;
use anyhow::Result;
use aukiolo_store::clock::Clock;
use aukiolo_store::retention::{self, Cutoffs, PurgeReport};
use aukiolo_store::Pool;
use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// `aukiolo purge`: purges (or with `dry_run` counts) once, as of `clock`, and prints the
/// cut-offs and what went per kind.
pub fn run_once(pool: &Pool, clock: &Clock, settings: &RetentionSettings, dry_run: bool) -> Result<()> {
    let cutoffs = Cutoffs::at(clock.now(), &settings.periods())?;
    println!(
        "retention: bookings' personal data before {} ({} months), audit entries before {} ({} months), \
         settled messages before {} ({} days)",
        seconds(cutoffs.bookings),
        settings.bookings_months,
        seconds(cutoffs.audit),
        settings.audit_months,
        seconds(cutoffs.outbox),
        settings.outbox_days
    );
    let mut conn = pool.get()?;
    let report = if dry_run {
        retention::plan(&mut conn, &cutoffs)?
    } else {
        match retention::purge_alone(&mut conn, &cutoffs)? {
            Some(report) => report,
            None => {
                println!("another process is purging this database now; nothing done");
                return Ok(());
            }
        }
    };
    println!("{}", if dry_run { "would purge (dry run, nothing changed):" } else { "purged:" });
    for (kind, count) in report.kinds() {
        println!("  {kind}: {count}");
    }
    Ok(())
}

fn seconds(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Purges once a day at `settings.daily_at` on the wall clock of `settings.time_zone`,
/// for as long as `serve` runs. On PostgreSQL a replica that finds another one purging
/// leaves it to that one.
pub async fn purge_daily(pool: Pool, clock: Clock, settings: RetentionSettings) {
    let (at, zone) = match (settings.daily_at(), settings.time_zone()) {
        (Ok(at), Ok(zone)) => (at, zone),
        // `Settings::load` checked both; this is only a guard.
        _ => return tracing::error!("retention: bad daily_at or time_zone; no daily purge"),
    };
    let periods = settings.periods();
    let mut after = clock.now();
    loop {
        let next = next_run(after, at, zone);
        let wait = (next - clock.now()).to_std().unwrap_or_default();
        actix_web::rt::time::sleep(wait).await;
        after = next;
        let (pool, now) = (pool.clone(), clock.now().max(next));
        let outcome = actix_web::web::block(move || -> Result<Option<PurgeReport>> {
            let mut conn = pool.get()?;
            Ok(retention::purge_alone(&mut conn, &Cutoffs::at(now, &periods)?)?)
        })
        .await;
        match outcome {
            Ok(Ok(Some(report))) => log(&report),
            Ok(Ok(None)) => tracing::info!("retention: another replica is purging; skipped"),
            Ok(Err(e)) => tracing::error!(error = %e, "retention: purge failed"),
            Err(e) => tracing::error!(error = %e, "retention: purge did not run"),
        }
    }
}

fn log(r: &PurgeReport) {
    tracing::info!(
        bookings = r.bookings,
        event_details = r.event_details,
        idempotency_keys = r.idempotency_keys,
        booking_messages = r.booking_messages,
        invitations_unlinked = r.invitations_unlinked,
        settled_messages = r.settled_messages,
        audit_entries = r.audit_entries,
        answer_texts = r.answer_texts,
        "retention: purged"
    );
}

/// The first instant after `after` whose wall clock in `zone` shows `at`. On the day a
/// DST change skips `at` (spring forward), the first instant after the gap; when `at`
/// occurs twice (fall back), the earlier.
pub fn next_run(after: DateTime<Utc>, at: NaiveTime, zone: Tz) -> DateTime<Utc> {
    let mut day = after.with_timezone(&zone).date_naive();
    loop {
        let wall = day.and_time(at);
        // A gap lasts at most a few hours: the first wall-clock time after it that exists.
        let instant = (0..=24 * 60)
            .find_map(|m| zone.from_local_datetime(&(wall + Duration::minutes(m))).earliest())
            .map(|t| t.with_timezone(&Utc));
        if let Some(instant) = instant.filter(|t| *t > after) {
            return instant;
        }
        day = day.succ_opt().unwrap_or(day);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Helsinki;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn half_past_three() -> NaiveTime {
        NaiveTime::from_hms_opt(3, 30, 0).unwrap()
    }

    #[test]
    fn the_next_run_is_today_or_tomorrow_at_the_wall_clock_time() {
        // 10:00 in Helsinki (UTC+2): tomorrow 03:30 = 01:30 UTC.
        assert_eq!(
            next_run(utc("2026-12-01T08:00:00Z"), half_past_three(), Helsinki),
            utc("2026-12-02T01:30:00Z")
        );
        // 01:00 in Helsinki: today.
        assert_eq!(
            next_run(utc("2026-11-30T23:00:00Z"), half_past_three(), Helsinki),
            utc("2026-12-01T01:30:00Z")
        );
        // Exactly at the time: the next day, so a run never repeats itself.
        assert_eq!(
            next_run(utc("2026-12-01T01:30:00Z"), half_past_three(), Helsinki),
            utc("2026-12-02T01:30:00Z")
        );
        // Summer time (UTC+3).
        assert_eq!(
            next_run(utc("2027-06-20T20:30:00Z"), half_past_three(), Helsinki),
            utc("2027-06-21T00:30:00Z")
        );
    }

    #[test]
    fn dst_changes_neither_skip_nor_double_a_run() {
        // Sunday 28 March 2027: 03:00 becomes 04:00, so 03:30 does not exist; the run is
        // at 04:00 summer time (01:00 UTC).
        assert_eq!(
            next_run(utc("2027-03-27T12:00:00Z"), half_past_three(), Helsinki),
            utc("2027-03-28T01:00:00Z")
        );
        // Sunday 31 October 2027: 04:00 becomes 03:00, so 03:30 happens twice; the earlier
        // (summer time, 00:30 UTC) runs, the later does not.
        let first = next_run(utc("2027-10-30T12:00:00Z"), half_past_three(), Helsinki);
        assert_eq!(first, utc("2027-10-31T00:30:00Z"));
        assert_eq!(next_run(first, half_past_three(), Helsinki), utc("2027-11-01T01:30:00Z"));
    }

    fn old_sent_message(db: &aukiolo_store::test_support::TestDb) -> aukiolo_domain::MessageId {
        use aukiolo_store::outbox::{self, NewMessage, Payload};
        let old = utc("2026-09-01T08:00:00Z");
        let message = NewMessage {
            kind: aukiolo_domain::outbox::MessageKind::Confirmation,
            booking_id: None,
            recipient: "citizen@example.fi".into(),
            locale: aukiolo_domain::Locale::Fi,
            payload: Payload::default(),
            due_at: old,
        };
        let mut conn = db.conn();
        let id = outbox::enqueue(&mut conn, &message, old).expect("a message");
        outbox::mark_sent(&mut conn, &[id], old).expect("sent");
        id
    }

    aukiolo_store::backend_tests! {
        async fn serve_purges_at_the_daily_time(db) {
            let id = old_sent_message(db);
            let settings = RetentionSettings {
                bookings_months: 24,
                audit_months: 36,
                outbox_days: 90,
                run_in_serve: true,
                daily_at: "03:30".into(),
                time_zone: "Europe/Helsinki".into(),
            };
            // 03:29:59 in Helsinki, by a clock that stands still: the purge is due in a second.
            let clock = Clock::manual(utc("2027-01-12T01:29:59Z"));
            let daily = actix_web::rt::spawn(purge_daily(db.pool.clone(), clock, settings));
            let still_there = || aukiolo_store::outbox::get(&mut db.conn(), id).is_ok();
            assert!(still_there(), "purged before its time");
            let waited = std::time::Instant::now();
            while still_there() && waited.elapsed() < std::time::Duration::from_secs(20) {
                actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            daily.abort();
            assert!(!still_there(), "the message sent 90 days before was not purged at 03:30");
        }
    }
}
