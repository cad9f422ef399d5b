//! How much one client may ask of the public endpoints: booking attempts per client
//! address and per person, availability and lost-link requests per address (DESIGN §4.8).
//!
//! Counted in fixed windows in memory, so the check on a request costs no database round
//! trip, and shared between replicas through the `rate_counts` table: every replica adds
//! what it counted since its last flush and reads back the total of all replicas
//! ([`RateLimiter::sync`], every `sync_interval` in `serve`), of the clients it counted
//! itself and of every client that all replicas together have counted to a quarter of a
//! limit. A replica therefore decides on everyone's count as of its last sync plus its
//! own since, and several replicas together let through at most the limit plus what the
//! *other* replicas counted for that client within one sync interval (plus, for a client
//! new to a replica, a quarter of the limit). With the default quarter second and two
//! replicas, a client sending 60 bookings a second gets about 15 past a limit of 30
//! before every replica refuses it. The counts also survive a restart.

use crate::schema::rate_counts;
use crate::{DbConnection, Result};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::upsert::excluded;
use serde::Deserialize;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};

/// At most `max` requests per `window_seconds`; `max = 0` turns the limit off.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    pub max: i64,
    pub window_seconds: i64,
}

impl Limit {
    pub const UNLIMITED: Limit = Limit { max: 0, window_seconds: 60 };

    fn window(self) -> i64 {
        self.window_seconds.max(1)
    }
}

/// What is counted, each under its own limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Counted {
    /// `POST` of a new booking (API and pages), per client address.
    BookingsByAddress,
    /// The same, per person: the identity code's look-up hash, never the code.
    BookingsByPerson,
    /// Free-time look-ups (API and the time page), per client address.
    AvailabilityByAddress,
    /// "I lost my link" requests, per client address.
    LostLinksByAddress,
}

impl Counted {
    pub const ALL: [Counted; 4] = [
        Counted::BookingsByAddress,
        Counted::BookingsByPerson,
        Counted::AvailabilityByAddress,
        Counted::LostLinksByAddress,
    ];

    /// The limit's name in `[limits]`, which the operators' metrics use too.
    pub fn setting(self) -> &'static str {
        match self {
            Counted::BookingsByAddress => "bookings_per_address",
            Counted::BookingsByPerson => "bookings_per_person",
            Counted::AvailabilityByAddress => "availability_per_address",
            Counted::LostLinksByAddress => "lost_links_per_address",
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            Counted::BookingsByAddress => "booking:address",
            Counted::BookingsByPerson => "booking:person",
            Counted::AvailabilityByAddress => "availability:address",
            Counted::LostLinksByAddress => "lost-link:address",
        }
    }
}

/// The limits, from the configuration's `[limits]` section.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RateLimits {
    pub bookings_per_address: Limit,
    pub bookings_per_person: Limit,
    pub availability_per_address: Limit,
    pub lost_links_per_address: Limit,
}

impl RateLimits {
    /// No limits: what tests and tools that build the application themselves start from.
    pub const UNLIMITED: RateLimits = RateLimits {
        bookings_per_address: Limit::UNLIMITED,
        bookings_per_person: Limit::UNLIMITED,
        availability_per_address: Limit::UNLIMITED,
        lost_links_per_address: Limit::UNLIMITED,
    };

    fn of(&self, what: Counted) -> Limit {
        match what {
            Counted::BookingsByAddress => self.bookings_per_address,
            Counted::BookingsByPerson => self.bookings_per_person,
            Counted::AvailabilityByAddress => self.availability_per_address,
            Counted::LostLinksByAddress => self.lost_links_per_address,
        }
    }
}

/// The limit is reached; the window ends in this many seconds (at least 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refused {
    pub retry_after_secs: u64,
}

/// A number of hits of one counter key in the window starting at a second.
type Tally = ((String, i64), i64);

#[derive(Clone, Copy, Debug, Default)]
struct Count {
    /// Every replica's hits as of this replica's last flush (its own included).
    shared: i64,
    /// This replica's hits since then.
    pending: i64,
}

/// One replica's counts; share one per process (`Arc`).
#[derive(Debug)]
pub struct RateLimiter {
    limits: RateLimits,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// By counter key and window start.
    counts: HashMap<(String, i64), Count>,
    /// When ended windows last left the table.
    pruned_at: i64,
}

impl RateLimiter {
    pub fn new(limits: RateLimits) -> Self {
        RateLimiter { limits, state: Mutex::new(State::default()) }
    }

    pub fn limits(&self) -> &RateLimits {
        &self.limits
    }

    /// Counts one request by `key` unless the limit is reached. Refused requests are not
    /// counted, so a client that keeps trying is let in again when the window ends.
    pub fn check(&self, what: Counted, key: &str, now: DateTime<Utc>) -> Result<(), Refused> {
        let limit = self.limits.of(what);
        if limit.max <= 0 {
            return Ok(());
        }
        let window = limit.window();
        let start = now.timestamp().div_euclid(window) * window;
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let count = state.counts.entry((format!("{}:{key}", what.prefix()), start)).or_default();
        if count.shared + count.pending >= limit.max {
            let retry_after_secs = (start + window - now.timestamp()).max(1) as u64;
            crate::telemetry::refused(crate::telemetry::Refusal::RateLimit(what.setting()));
            return Err(Refused { retry_after_secs });
        }
        count.pending += 1;
        Ok(())
    }

