//! The admin pages through HTTP, on both backends: an admin lands on the index and sees
//! every page in fi, sv and en; creates a user (bad input named the GOV.UK way), changes
//! their role and office, deactivates them and resets their password, each ending the
//! user's sessions and audited; filters the audit log; retries a dead message; reads the
//! questionnaire's texts side by side. Anyone else gets 403, and POSTs without the
//! session's token or from another site are refused. Also the office settings page's rule:
//! a manager sees the pilot's fields as facts, a pilot lead or admin changes them, audited.

mod common;

use actix_web::http::StatusCode;
use aukiolo_domain::outbox::{MessageStatus, RetryPolicy};
use aukiolo_domain::staff::Role;
use aukiolo_store::audit::{self, AuditEntry, Filter};
use aukiolo_store::staff::{self, NewStaffUser, StaffUser};
use aukiolo_store::test_support::TestDb;
use aukiolo_store::{backend_tests, offices, outbox};
use chrono::Duration;
use common::staff::{account, first_advisor, hash, sign_in, PASSWORD};
use common::{book_first, Browser, Page, World};

const ADMIN: &str = "yllapito@kela.test";

/// An account without an office (an admin or a pilot lead).
fn network_account(db: &TestDb, email: &str, role: Role) -> StaffUser {
    let new = NewStaffUser { email, password_hash: hash(), role, office_id: None, advisor_id: None };
    staff::create(&mut db.conn(), &new, common::start()).expect("an account")
}

/// The admin's browser, signed in, and the session's form token.
async fn admin<S, B>(db: &TestDb, app: &S) -> (Browser, String)
where
    S: actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<B>,
        Error = actix_web::Error,
    >,
    B: actix_web::body::MessageBody,
{
    network_account(db, ADMIN, Role::Admin);
    let mut b = Browser::default();
    sign_in(app, &mut b, ADMIN, PASSWORD, "/fi/admin").await;
    let csrf = b.get(app, "/fi/admin/users").await.input("csrf").expect("the form token");
    (b, csrf)
}

/// The audit log's entries with `action`, newest first.
fn entries(db: &TestDb, action: &str) -> Vec<AuditEntry> {
    let filter = Filter { action: Some(action.into()), ..Filter::default() };
    audit::search(&mut db.conn(), &filter, 100, 0).expect("the audit log")
}

fn user(db: &TestDb, email: &str) -> StaffUser {
    staff::find_by_email(&mut db.conn(), email).expect("read").expect("the account")
}

/// The `id`s the error summary links to.
fn summary_links(page: &Page) -> Vec<String> {
    let summary = page
        .between("class=\"error-summary\"", "</div>")
        .unwrap_or_else(|| panic!("no summary: {}", page.body));
    summary.split("href=\"#").skip(1).filter_map(|s| s.split('"').next()).map(str::to_owned).collect()
}

/// The password shown once on the page.
fn shown_password(page: &Page) -> String {
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.header("cache-control"), "no-store");
    page.between("id=\"password\">", "</code>").expect("the password").to_owned()
}

