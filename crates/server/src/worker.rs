//! The outbox worker, inside `aukiolo serve` or alone as `aukiolo worker`, and the mail
//! transport it sends with.

use crate::config::Settings;
use anyhow::{Context, Result};
use aukiolo_domain::outbox::RetryPolicy;
use aukiolo_notify::{Mailer, Transport, Worker, WorkerSettings};
use aukiolo_store::clock::Clock;
use aukiolo_store::links::ManageLinks;
use aukiolo_store::personal_data::PersonalDataKeys;
use aukiolo_store::Pool;
use std::time::Duration;
use tokio::sync::watch;

/// The transport named by the configuration: SMTP, or `.eml` files in the data dir.
fn transport(settings: &Settings) -> Result<Transport> {
    let mail = &settings.mail;
    let url = mail.smtp_url.trim();
    if url.is_empty() {
        return Ok(Transport::files(settings.data_dir().join("outbox"))?);
    }
    let credentials = mail.username.clone().map(|u| (u, mail.password.clone().unwrap_or_default()));
    Ok(Transport::smtp(url, credentials, Duration::from_secs(mail.timeout_seconds))?)
}

/// A worker on `pool` by `clock`, with the configured keys (manage links in mails, the
/// stored identity codes); `listening` is the address links point to when no public URL
/// is configured. It needs nothing of the HTTP side.
pub fn build(settings: &Settings, pool: Pool, clock: Clock, listening: &str) -> Result<Worker> {
    let w = &settings.worker;
    let public_url = match settings.mail.public_url.trim().trim_end_matches('/') {
        "" => format!("http://{listening}"),
        url => url.to_owned(),
    };
    let mailer = Mailer {
        transport: transport(settings)?,
        from: settings.mail.from.parse().context("mail.from")?,
        public_url,
        links: ManageLinks::new(&crate::secrets::jwt_secret(settings)?),
        service_phone: settings.service.phone_number.clone(),
    };
    let worker_settings = WorkerSettings {
        batch: w.batch,
        lease: chrono::Duration::seconds(w.lease_seconds),
        idle: Duration::from_millis(w.idle_ms),
        concurrency: w.concurrency,
        retry: RetryPolicy {
            max_attempts: w.max_attempts,
            base_delay: chrono::Duration::seconds(w.backoff_base_seconds),
            max_delay: chrono::Duration::seconds(w.backoff_max_seconds),
        },
        clock,
        ..WorkerSettings::default()
    };
    let personal = PersonalDataKeys::from_secret(&crate::secrets::personal_data_secret(settings)?);
    Ok(Worker::new(pool, personal, mailer, worker_settings))
}

/// `aukiolo worker`: sends until SIGINT or SIGTERM, then finishes the batch in hand.
pub fn run(settings: Settings) -> Result<()> {
    let (pool, backend) = crate::open(&settings)?;
    if let Some(bind) = settings.metrics.bind() {
        let addr = crate::prometheus::start(bind, pool.clone(), Clock::system())?;
        println!("Metrics: http://{addr}/metrics");
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        // The SMTP connection pool starts a task of its own: inside the runtime.
        let worker = build(&settings, pool, Clock::system(), &settings.bind)?;
        println!("database: {}", backend.describe());
        println!("e-mail: {}", worker.transport());
        println!("outbox worker {} running; stop with Ctrl-C", worker.settings().name);
        let (stop, stopped) = watch::channel(false);
        let running = tokio::spawn(async move { worker.run(stopped).await });
        shutdown_signal().await;
        let _ = stop.send(true);
        running.await.context("worker task")
    })
}

/// SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}
