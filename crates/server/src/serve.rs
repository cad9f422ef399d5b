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
        sign_in: sign_in_rules(settings),
        rate_limits: settings.limits.rates(),
        trust_forwarded_for: settings.auth.trust_forwarded_for,
        personal_data_secret: crate::secrets::personal_data_secret(settings)?,
        max_call_attempts: settings.bookings.max_call_attempts,
    })
}

/// `m` minutes, at most what a `chrono::Duration` holds.
fn minutes(m: u64) -> chrono::Duration {
    chrono::Duration::minutes(i64::try_from(m).unwrap_or(i64::MAX).min(i64::MAX / 60_000))
}

/// The sign-in throttle of the API and the staff pages.
fn sign_in_rules(settings: &Settings) -> aukiolo_store::sign_in::SignInRules {
    let auth = &settings.auth;
    aukiolo_store::sign_in::SignInRules {
        max_failures_account_address: auth.login_max_failures_account_address,
        max_failures_address: auth.login_max_failures_address,
        window: minutes(auth.login_window_minutes),
        max_failures_account: auth.login_max_failures_account,
        account_window: minutes(auth.login_account_window_minutes),
    }
}

/// The staff pages' settings: the API's sign-in throttle and lifetime, the idle limit,
/// and `Secure` cookies when the public address is https.
fn staff_settings(settings: &Settings, api: &ApiSettings) -> aukiolo_web::staff::StaffSettings {
    aukiolo_web::staff::StaffSettings {
        sign_in: api.sign_in,
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

    let metrics = match settings.metrics.bind() {
        Some(bind) => Some(crate::prometheus::start(bind, pool.clone(), app_state.clock.clone())?),
        None => None,
    };
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
        .with_staff(staff_settings(&settings, &app_state.settings))
        .with_limiter(app_state.limiter.clone()),
    );
    let body_limits = crate::http_limits::BodyLimits {
        timeout: Duration::from_millis(settings.http.body_timeout_ms),
        max_bytes: settings.http.max_body_bytes,
    };
    let workers = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    actix_web::rt::System::new().block_on(async move {
        let server = HttpServer::new(move || {
            App::new()
                .wrap(actix_web::middleware::from_fn(crate::http_limits::bounded_body))
                .wrap(aukiolo_api::default_headers())
                .wrap(TracingLogger::<crate::request_log::RedactedSpans>::new())
                .wrap(actix_web::middleware::from_fn(crate::request_log::request_id))
                .wrap(actix_web::middleware::from_fn(crate::prometheus::count_requests))
                .app_data(body_limits)
                .app_data(state.clone())
                .app_data(site.clone())
                .configure(aukiolo_api::configure)
                .configure(aukiolo_web::configure)
        })
        .workers(workers)
        // actix counts connections per worker.
        .max_connections(settings.http.max_connections.div_ceil(workers))
        .client_request_timeout(Duration::from_millis(settings.http.header_timeout_ms))
        .keep_alive(Duration::from_secs(settings.http.keep_alive_seconds))
        .bind(&settings.bind)
        .with_context(|| format!("cannot listen on {}", settings.bind))?
        .shutdown_timeout(10);
        let addr = server.addrs()[0];
        println!("Aukiolo listening on http://{addr}");
        println!("database: {}", backend.describe());
        if let Some(metrics) = metrics {
            println!("Metrics: http://{metrics}/metrics");
        }
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
            pool.clone(),
            app_state.clock.clone(),
            settings.slots.horizon_weeks,
            Duration::from_secs(settings.slots.refresh_interval_minutes * 60),
        ));
        let syncer = actix_web::rt::spawn(sync_limits_periodically(
            pool.clone(),
            app_state.clone(),
            Duration::from_millis(settings.limits.sync_interval_ms),
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
        syncer.abort();
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

/// Shares this replica's request counts with the others (`store::rate_limits`).
async fn sync_limits_periodically(pool: Pool, state: AppState, every: Duration) {
    let mut interval = actix_web::rt::time::interval(every);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut failing = false;
    loop {
        interval.tick().await;
        let (pool, limiter, now) = (pool.clone(), state.limiter.clone(), state.now());
        let synced = web::block(move || {
            let mut conn = pool.get()?;
            limiter.sync(&mut conn, now)
        })
        .await;
        // Said once per outage: the counts stay in memory and are shared when it ends.
        match synced {
            Ok(Err(e)) if !failing => {
                tracing::warn!(error = %e, "rate limit counts cannot be shared for now");
                failing = true;
            }
            Ok(Ok(())) if failing => {
                tracing::info!("rate limit counts shared again");
                failing = false;
            }
            _ => {}
        }
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
