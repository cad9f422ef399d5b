//! The pilot metrics over HTTP: who may read them and for which offices, JSON and CSV of
//! the same figures, questionnaire figures withheld below five responses in both, bad
//! parameters named, and bookings and an office's pilot start made through the API showing
//! up in the figures. Every test runs on SQLite and PostgreSQL.

mod common;

use actix_web::http::StatusCode;
use aukiolo_domain::staff::Role;
use aukiolo_store::schema::{questionnaire_responses, questionnaires, response_answers};
use aukiolo_store::sql_types::{DbId, DbTime};
use aukiolo_store::test_support::TestDb;
use chrono::Duration;
use common::*;
use diesel::prelude::*;
use serde_json::{json, Value};

/// The week the stored responses are from, and the period that holds exactly it.
const WEEK: &str = "2026-W10";
const PERIOD: &str = "from=2026-03-02&to=2026-03-09";

fn metrics(query: &str) -> Call {
    Call::get(format!("/api/v1/metrics?{query}"))
}

fn comparison(query: &str) -> Call {
    Call::get(format!("/api/v1/metrics/comparison?{query}"))
}

/// Changes some of an office's fields through `PUT /api/v1/offices/{id}`.
async fn update_office(api: &Api, token: &str, office: &str, changes: Value) -> Value {
    let path = format!("/api/v1/offices/{office}");
    let mut fields = api.anonymous(&Call::get(&path)).await.expect(StatusCode::OK);
    let object = fields.as_object_mut().expect("an office");
    object.remove("id");
    for (key, value) in changes.as_object().expect("fields to change") {
        object.insert(key.clone(), value.clone());
    }
    api.call(&Call::put(&path, fields), token).await.expect(StatusCode::OK)
}

/// `n` anonymous responses for `office` of `group` in `WEEK`, as the questionnaire stores
/// them: the three scores, and a comment the metrics never read.
fn store_responses(db: &TestDb, office: &str, group: &str, topic: &str, n: usize, scores: (i32, i32, i32)) {
    let mut conn = db.conn();
    let template = serde_json::to_string(&aukiolo_domain::questionnaire::pilot()).unwrap();
    let seeded: i64 = questionnaires::table.count().get_result(&mut conn).unwrap();
    if seeded == 0 {
        diesel::insert_into(questionnaires::table)
            .values((
                questionnaires::key.eq("pilot"),
                questionnaires::version.eq(1),
                questionnaires::template.eq(template),
                questionnaires::created_at.eq(DbTime(start())),
            ))
            .execute(&mut conn)
            .unwrap();
    }
    let id = |s: &str| DbId(s.parse().expect("uuid"));
    for _ in 0..n {
        let response = DbId(uuid::Uuid::new_v4());
        diesel::insert_into(questionnaire_responses::table)
            .values((
                questionnaire_responses::id.eq(response),
                questionnaire_responses::questionnaire_key.eq("pilot"),
                questionnaire_responses::questionnaire_version.eq(1),
                questionnaire_responses::office_id.eq(id(office)),
                questionnaire_responses::topic_id.eq(id(topic)),
                questionnaire_responses::channel.eq("office"),
                questionnaire_responses::week.eq(WEEK),
                questionnaire_responses::pilot_group.eq(group),
                questionnaire_responses::booking_mode.eq("self_service"),
            ))
            .execute(&mut conn)
            .unwrap();
        for (key, score) in [("satisfaction", scores.0), ("recommend", scores.1), ("effort", scores.2)] {
            diesel::insert_into(response_answers::table)
                .values((
                    response_answers::response_id.eq(response),
                    response_answers::question_key.eq(key),
                    response_answers::score.eq(Some(score)),
                ))
                .execute(&mut conn)
                .unwrap();
        }
        diesel::insert_into(response_answers::table)
            .values((
                response_answers::response_id.eq(response),
                response_answers::question_key.eq("comments"),
                response_answers::text_value.eq(Some("Hyvä palvelu, kiitos")),
            ))
            .execute(&mut conn)
            .unwrap();
    }
}

