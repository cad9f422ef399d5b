//! The office manager's calendar pages through HTTP: the advisors table, editing and adding
//! an advisor, linking a login to an advisor (its "my day" then shows that advisor's day),
//! weekly rules and the preview of next week, closures beside the computed holidays, the
//! notice of new conflicts, and the refusals (CSRF, another site, another office, bad input).
//!
//! The clock stands at the fixture's Tuesday 14.9.2027 10.00, so "next week" is Monday 20.9
//! to Sunday 26.9.2027, which has no public holiday.

mod common;

use actix_web::http::StatusCode;
use aukiolo_domain::staff::Role;
use aukiolo_domain::Channel;
use aukiolo_store::{advisors, backend_tests, closures, schedule_rules, slots, staff};
use chrono::{NaiveDate, TimeZone};
use chrono_tz::Europe::Helsinki;
use common::staff::{account, first_advisor, sign_in, PASSWORD};
use common::{book_first, Browser, Page};

/// The text of the table row that starts with `head` (a day of the preview).
fn row<'a>(page: &'a Page, head: &str) -> &'a str {
    page.between(head, "</tr>").unwrap_or_else(|| panic!("no row {head}: {}", page.body))
}

/// The advisor's stored slots that start on `day` (Helsinki).
fn slots_on(
    db: &aukiolo_store::test_support::TestDb,
    advisor: aukiolo_domain::AdvisorId,
    day: NaiveDate,
) -> usize {
    let from = Helsinki.from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap()).unwrap().to_utc();
    slots::list_for_advisor(&mut db.conn(), advisor, from, from + chrono::Duration::days(1))
        .expect("slots")
        .len()
}

