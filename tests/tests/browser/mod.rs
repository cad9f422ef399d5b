//! A real browser for the end-to-end tests: Debian's Chromium driven through its
//! chromedriver with fantoccini, against the real `aukiolo` binary on its demo data.
//!
//! - [`Session::with_javascript`] for axe and DOM checks, [`Session::without_javascript`]
//!   for driving flows by keyboard as a citizen without JavaScript would;
//! - [`check_page`] / [`check_pages`]: what every page must be (axe, `lang`, one `h1`,
//!   unique titles, skip link, language links, nothing from another host, reflow at
//!   320 px, visible focus);
//! - [`demo_server`]: one `serve --demo` shared by the tests of the process that run at
//!   the same time; [`demo_site`] the same with its data dir at hand (the mails it wrote,
//!   its database) and its staff signed in, for the booking-flow tests;
//! - [`Checker`]: [`check_pages`] for the pages met along a flow, including pages only a
//!   form's answer shows.
//!
//! The API is blocking (each session drives its own small tokio runtime), like the rest
//! of the end-to-end tests; every command has a bounded wait.
//! See docs/testing.md, "Browser tests".

// Each test file uses a part of the helpers.
#![allow(dead_code)]

mod demo;
mod driver;
mod page;
mod session;

// Not all of it is used by every test file yet.
#[allow(unused_imports)]
pub use demo::{demo_site, unique, DemoSite, Mail, Row};
#[allow(unused_imports)]
pub use page::{check_page, check_pages, Checked, Checker, AXE_TAGS, AXE_VERSION, NARROW};
#[allow(unused_imports)]
pub use session::{Cookie, Focused, Key, Session, CHROMIUM_FLAGS, DESKTOP};

use crate::common::{Launch, Server};
use std::sync::{Arc, Mutex, PoisonError, Weak};

/// The languages every page exists in, in the order of the language links.
pub const LANGS: [&str; 3] = ["fi", "sv", "en"];

/// A `serve --demo` shared by the tests of this process that hold it at the same time;
/// it stops when the last of them drops it (a test that starts after that gets a new
/// one). A test that changes data, or needs a fresh database, starts its own with
/// `Launch::demo().start()` instead.
pub fn demo_server() -> Arc<Server> {
    static SERVER: Shared<Server> = Shared::new();
    SERVER.get_or_start(|| Launch::demo().start())
}

/// Something expensive (a process) shared by whoever holds it now and dropped with its
/// last holder, so that nothing outlives the test process: statics are never dropped.
pub(crate) struct Shared<T>(Mutex<Weak<T>>);

impl<T> Shared<T> {
    pub(crate) const fn new() -> Self {
        Shared(Mutex::new(Weak::new()))
    }

    /// The one alive now, or a new one from `start` (at most one is started at a time).
    pub(crate) fn get_or_start(&self, start: impl FnOnce() -> T) -> Arc<T> {
        let mut slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(alive) = slot.upgrade() {
            return alive;
        }
        let started = Arc::new(start());
        *slot = Arc::downgrade(&started);
        started
    }
}
