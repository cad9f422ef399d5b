//! Request spans for the logs, with link secrets taken out: manage tokens travel in the
//! query (`?token=…`) and questionnaire tokens in the path, and either would let whoever
//! reads the logs act as the citizen. Each request has an id, the client's `X-Request-Id`
//! when it sends a usable one (the proxy's, so that its log and ours meet), and answers
//! with it; every line logged while serving the request carries it.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};
use std::time::Instant;
use tracing::Span;
use tracing_actix_web::{DefaultRootSpanBuilder, RootSpanBuilder};

/// The request's id, as logged and answered, and when it came.
#[derive(Clone, Debug)]
struct RequestId(String, Instant);

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Takes the client's id when it is 1–128 characters of letters, digits and `-_.:`
/// (anything else could forge log lines or carry personal data), or makes one.
pub async fn request_id(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let given =
        req.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).filter(|v| usable(v)).map(str::to_owned);
    let id = given.unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string());
    req.extensions_mut().insert(RequestId(id.clone(), Instant::now()));
    let mut res = next.call(req).await?;
    if let Ok(value) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(REQUEST_ID, value);
    }
    Ok(res)
}

fn usable(id: &str) -> bool {
    (1..=128).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

pub struct RedactedSpans;

impl RootSpanBuilder for RedactedSpans {
    /// The fields of tracing-actix-web's root span, with the target masked: a field
    /// recorded again is appended by the fmt layer, not replaced, so the raw target must
    /// never be recorded at all.
    fn on_request_start(request: &ServiceRequest) -> Span {
        let target = request.uri().path_and_query().map(|p| p.as_str()).unwrap_or("");
        let route = request.match_pattern().unwrap_or_else(|| "default".to_owned());
        let request_id = request.extensions().get::<RequestId>().map(|id| id.0.clone()).unwrap_or_default();
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = %route,
            http.target = %redact(target),
            http.status_code = tracing::field::Empty,
            otel.status_code = tracing::field::Empty,
            request_id = %request_id,
            exception.message = tracing::field::Empty,
            exception.details = tracing::field::Empty,
        )
    }

    /// One line per request (target `aukiolo::request`, for filtering), inside its span.
    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, actix_web::Error>) {
        let (status, took) = match outcome {
            Ok(res) => (res.status(), res.request().extensions().get::<RequestId>().map(|id| id.1.elapsed())),
            Err(e) => (e.as_response_error().status_code(), None),
        };
        let micros = took.map_or(0, |t| u64::try_from(t.as_micros()).unwrap_or(u64::MAX));
        span.in_scope(
            || tracing::info!(target: "aukiolo::request", status = status.as_u16(), micros, "answered"),
        );
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}

/// The request target with the questionnaire token (API `/questionnaires/…`, page
/// `/questionnaire/…`) and any `token` or `t` parameter (manage links) masked. Names are
/// compared percent-decoded and without regard to case, as the router and the query
/// parser would read them: `?%74oken=` is `?token=`, `/questionnair%65s/` a questionnaire.
pub fn redact(target: &str) -> String {
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (target, None),
    };
    let decoded = percent_decoded(path);
    let path = if decoded.to_ascii_lowercase().contains("/questionnaire") { decoded.as_str() } else { path };
    let path = match (path.split_once("/questionnaires/"), path.split_once("/questionnaire/")) {
        (Some((before, _)), _) => format!("{before}/questionnaires/***"),
        (None, Some((before, _))) => format!("{before}/questionnaire/***"),
        (None, None) => path.to_owned(),
    };
    match query {
        None => path,
        Some(query) => {
            let query: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((name, _)) if is_secret(name) => format!("{name}=***"),
                    _ => pair.to_owned(),
                })
                .collect();
            format!("{path}?{}", query.join("&"))
        }
    }
}

/// Whether a query parameter's name, as written, is one that carries a link secret.
fn is_secret(name: &str) -> bool {
    let name = percent_decoded(&name.replace('+', " ")).to_ascii_lowercase();
    matches!(name.as_str(), "token" | "t")
}

/// `%XX` sequences decoded; anything that does not decode is kept as written.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::{redact, usable};

    #[test]
    fn only_plain_request_ids_are_taken() {
        assert!(usable("3f2a9c1e-77aa-4b1c-9d0e-0123456789ab"));
        assert!(usable("nginx:5e1b6a3.1"));
        assert!(!usable(""));
        assert!(!usable(&"a".repeat(129)));
        assert!(!usable("a b"));
        assert!(!usable("x\"}\n{\"level\":\"ERROR\""));
        assert!(!usable("matti.meikalainen@example.fi"));
    }

    #[test]
    fn secrets_are_masked() {
        assert_eq!(
            redact("/api/v1/bookings/K7M-4QX-9TD?token=eyJ.a.b&x=1"),
            "/api/v1/bookings/K7M-4QX-9TD?token=***&x=1"
        );
        assert_eq!(redact("/api/v1/questionnaires/abcDEF_123"), "/api/v1/questionnaires/***");
        assert_eq!(redact("/fi/manage/K7M-4QX-9TD?t=eyJ.a.b"), "/fi/manage/K7M-4QX-9TD?t=***");
        assert_eq!(redact("/sv/questionnaire/abcDEF_123"), "/sv/questionnaire/***");
        assert_eq!(redact("/api/v1/offices?from=2026-01-01"), "/api/v1/offices?from=2026-01-01");
    }

    #[test]
    fn encoded_names_are_masked_too() {
        assert_eq!(
            redact("/api/v1/bookings/K7M-4QX-9TD?%74oken=eyJ.a.b"),
            "/api/v1/bookings/K7M-4QX-9TD?%74oken=***"
        );
        assert_eq!(redact("/fi/manage/K7M-4QX-9TD?%54=eyJ.a.b&x=1"), "/fi/manage/K7M-4QX-9TD?%54=***&x=1");
        assert_eq!(redact("/api/v1/bookings/K?TOKEN=eyJ"), "/api/v1/bookings/K?TOKEN=***");
        assert_eq!(redact("/api/v1/questionnair%65s/abcDEF_123"), "/api/v1/questionnaires/***");
        assert_eq!(redact("/api/v1/offices?tokens=1&at=2"), "/api/v1/offices?tokens=1&at=2");
    }
}
