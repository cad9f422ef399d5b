//! URLs as logs, banners and error messages may show them: the one redactor for the
//! database's and the mail server's connection URLs.

/// Hides the password of `scheme://user:password@host/…`; the user stays, to tell
/// accounts apart.
pub fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
            None => format!("{scheme}://{userinfo}@{host}"),
        },
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact_password;

    #[test]
    fn the_password_goes_the_rest_stays() {
        assert_eq!(redact_password("postgres://app:secret@db:5432/x"), "postgres://app:***@db:5432/x");
        assert_eq!(
            redact_password("smtps://user:p@ss@mail.example:465"),
            "smtps://user:***@mail.example:465"
        );
        assert_eq!(redact_password("postgres://app@db/x"), "postgres://app@db/x");
        assert_eq!(redact_password("smtp://localhost:25"), "smtp://localhost:25");
        assert_eq!(redact_password("sqlite://data/aukiolo.db"), "sqlite://data/aukiolo.db");
    }
}
