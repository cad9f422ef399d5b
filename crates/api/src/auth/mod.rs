//! Staff authentication: HS256 tokens checked against the account on every request and role-checking extractors.

mod extract;
pub mod jwt;
pub mod login;

pub use extract::{
    require_office, Admins, AnyStaff, CitizenLink, Managers, MetricsReaders, OfficeEditors, RoleSet,
    ServiceStaff, Staff,
};
