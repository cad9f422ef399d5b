//! The outbox worker: claims due messages under a lease, renders and sends them, and
//! settles each as sent, failed (due again after a backoff) or dead. Any number of
//! workers may run against one database; see `aukiolo_store::outbox` for how claims stay
//! disjoint.

use crate::render::{render, Facts};
use crate::transport::Transport;
use crate::NotifyError;
use aukiolo_domain::booking::Booking;
use aukiolo_domain::contact::mask_email;
use aukiolo_domain::outbox::{MessageKind, RetryPolicy};
use aukiolo_domain::MessageId;
use aukiolo_store::clock::Clock;
use aukiolo_store::links::ManageLinks;
use aukiolo_store::outbox::{self, Message};
use aukiolo_store::personal_data::PersonalDataKeys;
use aukiolo_store::{bookings, offices, topics, DbConnection, Pool, StoreError};
use chrono::{DateTime, Utc};
use lettre::message::Mailbox;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;

/// What the worker sends with and how messages link back to the service.
#[derive(Clone)]
pub struct Mailer {
    pub transport: Transport,
    pub from: Mailbox,
    /// The service's public address, e.g. `https://aukiolo.example`, for links in mail.
    pub public_url: String,
    pub links: ManageLinks,
    /// The organisation's phone service, as people dial it (`[service] phone_number`):
    /// mails say where else to book.
    pub service_phone: String,
}

impl Mailer {
    /// The manage page, in the booking's language.
    pub fn manage_link(&self, b: &Booking) -> String {
        let lang = b.language.as_str();
        format!("{}/{lang}/manage/{}?t={}", self.public_url, b.reference, self.links.issue(b))
    }

    /// The start page, in the booking's language: where to book again.
    pub fn start_page(&self, b: &Booking) -> String {
        format!("{}/{}/", self.public_url, b.language.as_str())
    }

    /// The questionnaire page, in the booking's language.
    pub fn questionnaire_link(&self, b: &Booking, token: &str) -> String {
        format!("{}/{}/questionnaire/{token}", self.public_url, b.language.as_str())
    }
}

/// How a worker paces itself.
#[derive(Clone, Debug)]
pub struct WorkerSettings {
    /// Shows in leases, so an operator can tell which worker holds a message.
    pub name: String,
    pub batch: i64,
    /// A claimed message is this worker's until the lease ends; then anyone's again.
    pub lease: chrono::Duration,
    /// Sleep when nothing is due.
    pub idle: Duration,
    /// Messages sent at once (SMTP connections in use).
    pub concurrency: usize,
    pub retry: RetryPolicy,
    /// When messages fall due and leases end: the system clock unless a test sets one.
    pub clock: Clock,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        WorkerSettings {
            name: format!(
                "worker-{}-{}",
                std::process::id(),
                &uuid::Uuid::new_v4().simple().to_string()[..8]
            ),
            batch: 50,
            lease: chrono::Duration::seconds(120),
            idle: Duration::from_secs(2),
            concurrency: 8,
            retry: RetryPolicy::default(),
            clock: Clock::system(),
        }
    }
}

enum Prepared {
    /// Ready to send, to this recipient.
    Mail(Box<lettre::Message>, String),
    /// No longer applies (the booking changed, or the appointment has begun).
    Void(String),
    /// Cannot be built; counts as a failed try.
    Broken(String),
    /// What it is about could not be read now (the database); handed back, not counted.
    Later(String),
}

pub struct Worker {
    pool: Pool,
    keys: PersonalDataKeys,
    mailer: Arc<Mailer>,
    settings: WorkerSettings,
}

impl Worker {
    pub fn new(pool: Pool, keys: PersonalDataKeys, mailer: Mailer, settings: WorkerSettings) -> Self {
        Worker { pool, keys, mailer: Arc::new(mailer), settings }
    }

    pub fn settings(&self) -> &WorkerSettings {
        &self.settings
    }

