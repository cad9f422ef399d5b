//! The message catalogue: every text of every message in Finnish, Swedish and English,
//! in one table so a missing translation cannot compile. `{name}` marks a placeholder.

use aukiolo_domain::Locale;

/// A text of the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Text {
    SubjectConfirmation,
    SubjectReminder,
    SubjectRescheduled,
    SubjectCancelled,
    SubjectQuestionnaire,
    SubjectNotReached,
    Greeting,
    IntroConfirmation,
    IntroReminder,
    IntroRescheduled,
    IntroCancelledByCitizen,
    IntroCancelledByOffice,
    IntroNotReached,
    Reason,
    LabelReference,
    LabelTime,
    LabelPlace,
    LabelMatter,
    WeWillCall,
    BringOffice,
    BringPhone,
    Manage,
    ViewOnly,
    BookAgain,
    BookAgainOnline,
    BookAgainByPhone,
    Contact,
    QuestionnaireIntro,
    QuestionnaireLink,
    QuestionnaireExpiry,
    Footer,
}

/// (fi, sv, en)
fn entry(text: Text) -> [&'static str; 3] {
    use Text::*;
    match text {
        SubjectConfirmation => [
            "Ajanvarauksesi on vahvistettu: {when}",
            "Din tidsbokning är bekräftad: {when}",
            "Your appointment is confirmed: {when}",
        ],
        SubjectReminder => [
            "Muistutus ajanvarauksestasi: {when}",
            "Påminnelse om din bokade tid: {when}",
            "Reminder of your appointment: {when}",
        ],
        SubjectRescheduled => [
            "Ajanvarauksesi on siirretty: {when}",
            "Din bokade tid har flyttats: {when}",
            "Your appointment has been moved: {when}",
        ],
        SubjectCancelled => [
            "Ajanvarauksesi on peruttu: {when}",
            "Din bokade tid har avbokats: {when}",
            "Your appointment has been cancelled: {when}",
        ],
        SubjectQuestionnaire => [
            "Miten asiointisi sujui? Kerro meille",
            "Hur gick ditt ärende? Berätta för oss",
            "How did your visit go? Tell us",
        ],
        SubjectNotReached => [
            "Emme tavoittaneet sinua puhelimitse: {when}",
            "Vi nådde dig inte per telefon: {when}",
            "We could not reach you by phone: {when}",
        ],
        Greeting => ["Hei {name},", "Hej {name},", "Hello {name},"],
        IntroConfirmation => [
            "vahvistamme ajanvarauksesi. Neuvoja tutustuu asiaasi etukäteen.",
            "vi bekräftar din tidsbokning. Handläggaren sätter sig in i ditt ärende i förväg.",
            "we confirm your appointment. Your advisor will read about your matter beforehand.",
        ],
        IntroReminder => [
            "muistutamme tulevasta ajanvarauksestasi.",
            "vi påminner dig om din kommande bokade tid.",
            "this is a reminder of your coming appointment.",
        ],
        IntroRescheduled => [
            "ajanvarauksesi on siirretty uuteen aikaan. Aiempi aika on peruttu.",
            "din bokade tid har flyttats till en ny tid. Den tidigare tiden är avbokad.",
            "your appointment has been moved to a new time. The earlier time is cancelled.",
        ],
        IntroCancelledByCitizen => [
            "olet perunut ajanvarauksesi.",
            "du har avbokat din tid.",
            "you have cancelled your appointment.",
        ],
        IntroCancelledByOffice => [
            "joudumme valitettavasti perumaan ajanvarauksesi.",
            "vi måste tyvärr avboka din tid.",
            "we are sorry to have to cancel your appointment.",
        ],
        IntroNotReached => [
            "soitimme sinulle varattuna aikana numeroon {phone}, mutta emme tavoittaneet sinua, joten puhelinaika on päättynyt.",
            "vi ringde dig på den bokade tiden på numret {phone} men nådde dig inte, så telefontiden har gått ut.",
            "we called you at the booked time on {phone} but could not reach you, so the phone appointment has lapsed.",
        ],
        Reason => ["Syy: {reason}", "Orsak: {reason}", "Reason: {reason}"],
        LabelReference => ["Varaustunnus", "Bokningskod", "Booking reference"],
        LabelTime => ["Aika", "Tid", "Time"],
        LabelPlace => ["Paikka", "Plats", "Place"],
        LabelMatter => ["Asia", "Ärende", "Matter"],
        WeWillCall => [
            "Soitamme sinulle numeroon {phone}.",
            "Vi ringer dig på numret {phone}.",
            "We will call you at {phone}.",
        ],
        BringOffice => ["Ota mukaan", "Ta med dig", "Please bring"],
        BringPhone => ["Pidä saatavilla", "Ha till hands", "Please have at hand"],
        Manage => [
            "Voit katsoa, siirtää tai perua varauksesi tästä linkistä:",
            "Du kan se, flytta eller avboka din tid via den här länken:",
            "You can view, move or cancel your appointment with this link:",
        ],
        ViewOnly => [
            "Varauksesi näet tästä linkistä. Verkossa sitä ei voi enää siirtää eikä perua; jos sinun on muutettava sitä, ota yhteyttä toimistoon (yhteystiedot alla):",
            "Du ser din bokning via den här länken. Den kan inte längre flyttas eller avbokas på nätet; om du behöver ändra den, kontakta kontoret (kontaktuppgifter nedan):",
            "You can see your appointment with this link. It can no longer be moved or cancelled online; if you need to change it, please contact the office (details below):",
        ],
        BookAgain => [
            "Voit varata uuden ajan verkossa tai soittamalla toimistoon.",
            "Du kan boka en ny tid på nätet eller genom att ringa kontoret.",
            "You can book a new time online or by calling the office.",
        ],
        BookAgainOnline => [
            "Voit varata uuden ajan verkossa:",
            "Du kan boka en ny tid på nätet:",
            "You can book a new time online:",
        ],
        BookAgainByPhone => [
            "Voit varata ajan myös puhelimitse palvelunumerosta {phone}.",
            "Du kan också boka en tid per telefon på servicenumret {phone}.",
            "You can also book a time by phone on our service line {phone}.",
        ],
        Contact => ["Yhteystiedot", "Kontaktuppgifter", "Contact"],
        QuestionnaireIntro => [
            "kiitos asioinnistasi {date}. Haluamme kehittää palveluamme ja kysymme kokemuksestasi. Vastaaminen vie pari minuuttia, ja vastaukset käsitellään nimettöminä.",
            "tack för ditt besök {date}. Vi vill utveckla vår service och frågar om din upplevelse. Det tar ett par minuter att svara, och svaren behandlas anonymt.",
            "thank you for your visit on {date}. We want to improve our service and ask about your experience. Answering takes a couple of minutes, and answers are handled anonymously.",
        ],
        QuestionnaireLink => ["Vastaa kyselyyn:", "Svara på enkäten:", "Answer the questionnaire:"],
        QuestionnaireExpiry => [
            "Linkki on henkilökohtainen, toimii kerran ja on voimassa {date} asti.",
            "Länken är personlig, fungerar en gång och gäller till {date}.",
            "The link is personal, works once and is valid until {date}.",
        ],
        Footer => [
            "Tämä on automaattinen viesti. Älä vastaa tähän viestiin.",
            "Detta är ett automatiskt meddelande. Svara inte på det.",
            "This is an automatic message. Please do not reply to it.",
        ],
    }
}

