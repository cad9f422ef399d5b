//! What the service counts for its operators, through the `metrics` facade: the server
//! installs a Prometheus recorder and serves it on `metrics.bind` (`aukiolo serve` and
//! `aukiolo worker` alike). The names live here, beside the decisions they count, so that
//! the API, the pages and the worker count one thing under one name. Without a recorder
//! (tools, most tests) every call does nothing.
//!
//! Not to be confused with [`crate::metrics`]: the pilot's figures about citizens and
//! offices, computed from the bookings.

use crate::outbox::OutboxCounts;
use crate::pool::Pool;
use aukiolo_domain::Channel;
use chrono::{DateTime, Utc};
use metrics::{counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram, Unit};
use std::time::Duration;

pub const HTTP_REQUESTS: &str = "aukiolo_http_requests_total";
pub const HTTP_DURATION: &str = "aukiolo_http_request_duration_seconds";
pub const REFUSALS: &str = "aukiolo_refusals_total";
pub const BOOKINGS_MADE: &str = "aukiolo_bookings_made_total";
pub const BOOKINGS_MOVED: &str = "aukiolo_bookings_moved_total";
pub const BOOKINGS_CANCELLED: &str = "aukiolo_bookings_cancelled_total";
pub const RACES_LOST: &str = "aukiolo_booking_races_lost_total";
pub const POOL_CONNECTIONS: &str = "aukiolo_db_pool_connections";
pub const POOL_MAX: &str = "aukiolo_db_pool_max_connections";
pub const POOL_WAIT: &str = "aukiolo_db_pool_wait_seconds";
pub const POOL_TIMEOUTS: &str = "aukiolo_db_pool_timeouts_total";
pub const OUTBOX_MESSAGES: &str = "aukiolo_outbox_messages";
pub const OUTBOX_OLDEST_DUE: &str = "aukiolo_outbox_oldest_due_age_seconds";
pub const MAIL_SEND: &str = "aukiolo_mail_send_duration_seconds";

/// Every histogram here measures seconds; these bounds cover a pool wait of a millisecond
/// to an SMTP exchange near its timeout.
pub const SECONDS_BUCKETS: [f64; 14] =
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

/// The help texts of the exposition, given once when the recorder is installed.
pub fn describe() {
    describe_counter!(HTTP_REQUESTS, "HTTP requests answered, by method, route pattern and status");
    describe_histogram!(HTTP_DURATION, Unit::Seconds, "Time to answer an HTTP request, by method and route");
    describe_counter!(
        REFUSALS,
        "Requests refused to protect the service: rate_limit (with the limit), sign_in_throttle, \
         overload (503: no database connection in time, the database busy or away), \
         body_timeout, body_too_large"
    );
    describe_counter!(BOOKINGS_MADE, "New bookings committed, by channel and by whom (citizen, staff)");
    describe_counter!(BOOKINGS_MOVED, "Bookings moved to another time");
    describe_counter!(BOOKINGS_CANCELLED, "Bookings cancelled, by whom (citizen, office)");
    describe_counter!(
        RACES_LOST,
        "Bookings that lost their time to a concurrent one: retried (another advisor was tried) \
         or refused (the time was gone; the client got the next free times)"
    );
    describe_gauge!(POOL_CONNECTIONS, "Database connections of this process, by state (in_use, idle)");
    describe_gauge!(POOL_MAX, "The most database connections this process opens (database.pool_size)");
    describe_histogram!(POOL_WAIT, Unit::Seconds, "Time a request waited for a database connection");
    describe_counter!(POOL_TIMEOUTS, "Requests that got no database connection within database.pool_wait_ms");
    describe_gauge!(OUTBOX_MESSAGES, "Outbox messages by status (pending, failed, sent, dead, void)");
    describe_gauge!(
        OUTBOX_OLDEST_DUE,
        Unit::Seconds,
        "How long the oldest message due to be sent has waited (0 when none is due)"
    );
    describe_histogram!(MAIL_SEND, Unit::Seconds, "Time of one SMTP send, by outcome (sent, failed)");
    // Counters appear at zero, so that a rate over them means something before the first
    // event and an alert on `increase()` sees the first one.
    for limit in crate::rate_limits::Counted::ALL {
        counter!(REFUSALS, "reason" => "rate_limit", "limit" => limit.setting()).absolute(0);
    }
    for reason in ["sign_in_throttle", "overload", "body_timeout", "body_too_large"] {
        counter!(REFUSALS, "reason" => reason).absolute(0);
    }
    for channel in [Channel::Office, Channel::Phone] {
        for by in ["citizen", "staff"] {
            counter!(BOOKINGS_MADE, "channel" => channel.as_str(), "by" => by).absolute(0);
        }
    }
    counter!(BOOKINGS_MOVED).absolute(0);
    for by in ["citizen", "office"] {
        counter!(BOOKINGS_CANCELLED, "by" => by).absolute(0);
    }
    for outcome in ["retried", "refused"] {
        counter!(RACES_LOST, "outcome" => outcome).absolute(0);
    }
    counter!(POOL_TIMEOUTS).absolute(0);
}

