//! The questionnaire link over HTTP: a completed visit's token opens the questionnaire in
//! the booking's language and answers it once (201, then 409); bad answers are a 422
//! naming `answers.<key>` and spend nothing; an expired link is 410; unknown, guessed or
//! malformed tokens are 404. Every test runs on SQLite and PostgreSQL.

mod common;

use actix_web::http::{Method, StatusCode};
use aukiolo_domain::outbox::MessageKind;
use aukiolo_domain::BookingId;
use aukiolo_store::schema::questionnaire_invitations;
use aukiolo_store::sql_types::DbTime;
use aukiolo_store::test_support::TestDb;
use chrono::Duration;
use common::*;
use diesel::prelude::*;
use serde_json::{json, Value};

fn link(token: &str) -> String {
    format!("/api/v1/questionnaires/{token}")
}

fn staff_action(id: &str, action: &str) -> Call {
    Call { method: Method::POST, path: format!("/api/v1/staff/bookings/{id}/{action}"), body: Body::None }
}

/// Books a visit at office A, has the admin apply `actions` to it when the visit clock
/// allows (a cancellation the day before, the rest five minutes after the start, where
/// the application's clock is left), and returns the booking id and, if one was sent,
/// the token of its questionnaire invitation.
async fn served(w: &mut World, db: &TestDb, personal_id: &str, actions: &[&str]) -> (String, Option<String>) {
    let start = free_week_starts(&w.api, &w.topic, &w.office_a).await[0];
    let created = book(&w.api, booking_body(&w.topic, Some(&w.office_a), start, personal_id)).await;
    let id = booking_id(&created);
    let at = if actions == ["cancel"] { start - Duration::days(1) } else { start + Duration::minutes(5) };
    w.at(at).await;
    for action in actions {
        w.api.call(&staff_action(&id, action), &w.admin.token).await.expect(StatusCode::OK);
    }
    let booking = BookingId(id.parse().unwrap());
    let messages = aukiolo_store::outbox::for_booking(&mut db.conn(), booking).unwrap();
    let tokens: Vec<String> = messages
        .into_iter()
        .filter(|m| m.kind == MessageKind::QuestionnaireInvitation)
        .map(|m| m.payload.link_token.expect("an invitation carries its token"))
        .collect();
    assert!(tokens.len() <= 1, "{tokens:?}");
    (id, tokens.into_iter().next())
}

/// A completed visit's questionnaire token.
async fn completed(w: &mut World, db: &TestDb) -> String {
    let (_, token) = served(w, db, PERSONAL_IDS[0], &["start", "complete"]).await;
    token.expect("a completed visit is invited")
}

fn good_answers() -> Value {
    json!({
        "answers": {
            "satisfaction": 5,
            "recommend": 10,
            "effort": 6,
            "preference": "appointment",
            "channels_known": [],
            "could_online": "partly",
            "comments": "Kiitos!"
        }
    })
}

/// A token of the right shape that no invitation has.
fn guessed_token() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    (0..43).map(|_| ALPHABET[rand::random_range(0..ALPHABET.len())] as char).collect()
}

