//! Renders an outbox message into a subject, a plain text, an HTML alternative and a
//! calendar invite, in the booking's language and the office's time zone.

use crate::catalogue::{self, Text};
use crate::ics::{Invite, Method, Parties};
use aukiolo_domain::booking::{Booking, BookingStatus};
use aukiolo_domain::dates;
use aukiolo_domain::office::Office;
use aukiolo_domain::outbox::Message;
use aukiolo_domain::outbox::MessageKind;
use aukiolo_domain::topic::Topic;
use aukiolo_domain::{Channel, Locale};
use chrono::{DateTime, Utc};

/// What a message is rendered from.
#[derive(Clone, Debug)]
pub struct Facts<'a> {
    pub message: &'a Message,
    pub booking: &'a Booking,
    pub office: &'a Office,
    pub topic: &'a Topic,
    /// The citizen's link to view, move or cancel the booking.
    pub manage_link: &'a str,
    /// The questionnaire link, for an invitation.
    pub questionnaire_link: Option<&'a str>,
    /// The service's start page in the booking's language, `{public_url}/{lang}/`: where to
    /// book again.
    pub start_page: &'a str,
    /// The organisation's phone service, as people dial it.
    pub service_phone: &'a str,
    /// The sender, who organises the calendar event.
    pub sender_name: &'a str,
    pub sender_email: &'a str,
    /// When the message is rendered, i.e. sent: whether it may still offer changes.
    pub now: DateTime<Utc>,
}

/// A rendered message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The `.ics` and its method, for messages about the appointment.
    pub invite: Option<(Method, String)>,
}