/// Office A (pilot) with five responses in `WEEK`, office B made a control office with
/// four.
async fn surveyed(db: &TestDb) -> World {
    let w = World::new(db).await;
    update_office(&w.api, &w.admin.token, &w.office_b, json!({ "pilot_group": "control" })).await;
    store_responses(db, &w.office_a, "pilot", &w.topic, 5, (5, 10, 7));
    store_responses(db, &w.office_b, "control", &w.topic, 4, (4, 9, 6));
    w
}

/// Reads RFC 4180 CSV: records end in CRLF; a quoted field may hold commas, doubled quotes
/// and line breaks.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut records, mut record, mut field) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {
                assert_eq!(chars.next(), Some('\n'), "CR without LF");
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, '\n') => panic!("a line ends without CR: {text:?}"),
            (false, c) => field.push(c),
        }
    }
    assert!(record.is_empty() && field.is_empty(), "the last record has no CRLF");
    records
}

/// The field of `row` in column `name`.
fn column<'r>(header: &[String], row: &'r csv::StringRecord, name: &str) -> &'r str {
    &row[header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"))]
}

/// The CSV text answering `call`, which must succeed.
async fn csv_text(api: &Api, call: Call, token: &str) -> String {
    let res = api.call_accepting(&call, token, "text/csv").await;
    assert_eq!(res.status, StatusCode::OK, "{}: {}", res.label, res.text());
    res.text()
}

/// The CSV answer to `call` as a header and rows keyed by column name.
async fn csv_rows(
    api: &Api,
    call: &Call,
    token: &str,
) -> (Vec<String>, Vec<std::collections::HashMap<String, String>>) {
    let res = api.call_accepting(call, token, "text/csv").await;
    assert_eq!(res.status, StatusCode::OK, "{}: {}", res.label, res.text());
    assert_eq!(res.header("content-type"), Some("text/csv; charset=utf-8; header=present"));
    assert!(res
        .header("content-disposition")
        .is_some_and(|d| d.starts_with("attachment; filename=\"aukiolo-")));
    let mut records = parse_csv(&res.text());
    let header = records.remove(0);
    for r in &records {
        assert_eq!(r.len(), header.len(), "{}: a row of another width", res.label);
    }
    let rows = records.into_iter().map(|r| header.iter().cloned().zip(r).collect()).collect();
    (header, rows)
}

