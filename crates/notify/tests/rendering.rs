//! Snapshots of the rendered messages in Finnish, Swedish and English: subject, text,
//! HTML and invite, and the whole MIME message with its date and boundaries redacted.
//! Fixed fixtures make everything else stable; the manage and questionnaire tokens are
//! fixed stand-ins, redacted as well, so a change of token format shows nowhere else.

use aukiolo_domain::booking::{BookedBy, Booking, BookingStatus, Needs};
use aukiolo_domain::office::Office;
use aukiolo_domain::outbox::{MessageKind, MessageStatus};
use aukiolo_domain::personal_id::PersonalId;
use aukiolo_domain::topic::Topic;
use aukiolo_domain::{AdvisorId, BookingId, Channel, Locale, MessageId};
use aukiolo_notify::render::{render, Facts, Rendered};
use aukiolo_store::outbox::{CalendarVersion, Message, Payload};
use chrono::{DateTime, Utc};
use serde_json::json;

fn at(s: &str) -> DateTime<Utc> {
    s.parse().expect("an RFC 3339 instant")
}

fn uuid(n: u128) -> uuid::Uuid {
    uuid::Uuid::from_u128(0x0193_0000_0000_7000_8000_0000_0000_0000 + n)
}

fn office() -> Office {
    serde_json::from_value(json!({
        "id": uuid(1),
        "name": { "fi": "Kela Tampere", "sv": "FPA Tammerfors", "en": "Kela Tampere" },
        "address": { "street": "Hämeenkatu 12", "postal_code": "33100", "municipality": "Tampere" },
        "time_zone": "Europe/Helsinki",
        "service_mode": "appointment_only",
        "pilot_group": "pilot",
        "languages": ["fi", "sv", "en"],
        "phone": "+358201234567"
    }))
    .expect("an office")
}

fn topic() -> Topic {
    serde_json::from_value(json!({
        "id": uuid(2),
        "code": "housing_allowance",
        "name": { "fi": "Asumistuki", "sv": "Bostadsbidrag", "en": "Housing allowance" },
        "duration_minutes": 30,
        "channels": ["office", "phone"],
        "what_to_bring": {
            "fi": "Vuokrasopimus ja tiedot tuloista",
            "sv": "Hyresavtal och uppgifter om inkomster",
            "en": "Your tenancy agreement and details of your income"
        }
    }))
    .expect("a topic")
}

fn booking(locale: Locale, channel: Channel, status: BookingStatus) -> Booking {
    Booking {
        id: BookingId(uuid(3)),
        reference: "K7M-4QX-9TD".to_owned(),
        office_id: aukiolo_domain::OfficeId(uuid(1)),
        advisor_id: AdvisorId(uuid(4)),
        topic_id: aukiolo_domain::TopicId(uuid(2)),
        channel,
        // 10.00–10.30 in Helsinki (UTC+2 in December).
        start: at("2026-12-01T08:00:00Z"),
        end: at("2026-12-01T08:30:00Z"),
        language: locale,
        status,
        booked_by: BookedBy::CitizenSelf,
        name: "Maija Meikäläinen".to_owned(),
        personal_id: Some(PersonalId::parse("131052-308T").expect("a valid code")),
        email: "maija@example.fi".to_owned(),
        phone: Some("+358401234567".to_owned()),
        description: "Asumistuen tarkistus muuton jälkeen".to_owned(),
        needs: Needs::default(),
        rescheduled_from: None,
        cancel_reason: (status == BookingStatus::CancelledByOffice)
            .then(|| "neuvojan sairastuminen".to_owned()),
        created_at: at("2026-11-20T12:00:00Z"),
        purged_at: None,
    }
}

