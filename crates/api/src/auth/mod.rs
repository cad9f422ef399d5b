//! Staff authentication: argon2 passwords, HS256 tokens and role-checking extractors.

mod extract;
pub mod jwt;
pub mod login;
pub mod password;

pub use extract::{
    require_office, Admins, AnyStaff, CitizenLink, Managers, MetricsReaders, RoleSet, ServiceStaff, Staff,
};
