//! What every form shares: the check that a POST came from our own page, and errors shown
//! the GOV.UK way (a summary linking to each field, the message beside the field).

use crate::error::Problem;
use actix_web::HttpRequest;

/// Refuses a POST that a browser says came from another site. `Sec-Fetch-Site` is
/// trusted where sent; otherwise `Origin` must be this host. A client that sends neither
/// (not a browser) still needs the form's signed token.
pub fn same_origin(req: &HttpRequest) -> Result<(), Problem> {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return match site {
            "same-origin" | "none" => Ok(()),
            _ => Err(Problem::FormRefused),
        };
    }
    match headers.get("origin").and_then(|v| v.to_str().ok()) {
        None => Ok(()),
        Some(origin) => {
            let info = req.connection_info();
            let ours = format!("{}://{}", info.scheme(), info.host());
            if origin == ours {
                Ok(())
            } else {
                Err(Problem::FormRefused)
            }
        }
    }
}

/// One field's error: the field's `id` (for the summary's link) and its message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// The errors of one submitted form, in the order of its fields.
#[derive(Clone, Debug, Default)]
pub struct Errors(pub Vec<FieldError>);

impl Errors {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.add_owned(field.to_owned(), message);
    }

    pub fn add_owned(&mut self, field: String, message: impl Into<String>) {
        self.0.push(FieldError { field, message: message.into() });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The message for `field`, if it has one (templates: `{% if let Some(m) = errors.get("name") %}`).
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }

    pub fn list(&self) -> &[FieldError] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn posts_from_another_site_are_refused() {
        let same = TestRequest::post().insert_header(("sec-fetch-site", "same-origin")).to_http_request();
        assert!(same_origin(&same).is_ok());
        let cross = TestRequest::post().insert_header(("sec-fetch-site", "cross-site")).to_http_request();
        assert_eq!(same_origin(&cross), Err(Problem::FormRefused));
        let other = TestRequest::post()
            .insert_header(("host", "aukiolo.example"))
            .insert_header(("origin", "https://evil.example"))
            .to_http_request();
        assert_eq!(same_origin(&other), Err(Problem::FormRefused));
        let ours = TestRequest::post()
            .insert_header(("host", "aukiolo.example"))
            .insert_header(("origin", "http://aukiolo.example"))
            .to_http_request();
        assert!(same_origin(&ours).is_ok());
    }
}