backend_tests! {
    async fn a_manager_sees_edits_and_adds_advisors(db) {
        let w = common::World::new(db);
        let app = app!(w);
        account(db, "esihenkilo@kela.test", Role::OfficeManager, w.tampere.id, None);
        let advisor = first_advisor(db, w.tampere.id);
        let list_path = format!("/fi/staff/offices/{}/advisors", w.tampere.id);
        let mut b = Browser::default();
        sign_in(&app, &mut b, "esihenkilo@kela.test", PASSWORD, &list_path).await;

        // The table, and the nav links of a manager.
        let list = b.get(&app, &list_path).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        assert_eq!(list.header("cache-control"), "no-store");
        let aino = row(&list, "Aino Virtanen");
        assert!(aino.contains("fi, sv") && aino.contains("Asumistuki, Eläkkeet") && aino.contains("Toimipiste, Puhelin"), "{aino}");
        assert!(aino.contains("Kyllä") && aino.contains("ei linkitetty"), "{aino}");
        assert!(list.body.contains(&format!("/fi/staff/advisors/{advisor}/schedule")));
        assert!(list.body.contains(&format!("href=\"/fi/staff/offices/{}/closures\"", w.tampere.id)), "the nav links closures");
        let csrf = list.input("csrf").expect("the form token");

        // Editing: bad input names each field and keeps what was typed.
        let edit_path = format!("/fi/staff/advisors/{advisor}");
        let edit = b.get(&app, &edit_path).await;
        assert_eq!(edit.status, StatusCode::OK, "{}", edit.body);
        assert_eq!(edit.input("name").as_deref(), Some("Aino Virtanen"));
        let housing = w.housing.id.to_string();
        let bad = [("csrf", csrf.as_str()), ("name", " "), ("languages", "suomi ja ruotsi!"), ("topics", &housing)];
        let refused = b.post(&app, &edit_path, &bad).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        for field in ["name", "languages", "channels"] {
            assert!(refused.body.contains(&format!("href=\"#{field}\"")), "{field}: {}", refused.body);
        }
        assert!(refused.body.contains("value=\"suomi ja ruotsi!\"") && refused.body.contains("Valitse vähintään yksi kanava"), "{}", refused.body);
        assert!(!refused.body.contains("must"), "no English on a Finnish page: {}", refused.body);
        assert_eq!(advisors::get(&mut db.conn(), advisor).expect("the advisor").fields.name, "Aino Virtanen");

        let good = [("csrf", csrf.as_str()), ("name", "Aino Koski"), ("languages", "fi, en"), ("topics", &housing), ("channels", "office"), ("active", "true")];
        let saved = b.post(&app, &edit_path, &good).await;
        assert_eq!(saved.location(), format!("{edit_path}?done=saved"));
        let f = advisors::get(&mut db.conn(), advisor).expect("the advisor").fields;
        assert_eq!((f.name.as_str(), f.topic_ids.as_slice(), f.channels.as_slice()), ("Aino Koski", &[w.housing.id][..], &[Channel::Office][..]));
        assert_eq!(f.languages.iter().map(|l| l.as_str()).collect::<Vec<_>>(), ["fi", "en"]);
        // The refresh followed the change: Thursday's phone times are gone with the channel.
        let thursday = NaiveDate::from_ymd_opt(2027, 9, 23).unwrap();
        assert!(b.get(&app, &saved.location()).await.body.contains("Neuvojan tiedot tallennettiin."));
        assert!(slots_on(db, advisor, thursday) > 0, "the rules still give Thursday's times");
        let schedule = format!("/fi/staff/advisors/{advisor}/schedule");
        assert!(!b.get(&app, &schedule).await.body.contains("Neuvoja ei ole käytössä"));

        // Deactivated, as the API's PUT does it: the open times go, the rules stay.
        let inactive = [("csrf", csrf.as_str()), ("name", "Aino Koski"), ("languages", "fi, en"), ("topics", &housing), ("channels", "office")];
        assert!(b.post(&app, &edit_path, &inactive).await.status.is_redirection());
        assert!(!advisors::get(&mut db.conn(), advisor).expect("the advisor").fields.active);
        assert_eq!(slots_on(db, advisor, thursday), 0);
        let page = b.get(&app, &schedule).await;
        assert!(page.body.contains("Neuvoja ei ole käytössä") && row(&page, "torstai 23.9.2027").contains("Puhelin:"), "{}", page.body);
        assert!(row(&b.get(&app, &list_path).await, "Aino Koski").contains("<td>Ei</td>"));

        // Adding an advisor.
        let pension = w.pension.id.to_string();
        let missing = b.post(&app, &list_path, &[("csrf", csrf.as_str()), ("name", "Ville Uusi"), ("languages", "fi")]).await;
        assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(missing.body.contains("href=\"#channels\"") && missing.body.contains("value=\"Ville Uusi\""), "{}", missing.body);
        let new = [("csrf", csrf.as_str()), ("name", "Ville Uusi"), ("languages", "fi"), ("topics", &pension), ("channels", "phone"), ("active", "true")];
        let added = b.post(&app, &list_path, &new).await;
        assert_eq!(added.location(), format!("{list_path}?done=added"));
        let list = b.get(&app, &added.location()).await;
        assert!(list.body.contains("Neuvoja lisättiin."), "{}", list.body);
        let ville = row(&list, "Ville Uusi");
        assert!(ville.contains("Eläkkeet") && ville.contains("Puhelin"), "{ville}");
        assert_eq!(advisors::list_for_office(&mut db.conn(), w.tampere.id).expect("advisors").len(), 2);
    }

    async fn a_linked_login_sees_the_advisors_day(db) {
        let w = common::World::new(db);
        let app = app!(w);
        account(db, "esihenkilo@kela.test", Role::OfficeManager, w.tampere.id, None);
        let aino = account(db, "aino@kela.test", Role::Advisor, w.tampere.id, None);
        account(db, "turku@kela.test", Role::Advisor, w.turku.id, None);
        let advisor = first_advisor(db, w.tampere.id);
        let booking = book_first(db, &w);
        let mut citizen_day = Browser::default();
        sign_in(&app, &mut citizen_day, "aino@kela.test", PASSWORD, "/fi/staff/day").await;
        let unlinked = citizen_day.get(&app, "/fi/staff/day").await;
        assert!(!unlinked.body.contains("Anna"), "no day before the link: {}", unlinked.body);

        let mut b = Browser::default();
        let edit_path = format!("/fi/staff/advisors/{advisor}");
        sign_in(&app, &mut b, "esihenkilo@kela.test", PASSWORD, &edit_path).await;
        let edit = b.get(&app, &edit_path).await;
        let csrf = edit.input("csrf").expect("the form token");
        assert!(edit.body.contains("aino@kela.test") && !edit.body.contains("turku@kela.test"), "only the office's logins: {}", edit.body);

        // Another office's login cannot be chosen.
        let turku = staff::find_by_email(&mut db.conn(), "turku@kela.test").expect("read").expect("the login");
        let other = b.post(&app, &format!("{edit_path}/login"), &[("csrf", csrf.as_str()), ("login", &turku.id.to_string())]).await;
        assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(other.body.contains("href=\"#login\""), "{}", other.body);

        let linked = b.post(&app, &format!("{edit_path}/login"), &[("csrf", csrf.as_str()), ("login", &aino.id.to_string())]).await;
        assert_eq!(linked.location(), format!("{edit_path}?done=linked"));
        assert_eq!(staff::get(&mut db.conn(), aino.id).expect("the login").advisor_id, Some(advisor));
        // Both ends show it: the advisor's page and the table, and the login's day.
        let edit = b.get(&app, &linked.location()).await;
        assert!(edit.body.contains(&format!("value=\"{}\" selected", aino.id)), "{}", edit.body);
        let list = b.get(&app, &format!("/fi/staff/offices/{}/advisors", w.tampere.id)).await;
        assert!(row(&list, "Aino Virtanen").contains("aino@kela.test"));
        let day = citizen_day.get(&app, "/fi/staff/day").await;
        assert!(day.body.contains("Anna") && day.body.contains(&booking.reference), "{}", day.body);

        // Unlinked again: no day.
        let none = b.post(&app, &format!("{edit_path}/login"), &[("csrf", csrf.as_str()), ("login", "")]).await;
        assert!(none.status.is_redirection());
        assert_eq!(staff::get(&mut db.conn(), aino.id).expect("the login").advisor_id, None);
        assert!(!citizen_day.get(&app, "/fi/staff/day").await.body.contains(&booking.reference));
    }

    async fn a_weekly_rule_shows_in_next_weeks_preview_until_deleted(db) {
        let w = common::World::new(db);
        let app = app!(w);
        account(db, "esihenkilo@kela.test", Role::OfficeManager, w.tampere.id, None);
        let advisor = first_advisor(db, w.tampere.id);
        let path = format!("/fi/staff/advisors/{advisor}/schedule");
        let mut b = Browser::default();
        sign_in(&app, &mut b, "esihenkilo@kela.test", PASSWORD, &path).await;
        let saturday = NaiveDate::from_ymd_opt(2027, 9, 25).unwrap();

        let page = b.get(&app, &path).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("Ensi viikon ajat 20.9.2027–26.9.2027"), "{}", page.body);
        assert!(row(&page, "maanantai 20.9.2027").contains("Toimipiste:</strong> 8.00, 8.30"), "{}", page.body);
        assert!(row(&page, "torstai 23.9.2027").contains("Puhelin:"), "{}", page.body);
        assert!(row(&page, "lauantai 25.9.2027").contains("ei aikoja"));
        assert!(page.body.contains(&format!("/fi/staff/advisors/{advisor}/absences")));
        let csrf = page.input("csrf").expect("the form token");

        // Bad input: each field named, the values kept, in the page's language.
        let bad = [("csrf", csrf.as_str()), ("weekday", "6"), ("start", "11.00"), ("end", "9.00"), ("slot_minutes", "30"), ("channel", "office")];
        let refused = b.post(&app, &path, &bad).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("href=\"#end\"") && refused.body.contains("Päättymisajan pitää olla alkamisajan jälkeen"), "{}", refused.body);
        assert!(refused.body.contains("value=\"11.00\""));
        let bad = [("csrf", csrf.as_str()), ("weekday", "8"), ("start", "noon"), ("end", "12.00"), ("slot_minutes", "seven"), ("valid_from", "32.9.2027")];
        let refused = b.post(&app, &path, &bad).await;
        for field in ["weekday", "start", "slot_minutes", "channel", "valid_from"] {
            assert!(refused.body.contains(&format!("href=\"#{field}\"")), "{field}: {}", refused.body);
        }

        let rule = [("csrf", csrf.as_str()), ("weekday", "6"), ("start", "9.00"), ("end", "11.00"), ("slot_minutes", "30"), ("channel", "office"), ("breaks", ""), ("valid_from", ""), ("valid_until", "")];
        let added = b.post(&app, &path, &rule).await;
        assert_eq!(added.location(), format!("{path}?done=added"));
        let page = b.get(&app, &added.location()).await;
        assert!(page.body.contains("Viikkosääntö lisättiin."));
        assert!(row(&page, "lauantai 25.9.2027").contains("Toimipiste:</strong> 9.00, 9.30, 10.00, 10.30"), "{}", page.body);
        assert!(row(&page, "<tr><td>lauantai").contains("9.00–11.00"), "the rule in the table");
        assert_eq!(slots_on(db, advisor, saturday), 4, "the slots were refreshed with the rule");

        // The same hours again overlap it: refused, named on the start.
        let clash = b.post(&app, &path, &rule).await;
        assert_eq!(clash.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(clash.body.contains("href=\"#start\"") && clash.body.contains("Menee päällekkäin"), "{}", clash.body);

        // Deleting it removes its times.
        let id = schedule_rules::list_for_advisor(&mut db.conn(), advisor).expect("rules").into_iter().find(|r| r.fields.weekday == 6).expect("the rule").id;
        let delete = format!("{path}/{id}/delete");
        assert!(page.body.contains(&delete), "{}", page.body);
        let deleted = b.post(&app, &delete, &[("csrf", csrf.as_str())]).await;
        assert_eq!(deleted.location(), format!("{path}?done=deleted"));
        let page = b.get(&app, &deleted.location()).await;
        assert!(row(&page, "lauantai 25.9.2027").contains("ei aikoja"), "{}", page.body);
        assert_eq!(slots_on(db, advisor, saturday), 0);
    }

    async fn a_closure_removes_its_days_times_and_the_holidays_are_listed(db) {
        let w = common::World::new(db);
        let app = app!(w);
        account(db, "esihenkilo@kela.test", Role::OfficeManager, w.tampere.id, None);
        let advisor = first_advisor(db, w.tampere.id);
        let path = format!("/fi/staff/offices/{}/closures", w.tampere.id);
        let schedule = format!("/fi/staff/advisors/{advisor}/schedule");
        let mut b = Browser::default();
        sign_in(&app, &mut b, "esihenkilo@kela.test", PASSWORD, &path).await;

        let page = b.get(&app, &path).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("Tulevia sulkemispäiviä ei ole."));
        assert!(row(&page, "lauantai 6.11.2027").contains("Pyhäinpäivä") && row(&page, "maanantai 6.12.2027").contains("Itsenäisyyspäivä"), "{}", page.body);
        let sv = b.get(&app, &format!("/sv/staff/offices/{}/closures", w.tampere.id)).await;
        assert!(sv.body.contains("Alla helgons dag") && !sv.body.contains("All Saints"), "{}", sv.body);
        let csrf = page.input("csrf").expect("the form token");

        let bad = [("csrf", csrf.as_str()), ("first_day", "32.9.2027"), ("last_day", ""), ("reason", "")];
        let refused = b.post(&app, &path, &bad).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("href=\"#first_day\"") && refused.body.contains("href=\"#reason\"") && refused.body.contains("value=\"32.9.2027\""), "{}", refused.body);
        let far = b.post(&app, &path, &[("csrf", csrf.as_str()), ("first_day", "1.1.2101"), ("reason", "Kaukana")]).await;
        assert!(far.body.contains("href=\"#first_day\"") && far.body.contains("vuosilta 2000–2100"), "bounded like other dates: {}", far.body);
        let past = b.post(&app, &path, &[("csrf", csrf.as_str()), ("first_day", "1.9.2027"), ("last_day", "2.9.2027"), ("reason", "Mennyt")]).await;
        assert!(past.body.contains("href=\"#last_day\"") && past.body.contains("menneisyydessä"), "{}", past.body);
        let backwards = b.post(&app, &path, &[("csrf", csrf.as_str()), ("first_day", "23.9.2027"), ("last_day", "22.9.2027"), ("reason", "Väärin")]).await;
        assert!(backwards.body.contains("href=\"#last_day\"") && backwards.body.contains("ennen ensimmäistä"), "{}", backwards.body);
        assert!(closures::list_for_office(&mut db.conn(), w.tampere.id, None).expect("closures").is_empty());

        // Next Wednesday closed: its times are gone, the preview says why.
        let wednesday = NaiveDate::from_ymd_opt(2027, 9, 22).unwrap();
        assert!(slots_on(db, advisor, wednesday) > 0);
        let added = b.post(&app, &path, &[("csrf", csrf.as_str()), ("first_day", "22.9.2027"), ("last_day", ""), ("reason", "Muutto")]).await;
        assert_eq!(added.location(), format!("{path}?done=added"));
        let page = b.get(&app, &added.location()).await;
        assert!(page.body.contains("Sulkemispäivä lisättiin.") && row(&page, "keskiviikko 22.9.2027").contains("Muutto"), "{}", page.body);
        assert!(!page.body.contains("/conflicts"), "nothing was booked then");
        assert_eq!(slots_on(db, advisor, wednesday), 0);
        assert!(row(&b.get(&app, &schedule).await, "keskiviikko 22.9.2027").contains("toimipiste suljettu"));

        // Closing a day with a booking on it: the notice links to the conflicts.
        let booking = book_first(db, &w);
        let day = booking.start.with_timezone(&Helsinki).date_naive();
        let closed = b.post(&app, &path, &[("csrf", csrf.as_str()), ("first_day", &day.to_string()), ("reason", "Vesivahinko")]).await;
        assert_eq!(closed.location(), format!("{path}?done=added&conflicts=1"));
        let page = b.get(&app, &closed.location()).await;
        assert!(page.body.contains(&format!("href=\"/fi/staff/offices/{}/conflicts\"", w.tampere.id)) && page.body.contains("1 varauksen"), "{}", page.body);

        // Deleting the Wednesday closure brings its times back.
        let id = closures::list_for_office(&mut db.conn(), w.tampere.id, None).expect("closures").into_iter().find(|c| c.fields.reason == "Muutto").expect("the closure").id;
        let deleted = b.post(&app, &format!("{path}/{id}/delete"), &[("csrf", csrf.as_str())]).await;
        assert_eq!(deleted.location(), format!("{path}?done=deleted"));
        assert!(slots_on(db, advisor, wednesday) > 0);
    }

    async fn posts_without_the_token_from_elsewhere_or_for_another_office_change_nothing(db) {
        let w = common::World::new(db);
        let app = app!(w);
        account(db, "esihenkilo@kela.test", Role::OfficeManager, w.tampere.id, None);
        account(db, "turku.esihenkilo@kela.test", Role::OfficeManager, w.turku.id, None);
        account(db, "aino@kela.test", Role::Advisor, w.tampere.id, None);
        let advisor = first_advisor(db, w.tampere.id);
        let closures_path = format!("/fi/staff/offices/{}/closures", w.tampere.id);
        let schedule = format!("/fi/staff/advisors/{advisor}/schedule");
        let closure = [("first_day", "22.9.2027"), ("reason", "Muutto")];
        let nothing_closed = || closures::list_for_office(&mut db.conn(), w.tampere.id, None).expect("closures").is_empty();
        let rules_now = || schedule_rules::list_for_advisor(&mut db.conn(), advisor).expect("rules").len();

        let mut b = Browser::default();
        sign_in(&app, &mut b, "esihenkilo@kela.test", PASSWORD, &closures_path).await;
        let csrf = b.get(&app, &closures_path).await.input("csrf").expect("the form token");
        assert_eq!(b.post(&app, &closures_path, &closure).await.status, StatusCode::FORBIDDEN);
        let wrong = [("csrf", "guess"), closure[0], closure[1]];
        assert_eq!(b.post(&app, &closures_path, &wrong).await.status, StatusCode::FORBIDDEN);
        let cross = actix_web::test::TestRequest::post()
            .uri(&closures_path)
            .insert_header(("origin", "https://evil.example"))
            .insert_header(("content-type", "application/x-www-form-urlencoded"))
            .set_payload(format!("csrf={csrf}&first_day=22.9.2027&reason=Muutto"));
        assert_eq!(b.send(&app, cross).await.status, StatusCode::FORBIDDEN);
        let rule = [("weekday", "6"), ("start", "9.00"), ("end", "11.00"), ("slot_minutes", "30"), ("channel", "office")];
        assert_eq!(b.post(&app, &schedule, &rule).await.status, StatusCode::FORBIDDEN);
        assert!(nothing_closed());
        assert_eq!(rules_now(), 5);

        // Another office's manager, and an advisor: 403 on every page and form.
        for (email, who) in [("turku.esihenkilo@kela.test", "another office's manager"), ("aino@kela.test", "an advisor")] {
            let mut other = Browser::default();
            sign_in(&app, &mut other, email, PASSWORD, "/fi/staff/day").await;
            let csrf = other.get(&app, "/fi/staff/walk-ins").await.input("csrf").expect("their form token");
            for page in [format!("/fi/staff/offices/{}/advisors", w.tampere.id), format!("/fi/staff/advisors/{advisor}"), schedule.clone(), closures_path.clone()] {
                assert_eq!(other.get(&app, &page).await.status, StatusCode::FORBIDDEN, "{who}: {page}");
            }
            let closure = [("csrf", csrf.as_str()), closure[0], closure[1]];
            assert_eq!(other.post(&app, &closures_path, &closure).await.status, StatusCode::FORBIDDEN, "{who}");
            let rule = [("csrf", csrf.as_str()), rule[0], rule[1], rule[2], rule[3], rule[4]];
            assert_eq!(other.post(&app, &schedule, &rule).await.status, StatusCode::FORBIDDEN, "{who}");
            let name = [("csrf", csrf.as_str()), ("name", "Toinen"), ("languages", "fi"), ("channels", "office"), ("active", "true")];
            assert_eq!(other.post(&app, &format!("/fi/staff/advisors/{advisor}"), &name).await.status, StatusCode::FORBIDDEN, "{who}");
        }
        assert!(nothing_closed());
        assert_eq!(rules_now(), 5);
        assert_eq!(advisors::get(&mut db.conn(), advisor).expect("the advisor").fields.name, "Aino Virtanen");
    }
}
