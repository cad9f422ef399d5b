//! The questionnaire end to end: a visit is booked and completed, the invitation mail
//! reaches a real SMTP server, the citizen answers through its link, and the answers
//! count in that office's and week's metrics once five have come in.

mod common;

use chrono::{Datelike, Duration};
use common::site::*;
use common::smtp::MailSink;
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration as Wait;

/// The questionnaire page linked from an invitation's text, as the API's address of the
/// same token (the page itself is tested in the browser suite).
fn questionnaire_link(text: &str) -> String {
    let page = text
        .split_whitespace()
        .find(|w| w.contains("/fi/questionnaire/"))
        .unwrap_or_else(|| panic!("no questionnaire link in the booking's language in {text}"));
    page.replace("/fi/questionnaire/", "/api/v1/questionnaires/")
}

#[test]
fn book_complete_invite_answer_and_count() {
    let sink = MailSink::start();
    let mut deployment = Deployment::sqlite();
    deployment
        .env
        .extend([("AUKIOLO_MAIL__SMTP_URL", sink.url()), ("AUKIOLO_WORKER__IDLE_MS", "100".to_owned())]);
    let site = Site::on(deployment);
    let server = &site.server;
    let rules =
        json!({ "holdback_percent": 0, "questionnaire_delay_minutes": 0, "reminder_minutes_before": [] });
    let office = site.office("Kyselyn palvelupiste", rules, 1);
    site.deployment.create_user("neuvoja@aukiolo.example", "advisor", Some(&office.id));
    site.deployment.create_user("pilotti@aukiolo.example", "pilot_lead", None);
    let advisor = server.login("neuvoja@aukiolo.example", PASSWORD);
    let lead = server.login("pilotti@aukiolo.example", PASSWORD);
    let times: [_; 5] = site.first_free_on_one_day(&office);
    let recommend = [10, 9, 9, 7, 3];

    // Each visit is recorded at its time, by a server of the deployment whose clock is
    // five minutes before it; each sends the invitations due by then, and answers the
    // links it sent.
    let mut at_visits = Vec::new();
    for (n, time) in times.iter().enumerate() {
        let link = site.book(&office, *time, &personal_id(n));
        let slot = site.booked_slot(&advisor, &office.advisors[0], &link);
        let id = id_of(&slot["booking"]);
        let at_visit = site.deployment.start_at(*time - Duration::minutes(5));
        let token = at_visit.login("neuvoja@aukiolo.example", PASSWORD);
        for action in ["arrive", "start", "complete"] {
            let path = format!("/api/v1/staff/bookings/{id}/{action}");
            at_visit.request(Method::POST, &path).bearer(&token).send().expect_status(200);
        }
        at_visits.push(at_visit);
    }
    // Five invitations (a confirmation still unsent when its visit was completed is void).
    let invitations = sink.wait_for_matching(5, Wait::from_secs(60), |m| {
        m.header("Subject").starts_with("Miten asiointisi sujui")
    });
    assert_eq!(invitations.len(), 5);

    for (invitation, score) in invitations.iter().zip(recommend) {
        assert!(invitation.parts("text/calendar").is_empty(), "an invitation carries no calendar invite");
        let link = questionnaire_link(&invitation.parts("text/plain")[0]);
        let opened: Value = reqwest::blocking::get(&link).expect("open the link").json().expect("JSON");
        assert_eq!(opened["questionnaire"]["locale"], "fi", "{opened}");
        let body = json!({ "answers": {
            "satisfaction": 5, "recommend": score, "effort": 6,
            "preference": "appointment", "channels_known": ["online", "phone"], "could_online": "partly"
        }});
        let client = reqwest::blocking::Client::new();
        let first = client.post(&link).json(&body).send().expect("answer");
        assert_eq!(first.status().as_u16(), 201);
        let again = client.post(&link).json(&body).send().expect("answer again");
        assert_eq!(again.status().as_u16(), 409, "a link answers once");
    }

    let visit_day = local_date(times[0]);
    let monday = visit_day - Duration::days(i64::from(visit_day.weekday().num_days_from_monday()));
    let week = format!("{}-W{:02}", visit_day.iso_week().year(), visit_day.iso_week().week());
    let path =
        format!("/api/v1/metrics?from={monday}&to={}&group_by=office,week", monday + Duration::days(7));
    let rows = server.get(&path, Some(&lead)).expect_status(200).json()["rows"].clone();
    let row = rows
        .as_array()
        .and_then(|rows| {
            rows.iter()
                .find(|r| r["group"]["office"] == office.id.as_str() && r["group"]["week"] == week.as_str())
        })
        .unwrap_or_else(|| panic!("no row for the office in {week}: {rows:#}"))
        .clone();
    assert_eq!(row["responses"], 5, "{row:#}");
    // 3 promoters, 1 passive, 1 detractor of 5: NPS (3 − 1) / 5 = 40.
    assert_eq!(row["nps"]["value"].as_f64(), Some(40.0), "{row:#}");
    assert_eq!(row["response_rate"]["numerator"], 5, "{row:#}");
    assert_eq!(row["response_rate"]["denominator"], 5, "{row:#}");
    assert_eq!(row["prefers_appointment"]["value"].as_f64(), Some(1.0), "{row:#}");
}

#[test]
fn link_tokens_stay_out_of_the_logs() {
    let site = Site::on(Deployment::sqlite());
    let manage = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LW1hbmFnZS10b2tlbg.bm90LWEtcmVhbC1zaWduYXR1cmU";
    let survey = "c2VjcmV0LXF1ZXN0aW9ubmFpcmUtdG9rZW4tMTIzNDU2";
    site.server.get(&format!("/api/v1/bookings/K7M-4QX-9TD?token={manage}"), None).expect_problem(401);
    site.server.get(&format!("/api/v1/questionnaires/{survey}"), None).expect_problem(404);
    // The refusals are logged, with the target masked.
    site.server.wait_for_stderr("token=***");
    let log = site.server.wait_for_stderr("questionnaires/***");
    assert!(!log.contains(manage) && !log.contains(survey), "a token in the log: {log}");
}
