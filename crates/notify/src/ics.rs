//! A booking as an iCalendar (RFC 5545) event for calendar programs. Times are in UTC
//! (`…Z`), which every program places right without a VTIMEZONE block; the UID stays the
//! same through reschedules and SEQUENCE grows, so an update replaces the event (RFC 5546).

use aukiolo_domain::booking::Booking;
use aukiolo_domain::office::Office;
use aukiolo_domain::outbox::CalendarVersion;
use aukiolo_domain::topic::Topic;
use aukiolo_domain::Channel;
use chrono::{DateTime, Utc};

/// What the invite asks of the calendar program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// A file to import (the manage page's download).
    Publish,
    /// An invitation, or its update, by e-mail.
    Request,
    /// The event is cancelled.
    Cancel,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Publish => "PUBLISH",
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
        }
    }
}

/// The office as organiser of an e-mailed invite, and the citizen as attendee: RFC 5546
/// requires both for REQUEST and CANCEL, and Outlook ignores invites without them.
#[derive(Clone, Debug)]
pub struct Parties<'a> {
    pub organizer_name: &'a str,
    pub organizer_email: &'a str,
}

fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Escapes TEXT values (backslash, semicolon, comma, newline); other line breaks become
/// newlines and other control characters go, since RFC 5545 allows none in TEXT.
fn escape(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text: String = text.chars().filter(|c| *c == '\n' || !c.is_control()).collect();
    text.replace('\\', "\\\\").replace(';', "\\;").replace(',', "\\,").replace('\n', "\\n")
}

/// A parameter value in quotes, which may not contain quotes or control characters.
fn param(text: &str) -> String {
    format!("\"{}\"", text.chars().filter(|c| *c != '"' && !c.is_control()).collect::<String>())
}

/// Folds a content line at 75 octets, never inside a UTF-8 character.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for ch in line.chars() {
        let len = ch.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += len;
    }
    out.push_str("\r\n");
    out
}

/// Everything an invite is made of.
#[derive(Clone, Debug)]
pub struct Invite<'a> {
    pub booking: &'a Booking,
    pub office: &'a Office,
    pub topic: &'a Topic,
    pub version: &'a CalendarVersion,
    pub method: Method,
    /// Required for `Request` and `Cancel`.
    pub parties: Option<Parties<'a>>,
    /// When this version was made; the same for every copy of one message.
    pub stamp: DateTime<Utc>,
}

impl Invite<'_> {
    /// The invite, in the booking's language.
    pub fn render(&self) -> String {
        let b = self.booking;
        let cancelled = self.method == Method::Cancel;
        let summary = format!(
            "{} – {}",
            self.topic.fields.name.get(b.language),
            self.office.fields.name.get(b.language)
        );
        let location = match b.channel {
            Channel::Office => {
                let a = &self.office.fields.address;
                format!("{}, {} {}", a.street, a.postal_code, a.municipality)
            }
            Channel::Phone => b.phone.clone().unwrap_or_default(),
        };
        let mut lines = vec![
            "BEGIN:VCALENDAR".to_owned(),
            "VERSION:2.0".to_owned(),
            "PRODID:-//Aukiolo//Appointments//EN".to_owned(),
            "CALSCALE:GREGORIAN".to_owned(),
            format!("METHOD:{}", self.method.as_str()),
            "BEGIN:VEVENT".to_owned(),
            format!("UID:{}", self.version.uid),
            format!("SEQUENCE:{}", self.version.sequence),
            format!("DTSTAMP:{}", stamp(self.stamp)),
            format!("DTSTART:{}", stamp(b.start)),
            format!("DTEND:{}", stamp(b.end)),
            format!("SUMMARY:{}", escape(&summary)),
            format!("LOCATION:{}", escape(&location)),
            // The reference and topic only: the citizen's own words about the matter may be
            // sensitive, and calendars are often shared.
            format!(
                "DESCRIPTION:{}",
                escape(&format!("{}\n{}", b.reference, self.topic.fields.name.get(b.language)))
            ),
            format!("STATUS:{}", if cancelled { "CANCELLED" } else { "CONFIRMED" }),
            "TRANSP:OPAQUE".to_owned(),
        ];
        if let Some(p) = &self.parties {
            lines.push(format!("ORGANIZER;CN={}:mailto:{}", param(p.organizer_name), p.organizer_email));
            let partstat = if cancelled { "DECLINED" } else { "ACCEPTED" };
            lines.push(format!(
                "ATTENDEE;CN={};ROLE=REQ-PARTICIPANT;PARTSTAT={partstat};RSVP=FALSE:mailto:{}",
                param(&b.name),
                b.email
            ));
        }
        lines.extend(["END:VEVENT".to_owned(), "END:VCALENDAR".to_owned()]);
        lines.iter().map(|l| fold(l)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_and_escaping() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        assert_eq!(escape("one\r\ntwo\rthree\u{7}"), "one\\ntwo\\nthree");
        assert_eq!(param("Anna \"A\" Ström\n"), "\"Anna A Ström\"");
        let long = "DESCRIPTION:".to_owned() + &"ä".repeat(60);
        let folded = fold(&long);
        assert!(folded.split("\r\n").all(|l| l.len() <= 75), "{folded}");
        assert_eq!(folded.replace("\r\n ", "").trim_end(), long);
    }
}
