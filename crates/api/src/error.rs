//! The API's one error type, mapped once to RFC 9457 problem+json.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use aukiolo_domain::FieldError;
use aukiolo_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(thiserror::Error)]
pub enum ApiError {
    /// One or more fields are invalid (422); every one is listed.
    #[error("the request has invalid fields")]
    Validation(Vec<FieldError>),
    /// The body is not JSON at all (400).
    #[error("{0}")]
    BadRequest(String),
    /// The body is over the limit, in bytes (413).
    #[error("the body is larger than {0} bytes")]
    TooLarge(usize),
    /// The body did not arrive within this many seconds of the request head (408).
    #[error("the body did not arrive within {0} seconds")]
    RequestTimeout(f64),
    /// The body is not of a media type the API reads (415).
    #[error("send the body as application/json")]
    UnsupportedMediaType,
    /// A known path without this method (405); the methods it has, as `Allow` lists them.
    #[error("this resource allows only {0}")]
    MethodNotAllowed(String),
    #[error("{0}")]
    Unauthorized(&'static str),
    #[error("{0}")]
    Forbidden(&'static str),
    /// The role may not change these fields (403, each named).
    #[error("your role may not change the fields named")]
    ForbiddenFields(Vec<FieldError>),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Conflict(String),
    /// It existed but can no longer be used, e.g. an expired questionnaire link (410).
    #[error("{0}")]
    Gone(String),
    /// The time was taken meanwhile (409, with the next free times).
    #[error("the time was taken meanwhile; here are the next free times")]
    TimeTaken(Vec<aukiolo_domain::availability::FreeTime>),
    /// A move to another advisor at the same time found none free (409, with the next
    /// free times).
    #[error("no other advisor is free at {}; here are the next free times", .at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))]
    NoAdvisorFree {
        at: chrono::DateTime<chrono::Utc>,
        alternatives: Vec<aukiolo_domain::availability::FreeTime>,
    },
    #[error("too many failed attempts; try again later")]
    TooManyRequests { retry_after_secs: u64 },
    /// One client's requests over a limit of `store::rate_limits` (429).
    #[error("too many requests from this client; try again in {retry_after_secs} seconds")]
    RateLimited { retry_after_secs: u64 },
    #[error("the service is temporarily unavailable")]
    Unavailable(String),
    /// Anything unexpected: logged in full, answered with no detail.
    #[error("internal error")]
    Internal(String),
}

/// Logged with every error response: names the kind and, for validation, the fields, but
/// never a message that could echo a submitted value (an identity code, say).
impl std::fmt::Debug for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::Validation(fields) => {
                let names: Vec<&str> = fields.iter().map(|x| x.field.as_str()).collect();
                write!(f, "Validation({names:?})")
            }
            ApiError::Internal(cause) => write!(f, "Internal({cause})"),
            ApiError::Unavailable(cause) => write!(f, "Unavailable({cause})"),
            other => write!(f, "{}", other.slug()),
        }
    }
}

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    #[schema(example = "urn:aukiolo:problem:validation")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Every invalid field, for validation problems.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<ProblemField>>,
    /// The next free times, when the requested one was taken.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alternatives: Option<Vec<aukiolo_domain::availability::FreeTime>>,
}

/// One invalid field of a problem: where, a stable code to translate, and why in English.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemField {
    #[schema(example = "address.postal_code")]
    pub field: String,
    /// `required`, `too_long`, `control_character`, `unknown_value`, `invalid_uuid`,
    /// `invalid_date`, `invalid_type`, `out_of_range`, `unknown_field` or `invalid` (see
    /// `message`).
    #[schema(example = "required")]
    pub code: String,
    pub message: String,
}

