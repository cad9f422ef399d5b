//! Messages to citizens (DESIGN.md §4.2): confirmations, reminders, changes and
//! questionnaire invitations, rendered in the booking's language with a calendar invite,
//! and sent from the transactional outbox by workers over SMTP or into `.eml` files.

pub mod catalogue;
mod error;
pub mod ics;
pub mod mail;
pub mod render;
pub mod transport;
pub mod worker;

pub use error::NotifyError;
pub use transport::Transport;
pub use worker::{Mailer, Worker, WorkerSettings};
