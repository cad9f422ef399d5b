//! The page catalogue: every text of every page in Finnish, Swedish and English, one
//! entry a text, so a missing translation cannot compile. `{name}` marks a placeholder.

use aukiolo_domain::Locale;

/// Declares `Text` and `Text::ALL` from one list, so the test below sees every text.
macro_rules! texts {
    ($($name:ident),* $(,)?) => {
        /// A text of the pages.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Text {
            $($name),*
        }

        impl Text {
            pub const ALL: &'static [Text] = &[$(Text::$name),*];
        }
    };
}

texts! {
    ServiceName,
    SkipLink,
    LanguageNav,
    FooterAccessibility,
    FooterPrivacy,
    FooterNav,
    StartTitle,
    StartIntro,
    StartByAppointment,
    StartPrepared,
    StartOtherWays,
    StartEService,
    StartEServiceLink,
    StartPhone,
    StartBringTitle,
    StartBring,
    AccessibilityTitle,
    AccessibilityIntro,
    AccessibilityStatus,
    AccessibilityFeedback,
    PrivacyTitle,
    PrivacyIntro,
    PrivacyWhat,
    PrivacyWhy,
    PrivacyHowLong,
    PrivacyRights,
    NotFoundTitle,
    NotFoundBody,
    BackToStart,
}

/// (fi, sv, en)
fn entry(text: Text) -> [&'static str; 3] {
    use Text::*;
    match text {
        ServiceName => ["Ajanvaraus", "Tidsbokning", "Appointments"],
        SkipLink => ["Siirry sisältöön", "Gå till innehållet", "Skip to main content"],
        LanguageNav => ["Kieli", "Språk", "Language"],
        FooterAccessibility => ["Saavutettavuusseloste", "Tillgänglighetsutlåtande", "Accessibility statement"],
        FooterPrivacy => ["Tietosuojaseloste", "Dataskyddsbeskrivning", "Privacy notice"],
        FooterNav => ["Tietoa palvelusta", "Om tjänsten", "About the service"],
        StartTitle => [
            "Varaa aika palvelupisteeseen tai puhelinpalveluun",
            "Boka tid till ett serviceställe eller till telefonservicen",
            "Book an appointment at an office or by phone",
        ],
        StartIntro => [
            "Voit varata ajan asioinnille palvelupisteessä tai puhelimessa. Varaaminen ei vaadi tunnistautumista.",
            "Du kan boka tid för ett besök på ett serviceställe eller för ett samtal. Du behöver inte identifiera dig för att boka.",
            "You can book a time to visit an office or to be called. You do not need to identify yourself to book.",
        ],
        StartByAppointment => [
            "Osa palvelupisteistä palvelee vain ajanvarauksella: niissä ei ole jonoa, eikä ilman varausta voi asioida.",
            "En del serviceställen betjänar endast med tidsbokning: där finns ingen kö, och utan bokning kan du inte uträtta ärenden.",
            "Some offices serve by appointment only: there is no queue, and you cannot be served without a booking.",
        ],
        StartPrepared => [
            "Kun kerrot varatessasi, mitä asiasi koskee, neuvoja voi tutustua siihen etukäteen.",
            "När du berättar vad ditt ärende gäller när du bokar, kan handläggaren sätta sig in i det i förväg.",
            "When you tell us what your matter is about as you book, your advisor can read about it beforehand.",
        ],
        StartOtherWays => ["Muut tavat hoitaa asiasi", "Andra sätt att sköta ditt ärende", "Other ways to get help"],
        StartEService => [
            "Monet asiat voit hoitaa verkossa milloin tahansa: hakemukset, liitteet ja päätökset löytyvät asiointipalvelusta.",
            "Många ärenden kan du sköta på nätet när som helst: ansökningar, bilagor och beslut finns i e-tjänsten.",
            "Many matters can be handled online at any time: applications, attachments and decisions are in the e-service.",
        ],
        StartEServiceLink => ["Asiointipalvelu", "E-tjänsten", "The e-service"],
        StartPhone => [
            "Puhelinpalvelu: {number} ({hours}).",
            "Telefonservice: {number} ({hours}).",
            "Phone service: {number} ({hours}).",
        ],
        StartBringTitle => ["Mitä ottaa mukaan", "Vad du ska ta med dig", "What to bring"],
        StartBring => [
            "Ota mukaan henkilöllisyystodistus ja asiaasi liittyvät paperit. Varausvaiheessa näet, mitä juuri sinun asiaasi tarvitaan.",
            "Ta med ett identitetsbevis och papper som gäller ditt ärende. När du bokar ser du vad just ditt ärende kräver.",
            "Bring an identity document and the papers about your matter. When you book, you will see what your matter needs.",
        ],
        AccessibilityTitle => ["Saavutettavuusseloste", "Tillgänglighetsutlåtande", "Accessibility statement"],
        AccessibilityIntro => [
            "Tämä seloste koskee ajanvarauksen verkkosivuja. Tavoitteemme on, että kuka tahansa voi varata ajan ja hoitaa varaustaan näppäimistöllä, ruudunlukijalla tai suurennettuna, ilman JavaScriptiä.",
            "Detta utlåtande gäller tidsbokningens webbsidor. Vårt mål är att vem som helst ska kunna boka och sköta sin bokning med tangentbord, skärmläsare eller förstoring, utan JavaScript.",
            "This statement covers the appointment booking pages. Our aim is that anyone can book and manage a booking by keyboard, with a screen reader or magnified, without JavaScript.",
        ],
        AccessibilityStatus => [
            "Sivut on tehty täyttämään WCAG 2.1 -ohjeiston AA-tason vaatimukset, ja ne tarkistetaan automaattisesti jokaisen muutoksen yhteydessä.",
            "Sidorna är gjorda för att uppfylla kraven på nivå AA i riktlinjerna WCAG 2.1, och de kontrolleras automatiskt vid varje ändring.",
            "The pages are built to meet level AA of WCAG 2.1 and are checked automatically with every change.",
        ],
        AccessibilityFeedback => [
            "Jos kohtaat esteen, kerro siitä puhelinpalveluun: {number}. Voit myös varata ajan puhelimitse.",
            "Om du stöter på ett hinder, berätta det för telefonservicen: {number}. Du kan också boka tid per telefon.",
            "If something stops you, tell the phone service: {number}. You can also book by phone.",
        ],
        PrivacyTitle => ["Tietosuojaseloste", "Dataskyddsbeskrivning", "Privacy notice"],
        PrivacyIntro => [
            "Käsittelemme varaukseen antamiasi tietoja vain ajanvarauksen ja asiointisi hoitamiseksi.",
            "Vi behandlar uppgifterna du ger i bokningen endast för att sköta tidsbokningen och ditt ärende.",
            "We use what you tell us when booking only to run your appointment and handle your matter.",
        ],
        PrivacyWhat => [
            "Tallennamme nimesi, henkilötunnuksesi (salattuna), sähköpostiosoitteesi, puhelinnumerosi, asiasi kuvauksen ja tarpeesi, kuten tulkin.",
            "Vi sparar ditt namn, din personbeteckning (krypterad), din e-postadress, ditt telefonnummer, beskrivningen av ditt ärende och dina behov, till exempel tolk.",
            "We store your name, your personal identity code (encrypted), your e-mail address, your phone number, the description of your matter and your needs, such as an interpreter.",
        ],
        PrivacyWhy => [
            "Henkilötunnuksella neuvoja löytää asiasi ennen tapaamista. Sähköpostiin lähetämme vahvistuksen, muistutuksen ja käynnin jälkeen lyhyen kyselyn, johon vastataan nimettömästi.",
            "Med personbeteckningen hittar handläggaren ditt ärende före mötet. Till e-posten skickar vi en bekräftelse, en påminnelse och efter besöket en kort enkät som besvaras anonymt.",
            "With your identity code your advisor finds your matter before you meet. We send a confirmation, a reminder and, after the visit, a short questionnaire answered anonymously to your e-mail.",
        ],
        PrivacyHowLong => [
            "Henkilötiedot poistetaan, kun käynnistä on kulunut 24 kuukautta. Tilastot säilyvät ilman henkilötietoja.",
            "Personuppgifterna raderas när 24 månader har gått sedan besöket. Statistiken sparas utan personuppgifter.",
            "Personal data is deleted 24 months after the visit. Statistics are kept without personal data.",
        ],
        PrivacyRights => [
            "Voit pyytää nähdä tai korjata tietosi tai perua varauksesi puhelinpalvelussa: {number}.",
            "Du kan be att få se eller rätta dina uppgifter eller avboka via telefonservicen: {number}.",
            "You can ask to see or correct your data, or cancel your booking, through the phone service: {number}.",
        ],
        NotFoundTitle => ["Sivua ei löytynyt", "Sidan hittades inte", "Page not found"],
        NotFoundBody => [
            "Tarkista osoite. Jos tulit linkistä, se voi olla vanhentunut.",
            "Kontrollera adressen. Om du kom via en länk kan den vara föråldrad.",
            "Check the address. If you followed a link, it may be out of date.",
        ],
        BackToStart => ["Ajanvarauksen etusivulle", "Till tidsbokningens startsida", "Go to the start page"],
    }
}

