//! A rendered message as a MIME e-mail: text and HTML alternatives, and the invite both
//! inline (`text/calendar; method=…`, which calendar programs act on) and as a file.
//! Headers: From, To, Subject, Date, and the stable Message-ID.

use crate::ics::Method;
use crate::render::Rendered;
use crate::NotifyError;
use aukiolo_domain::MessageId;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};

/// The stable `Message-ID` of an outbox message: the same for every try, so a repeat
/// after a crash can be recognised as one message.
pub fn message_id(id: MessageId, from: &Mailbox) -> String {
    format!("<{id}@{}>", from.email.domain())
}

pub fn build(
    rendered: &Rendered,
    id: MessageId,
    from: &Mailbox,
    to: &str,
) -> Result<lettre::Message, NotifyError> {
    let to: Mailbox = to
        .parse()
        .map_err(|e: lettre::address::AddressError| NotifyError::Address(to.to_owned(), e.to_string()))?;
    let builder = lettre::Message::builder()
        .from(from.clone())
        .to(to)
        .subject(&rendered.subject)
        .message_id(Some(message_id(id, from)));
    let body = MultiPart::alternative()
        .singlepart(SinglePart::plain(rendered.text.clone()))
        .singlepart(SinglePart::html(rendered.html.clone()));
    let message = match &rendered.invite {
        None => builder.multipart(body),
        Some((method, ics)) => {
            let content_type = calendar_type(*method)?;
            let body = body.singlepart(SinglePart::builder().header(content_type.clone()).body(ics.clone()));
            // As Google Calendar does: the same invite once more as a file, for programs
            // that do not read the inline part.
            let file_type = ContentType::parse("application/ics; charset=utf-8")
                .map_err(|e| NotifyError::Build(e.to_string()))?;
            let file = Attachment::new("invite.ics".to_owned()).body(ics.clone(), file_type);
            builder.multipart(MultiPart::mixed().multipart(body).singlepart(file))
        }
    };
    message.map_err(|e| NotifyError::Build(e.to_string()))
}

fn calendar_type(method: Method) -> Result<ContentType, NotifyError> {
    ContentType::parse(&format!("text/calendar; method={}; charset=utf-8", method.as_str()))
        .map_err(|e| NotifyError::Build(e.to_string()))
}
