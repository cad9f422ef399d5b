//! Where mail goes: an SMTP server (`smtp://`, `smtps://`, STARTTLS with `?tls=required`)
//! or, as the embedded default, `.eml` files in a folder.

use crate::NotifyError;
use aukiolo_domain::url::redact_password;
use aukiolo_domain::MessageId;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::path::PathBuf;
use std::time::Duration;

/// A configured transport; cheap to clone (the SMTP one shares its connection pool).
#[derive(Clone)]
pub enum Transport {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        description: String,
    },
    /// One `<outbox id>.eml` file per message: a resend overwrites the same file.
    Files(PathBuf),
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

impl Transport {
    /// An SMTP transport from a URL such as `smtp://mail.example:25`,
    /// `smtp://mail.example:587?tls=required` (STARTTLS) or `smtps://mail.example`.
    /// Credentials come separately (from the environment), so the URL can be logged.
    pub fn smtp(
        url: &str,
        credentials: Option<(String, String)>,
        timeout: Duration,
    ) -> Result<Self, NotifyError> {
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| NotifyError::Config(format!("SMTP URL `{}`: {e}", redact_password(url))))?
            .timeout(Some(timeout));
        if let Some((user, password)) = credentials {
            builder = builder.credentials(Credentials::new(user, password));
        }
        Ok(Transport::Smtp { transport: builder.build(), description: redact_password(url) })
    }

    /// Files in `dir`, created if missing.
    pub fn files(dir: PathBuf) -> Result<Self, NotifyError> {
        std::fs::create_dir_all(&dir)
            .map_err(|e| NotifyError::Config(format!("cannot create {}: {e}", dir.display())))?;
        Ok(Transport::Files(dir))
    }

    pub fn describe(&self) -> String {
        match self {
            Transport::Smtp { description, .. } => format!("SMTP {description}"),
            Transport::Files(dir) => format!(".eml files in {}", dir.display()),
        }
    }

    /// Sends one message; the error text is what the server or file system said.
    pub async fn send(&self, id: MessageId, message: &lettre::Message) -> Result<(), String> {
        match self {
            Transport::Smtp { transport, .. } => {
                transport.send(message.clone()).await.map(|_| ()).map_err(|e| {
                    let mut text = e.to_string();
                    if let Some(source) = std::error::Error::source(&e) {
                        text.push_str(&format!(": {source}"));
                    }
                    text
                })
            }
            Transport::Files(dir) => {
                let tmp = dir.join(format!(".{id}.eml.tmp"));
                let path = dir.join(format!("{id}.eml"));
                tokio::fs::write(&tmp, message.formatted()).await.map_err(|e| e.to_string())?;
                tokio::fs::rename(&tmp, &path).await.map_err(|e| e.to_string())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SMTP pool starts a task, so a runtime must be running.
    #[tokio::test]
    async fn urls_are_checked_and_redacted() {
        assert!(Transport::smtp("http://x", None, Duration::from_secs(1)).is_err());
        let t = Transport::smtp("smtp://localhost:2525?tls=required", None, Duration::from_secs(1)).unwrap();
        assert_eq!(t.describe(), "SMTP smtp://localhost:2525?tls=required");
    }
}
