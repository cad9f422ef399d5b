//! Staff accounts for the page tests, and signing them in through the page.

use super::{Browser, Page};
use actix_web::http::StatusCode;
use aukiolo_domain::staff::Role;
use aukiolo_domain::{AdvisorId, OfficeId};
use aukiolo_store::staff::{self, NewStaffUser, StaffUser};
use aukiolo_store::test_support::TestDb;
use aukiolo_store::{advisors, passwords};
use std::sync::OnceLock;

pub const PASSWORD: &str = "staff password for tests";

pub fn hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| passwords::hash(PASSWORD))
}

pub fn account(
    db: &TestDb,
    email: &str,
    role: Role,
    office: OfficeId,
    advisor: Option<AdvisorId>,
) -> StaffUser {
    let new =
        NewStaffUser { email, password_hash: hash(), role, office_id: Some(office), advisor_id: advisor };
    staff::create(&mut db.conn(), &new, super::start()).expect("an account")
}

pub fn first_advisor(db: &TestDb, office: OfficeId) -> AdvisorId {
    advisors::list_for_office(&mut db.conn(), office).expect("advisors")[0].id
}

/// A form's owned fields as the pairs `Browser::post` takes.
pub fn pairs(form: &[(String, String)]) -> Vec<(&str, &str)> {
    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// Signs in through the page as a browser would; returns the first page after it.
pub async fn sign_in<S, B>(app: &S, b: &mut Browser, email: &str, password: &str, next: &str) -> Page
where
    S: actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<B>,
        Error = actix_web::Error,
    >,
    B: actix_web::body::MessageBody,
{
    let form = b.get(app, &format!("/fi/staff/sign-in?next={next}")).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let token = form.input("token").expect("the form's token");
    let next = form.input("next").expect("where to go next");
    b.post(
        app,
        "/fi/staff/sign-in",
        &[("email", email), ("password", password), ("token", &token), ("next", &next)],
    )
    .await
}
