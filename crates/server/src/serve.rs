//! `aukiolo serve`: migrate, optionally seed, materialise slots, and serve HTTP until
//! SIGINT or SIGTERM (actix stops accepting, lets requests finish, then exits).

use crate::config::Settings;
use actix_web::{web, App, HttpServer};
use anyhow::{Context, Result};
use aukiolo_api::{ApiSettings, AppState};
use aukiolo_store::clock::Clock;
use aukiolo_store::slots::{refresh_all, Horizon};
use aukiolo_store::Pool;
use std::time::Duration;
use tracing_actix_web::TracingLogger;

/// The API's settings from the configuration.
pub fn api_settings(settings: &Settings) -> Result<ApiSettings> {
    Ok(ApiSettings {
        jwt_secret: crate::secrets::jwt_secret(settings)?,
        token_ttl: Duration::from_secs(settings.auth.token_ttl_minutes * 60),
        slot_horizon_weeks: settings.slots.horizon_weeks,
        login_max_failures_account: settings.auth.login_max_failures_account,
        login_max_failures_address: settings.auth.login_max_failures_address,
        login_window: Duration::from_secs(settings.auth.login_window_minutes * 60),
        trust_forwarded_for: settings.auth.trust_forwarded_for,
        personal_data_secret: crate::secrets::personal_data_secret(settings)?,
        max_call_attempts: settings.bookings.max_call_attempts,
    })
}

/// The staff pages' settings: the API's sign-in throttle and lifetime, the idle limit,
/// and `Secure` cookies when the public address is https.
fn staff_settings(settings: &Settings, api: &ApiSettings) -> aukiolo_web::staff::StaffSettings {
    let minutes = |m: u64| chrono::Duration::minutes(i64::try_from(m).unwrap_or(i64::MAX / 60_000));
    aukiolo_web::staff::StaffSettings {
        sign_in: api.sign_in_rules(),
        sessions: aukiolo_store::sessions::SessionRules {
            lifetime: minutes(settings.auth.token_ttl_minutes),
            idle: minutes(settings.auth.session_idle_minutes),
        },
        secure_cookies: settings.mail.public_url.starts_with("https://"),
        max_call_attempts: settings.bookings.max_call_attempts,
    }
}

pub fn run(settings: Settings, demo: bool) -> Result<()> {
    let (pool, backend) = crate::open(&settings)?;
    let api_settings = api_settings(&settings)?;
    let demo_report = if demo { Some(crate::demo::seed(&pool, &settings)?) } else { None };
    let app_state = AppState::new(pool.clone(), api_settings);
    refresh(&pool, &app_state.clock, settings.slots.horizon_weeks);

    let state = web::Data::new(app_state.clone());
    let site = web::Data::new(
        aukiolo_web::Site::with_proxy(
            pool.clone(),
            app_state.clock.clone(),
            aukiolo_web::Secrets {
                signing: &app_state.settings.jwt_secret,
                personal_data: &app_state.settings.personal_data_secret,
            },
            settings.service.clone(),
            settings.slots.horizon_weeks,
            settings.auth.trust_forwarded_for,
        )
        .with_staff(staff_settings(&settings, &app_state.settings)),
    );
    actix_web::rt::System::new().block_on(async move {
        let server = HttpServer::new(move || {
            App::new()
                .wrap(TracingLogger::<crate::request_log::RedactedSpans>::new())
                .app_data(state.clone())
                .app_data(site.clone())
                .configure(aukiolo_api::configure)
                .configure(aukiolo_web::configure)
        })
        .bind(&settings.bind)
        .with_context(|| format!("cannot listen on {}", settings.bind))?
        .shutdown_timeout(10);
        let addr = server.addrs()[0];
        println!("Aukiolo listening on http://{addr}");
        println!("database: {}", backend.describe());
        let worker = crate::worker::build(
            &settings,
            app_state.pool.clone(),
            app_state.clock.clone(),
            &addr.to_string(),
        )?;
        println!("e-mail: {}", worker.transport());
        let (stop_worker, worker_stopped) = tokio::sync::watch::channel(false);
        let worker = if settings.worker.in_serve {
            Some(actix_web::rt::spawn(async move { worker.run(worker_stopped).await }))
        } else {
            println!("outbox worker: not in this process (worker.in_serve = false)");
            None
        };
        println!("Pages: http://{addr}/fi/ (sv, en: /sv/, /en/)");
        println!("API documentation: http://{addr}/api/docs/");
        if let Some(report) = &demo_report {
            report.print();
        }
        let refresher = actix_web::rt::spawn(refresh_periodically(
            pool,
            app_state.clock.clone(),
            settings.slots.horizon_weeks,
            Duration::from_secs(settings.slots.refresh_interval_minutes * 60),
        ));
        let purger = if settings.retention.run_in_serve {
            let r = &settings.retention;
            println!("retention: daily purge at {} {} (retention.run_in_serve)", r.daily_at, r.time_zone);
            Some(actix_web::rt::spawn(crate::retention::purge_daily(
                app_state.pool.clone(),
                app_state.clock.clone(),
                r.clone(),
            )))
        } else {
            None
        };
        let result = server.run().await;
        refresher.abort();
        if let Some(purger) = purger {
            purger.abort();
        }
        // The batch in hand is finished and settled; the rest waits for the next start.
        let _ = stop_worker.send(true);
        if let Some(worker) = worker {
            let _ = worker.await;
        }
        tracing::info!("stopped");
        result.context("HTTP server failed")
    })
}

fn refresh(pool: &Pool, clock: &Clock, weeks: u32) {
    match refresh_all(pool, &Horizon::weeks(clock.now(), weeks)) {
        Ok(stats) => tracing::info!(
            created = stats.created,
            removed = stats.removed,
            conflicts = stats.conflicts,
            "slots refreshed"
        ),
        Err(e) => tracing::error!(error = %e, "slot refresh failed"),
    }
}

/// Moves the rolling horizon on; any number of replicas may do this at once.
async fn refresh_periodically(pool: Pool, clock: Clock, weeks: u32, every: Duration) {
    let mut interval = actix_web::rt::time::interval(every);
    interval.tick().await;
    loop {
        interval.tick().await;
        let (pool, clock) = (pool.clone(), clock.clone());
        let _ = web::block(move || refresh(&pool, &clock, weeks)).await;
    }
}