/// Why a request was turned away before doing its work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// A `[limits]` limit, named as `crate::rate_limits::Counted` names it.
    RateLimit(&'static str),
    SignInThrottle,
    /// 503: no database connection within the pool wait, or the database busy or away.
    Overload,
    BodyTimeout,
    BodyTooLarge,
}

pub fn refused(why: Refusal) {
    match why {
        Refusal::RateLimit(limit) => {
            counter!(REFUSALS, "reason" => "rate_limit", "limit" => limit).increment(1)
        }
        Refusal::SignInThrottle => counter!(REFUSALS, "reason" => "sign_in_throttle").increment(1),
        Refusal::Overload => counter!(REFUSALS, "reason" => "overload").increment(1),
        Refusal::BodyTimeout => counter!(REFUSALS, "reason" => "body_timeout").increment(1),
        Refusal::BodyTooLarge => counter!(REFUSALS, "reason" => "body_too_large").increment(1),
    }
}

/// One answered HTTP request; `route` is the matched pattern (`/api/v1/bookings/{reference}`),
/// never the path, so that the series stay few.
pub fn http_request(method: &str, route: &str, status: u16, took: Duration) {
    if status == 503 {
        refused(Refusal::Overload);
    }
    let (method, route) = (method.to_owned(), route.to_owned());
    counter!(HTTP_REQUESTS, "method" => method.clone(), "route" => route.clone(), "status" => status.to_string())
        .increment(1);
    histogram!(HTTP_DURATION, "method" => method, "route" => route).record(took.as_secs_f64());
}

pub(crate) fn booking_made(channel: &'static str, staff: bool) {
    counter!(BOOKINGS_MADE, "channel" => channel, "by" => if staff { "staff" } else { "citizen" })
        .increment(1);
}

pub(crate) fn booking_moved() {
    counter!(BOOKINGS_MOVED).increment(1);
}

pub(crate) fn booking_cancelled(by_citizen: bool) {
    counter!(BOOKINGS_CANCELLED, "by" => if by_citizen { "citizen" } else { "office" }).increment(1);
}

pub(crate) fn race_lost(refused: bool) {
    counter!(RACES_LOST, "outcome" => if refused { "refused" } else { "retried" }).increment(1);
}

/// The pool's connections as of now; set just before each scrape.
pub fn pool_state(pool: &Pool) {
    let state = pool.state();
    let idle = f64::from(state.idle_connections);
    gauge!(POOL_CONNECTIONS, "state" => "in_use").set(f64::from(state.connections) - idle);
    gauge!(POOL_CONNECTIONS, "state" => "idle").set(idle);
    gauge!(POOL_MAX).set(f64::from(pool.max_size()));
}

/// The outbox as of `now`; set just before each scrape.
pub fn outbox_state(counts: &OutboxCounts, now: DateTime<Utc>) {
    for (status, n) in [
        ("pending", counts.pending),
        ("failed", counts.failed),
        ("sent", counts.sent),
        ("dead", counts.dead),
        ("void", counts.void),
    ] {
        gauge!(OUTBOX_MESSAGES, "status" => status).set(n as f64);
    }
    let age = counts.oldest_due.map_or(0.0, |due| (now - due).num_milliseconds().max(0) as f64 / 1000.0);
    gauge!(OUTBOX_OLDEST_DUE).set(age);
}

/// One SMTP send and how long it took.
pub fn mail_sent(ok: bool, took: Duration) {
    histogram!(MAIL_SEND, "outcome" => if ok { "sent" } else { "failed" }).record(took.as_secs_f64());
}

/// Counts the pool's waits and timeouts (r2d2 reports them as events).
#[derive(Debug)]
pub(crate) struct PoolEvents;

impl r2d2::HandleEvent for PoolEvents {
    fn handle_checkout(&self, event: r2d2::event::CheckoutEvent) {
        histogram!(POOL_WAIT).record(event.duration().as_secs_f64());
    }

    fn handle_timeout(&self, _event: r2d2::event::TimeoutEvent) {
        counter!(POOL_TIMEOUTS).increment(1);
    }
}
