//! Response headers of the API. `nosniff` goes on every answer (the server wraps the
//! whole application in [`default_headers`]), so no browser reads a JSON or problem body
//! as HTML or script. `no-store` goes on the answers no cache may keep: a sign-in's
//! token, a booking's manage token, and staff answers that hold a personal identity code.

use actix_web::http::header::{self, HeaderName};
use actix_web::middleware::DefaultHeaders;

/// For `HttpResponse::…().insert_header(NO_STORE)`.
pub(crate) const NO_STORE: (HeaderName, &str) = (header::CACHE_CONTROL, "no-store");

/// Headers every answer of the application carries unless it sets its own.
pub fn default_headers() -> DefaultHeaders {
    DefaultHeaders::new().add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
}
