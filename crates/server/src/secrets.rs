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
    match std::fs::read_to_string(path) {
        Ok(text) => return checked(text.trim().as_bytes().to_vec(), &path.display().to_string()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    }
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let hex: String = aukiolo_domain::hex::hex(&bytes);
    // Written whole to a private temporary file, then linked into place: a reader never
    // sees a half-written key, and a process starting at the same time keeps the first.
    let tmp = dir.join(format!(
        ".{}.{}",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("secret"),
        std::process::id()
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
    file.write_all(hex.as_bytes())?;
    file.sync_all()?;
    drop(file);
    let linked = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(hex.into_bytes()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => read_or_create(path),
        Err(e) => Err(e).with_context(|| format!("creating {}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_once_kept_after_and_unreadable_files_are_errors() {
        let dir = std::env::temp_dir().join(format!("aukiolo-secret-{}", uuid::Uuid::new_v4().simple()));
        let path = dir.join("key");
        let first = read_or_create(&path).unwrap();
        assert_eq!(first.len(), 64);
        assert_eq!(read_or_create(&path).unwrap(), first);
        std::fs::write(&path, [0xFFu8, 0xFE]).unwrap();
        assert!(read_or_create(&path).is_err(), "a key that is not text is an error, not a loop");
        std::fs::write(&path, "short").unwrap();
        assert!(read_or_create(&path).is_err());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
