//! The page catalogue: every text of every page in Finnish, Swedish and English, one
//! entry a text, so a missing translation cannot compile. `{name}` marks a placeholder.

use aukiolo_domain::Locale;

pub mod admin;
pub mod pilot;
pub mod staff;
pub use admin::AdminText;
pub use pilot::PilotText;
pub use staff::StaffText;

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
    StartBook,
    StartManageTitle,
    StartManage,
    ResendLink,
    Back,
    Continue,
    StepOf,
    ErrorPrefix,
    ErrorSummaryTitle,
    Optional,
    TopicQuestion,
    TopicMissing,
    ChannelQuestion,
    ChannelMissing,
    ChannelOffice,
    ChannelOfficeHint,
    ChannelPhone,
    ChannelPhoneHint,
    OfficeQuestion,
    OfficeHint,
    OfficeMissing,
    OfficeNextFree,
    OfficeNoTimes,
    LanguageQuestion,
    LanguageMissing,
    Finnish,
    Swedish,
    English,
    TimeQuestion,
    TimeMissing,
    TimeTakenNotice,
    FinnishTime,
    FinnishTimeShort,
    SoonestTimes,
    WeekOf,
    PeriodNav,
    PreviousWeek,
    NextWeek,
    NoFreeTimes,
    OneFreeTime,
    FreeTimes,
    NothingThisWeek,
    NextFreeTime,
    NothingAtAll,
    MatterQuestion,
    MatterLabel,
    MatterHint,
    MatterMissing,
    TooLong,
    NeedsTitle,
    InterpreterLabel,
    InterpreterHint,
    InterpreterInvalid,
    AccessibilityLabel,
    AccessibilityHint,
    BringOffice,
    BringPhone,
    DetailsTitle,
    NameLabel,
    NameMissing,
    PersonalIdLabel,
    PersonalIdHint,
    PersonalIdMissing,
    PersonalIdInvalid,
    EmailLabel,
    EmailHint,
    EmailMissing,
    EmailInvalid,
    PhoneLabelRequired,
    PhoneHintRequired,
    PhoneLabelOptional,
    PhoneHintOptional,
    PhoneMissing,
    PhoneInvalid,
    CheckTitle,
    CheckTopic,
    CheckChannel,
    CheckOffice,
    CheckLanguage,
    CheckTime,
    CheckMatter,
    Change,
    CheckSendTitle,
    CheckSendBody,
    BookButton,
    TooManyBookings,
    BookingRefused,
    ConfirmationTitle,
    YourReference,
    Reference,
    ConfirmationSent,
    WeWillCall,
    AddToCalendar,
    ChangeTitle,
    ChangeUntil,
    ManageLink,
    ManageTitle,
    StatusMoved,
    StatusCancelled,
    StatusCancelledByOffice,
    StatusInService,
    StatusCompleted,
    StatusMissed,
    ChangesClosed,
    CallOffice,
    MoveLink,
    CancelLink,
    BookNew,
    MovedNotice,
    CancelledNotice,
    CancelTitle,
    CancelQuestion,
    CancelYes,
    CancelNo,
    MoveTitle,
    MoveQuestion,
    MovingFrom,
    MoveConfirmQuestion,
    MoveYes,
    MoveNo,
    ResendTitle,
    ResendIntro,
    ReferenceHint,
    ReferenceMissing,
    ResendButton,
    ResendSentTitle,
    ResendSentBody,
    LinkInvalidTitle,
    LinkInvalidBody,
    LinkExpiredTitle,
    LinkExpiredBody,
    FormRefusedTitle,
    FormRefusedBody,
    TooManyTitle,
    UnavailableTitle,
    InternalTitle,
    TryAgainShortly,
    RateLimitedBody,
    AnsweredTitle,
    AnsweredBody,
    AnswerMissing,
    AnswerInvalid,
    SendAnswers,
    ThanksTitle,
    ThanksBody,
    NpsLow,
    NpsHigh,
    CsatLow,
    CsatHigh,
    CesLow,
    CesHigh,
    Yes,
    No,
    ForbiddenTitle,
    ForbiddenBody,
    SignedOutTitle,
    SignedOutBody,
    BadFormBody,
    SignInAgain,
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
        StartBook => ["Varaa aika", "Boka tid", "Book an appointment"],
        StartManageTitle => ["Varauksen muuttaminen", "Ändra en bokning", "Change a booking"],
        StartManage => ["Voit katsoa, siirtää tai perua varauksesi vahvistusviestin linkistä.", "Du kan se, flytta eller avboka din tid via länken i bekräftelsemeddelandet.", "You can view, move or cancel your booking with the link in your confirmation message."],
        ResendLink => ["Pyydä linkki uudelleen", "Be om länken på nytt", "Ask for the link again"],
        Back => ["Takaisin", "Tillbaka", "Back"],
        Continue => ["Jatka", "Fortsätt", "Continue"],
        StepOf => ["Vaihe {n}/{of}", "Steg {n}/{of}", "Step {n} of {of}"],
        ErrorPrefix => ["Virhe:", "Fel:", "Error:"],
        ErrorSummaryTitle => ["Tarkista seuraavat kohdat", "Kontrollera följande", "There is a problem"],
        Optional => ["vapaaehtoinen", "frivilligt", "optional"],
        TopicQuestion => ["Mitä asiasi koskee?", "Vad gäller ditt ärende?", "What is your matter about?"],
        TopicMissing => ["Valitse, mitä asiasi koskee", "Välj vad ditt ärende gäller", "Select what your matter is about"],
        ChannelQuestion => ["Miten haluat asioida?", "Hur vill du uträtta ärendet?", "How would you like to be served?"],
        ChannelMissing => ["Valitse, miten haluat asioida", "Välj hur du vill uträtta ärendet", "Select how you would like to be served"],
        ChannelOffice => ["Käynti palvelupisteessä", "Besök på ett serviceställe", "Visit to an office"],
        ChannelOfficeHint => ["Tapaat neuvojan palvelupisteessä.", "Du träffar handläggaren på ett serviceställe.", "You meet an advisor at an office."],
        ChannelPhone => ["Puhelinaika", "Telefontid", "Phone appointment"],
        ChannelPhoneHint => ["Neuvoja soittaa sinulle sovittuun aikaan.", "Handläggaren ringer dig vid den bokade tiden.", "An advisor calls you at the booked time."],
        OfficeQuestion => ["Missä palvelupisteessä haluat asioida?", "På vilket serviceställe vill du uträtta ärendet?", "Which office would you like to visit?"],
        OfficeHint => ["Palvelupisteen alla on sen osoite ja aikaisin vapaa aika.", "Under varje serviceställe står dess adress och den första lediga tiden.", "Each office shows its address and its earliest free time."],
        OfficeMissing => ["Valitse palvelupiste", "Välj ett serviceställe", "Select an office"],
        OfficeNextFree => ["{address}. Ensimmäinen vapaa aika {when}.", "{address}. Första lediga tid {when}.", "{address}. First free time {when}."],
        OfficeNoTimes => ["{office} ({address}): ei vapaita aikoja lähiviikkoina.", "{office} ({address}): inga lediga tider de närmaste veckorna.", "{office} ({address}): no free times in the coming weeks."],
        LanguageQuestion => ["Millä kielellä haluat asioida?", "På vilket språk vill du uträtta ärendet?", "Which language would you like to be served in?"],
        LanguageMissing => ["Valitse asiointikieli", "Välj språk", "Select a language"],
        Finnish => ["suomi", "finska", "Finnish"],
        Swedish => ["ruotsi", "svenska", "Swedish"],
        English => ["englanti", "engelska", "English"],
        TimeQuestion => ["Valitse aika", "Välj en tid", "Choose a time"],
        TimeMissing => ["Valitse aika", "Välj en tid", "Select a time"],
        TimeTakenNotice => ["Valitsemasi aika ehdittiin juuri varata toiselle. Valitse toinen aika; seuraavat vapaat ajat näkyvät ensimmäisinä.", "Tiden du valde har just bokats av någon annan. Välj en annan tid; de följande lediga tiderna visas först.", "The time you chose was just booked by someone else. Choose another time; the next free times are shown first."],
        FinnishTime => ["Ajat ovat Suomen aikaa.", "Tiderna anges i finsk tid.", "Times are in Finnish time."],
        FinnishTimeShort => ["Suomen aikaa", "finsk tid", "Finnish time"],
        SoonestTimes => ["Seuraavat vapaat ajat", "Följande lediga tider", "Next free times"],
        WeekOf => ["Viikko {period}", "Vecka {period}", "Week {period}"],
        PeriodNav => ["Viikot", "Veckor", "Weeks"],
        PreviousWeek => ["Edellinen viikko", "Föregående vecka", "Previous week"],
        NextWeek => ["Seuraava viikko", "Nästa vecka", "Next week"],
        NoFreeTimes => ["ei vapaita aikoja", "inga lediga tider", "no free times"],
        OneFreeTime => ["1 vapaa aika", "1 ledig tid", "1 free time"],
        FreeTimes => ["{n} vapaata aikaa", "{n} lediga tider", "{n} free times"],
        NothingThisWeek => ["Tällä viikolla ei ole vapaita aikoja.", "Den här veckan finns inga lediga tider.", "There are no free times this week."],
        NextFreeTime => ["Seuraava vapaa aika: {when}", "Nästa lediga tid: {when}", "Next free time: {when}"],
        NothingAtAll => ["Vapaita aikoja ei ole varattavissa lähiviikkoina. Voit asioida verkossa tai soittaa puhelinpalveluun.", "Det finns inga lediga tider att boka de närmaste veckorna. Du kan uträtta ärendet på nätet eller ringa telefonservicen.", "No free times can be booked in the coming weeks. You can use the e-service or call the phone service."],
        MatterQuestion => ["Kerro asiastasi", "Berätta om ditt ärende", "Tell us about your matter"],
        MatterLabel => ["Mitä asiasi koskee?", "Vad gäller ditt ärende?", "What is your matter?"],
        MatterHint => ["Neuvoja lukee tämän ennen tapaamista ja voi valmistautua. Älä kirjoita tähän henkilötunnusta.", "Handläggaren läser detta före mötet och kan förbereda sig. Skriv inte din personbeteckning här.", "Your advisor reads this before the appointment and can prepare. Do not write your identity code here."],
        MatterMissing => ["Kerro lyhyesti, mitä asiasi koskee", "Berätta kort vad ditt ärende gäller", "Say briefly what your matter is about"],
        TooLong => ["Kirjoita enintään {max} merkkiä", "Skriv högst {max} tecken", "Write at most {max} characters"],
        NeedsTitle => ["Tarvitsetko apua asiointiin?", "Behöver du hjälp vid besöket?", "Do you need any help at the appointment?"],
        InterpreterLabel => ["Tulkin kieli (vapaaehtoinen)", "Tolkens språk (frivilligt)", "Interpreter's language (optional)"],
        InterpreterHint => ["Kielen kaksikirjaiminen koodi, esimerkiksi ar (arabia), ru (venäjä) tai so (somali). Jätä tyhjäksi, jos et tarvitse tulkkia.", "Språkets tvåbokstavskod, till exempel ar (arabiska), ru (ryska) eller so (somaliska). Lämna tomt om du inte behöver tolk.", "The language's two-letter code, for example ar (Arabic), ru (Russian) or so (Somali). Leave empty if you need no interpreter."],
        InterpreterInvalid => ["Kirjoita kielen kaksikirjaiminen koodi, esimerkiksi ar", "Skriv språkets tvåbokstavskod, till exempel ar", "Enter the language's two-letter code, for example ar"],
        AccessibilityLabel => ["Saavutettavuustarpeet (vapaaehtoinen)", "Behov av tillgänglighet (frivilligt)", "Accessibility needs (optional)"],
        AccessibilityHint => ["Esimerkiksi pyörätuoli, induktiosilmukka tai tarve pidemmälle ajalle.", "Till exempel rullstol, hörslinga eller behov av längre tid.", "For example a wheelchair, a hearing loop or a need for more time."],
        BringOffice => ["Ota mukaan", "Ta med dig", "Please bring"],
        BringPhone => ["Pidä saatavilla", "Ha till hands", "Please have at hand"],
        DetailsTitle => ["Yhteystietosi", "Dina kontaktuppgifter", "Your details"],
        NameLabel => ["Nimi", "Namn", "Name"],
        NameMissing => ["Kirjoita nimesi", "Skriv ditt namn", "Enter your name"],
        PersonalIdLabel => ["Henkilötunnus", "Personbeteckning", "Personal identity code"],
        PersonalIdHint => ["Esimerkiksi 131052-308T. Neuvoja näkee sen vasta tapaamisessa.", "Till exempel 131052-308T. Handläggaren ser den först vid mötet.", "For example 131052-308T. Your advisor sees it only at the appointment."],
        PersonalIdMissing => ["Kirjoita henkilötunnuksesi", "Skriv din personbeteckning", "Enter your personal identity code"],
        PersonalIdInvalid => ["Henkilötunnus ei ole oikeaa muotoa: tarkista se, esimerkiksi 131052-308T", "Personbeteckningen har fel form: kontrollera den, till exempel 131052-308T", "The personal identity code is not valid: check it, for example 131052-308T"],
        EmailLabel => ["Sähköpostiosoite", "E-postadress", "Email address"],
        EmailHint => ["Lähetämme vahvistuksen ja muistutuksen tähän osoitteeseen.", "Vi skickar bekräftelsen och påminnelsen till den här adressen.", "We send the confirmation and a reminder to this address."],
        EmailMissing => ["Kirjoita sähköpostiosoitteesi", "Skriv din e-postadress", "Enter your email address"],
        EmailInvalid => ["Kirjoita sähköpostiosoite muodossa nimi@esimerkki.fi", "Skriv e-postadressen i formen namn@exempel.fi", "Enter an email address in the form name@example.com"],
        PhoneLabelRequired => ["Puhelinnumero", "Telefonnummer", "Phone number"],
        PhoneHintRequired => ["Neuvoja soittaa sinulle tähän numeroon.", "Handläggaren ringer dig på det här numret.", "Your advisor calls you at this number."],
        PhoneLabelOptional => ["Puhelinnumero (vapaaehtoinen)", "Telefonnummer (frivilligt)", "Phone number (optional)"],
        PhoneHintOptional => ["Jos meidän on tavoitettava sinut ennen tapaamista.", "Om vi behöver nå dig före mötet.", "In case we need to reach you before the appointment."],
        PhoneMissing => ["Kirjoita puhelinnumero, johon neuvoja soittaa", "Skriv telefonnumret som handläggaren ringer", "Enter the phone number your advisor should call"],
        PhoneInvalid => ["Kirjoita puhelinnumero muodossa 040 123 4567 tai +358 40 123 4567", "Skriv telefonnumret i formen 040 123 4567 eller +358 40 123 4567", "Enter a phone number like 040 123 4567 or +358 40 123 4567"],
        CheckTitle => ["Tarkista tiedot ennen varaamista", "Kontrollera uppgifterna innan du bokar", "Check your answers before booking"],
        CheckTopic => ["Asia", "Ärende", "Matter"],
        CheckChannel => ["Asiointitapa", "Sätt att uträtta ärendet", "How"],
        CheckOffice => ["Paikka", "Plats", "Place"],
        CheckLanguage => ["Kieli", "Språk", "Language"],
        CheckTime => ["Aika", "Tid", "Time"],
        CheckMatter => ["Kuvaus asiasta", "Beskrivning av ärendet", "About the matter"],
        Change => ["Muuta", "Ändra", "Change"],
        CheckSendTitle => ["Varaa aika", "Boka tiden", "Book the time"],
        CheckSendBody => ["Kun varaat ajan, lähetämme vahvistuksen sähköpostiisi.", "När du bokar tiden skickar vi en bekräftelse till din e-post.", "When you book, we send a confirmation to your email."],
        BookButton => ["Varaa aika", "Boka tiden", "Book appointment"],
        TooManyBookings => ["Sinulla on jo niin monta tulevaa varausta kuin voi olla kerralla. Peru jokin niistä tai soita meille.", "Du har redan så många kommande bokningar som är tillåtet. Avboka någon av dem eller ring oss.", "You already hold as many future bookings as allowed at once. Cancel one of them or call us."],
        BookingRefused => ["Aikaa ei voitu varata. Tarkista tiedot ja yritä uudelleen, tai soita meille.", "Tiden kunde inte bokas. Kontrollera uppgifterna och försök igen, eller ring oss.", "The time could not be booked. Check your answers and try again, or call us."],
        ConfirmationTitle => ["Aika on varattu", "Tiden är bokad", "Appointment booked"],
        YourReference => ["Varaustunnuksesi", "Din bokningskod", "Your booking reference"],
        Reference => ["Varaustunnus", "Bokningskod", "Booking reference"],
        ConfirmationSent => ["Lähetimme vahvistuksen osoitteeseen {email}.", "Vi har skickat en bekräftelse till {email}.", "We have sent a confirmation to {email}."],
        WeWillCall => ["Soitamme sinulle numeroon {phone}", "Vi ringer dig på numret {phone}", "We will call you at {phone}"],
        AddToCalendar => ["Lisää kalenteriin (.ics)", "Lägg till i kalendern (.ics)", "Add to calendar (.ics)"],
        ChangeTitle => ["Ajan siirtäminen tai peruminen", "Flytta eller avboka tiden", "Moving or cancelling"],
        ChangeUntil => ["Voit siirtää tai perua ajan verkossa {when} asti.", "Du kan flytta eller avboka tiden på nätet till {when}.", "You can move or cancel online until {when}."],
        ManageLink => ["Katso, siirrä tai peru varaus", "Se, flytta eller avboka bokningen", "View, move or cancel the booking"],
        ManageTitle => ["Varauksesi", "Din bokning", "Your booking"],
        StatusMoved => ["Tämä varaus on siirretty uuteen aikaan (varaustunnus {reference}). Uuden ajan linkki on viimeisimmässä viestissämme.", "Den här bokningen har flyttats till en ny tid (bokningskod {reference}). Länken till den nya tiden finns i vårt senaste meddelande.", "This booking was moved to a new time (reference {reference}). The link to the new time is in our latest message."],
        StatusCancelled => ["Tämä aika on peruttu.", "Den här tiden är avbokad.", "This appointment is cancelled."],
        StatusCancelledByOffice => ["Palvelupiste on perunut tämän ajan.", "Servicestället har avbokat den här tiden.", "The office has cancelled this appointment."],
        StatusInService => ["Asiointisi on käynnissä.", "Ditt ärende pågår.", "Your appointment is under way."],
        StatusCompleted => ["Tämä asiointi on päättynyt.", "Det här ärendet är avslutat.", "This appointment has taken place."],
        StatusMissed => ["Tämä aika on mennyt.", "Den här tiden har passerat.", "This appointment has passed."],
        ChangesClosed => ["Aikaa ei voi enää siirtää tai perua verkossa.", "Tiden kan inte längre flyttas eller avbokas på nätet.", "The appointment can no longer be moved or cancelled online."],
        CallOffice => ["Soita: {office}, {phone}.", "Ring: {office}, {phone}.", "Call: {office}, {phone}."],
        MoveLink => ["Siirrä aikaa", "Flytta tiden", "Move the appointment"],
        CancelLink => ["Peru aika", "Avboka tiden", "Cancel the appointment"],
        BookNew => ["Varaa uusi aika", "Boka en ny tid", "Book a new appointment"],
        MovedNotice => ["Aika on siirretty. Lähetämme uuden vahvistuksen sähköpostiisi.", "Tiden har flyttats. Vi skickar en ny bekräftelse till din e-post.", "Your appointment has been moved. We are sending a new confirmation to your email."],
        CancelledNotice => ["Aika on peruttu. Lähetämme vahvistuksen perumisesta sähköpostiisi.", "Tiden är avbokad. Vi skickar en bekräftelse på avbokningen till din e-post.", "Your appointment has been cancelled. We are sending a confirmation to your email."],
        CancelTitle => ["Ajan peruminen", "Avboka tiden", "Cancel the appointment"],
        CancelQuestion => ["Perutaanko aika {when}?", "Ska tiden {when} avbokas?", "Cancel the appointment on {when}?"],
        CancelYes => ["Kyllä, peru aika", "Ja, avboka tiden", "Yes, cancel it"],
        CancelNo => ["Ei, pidä aika", "Nej, behåll tiden", "No, keep it"],
        MoveTitle => ["Ajan siirtäminen", "Flytta tiden", "Move the appointment"],
        MoveQuestion => ["Valitse uusi aika", "Välj en ny tid", "Choose a new time"],
        MovingFrom => ["Nykyinen aika: {when}", "Nuvarande tid: {when}", "Current time: {when}"],
        MoveConfirmQuestion => ["Siirretäänkö aika {old} uuteen aikaan {new}?", "Ska tiden {old} flyttas till {new}?", "Move the appointment on {old} to {new}?"],
        MoveYes => ["Kyllä, siirrä aika", "Ja, flytta tiden", "Yes, move it"],
        MoveNo => ["Ei, pidä nykyinen aika", "Nej, behåll den nuvarande tiden", "No, keep the current time"],
        ResendTitle => ["Pyydä varauksen linkki uudelleen", "Be om länken till bokningen på nytt", "Ask for your booking link again"],
        ResendIntro => ["Kirjoita varaustunnus ja sähköpostiosoite, jonka annoit varatessasi. Jos ne vastaavat varausta, lähetämme vahvistuksen ja linkin uudelleen.", "Skriv bokningskoden och e-postadressen du angav när du bokade. Om de stämmer med en bokning skickar vi bekräftelsen och länken på nytt.", "Enter the booking reference and the email address you gave when booking. If they match a booking, we send the confirmation and its link again."],
        ReferenceHint => ["Esimerkiksi K7M-4QX-9TD", "Till exempel K7M-4QX-9TD", "For example K7M-4QX-9TD"],
        ReferenceMissing => ["Kirjoita varaustunnus", "Skriv bokningskoden", "Enter the booking reference"],
        ResendButton => ["Lähetä linkki", "Skicka länken", "Send the link"],
        ResendSentTitle => ["Pyyntö vastaanotettu", "Begäran har tagits emot", "Request received"],
        ResendSentBody => ["Jos tiedot vastaavat voimassa olevaa varausta, lähetämme linkin sähköpostiisi muutaman minuutin kuluessa.", "Om uppgifterna stämmer med en giltig bokning skickar vi länken till din e-post inom några minuter.", "If the details match a current booking, we send the link to your email within a few minutes."],
        LinkInvalidTitle => ["Linkki ei ole voimassa", "Länken är inte giltig", "This link is not valid"],
        LinkInvalidBody => ["Linkki on muuttunut tai se kuuluu toiseen varaukseen. Käytä viestissä ollutta linkkiä sellaisenaan.", "Länken har ändrats eller hör till en annan bokning. Använd länken i meddelandet som den är.", "The link has been changed or belongs to another booking. Use the link in the message as it is."],
        LinkExpiredTitle => ["Linkki on vanhentunut", "Länken har gått ut", "This link has expired"],
        LinkExpiredBody => ["Linkin voimassaolo on päättynyt.", "Länkens giltighetstid har gått ut.", "The link is no longer valid."],
        FormRefusedTitle => ["Lomaketta ei voitu käsitellä", "Formuläret kunde inte behandlas", "The form could not be accepted"],
        FormRefusedBody => ["Lomake ei tullut tämän palvelun sivulta tai se on vanhentunut. Avaa sivu uudelleen ja yritä uudestaan.", "Formuläret kom inte från den här tjänstens sida eller har gått ut. Öppna sidan på nytt och försök igen.", "The form did not come from this service's page or has expired. Open the page again and try again."],
        TooManyTitle => ["Liian monta yritystä", "För många försök", "Too many attempts"],
        UnavailableTitle => ["Palvelu ei ole juuri nyt käytettävissä", "Tjänsten är inte tillgänglig just nu", "The service is not available right now"],
        InternalTitle => ["Jokin meni vikaan", "Något gick fel", "Something went wrong"],
        RateLimitedBody => ["Samasta yhteydestä on tehty lyhyessä ajassa niin monta varausta tai hakua, että palvelu pyytää odottamaan. Yritä myöhemmin uudelleen tai varaa aika puhelimitse.", "Från samma anslutning har det gjorts så många bokningar eller sökningar på kort tid att tjänsten ber dig vänta. Försök igen senare eller boka tid per telefon.", "So many bookings or searches have come from the same connection in a short time that the service asks you to wait. Please try again later, or book by phone."],
        TryAgainShortly => ["Yritä hetken kuluttua uudelleen. Tietojasi ei ole menetetty.", "Försök igen om en stund. Dina uppgifter har inte gått förlorade.", "Please try again shortly. Nothing you entered has been lost."],
        AnsweredTitle => ["Kyselyyn on jo vastattu", "Enkäten är redan besvarad", "This questionnaire has already been answered"],
        AnsweredBody => ["Kyselyyn voi vastata kerran. Kiitos vastauksestasi!", "Enkäten kan besvaras en gång. Tack för ditt svar!", "The questionnaire can be answered once. Thank you for your answer!"],
        AnswerMissing => ["Vastaa tähän kysymykseen", "Svara på den här frågan", "Answer this question"],
        AnswerInvalid => ["Valitse jokin vaihtoehdoista", "Välj ett av alternativen", "Choose one of the options"],
        SendAnswers => ["Lähetä vastaukset", "Skicka svaren", "Send answers"],
        ThanksTitle => ["Kiitos vastauksistasi", "Tack för dina svar", "Thank you for your answers"],
        ThanksBody => ["Vastauksesi käsitellään nimettöminä, ja ne auttavat kehittämään palvelua.", "Dina svar behandlas anonymt och hjälper oss att utveckla servicen.", "Your answers are handled anonymously and help us improve the service."],
        NpsLow => ["ei lainkaan todennäköistä", "inte alls sannolikt", "not at all likely"],
        NpsHigh => ["erittäin todennäköistä", "mycket sannolikt", "extremely likely"],
        CsatLow => ["erittäin tyytymätön", "mycket missnöjd", "very dissatisfied"],
        CsatHigh => ["erittäin tyytyväinen", "mycket nöjd", "very satisfied"],
        CesLow => ["erittäin vaikeaa", "mycket svårt", "very difficult"],
        CesHigh => ["erittäin helppoa", "mycket lätt", "very easy"],
        Yes => ["Kyllä", "Ja", "Yes"],
        No => ["Ei", "Nej", "No"],
        ForbiddenTitle => ["Ei käyttöoikeutta", "Ingen behörighet", "No access"],
        ForbiddenBody => [
            "Sinulla ei ole oikeutta tähän sivuun. Jos tarvitset sitä työssäsi, pyydä oikeutta esihenkilöltäsi.",
            "Du har inte behörighet till den här sidan. Om du behöver den i ditt arbete, be din chef om behörighet.",
            "You do not have access to this page. If you need it for your work, ask your manager for access.",
        ],
        SignedOutTitle => ["Istunto on päättynyt", "Sessionen har gått ut", "Your session has ended"],
        SignedOutBody => [
            "Mitään ei tallennettu. Kirjaudu uudelleen ja tee muutos uudestaan.",
            "Ingenting sparades. Logga in igen och gör ändringen på nytt.",
            "Nothing was saved. Sign in again and make the change again.",
        ],
        BadFormBody => [
            "Lomakkeen tietoja ei voitu lukea, eikä mitään tallennettu. Palaa edelliselle sivulle ja yritä uudelleen.",
            "Formulärets uppgifter kunde inte läsas och ingenting sparades. Gå tillbaka och försök igen.",
            "The form could not be read and nothing was saved. Go back and try again.",
        ],
        SignInAgain => ["Kirjaudu uudelleen", "Logga in igen", "Sign in again"],
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
    fill_in(entry(text)[index(locale)], values)
}

fn fill_in(template: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(template.to_owned(), |s, (name, value)| s.replace(&format!("{{{name}}}"), value))
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

    /// A staff page's text: `{{ c.t.s(S::MyDay) }}`.
    pub fn s(&self, text: StaffText) -> &'static str {
        staff::get(self.0, text)
    }

    pub fn fill_s(&self, text: StaffText, values: &[(&str, &str)]) -> String {
        fill_in(self.s(text), values)
    }

    /// An admin page's text: `{{ c.t.a(A::UsersTitle) }}`.
    pub fn a(&self, text: AdminText) -> &'static str {
        admin::get(self.0, text)
    }

    pub fn fill_a(&self, text: AdminText, values: &[(&str, &str)]) -> String {
        fill_in(self.a(text), values)
    }

    /// A pilot page's text: `{{ c.t.p(P::Dashboard) }}`.
    pub fn p(&self, text: PilotText) -> &'static str {
        pilot::get(self.0, text)
    }

    pub fn fill_p(&self, text: PilotText, values: &[(&str, &str)]) -> String {
        fill_in(self.p(text), values)
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