    /// Adds this replica's new hits to the shared counts and takes back every replica's
    /// totals, of the clients it counted and of every client near a limit; forgets
    /// windows that have ended, here and (once a minute) in the table.
    pub fn sync(&self, conn: &mut DbConnection, now: DateTime<Utc>) -> Result<()> {
        let limited: Vec<(Counted, Limit)> =
            Counted::ALL.into_iter().map(|c| (c, self.limits.of(c))).filter(|(_, l)| l.max > 0).collect();
        if limited.is_empty() {
            return Ok(());
        }
        let oldest_live = now.timestamp() - self.longest_window();
        let (flush, prune) = self.take_pending(now, oldest_live);
        let totals = if flush.is_empty() && !prune {
            Ok(Vec::new())
        } else {
            crate::write_transaction(conn, |conn| {
                let totals = flush
                    .iter()
                    .map(|((key, start), hits)| add(conn, key, *start, *hits))
                    .collect::<Result<Vec<_>>>()?;
                if prune {
                    diesel::delete(rate_counts::table.filter(rate_counts::window_start.le(oldest_live)))
                        .execute(conn)?;
                }
                Ok::<_, crate::StoreError>(totals)
            })
        };
        let totals = match totals {
            Ok(totals) => totals,
            Err(e) => {
                // Counted again at the next flush: nothing is forgotten because the
                // database was away.
                let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
                for (key, hits) in flush {
                    let count = state.counts.entry(key).or_default();
                    count.shared -= hits;
                    count.pending += hits;
                }
                return Err(e);
            }
        };
        let mut learned: Vec<Tally> = flush.into_iter().map(|(key, _)| key).zip(totals).collect();
        for (what, limit) in limited {
            learned.extend(near_limit(conn, what, limit, now)?);
        }
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        for (key, total) in learned {
            let count = state.counts.entry(key).or_default();
            count.shared = count.shared.max(total);
        }
        Ok(())
    }

    /// This replica's hits since the last flush, to be flushed now, and whether ended
    /// windows are due to leave the table.
    fn take_pending(&self, now: DateTime<Utc>, oldest_live: i64) -> (Vec<Tally>, bool) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.counts.retain(|(_, start), _| *start > oldest_live);
        let prune = now.timestamp() - state.pruned_at >= 60;
        if prune {
            state.pruned_at = now.timestamp();
        }
        let flush = state
            .counts
            .iter_mut()
            .filter(|(_, c)| c.pending > 0)
            .map(|(k, c)| {
                // Still counted while on their way to the table.
                let hits = std::mem::take(&mut c.pending);
                c.shared += hits;
                (k.clone(), hits)
            })
            .collect();
        (flush, prune)
    }

    fn longest_window(&self) -> i64 {
        Counted::ALL.into_iter().map(|c| self.limits.of(c).window()).max().unwrap_or(60)
    }
}

/// The clients of `what` in its current window that every replica together has counted
/// to a quarter of the limit or more: a replica that has not seen such a client yet, or
/// not lately, learns of it before it lets the client past the limit.
fn near_limit(
    conn: &mut DbConnection,
    what: Counted,
    limit: Limit,
    now: DateTime<Utc>,
) -> Result<Vec<Tally>> {
    let window = limit.window();
    let current = now.timestamp().div_euclid(window) * window;
    // Keys of one kind sort together: "booking:address:…" lies between these two.
    let rows: Vec<(String, i64, i64)> = rate_counts::table
        .filter(rate_counts::counter_key.gt(format!("{}:", what.prefix())))
        .filter(rate_counts::counter_key.lt(format!("{};", what.prefix())))
        .filter(rate_counts::window_start.eq(current))
        .filter(rate_counts::hits.ge((limit.max / 4).max(1)))
        .select((rate_counts::counter_key, rate_counts::window_start, rate_counts::hits))
        .load(conn)?;
    Ok(rows.into_iter().map(|(key, start, hits)| ((key, start), hits)).collect())
}

/// Adds `hits` to a shared count; returns the new total.
fn add(conn: &mut DbConnection, key: &str, start: i64, hits: i64) -> Result<i64> {
    let insert = diesel::insert_into(rate_counts::table)
        .values((
            rate_counts::counter_key.eq(key),
            rate_counts::window_start.eq(start),
            rate_counts::hits.eq(hits),
        ))
        .on_conflict((rate_counts::counter_key, rate_counts::window_start))
        .do_update()
        .set(rate_counts::hits.eq(rate_counts::hits + excluded(rate_counts::hits)))
        .returning(rate_counts::hits);
    // `on_conflict` is not available through the combined connection.
    Ok(match conn {
        DbConnection::Pg(pg) => insert.get_result(pg)?,
        DbConnection::Sqlite(sqlite) => insert.get_result(sqlite)?,
    })
}

