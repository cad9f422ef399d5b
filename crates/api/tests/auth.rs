//! Who may call what, over HTTP: every staff endpoint refuses missing and bad tokens with
//! 401, roles and office scopes are enforced with 403 (and refused calls change nothing),
//! and sign-in answers tokens, does not tell a wrong password from an unknown e-mail, and
//! is throttled after repeated failures. Every test runs on SQLite and PostgreSQL.

mod common;

use actix_web::http::{Method, StatusCode};
use aukiolo_api::auth::jwt::Keys;
use aukiolo_domain::staff::Role;
use aukiolo_store::staff::StaffUser;
use chrono::{DateTime, Duration, Utc};
use common::*;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::json;
use uuid::Uuid;

/// Unpadded base64url, enough to hand-craft a token.
fn base64url(input: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in input.chunks(3) {
        let bytes = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = u32::from_be_bytes([0, bytes[0], bytes[1], bytes[2]]);
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

/// Every endpoint that needs a staff token, each with a body the admin could send.
fn staff_endpoints(w: &World) -> Vec<Call> {
    let (a, adv, topic) = (&w.office_a, &w.advisor_a, &w.topic);
    let day = free_week_monday();
    let some = Uuid::new_v4();
    vec![
        Call::post("/api/v1/offices", office_body("Pasila")),
        Call::put(format!("/api/v1/offices/{a}"), office_body("Kamppi")),
        Call::delete(format!("/api/v1/offices/{}", w.office_b)),
        Call::post("/api/v1/topics", topic_body("pensions")),
        Call::put(format!("/api/v1/topics/{topic}"), topic_body("housing_allowance")),
        Call::delete(format!("/api/v1/topics/{topic}")),
        Call::post("/api/v1/advisors", advisor_body(a, &[])),
        Call::get(format!("/api/v1/offices/{a}/advisors")),
        Call::get(format!("/api/v1/advisors/{adv}")),
        Call::put(format!("/api/v1/advisors/{adv}"), advisor_body(a, &[topic])),
        Call::delete(format!("/api/v1/advisors/{adv}")),
        Call::post("/api/v1/schedule-rules", rule_body(adv, 1)),
        Call::get(format!("/api/v1/advisors/{adv}/schedule-rules")),
        Call::put(format!("/api/v1/schedule-rules/{some}"), rule_body(adv, 2)),
        Call::delete(format!("/api/v1/schedule-rules/{some}")),
        Call::post("/api/v1/absences", absence_body(adv, day)),
        Call::get(format!("/api/v1/advisors/{adv}/absences")),
        Call::put(format!("/api/v1/absences/{some}"), absence_body(adv, day)),
        Call::delete(format!("/api/v1/absences/{some}")),
        Call::post("/api/v1/closures", closure_body(a, day)),
        Call::get(format!("/api/v1/offices/{a}/closures")),
        Call::put(format!("/api/v1/closures/{some}"), closure_body(a, day)),
        Call::delete(format!("/api/v1/closures/{some}")),
        week_slots_call(a, day),
        Call::get(format!("/api/v1/staff/offices/{a}/conflicts")),
        Call::get("/api/v1/admin/users"),
        Call::get(format!("/api/v1/metrics?from={day}&to={}&group_by=office", day + Duration::days(7))),
        Call::get(format!("/api/v1/metrics/comparison?from={day}&to={}", day + Duration::days(7))),
    ]
}

/// A token signed with the right key whose claims or algorithm are not the accepted ones.
fn resigned(
    token: &str,
    algorithm: Algorithm,
    change: impl FnOnce(&mut aukiolo_api::auth::jwt::Claims),
) -> String {
    let mut claims = keys().verify(token, start()).expect("a valid token to start from");
    change(&mut claims);
    jsonwebtoken::encode(&Header::new(algorithm), &claims, &EncodingKey::from_secret(SECRET)).expect("sign")
}

/// `Authorization` values that must not get anyone in, with what is wrong with each.
fn bad_credentials(admin: &Member) -> Vec<(&'static str, Option<String>)> {
    let now = start();
    let hour = Duration::hours(1);
    let account = StaffUser {
        id: admin.id,
        email: admin.email.clone(),
        password_hash: String::new(),
        role: Role::Admin,
        office_id: None,
        advisor_id: None,
        active: true,
        access_version: 0,
    };
    let expired = keys().issue(&account, now - hour * 2, now - hour);
    let forged = Keys::new(b"another secret that is also 32+ bytes").issue(&account, now, now + hour);
    let payload = admin.token.split('.').nth(1).expect("a JWT has a payload");
    let unsigned = format!("{}.{payload}.", base64url(br#"{"alg":"none","typ":"JWT"}"#));
    let bearer = |t: &str| Some(format!("Bearer {t}"));
    vec![
        ("no Authorization header", None),
        ("an expired token", bearer(&expired)),
        ("a token signed with another secret", bearer(&forged)),
        ("an unsigned alg=none token", bearer(&unsigned)),
        ("a valid token after another scheme", Some(format!("Basic {}", admin.token))),
        ("a token that is not a JWT", bearer("not.a.token")),
        ("an empty bearer token", Some("Bearer ".into())),
        (
            "a token for another audience",
            bearer(&resigned(&admin.token, Algorithm::HS256, |c| c.aud = "other".into())),
        ),
        (
            "a token from another issuer",
            bearer(&resigned(&admin.token, Algorithm::HS256, |c| c.iss = "other".into())),
        ),
        ("a token signed with HS512", bearer(&resigned(&admin.token, Algorithm::HS512, |_| {}))),
    ]
}

aukiolo_store::backend_tests! {
    async fn staff_endpoints_refuse_missing_and_bad_tokens(db) {
        let w = World::new(db).await;
        let before = snapshot(&w).await;
        let endpoints = staff_endpoints(&w);
        for (what, authorization) in bad_credentials(&w.admin) {
            for call in &endpoints {
                let res = w.api.request(call, authorization.as_deref()).await;
                assert_eq!(
                    res.status,
                    StatusCode::UNAUTHORIZED,
                    "{} with {what}: {}",
                    res.label,
                    res.text()
                );
                let problem = res.expect_problem(StatusCode::UNAUTHORIZED);
                assert_eq!(
                    problem["type"], "urn:aukiolo:problem:unauthorized",
                    "{} with {what}",
                    res.label
                );
                assert!(
                    res.header("www-authenticate")
                        .is_some_and(|v| v.starts_with("Bearer")),
                    "{} with {what}",
                    res.label
                );
            }
        }
        assert_eq!(
            snapshot(&w).await,
            before,
            "refused requests changed nothing"
        );
        // The control: the admin's own token gets past authentication everywhere.
        for call in &endpoints {
            let res = w.api.call(call, &w.admin.token).await;
            assert!(
                ![StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN].contains(&res.status),
                "{} as admin: {} {}",
                res.label,
                res.status,
                res.text()
            );
        }
    }

    async fn roles_and_office_scopes_are_enforced(db) {
        let w = World::new(db).await;
        let (a, b) = (w.office_a.as_str(), w.office_b.as_str());
        let manager_a = member(
            &w.api,
            db,
            "manager.a@aukiolo.test",
            Role::OfficeManager,
            Some(a),
        )
        .await;
        let advisor_a = member(&w.api, db, "advisor.a@aukiolo.test", Role::Advisor, Some(a)).await;
        let pilot_lead = member(&w.api, db, "pilot.lead@aukiolo.test", Role::PilotLead, None).await;
        let (in_a, in_b) = (office_calls(a, &w.advisor_a), office_calls(b, &w.advisor_b));

        let before = snapshot(&w).await;
        // Role first: admin-only and manager-only calls, made from inside the caller's own office.
        let wrong_role = [
            (
                &advisor_a,
                Call::post("/api/v1/offices", office_body("Pasila")),
            ),
            (
                &pilot_lead,
                Call::post("/api/v1/advisors", advisor_body(a, &[])),
            ),
            (
                &manager_a,
                Call::post("/api/v1/offices", office_body("Pasila")),
            ),
            (&manager_a, Call::delete(format!("/api/v1/offices/{a}"))),
            (
                &manager_a,
                Call::post("/api/v1/topics", topic_body("pensions")),
            ),
            (
                &manager_a,
                Call::put(format!("/api/v1/topics/{}", w.topic), topic_body("renamed")),
            ),
        ];
        for (who, call) in &wrong_role {
            expect_outcome(&w.api, who, call, false).await;
        }
        // Then scope (and role): each caller against an office, and whether they may read
        // there; all their writes are refused.
        let rows = [
            (&manager_a, &in_b, false),
            (&advisor_a, &in_b, false),
            (&advisor_a, &in_a, true),
            (&pilot_lead, &in_b, true),
        ];
        for (who, calls, may_read) in rows {
            for call in calls {
                let allowed = may_read && call.method == Method::GET;
                expect_outcome(&w.api, who, call, allowed).await;
            }
        }
        assert_eq!(
            snapshot(&w).await,
            before,
            "refused requests changed nothing"
        );

        // The controls: the manager in their own office, the admin in the other one.
        for (who, calls) in [(&manager_a, &in_a), (&w.admin, &in_b)] {
            for call in calls {
                expect_outcome(&w.api, who, call, true).await;
            }
        }
        let renamed = w
            .api
            .anonymous(&Call::get(format!("/api/v1/offices/{a}")))
            .await
            .expect(StatusCode::OK);
        assert_eq!(renamed["name"]["fi"], "Renamed by staff");
    }

    async fn login_answers_a_token_that_works(db) {
        let api = Api::new(db).await;
        let office = {
            let admin = member(&api, db, "admin@aukiolo.test", Role::Admin, None).await;
            create_office(&api, &admin.token, "Kamppi").await
        };
        create_staff(
            db,
            "Manager@Aukiolo.test",
            Role::OfficeManager,
            Some(&office),
        );
        let started = api.now();
        // E-mail addresses are compared without case and surrounding space.
        let body = api
            .login("  manager@AUKIOLO.test ", PASSWORD)
            .await
            .expect(StatusCode::OK);
        let token = body["token"].as_str().expect("a token");
        let expires_at: DateTime<Utc> =
            serde_json::from_value(body["expires_at"].clone()).expect("an instant");
        let ttl = expires_at - started;
        assert!(
            Duration::hours(10) - Duration::minutes(1) <= ttl
                && ttl <= Duration::hours(10) + Duration::minutes(1),
            "{ttl}"
        );
        let claims = keys().verify(token, api.now()).expect("the token verifies");
        assert_eq!(
            (claims.role, claims.office.map(|o| o.to_string())),
            (Role::OfficeManager, Some(office.clone()))
        );
        api.call(
            &Call::get(format!("/api/v1/offices/{office}/advisors")),
            token,
        )
        .await
        .expect(StatusCode::OK);
        let me = api.call(&Call::get("/api/v1/auth/me"), token).await.expect(StatusCode::OK);
        assert_eq!(
            (&me["email"], &me["role"], &me["office_id"]),
            (&json!("manager@aukiolo.test"), &json!("office_manager"), &json!(office))
        );
    }

    async fn a_changed_account_loses_its_tokens_at_once(db) {
        let w = World::new(db).await;
        let a = w.office_a.as_str();
        let advisor = member(&w.api, db, "advisor.a@aukiolo.test", Role::Advisor, Some(a)).await;
        let manager = member(&w.api, db, "manager.a@aukiolo.test", Role::OfficeManager, Some(a)).await;
        let other_admin = member(&w.api, db, "admin2@aukiolo.test", Role::Admin, None).await;
        let audit = Call::get("/api/v1/admin/audit-log");
        let closure = Call::post("/api/v1/closures", closure_body(a, free_week_monday()));
        w.api.call(&audit, &other_admin.token).await.expect(StatusCode::OK);
        let account = |m: &Member, role: &str, office: Option<&str>, active: bool| {
            Call::put(
                format!("/api/v1/admin/users/{}", m.id),
                json!({ "role": role, "office_id": office, "active": active }),
            )
        };

        // An admin changed to pilot lead: the old token stops reading the audit log.
        let changed = w
            .api
            .call(&account(&other_admin, "pilot_lead", None, true), &w.admin.token)
            .await
            .expect(StatusCode::OK);
        assert_eq!(changed["role"], "pilot_lead");
        w.api.call(&audit, &other_admin.token).await.expect_problem(StatusCode::UNAUTHORIZED);
        // Signed in again, the account has its new role and no more.
        let fresh = w.api.login("admin2@aukiolo.test", PASSWORD).await.expect(StatusCode::OK);
        let fresh = fresh["token"].as_str().expect("a token");
        w.api.call(&audit, fresh).await.expect_problem(StatusCode::FORBIDDEN);

        // A deactivated advisor: refused at once, and cannot sign in again.
        w.api
            .call(&account(&advisor, "advisor", Some(a), false), &w.admin.token)
            .await
            .expect(StatusCode::OK);
        w.api.call(&Call::get("/api/v1/auth/me"), &advisor.token).await.expect_problem(StatusCode::UNAUTHORIZED);
        w.api.login("advisor.a@aukiolo.test", PASSWORD).await.expect_problem(StatusCode::UNAUTHORIZED);

        // A deleted manager's token creates no closure.
        w.api
            .call(&Call::delete(format!("/api/v1/admin/users/{}", manager.id)), &w.admin.token)
            .await
            .expect(StatusCode::NO_CONTENT);
        w.api.call(&closure, &manager.token).await.expect_problem(StatusCode::UNAUTHORIZED);
        let closures = w.api.call(&Call::get(format!("/api/v1/offices/{a}/closures")), &w.admin.token).await;
        assert_eq!(closures.expect(StatusCode::OK), json!([]));

        // Linking an advisor changes no access: the token still works.
        let admin_me = w.api.call(&Call::get("/api/v1/auth/me"), &w.admin.token).await.expect(StatusCode::OK);
        assert_eq!(admin_me["role"], "admin");
        // Bad changes are named.
        let bad = w.api.call(&account(&advisor, "advisor", None, true), &w.admin.token).await;
        assert_eq!(bad.invalid_fields(), ["office"]);
        // Only admins change accounts.
        w.api.call(&account(&advisor, "admin", None, true), fresh).await.expect_problem(StatusCode::FORBIDDEN);
    }

    async fn wrong_password_and_unknown_email_answer_alike(db) {
        let api = Api::new(db).await;
        create_staff(db, "admin@aukiolo.test", Role::Admin, None);
        let wrong_password = api
            .login("admin@aukiolo.test", "not the password at all")
            .await;
        let unknown_email = api.login("nobody@aukiolo.test", PASSWORD).await;
        let problems = [wrong_password, unknown_email].map(|res| {
            assert!(res.header("www-authenticate").is_some(), "{}", res.label);
            res.expect_problem(StatusCode::UNAUTHORIZED)
        });
        assert_eq!(
            problems[0], problems[1],
            "the two failures cannot be told apart"
        );
        assert_eq!(problems[0]["detail"], "wrong e-mail or password");
    }

    async fn login_is_throttled_after_five_failures(db) {
        let api = Api::new(db).await;
        create_staff(db, "admin@aukiolo.test", Role::Admin, None);
        create_staff(db, "other@aukiolo.test", Role::PilotLead, None);
        let attacker = "198.51.100.7:50000";
        for attempt in 1..=5 {
            let res = api
                .login_from("admin@aukiolo.test", &format!("wrong password {attempt}"), attacker)
                .await;
            res.expect_problem(StatusCode::UNAUTHORIZED);
        }
        // From that address, even the right password is refused now, with a hint when to
        // come back.
        for password in [PASSWORD, "wrong password 6"] {
            let res = api.login_from("ADMIN@aukiolo.test", password, attacker).await;
            let problem = res.expect_problem(StatusCode::TOO_MANY_REQUESTS);
            assert_eq!(problem["type"], "urn:aukiolo:problem:too-many-requests");
            assert!(problem.get("token").is_none());
            let retry_after: u64 = res
                .header("retry-after")
                .expect("Retry-After")
                .parse()
                .expect("seconds");
            assert!(
                (1..=15 * 60).contains(&retry_after),
                "Retry-After: {retry_after}"
            );
        }
        // The owner, from another address, is not locked out by them.
        api.login_from("admin@aukiolo.test", PASSWORD, "203.0.113.20:41000")
            .await
            .expect(StatusCode::OK);
        // Another account is not held back by this one's failures.
        api.login_from("other@aukiolo.test", PASSWORD, attacker)
            .await
            .expect(StatusCode::OK);
    }
}

/// Requests a manager may make in `office`, about `advisor` of that office.
fn office_calls(office: &str, advisor: &str) -> Vec<Call> {
    let day = free_week_monday();
    vec![
        Call::put(format!("/api/v1/offices/{office}"), office_body("Renamed by staff")),
        Call::post("/api/v1/advisors", advisor_body(office, &[])),
        Call::post("/api/v1/closures", closure_body(office, day)),
        Call::post("/api/v1/schedule-rules", rule_body(advisor, 6)),
        Call::post("/api/v1/absences", absence_body(advisor, day)),
        Call::get(format!("/api/v1/offices/{office}/advisors")),
        Call::get(format!("/api/v1/offices/{office}/closures")),
        Call::get(format!("/api/v1/staff/offices/{office}/conflicts")),
        week_slots_call(office, day),
        Call::get(format!("/api/v1/advisors/{advisor}")),
        Call::get(format!("/api/v1/advisors/{advisor}/schedule-rules")),
        Call::get(format!("/api/v1/advisors/{advisor}/absences")),
    ]
}

/// `who` making `call` succeeds (2xx) when `allowed`, else gets a 403 problem.
async fn expect_outcome(api: &Api, who: &Member, call: &Call, allowed: bool) {
    let res = api.call(call, &who.token).await;
    let as_who = format!("{} as {} {:?}", res.label, who.role.as_str(), who.office.map(|o| o.to_string()));
    if allowed {
        assert!(res.status.is_success(), "{as_who}: expected 2xx, got {} {}", res.status, res.text());
    } else {
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{as_who}: {}", res.text());
        let problem = res.expect_problem(StatusCode::FORBIDDEN);
        assert_eq!(problem["type"], "urn:aukiolo:problem:forbidden", "{as_who}");
    }
}
