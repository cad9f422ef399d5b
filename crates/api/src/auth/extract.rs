//! `Staff<R>`: a handler that takes it cannot run without a valid token of a role in `R`.

use crate::{ApiError, AppState};
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use aukiolo_domain::staff::{Principal, Role};
use aukiolo_domain::{OfficeId, StaffUserId};
use aukiolo_store::staff::StaffUser;
use std::future::{ready, Ready};
use std::marker::PhantomData;

/// The roles a handler accepts.
pub trait RoleSet {
    const ROLES: &'static [Role];
}

/// Any signed-in staff member.
#[derive(Debug)]
pub struct AnyStaff;
/// Staff who serve citizens and book for them: advisors, office managers, admins.
#[derive(Debug)]
pub struct ServiceStaff;
/// Office managers (in their office) and admins.
#[derive(Debug)]
pub struct Managers;
/// Who may change an office: its manager (not the pilot's fields), pilot leads (only the
/// pilot's fields, see `aukiolo_domain::office_access`) and admins.
#[derive(Debug)]
pub struct OfficeEditors;
/// Admins only.
#[derive(Debug)]
pub struct Admins;
/// Who reads the pilot metrics: office managers (their office), pilot leads and admins.
#[derive(Debug)]
pub struct MetricsReaders;

impl RoleSet for AnyStaff {
    const ROLES: &'static [Role] = &Role::ALL;
}
impl RoleSet for ServiceStaff {
    const ROLES: &'static [Role] = &[Role::Advisor, Role::OfficeManager, Role::Admin];
}
impl RoleSet for Managers {
    const ROLES: &'static [Role] = &[Role::OfficeManager, Role::Admin];
}
impl RoleSet for OfficeEditors {
    const ROLES: &'static [Role] = &[Role::OfficeManager, Role::PilotLead, Role::Admin];
}
impl RoleSet for Admins {
    const ROLES: &'static [Role] = &[Role::Admin];
}
impl RoleSet for MetricsReaders {
    const ROLES: &'static [Role] = &[Role::OfficeManager, Role::PilotLead, Role::Admin];
}

/// A signed-in staff member whose role is in `R`, as the account stands now.
#[derive(Debug)]
pub struct Staff<R: RoleSet = AnyStaff> {
    pub id: StaffUserId,
    pub principal: Principal,
    pub user: StaffUser,
    _roles: PhantomData<R>,
}

impl<R: RoleSet> Staff<R> {
    /// 403 unless this person works for `office` (or everywhere).
    pub fn require_office(&self, office: OfficeId) -> Result<(), ApiError> {
        require_office(&self.principal, office)
    }
}

/// 403 unless `principal` works for `office` (or everywhere).
pub fn require_office(principal: &Principal, office: OfficeId) -> Result<(), ApiError> {
    if principal.covers(office) {
        Ok(())
    } else {
        Err(ApiError::Forbidden("this office is outside your scope"))
    }
}

/// A citizen holding the manage link of one booking. Taking it as a handler argument
/// checks the token and that it is for the booking named in the path.
#[derive(Debug)]
pub struct CitizenLink {
    pub booking: aukiolo_domain::BookingId,
    pub reference: String,
}

impl FromRequest for CitizenLink {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready((|| {
            // E-mailed links carry the token in the query; the API's clients send it as a
            // bearer token, which stays out of server logs.
            let query_token = web::Query::<LinkToken>::from_query(req.query_string()).ok().map(|q| q.0.token);
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or_else(|| ApiError::Internal("AppState missing".into()))?;
            let token = bearer(req)
                .map(str::to_owned)
                .or(query_token)
                .ok_or(ApiError::Unauthorized("the booking's manage link is required"))?;
            let token = token.as_str();
            let claims = state
                .links
                .verify(token, state.now())
                .map_err(|_| ApiError::Unauthorized("the manage link is invalid or has expired"))?;
            let wanted = req.match_info().get("reference").unwrap_or_default();
            if !wanted.eq_ignore_ascii_case(&claims.reference) {
                return Err(ApiError::Forbidden("this link is for another booking"));
            }
            Ok(CitizenLink { booking: claims.sub, reference: claims.reference })
        })())
    }
}

#[derive(serde::Deserialize)]
struct LinkToken {
    token: String,
}

/// The app state and the request's bearer token (401 with `missing` if there is none).
fn state_and_token<'r>(
    req: &'r HttpRequest,
    missing: &'static str,
) -> Result<(&'r web::Data<AppState>, &'r str), ApiError> {
    let state =
        req.app_data::<web::Data<AppState>>().ok_or_else(|| ApiError::Internal("AppState missing".into()))?;
    let token = bearer(req).ok_or(ApiError::Unauthorized(missing))?;
    Ok((state, token))
}

fn bearer(req: &HttpRequest) -> Option<&str> {
    let value = req.headers().get(actix_web::http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

impl<R: RoleSet> FromRequest for Staff<R> {
    type Error = ApiError;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let checked =
            state_and_token(req, "sign in: a bearer token is required").and_then(|(state, token)| {
                let claims = state
                    .keys
                    .verify(token, state.now())
                    .ok_or(ApiError::Unauthorized("the token is invalid or has expired"))?;
                Ok((state.clone(), claims))
            });
        Box::pin(async move {
            let (state, claims) = checked?;
            // The account as it stands: a token outlives no change of role, office or
            // activity (the pages' sessions make the same check).
            let user = state
                .db(move |conn| Ok(aukiolo_store::staff::authorise(conn, claims.sub, claims.ver)?))
                .await?
                .ok_or(ApiError::Unauthorized("the token was revoked: sign in again"))?;
            if !R::ROLES.contains(&user.role) {
                return Err(ApiError::Forbidden("your role does not allow this"));
            }
            Ok(Staff { id: user.id, principal: user.principal(), user, _roles: PhantomData })
        })
    }
}
