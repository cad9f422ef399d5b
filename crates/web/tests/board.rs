//! The office manager's pages through HTTP, on both backends: the board (booked, free,
//! held back, walk-ins, the conflicts notice), an absence added through its page over
//! two booked visits, the conflicts page listing each booking once, one moved to another
//! advisor and one cancelled with notice (the citizens' mails queued, no reminder left
//! for the old times), refusals said on the page, the CSRF and origin checks, another
//! office's manager refused, and bad absence input named.

mod common;

use actix_web::http::StatusCode;
use aukiolo_domain::booking::BookingStatus;
use aukiolo_domain::outbox::{MessageKind, MessageStatus};
use aukiolo_domain::staff::Role;
use aukiolo_domain::visit::WalkInOutcome;
use aukiolo_store::availability::RulesApply;
use aukiolo_store::personal_data::PersonalDataKeys;
use aukiolo_store::slots::Horizon;
use aukiolo_store::{absences, backend_tests, bookings, offices, outbox, visits};
use chrono::{DateTime, Utc};
use common::staff::{account, first_advisor, sign_in};
use common::{book_as, Browser, Citizen, World, PERSONAL};

const BEA: Citizen<'static> = Citizen { name: "Bea", personal_id: "010190-123M", email: "bea@example.fi" };
const CID: Citizen<'static> = Citizen { name: "Cid", personal_id: "020290-1244", email: "cid@example.fi" };
const DAN: Citizen<'static> = Citizen { name: "Dan", personal_id: "030390-125L", email: "dan@example.fi" };

/// Wednesday 15.9.2027 (an office day at Tampere) at `hour`.00 in Helsinki (UTC+3; 24 is
/// the midnight after it).
fn wednesday(hour: i64) -> DateTime<Utc> {
    "2027-09-14T21:00:00Z".parse::<DateTime<Utc>>().expect("an instant") + chrono::Duration::hours(hour)
}