fn message(kind: MessageKind, locale: Locale, payload: Payload) -> Message {
    Message {
        id: MessageId(uuid(5)),
        kind,
        booking_id: Some(BookingId(uuid(3))),
        recipient: "maija@example.fi".to_owned(),
        locale,
        payload,
        due_at: at("2026-11-20T12:00:00Z"),
        status: MessageStatus::Pending,
        attempts: 0,
        last_error: None,
        created_at: at("2026-11-20T12:00:00Z"),
        sent_at: None,
    }
}

fn rendered(kind: MessageKind, locale: Locale, channel: Channel, status: BookingStatus) -> Rendered {
    // Sent when made, well before the office's default cut-off.
    rendered_at(kind, locale, channel, status, &office(), at("2026-11-20T12:00:00Z"))
}

fn rendered_at(
    kind: MessageKind,
    locale: Locale,
    channel: Channel,
    status: BookingStatus,
    office: &Office,
    now: DateTime<Utc>,
) -> Rendered {
    let lang = locale.as_str();
    let manage = format!("https://aukiolo.example/{lang}/manage/K7M-4QX-9TD?t=MANAGE-TOKEN");
    let survey = format!("https://aukiolo.example/{lang}/questionnaire/SURVEY-TOKEN");
    let start_page = format!("https://aukiolo.example/{lang}/");
    let with_invite = !matches!(kind, MessageKind::QuestionnaireInvitation | MessageKind::NotReached);
    let calendar = with_invite.then(|| CalendarVersion {
        uid: format!("{}@aukiolo", uuid(3)),
        sequence: if kind == MessageKind::Cancelled { 1 } else { 0 },
    });
    let payload = Payload {
        calendar,
        reason: (status == BookingStatus::CancelledByOffice).then(|| "neuvojan sairastuminen".to_owned()),
        link_token: (kind == MessageKind::QuestionnaireInvitation).then(|| "SURVEY-TOKEN".to_owned()),
        // Invited at noon on 20 November: the link works until noon on 4 December.
        expires_at: (kind == MessageKind::QuestionnaireInvitation).then(|| at("2026-12-04T12:00:00Z")),
    };
    let m = message(kind, locale, payload);
    let b = booking(locale, channel, status);
    render(&Facts {
        message: &m,
        booking: &b,
        office,
        topic: &topic(),
        manage_link: &manage,
        questionnaire_link: Some(&survey),
        start_page: &start_page,
        service_phone: "020 123 4567",
        sender_name: "Kela Aukiolo",
        sender_email: "noreply@aukiolo.example",
        now,
    })
}

/// Everything a reader sees, in one text.
fn shown(r: &Rendered) -> String {
    let invite =
        r.invite.as_ref().map(|(m, ics)| format!("--- invite ({m:?}) ---\n{}", ics.replace("\r\n", "\n")));
    format!(
        "Subject: {}\n--- text ---\n{}--- html ---\n{}{}",
        r.subject,
        r.text,
        r.html,
        invite.unwrap_or_default()
    )
}

macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        insta::with_settings!({
            filters => vec![
                (r"\?t=[A-Za-z0-9._\-]+", "?t=[TOKEN]"),
                (r"questionnaire/[A-Za-z0-9_\-]+", "questionnaire/[TOKEN]"),
                (r"DTSTAMP:\d{8}T\d{6}Z", "DTSTAMP:[STAMP]"),
                (r"(?m)^Date: .*$", "Date: [DATE]"),
                (r"boundary=\x22[^\x22]+\x22", "boundary=\"[BOUNDARY]\""),
                (r"(?m)^--[A-Za-z0-9]{20,}(--)?\r?$", "--[BOUNDARY]$1"),
            ],
        }, {
            insta::assert_snapshot!($name, $value);
        });
    };
}

#[test]
fn confirmation_in_each_language() {
    for locale in [Locale::Fi, Locale::Sv, Locale::En] {
        let r = rendered(MessageKind::Confirmation, locale, Channel::Office, BookingStatus::Booked);
        snapshot!(format!("confirmation_office_{}", locale.as_str()), shown(&r));
    }
}

