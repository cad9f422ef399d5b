//! The OpenAPI document: its frame here (info, tags, security schemes), its operations
//! from the routes as `crate::routing` mounts them, the errors every operation can give
//! (`errors`), and a Swagger UI page served from the binary itself (no internet access
//! needed).

pub(crate) mod errors;
pub(crate) mod methods;

use actix_web::web;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_swagger_ui::SwaggerUi;

/// The document's frame; `crate::routing::mount` adds the operations.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Aukiolo API",
        description = "Appointment-based office opening: offices, advisors, topics, schedules, slots, citizens' and staff's bookings, e-mail through the outbox, post-visit questionnaires and the pilot metrics.",
        license(name = "EUPL-1.2")
    ),
    components(schemas(crate::error::Problem, crate::error::ProblemField)),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Staff sign-in"),
        (name = "offices"), (name = "topics"), (name = "advisors"),
        (name = "schedules", description = "Weekly schedule templates"),
        (name = "absences"), (name = "closures"),
        (name = "slots", description = "Materialised bookable times"),
        (name = "bookings", description = "Citizens find times and book, then manage the booking by its link"),
        (name = "staff", description = "Advisors' day, status changes at the times the visit clock allows, call attempts, assessments, walk-ins, conflicts, audit"),
        (name = "operations", description = "Health checks, the outbox of e-mail and its counts"),
        (name = "questionnaires", description = "The post-visit questionnaire, opened and answered through the single-use link of its invitation"),
        (name = "metrics", description = "The pilot dashboard's figures and pilot/control comparisons, as JSON or CSV"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
        components
            .add_security_scheme("manage_link", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// `/api/openapi.json` (the document of what was mounted) and the readable page at
/// `/api/docs/`.
pub(crate) fn serve(cfg: &mut web::ServiceConfig, doc: utoipa::openapi::OpenApi) {
    cfg.service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", doc)).route(
        "/api/docs",
        web::get().to(|| async {
            actix_web::HttpResponse::PermanentRedirect().insert_header(("Location", "/api/docs/")).finish()
        }),
    );
}

#[cfg(test)]
mod tests {
    /// Every `$ref` in `value`.
    fn refs<'v>(value: &'v serde_json::Value, out: &mut Vec<&'v str>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, v) in map {
                    match (key.as_str(), v) {
                        ("$ref", serde_json::Value::String(r)) => out.push(r),
                        _ => refs(v, out),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }

    #[test]
    fn the_document_lists_the_metrics_and_every_reference_resolves() {
        let doc = serde_json::to_value(crate::routing::document()).unwrap();
        for path in ["/api/v1/metrics", "/api/v1/metrics/comparison"] {
            let content = &doc["paths"][path]["get"]["responses"]["200"]["content"];
            assert!(content["application/json"].is_object() && content["text/csv"].is_object(), "{path}");
        }
        let mut found = Vec::new();
        refs(&doc, &mut found);
        let schemas = &doc["components"]["schemas"];
        for r in found {
            let name = r.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("{r}"));
            assert!(schemas[name].is_object(), "{r} is not in the document");
        }
        for name in ["MetricsReport", "MetricsRow", "Rate", "Comparison", "ComparedMeasure"] {
            assert!(schemas[name].is_object(), "{name}");
        }
        let paths = [
            ("/api/v1/staff/availability", "get"),
            ("/api/v1/staff/bookings/{id}/call-attempts", "get"),
            ("/api/v1/staff/bookings/{id}/call-attempts", "post"),
            ("/api/v1/staff/bookings/{id}/assessment", "get"),
            ("/api/v1/staff/bookings/{id}/assessment", "post"),
            ("/api/v1/staff/offices/{id}/walk-ins", "get"),
            ("/api/v1/staff/offices/{id}/walk-ins", "post"),
        ];
        for (path, method) in paths {
            assert!(doc["paths"][path][method].is_object(), "{method} {path}");
        }
        for name in ["StaffBookingCreated", "CallAttempt", "AssessmentRecord", "WalkIn", "ConflictBooking"] {
            assert!(schemas[name].is_object(), "{name}");
        }
        let created = &schemas["StaffBookingCreated"];
        let text = created.to_string();
        assert!(text.contains("\"id\"") && text.contains("#/components/schemas/BookingCreated"), "{created}");
    }
}