backend_tests! {
    async fn a_manager_resolves_the_conflicts_of_an_absence(db) {
        let w = World::new(db);
        let app = app!(w);
        let now = w.clock.now();
        let keys = PersonalDataKeys::from_secret(PERSONAL);
        // Half of the times held back until they start.
        let mut fields = w.tampere.fields.clone();
        fields.booking_rules.holdback_percent = 50;
        fields.booking_rules.holdback_release_hours = 0;
        offices::change(&mut db.conn(), w.tampere.id, &fields, now, &Horizon::weeks(now, 8)).expect("rules");
        // Two visits with the first advisor, before a second one joins.
        let aino = first_advisor(db, w.tampere.id);
        let bea = book_as(db, &w, wednesday(10), &BEA, RulesApply::StaffOverride);
        let cid = book_as(db, &w, wednesday(11), &CID, RulesApply::StaffOverride);
        assert_eq!((bea.advisor_id, cid.advisor_id), (aino, aino));
        common::advisor(db, &w.tampere, &[&w.housing, &w.pension], |d| if d <= 3 { aukiolo_domain::Channel::Office } else { aukiolo_domain::Channel::Phone }, now);
        // The second advisor's 11.00 taken: no one else is free for Cid then.
        let dan = book_as(db, &w, wednesday(11), &DAN, RulesApply::StaffOverride);
        assert_ne!(dan.advisor_id, aino);
        let manager = account(db, "esihenkilo@kela.test", Role::OfficeManager, w.tampere.id, None);
        account(db, "turku@kela.test", Role::OfficeManager, w.turku.id, None);
        visits::log_walk_in(&mut db.conn(), &visits::NewWalkIn { office: w.tampere.id, topic: w.housing.id, outcome: WalkInOutcome::DirectedToEservice, booking_reference: None }, manager.id, now).expect("a walk-in");

        let mut b = Browser::default();
        let board_path = format!("/fi/staff/offices/{}", w.tampere.id);
        let home = sign_in(&app, &mut b, "esihenkilo@kela.test", common::staff::PASSWORD, "").await;
        assert_eq!(home.location(), "/fi/staff");
        assert_eq!(b.get(&app, "/fi/staff").await.location(), board_path, "a manager starts on the board");

        // Today's board: the walk-in; Wednesday's: booked, free and held-back times.
        let today = b.get(&app, &board_path).await;
        assert_eq!(today.status, StatusCode::OK, "{}", today.body);
        assert_eq!(today.header("cache-control"), "no-store");
        assert!(today.body.contains("Ohjattiin asiointipalveluun") && today.body.contains("Toimipisteen päivä"), "{}", today.body);
        let board = b.get(&app, &format!("{board_path}?date=2027-09-15")).await;
        assert_eq!(board.status, StatusCode::OK, "{}", board.body);
        for kind in ["booked", "free", "held"] {
            assert!(board.body.contains(&format!("board-row--{kind}")), "no {kind} time: {}", board.body);
        }
        assert!(board.body.contains(&bea.reference) && board.body.contains(&format!("/fi/staff/bookings/{}", bea.id.0)), "{}", board.body);
        assert!(!board.body.contains("Bea"), "no names on the board");
        assert!(!board.body.contains("ristiriidassa"), "no conflicts yet");
        let absences_path = format!("/fi/staff/advisors/{aino}/absences");
        assert!(board.body.contains(&absences_path), "{}", board.body);

        // Bad absence input: named, nothing written.
        let page = b.get(&app, &absences_path).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let csrf = page.input("csrf").expect("the form token");
        let absent = || absences::list_for_advisor(&mut db.conn(), aino, None).expect("absences").len();
        for (field, form) in [
            ("start_date", [("start_date", "31.2.2027"), ("end_date", "15.9.2027"), ("start_time", ""), ("kind", "sick_leave")]),
            ("start_time", [("start_date", "15.9.2027"), ("end_date", "15.9.2027"), ("start_time", "25.00"), ("kind", "sick_leave")]),
            ("end_date", [("start_date", "16.9.2027"), ("end_date", "15.9.2027"), ("start_time", ""), ("kind", "sick_leave")]),
            ("kind", [("start_date", "15.9.2027"), ("end_date", "15.9.2027"), ("start_time", ""), ("kind", "")]),
        ] {
            let mut form = form.to_vec();
            form.push(("csrf", &csrf));
            let refused = b.post(&app, &absences_path, &form).await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
            assert!(refused.body.contains(&format!("href=\"#{field}\"")), "{field}: {}", refused.body);
            assert!(refused.body.contains("Virhe:"), "{field}");
        }
        assert_eq!(absent(), 0);

        // Without the token, or from another site, no absence is added.
        let whole_day = [("start_date", "15.9.2027"), ("end_date", "15.9.2027"), ("kind", "sick_leave"), ("note", "flunssa")];
        assert_eq!(b.post(&app, &absences_path, &whole_day).await.status, StatusCode::FORBIDDEN);
        let cross = actix_web::test::TestRequest::post()
            .uri(&absences_path)
            .insert_header(("origin", "https://evil.example"))
            .insert_header(("content-type", "application/x-www-form-urlencoded"))
            .set_payload(format!("start_date=15.9.2027&end_date=15.9.2027&kind=sick_leave&csrf={csrf}"));
        assert_eq!(b.send(&app, cross).await.status, StatusCode::FORBIDDEN);
        assert_eq!(absent(), 0);

        // The whole Wednesday away: both visits are in conflict.
        let mut form = whole_day.to_vec();
        form.push(("csrf", &csrf));
        let added = b.post(&app, &absences_path, &form).await;
        assert_eq!(added.location(), format!("{absences_path}?added=1"));
        let listed = absences::list_for_advisor(&mut db.conn(), aino, None).expect("absences");
        assert_eq!((listed.len(), listed[0].fields.starts_at, listed[0].fields.ends_at), (1, wednesday(0), wednesday(24)));
        let conflicts_path = format!("/fi/staff/offices/{}/conflicts", w.tampere.id);
        let after = b.get(&app, &added.location()).await;
        assert!(after.body.contains("Poissaolo lisättiin.") && after.body.contains("Neuvojalla on 2 varausta") && after.body.contains(&conflicts_path), "{}", after.body);
        let board = b.get(&app, &format!("{board_path}?date=2027-09-15")).await;
        assert!(board.body.contains("2 varausta on ristiriidassa") && board.body.contains(&conflicts_path), "{}", board.body);

        // One entry per booking, each with its ways out.
        let conflicts = b.get(&app, &conflicts_path).await;
        assert_eq!(conflicts.status, StatusCode::OK, "{}", conflicts.body);
        assert_eq!(conflicts.body.matches("<section class=\"conflict").count(), 2, "{}", conflicts.body);
        assert!(conflicts.body.contains("Bea") && conflicts.body.contains("Cid") && conflicts.body.contains("Neuvoja on poissa"), "{}", conflicts.body);
        let move_bea = format!("{conflicts_path}/{}/move", bea.id.0);
        let cancel_cid = format!("{conflicts_path}/{}/cancel", cid.id.0);
        assert!(conflicts.body.contains("Siirrä toiselle neuvojalle samaan aikaan") && conflicts.body.contains(&move_bea), "{}", conflicts.body);
        let status = |id| bookings::get(&mut db.conn(), &keys, id).expect("the booking").status;

        // Without the token, or from another site, nothing moves.
        assert_eq!(b.post(&app, &move_bea, &[("start", "")]).await.status, StatusCode::FORBIDDEN);
        let cross = actix_web::test::TestRequest::post()
            .uri(&move_bea)
            .insert_header(("origin", "https://evil.example"))
            .insert_header(("content-type", "application/x-www-form-urlencoded"))
            .set_payload(format!("start=&csrf={csrf}"));
        assert_eq!(b.send(&app, cross).await.status, StatusCode::FORBIDDEN);
        assert_eq!(status(bea.id), BookingStatus::Booked);

        // Cid at the same time: nobody else is free then, said on the page in Finnish.
        let nobody = b.post(&app, &format!("{conflicts_path}/{}/move", cid.id.0), &[("start", ""), ("csrf", &csrf)]).await;
        assert_eq!(nobody.status, StatusCode::CONFLICT, "{}", nobody.body);
        assert!(nobody.body.contains("Kukaan muu neuvoja ei ole vapaana") && nobody.body.contains(&format!("href=\"#conflict-{}\"", cid.id.0)), "{}", nobody.body);
        assert_eq!(status(cid.id), BookingStatus::Booked);

        // Bea to another advisor at the same time.
        let moved = b.post(&app, &move_bea, &[("start", ""), ("csrf", &csrf)]).await;
        let location = moved.location();
        assert!(location.starts_with(&format!("{conflicts_path}?moved=")), "{location}");
        let new_id = location.rsplit('=').next().expect("the new booking").parse().map(aukiolo_domain::BookingId).expect("an id");
        let new = bookings::get(&mut db.conn(), &keys, new_id).expect("the new booking");
        assert_eq!((new.start, new.rescheduled_from, new.status), (bea.start, Some(bea.id), BookingStatus::Booked));
        assert_ne!(new.advisor_id, aino);
        assert_eq!(status(bea.id), BookingStatus::CancelledByOffice);
        let told = b.get(&app, &location).await;
        assert!(told.body.contains("Varaus siirrettiin") && told.body.contains(&new.reference), "{}", told.body);
        assert_eq!(told.body.matches("<section class=\"conflict").count(), 1, "{}", told.body);
        // Moved again by a stale page: said, nothing changed.
        let again = b.post(&app, &move_bea, &[("start", ""), ("csrf", &csrf)]).await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        assert!(again.body.contains("Varausta ei voi enää muuttaa") && again.body.contains("href=\"#conflicts\""), "{}", again.body);

        // Cid cancelled with notice: a reason is needed, and goes into the mail.
        let empty = b.post(&app, &cancel_cid, &[("reason", " "), ("csrf", &csrf)]).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.body.contains("Kirjoita syy"), "{}", empty.body);
        assert_eq!(status(cid.id), BookingStatus::Booked);
        let reason = "Neuvoja sairastui; varaa uusi aika.";
        let cancelled = b.post(&app, &cancel_cid, &[("reason", reason), ("csrf", &csrf)]).await;
        assert_eq!(cancelled.location(), format!("{conflicts_path}?cancelled={}", cid.id.0));
        assert_eq!(status(cid.id), BookingStatus::CancelledByOffice);
        let done = b.get(&app, &cancelled.location()).await;
        assert!(done.body.contains("peruttiin") && done.body.contains("Ei ristiriitoja"), "{}", done.body);

        // The mails: Bea's move on the new booking, Cid's cancellation with the reason;
        // no reminder of the old times is left to go out.
        let queued = |id| outbox::for_booking(&mut db.conn(), id).expect("the outbox");
        assert!(queued(new.id).iter().any(|m| m.kind == MessageKind::Rescheduled && m.recipient == "bea@example.fi" && m.status == MessageStatus::Pending));
        assert!(queued(cid.id).iter().any(|m| m.kind == MessageKind::Cancelled && m.payload.reason.as_deref() == Some(reason)), "{:?}", queued(cid.id));
        for old in [bea.id, cid.id] {
            let waiting: Vec<_> = queued(old).into_iter().filter(|m| m.kind == MessageKind::Reminder && m.status != MessageStatus::Void).collect();
            assert!(waiting.is_empty(), "{waiting:?}");
        }
        let audit = aukiolo_store::audit::list(&mut db.conn(), Some(bea.id), 50).expect("the audit log");
        assert!(audit.iter().any(|e| e.action == "move_booking" && e.staff_id == manager.id), "{audit:?}");
        let audit = aukiolo_store::audit::list(&mut db.conn(), Some(cid.id), 50).expect("the audit log");
        assert!(audit.iter().any(|e| e.action == "change_booking" && e.staff_id == manager.id), "{audit:?}");

        // The absence deleted from its page.
        let page = b.get(&app, &absences_path).await;
        let delete = format!("{absences_path}/{}/delete", listed[0].id);
        assert!(page.body.contains(&delete), "{}", page.body);
        assert_eq!(b.post(&app, &delete, &[("csrf", &csrf)]).await.location(), format!("{absences_path}?deleted=1"));
        assert_eq!(absent(), 0);

        // Another office's manager: 403 on each.
        let mut turku = Browser::default();
        sign_in(&app, &mut turku, "turku@kela.test", common::staff::PASSWORD, "/sv/staff").await;
        for path in [board_path.clone(), conflicts_path.clone(), absences_path.clone()] {
            let other = turku.get(&app, &path.replacen("/fi/", "/sv/", 1)).await;
            assert_eq!(other.status, StatusCode::FORBIDDEN, "{path}");
        }
        let page = turku.get(&app, &format!("/sv/staff/offices/{}", w.turku.id)).await;
        let turku_csrf = page.input("csrf").expect("a token");
        let refused = turku.post(&app, &absences_path, &[("start_date", "16.9.2027"), ("end_date", "16.9.2027"), ("kind", "training"), ("csrf", &turku_csrf)]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(absent(), 0);
    }

    async fn the_pages_speak_the_pages_language(db) {
        let w = World::new(db);
        let app = app!(w);
        account(db, "chef@kela.test", Role::OfficeManager, w.tampere.id, None);
        let aino = first_advisor(db, w.tampere.id);
        let mut b = Browser::default();
        sign_in(&app, &mut b, "chef@kela.test", common::staff::PASSWORD, "/sv/staff").await;
        let board = b.get(&app, &format!("/sv/staff/offices/{}", w.tampere.id)).await;
        assert_eq!(board.status, StatusCode::OK, "{}", board.body);
        assert!(board.body.contains("Verksamhetsställets dag") && board.body.contains("lang=\"sv\""), "{}", board.body);
        let conflicts = b.get(&app, &format!("/en/staff/offices/{}/conflicts", w.tampere.id)).await;
        assert!(conflicts.body.contains("No conflicts"), "{}", conflicts.body);
        let page = b.get(&app, &format!("/sv/staff/advisors/{aino}/absences")).await;
        let csrf = page.input("csrf").expect("the form token");
        let bad = b.post(&app, &format!("/sv/staff/advisors/{aino}/absences"), &[("start_date", "1.1.3000"), ("end_date", "2.1.3000"), ("kind", "vacation"), ("csrf", &csrf)]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("Skriv ett datum under de närmaste åren") && !bad.body.contains("must be"), "{}", bad.body);
        // The board's day links stay on the board.
        assert!(board.body.contains(&format!("/sv/staff/offices/{}?date=", w.tampere.id)), "{}", board.body);
    }
}