    /// Where this worker sends, for banners and logs.
    pub fn transport(&self) -> String {
        self.mailer.transport.describe()
    }

    /// Works until `stop` turns true; a failing database or transport is logged and
    /// retried after the idle sleep, never fatal.
    pub async fn run(&self, mut stop: watch::Receiver<bool>) {
        tracing::info!(worker = %self.settings.name, transport = %self.mailer.transport.describe(), "outbox worker started");
        while !*stop.borrow() {
            let idle = match self.pass().await {
                Ok(claimed) => claimed == 0,
                Err(e) => {
                    tracing::error!(error = %e, "outbox pass failed");
                    true
                }
            };
            if idle {
                tokio::select! {
                    _ = tokio::time::sleep(self.settings.idle) => {}
                    _ = stop.changed() => {}
                }
            }
        }
        tracing::info!(worker = %self.settings.name, "outbox worker stopped");
    }

    async fn db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut DbConnection, &PersonalDataKeys) -> Result<T, NotifyError> + Send + 'static,
    ) -> Result<T, NotifyError> {
        let pool = self.pool.clone();
        let keys = self.keys.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(aukiolo_store::StoreError::from)?;
            f(&mut conn, &keys)
        })
        .await
        .map_err(|e| NotifyError::Task(e.to_string()))?
    }

    /// Claims one batch, sends it and settles every message of it: each send as soon as
    /// it ends, so a message is never left sent but unmarked while the batch goes on.
    /// Returns how many messages were claimed.
    pub async fn pass(&self) -> Result<usize, NotifyError> {
        let s = self.settings.clone();
        let mailer = self.mailer.clone();
        let claimed_at = Instant::now();
        let prepared = self
            .db(move |c, keys| {
                let now = s.clock.now();
                let claimed = outbox::claim(c, &s.name, s.batch, s.lease, now)?;
                Ok(claimed
                    .into_iter()
                    .map(|m| (m.id, prepare(c, keys, &mailer, &m, now)))
                    .collect::<Vec<_>>())
            })
            .await?;
        let claimed = prepared.len();
        if claimed == 0 {
            return Ok(0);
        }
        // Sends start only in the first half of the lease, so each ends long before another
        // worker may take the message; the rest are handed back untried.
        let start_by = claimed_at + self.settings.lease.to_std().unwrap_or_default() / 2;
        let permits = Arc::new(Semaphore::new(self.settings.concurrency.max(1)));
        let mut sending = JoinSet::new();
        let mut done: Vec<(MessageId, Outcome)> = Vec::new();
        for (id, p) in prepared {
            match p {
                Prepared::Mail(mail, recipient) => {
                    let transport = self.mailer.transport.clone();
                    let permits = permits.clone();
                    sending.spawn(async move {
                        let _permit = permits.acquire_owned().await;
                        if Instant::now() > start_by {
                            return (id, Outcome::Unstarted);
                        }
                        let started = Instant::now();
                        let sent = transport.send(id, &mail).await;
                        aukiolo_store::telemetry::mail_sent(sent.is_ok(), started.elapsed());
                        match sent {
                            Ok(()) => (id, Outcome::Sent),
                            Err(e) => (id, Outcome::Failed(e.replace(&recipient, &mask_email(&recipient)))),
                        }
                    });
                }
                Prepared::Void(why) => done.push((id, Outcome::Void(why))),
                Prepared::Broken(error) => done.push((id, Outcome::Failed(error))),
                Prepared::Later(error) => {
                    tracing::warn!(message = %id, %error, "message handed back");
                    done.push((id, Outcome::Unstarted));
                }
            }
        }
        loop {
            if !done.is_empty() {
                self.settle(std::mem::take(&mut done)).await?;
            }
            let Some(next) = sending.join_next().await else { break };
            done.push(next.map_err(|e| NotifyError::Task(e.to_string()))?);
            while let Some(more) = sending.try_join_next() {
                done.push(more.map_err(|e| NotifyError::Task(e.to_string()))?);
            }
        }
        Ok(claimed)
    }

    /// Records what became of some claimed messages.
    async fn settle(&self, outcomes: Vec<(MessageId, Outcome)>) -> Result<(), NotifyError> {
        let s = self.settings.clone();
        self.db(move |c, _| {
            let now = s.clock.now();
            let of = |wanted: fn(&Outcome) -> bool| -> Vec<MessageId> {
                outcomes.iter().filter(|(_, o)| wanted(o)).map(|(id, _)| *id).collect()
            };
            outbox::mark_sent(c, &of(|o| matches!(o, Outcome::Sent)), now)?;
            outbox::release(c, &of(|o| matches!(o, Outcome::Unstarted)), &s.name)?;
            for (id, outcome) in &outcomes {
                match outcome {
                    Outcome::Void(why) => outbox::mark_void(c, *id, why)?,
                    Outcome::Failed(error) => {
                        tracing::warn!(message = %id, %error, "sending failed");
                        outbox::mark_failed(c, *id, &s.name, error, &s.retry, now)?;
                    }
                    Outcome::Sent | Outcome::Unstarted => {}
                }
            }
            Ok(())
        })
        .await
    }
}

