//! Aukiolo's types and rules, with no I/O: ids, calendars, slot maths, staff roles and
//! validation. Everything here is deterministic so it can be tested exhaustively.

pub mod advisor;
pub mod audit;
pub mod availability;
pub mod booking;
pub mod calendar;
pub mod channel;
pub mod contact;
pub mod dates;
pub mod hex;
pub mod holidays;
pub mod ids;
pub mod language;
pub mod metrics;
pub mod office;
pub mod office_access;
pub mod outbox;
pub mod personal_id;
pub mod questionnaire;
pub mod slot_refresh;
pub mod slots;
pub mod staff;
pub mod stats;
pub mod topic;
pub mod url;
pub mod validation;
pub mod visit;
pub mod visit_clock;

pub use channel::Channel;
pub use ids::*;
pub use language::{Language, Locale, LocalisedText};
pub use validation::{FieldError, Validation};