aukiolo_store::backend_tests! {
    async fn a_link_opens_and_answers_once(db) {
        let mut w = World::bookable(db).await;
        let token = completed(&mut w, db).await;

        let res = w.api.anonymous(&Call::get(link(&token))).await;
        let body = res.expect(StatusCode::OK);
        assert_eq!(res.header("cache-control"), Some("no-store"));
        let q = &body["questionnaire"];
        assert_eq!((&q["key"], &q["version"], &q["locale"]), (&json!("pilot"), &json!(1), &json!("fi")));
        assert_eq!(q["title"], "Kerro kokemuksestasi Kelan palvelusta");
        let keys: Vec<&str> = q["questions"].as_array().unwrap().iter().map(|q| q["key"].as_str().unwrap()).collect();
        assert_eq!(keys, ["satisfaction", "recommend", "effort", "preference", "channels_known", "could_online", "comments"]);
        assert_eq!(q["questions"][1]["kind"], json!({ "type": "nps", "min": 0, "max": 10 }));
        let expires = instant(&body["expires_at"]);
        let expected = w.api.now() + Duration::minutes(120) + Duration::days(14);
        assert_eq!(expires, expected, "sent two hours after completion, open for 14 days");

        let answered = w.api.anonymous(&Call::post(link(&token), good_answers())).await;
        assert_eq!(answered.expect(StatusCode::CREATED), json!({ "status": "received" }));

        for call in [Call::post(link(&token), good_answers()), Call::get(link(&token))] {
            let problem = w.api.anonymous(&call).await.expect_problem(StatusCode::CONFLICT);
            assert_eq!(problem["type"], "urn:aukiolo:problem:conflict");
        }
    }

    async fn bad_answers_name_each_question_and_spend_nothing(db) {
        let mut w = World::bookable(db).await;
        let token = completed(&mut w, db).await;
        let post = |body: Value| Call::post(link(&token), body);

        let cases: Vec<(Value, &[&str])> = vec![
            (json!({ "answers": { "satisfaction": 5, "recommend": 11, "effort": 6 } }), &["answers.recommend"]),
            (json!({ "answers": { "recommend": 9, "effort": 6 } }), &["answers.satisfaction"]),
            (
                json!({ "answers": {
                    "satisfaction": 0, "recommend": 9.5, "effort": "easy",
                    "preference": "sometimes", "channels_known": ["online", "online"], "mood": "good"
                } }),
                &[
                    "answers.satisfaction", "answers.recommend", "answers.effort",
                    "answers.preference", "answers.channels_known", "answers.mood",
                ],
            ),
            (json!({ "answers": [] }), &["answers"]),
            (json!({}), &["answers"]),
            (plus(good_answers(), "booking", json!("K7M-4QX-9TD")), &["booking"]),
        ];
        for (body, fields) in cases {
            let res = w.api.anonymous(&post(body.clone())).await;
            assert_eq!(res.invalid_fields(), fields, "{body}");
        }
        let not_json = post(Value::Null).with_raw(Some("application/json"), "{\"answers\": ");
        w.api.anonymous(&not_json).await.expect_problem(StatusCode::BAD_REQUEST);

        // None of these used the link up.
        w.api.anonymous(&Call::get(link(&token))).await.expect(StatusCode::OK);
        w.api.anonymous(&post(good_answers())).await.expect(StatusCode::CREATED);
    }

    async fn expired_links_are_gone(db) {
        let mut w = World::bookable(db).await;
        let token = completed(&mut w, db).await;
        diesel::update(questionnaire_invitations::table)
            .set(questionnaire_invitations::expires_at.eq(DbTime(w.api.now() - Duration::minutes(1))))
            .execute(&mut db.conn())
            .unwrap();

        for call in [Call::get(link(&token)), Call::post(link(&token), good_answers())] {
            let problem = w.api.anonymous(&call).await.expect_problem(StatusCode::GONE);
            assert_eq!(problem["type"], "urn:aukiolo:problem:gone");
            assert!(problem["detail"].as_str().unwrap().contains("expired"), "{problem}");
        }
    }

    async fn unknown_tokens_are_not_found(db) {
        let mut w = World::bookable(db).await;
        let token = completed(&mut w, db).await;
        let hash: String = questionnaire_invitations::table
            .select(questionnaire_invitations::token_hash)
            .first(&mut db.conn())
            .unwrap();

        let mut wrong = token.clone();
        wrong.replace_range(..1, if token.starts_with('A') { "B" } else { "A" });
        for unknown in [guessed_token(), wrong, hash, "abc".to_owned(), format!("{token}x")] {
            for call in [Call::get(link(&unknown)), Call::post(link(&unknown), good_answers())] {
                let problem = w.api.anonymous(&call).await.expect_problem(StatusCode::NOT_FOUND);
                assert_eq!(problem["type"], "urn:aukiolo:problem:not-found", "{unknown}");
            }
        }
        // The real link is unaffected by the guesses.
        w.api.anonymous(&Call::post(link(&token), good_answers())).await.expect(StatusCode::CREATED);
    }

    async fn only_completed_visits_are_invited(db) {
        let mut w = World::bookable(db).await;
        let (_, no_show) = served(&mut w, db, PERSONAL_IDS[1], &["no-show"]).await;
        let (_, cancelled) = served(&mut w, db, PERSONAL_IDS[2], &["cancel"]).await;
        let (_, in_service) = served(&mut w, db, PERSONAL_IDS[3], &["arrive", "start"]).await;
        assert_eq!((no_show, cancelled, in_service), (None, None, None));
        let (id, token) = served(&mut w, db, PERSONAL_IDS[4], &["arrive", "start", "complete"]).await;
        let token = token.expect("the completed visit is invited");
        assert!(!token.contains(&id));
        w.api.anonymous(&Call::get(link(&token))).await.expect(StatusCode::OK);
    }

    async fn the_api_document_describes_the_link(db) {
        let api = Api::new(db).await;
        let doc = api.anonymous(&Call::get("/api/openapi.json")).await.expect(StatusCode::OK);
        let path = &doc["paths"]["/api/v1/questionnaires/{token}"];
        let (get, post) = (
            &["200", "404", "409", "410", "503"][..],
            &["201", "400", "404", "409", "410", "413", "415", "422", "503"][..],
        );
        for (method, statuses) in [("get", get), ("post", post)] {
            let responses = path[method]["responses"].as_object().unwrap_or_else(|| panic!("{method}: {path}"));
            let mut listed: Vec<&str> = responses.keys().map(String::as_str).collect();
            listed.sort();
            assert_eq!(listed, statuses, "{method}");
            for (status, response) in responses {
                assert!(response["description"].as_str().is_some_and(|d| !d.is_empty()), "{method} {status}");
            }
        }
        let schemas = &doc["components"]["schemas"];
        for name in ["QuestionnaireView", "LocalisedQuestionnaire", "SubmittedAnswers", "Answers", "Answer"] {
            assert!(schemas[name].is_object(), "schema {name} is in the document");
        }
    }
}