/// The text in `locale`, with `{name}` placeholders filled from `args`.
pub fn text(locale: Locale, key: Text, args: &[(&str, &str)]) -> String {
    let [fi, sv, en] = entry(key);
    let template = match locale {
        Locale::Fi => fi,
        Locale::Sv => sv,
        Locale::En => en,
    };
    args.iter().fold(template.to_owned(), |s, (name, value)| s.replace(&format!("{{{name}}}"), value))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The texts of the not-reached mail say the same in every language: none is empty
    /// and each has the placeholders of the others.
    #[test]
    fn the_not_reached_texts_agree_across_languages() {
        let placeholders = |s: &str| -> Vec<String> {
            s.split('{').skip(1).filter_map(|p| p.split_once('}')).map(|(name, _)| name.to_owned()).collect()
        };
        for key in
            [Text::SubjectNotReached, Text::IntroNotReached, Text::BookAgainOnline, Text::BookAgainByPhone]
        {
            let [fi, sv, en] = entry(key);
            assert!([fi, sv, en].iter().all(|s| !s.trim().is_empty()), "{key:?}");
            assert_eq!(placeholders(fi), placeholders(sv), "{key:?}");
            assert_eq!(placeholders(fi), placeholders(en), "{key:?}");
        }
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(text(Locale::Sv, Text::Greeting, &[("name", "Anna")]), "Hej Anna,");
        assert_eq!(text(Locale::En, Text::Reason, &[]), "Reason: {reason}");
    }
}