backend_tests! {
    async fn an_admin_lands_on_the_index_and_every_admin_page_is_in_three_languages(db) {
        let w = World::new(db);
        let app = app!(w);
        let (mut b, _) = admin(db, &app).await;
        let home = b.get(&app, "/fi/staff").await;
        assert_eq!(home.location(), "/fi/admin", "an admin starts on the admin pages");
        for lang in ["fi", "sv", "en"] {
            let mut titles = Vec::new();
            for path in ["", "/users", "/audit", "/outbox", "/questionnaire"] {
                let page = b.get(&app, &format!("/{lang}/admin{path}")).await;
                assert_eq!(page.status, StatusCode::OK, "/{lang}/admin{path}: {}", page.body);
                assert_eq!(page.header("cache-control"), "no-store", "{path}");
                assert!(page.body.contains(&format!("<html lang=\"{lang}\"")), "{path}");
                assert_eq!(page.body.matches("<h1").count(), 1, "{path}");
                assert!(page.body.contains(&format!("href=\"/{lang}/admin\" aria-current=\"page\"")), "the staff bar's Admin link on {path}: {}", page.body);
                titles.push(page.between("<title>", "</title>").expect("a title").to_owned());
            }
            let mut unique = titles.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), titles.len(), "{titles:?}");
        }
        let index = b.get(&app, "/en/admin").await;
        for link in ["/en/admin/users", "/en/admin/audit", "/en/admin/outbox", "/en/admin/questionnaire"] {
            assert!(index.body.contains(&format!("href=\"{link}\"")), "{link}: {}", index.body);
        }
    }

    async fn others_get_403_and_forms_need_the_token_and_this_site(db) {
        let w = World::new(db);
        let app = app!(w);
        let signed_out = Browser::default().get(&app, "/fi/admin/users").await;
        assert!(signed_out.location().starts_with("/fi/staff/sign-in?next="), "signed out: to the sign-in page");

        let advisor = first_advisor(db, w.tampere.id);
        account(db, "neuvoja@kela.test", Role::Advisor, w.tampere.id, Some(advisor));
        account(db, "esihenkilo@kela.test", Role::OfficeManager, w.tampere.id, None);
        network_account(db, "pilotti@kela.test", Role::PilotLead);
        for email in ["neuvoja@kela.test", "esihenkilo@kela.test", "pilotti@kela.test"] {
            let mut b = Browser::default();
            sign_in(&app, &mut b, email, PASSWORD, "/fi/staff").await;
            let csrf = b.get(&app, "/fi/staff/find").await.input("csrf").expect("the staff bar's token");
            for path in ["", "/users", "/audit", "/outbox", "/questionnaire"] {
                let page = b.get(&app, &format!("/sv/admin{path}")).await;
                assert_eq!(page.status, StatusCode::FORBIDDEN, "{email} {path}");
                assert!(page.body.contains("Ingen behörighet"), "the localised 403 page");
            }
            let new = [("csrf", csrf.as_str()), ("email", "uusi@kela.test"), ("role", "admin"), ("office", ""), ("advisor", "")];
            assert_eq!(b.post(&app, "/fi/admin/users", &new).await.status, StatusCode::FORBIDDEN, "{email}");
            assert!(!b.get(&app, "/fi/staff/find").await.body.contains("href=\"/fi/admin\""), "no Admin link for {email}");
        }
        assert!(staff::find_by_email(&mut db.conn(), "uusi@kela.test").expect("read").is_none());

        let (mut b, csrf) = admin(db, &app).await;
        let new = [("email", "uusi@kela.test"), ("role", "admin"), ("office", ""), ("advisor", "")];
        let without: Vec<_> = new.to_vec();
        assert_eq!(b.post(&app, "/fi/admin/users", &without).await.status, StatusCode::FORBIDDEN, "no token");
        let mut wrong = new.to_vec();
        wrong.push(("csrf", "not the token"));
        assert_eq!(b.post(&app, "/fi/admin/users", &wrong).await.status, StatusCode::FORBIDDEN, "a wrong token");
        let mut with_token = new.to_vec();
        with_token.push(("csrf", &csrf));
        let cross = actix_web::test::TestRequest::post()
            .uri("/fi/admin/users")
            .insert_header(("sec-fetch-site", "cross-site"))
            .insert_header(("content-type", "application/x-www-form-urlencoded"))
            .set_payload(serde_urlencoded::to_string(&with_token).expect("a form"));
        assert_eq!(b.send(&app, cross).await.status, StatusCode::FORBIDDEN, "from another site");
        assert!(staff::find_by_email(&mut db.conn(), "uusi@kela.test").expect("read").is_none(), "nothing was created");
        assert!(entries(db, "create_account").is_empty());
    }

    async fn an_admin_creates_a_user_changes_their_role_and_office_deactivates_them_and_resets_their_password(db) {
        let w = World::new(db);
        let app = app!(w);
        let (mut b, csrf) = admin(db, &app).await;
        let tampere = w.tampere.id.to_string();
        let turku = w.turku.id.to_string();
        let turku_advisor = first_advisor(db, w.turku.id).to_string();

        // Bad input: each field named, the values kept.
        let bad = [("csrf", csrf.as_str()), ("email", "ei osoite"), ("role", "advisor"), ("office", ""), ("advisor", "")];
        let refused = b.post(&app, "/fi/admin/users", &bad).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
        assert_eq!(summary_links(&refused), ["email", "office"]);
        assert!(refused.body.contains("value=\"ei osoite\"") && refused.body.contains("Valitse toimipiste"), "{}", refused.body);
        assert!(refused.between("<title>", "</title>").expect("a title").starts_with("Virhe:"));
        let elsewhere = [("csrf", csrf.as_str()), ("email", "aino@kela.test"), ("role", "advisor"), ("office", &tampere), ("advisor", &turku_advisor)];
        let refused = b.post(&app, "/fi/admin/users", &elsewhere).await;
        assert_eq!(summary_links(&refused), ["advisor"], "{}", refused.body);
        let taken = [("csrf", csrf.as_str()), ("email", ADMIN), ("role", "admin"), ("office", ""), ("advisor", "")];
        let refused = b.post(&app, "/en/admin/users", &taken).await;
        assert_eq!(summary_links(&refused), ["email"]);
        assert!(refused.body.contains("There is already a user with this e-mail address"), "{}", refused.body);
        assert!(entries(db, "create_account").is_empty(), "nothing refused is audited");

        // Created: the password shown once works.
        let good = [("csrf", csrf.as_str()), ("email", "Aino@Kela.test"), ("role", "advisor"), ("office", &tampere), ("advisor", "")];
        let created = b.post(&app, "/fi/admin/users", &good).await;
        let password = shown_password(&created);
        assert_eq!(password.len(), 20);
        let aino = user(db, "aino@kela.test");
        assert_eq!((aino.role, aino.office_id, aino.active), (Role::Advisor, Some(w.tampere.id), true));
        let log = entries(db, "create_account");
        assert_eq!(log.len(), 1);
        assert_eq!((log[0].office_id, log[0].detail.as_ref().and_then(|d| d.account)), (Some(w.tampere.id), Some(aino.id)));
        let list = b.get(&app, "/fi/admin/users").await;
        assert!(list.body.contains(&format!("href=\"/fi/admin/users/{}\">aino@kela.test</a>", aino.id)), "{}", list.body);

        let mut hers = Browser::default();
        let landed = sign_in(&app, &mut hers, "aino@kela.test", &password, "/fi/staff/find").await;
        assert_eq!(landed.location(), "/fi/staff/find", "the new password signs in");
        assert_eq!(hers.get(&app, "/fi/staff/find").await.status, StatusCode::OK);

        // A new role and office: her session ends at once, and the change is audited.
        let user_path = format!("/fi/admin/users/{}", aino.id);
        let page = b.get(&app, &user_path).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let manager = [("csrf", csrf.as_str()), ("role", "office_manager"), ("office", &turku), ("advisor", &turku_advisor)];
        let saved = b.post(&app, &user_path, &manager).await;
        assert_eq!(saved.location(), format!("{user_path}?done=saved"));
        let aino = user(db, "aino@kela.test");
        assert_eq!((aino.role, aino.office_id, aino.advisor_id), (Role::OfficeManager, Some(w.turku.id), Some(turku_advisor.parse().unwrap())));
        assert!(hers.get(&app, "/fi/staff/find").await.location().starts_with("/fi/staff/sign-in"), "her session ended");
        let change = &entries(db, "change_account")[0];
        let fields: Vec<(&str, Option<&str>, Option<&str>)> = change.detail.as_ref().expect("the detail").changes.iter()
            .map(|c| (c.field.as_str(), c.old.as_deref(), c.new.as_deref()))
            .collect();
        assert_eq!(fields, [
            ("role", Some("advisor"), Some("office_manager")),
            ("office_id", Some(tampere.as_str()), Some(turku.as_str())),
            ("advisor_id", None, Some(turku_advisor.as_str())),
        ]);
        let bad_role = [("csrf", csrf.as_str()), ("role", "boss"), ("office", &turku), ("advisor", "")];
        assert_eq!(summary_links(&b.post(&app, &user_path, &bad_role).await), ["role"]);

        // Deactivated: she cannot sign in; activated again; her password reset.
        sign_in(&app, &mut hers, "aino@kela.test", &password, "/fi/staff/find").await;
        let off = b.post(&app, &format!("{user_path}/active"), &[("csrf", csrf.as_str()), ("active", "false")]).await;
        assert_eq!(off.location(), format!("{user_path}?done=deactivated"));
        assert!(!user(db, "aino@kela.test").active);
        assert!(hers.get(&app, "/fi/staff/find").await.location().starts_with("/fi/staff/sign-in"), "her session ended");
        let again = sign_in(&app, &mut Browser::default(), "aino@kela.test", &password, "/fi/staff/find").await;
        assert_eq!(again.status, StatusCode::UNAUTHORIZED, "a deactivated account cannot sign in");
        assert!(b.get(&app, &format!("{user_path}?done=deactivated")).await.body.contains("Poistettu käytöstä"));
        let on = b.post(&app, &format!("{user_path}/active"), &[("csrf", csrf.as_str()), ("active", "true")]).await;
        assert_eq!(on.location(), format!("{user_path}?done=activated"));
        assert_eq!(entries(db, "change_account").len(), 3, "role and office, deactivated, activated");

        sign_in(&app, &mut hers, "aino@kela.test", &password, "/fi/staff/find").await;
        let reset = b.post(&app, &format!("{user_path}/password"), &[("csrf", csrf.as_str())]).await;
        let new_password = shown_password(&reset);
        assert_ne!(new_password, password);
        assert!(hers.get(&app, "/fi/staff/find").await.location().starts_with("/fi/staff/sign-in"), "the reset ended her session");
        let old = sign_in(&app, &mut Browser::default(), "aino@kela.test", &password, "/fi/staff/find").await;
        assert_eq!(old.status, StatusCode::UNAUTHORIZED, "the old password no longer works");
        let new = sign_in(&app, &mut Browser::default(), "aino@kela.test", &new_password, "/fi/staff/find").await;
        assert_eq!(new.location(), "/fi/staff/find");
        let reset_log = entries(db, "reset_password");
        assert_eq!(reset_log.len(), 1);
        assert!(!format!("{:?}", reset_log[0]).contains(&new_password), "no password in the audit log");

        // An admin cannot lock themselves out.
        let me = user(db, ADMIN);
        let mine = format!("/fi/admin/users/{}", me.id);
        assert!(!b.get(&app, &mine).await.body.contains("/active\""), "no deactivate button for oneself");
        let off = b.post(&app, &format!("{mine}/active"), &[("csrf", csrf.as_str()), ("active", "false")]).await;
        assert_eq!(off.status, StatusCode::UNPROCESSABLE_ENTITY);
        let demote = [("csrf", csrf.as_str()), ("role", "advisor"), ("office", &tampere), ("advisor", "")];
        assert_eq!(summary_links(&b.post(&app, &mine, &demote).await), ["role"]);
        assert!(user(db, ADMIN).active && user(db, ADMIN).role == Role::Admin);
    }

    async fn the_audit_log_filters_by_actor_action_office_and_days_and_pages(db) {
        let w = World::new(db);
        let app = app!(w);
        let (mut b, _) = admin(db, &app).await;
        let booking = book_first(db, &w);
        let reader = account(db, "lukija@kela.test", Role::OfficeManager, w.tampere.id, None);
        let lead = network_account(db, "pilotti@kela.test", Role::PilotLead);
        let now = w.clock.now();
        // 55 reads of a Tampere booking yesterday, and the pilot lead's change of Turku now.
        for i in 0..55 {
            audit::record(&mut db.conn(), reader.id, "read_booking", &[booking.id], now - Duration::days(1) + Duration::seconds(i)).expect("audit");
        }
        let mut moved = w.turku.fields.clone();
        moved.pilot_group = "control".into();
        let editor = offices::Editor { staff: lead.id, role: Role::PilotLead };
        offices::change_by(&mut db.conn(), w.turku.id, &moved, editor, now, &aukiolo_store::slots::Horizon::weeks(now, 8)).expect("moved");

        let all = b.get(&app, "/fi/admin/audit").await;
        assert_eq!(all.status, StatusCode::OK, "{}", all.body);
        let first_row = all.between("<tbody>", "</tr>").expect("a row");
        assert!(first_row.contains("pilotti@kela.test") && first_row.contains("Siirsi toimipisteen pilotin ja verrokin välillä") && first_row.contains("pilot_group: pilot → control"), "newest first: {first_row}");
        assert_eq!(all.body.matches("<tr><td>").count(), 50, "50 a page");
        assert!(all.body.contains("rel=\"next\""), "an older page");
        let older = b.get(&app, "/fi/admin/audit?actor=&action=&office=&from=&to=&page=2").await;
        assert_eq!(older.body.matches("<tr><td>").count(), 6);
        assert!(older.body.contains("rel=\"prev\"") && !older.body.contains("rel=\"next\""));

        let by_office = b.get(&app, &format!("/fi/admin/audit?office={}", w.turku.id)).await;
        assert_eq!(by_office.body.matches("<tr><td>").count(), 1, "{}", by_office.body);
        let tampere = b.get(&app, &format!("/fi/admin/audit?office={}&actor={}", w.tampere.id, reader.id)).await;
        assert_eq!(tampere.body.matches("<tr><td>").count(), 50, "a booking's entries count for its office");
        assert!(tampere.body.contains(&format!("href=\"/fi/staff/bookings/{}\"", booking.id)));
        let by_action = b.get(&app, "/fi/admin/audit?action=change_office_pilot").await;
        assert_eq!(by_action.body.matches("<tr><td>").count(), 1);
        let today = aukiolo_domain::dates::numeric(now.with_timezone(&chrono_tz::Europe::Helsinki).date_naive());
        let on_today = b.get(&app, &format!("/fi/admin/audit?from={today}&to={today}")).await;
        assert_eq!(on_today.body.matches("<tr><td>").count(), 1, "only today's change");
        let nothing = b.get(&app, &format!("/fi/admin/audit?actor={}&from={today}", reader.id)).await;
        assert!(nothing.body.contains("Ei tapahtumia näillä rajauksilla."), "{}", nothing.body);

        let bad = b.get(&app, "/fi/admin/audit?from=eilen&to=1.1.2000").await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(summary_links(&bad), ["from"]);
        assert!(bad.body.contains("value=\"eilen\""));
        let backwards = b.get(&app, "/fi/admin/audit?from=2.1.2027&to=1.1.2027").await;
        assert_eq!(summary_links(&backwards), ["to"]);
    }

    async fn the_outbox_shows_counts_and_dead_messages_and_an_admin_retries_one(db) {
        let w = World::new(db);
        let app = app!(w);
        let (mut b, csrf) = admin(db, &app).await;
        book_first(db, &w);
        let now = w.clock.now();
        let claimed = outbox::claim(&mut db.conn(), "test-worker", 1, Duration::minutes(5), now).expect("claim");
        let message = &claimed[0];
        let spent = RetryPolicy { max_attempts: 1, ..RetryPolicy::default() };
        let error = format!("550 mailbox {} unavailable", message.recipient);
        let status = outbox::mark_failed(&mut db.conn(), message.id, "test-worker", &error, &spent, now).expect("failed");
        assert_eq!(status, Some(MessageStatus::Dead));

        let page = b.get(&app, "/en/admin/outbox").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("<th scope=\"row\">Could not be sent</th><td>1</td>"), "{}", page.body);
        assert!(page.body.contains("550 mailbox a***@example.fi unavailable"), "the last error, masked: {}", page.body);
        assert!(!page.body.contains(&message.recipient), "no address in full");
        let retry = format!("/en/admin/outbox/{}/retry", message.id);
        assert!(page.body.contains(&format!("action=\"{retry}\"")));

        assert_eq!(b.post(&app, &retry, &[]).await.status, StatusCode::FORBIDDEN, "without the token");
        let done = b.post(&app, &retry, &[("csrf", csrf.as_str())]).await;
        assert_eq!(done.location(), "/en/admin/outbox?done=retried");
        assert_eq!(outbox::get(&mut db.conn(), message.id).expect("the message").status, MessageStatus::Pending);
        let log = entries(db, "retry_message");
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].detail.as_ref().and_then(|d| d.message), Some(message.id));
        let after = b.get(&app, "/en/admin/outbox?done=retried").await;
        assert!(after.body.contains("The message will be sent again.") && after.body.contains("Every message could be sent."), "{}", after.body);
        let twice = b.post(&app, &retry, &[("csrf", csrf.as_str())]).await;
        assert_eq!(twice.status, StatusCode::CONFLICT);
        assert!(twice.body.contains("its status has changed already"), "{}", twice.body);
        assert_eq!(entries(db, "retry_message").len(), 1);
    }

    async fn the_questionnaire_texts_are_shown_in_three_languages_side_by_side(db) {
        let w = World::new(db);
        let app = app!(w);
        let (mut b, _) = admin(db, &app).await;
        let page = b.get(&app, "/sv/admin/questionnaire").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let q = aukiolo_domain::questionnaire::pilot();
        let cell = |lang: &str, text: &str| {
            let escaped = askama::filters::escape(text, askama::filters::Html).expect("escape").to_string();
            format!("<td lang=\"{lang}\">{escaped}</td>")
        };
        for question in &q.questions {
            for (lang, text) in [("fi", &question.text.fi), ("sv", &question.text.sv), ("en", &question.text.en)] {
                assert!(page.body.contains(&cell(lang, text)), "{} in {lang}", question.key);
            }
            for option in question.kind.options() {
                assert!(page.body.contains(&cell("sv", &option.label.sv)), "{}: {}", question.key, option.key);
            }
        }
        for end in ["0 – ei lainkaan todennäköistä", "0 – inte alls sannolikt", "0 – not at all likely", "10 – extremely likely"] {
            assert!(page.body.contains(end), "the scale's ends as the citizen's page labels them: {end}");
        }
    }

    async fn a_manager_sees_the_pilot_fields_as_facts_and_a_pilot_lead_changes_them_audited(db) {
        let w = World::new(db);
        let app = app!(w);
        let settings = format!("/fi/staff/offices/{}/settings", w.tampere.id);
        account(db, "esihenkilo@kela.test", Role::OfficeManager, w.tampere.id, None);
        let mut m = Browser::default();
        sign_in(&app, &mut m, "esihenkilo@kela.test", PASSWORD, &settings).await;
        let page = m.get(&app, &settings).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.input("name_fi").is_some(), "the manager's own settings");
        assert!(page.input("pilot_group").is_none() && !page.body.contains("name=\"service_mode\""), "the pilot's fields are not a manager's to change");
        assert!(page.body.contains("<dt>Vertailuryhmä</dt><dd>pilot</dd>") && page.body.contains("Vain ajanvarauksella (pilotti)"), "{}", page.body);
        let csrf = page.input("csrf").expect("the token");
        let to_control = [("csrf", csrf.as_str()), ("pilot_group", "control"), ("service_mode", "walk_in_and_appointment"), ("pilot_start", "")];
        assert_eq!(m.post(&app, &format!("{settings}/pilot"), &to_control).await.status, StatusCode::FORBIDDEN);
        assert_eq!(offices::get(&mut db.conn(), w.tampere.id).expect("office").fields.pilot_group, "pilot");

        let lead = network_account(db, "pilotti@kela.test", Role::PilotLead);
        let mut l = Browser::default();
        sign_in(&app, &mut l, "pilotti@kela.test", PASSWORD, &settings).await;
        let page = l.get(&app, &settings).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.input("name_fi").is_none(), "a pilot lead keeps only the pilot's fields");
        assert_eq!(page.input("pilot_group").as_deref(), Some("pilot"));
        let csrf = page.input("csrf").expect("the token");
        let bad = [("csrf", csrf.as_str()), ("pilot_group", " "), ("service_mode", "sometimes"), ("pilot_start", "huomenna")];
        let refused = l.post(&app, &format!("{settings}/pilot"), &bad).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
        assert_eq!(summary_links(&refused), ["service_mode", "pilot_start", "pilot_group"]);
        assert!(refused.body.contains("value=\"huomenna\""));
        let moved = [("csrf", csrf.as_str()), ("pilot_group", "control"), ("service_mode", "walk_in_and_appointment"), ("pilot_start", "4.10.2027")];
        let saved = l.post(&app, &format!("{settings}/pilot"), &moved).await;
        assert_eq!(saved.location(), format!("{settings}?saved=pilot"));
        let f = offices::get(&mut db.conn(), w.tampere.id).expect("office").fields;
        assert_eq!((f.pilot_group.as_str(), f.service_mode.as_str(), f.pilot_start.map(|d| d.to_string())), ("control", "walk_in_and_appointment", Some("2027-10-04".into())));
        let log = entries(db, "change_office_pilot");
        assert_eq!(log.len(), 1);
        assert_eq!((log[0].staff_id, log[0].office_id), (lead.id, Some(w.tampere.id)));
        let changes: Vec<(String, Option<String>, Option<String>)> = log[0].detail.as_ref().expect("detail").changes.iter()
            .map(|c| (c.field.clone(), c.old.clone(), c.new.clone()))
            .collect();
        assert_eq!(changes, [
            ("pilot_group".into(), Some("pilot".into()), Some("control".into())),
            ("service_mode".into(), Some("appointment_only".into()), Some("walk_in_and_appointment".into())),
            ("pilot_start".into(), None, Some("2027-10-04".into())),
        ]);

        // The manager's own settings still save, the pilot's fields as the lead left them.
        let form = m.get(&app, &settings).await;
        let mut fields: Vec<(String, String)> = ["name_fi", "name_sv", "name_en", "street", "postal_code", "municipality", "phone", "languages", "horizon_weeks", "min_notice_minutes", "holdback_percent", "holdback_release_hours", "change_cutoff_minutes", "reminder_minutes_before", "questionnaire_delay_minutes", "csrf"]
            .iter()
            .map(|n| (n.to_string(), form.input(n).unwrap_or_default()))
            .collect();
        fields.iter_mut().find(|(k, _)| k == "phone").expect("phone").1 = "+358 20 634 0100".into();
        let saved = m.post(&app, &settings, &common::staff::pairs(&fields)).await;
        assert_eq!(saved.location(), format!("{settings}?saved=1"), "{}", saved.body);
        let f = offices::get(&mut db.conn(), w.tampere.id).expect("office").fields;
        assert_eq!((f.phone.as_deref(), f.pilot_group.as_str()), (Some("+358 20 634 0100"), "control"));
        assert_eq!(entries(db, "change_office_pilot").len(), 1, "no pilot change by the manager");
    }
}