impl ApiError {
    fn slug(&self) -> &'static str {
        match self {
            ApiError::Validation(_) => "validation",
            ApiError::BadRequest(_) => "bad-request",
            ApiError::TooLarge(_) => "too-large",
            ApiError::RequestTimeout(_) => "request-timeout",
            ApiError::UnsupportedMediaType => "unsupported-media-type",
            ApiError::MethodNotAllowed(_) => "method-not-allowed",
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::Forbidden(_) | ApiError::ForbiddenFields(_) => "forbidden",
            ApiError::NotFound(_) => "not-found",
            ApiError::Conflict(_) => "conflict",
            ApiError::Gone(_) => "gone",
            ApiError::TimeTaken(_) => "time-taken",
            ApiError::NoAdvisorFree { .. } => "no-advisor-free",
            ApiError::TooManyRequests { .. } => "too-many-requests",
            ApiError::RateLimited { .. } => "rate-limited",
            ApiError::Unavailable(_) => "unavailable",
            ApiError::Internal(_) => "internal",
        }
    }

    pub fn problem(&self) -> Problem {
        let status = self.status_code();
        let detail = match self {
            // The log has the cause; the client gets nothing internal.
            ApiError::Internal(_) => "an unexpected error occurred".to_owned(),
            ApiError::Unavailable(_) => "the service is temporarily unavailable; try again".to_owned(),
            other => other.to_string(),
        };
        Problem {
            kind: format!("urn:aukiolo:problem:{}", self.slug()),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail,
            errors: match self {
                ApiError::Validation(fields) | ApiError::ForbiddenFields(fields) => Some(
                    fields
                        .iter()
                        .map(|f| ProblemField {
                            field: f.field.clone(),
                            code: f.code.to_owned(),
                            message: f.message.clone(),
                        })
                        .collect(),
                ),
                _ => None,
            },
            alternatives: match self {
                ApiError::TimeTaken(times) | ApiError::NoAdvisorFree { alternatives: times, .. } => {
                    Some(times.clone())
                }
                _ => None,
            },
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) | ApiError::ForbiddenFields(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) | ApiError::TimeTaken(_) | ApiError::NoAdvisorFree { .. } => {
                StatusCode::CONFLICT
            }
            ApiError::Gone(_) => StatusCode::GONE,
            ApiError::TooManyRequests { .. } | ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Internal(cause) => tracing::error!(%cause, "internal error"),
            ApiError::Unavailable(cause) => tracing::warn!(%cause, "unavailable"),
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, "application/problem+json"));
        match self {
            ApiError::Unauthorized(_) => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"aukiolo\""));
            }
            ApiError::TooManyRequests { retry_after_secs } | ApiError::RateLimited { retry_after_secs } => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            ApiError::Unavailable(_) => {
                response.insert_header((header::RETRY_AFTER, "5"));
            }
            _ => {}
        }
        response.body(serde_json::to_string(&self.problem()).expect("problem serialises"))
    }
}

impl From<Vec<FieldError>> for ApiError {
    fn from(fields: Vec<FieldError>) -> Self {
        ApiError::Validation(fields)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Invalid(fields) => ApiError::Validation(fields),
            StoreError::NotFound(what) => ApiError::NotFound(what),
            StoreError::NotAllowed(fields) => ApiError::ForbiddenFields(fields),
            StoreError::Conflict(why) => ApiError::Conflict(why),
            StoreError::Refused(why) => ApiError::Conflict(why.to_string()),
            StoreError::Gone(why) => ApiError::Gone(why),
            StoreError::TimeTaken(times) => ApiError::TimeTaken(times),
            StoreError::Pool(e) => ApiError::Unavailable(e.to_string()),
            StoreError::Connect(e) | StoreError::Unavailable(e) => ApiError::Unavailable(e),
            StoreError::Duplicate { detail, .. } => {
                tracing::info!(%detail, "unique violation");
                ApiError::Conflict("the change conflicts with existing data".into())
            }
            StoreError::StillReferenced(detail) => {
                tracing::info!(%detail, "foreign key violation");
                ApiError::Conflict("other data still refers to this".into())
            }
            other => ApiError::Internal(other.to_string()),
        }
    }
}
