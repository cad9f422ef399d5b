//! The questionnaire page from an invitation: all questions on one page, answered once,
//! errors named; and the lost-link page that never tells whether a booking exists.

mod common;

use actix_web::http::StatusCode;
use aukiolo_domain::booking::Action;
use aukiolo_domain::outbox::MessageKind;
use aukiolo_store::backend_tests;
use aukiolo_store::bookings::{self, Actor};
use aukiolo_store::personal_data::PersonalDataKeys;
use aukiolo_store::{outbox, questionnaires};
use common::{book_first, Browser, World, PERSONAL};

type Db = aukiolo_store::test_support::TestDb;

/// A completed visit's invitation token.
fn completed_visit(db: &Db, w: &World) -> String {
    let keys = PersonalDataKeys::from_secret(PERSONAL);
    questionnaires::ensure_pilot(&mut db.conn(), w.clock.now()).expect("the pilot questionnaire");
    let b = book_first(db, w);
    let mut conn = db.conn();
    w.clock.set(b.start + chrono::Duration::minutes(5));
    for action in [Action::Arrive, Action::Start, Action::Complete] {
        bookings::transition(&mut conn, &keys, b.id, action, None, Actor::System, w.clock.now())
            .expect("transition");
    }
    let invitation = outbox::for_booking(&mut conn, b.id)
        .expect("messages")
        .into_iter()
        .find(|m| m.kind == MessageKind::QuestionnaireInvitation)
        .expect("an invitation");
    invitation.payload.link_token.expect("its token")
}

backend_tests! {
    async fn answered_once_through_its_page(db) {
        let w = World::new(db);
        let app = app!(w);
        let token = completed_visit(db, &w);
        w.clock.advance(chrono::Duration::hours(2));
        let mut b = Browser::default();
        let path = format!("/sv/questionnaire/{token}");
        let page = b.get(&app, &path).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(page.header("referrer-policy"), "no-referrer");
        assert_eq!(page.header("cache-control"), "no-store");
        assert_eq!(page.radios("recommend"), (0..=10).map(|n| n.to_string()).collect::<Vec<_>>());
        assert!(page.body.contains("0 – inte alls sannolikt") && page.body.contains("10 – mycket sannolikt"), "{}", page.body);
        let form_token = page.input("token").expect("a form token");
        // A required answer missing: named, and the others kept.
        let partial = b.post(&app, &path, &[("token", &form_token), ("recommend", "9")]).await;
        assert_eq!(partial.status, StatusCode::OK);
        assert!(partial.body.contains("<title>Fel: "), "{}", partial.body);
        assert!(partial.body.contains("href=\"#q-satisfaction\""), "{}", partial.body);
        assert!(partial.body.contains("value=\"9\" id=\"q-recommend-9\" checked"), "{}", partial.body);
        let answers = [
            ("token", form_token.as_str()),
            ("satisfaction", "5"),
            ("recommend", "9"),
            ("effort", "6"),
            ("preference", "appointment"),
            ("channels_known", "online"),
            ("channels_known", "phone"),
            ("could_online", "partly"),
        ];
        let thanks = b.post(&app, &path, &answers).await;
        assert_eq!(thanks.location(), "/sv/questionnaire/thanks");
        assert_eq!(b.get(&app, "/sv/questionnaire/thanks").await.h1(), "Tack för dina svar");
        let again = b.post(&app, &path, &answers).await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        assert_eq!(again.h1(), "Enkäten är redan besvarad");
        assert_eq!(b.get(&app, &path).await.status, StatusCode::CONFLICT);
        let unknown = b.get(&app, "/sv/questionnaire/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").await;
        assert_eq!(unknown.status, StatusCode::FORBIDDEN);
    }

    async fn a_lost_link_is_mailed_again_and_the_answer_tells_nothing(db) {
        let w = World::new(db);
        let app = app!(w);
        let booking = book_first(db, &w);
        let confirmations = || {
            outbox::for_booking(&mut db.conn(), booking.id)
                .expect("messages")
                .iter()
                .filter(|m| m.kind == MessageKind::Confirmation)
                .count()
        };
        assert_eq!(confirmations(), 1);
        let mut b = Browser::default();
        let form = b.get(&app, "/fi/manage/resend").await;
        let token = form.input("token").expect("a form token");
        let unknown = b.post(&app, "/fi/manage/resend", &[("token", &token), ("reference", "AAA-BBB-CCC"), ("email", "x@example.fi")]).await;
        assert_eq!(unknown.status, StatusCode::OK);
        assert_eq!(unknown.h1(), "Pyyntö vastaanotettu");
        let wrong_email = b.post(&app, "/fi/manage/resend", &[("token", &token), ("reference", &booking.reference), ("email", "x@example.fi")]).await;
        assert_eq!((wrong_email.h1(), confirmations()), (unknown.h1(), 1), "the same answer, nothing sent");
        let reference = booking.reference.to_lowercase();
        let right = b.post(&app, "/fi/manage/resend", &[("token", &token), ("reference", &reference), ("email", "ANNA@example.fi")]).await;
        assert_eq!((right.h1(), right.body.len(), confirmations()), (unknown.h1(), unknown.body.len(), 2), "the same answer, the link sent");
        // Limited per reference: the fourth try within the hour is refused.
        for _ in 0..2 {
            b.post(&app, "/fi/manage/resend", &[("token", &token), ("reference", "AAA-BBB-CCC"), ("email", "x@example.fi")]).await;
        }
        let limited = b.post(&app, "/fi/manage/resend", &[("token", &token), ("reference", "AAA-BBB-CCC"), ("email", "x@example.fi")]).await;
        assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(!limited.header("retry-after").is_empty());
        let empty = b.post(&app, "/fi/manage/resend", &[("token", &token)]).await;
        assert!(empty.body.contains("href=\"#reference\""), "{}", empty.body);
    }
}
