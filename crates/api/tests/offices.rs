//! Who may move an office between pilot and control: an office manager's `PUT` that
//! changes `pilot_group`, `service_mode` or `pilot_start` is a 403 naming each field and
//! changes nothing, while one that keeps them changes the rest; a pilot lead's is
//! accepted (only those fields) and an admin's too, each audited with the old and new
//! values. Every test runs on SQLite and PostgreSQL.

mod common;

use actix_web::http::StatusCode;
use aukiolo_domain::staff::Role;
use common::*;
use serde_json::{json, Value};

/// The office's fields as `GET` answers them, ready to `PUT` back.
async fn fields(w: &World, office: &str) -> Value {
    let mut body =
        w.api.anonymous(&Call::get(format!("/api/v1/offices/{office}"))).await.expect(StatusCode::OK);
    body.as_object_mut().expect("an object").remove("id");
    body
}

/// The field names of a 403 problem.
fn refused(problem: &Value) -> Vec<String> {
    assert_eq!(problem["type"], "urn:aukiolo:problem:forbidden", "{problem}");
    problem["errors"]
        .as_array()
        .expect("the fields")
        .iter()
        .map(|e| e["field"].as_str().expect("a field name").to_owned())
        .collect()
}

/// The audit log's `change_office_pilot` entries, newest first.
async fn pilot_entries(w: &World) -> Vec<Value> {
    let log =
        w.api.call(&Call::get("/api/v1/admin/audit-log?action=change_office_pilot"), &w.admin.token).await;
    log.expect(StatusCode::OK).as_array().expect("entries").clone()
}

aukiolo_store::backend_tests! {
    async fn a_manager_cannot_move_the_office_between_pilot_and_control(db) {
        let w = World::new(db).await;
        let a = w.office_a.clone();
        let manager = member(&w.api, db, "manager.a@aukiolo.test", Role::OfficeManager, Some(&a)).await;
        let before = fields(&w, &a).await;
        let path = format!("/api/v1/offices/{a}");

        let to_control = with(before.clone(), "/pilot_group", json!("control"));
        let problem = w.api.call(&Call::put(&path, to_control), &manager.token).await.expect_problem(StatusCode::FORBIDDEN);
        assert_eq!(refused(&problem), ["pilot_group"]);

        let all_three = with(
            with(with(before.clone(), "/pilot_group", json!("control")), "/service_mode", json!("walk_in_and_appointment")),
            "/pilot_start",
            json!("2027-09-01"),
        );
        let problem = w.api.call(&Call::put(&path, all_three), &manager.token).await.expect_problem(StatusCode::FORBIDDEN);
        assert_eq!(refused(&problem), ["pilot_group", "service_mode", "pilot_start"]);
        assert_eq!(fields(&w, &a).await, before, "a refused PUT changes nothing");

        // The rest of the office stays the manager's, the pilot's fields sent as they are.
        let phone = with(before.clone(), "/phone", json!("+358 20 634 0200"));
        w.api.call(&Call::put(&path, phone.clone()), &manager.token).await.expect(StatusCode::OK);
        assert_eq!(fields(&w, &a).await, phone);
        assert!(pilot_entries(&w).await.is_empty(), "nothing of the pilot changed: {:?}", pilot_entries(&w).await);
    }

    async fn a_pilot_lead_moves_an_office_to_control_and_it_is_audited(db) {
        let w = World::new(db).await;
        let a = w.office_a.clone();
        let lead = member(&w.api, db, "lead@aukiolo.test", Role::PilotLead, None).await;
        let before = fields(&w, &a).await;
        let path = format!("/api/v1/offices/{a}");

        let moved = with(
            with(before.clone(), "/pilot_group", json!("control")),
            "/pilot_start",
            json!("2027-10-04"),
        );
        let office = w.api.call(&Call::put(&path, moved.clone()), &lead.token).await.expect(StatusCode::OK);
        assert_eq!((&office["pilot_group"], &office["pilot_start"]), (&json!("control"), &json!("2027-10-04")));

        let entries = pilot_entries(&w).await;
        assert_eq!(entries.len(), 1, "{entries:?}");
        let entry = &entries[0];
        assert_eq!(entry["staff_id"], json!(lead.id.to_string()));
        assert_eq!(entry["office_id"], json!(a));
        assert_eq!(
            entry["detail"]["changes"],
            json!([
                { "field": "pilot_group", "old": "pilot", "new": "control" },
                { "field": "pilot_start", "old": null, "new": "2027-10-04" },
            ])
        );

        // A pilot lead changes nothing else of an office.
        let renamed = with(moved.clone(), "/name/fi", json!("Uusi nimi"));
        let problem = w.api.call(&Call::put(&path, renamed), &lead.token).await.expect_problem(StatusCode::FORBIDDEN);
        assert_eq!(refused(&problem), ["name"]);
        assert_eq!(fields(&w, &a).await, moved);

        // An admin may change both, and the service mode's change is audited too.
        w.api.clock.advance(chrono::Duration::minutes(1));
        let walk_in = with(moved, "/service_mode", json!("walk_in_and_appointment"));
        w.api.call(&Call::put(&path, walk_in), &w.admin.token).await.expect(StatusCode::OK);
        let entries = pilot_entries(&w).await;
        assert_eq!(entries.len(), 2, "{entries:?}");
        assert_eq!(entries[0]["staff_id"], json!(w.admin.id.to_string()));
        assert_eq!(
            entries[0]["detail"]["changes"],
            json!([{ "field": "service_mode", "old": "appointment_only", "new": "walk_in_and_appointment" }])
        );
    }
}