/// The client address that limits and throttles count: the peer, or behind a trusted
/// proxy the address that proxy appended last to `X-Forwarded-For` (the entries before it
/// are the client's to forge). An IPv6 client counts by its /64, which one subscriber
/// usually holds whole.
pub fn client_address(
    forwarded_for: Option<&str>,
    peer: Option<IpAddr>,
    trust_forwarded_for: bool,
) -> String {
    let forwarded = forwarded_for
        .filter(|_| trust_forwarded_for)
        .and_then(|list| list.rsplit(',').next())
        .map(str::trim)
        .filter(|a| !a.is_empty());
    match (forwarded, peer) {
        (Some(a), _) => a.parse::<IpAddr>().map_or_else(|_| a.to_owned(), network),
        (None, Some(p)) => network(p),
        (None, None) => "unknown".into(),
    }
}

fn network(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_proxy_appended_address_counts_only_behind_a_trusted_proxy() {
        let peer = Some("10.0.0.1".parse().unwrap());
        let forged_then_real = Some("1.2.3.4, 203.0.113.7");
        assert_eq!(client_address(forged_then_real, peer, true), "203.0.113.7");
        assert_eq!(client_address(forged_then_real, peer, false), "10.0.0.1");
        assert_eq!(client_address(Some(" "), peer, true), "10.0.0.1");
        assert_eq!(client_address(None, None, true), "unknown");
    }

    #[test]
    fn an_ipv6_client_counts_by_its_64() {
        let a = client_address(None, Some("2001:db8:1:2:aaaa::1".parse().unwrap()), false);
        let b = client_address(None, Some("2001:db8:1:2:bbbb::9".parse().unwrap()), false);
        assert_eq!(a, "2001:db8:1:2::/64");
        assert_eq!(a, b);
        assert_eq!(client_address(None, Some("::ffff:192.0.2.1".parse().unwrap()), false), "192.0.2.1");
    }

    fn at(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_800_000_000 + secs, 0).unwrap()
    }

    fn limiter(max: i64) -> RateLimiter {
        RateLimiter::new(RateLimits {
            bookings_per_address: Limit { max, window_seconds: 60 },
            ..RateLimits::UNLIMITED
        })
    }

    #[test]
    fn the_limit_holds_per_key_and_window_and_says_when_to_come_back() {
        let l = limiter(3);
        // at(0) starts a minute.
        for _ in 0..3 {
            l.check(Counted::BookingsByAddress, "a", at(0)).unwrap();
        }
        assert_eq!(l.check(Counted::BookingsByAddress, "a", at(21)), Err(Refused { retry_after_secs: 39 }));
        l.check(Counted::BookingsByAddress, "b", at(21)).unwrap();
        l.check(Counted::AvailabilityByAddress, "a", at(21)).unwrap();
        l.check(Counted::BookingsByAddress, "a", at(60)).unwrap();
    }

    #[test]
    fn no_limit_counts_nothing() {
        let l = RateLimiter::new(RateLimits::UNLIMITED);
        for _ in 0..1000 {
            l.check(Counted::BookingsByPerson, "p", at(0)).unwrap();
        }
        assert!(l.state.lock().unwrap().counts.is_empty());
    }

    crate::backend_tests! {
        fn replicas_share_their_counts_through_the_database(db) {
            let conn = &mut *db.conn();
            let (a, b) = (limiter(10), limiter(10));
            for _ in 0..4 {
                a.check(Counted::BookingsByAddress, "x", at(0)).unwrap();
                b.check(Counted::BookingsByAddress, "x", at(0)).unwrap();
            }
            a.sync(conn, at(1)).unwrap();
            b.sync(conn, at(1)).unwrap();
            // b knows of all 8 and lets two more in; a, which has not flushed since, lets
            // one more in (the overshoot one sync interval allows) and refuses after it.
            assert!(b.check(Counted::BookingsByAddress, "x", at(2)).is_ok());
            assert!(b.check(Counted::BookingsByAddress, "x", at(2)).is_ok());
            assert!(b.check(Counted::BookingsByAddress, "x", at(2)).is_err());
            b.sync(conn, at(2)).unwrap();
            a.check(Counted::BookingsByAddress, "x", at(2)).unwrap();
            a.sync(conn, at(3)).unwrap();
            assert!(a.check(Counted::BookingsByAddress, "x", at(3)).is_err());
            let stored: i64 = rate_counts::table.select(rate_counts::hits).first(conn).unwrap();
            assert_eq!(stored, 11);
            // A replica that never saw the client learns of it at its first sync.
            let c = limiter(10);
            c.sync(conn, at(4)).unwrap();
            assert!(c.check(Counted::BookingsByAddress, "x", at(4)).is_err());
            assert!(c.check(Counted::BookingsByAddress, "y", at(4)).is_ok());
            // A new window starts from nothing, and ended ones are forgotten.
            a.check(Counted::BookingsByAddress, "x", at(65)).unwrap();
            a.sync(conn, at(200)).unwrap();
            assert!(a.state.lock().unwrap().counts.is_empty());
            let left: i64 = rate_counts::table.count().get_result(conn).unwrap();
            assert_eq!(left, 0);
        }
    }
}