/// One block of a message: a paragraph, or a labelled fact.
enum Block {
    Para(String),
    Fact(String, String),
    Link(String),
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

pub fn render(f: &Facts<'_>) -> Rendered {
    let l: Locale = f.message.locale;
    let b = f.booking;
    let t = |key: Text| catalogue::text(l, key, &[]);
    let local = |t: DateTime<Utc>| f.office.fields.local(t);
    let when = dates::date_time(l, local(b.start));
    let kind = f.message.kind;
    let subject_key = match kind {
        MessageKind::Confirmation => Text::SubjectConfirmation,
        MessageKind::Reminder => Text::SubjectReminder,
        MessageKind::Rescheduled => Text::SubjectRescheduled,
        MessageKind::Cancelled => Text::SubjectCancelled,
        MessageKind::QuestionnaireInvitation => Text::SubjectQuestionnaire,
        MessageKind::NotReached => Text::SubjectNotReached,
    };
    let subject = catalogue::text(l, subject_key, &[("when", &when)]);
    let mut blocks = vec![Block::Para(catalogue::text(l, Text::Greeting, &[("name", &b.name)]))];
    if kind == MessageKind::QuestionnaireInvitation {
        let visit = dates::date(l, local(b.start).date());
        blocks.push(Block::Para(catalogue::text(l, Text::QuestionnaireIntro, &[("date", &visit)])));
        blocks.push(Block::Para(t(Text::QuestionnaireLink)));
        blocks.push(Block::Link(f.questionnaire_link.unwrap_or_default().to_owned()));
        // The expiry the store set, to the minute: the link works until then.
        if let Some(expires_at) = f.message.payload.expires_at {
            let expires = dates::date_time(l, local(expires_at));
            blocks.push(Block::Para(catalogue::text(l, Text::QuestionnaireExpiry, &[("date", &expires)])));
        }
    } else {
        let phone = b.phone.as_deref().unwrap_or_default();
        let intro = match kind {
            MessageKind::Reminder => Text::IntroReminder,
            MessageKind::Rescheduled => Text::IntroRescheduled,
            MessageKind::Cancelled if b.status == BookingStatus::CancelledByOffice => {
                Text::IntroCancelledByOffice
            }
            MessageKind::Cancelled => Text::IntroCancelledByCitizen,
            MessageKind::NotReached => Text::IntroNotReached,
            _ => Text::IntroConfirmation,
        };
        blocks.push(Block::Para(catalogue::text(l, intro, &[("phone", phone)])));
        if let Some(reason) = &f.message.payload.reason {
            blocks.push(Block::Para(catalogue::text(l, Text::Reason, &[("reason", reason)])));
        }
        blocks.push(Block::Fact(t(Text::LabelReference), b.reference.clone()));
        blocks.push(Block::Fact(t(Text::LabelTime), when.clone()));
        blocks.push(Block::Fact(t(Text::LabelMatter), f.topic.fields.name.get(l).to_owned()));
        let office_name = f.office.fields.name.get(l);
        match b.channel {
            Channel::Office => {
                let a = &f.office.fields.address;
                let place = format!("{office_name}, {}, {} {}", a.street, a.postal_code, a.municipality);
                blocks.push(Block::Fact(t(Text::LabelPlace), place));
            }
            // Not reached: the intro said which number was called.
            Channel::Phone if kind == MessageKind::NotReached => {}
            Channel::Phone => {
                blocks.push(Block::Para(catalogue::text(l, Text::WeWillCall, &[("phone", phone)])));
            }
        }
        if kind == MessageKind::Cancelled {
            blocks.push(Block::Para(t(Text::BookAgain)));
        } else if kind == MessageKind::NotReached {
            blocks.push(Block::Para(t(Text::BookAgainOnline)));
            blocks.push(Block::Link(f.start_page.to_owned()));
            let line = catalogue::text(l, Text::BookAgainByPhone, &[("phone", f.service_phone)]);
            blocks.push(Block::Para(line));
        } else {
            let bring = if b.channel == Channel::Office { Text::BringOffice } else { Text::BringPhone };
            blocks.push(Block::Fact(t(bring), f.topic.fields.what_to_bring.get(l).to_owned()));
            // Past the cut-off the link still shows the booking, but changes go by phone.
            let may_change = f.office.fields.booking_rules.citizen_may_change(b.start, f.now);
            blocks.push(Block::Para(t(if may_change { Text::Manage } else { Text::ViewOnly })));
            blocks.push(Block::Link(f.manage_link.to_owned()));
        }
        let contact = match &f.office.fields.phone {
            Some(phone) => format!("{office_name}, {phone}"),
            None => office_name.to_owned(),
        };
        blocks.push(Block::Fact(t(Text::Contact), contact));
    }
    blocks.push(Block::Para(t(Text::Footer)));

    let invite =
        f.message.payload.calendar.as_ref().filter(|_| kind != MessageKind::QuestionnaireInvitation).map(
            |version| {
                let method = if kind == MessageKind::Cancelled { Method::Cancel } else { Method::Request };
                let invite = Invite {
                    booking: b,
                    office: f.office,
                    topic: f.topic,
                    version,
                    method,
                    parties: Some(Parties { organizer_name: f.sender_name, organizer_email: f.sender_email }),
                    stamp: f.message.created_at,
                };
                (method, invite.render())
            },
        );
    let html = html(&subject, &blocks, l);
    Rendered { subject, text: plain(&blocks), html, invite }
}

fn plain(blocks: &[Block]) -> String {
    let mut out = String::new();
    let mut after_fact = false;
    for block in blocks {
        if let Block::Fact(label, value) = block {
            out.push_str(&format!("{label}: {value}\n"));
            after_fact = true;
            continue;
        }
        // A list of facts ends with a blank line before the next paragraph.
        if after_fact {
            out.push('\n');
            after_fact = false;
        }
        match block {
            Block::Para(p) => out.push_str(&format!("{p}\n\n")),
            Block::Link(link) => out.push_str(&format!("{link}\n\n")),
            Block::Fact(..) => {}
        }
    }
    out.trim_end().to_owned() + "\n"
}

fn html(title: &str, blocks: &[Block], l: Locale) -> String {
    let mut body = String::new();
    let mut in_facts = false;
    for block in blocks {
        let is_fact = matches!(block, Block::Fact(..));
        if is_fact != in_facts {
            body.push_str(if is_fact { "<table role=\"presentation\">\n" } else { "</table>\n" });
            in_facts = is_fact;
        }
        match block {
            Block::Para(p) => body.push_str(&format!("<p>{}</p>\n", html_escape(p))),
            Block::Fact(label, value) => body.push_str(&format!(
                "<tr><th align=\"left\" valign=\"top\">{}</th><td>{}</td></tr>\n",
                html_escape(label),
                html_escape(value)
            )),
            Block::Link(link) => {
                let link = html_escape(link);
                body.push_str(&format!("<p><a href=\"{link}\">{link}</a></p>\n"));
            }
        }
    }
    if in_facts {
        body.push_str("</table>\n");
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head><meta charset=\"utf-8\"><title>{}</title></head>\n<body>\n{body}</body>\n</html>\n",
        l.as_str(),
        html_escape(title)
    )
}