#[test]
fn phone_reminder_in_each_language() {
    for locale in [Locale::Fi, Locale::Sv, Locale::En] {
        let r = rendered(MessageKind::Reminder, locale, Channel::Phone, BookingStatus::Booked);
        snapshot!(format!("reminder_phone_{}", locale.as_str()), shown(&r));
    }
}

/// A reminder sent 45 minutes ahead by an office whose online changes close a day ahead
/// shows the booking but offers no change the link could no longer make.
#[test]
fn past_the_cut_off_a_mail_offers_no_online_change() {
    let mut strict = office();
    strict.fields.booking_rules.change_cutoff_minutes = 24 * 60;
    for locale in [Locale::Fi, Locale::Sv, Locale::En] {
        let late = at("2026-12-01T07:15:00Z");
        let r =
            rendered_at(MessageKind::Reminder, locale, Channel::Office, BookingStatus::Booked, &strict, late);
        let offers = aukiolo_notify::catalogue::text(locale, aukiolo_notify::catalogue::Text::Manage, &[]);
        assert!(!r.text.contains(&offers), "{}", r.text);
        assert!(r.text.contains("/manage/K7M-4QX-9TD?t="), "the link still shows the booking: {}", r.text);
        let early = at("2026-11-29T07:15:00Z");
        let r = rendered_at(
            MessageKind::Reminder,
            locale,
            Channel::Office,
            BookingStatus::Booked,
            &strict,
            early,
        );
        assert!(r.text.contains(&offers), "{}", r.text);
    }
}

#[test]
fn cancellation_by_the_office_in_each_language() {
    for locale in [Locale::Fi, Locale::Sv, Locale::En] {
        let r = rendered(MessageKind::Cancelled, locale, Channel::Office, BookingStatus::CancelledByOffice);
        snapshot!(format!("cancelled_by_office_{}", locale.as_str()), shown(&r));
    }
}

/// A phone appointment not reached after the calls: which number was called, and how to
/// book again, online from the start page in the booking's language or by the service
/// line; no invite (the time has passed) and no manage link.
#[test]
fn not_reached_in_each_language() {
    for locale in [Locale::Fi, Locale::Sv, Locale::En] {
        let r = rendered(MessageKind::NotReached, locale, Channel::Phone, BookingStatus::NotReached);
        assert!(r.invite.is_none());
        assert!(r.text.contains(&format!("https://aukiolo.example/{}/\n", locale.as_str())), "{}", r.text);
        assert!(r.text.contains("020 123 4567") && r.text.contains("+358401234567"), "{}", r.text);
        assert!(!r.text.contains("/manage/"), "{}", r.text);
        snapshot!(format!("not_reached_{}", locale.as_str()), shown(&r));
    }
}

#[test]
fn questionnaire_invitation_in_each_language() {
    for locale in [Locale::Fi, Locale::Sv, Locale::En] {
        let r =
            rendered(MessageKind::QuestionnaireInvitation, locale, Channel::Office, BookingStatus::Completed);
        assert!(r.invite.is_none());
        snapshot!(format!("questionnaire_{}", locale.as_str()), shown(&r));
    }
}

#[test]
fn the_whole_message() {
    let r = rendered(MessageKind::Rescheduled, Locale::Fi, Channel::Office, BookingStatus::Booked);
    let from = "Kela Aukiolo <noreply@aukiolo.example>".parse().expect("a mailbox");
    let mail =
        aukiolo_notify::mail::build(&r, MessageId(uuid(5)), &from, "maija@example.fi").expect("a message");
    let raw = String::from_utf8(mail.formatted()).expect("ASCII on the wire");
    assert!(raw.contains(&format!("Message-ID: <{}@aukiolo.example>", uuid(5))), "{raw}");
    snapshot!("rescheduled_fi_mime", raw.replace("\r\n", "\n"));
}
