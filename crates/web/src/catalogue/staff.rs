//! The staff pages' texts, in Finnish, Swedish and English, kept apart from the citizens'
//! so each list stays readable. The same rule: a missing translation does not compile.

use aukiolo_domain::Locale;

macro_rules! staff_texts {
    ($($name:ident),* $(,)?) => {
        /// A text of the staff pages.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum StaffText {
            $($name),*
        }

        impl StaffText {
            pub const ALL: &'static [StaffText] = &[$(StaffText::$name),*];
        }
    };
}

staff_texts! {
    StaffArea,
    StaffNav,
    SignInTitle,
    SignInButton,
    Email,
    Password,
    EmailMissing,
    PasswordMissing,
    WrongCredentials,
    Throttled,
    SignedOutNotice,
    SignOut,
    SignedInAs,
    MyDay,
    DayTitle,
    Today,
    Tomorrow,
    NextDays,
    Summary,
    SummaryBooked,
    SummaryFree,
    SummaryNoShows,
    SummaryWalkIns,
    Waiting,
    NotLinked,
    NoBookings,
    Time,
    Channel,
    Topic,
    Language,
    Needs,
    Matter,
    Contact,
    Status,
    Actions,
    Interpreter,
    Accessibility,
    ChannelOffice,
    ChannelPhone,
    StatusBooked,
    StatusArrived,
    StatusInService,
    StatusCompleted,
    StatusNoShow,
    StatusCancelledByCitizen,
    StatusCancelledByOffice,
    StatusNotReached,
    ActArrive,
    ActStart,
    ActComplete,
    ActNoShow,
    ActCancel,
    ActReinstate,
    CallReached,
    CallNoAnswer,
    Called,
    Open,
    BookingTitle,
    Reference,
    When,
    Office,
    Advisor,
    BookedBy,
    Name,
    IdentityCode,
    ShowIdentityCode,
    IdentityShownNotice,
    Phone,
    History,
    HistoryWhen,
    HistoryWhat,
    HistoryWho,
    CallAttempts,
    NoCallAttempts,
    Reached,
    NotReached,
    CancelTitle,
    CancelReason,
    CancelReasonHint,
    CancelButton,
    Changed,
    ChangeRefused,
    ByCitizen,
    BySystem,
    ByStaff,
    BookedByCitizen,
    BookedByAdvisor,
    BookedByPhoneService,
    BookedByWalkIn,
    PreviousDay,
    NextDay,
    Print,
}

