//! The OpenAPI document, generated from the handlers' annotations, and a Swagger UI page
//! served from the binary itself (no internet access needed).

use crate::auth::login;
use crate::routes::{
    absences, advisors, availability, bookings, closures, health, metrics, offices, outbox, questionnaires,
    schedule_rules, slots, staff_bookings, topics, users, visits,
};
use actix_web::web;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_swagger_ui::SwaggerUi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Aukiolo API",
        description = "Appointment-based office opening: offices, advisors, topics, schedules, slots, citizens' and staff's bookings, e-mail through the outbox, post-visit questionnaires and the pilot metrics.",
        license(name = "EUPL-1.2")
    ),
    paths(
        health::healthz, health::readyz,
        login::login, login::me,
        offices::list, offices::get, offices::create, offices::update, offices::delete,
        topics::list, topics::get, topics::create, topics::update, topics::delete,
        advisors::list_for_office, advisors::get, advisors::create, advisors::update, advisors::delete,
        schedule_rules::list_for_advisor, schedule_rules::get, schedule_rules::create,
        schedule_rules::update, schedule_rules::delete,
        absences::list_for_advisor, absences::get, absences::create, absences::update, absences::delete,
        closures::list_for_office, closures::get, closures::create, closures::update, closures::delete,
        slots::list, slots::conflicts,
        availability::availability, availability::staff_availability,
        bookings::create, bookings::view, bookings::cancel, bookings::reschedule, bookings::ics,
        staff_bookings::create, staff_bookings::detail, staff_bookings::events, staff_bookings::transition,
        staff_bookings::move_booking, staff_bookings::day, staff_bookings::conflicts, staff_bookings::audit_log,
        visits::call_attempt, visits::call_attempts, visits::assess, visits::assessment,
        visits::walk_in, visits::walk_ins,
        outbox::list, outbox::retry, outbox::status,
        questionnaires::open, questionnaires::answer,
        metrics::rows, metrics::comparison,
        users::list, users::get, users::update, users::delete,
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

/// `/api/openapi.json` and the readable page at `/api/docs/`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", ApiDoc::openapi())).route(
        "/api/docs",
        web::get().to(|| async {
            actix_web::HttpResponse::PermanentRedirect().insert_header(("Location", "/api/docs/")).finish()
        }),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
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
