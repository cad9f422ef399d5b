//! One grammar at both ends: every address the booking form accepts is one the mailer
//! builds a message to, and as plain ASCII, so no SMTP server needs SMTPUTF8 for it.

use aukiolo_domain::contact::Email;
use aukiolo_domain::MessageId;
use aukiolo_notify::mail;
use aukiolo_notify::render::Rendered;
use proptest::prelude::*;

fn rendered() -> Rendered {
    Rendered {
        subject: "Vahvistus".into(),
        text: "Teksti".into(),
        html: "<p>Teksti</p>".into(),
        invite: None,
    }
}

fn sendable(address: &str) -> Result<(), String> {
    let from = "Aukiolo <noreply@aukiolo.example>".parse().expect("a sender");
    mail::build(&rendered(), MessageId(uuid::Uuid::nil()), &from, address)
        .map(drop)
        .map_err(|e| e.to_string())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Local parts and domains from characters that trip mail grammars: list and route
    /// separators, quotes, brackets, spaces, non-ASCII letters.
    #[test]
    fn every_accepted_address_is_sendable(
        local in r#"[a-zA-Z0-9.,;:<>()\[\]"\\ @!#$%&'*+/=?^_`{|}~äöå-]{0,12}"#,
        domain in r"[a-zA-Z0-9.,<> _äöå-]{0,12}(\.[a-z]{2,3})?",
    ) {
        let raw = format!("{local}@{domain}");
        if let Ok(email) = Email::parse(&raw) {
            prop_assert!(email.as_str().is_ascii(), "{raw:?} kept as {:?}", email.as_str());
            prop_assert_eq!(sendable(email.as_str()), Ok(()), "{:?} accepted as {:?}", raw, email.as_str());
        }
    }

    /// Plain addresses of the usual shape are all accepted.
    #[test]
    fn ordinary_addresses_are_accepted(
        local in r"[a-z0-9][a-z0-9._+-]{0,10}[a-z0-9]",
        domain in r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?\.(fi|se|com|org)",
    ) {
        let raw = format!("{local}@{domain}");
        prop_assume!(!local.contains(".."));
        // Labels with "--" in their third and fourth places are reserved for IDNA
        // ("xn--0" is punycode, and not a valid one): not the usual shape.
        prop_assume!(domain.get(2..4) != Some("--"));
        prop_assert!(Email::parse(&raw).is_ok(), "{raw:?}");
    }
}

#[test]
fn the_addresses_that_went_dead_are_refused() {
    for raw in ["a,b@example.fi", "x<y@example.fi", "\"a,b\"@example.fi", "maija@example.fi>"] {
        assert!(Email::parse(raw).is_err(), "{raw:?}");
    }
    // And before this check, the mailer would indeed have failed on them.
    assert!(sendable("a,b@example.fi").is_err());
}
