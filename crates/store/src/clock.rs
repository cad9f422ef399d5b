//! Where "now" comes from. Handlers and workers ask a [`Clock`] they were given instead
//! of reading the system clock, so that tests can put the whole application at a chosen
//! instant (a Tuesday evening, a DST week, New Year's Eve) and move it on; the store and
//! the domain already take `now` as a parameter.

use chrono::{DateTime, Duration, DurationRound, Utc};
use std::sync::{Arc, Mutex, PoisonError};

/// The system clock (the default), or a manual one that stands still until moved.
/// Clones share the same time.
#[derive(Clone, Debug, Default)]
pub struct Clock(Option<Arc<Mutex<DateTime<Utc>>>>);

impl Clock {
    /// The real time, read on every call.
    pub fn system() -> Self {
        Clock(None)
    }

    /// A clock that shows `at` (to the microsecond, as the databases keep it) until
    /// [`Clock::set`] or [`Clock::advance`] moves it. Only code that builds the
    /// application itself (tests) can make one: no configuration leads here.
    pub fn manual(at: DateTime<Utc>) -> Self {
        Clock(Some(Arc::new(Mutex::new(truncate(at)))))
    }

    pub fn now(&self) -> DateTime<Utc> {
        match &self.0 {
            None => Utc::now(),
            Some(at) => *at.lock().unwrap_or_else(PoisonError::into_inner),
        }
    }

    /// Puts a manual clock at `at`.
    ///
    /// # Panics
    /// On the system clock, which nothing may move.
    pub fn set(&self, at: DateTime<Utc>) {
        let cell = self.0.as_ref().expect("the system clock cannot be set");
        *cell.lock().unwrap_or_else(PoisonError::into_inner) = truncate(at);
    }

    /// Moves a manual clock on by `by` (or back, when negative).
    ///
    /// # Panics
    /// On the system clock.
    pub fn advance(&self, by: Duration) {
        self.set(self.now() + by);
    }
}

fn truncate(at: DateTime<Utc>) -> DateTime<Utc> {
    at.duration_trunc(Duration::microseconds(1)).unwrap_or(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_stands_still_until_moved_and_clones_share_it() {
        let at = "2027-03-24T08:00:00.123456789Z".parse::<DateTime<Utc>>().unwrap();
        let clock = Clock::manual(at);
        let other = clock.clone();
        assert_eq!(clock.now(), "2027-03-24T08:00:00.123456Z".parse::<DateTime<Utc>>().unwrap());
        assert_eq!(clock.now(), other.now());
        other.advance(Duration::hours(25));
        assert_eq!(clock.now(), "2027-03-25T09:00:00.123456Z".parse::<DateTime<Utc>>().unwrap());
    }

    #[test]
    fn the_system_clock_runs() {
        let clock = Clock::system();
        let before = Utc::now();
        assert!(clock.now() >= before);
    }

    #[test]
    #[should_panic(expected = "cannot be set")]
    fn the_system_clock_cannot_be_set() {
        Clock::system().set(Utc::now());
    }
}
