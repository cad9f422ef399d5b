//! A booking as an iCalendar (RFC 5545) event, in UTC so every calendar places it right.

use aukiolo_domain::booking::Booking;
use aukiolo_domain::office::Office;
use aukiolo_domain::topic::Topic;
use aukiolo_domain::Channel;
use chrono::{DateTime, Utc};

fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Escapes TEXT values (backslash, semicolon, comma, newline).
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace(';', "\\;").replace(',', "\\,").replace('\n', "\\n")
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

/// The invite of a booking, in the booking's language. A cancelled booking gives a
/// cancellation with the same UID.
pub fn invite(b: &Booking, office: &Office, topic: &Topic, now: DateTime<Utc>) -> String {
    let cancelled = !b.status.holds_slot();
    let summary = format!("{} – {}", topic.fields.name.get(b.language), office.fields.name.get(b.language));
    let location = match b.channel {
        Channel::Office => {
            let a = &office.fields.address;
            format!("{}, {} {}", a.street, a.postal_code, a.municipality)
        }
        Channel::Phone => b.phone.clone().unwrap_or_default(),
    };
    let lines = [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Aukiolo//Appointments//EN".to_owned(),
        format!("METHOD:{}", if cancelled { "CANCEL" } else { "PUBLISH" }),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:{}@aukiolo", b.id),
        format!("DTSTAMP:{}", stamp(now)),
        format!("DTSTART:{}", stamp(b.start)),
        format!("DTEND:{}", stamp(b.end)),
        format!("SUMMARY:{}", escape(&summary)),
        format!("LOCATION:{}", escape(&location)),
        format!("DESCRIPTION:{}", escape(&format!("{}\n{}", b.reference, b.description))),
        format!("STATUS:{}", if cancelled { "CANCELLED" } else { "CONFIRMED" }),
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
    ];
    lines.iter().map(|l| fold(l)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_and_escaping() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        let long = "DESCRIPTION:".to_owned() + &"ä".repeat(60);
        let folded = fold(&long);
        assert!(folded.split("\r\n").all(|l| l.len() <= 75), "{folded}");
        assert_eq!(folded.replace("\r\n ", "").trim_end(), long);
    }
}
