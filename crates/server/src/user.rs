//! `aukiolo user create`.

use anyhow::{bail, Context, Result};
use aukiolo_domain::staff::Role;
use aukiolo_domain::OfficeId;
use aukiolo_store::passwords as password;
use aukiolo_store::staff::{self, NewStaffUser};
use aukiolo_store::{Pool, StoreError};
use std::io::{BufRead, IsTerminal};

pub fn create(pool: &Pool, email: &str, role: &str, office: Option<uuid::Uuid>) -> Result<()> {
    let Some(role) = Role::parse(role) else {
        bail!("--role must be one of advisor, office_manager, pilot_lead, admin");
    };
    if !email.contains('@') || email.trim().len() < 3 {
        bail!("--email must be an e-mail address");
    }
    let (password, generated) = read_password()?;
    let hash = password::hash(&password);
    let mut conn = pool.get()?;
    let new =
        NewStaffUser { email, password_hash: &hash, role, office_id: office.map(OfficeId), advisor_id: None };
    let user = staff::create(&mut conn, &new, chrono::Utc::now()).map_err(|e| match e {
        StoreError::Invalid(fields) => {
            let text: Vec<String> = fields.iter().map(|f| format!("--{} {}", f.field, f.message)).collect();
            anyhow::anyhow!(text.join("; "))
        }
        other => other.into(),
    })?;
    println!("created {} {} ({})", user.role.as_str(), user.email, user.id);
    if generated {
        println!("password (shown once): {password}");
    }
    Ok(())
}

/// The password from standard input (first line), or a generated one.
fn read_password() -> Result<(String, bool)> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        let mut line = String::new();
        stdin.lock().read_line(&mut line).context("reading the password from standard input")?;
        let line = line.trim_end_matches(['\r', '\n']).to_owned();
        if !line.is_empty() {
            if line.chars().count() < password::MIN_LENGTH {
                bail!("the password must be at least {} characters", password::MIN_LENGTH);
            }
            return Ok((line, false));
        }
    }
    Ok((password::generate(), true))
}
