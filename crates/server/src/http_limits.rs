//! Bounds on what one request may hold of the server: its whole body within a deadline and
//! a size. Without them a client sending bodies a byte at a time keeps a connection, a
//! file descriptor and a buffer per request for as long as it likes (about 20,000 slow
//! bodies from one client used every file descriptor). The body is read here, before any
//! handler runs, so handlers and extractors only ever see a complete body.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{web, Error, ResponseError};
use aukiolo_api::ApiError;
use aukiolo_store::telemetry::{refused, Refusal};
use std::time::Duration;

/// The deadline, from the end of the request head, and the size of a body.
#[derive(Clone, Copy, Debug)]
pub struct BodyLimits {
    pub timeout: Duration,
    pub max_bytes: usize,
}

/// Reads the body within [`BodyLimits`] (given as app data), or answers 408 or 413 as
/// problem+json and closes the connection.
pub async fn bounded_body(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let Some(limits) = req.app_data::<BodyLimits>().copied() else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    let has_body = req.headers().contains_key(header::CONTENT_LENGTH)
        || req.headers().contains_key(header::TRANSFER_ENCODING);
    if !has_body {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limits.max_bytes) {
        refused(Refusal::BodyTooLarge);
        return Ok(refuse(req, ApiError::TooLarge(limits.max_bytes)));
    }
    let payload = req.extract::<web::Payload>().await?;
    let body = match tokio::time::timeout(limits.timeout, payload.to_bytes_limited(limits.max_bytes)).await {
        Err(_) => {
            tracing::info!(timeout_ms = limits.timeout.as_millis() as u64, "request body too slow");
            refused(Refusal::BodyTimeout);
            return Ok(refuse(req, ApiError::RequestTimeout(limits.timeout.as_secs_f64())));
        }
        Ok(Err(_)) => {
            refused(Refusal::BodyTooLarge);
            return Ok(refuse(req, ApiError::TooLarge(limits.max_bytes)));
        }
        Ok(Ok(Err(e))) => return Ok(refuse(req, ApiError::BadRequest(format!("unreadable body: {e}")))),
        Ok(Ok(Ok(bytes))) => bytes,
    };
    req.set_payload(actix_web::dev::Payload::from(body));
    Ok(next.call(req).await?.map_into_left_body())
}

/// The error as the answer; the rest of the body is not read, so the connection closes.
fn refuse<B>(req: ServiceRequest, error: ApiError) -> ServiceResponse<EitherBody<B>> {
    let mut response = error.error_response();
    response.head_mut().set_connection_type(actix_web::http::ConnectionType::Close);
    req.into_response(response).map_into_right_body()
}
