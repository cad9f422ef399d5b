//! The token-signing key: from the environment, from a named file, or created once in
//! the data dir for the embedded default.

use crate::config::Settings;
use anyhow::{bail, Context, Result};
use rand::RngCore;
use std::io::Write;
use std::path::Path;

const MIN_LEN: usize = 32;

pub fn jwt_secret(settings: &Settings) -> Result<Vec<u8>> {
    secret(
        settings,
        settings.auth.jwt_secret.as_deref(),
        &settings.auth.jwt_secret_file,
        "AUKIOLO_AUTH__JWT_SECRET",
        "jwt-secret",
    )
}

/// The key of personal data at rest.
pub fn personal_data_secret(settings: &Settings) -> Result<Vec<u8>> {
    let p = &settings.personal_data;
    secret(settings, p.key.as_deref(), &p.key_file, "AUKIOLO_PERSONAL_DATA__KEY", "personal-data-key")
}

/// A secret from the environment, from a named file, or created once in the data dir.
fn secret(
    settings: &Settings,
    value: Option<&str>,
    file: &str,
    variable: &str,
    default_name: &str,
) -> Result<Vec<u8>> {
    if let Some(secret) = value.filter(|s| !s.is_empty()) {
        return checked(secret.as_bytes().to_vec(), variable);
    }
    if !file.is_empty() {
        let path = Path::new(file);
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        return checked(text.trim().as_bytes().to_vec(), &path.display().to_string());
    }
    let path = settings.data_dir().join(default_name);
    if settings.database_url().starts_with("postgres") {
        tracing::warn!(
            "{variable} is not set: using {}; replicas on other hosts must be given the same secret",
            path.display()
        );
    }
    read_or_create(&path)
}

fn checked(secret: Vec<u8>, source: &str) -> Result<Vec<u8>> {
    if secret.len() < MIN_LEN {
        bail!("the JWT secret from {source} must be at least {MIN_LEN} bytes");
    }
    Ok(secret)
}

fn read_or_create(path: &Path) -> Result<Vec<u8>> {
    if let Ok(text) = std::fs::read_to_string(path) {
        return checked(text.trim().as_bytes().to_vec(), &path.display().to_string());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(mut file) => {
            file.write_all(hex.as_bytes())?;
            Ok(hex.into_bytes())
        }
        // Another process created it first: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => read_or_create(path),
        Err(e) => Err(e).with_context(|| format!("creating {}", path.display())),
    }
}