/// (fi, sv, en)
fn entry(text: StaffText) -> [&'static str; 3] {
    use StaffText::*;
    match text {
        StaffArea => ["Henkilökunta", "Personal", "Staff"],
        StaffNav => ["Henkilökunnan sivut", "Personalens sidor", "Staff pages"],
        SignInTitle => ["Kirjaudu henkilökunnan sivuille", "Logga in på personalens sidor", "Sign in to the staff pages"],
        SignInButton => ["Kirjaudu", "Logga in", "Sign in"],
        Email => ["Sähköposti", "E-post", "E-mail"],
        Password => ["Salasana", "Lösenord", "Password"],
        EmailMissing => ["Kirjoita sähköpostiosoitteesi", "Skriv din e-postadress", "Enter your e-mail address"],
        PasswordMissing => ["Kirjoita salasanasi", "Skriv ditt lösenord", "Enter your password"],
        WrongCredentials => [
            "Sähköposti tai salasana on väärin",
            "E-postadressen eller lösenordet är fel",
            "The e-mail address or password is wrong",
        ],
        Throttled => [
            "Liian monta epäonnistunutta yritystä. Yritä uudelleen {minutes} min kuluttua.",
            "För många misslyckade försök. Försök igen om {minutes} min.",
            "Too many failed attempts. Try again in {minutes} min.",
        ],
        SignedOutNotice => ["Olet kirjautunut ulos.", "Du har loggat ut.", "You have signed out."],
        SignOut => ["Kirjaudu ulos", "Logga ut", "Sign out"],
        SignedInAs => ["Kirjautuneena: {email}", "Inloggad: {email}", "Signed in: {email}"],
        MyDay => ["Oma päivä", "Min dag", "My day"],
        DayTitle => ["Oma päivä: {day}", "Min dag: {day}", "My day: {day}"],
        Today => ["Tänään", "I dag", "Today"],
        Tomorrow => ["Huomenna", "I morgon", "Tomorrow"],
        NextDays => ["Seuraavat päivät", "Följande dagar", "Next days"],
        Summary => ["Yhteenveto", "Sammanfattning", "Summary"],
        SummaryBooked => ["Varattuja", "Bokade", "Booked"],
        SummaryFree => ["Vapaita", "Lediga", "Free"],
        SummaryNoShows => ["Ei saapunut", "Kom inte", "Did not come"],
        SummaryWalkIns => ["Ilman ajanvarausta (toimipiste)", "Utan tidsbokning (verksamhetsstället)", "Walk-ins (office)"],
        Waiting => [
            "{count} käyntiä odottaa kirjaamista",
            "{count} besök väntar på att registreras",
            "{count} visits waiting to be recorded",
        ],
        NotLinked => [
            "Tunnustasi ei ole liitetty asiantuntijaan, joten sinulla ei ole omaa päivää. Pyydä toimipisteen esihenkilöä liittämään se.",
            "Ditt konto är inte kopplat till en handläggare, så du har ingen egen dag. Be verksamhetsställets chef att koppla det.",
            "Your account is not linked to an advisor, so you have no day of your own. Ask your office manager to link it.",
        ],
        NoBookings => ["Ei varauksia tänä päivänä.", "Inga bokningar den här dagen.", "No bookings on this day."],
        Time => ["Aika", "Tid", "Time"],
        Channel => ["Kanava", "Kanal", "Channel"],
        Topic => ["Asia", "Ärende", "Topic"],
        Language => ["Kieli", "Språk", "Language"],
        Needs => ["Tarpeet", "Behov", "Needs"],
        Matter => ["Asiakkaan kuvaus", "Kundens beskrivning", "The matter"],
        Contact => ["Yhteystiedot", "Kontaktuppgifter", "Contact"],
        Status => ["Tila", "Status", "Status"],
        Actions => ["Toiminnot", "Åtgärder", "Actions"],
        Interpreter => ["Tulkki: {language}", "Tolk: {language}", "Interpreter: {language}"],
        Accessibility => ["Saavutettavuus: {need}", "Tillgänglighet: {need}", "Accessibility: {need}"],
        ChannelOffice => ["Toimipiste", "Verksamhetsställe", "Office"],
        ChannelPhone => ["Puhelin", "Telefon", "Phone"],
        StatusBooked => ["Varattu", "Bokad", "Booked"],
        StatusArrived => ["Saapunut", "Anlänt", "Arrived"],
        StatusInService => ["Palvelussa", "Under betjäning", "In service"],
        StatusCompleted => ["Käynti päättynyt", "Besöket avslutat", "Completed"],
        StatusNoShow => ["Ei saapunut", "Kom inte", "Did not come"],
        StatusCancelledByCitizen => ["Asiakas perui", "Kunden avbokade", "Cancelled by the citizen"],
        StatusCancelledByOffice => ["Toimipiste perui", "Verksamhetsstället avbokade", "Cancelled by the office"],
        StatusNotReached => ["Ei tavoitettu", "Nåddes inte", "Not reached"],
        ActArrive => ["Saapui", "Anlände", "Arrived"],
        ActStart => ["Aloita", "Börja", "Start"],
        ActComplete => ["Päätä käynti", "Avsluta besöket", "Complete"],
        ActNoShow => ["Ei saapunut", "Kom inte", "Did not come"],
        ActCancel => ["Peru…", "Avboka…", "Cancel…"],
        ActReinstate => ["Korjaa: palauta varatuksi", "Rätta: återställ till bokad", "Correct: back to booked"],
        CallReached => ["Soitettu: tavoitettu", "Ringt: nåddes", "Called: reached"],
        CallNoAnswer => ["Soitettu: ei vastausta", "Ringt: inget svar", "Called: no answer"],
        Called => ["Soittoja ilman vastausta: {count}/{max}", "Samtal utan svar: {count}/{max}", "Unanswered calls: {count}/{max}"],
        Open => ["Avaa", "Öppna", "Open"],
        BookingTitle => ["Varaus {reference}", "Bokning {reference}", "Booking {reference}"],
        Reference => ["Varaustunnus", "Bokningskod", "Reference"],
        When => ["Aika", "Tid", "When"],
        Office => ["Toimipiste", "Verksamhetsställe", "Office"],
        Advisor => ["Asiantuntija", "Handläggare", "Advisor"],
        BookedBy => ["Varaaja", "Bokad av", "Booked by"],
        Name => ["Nimi", "Namn", "Name"],
        IdentityCode => ["Henkilötunnus", "Personbeteckning", "Identity code"],
        ShowIdentityCode => ["Näytä henkilötunnus", "Visa personbeteckningen", "Show identity code"],
        IdentityShownNotice => [
            "Henkilötunnuksen näyttäminen kirjattiin lokiin.",
            "Att personbeteckningen visades har loggats.",
            "Showing the identity code was logged.",
        ],
        Phone => ["Puhelin", "Telefon", "Phone"],
        History => ["Tapahtumat", "Händelser", "History"],
        HistoryWhen => ["Milloin", "När", "When"],
        HistoryWhat => ["Mitä", "Vad", "What"],
        HistoryWho => ["Kuka", "Vem", "Who"],
        CallAttempts => ["Soittoyritykset", "Samtalsförsök", "Call attempts"],
        NoCallAttempts => ["Ei soittoyrityksiä.", "Inga samtalsförsök.", "No call attempts."],
        Reached => ["tavoitettu", "nåddes", "reached"],
        NotReached => ["ei vastausta", "inget svar", "no answer"],
        CancelTitle => ["Peru varaus", "Avboka bokningen", "Cancel the booking"],
        CancelReason => ["Syy", "Orsak", "Reason"],
        CancelReasonHint => [
            "Kerrotaan asiakkaalle sähköpostissa, joka kertoo perumisesta.",
            "Berättas för kunden i e-postmeddelandet om avbokningen.",
            "Told to the citizen in the cancellation e-mail.",
        ],
        CancelButton => ["Peru varaus ja ilmoita asiakkaalle", "Avboka och meddela kunden", "Cancel and tell the citizen"],
        Changed => ["Tallennettu: {what}.", "Sparat: {what}.", "Saved: {what}."],
        ChangeRefused => ["Muutosta ei tehty: {why}", "Ändringen gjordes inte: {why}", "Not changed: {why}"],
        ByCitizen => ["asiakas", "kunden", "the citizen"],
        BySystem => ["järjestelmä", "systemet", "the system"],
        ByStaff => ["henkilökunta", "personalen", "staff"],
        BookedByCitizen => ["asiakas itse", "kunden själv", "the citizen"],
        BookedByAdvisor => ["asiantuntija", "handläggare", "an advisor"],
        BookedByPhoneService => ["puhelinpalvelu", "telefonservicen", "the phone service"],
        BookedByWalkIn => ["ilman ajanvarausta tullut", "kom utan tidsbokning", "a walk-in"],
        PreviousDay => ["Edellinen päivä", "Föregående dag", "Previous day"],
        NextDay => ["Seuraava päivä", "Nästa dag", "Next day"],
        Print => ["Tulosta päivä", "Skriv ut dagen", "Print the day"],
    }
}

pub(super) fn get(locale: Locale, text: StaffText) -> &'static str {
    entry(text)[super::index(locale)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_staff_text_is_empty() {
        for &text in StaffText::ALL {
            let [fi, sv, en] = entry(text);
            assert!(!fi.trim().is_empty() && !sv.trim().is_empty() && !en.trim().is_empty(), "{text:?}");
            assert!(fi != en, "{text:?} is the same in Finnish and English");
        }
    }
}
