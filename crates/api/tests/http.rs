//! The API at the level of HTTP: a wrong method is 405 with `Allow`, a body of another
//! media type 415, a body too large 413, all problem+json; `Content-Type` read as a media
//! type; every missing or mistyped field of a body or query named at once with a code and
//! without parser internals; control characters refused; and the headers every answer,
//! and the answers no cache may keep, carry. Every test runs on SQLite and PostgreSQL.

mod common;

use actix_web::http::{Method, StatusCode};
use common::*;
use serde_json::{json, Value};

/// `(field, code)` of each error of a 422 problem, in order.
fn field_codes(res: &Resp) -> Vec<(String, String)> {
    let problem = res.expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
    problem["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("{}: {problem}", res.label))
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap_or_default().to_owned(),
                e["code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(f, c)| ((*f).to_owned(), (*c).to_owned())).collect()
}

fn with_method(method: Method, path: &str) -> Call {
    Call { method, path: path.to_owned(), body: Body::None }
}

aukiolo_store::backend_tests! {
    async fn a_wrong_method_is_405_with_allow_and_an_unknown_path_404(db) {
        let api = Api::new(db).await;
        for (method, path, allow) in [
            (Method::DELETE, "/api/v1/topics", "GET, POST"),
            (Method::PATCH, "/api/v1/offices/0a0a0a0a-0000-4000-8000-000000000000", "DELETE, GET, PUT"),
            (Method::GET, "/api/v1/auth/login", "POST"),
            (Method::PUT, "/api/v1/staff/bookings/0a0a0a0a-0000-4000-8000-000000000000/events", "GET"),
            (Method::GET, "/api/v1/staff/bookings/0a0a0a0a-0000-4000-8000-000000000000/arrive", "POST"),
            (Method::POST, "/healthz", "GET"),
        ] {
            let res = api.anonymous(&with_method(method, path)).await;
            let problem = res.expect_problem(StatusCode::METHOD_NOT_ALLOWED);
            assert_eq!(res.header("allow"), Some(allow), "{}", res.label);
            assert_eq!(problem["type"], "urn:aukiolo:problem:method-not-allowed", "{}", res.label);
        }
        api.anonymous(&Call::get("/api/v1/no-such-thing")).await.expect_problem(StatusCode::NOT_FOUND);
    }

    async fn content_type_is_read_as_a_media_type(db) {
        let api = Api::new(db).await;
        let login = r#"{"email": "nobody@aukiolo.test", "password": "not the password"}"#;
        let call = Call::post("/api/v1/auth/login", Value::Null);
        for accepted in ["application/json", "APPLICATION/JSON", "application/json; charset=utf-8", "Application/Json ;charset=UTF-8", "application/problem+json"] {
            let res = api.anonymous(&call.with_raw(Some(accepted), login)).await;
            res.expect_problem(StatusCode::UNAUTHORIZED);
        }
        for refused in [Some("application/jsonp"), Some("text/plain"), Some("application/x-json-stream"), Some("json"), None] {
            let res = api.anonymous(&call.with_raw(refused, login)).await;
            let problem = res.expect_problem(StatusCode::UNSUPPORTED_MEDIA_TYPE);
            assert_eq!(problem["type"], "urn:aukiolo:problem:unsupported-media-type", "{refused:?}");
        }
    }

    async fn a_body_too_large_is_413_and_one_not_json_400_as_problems(db) {
        let api = Api::new(db).await;
        let call = Call::post("/api/v1/auth/login", Value::Null);
        let huge = format!(r#"{{"email": "{}", "password": "x"}}"#, "x".repeat(300 * 1024));
        api.anonymous(&call.with_raw(Some("application/json"), huge)).await.expect_problem(StatusCode::PAYLOAD_TOO_LARGE);
        let problem = api
            .anonymous(&call.with_raw(Some("application/json"), "{\"email\": "))
            .await
            .expect_problem(StatusCode::BAD_REQUEST);
        assert!(!problem["detail"].as_str().unwrap_or_default().contains("EOF"), "{problem}");
    }

    async fn an_empty_booking_names_every_required_field_with_its_code(db) {
        let api = Api::new(db).await;
        let res = api.anonymous(&Call::post("/api/v1/bookings", json!({}))).await;
        assert_eq!(
            field_codes(&res),
            pairs(&[
                ("topic_id", "required"), ("channel", "required"), ("start", "required"), ("language", "required"),
                ("name", "required"), ("personal_id", "required"), ("email", "required"), ("description", "required"),
            ])
        );
        // Mistyped values: each named with what it should be, nothing of the parser's.
        let body = json!({
            "topic_id": "x", "channel": "fax", "start": "tomorrow", "language": 7, "name": "Maija",
            "personal_id": "131052-308T", "email": "maija@example.fi", "description": "Asumistuki",
            "office_id": "not-an-id", "needs": "none",
        });
        let res = api.anonymous(&Call::post("/api/v1/bookings", body)).await;
        let mut got = field_codes(&res);
        got.sort();
        assert_eq!(
            got,
            pairs(&[
                ("channel", "unknown_value"), ("language", "invalid_type"), ("needs", "invalid_type"),
                ("office_id", "invalid_uuid"), ("start", "invalid_date"), ("topic_id", "invalid_uuid"),
            ])
        );
        let text = res.text();
        for internal in ["UUID parsing failed", "invalid character", "expected", "found", "variant"] {
            assert!(!text.contains(internal), "{internal:?} in {text}");
        }
        assert!(text.contains("must be one of: office, phone"), "{text}");
    }

    async fn control_characters_are_refused_in_names_and_texts(db) {
        let w = World::new(db).await;
        let body = with(office_body("Pasila"), "/name/fi", json!("Pasi\u{0}la"));
        let res = w.api.call(&Call::post("/api/v1/offices", body), &w.admin.token).await;
        assert_eq!(field_codes(&res), pairs(&[("name.fi", "control_character")]));

        let start = chrono::Utc::now();
        let mut booking = booking_body(&w.topic, Some(&w.office_a), start, "131052-308T");
        booking["name"] = json!("Maija\u{1b}[31m");
        booking["description"] = json!("Kaksi riviä\r\nja\tsarkain\u{0}");
        let res = w.api.anonymous(&Call::post("/api/v1/bookings", booking.clone())).await;
        let codes = field_codes(&res);
        for field in ["name", "description"] {
            assert!(codes.contains(&(field.to_owned(), "control_character".to_owned())), "{field}: {codes:?}");
        }
        // Line breaks and tabs are text in a description.
        booking["name"] = json!("Maija");
        booking["description"] = json!("Kaksi riviä\r\nja\tsarkain");
        let res = w.api.anonymous(&Call::post("/api/v1/bookings", booking)).await;
        if res.status == StatusCode::UNPROCESSABLE_ENTITY {
            assert!(field_codes(&res).iter().all(|(f, _)| f != "description" && f != "name"), "{}", res.text());
        }
    }

    async fn availability_takes_a_bookings_languages_and_names_every_bad_parameter(db) {
        let w = World::new(db).await;
        let day = today();
        let call = |query: String| Call::get(format!("/api/v1/availability?{query}"));
        let good = format!("topic_id={}&channel=office&office_id={}&from={day}", w.topic, w.office_a);
        let res = w.api.anonymous(&call(format!("{good}&language=de"))).await;
        assert_eq!(field_codes(&res), pairs(&[("language", "unknown_value")]));
        w.api.anonymous(&call(format!("{good}&language=sv"))).await.expect(StatusCode::OK);
        let res = w.api.anonymous(&call("topic_id=x".to_owned())).await;
        assert_eq!(
            field_codes(&res),
            pairs(&[("topic_id", "invalid_uuid"), ("channel", "required"), ("language", "required")])
        );
        let res = w.api.anonymous(&call(format!("{good}&language=fi&language=sv"))).await;
        res.expect_problem(StatusCode::BAD_REQUEST);
    }

    async fn every_answer_is_nosniff_and_secrets_are_not_stored(db) {
        let w = World::bookable(db).await;
        for call in [Call::get("/api/v1/offices"), Call::get("/api/v1/nothing"), with_method(Method::PATCH, "/api/v1/topics"), Call::get("/healthz"), Call::get("/api/openapi.json")] {
            let res = w.api.anonymous(&call).await;
            assert_eq!(res.header("x-content-type-options"), Some("nosniff"), "{}", res.label);
        }
        let signed_in = w.api.login("admin@aukiolo.test", PASSWORD).await;
        assert_eq!(signed_in.header("cache-control"), Some("no-store"), "{}", signed_in.label);

        let start = free_week_starts(&w.api, &w.topic, &w.office_a).await[0];
        let body = booking_body(&w.topic, Some(&w.office_a), start, "131052-308T");
        let res = w.api.anonymous(&Call::post("/api/v1/bookings", body)).await;
        let created = res.expect(StatusCode::CREATED);
        assert_eq!(res.header("cache-control"), Some("no-store"), "{}", res.label);

        let id = booking_id(&created);
        let res = w.api.call(&Call::get(format!("/api/v1/staff/bookings/{id}")), &w.admin.token).await;
        let detail = res.expect(StatusCode::OK);
        assert_eq!(detail["personal_id"], "131052-308T", "the detail holds the identity code");
        assert_eq!(res.header("cache-control"), Some("no-store"), "{}", res.label);
    }
}

/// Every operation of the document, with its path parameters filled in.
fn documented_calls() -> Vec<Call> {
    let doc = serde_json::to_value(aukiolo_api::openapi_document()).expect("the document serialises");
    let mut calls = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let concrete = path
            .replace("{action}", "arrive")
            .replace("{reference}", "K7M-4QX-9TD")
            .replace("{token}", "abc")
            .replace("{id}", "0a0a0a0a-0000-4000-8000-000000000000");
        for method in item.as_object().expect("a path item").keys() {
            let method: Method = method.to_uppercase().parse().expect("a method");
            calls.push(with_method(method, &concrete));
        }
    }
    calls
}

aukiolo_store::backend_tests! {
    async fn every_documented_operation_is_routed_to_its_handler(db) {
        let w = World::new(db).await;
        let calls = documented_calls();
        assert!(calls.len() > 60, "{} operations", calls.len());
        for call in calls {
            let res = w.api.call(&call, &w.admin.token).await;
            let problem: Value = serde_json::from_slice(&res.body).unwrap_or(Value::Null);
            // The fallback's answers: what no route took.
            let unrouted = res.status == StatusCode::METHOD_NOT_ALLOWED
                || (res.status == StatusCode::NOT_FOUND && problem["detail"] == "resource not found");
            assert!(!unrouted, "{} is documented but not routed: {} {}", res.label, res.status, res.text());
        }
    }
}
