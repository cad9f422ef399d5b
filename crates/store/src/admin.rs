//! What admins do to staff accounts and to the outbox, each audited in the transaction of
//! the change: an account created (`create_account`), its role, office, advisor or
//! activity changed (`change_account`), its password reset (`reset_password`), a failed
//! or dead message sent again (`retry_message`). The entry names the account or message
//! and each field's old and new value; never a password or its hash.

use crate::audit::{self, Detail};
use crate::outbox::{self, Message};
use crate::staff::{self, AccountChange, NewStaffUser, StaffUser};
use crate::{DbConnection, Result};
use aukiolo_domain::office_access::FieldChange;
use aukiolo_domain::{MessageId, StaffUserId};
use chrono::{DateTime, Utc};

fn id_text<T: ToString>(id: Option<T>) -> Option<String> {
    id.map(|i| i.to_string())
}

/// The fields of `after` that differ from `before` (all of them for a new account).
fn changes(before: Option<&StaffUser>, after: &StaffUser) -> Vec<FieldChange> {
    let old = |f: fn(&StaffUser) -> Option<String>| before.and_then(f);
    let fields: [(&str, fn(&StaffUser) -> Option<String>); 4] = [
        ("role", |u| Some(u.role.as_str().to_owned())),
        ("office_id", |u| id_text(u.office_id)),
        ("advisor_id", |u| id_text(u.advisor_id)),
        ("active", |u| Some(u.active.to_string())),
    ];
    fields
        .into_iter()
        .map(|(name, f)| FieldChange::new(name, old(f), f(after)))
        .filter(|c| c.old != c.new)
        .collect()
}

fn record(
    conn: &mut DbConnection,
    admin: StaffUserId,
    action: &str,
    user: &StaffUser,
    changes: Vec<FieldChange>,
    now: DateTime<Utc>,
) -> Result<()> {
    let detail = Detail { account: Some(user.id), changes, ..Detail::default() };
    audit::record_change(conn, admin, action, user.office_id, &detail, now)
}

/// Creates an account (`staff::create`) and audits it.
pub fn create(
    conn: &mut DbConnection,
    admin: StaffUserId,
    new: &NewStaffUser<'_>,
    now: DateTime<Utc>,
) -> Result<StaffUser> {
    crate::write_transaction(conn, |conn| {
        let user = staff::create(conn, new, now)?;
        record(conn, admin, "create_account", &user, changes(None, &user), now)?;
        Ok(user)
    })
}

/// Changes an account (`staff::update`, which revokes its sessions when its access
/// changes) and audits what changed; a change that changes nothing is not recorded.
pub fn change(
    conn: &mut DbConnection,
    admin: StaffUserId,
    id: StaffUserId,
    change: &AccountChange,
    now: DateTime<Utc>,
) -> Result<StaffUser> {
    crate::write_transaction(conn, |conn| {
        let before = staff::get(conn, id)?;
        let after = staff::update(conn, id, change)?;
        let changed = changes(Some(&before), &after);
        if !changed.is_empty() {
            record(conn, admin, "change_account", &after, changed, now)?;
        }
        Ok(after)
    })
}

/// Sets an account's password hash (`staff::set_password`, which ends its sessions) and
/// audits that it was reset.
pub fn reset_password(
    conn: &mut DbConnection,
    admin: StaffUserId,
    id: StaffUserId,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<StaffUser> {
    crate::write_transaction(conn, |conn| {
        let user = staff::set_password(conn, id, password_hash)?;
        record(conn, admin, "reset_password", &user, Vec::new(), now)?;
        Ok(user)
    })
}

/// Sends a failed or dead message again (`outbox::retry`) and audits it.
pub fn retry_message(
    conn: &mut DbConnection,
    admin: StaffUserId,
    id: MessageId,
    now: DateTime<Utc>,
) -> Result<Message> {
    crate::write_transaction(conn, |conn| {
        let before = outbox::get(conn, id)?;
        let message = outbox::retry(conn, id, now)?;
        let detail = Detail {
            message: Some(id),
            changes: vec![FieldChange::new(
                "status",
                Some(before.status.as_str().to_owned()),
                Some(message.status.as_str().to_owned()),
            )],
            ..Detail::default()
        };
        audit::record_change(conn, admin, "retry_message", None, &detail, now)?;
        Ok(message)
    })
}
