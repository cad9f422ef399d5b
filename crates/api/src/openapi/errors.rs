//! The error answers of the document, written once for every operation: each is
//! `application/problem+json` with the `Problem` schema (as `ApiError` sends it), and the
//! answers an operation can give by its shape alone are added where its handler did not
//! describe them itself: a body can be unreadable (400), too large (413), of another
//! media type (415) or invalid (422); a query can be unreadable (400) or invalid (422); a
//! path can name nothing (404); a write can conflict with the data as it stands (409:
//! a unique or foreign key); a token can be missing (401) or not enough (403); the
//! database can be unavailable or overloaded (503), and the throttled operations refuse
//! with 429. A handler's own entry (with its specific description) is kept.

use utoipa::openapi::path::{Operation, ParameterIn, PathItem};
use utoipa::openapi::{Content, OpenApi, Ref, RefOr, Response};

/// The media type of every error answer (RFC 9457).
pub(crate) const PROBLEM_JSON: &str = "application/problem+json";

/// Operations refused per client: sign-in (its throttle) and the public ones that
/// `store::rate_limits` counts, a new booking and the free times.
const THROTTLED: [(&str, &str); 3] =
    [("post", "/api/v1/auth/login"), ("post", "/api/v1/bookings"), ("get", "/api/v1/availability")];

/// Paths that answer without the database.
const WITHOUT_DATABASE: [&str; 1] = ["/healthz"];

pub(crate) fn document(doc: &mut OpenApi) {
    for (path, item) in doc.paths.paths.iter_mut() {
        for (method, op) in operations(item) {
            for (status, description) in implied(path, method, op) {
                op.responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert_with(|| Response::new(description).into());
            }
            for (status, response) in op.responses.responses.iter_mut() {
                if let (true, RefOr::T(response)) = (status.as_str() >= "400", response) {
                    response.content.clear();
                    response.content.insert(
                        PROBLEM_JSON.to_owned(),
                        Content::new(Some(Ref::from_schema_name("Problem"))).into(),
                    );
                }
            }
        }
    }
}

fn operations(item: &mut PathItem) -> impl Iterator<Item = (&'static str, &mut Operation)> {
    [
        ("get", item.get.as_mut()),
        ("put", item.put.as_mut()),
        ("post", item.post.as_mut()),
        ("delete", item.delete.as_mut()),
        ("patch", item.patch.as_mut()),
    ]
    .into_iter()
    .filter_map(|(m, op)| op.map(|op| (m, op)))
}

/// The answers `op` can give by its shape, with a description each.
fn implied(path: &str, method: &str, op: &Operation) -> Vec<(&'static str, &'static str)> {
    let takes = |place: ParameterIn| {
        op.parameters.iter().flatten().any(|p| matches!(p, RefOr::T(p) if p.parameter_in == place))
    };
    let security = serde_json::to_value(&op.security).unwrap_or_default().to_string();
    let mut out = Vec::new();
    if op.request_body.is_some() || takes(ParameterIn::Query) {
        out.push((
            "400",
            "The request cannot be read: a body that is not JSON, or a query parameter given twice",
        ));
    }
    if security.contains("\"bearer\"") {
        out.push(("401", "No token, or one that is invalid, expired or of a changed account"));
        out.push(("403", "The account's role or office does not allow this"));
    }
    if security.contains("\"manage_link\"") {
        out.push(("401", "No manage token, or an invalid or expired one"));
        out.push(("403", "The token is for another booking"));
    }
    if takes(ParameterIn::Path) {
        out.push(("404", "Nothing is found at this path"));
    }
    // Staff writes go to the database's constraints; a citizen's own have their 409s
    // described by their handlers, and signing in writes nothing that could conflict.
    if matches!(method, "post" | "put" | "delete") && security.contains("\"bearer\"") {
        out.push((
            "409",
            "The change conflicts with the data as it stands (a duplicate, or other data still refers to it)",
        ));
    }
    if op.request_body.is_some() {
        out.push(("413", "The body is larger than 256 KiB"));
        out.push(("415", "The body is not application/json"));
        out.push(("422", "Invalid or missing fields, each named with a code"));
    } else if takes(ParameterIn::Query) {
        out.push(("422", "Invalid or missing parameters, each named with a code"));
    }
    if THROTTLED.contains(&(method, path)) {
        out.push(("429", "Too many requests; try again after `Retry-After` seconds"));
    }
    if !WITHOUT_DATABASE.contains(&path) {
        out.push(("503", "The database is unavailable or overloaded; try again after `Retry-After` seconds"));
    }
    out
}
