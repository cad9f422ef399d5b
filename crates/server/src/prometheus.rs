//! The operators' Prometheus endpoint: `GET /metrics` on `metrics.bind`, an address of its
//! own that the reverse proxy never routes to, so it needs no token. `aukiolo serve` and
//! `aukiolo worker` each serve their own process's series; the series and their names are
//! in `aukiolo_store::telemetry`. Gauges that describe shared state (the pool, the outbox)
//! are read at scrape time, so a scrape always sees the present.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, App, Error, HttpResponse, HttpServer};
use anyhow::{Context, Result};
use aukiolo_store::clock::Clock;
use aukiolo_store::telemetry;
use aukiolo_store::Pool;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::net::SocketAddr;
use std::time::Instant;

/// What a scrape reads.
#[derive(Clone)]
struct Scrape {
    handle: PrometheusHandle,
    pool: Pool,
    clock: Clock,
}

/// Installs this process's recorder and starts the listener on `bind`, on a thread of its
/// own so that it answers whatever the service's workers are doing. Returns the address
/// (port 0 picks one).
pub fn start(bind: &str, pool: Pool, clock: Clock) -> Result<SocketAddr> {
    let handle = PrometheusBuilder::new()
        .set_buckets(&telemetry::SECONDS_BUCKETS)
        .context("metrics buckets")?
        .install_recorder()
        .context("cannot install the metrics recorder")?;
    telemetry::describe();
    let scrape = Scrape { handle, pool, clock };
    let server = HttpServer::new(move || {
        App::new().app_data(web::Data::new(scrape.clone())).route("/metrics", web::get().to(render))
    })
    .workers(1)
    // The service's own shutdown ends the process, and with it this thread.
    .disable_signals()
    .bind(bind)
    .with_context(|| format!("cannot listen for metrics on {bind}"))?;
    let addr = server.addrs()[0];
    let server = server.run();
    std::thread::Builder::new()
        .name("metrics".into())
        .spawn(move || actix_web::rt::System::new().block_on(server))
        .context("cannot start the metrics thread")?;
    Ok(addr)
}

async fn render(scrape: web::Data<Scrape>) -> HttpResponse {
    let s = scrape.clone();
    telemetry::pool_state(&s.pool);
    let outbox = web::block(move || {
        let mut conn = s.pool.get()?;
        let now = s.clock.now();
        aukiolo_store::outbox::counts(&mut conn, now).map(|counts| (counts, now))
    })
    .await;
    match outbox {
        Ok(Ok((counts, now))) => telemetry::outbox_state(&counts, now),
        // The outbox gauges keep their last values; the pool and refusal series tell why.
        Ok(Err(e)) => tracing::warn!(error = %e, "metrics: the outbox cannot be read"),
        Err(e) => tracing::warn!(error = %e, "metrics: the outbox cannot be read"),
    }
    scrape.handle.run_upkeep();
    HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(scrape.handle.render())
}

/// Counts every answered request by method, route pattern and status, with its time. The
/// outermost middleware, so that what it counts is what the client got.
pub async fn count_requests(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let method = req.method().clone();
    let route = req.match_pattern().unwrap_or_else(|| "unmatched".to_owned());
    let res = next.call(req).await;
    let status = match &res {
        Ok(res) => res.status(),
        // Turned into its response further out, by actix.
        Err(e) => e.as_response_error().status_code(),
    };
    telemetry::http_request(method.as_str(), &route, status.as_u16(), started.elapsed());
    res
}
