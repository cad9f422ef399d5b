//! The create/read/update/delete flow shared by calendar resources that belong to an
//! office through their fields (schedule rules, absences, closures): validate, check the
//! caller's office scope for both the old and the new owner, change, refresh slots.

use crate::auth::{require_office, Managers, Staff};
use crate::{ApiError, AppState};
use actix_web::HttpResponse;
use aukiolo_domain::staff::Principal;
use aukiolo_domain::{AdvisorId, FieldError, OfficeId};
use aukiolo_store::slots::Horizon;
use aukiolo_store::DbConnection;
use serde::Serialize;

type StoreResult<T> = aukiolo_store::Result<T>;

pub(crate) trait Scoped: 'static {
    type Id: Copy + Send + 'static;
    type Fields: Send + 'static;
    type Item: Serialize + Send + 'static;

    fn validate(fields: &Self::Fields) -> Result<(), Vec<FieldError>>;
    /// The office the fields place the item in; an unknown reference is a 422.
    fn office_of_fields(conn: &mut DbConnection, fields: &Self::Fields) -> Result<OfficeId, ApiError>;
    fn fields_of(item: &Self::Item) -> &Self::Fields;
    fn get(conn: &mut DbConnection, id: Self::Id) -> StoreResult<Self::Item>;
    fn create(conn: &mut DbConnection, fields: &Self::Fields, horizon: &Horizon) -> StoreResult<Self::Item>;
    fn update(
        conn: &mut DbConnection,
        id: Self::Id,
        fields: &Self::Fields,
        horizon: &Horizon,
    ) -> StoreResult<Self::Item>;
    fn delete(conn: &mut DbConnection, id: Self::Id, horizon: &Horizon) -> StoreResult<()>;
}

fn check_existing<R: Scoped>(
    conn: &mut DbConnection,
    principal: &Principal,
    id: R::Id,
) -> Result<R::Item, ApiError> {
    let item = R::get(conn, id)?;
    let office = R::office_of_fields(conn, R::fields_of(&item))?;
    require_office(principal, office)?;
    Ok(item)
}

/// An advisor's rules or absences, for staff who work with that advisor's office.
pub(crate) async fn list_for_advisor<T: Serialize + Send + 'static>(
    staff: Staff,
    state: &AppState,
    advisor: AdvisorId,
    list: fn(&mut DbConnection, AdvisorId) -> StoreResult<Vec<T>>,
) -> Result<HttpResponse, ApiError> {
    let principal = staff.principal;
    let items = state
        .db(move |c| {
            require_office(&principal, aukiolo_store::advisors::get(c, advisor)?.fields.office_id)?;
            Ok(list(c, advisor)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(items))
}

pub(crate) async fn get<R: Scoped>(
    staff: Staff,
    state: &AppState,
    id: R::Id,
) -> Result<HttpResponse, ApiError> {
    let principal = staff.principal;
    let item = state.db(move |c| check_existing::<R>(c, &principal, id)).await?;
    Ok(HttpResponse::Ok().json(item))
}

pub(crate) async fn create<R: Scoped>(
    staff: Staff<Managers>,
    state: &AppState,
    fields: R::Fields,
) -> Result<HttpResponse, ApiError> {
    R::validate(&fields)?;
    let principal = staff.principal;
    let horizon = state.horizon();
    let item = state
        .db(move |c| {
            require_office(&principal, R::office_of_fields(c, &fields)?)?;
            Ok(R::create(c, &fields, &horizon)?)
        })
        .await?;
    Ok(HttpResponse::Created().json(item))
}

pub(crate) async fn update<R: Scoped>(
    staff: Staff<Managers>,
    state: &AppState,
    id: R::Id,
    fields: R::Fields,
) -> Result<HttpResponse, ApiError> {
    R::validate(&fields)?;
    let principal = staff.principal;
    let horizon = state.horizon();
    let item = state
        .db(move |c| {
            check_existing::<R>(c, &principal, id)?;
            require_office(&principal, R::office_of_fields(c, &fields)?)?;
            Ok(R::update(c, id, &fields, &horizon)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(item))
}

pub(crate) async fn delete<R: Scoped>(
    staff: Staff<Managers>,
    state: &AppState,
    id: R::Id,
) -> Result<HttpResponse, ApiError> {
    let principal = staff.principal;
    let horizon = state.horizon();
    state
        .db(move |c| {
            check_existing::<R>(c, &principal, id)?;
            Ok(R::delete(c, id, &horizon)?)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