fn index(locale: Locale) -> usize {
    match locale {
        Locale::Fi => 0,
        Locale::Sv => 1,
        Locale::En => 2,
    }
}

/// `text` in `locale`, with each `{name}` replaced by its value.
pub fn text(locale: Locale, text: Text, values: &[(&str, &str)]) -> String {
    values.iter().fold(entry(text)[index(locale)].to_owned(), |s, (name, value)| {
        s.replace(&format!("{{{name}}}"), value)
    })
}

/// The catalogue in one language, as templates use it: `{{ t.get(Text::SkipLink) }}`.
#[derive(Clone, Copy, Debug)]
pub struct Tr(pub Locale);

impl Tr {
    pub fn get(&self, text: Text) -> &'static str {
        entry(text)[index(self.0)]
    }

    pub fn fill(&self, text: Text, values: &[(&str, &str)]) -> String {
        self::text(self.0, text, values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_text_is_empty_or_left_untranslated() {
        // `entry`'s match makes sure each text has three; this that none is blank or
        // copied between languages.
        for &text in Text::ALL {
            let [fi, sv, en] = entry(text);
            assert!(!fi.trim().is_empty() && !sv.trim().is_empty() && !en.trim().is_empty(), "{text:?}");
            assert!(fi != sv && sv != en && fi != en, "{text:?} is the same in two languages");
        }
    }

    #[test]
    fn placeholders_are_filled() {
        let phone = text(Locale::Sv, Text::StartPhone, &[("number", "020 123"), ("hours", "mån–fre 9–16")]);
        assert_eq!(phone, "Telefonservice: 020 123 (mån–fre 9–16).");
    }
}