aukiolo_store::backend_tests! {
    async fn roles_and_office_scope(db) {
        let w = surveyed(db).await;
        let lead = member(&w.api, db, "lead@aukiolo.test", Role::PilotLead, None).await;
        let manager = member(&w.api, db, "manager@kamppi.aukiolo.test", Role::OfficeManager, Some(&w.office_a)).await;
        let advisor = member(&w.api, db, "advisor@kamppi.aukiolo.test", Role::Advisor, Some(&w.office_a)).await;
        let calls = [metrics(&format!("{PERIOD}&group_by=office")), comparison(PERIOD)];

        for call in &calls {
            w.api.anonymous(call).await.expect_problem(StatusCode::UNAUTHORIZED);
            w.api.call(call, &advisor.token).await.expect_problem(StatusCode::FORBIDDEN);
            for who in [&lead, &w.admin, &manager] {
                w.api.call(call, &who.token).await.expect(StatusCode::OK);
            }
        }

        let offices = |body: &Value| -> Vec<String> {
            body["rows"].as_array().unwrap().iter().map(|r| r["group"]["office"].as_str().unwrap().to_owned()).collect()
        };
        let all = w.api.call(&calls[0], &lead.token).await.expect(StatusCode::OK);
        let mut seen = offices(&all);
        seen.sort();
        let mut both = vec![w.office_a.clone(), w.office_b.clone()];
        both.sort();
        assert_eq!(seen, both);
        let own = w.api.call(&calls[0], &manager.token).await.expect(StatusCode::OK);
        assert_eq!(offices(&own), std::slice::from_ref(&w.office_a));
        // Ungrouped, the manager's one row holds only their office's five responses.
        let total = w.api.call(&metrics(PERIOD), &manager.token).await.expect(StatusCode::OK);
        assert_eq!(total["rows"][0]["responses"], 5);
        assert_eq!(total["rows"][0]["group"], json!({}));

        // The manager's comparison covers their office only: no control side.
        let c = w.api.call(&calls[1], &manager.token).await.expect(StatusCode::OK);
        let nps = c["pilot_vs_control"]["measures"].as_array().unwrap().iter().find(|m| m["measure"] == "nps").unwrap().clone();
        assert_eq!(nps["withheld"], "control: fewer than 5 responses");
        let c = w.api.call(&calls[1], &lead.token).await.expect(StatusCode::OK);
        assert_eq!((c["pilot_vs_control"]["a"].as_str(), c["pilot_vs_control"]["b"].as_str()), (Some("pilot"), Some("control")));
        // CSV is refused alike.
        let res = w.api.call_accepting(&calls[0], &advisor.token, "text/csv").await;
        res.expect_problem(StatusCode::FORBIDDEN);
    }

    async fn four_responses_are_withheld_and_so_is_their_complement_in_json_and_csv(db) {
        let w = surveyed(db).await;
        let call = metrics(&format!("{PERIOD}&group_by=office,week"));
        let body = w.api.call(&call, &w.admin.token).await.expect(StatusCode::OK);
        assert_eq!((body["from"].as_str(), body["to"].as_str()), (Some("2026-03-02"), Some("2026-03-09")));
        assert_eq!(body["group_by"], json!(["office", "week"]));
        let row = |office: &str| {
            body["rows"].as_array().unwrap().iter().find(|r| r["group"]["office"] == office).unwrap().clone()
        };
        let (a, b) = (row(&w.office_a), row(&w.office_b));
        assert_eq!(a["group"], json!({ "office": w.office_a, "week": WEEK }));
        // Five responses, but the total (nine) less A's would give B's four: A is withheld too.
        assert_eq!(a["responses"], 5);
        let complement = aukiolo_domain::metrics::complementary();
        assert_eq!(a["nps"], json!({ "n": null, "promoters": null, "passives": null, "detractors": null, "value": null, "withheld": complement }));
        assert_eq!(a["csat"], json!({ "n": null, "value": null, "withheld": complement }));
        assert_eq!(a["csat_top_box"]["numerator"], Value::Null);
        let total = w.api.call(&metrics(PERIOD), &w.admin.token).await.expect(StatusCode::OK);
        assert_eq!((total["rows"][0]["nps"]["n"].clone(), total["rows"][0]["nps"]["value"].clone()), (json!(9), json!(100.0)));
        // Four responses: the figures and the counts behind them are null.
        assert_eq!(b["responses"], 4);
        assert_eq!(
            b["nps"],
            json!({ "n": null, "promoters": null, "passives": null, "detractors": null, "value": null, "withheld": "fewer than 5 responses" })
        );
        assert_eq!(b["csat"], json!({ "n": null, "value": null, "withheld": "fewer than 5 responses" }));
        assert_eq!(
            b["csat_top_box"],
            json!({ "value": null, "numerator": null, "denominator": null, "ci_low": null, "ci_high": null, "withheld": "fewer than 5 responses" })
        );
        assert_eq!(b["ces"]["value"], Value::Null);
        assert_eq!(b["knows_channel"]["online"]["withheld"], "fewer than 5 responses");
        // Access is "now", so not per week.
        assert_eq!(b["third_next_available_hours"]["value"], Value::Null);
        assert!(b["third_next_available_hours"]["withheld"].as_str().unwrap().contains("not per week"));

        let (header, rows) = csv_rows(&w.api, &call, &w.admin.token).await;
        assert_eq!(&header[..4], ["office", "office_name", "week", "bookings"]);
        assert_eq!(rows.len(), 2);
        let csv = |office: &str| rows.iter().find(|r| r["office"] == office).unwrap();
        let (a, b) = (csv(&w.office_a), csv(&w.office_b));
        assert_eq!((a["week"].as_str(), a["responses"].as_str(), a["nps"].as_str(), a["nps_n"].as_str()), (WEEK, "5", "", ""));
        assert_eq!((a["csat"].as_str(), a["nps_withheld"].as_str()), ("", complement.as_str()));
        assert_eq!(b["responses"], "4");
        for column in ["nps", "nps_n", "nps_promoters", "csat", "csat_n", "csat_top_box", "csat_top_box_numerator", "ces", "knows_channel_online_denominator"] {
            assert_eq!(b[column], "", "{column} must be empty below five responses");
        }
        assert_eq!(b["nps_withheld"], "fewer than 5 responses");
        assert_eq!(b["csat_top_box_withheld"], "fewer than 5 responses");
        // A reason with a comma in it came through the quoting intact.
        assert_eq!(b["third_next_available_hours_withheld"], aukiolo_domain::metrics::ACCESS_NOT_WEEKLY);
        // Every JSON figure has its columns: the CSV of the same call has as many rows.
        assert!(header.iter().any(|h| h == "response_rate_denominator"));
        assert!(header.iter().any(|h| h == "walk_ins_directed_to_phone"));

        // The comparison withholds the questionnaire when a side is below five, in both.
        let c = w.api.call(&comparison(PERIOD), &w.admin.token).await.expect(StatusCode::OK);
        let m = c["pilot_vs_control"]["measures"].as_array().unwrap().iter().find(|m| m["measure"] == "csat").unwrap().clone();
        assert_eq!((m["a"]["value"].clone(), m["difference"].clone(), m["withheld"].clone()), (Value::Null, Value::Null, json!("control: fewer than 5 responses")));
        let (header, rows) = csv_rows(&w.api, &comparison(PERIOD), &w.admin.token).await;
        assert_eq!(&header[..5], ["comparison", "office", "office_name", "pilot_group", "pilot_start"]);
        let csat = rows.iter().find(|r| r["measure"] == "csat").unwrap();
        assert_eq!((csat["a_value"].as_str(), csat["a_n"].as_str(), csat["withheld"].as_str()), ("", "", "control: fewer than 5 responses"));
        assert_eq!((csat["a"].as_str(), csat["b"].as_str(), csat["method"].as_str()), ("pilot", "control", "welch_t"));

        // One more response at B and the figures of both appear.
        store_responses(db, &w.office_b, "control", &w.topic, 1, (4, 9, 6));
        let body = w.api.call(&call, &w.admin.token).await.expect(StatusCode::OK);
        let b = body["rows"].as_array().unwrap().iter().find(|r| r["group"]["office"] == w.office_b.as_str()).unwrap().clone();
        assert_eq!((b["nps"]["n"].clone(), b["nps"]["value"].clone()), (json!(5), json!(100.0)));
        let a = body["rows"].as_array().unwrap().iter().find(|r| r["group"]["office"] == w.office_a.as_str()).unwrap().clone();
        assert_eq!((a["nps"]["promoters"].clone(), a["csat"]["value"].clone()), (json!(5), json!(5.0)));
        let c = w.api.call(&comparison(PERIOD), &w.admin.token).await.expect(StatusCode::OK);
        let m = c["pilot_vs_control"]["measures"].as_array().unwrap().iter().find(|m| m["measure"] == "csat").unwrap().clone();
        assert_eq!((m["a"]["value"].clone(), m["b"]["value"].clone(), m["withheld"].clone()), (json!(5.0), json!(4.0), Value::Null));
    }

    async fn csv_names_offices_and_topics_and_has_a_finnish_dialect(db) {
        let w = surveyed(db).await;
        store_responses(db, &w.office_b, "control", &w.topic, 1, (4, 9, 6));
        let office = w.api.anonymous(&Call::get(format!("/api/v1/offices/{}", w.office_a))).await.expect(StatusCode::OK);
        let (fi, sv) = (office["name"]["fi"].as_str().unwrap(), office["name"]["sv"].as_str().unwrap());
        assert_ne!(fi, sv);
        let csv_of = |query: String| csv_text(&w.api, metrics(&query), &w.admin.token);

        // RFC 4180 by default, names in Finnish beside the ids.
        let text = csv_of(format!("{PERIOD}&group_by=office,topic")).await;
        assert!(!text.starts_with('\u{feff}'));
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(&reader.headers().unwrap().iter().take(5).collect::<Vec<_>>(), &["office", "office_name", "topic", "topic_name", "bookings"]);
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let a = rows.iter().find(|r| &r[0] == w.office_a.as_str()).unwrap();
        assert_eq!((&a[1], &a[3]), (fi, "housing_allowance"));

        // The Finnish dialect, names in Swedish: a BOM, `;`, decimal commas.
        let text = csv_of(format!("{PERIOD}&group_by=office,topic&lang=sv&dialect=fi")).await;
        let text = text.strip_prefix('\u{feff}').expect("a byte order mark");
        assert!(text.starts_with("office;office_name;topic;topic_name;bookings;"), "{}", &text[..80]);
        let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(text.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert!(rows.iter().all(|r| r.len() == header.len()));
        let a = rows.iter().find(|r| &r[0] == w.office_a.as_str()).unwrap();
        assert_eq!((column(&header, a, "office_name"), column(&header, a, "nps")), (sv, "100"));

        // Ungrouped: CSAT (25 + 20) / 10 = 4.5 is `4,5`, and a share's bounds have commas too.
        let text = csv_of(format!("{PERIOD}&dialect=fi")).await;
        let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
        assert!(!header.iter().any(|h| h == "office_name"), "no office column, no name column");
        let row = reader.records().next().unwrap().unwrap();
        // The mean's last digit depends on the order the responses are summed in.
        let csat = column(&header, &row, "csat");
        assert!(csat.starts_with("4,"), "a decimal comma: {csat}");
        assert!((csat.replace(',', ".").parse::<f64>().unwrap() - 4.5).abs() < 1e-9, "{csat}");
        let low = column(&header, &row, "csat_top_box_ci_low");
        assert!(low.starts_with("0,") && low.replace(',', ".").parse::<f64>().is_ok(), "{low}");
        let text = csv_of(PERIOD.to_owned()).await;
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
        let row = reader.records().next().unwrap().unwrap();
        let csat = column(&header, &row, "csat");
        assert!(csat.starts_with("4.") && (csat.parse::<f64>().unwrap() - 4.5).abs() < 1e-9, "{csat}");

        // The comparison names the office of each before/after row.
        update_office(&w.api, &w.admin.token, &w.office_a, json!({ "pilot_start": "2026-03-04" })).await;
        let text = csv_text(&w.api, comparison(&format!("{PERIOD}&lang=sv&dialect=fi")), &w.admin.token).await;
        let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        assert_eq!(&reader.headers().unwrap().iter().take(3).collect::<Vec<_>>(), &["comparison", "office", "office_name"]);
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert!(rows.iter().any(|r| &r[0] == "before_after" && &r[2] == sv));
        assert!(rows.iter().filter(|r| &r[0] == "pilot_vs_control").all(|r| r[2].is_empty()));
    }

    async fn bad_parameters_are_named(db) {
        let w = World::new(db).await;
        let cases: Vec<(Call, Vec<&str>)> = vec![
            (metrics(""), vec!["from", "to"]),
            (metrics("from=2026-03-02"), vec!["to"]),
            (metrics("from=2026-3-2&to=2026-03-09"), vec!["from"]),
            (metrics("from=2026-03-02&to=tomorrow"), vec!["to"]),
            (metrics("from=2026-02-30&to=2026-03-09"), vec!["from"]),
            (metrics("from=2026-03-02T00:00:00Z&to=2026-03-09"), vec!["from"]),
            (metrics("from=1999-12-01&to=2000-01-09"), vec!["from"]),
            (metrics("from=2100-12-01&to=2101-01-01"), vec!["to"]),
            (metrics("from=2026-03-09&to=2026-03-02"), vec!["to"]),
            (metrics("from=2026-03-02&to=2026-03-02"), vec!["to"]),
            (metrics("from=2024-01-01&to=2026-01-02"), vec!["to"]),
            (metrics(&format!("{PERIOD}&group_by=office,month")), vec!["group_by"]),
            (metrics("from=x&to=y&group_by=year"), vec!["from", "to", "group_by"]),
            (metrics(&format!("{PERIOD}&lang=de&dialect=excel")), vec!["lang", "dialect"]),
            (comparison(&format!("{PERIOD}&lang=FI")), vec!["lang"]),
            (comparison(""), vec!["from", "to"]),
            (comparison("from=2026-03-09&to=2026-03-02"), vec!["to"]),
            (comparison("from=2020-01-01&to=2026-01-01"), vec!["to"]),
        ];
        for (call, fields) in cases {
            let res = w.api.call(&call, &w.admin.token).await;
            assert_eq!(res.invalid_fields(), fields, "{}", res.label);
        }
        let res = w.api.call(&metrics(&format!("{PERIOD}&group_by=week,Office,month")), &w.admin.token).await;
        let problem = res.expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
        let message = problem["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains("`Office`, `month`"), "{message}");
        assert!(message.contains("office, pilot_group, topic, channel, week"), "{message}");
        // Two years are allowed; a repeated parameter is not readable at all.
        w.api.call(&metrics("from=2024-01-01&to=2026-01-01"), &w.admin.token).await.expect(StatusCode::OK);
        let res = w.api.call(&metrics("from=2026-03-02&from=2026-03-03&to=2026-03-09"), &w.admin.token).await;
        res.expect_problem(StatusCode::BAD_REQUEST);
        // Errors are problem+json even when CSV was asked for.
        let res = w.api.call_accepting(&metrics(""), &w.admin.token, "text/csv").await;
        res.expect_problem(StatusCode::UNPROCESSABLE_ENTITY);
    }

    async fn bookings_and_a_pilot_start_made_through_the_api(db) {
        let w = World::bookable(db).await;
        let monday = free_week_monday();
        let start = monday - Duration::days(1);
        let office = update_office(&w.api, &w.admin.token, &w.office_a, json!({ "pilot_start": start })).await;
        assert_eq!(office["pilot_start"], json!(start));
        let read = w.api.anonymous(&Call::get(format!("/api/v1/offices/{}", w.office_a))).await.expect(StatusCode::OK);
        assert_eq!(read["pilot_start"], json!(start));
        let read = w.api.anonymous(&Call::get(format!("/api/v1/offices/{}", w.office_b))).await.expect(StatusCode::OK);
        assert_eq!(read["pilot_start"], Value::Null);

        let free = free_week_starts(&w.api, &w.topic, &w.office_a).await;
        book(&w.api, booking_body(&w.topic, Some(&w.office_a), free[0], PERSONAL_IDS[0])).await;
        let period = format!("from={monday}&to={}", monday + Duration::days(7));
        let body = w.api.call(&metrics(&format!("{period}&group_by=office")), &w.admin.token).await.expect(StatusCode::OK);
        let row = body["rows"].as_array().unwrap().iter().find(|r| r["group"]["office"] == w.office_a.as_str()).unwrap().clone();
        assert_eq!(row["bookings"], 1);
        assert_eq!((row["self_service"]["numerator"].clone(), row["self_service"]["denominator"].clone()), (json!(1), json!(1)));
        // Five weekdays of the standard template: 75 half-hour slots, one booked.
        assert_eq!((row["published_minutes"].clone(), row["booked_minutes"].clone()), (json!(75 * 30), json!(30)));
        assert_eq!(row["utilisation"]["numerator"], 1);
        // Open times exist from now on: a third next available for the office and topic.
        assert_eq!(row["third_next_available_hours"]["office_topics"], 1);
        assert!(row["third_next_available_hours"]["value"].as_f64().is_some_and(|h| h >= 0.0));

        let c = w.api.call(&comparison(&period), &w.admin.token).await.expect(StatusCode::OK);
        let before_after = c["before_after"].as_array().unwrap();
        assert_eq!(before_after.len(), 1);
        assert_eq!((before_after[0]["office"].as_str(), before_after[0]["pilot_start"].clone()), (Some(w.office_a.as_str()), json!(start)));
        let self_service = before_after[0]["measures"].as_array().unwrap().iter().find(|m| m["measure"] == "self_service").unwrap().clone();
        assert_eq!((self_service["a"]["n"].clone(), self_service["b"]["n"].clone()), (json!(1), json!(0)));
        assert_eq!((before_after[0]["a"].as_str(), before_after[0]["b"].as_str()), (Some("after"), Some("before")));
    }
}