/// What became of one claimed message.
enum Outcome {
    Sent,
    Failed(String),
    Void(String),
    /// Not tried: handed back without counting the claim.
    Unstarted,
}

/// Loads what a message is about and renders it, as of `now`.
fn prepare(
    conn: &mut DbConnection,
    keys: &PersonalDataKeys,
    mailer: &Mailer,
    m: &Message,
    now: DateTime<Utc>,
) -> Prepared {
    match try_prepare(conn, keys, mailer, m, now) {
        Ok(p) => p,
        Err(NotifyError::Store(StoreError::NotFound(what))) => Prepared::Broken(format!("no such {what}")),
        Err(e @ NotifyError::Store(_)) => Prepared::Later(e.to_string()),
        Err(e) => Prepared::Broken(e.to_string().replace(&m.recipient, &mask_email(&m.recipient))),
    }
}

fn try_prepare(
    conn: &mut DbConnection,
    keys: &PersonalDataKeys,
    mailer: &Mailer,
    m: &Message,
    now: DateTime<Utc>,
) -> Result<Prepared, NotifyError> {
    let Some(booking_id) = m.booking_id else {
        return Ok(Prepared::Broken(format!("a {} message needs a booking", m.kind.as_str())));
    };
    let booking = bookings::get(conn, keys, booking_id)?;
    // Changes to the booking void its unsent messages in their own transaction; only time
    // can overtake a reminder (workers down until after the start).
    if m.kind == MessageKind::Reminder && booking.start <= now {
        return Ok(Prepared::Void("the appointment has begun".to_owned()));
    }
    let office = offices::get(conn, booking.office_id)?;
    let topic = topics::get(conn, booking.topic_id)?;
    let manage_link = mailer.manage_link(&booking);
    let questionnaire_link = m.payload.link_token.as_deref().map(|t| mailer.questionnaire_link(&booking, t));
    if m.kind == MessageKind::QuestionnaireInvitation && questionnaire_link.is_none() {
        return Ok(Prepared::Broken("an invitation without its link".to_owned()));
    }
    let start_page = mailer.start_page(&booking);
    let sender_name = mailer.from.name.clone().unwrap_or_else(|| "Aukiolo".to_owned());
    let sender_email = mailer.from.email.to_string();
    let rendered = render(&Facts {
        message: m,
        booking: &booking,
        office: &office,
        topic: &topic,
        manage_link: &manage_link,
        questionnaire_link: questionnaire_link.as_deref(),
        start_page: &start_page,
        service_phone: &mailer.service_phone,
        sender_name: &sender_name,
        sender_email: &sender_email,
        now,
    });
    let mail = crate::mail::build(&rendered, m.id, &mailer.from, &m.recipient)?;
    Ok(Prepared::Mail(Box::new(mail), m.recipient.clone()))
}
