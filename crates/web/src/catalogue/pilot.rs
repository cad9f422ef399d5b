//! The pilot lead's pages' texts, in Finnish, Swedish and English: the dashboard, a
//! measure over time and the instruments. A missing translation does not compile.

use aukiolo_domain::Locale;

macro_rules! pilot_texts {
    ($($name:ident),* $(,)?) => {
        /// A text of the pilot pages.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum PilotText {
            $($name),*
        }

        impl PilotText {
            pub const ALL: &'static [PilotText] = &[$(PilotText::$name),*];
        }
    };
}

pilot_texts! {
    PilotArea,
    Dashboard,
    DashboardTitle,
    DashboardIntro,
    Period,
    PeriodHint,
    From,
    To,
    Show,
    Presets,
    PresetLast4,
    PresetSinceStart,
    PresetAround,
    PeriodShown,
    DateInvalid,
    ToBeforeFrom,
    PeriodTooLong,
    PilotVsControl,
    PilotVsControlIntro,
    Measure,
    Pilot,
    Control,
    Difference,
    Interval,
    Count,
    Withheld,
    NoValue,
    OverTime,
    Change,
    ChangeIntro,
    NoPilotStart,
    Before,
    After,
    PilotChange,
    ControlChange,
    Did,
    Method,
    MethodText,
    MethodDid,
    UnitShare,
    UnitPoints,
    UnitScore,
    UnitMinutes,
    UnitHours,
    ForestTitle,
    ForestDesc,
    DidForestTitle,
    DidForestDesc,
    Csv,
    CsvFinnish,
    MeasureTitle,
    MeasureIntro,
    UnknownMeasure,
    Week,
    Office,
    SeriesTitle,
    SeriesDesc,
    PilotStart,
    ByGroupWeek,
    ByOfficeWeek,
    BackToDashboard,
    InstrumentsNav,
    Questionnaire,
    QuestionnaireIntro,
    Assessments,
    AssessmentsIntro,
    WalkIns,
    WalkInsIntro,
    Answer,
    Share,
    ResponsesCount,
    AssessmentsCount,
    WalkInsCount,
    NoneKnown,
    BarsTitle,
    BarsDesc,
    MSelfService,
    MLeadTime,
    MUtilisation,
    MNoShow,
    MLateCancellation,
    MPunctuality,
    MWaiting,
    MService,
    MFirstContact,
    MSubstitutable,
    MWalkInShare,
    MNps,
    MCsat,
    MCsatTopBox,
    MCes,
    MPrefersAppointment,
    MKnowsOnline,
    MKnowsPhone,
    MKnowsPartnerPoint,
    MKnowsChat,
    MCouldOnlineYes,
    MCouldOnlinePartly,
    MResponseRate,
}

fn entry(text: PilotText) -> [&'static str; 3] {
    use PilotText::*;
    match text {
        PilotArea => ["Pilotti", "Piloten", "Pilot"],
        Dashboard => ["Pilotin tulokset", "Pilotens resultat", "Pilot results"],
        DashboardTitle => ["Pilotin tulokset {from}–{to}", "Pilotens resultat {from}–{to}", "Pilot results {from}–{to}"],
        DashboardIntro => [
            "Muuttaako ajanvaraukseen perustuva palvelu asiakaskokemusta, tuntevatko asiakkaat muut asiointikanavat ja olisiko asian voinut hoitaa muualla? Jokainen mittari pilotti- ja verrokkitoimipisteissä, niiden erotus ja sen 95 %:n luottamusväli. Kyselyn luvut jätetään näyttämättä, kun vastauksia on alle viisi.",
            "Förändrar service enbart med tidsbokning kundupplevelsen, känner kunderna till de andra kanalerna och kunde ärendet ha skötts på annat sätt? Varje mått på pilot- och kontrollkontoren, skillnaden och dess 95 % konfidensintervall. Enkätens siffror visas inte när det finns färre än fem svar.",
            "Does appointment-only service change the customer experience, do customers know the other channels, could the matter have been handled elsewhere? Each measure at the pilot and the control offices, the difference and its 95 % confidence interval. Questionnaire figures of fewer than five responses are withheld.",
        ],
        Period => ["Ajanjakso", "Period", "Period"],
        PeriodHint => ["Päivät muodossa P.K.VVVV; molemmat päivät mukaan lukien.", "Datum i formen D.M.ÅÅÅÅ; båda dagarna inräknade.", "Dates as D.M.YYYY; both days included."],
        From => ["Ensimmäinen päivä", "Första dagen", "First day"],
        To => ["Viimeinen päivä", "Sista dagen", "Last day"],
        Show => ["Näytä", "Visa", "Show"],
        Presets => ["Valmiit ajanjaksot", "Färdiga perioder", "Ready periods"],
        PresetLast4 => ["Viimeiset 4 viikkoa", "De senaste 4 veckorna", "Last 4 weeks"],
        PresetSinceStart => ["Pilotin alusta", "Sedan pilotens start", "Since the pilot start"],
        PresetAround => ["Pilotti ja yhtä pitkä aika ennen sitä", "Piloten och lika lång tid före den", "The pilot and as long before it"],
        PeriodShown => ["Näytetään {from}–{to}.", "Visar {from}–{to}.", "Showing {from}–{to}."],
        DateInvalid => ["Kirjoita päivä muodossa P.K.VVVV", "Skriv datumet i formen D.M.ÅÅÅÅ", "Enter the date as D.M.YYYY"],
        ToBeforeFrom => ["Viimeinen päivä ei voi olla ennen ensimmäistä", "Sista dagen kan inte vara före den första", "The last day cannot be before the first"],
        PeriodTooLong => ["Ajanjakso voi olla enintään kaksi vuotta", "Perioden får vara högst två år", "The period may be at most two years"],
        PilotVsControl => ["Pilotti verrattuna verrokkeihin", "Piloten jämfört med kontrollgruppen", "Pilot against control"],
        PilotVsControlIntro => [
            "Erotus on pilotti miinus verrokki. Väli kertoo, kuinka epävarma erotus on: jos se sisältää nollan, eroa ei voi erottaa sattumasta.",
            "Skillnaden är piloten minus kontrollgruppen. Intervallet visar hur osäker skillnaden är: om det innehåller noll kan skillnaden inte skiljas från slumpen.",
            "The difference is pilot minus control. The interval shows how uncertain it is: when it holds zero, the difference cannot be told apart from chance.",
        ],
        Measure => ["Mittari", "Mått", "Measure"],
        Pilot => ["Pilotti", "Pilot", "Pilot"],
        Control => ["Verrokki", "Kontroll", "Control"],
        Difference => ["Erotus", "Skillnad", "Difference"],
        Interval => ["95 %:n luottamusväli", "95 % konfidensintervall", "95 % interval"],
        Count => ["n (pilotti / verrokki)", "n (pilot / kontroll)", "n (pilot / control)"],
        Withheld => ["ei näytetä (alle 5 vastausta)", "visas inte (färre än 5 svar)", "withheld (fewer than 5 responses)"],
        NoValue => ["ei tietoa", "inga uppgifter", "no data"],
        OverTime => ["viikoittain", "vecka för vecka", "week by week"],
        Change => ["Ennen pilotin alkua ja sen jälkeen", "Före och efter pilotens start", "Before and after the pilot start"],
        ChangeIntro => [
            "Molemmat ryhmät jaetaan pilotin alkamispäivänä {date}. Pilotin muutos miinus verrokkien muutos on erotusten erotus: se poistaa muutoksen, joka olisi tapahtunut ilman pilottiakin (esimerkiksi vuodenajan vaikutuksen).",
            "Båda grupperna delas vid pilotens startdag {date}. Pilotens förändring minus kontrollgruppens förändring är skillnaden i skillnader: den tar bort den förändring som skulle ha skett även utan piloten (till exempel årstidens inverkan).",
            "Both groups are split at the pilot start, {date}. The pilot's change minus the control group's change is the difference in differences: it removes the change that would have happened without the pilot too (the season, for example).",
        ],
        NoPilotStart => ["Yhdelläkään pilottitoimipisteellä ei ole alkamispäivää, joten ennen ja jälkeen -vertailua ei ole.", "Inget pilotkontor har något startdatum, så det finns ingen jämförelse före och efter.", "No pilot office has a pilot start date, so there is no before and after."],
        Before => ["ennen", "före", "before"],
        After => ["jälkeen", "efter", "after"],
        PilotChange => ["Pilotin muutos", "Pilotens förändring", "Pilot's change"],
        ControlChange => ["Verrokkien muutos", "Kontrollgruppens förändring", "Control's change"],
        Did => ["Erotusten erotus", "Skillnad i skillnader", "Difference in differences"],
        Method => ["Menetelmä", "Metod", "Method"],
        MethodText => [
            "Osuuksien erotuksen väli on Newcomben hybridi-score-väli, keskiarvojen Welchin t-väli, mediaanien Bonettin ja Pricen väli ja NPS:n Wald-väli trinomijakaumalle. Varaukset lasketaan käynnin päivän mukaan, kyselyvastaukset käyntiviikon mukaan.",
            "Intervallet för skillnaden mellan andelar är Newcombes hybrid-score-intervall, för medelvärden Welchs t-intervall, för medianer Bonetts och Prices intervall och för NPS Wald-intervallet för trinomialfördelningen. Bokningar räknas enligt besöksdagen, enkätsvar enligt besöksveckan.",
            "Intervals: Newcombe's hybrid score interval for differences of shares, Welch's t interval for means, Bonett and Price's interval for medians, and the Wald interval on the trinomial for the NPS. Bookings count by the day of the visit, questionnaire responses by the week of the visit.",
        ],
        MethodDid => [
            "Erotusten erotus on (pilotti jälkeen − pilotti ennen) − (verrokki jälkeen − verrokki ennen). Ryhmät ovat riippumattomia otoksia, joten väli yhdistää neljän ryhmän epävarmuuden: osuuksille MOVER-väli Wilsonin väleistä (Zou ja Donner 2008), keskiarvoille Welchin t-väli Satterthwaiten vapausasteilla, mediaaneille ja NPS:lle keskivirheiden neliösumma. Kyselyvastaukset lasketaan kokonaisina viikkoina; viikko, jonka aikana pilotti alkoi, ei kuulu kumpaankaan puoleen.",
            "Skillnaden i skillnader är (piloten efter − piloten före) − (kontroll efter − kontroll före). Grupperna är oberoende urval, så intervallet förenar fyra gruppers osäkerhet: för andelar MOVER-intervallet av Wilsonintervall (Zou och Donner 2008), för medelvärden Welchs t-intervall med Satterthwaites frihetsgrader, för medianer och NPS kvadratsumman av medelfelen. Enkätsvar räknas i hela veckor; veckan då piloten startade hör till ingendera sidan.",
            "The difference in differences is (pilot after − pilot before) − (control after − control before). The four groups are independent samples, so the interval combines their uncertainty: for shares MOVER from Wilson intervals (Zou and Donner 2008), for means Welch's t with Satterthwaite's degrees of freedom, for medians and the NPS the root sum of squared standard errors. Questionnaire responses count in whole weeks; the week in which the pilot started is on neither side.",
        ],
        UnitShare => ["Osuudet, % (erotukset prosenttiyksikköinä)", "Andelar, % (skillnader i procentenheter)", "Shares, % (differences in percentage points)"],
        UnitPoints => ["Suositteluindeksi NPS, pisteet", "Rekommendationsindex NPS, poäng", "Net Promoter Score, points"],
        UnitScore => ["Arviot asteikolla", "Betyg på skala", "Scores on a scale"],
        UnitMinutes => ["Kestot, minuuttia (mediaani)", "Tider, minuter (median)", "Durations, minutes (median)"],
        UnitHours => ["Varauksesta käyntiin, tuntia (mediaani)", "Från bokning till besök, timmar (median)", "Booking to visit, hours (median)"],
        ForestTitle => ["{unit}: pilotti miinus verrokki", "{unit}: pilot minus kontroll", "{unit}: pilot minus control"],
        ForestDesc => [
            "Jokaisen mittarin erotus neliönä ja sen 95 %:n luottamusväli viivana; katkoviiva on nolla eli ei eroa. Samat luvut ovat kaavion jälkeisessä taulukossa.",
            "Varje måtts skillnad som en kvadrat och dess 95 % konfidensintervall som en linje; den streckade linjen är noll, ingen skillnad. Samma siffror finns i tabellen efter diagrammet.",
            "Each measure's difference as a square and its 95 % interval as a line; the dashed line is zero, no difference. The table after the chart holds the same numbers.",
        ],
        DidForestTitle => ["{unit}: erotusten erotus", "{unit}: skillnad i skillnader", "{unit}: difference in differences"],
        DidForestDesc => [
            "Jokaisen mittarin erotusten erotus neliönä ja sen 95 %:n luottamusväli viivana; katkoviiva on nolla. Samat luvut ovat kaavion jälkeisessä taulukossa.",
            "Varje måtts skillnad i skillnader som en kvadrat och dess 95 % konfidensintervall som en linje; den streckade linjen är noll. Samma siffror finns i tabellen efter diagrammet.",
            "Each measure's difference in differences as a square and its 95 % interval as a line; the dashed line is zero. The table after the chart holds the same numbers.",
        ],
        Csv => ["Lataa taulukot CSV-tiedostona", "Ladda ner tabellerna som CSV-fil", "Download the tables as CSV"],
        CsvFinnish => ["CSV suomalaiselle taulukkolaskennalle (puolipisteet, desimaalipilkut)", "CSV för finländska kalkylprogram (semikolon, decimalkomma)", "CSV for Finnish spreadsheet software (semicolons, decimal commas)"],
        MeasureTitle => ["{measure} viikoittain", "{measure} vecka för vecka", "{measure} week by week"],
        MeasureIntro => ["{from}–{to}. Viikot ovat ISO-viikkoja; kyselyn luvut jätetään näyttämättä viikoilta, joilla vastauksia on alle viisi.", "{from}–{to}. Veckorna är ISO-veckor; enkätens siffror visas inte för veckor med färre än fem svar.", "{from}–{to}. Weeks are ISO weeks; questionnaire figures of weeks with fewer than five responses are withheld."],
        UnknownMeasure => ["Tällaista mittaria ei ole.", "Det finns inget sådant mått.", "There is no such measure."],
        Week => ["Viikko", "Vecka", "Week"],
        Office => ["Toimipiste", "Verksamhetsställe", "Office"],
        SeriesTitle => ["{measure}: pilotti ja verrokki viikoittain", "{measure}: pilot och kontroll vecka för vecka", "{measure}: pilot and control week by week"],
        SeriesDesc => [
            "Pilotti yhtenäisenä viivana ympyröin, verrokki katkoviivana neliöin; pystysuora katkoviiva on pilotin alku. Puuttuva viikko katkaisee viivan. Samat luvut ovat kaavion jälkeisessä taulukossa.",
            "Piloten som heldragen linje med cirklar, kontrollgruppen som streckad linje med kvadrater; den lodräta streckade linjen är pilotens start. En vecka som saknas bryter linjen. Samma siffror finns i tabellen efter diagrammet.",
            "The pilot as a solid line with circles, control as a dashed line with squares; the vertical dashed line is the pilot start. A missing week breaks the line. The table after the chart holds the same numbers.",
        ],
        PilotStart => ["Pilotin alku", "Pilotens start", "Pilot start"],
        ByGroupWeek => ["Pilotti ja verrokki viikoittain", "Pilot och kontroll vecka för vecka", "Pilot and control by week"],
        ByOfficeWeek => ["Toimipisteittäin ja viikoittain", "Per verksamhetsställe och vecka", "By office and week"],
        BackToDashboard => ["Takaisin pilotin tuloksiin", "Tillbaka till pilotens resultat", "Back to the pilot results"],
        InstrumentsNav => ["Pilotin mittarit", "Pilotens instrument", "The pilot's instruments"],
        Questionnaire => ["Asiakaskysely", "Kundenkät", "Customer questionnaire"],
        QuestionnaireIntro => [
            "Jokaisen kysymyksen vastaukset pilotti- ja verrokkitoimipisteissä. Kysymykset ovat samat kuin asiakkaan lomakkeella; ryhmän vastauksia ei näytetä, jos niitä on alle viisi.",
            "Svaren på varje fråga på pilot- och kontrollkontoren. Frågorna är desamma som på kundens formulär; en grupps svar visas inte om de är färre än fem.",
            "The answers to each question at the pilot and the control offices. The questions are those of the citizen's form; a group's answers are withheld when it has fewer than five responses.",
        ],
        Assessments => ["Neuvojien arviot käynneistä", "Handläggarnas bedömningar av besöken", "Advisors' assessments of visits"],
        AssessmentsIntro => [
            "Neuvojan arvio jokaisen päättyneen käynnin jälkeen: olisiko asian voinut hoitaa muussa kanavassa ja missä, miksi tarvittiin henkilökohtaista palvelua, puhuttiinko muista kanavista ja mikä oli asiakkaan tilanne.",
            "Handläggarens bedömning efter varje avslutat besök: kunde ärendet ha skötts i en annan kanal och i vilken, varför det behövdes personlig service, talade man om andra kanaler och vilken var kundens situation.",
            "The advisor's assessment after each completed visit: could the matter have been handled in another channel and which, why personal service was needed, whether other channels were discussed, and the customer's situation.",
        ],
        WalkIns => ["Ilman ajanvarausta tulleet", "Besökare utan tidsbokning", "Walk-ins"],
        WalkInsIntro => [
            "Mitä tehtiin asiakkaalle, joka tuli toimipisteeseen ilman ajanvarausta.",
            "Vad som gjordes för kunder som kom till kontoret utan tidsbokning.",
            "What was done for citizens who came to the office without an appointment.",
        ],
        Answer => ["Vastaus", "Svar", "Answer"],
        Share => ["osuus", "andel", "share"],
        ResponsesCount => ["Vastauksia: pilotti {pilot}, verrokki {control}.", "Svar: pilot {pilot}, kontroll {control}.", "Responses: pilot {pilot}, control {control}."],
        AssessmentsCount => ["Arvioituja käyntejä: pilotti {pilot}, verrokki {control}.", "Bedömda besök: pilot {pilot}, kontroll {control}.", "Assessed visits: pilot {pilot}, control {control}."],
        WalkInsCount => ["Ilman ajanvarausta tulleita: pilotti {pilot}, verrokki {control}.", "Besökare utan tidsbokning: pilot {pilot}, kontroll {control}.", "Walk-ins: pilot {pilot}, control {control}."],
        NoneKnown => ["Ei mitään näistä", "Inget av dessa", "None of these"],
        BarsTitle => ["{question}: pilotti ja verrokki", "{question}: pilot och kontroll", "{question}: pilot and control"],
        BarsDesc => [
            "Kunkin vastauksen osuus ryhmän vastaajista; pilotin palkit täytettyinä, verrokin ääriviivoina. Samat luvut ovat kaavion jälkeisessä taulukossa.",
            "Varje svars andel av gruppens svarande; pilotens staplar ifyllda, kontrollgruppens som konturer. Samma siffror finns i tabellen efter diagrammet.",
            "Each answer's share of the group's respondents; the pilot's bars filled, the control's outlined. The table after the chart holds the same numbers.",
        ],
        MSelfService => ["Itse varatut", "Själv bokade", "Booked by the citizen"],
        MLeadTime => ["Varauksesta käyntiin", "Från bokning till besök", "Booking to visit"],
        MUtilisation => ["Tarjotuista ajoista varattu", "Bokade av erbjudna tider", "Offered times booked"],
        MNoShow => ["Saapumatta jääneet", "Uteblivna", "No-shows"],
        MLateCancellation => ["Myöhään perutut", "Sent avbokade", "Late cancellations"],
        MPunctuality => ["Palvelun alku varatusta ajasta", "Betjäningens start efter bokad tid", "Service start after the booked time"],
        MWaiting => ["Odotus toimipisteessä", "Väntan på kontoret", "Waiting at the office"],
        MService => ["Palvelun kesto", "Betjäningens längd", "Service duration"],
        MFirstContact => ["Hoitui kerralla", "Klart vid första kontakten", "Resolved at first contact"],
        MSubstitutable => ["Olisi hoitunut muussa kanavassa", "Kunde ha skötts i en annan kanal", "Could have been handled in another channel"],
        MWalkInShare => ["Ilman ajanvarausta tulleet", "Kom utan tidsbokning", "Walk-ins of office visitors"],
        MNps => ["Suositteluindeksi (NPS)", "Rekommendationsindex (NPS)", "Net Promoter Score"],
        MCsat => ["Tyytyväisyys (1–5)", "Nöjdhet (1–5)", "Satisfaction (1–5)"],
        MCsatTopBox => ["Tyytyväiset (4 tai 5)", "Nöjda (4 eller 5)", "Satisfied (4 or 5)"],
        MCes => ["Asioinnin helppous (1–7)", "Hur lätt det var (1–7)", "Ease (1–7)"],
        MPrefersAppointment => ["Varaisi ajan jatkossakin", "Skulle boka tid även i fortsättningen", "Would book an appointment again"],
        MKnowsOnline => ["Tunsi verkkoasioinnin", "Kände till e-tjänsten", "Knew the e-service"],
        MKnowsPhone => ["Tunsi puhelinpalvelun", "Kände till telefontjänsten", "Knew the phone service"],
        MKnowsPartnerPoint => ["Tunsi yhteispalvelupisteen", "Kände till samservicestället", "Knew the partner service point"],
        MKnowsChat => ["Tunsi chatin", "Kände till chatten", "Knew the chat"],
        MCouldOnlineYes => ["Olisi voinut hoitaa verkossa", "Kunde ha skött det på nätet", "Could have done it online"],
        MCouldOnlinePartly => ["Olisi voinut hoitaa osittain verkossa", "Kunde delvis ha skött det på nätet", "Could partly have done it online"],
        MResponseRate => ["Kyselyyn vastanneet", "Svarade på enkäten", "Questionnaire response rate"],
    }
}

pub(super) fn get(locale: Locale, text: PilotText) -> &'static str {
    entry(text)[super::index(locale)]
}

/// The name of the compared measure `key`; `None` for an unknown key.
pub fn measure_name(key: &str) -> Option<PilotText> {
    use PilotText::*;
    Some(match key {
        "self_service" => MSelfService,
        "lead_time_hours" => MLeadTime,
        "utilisation" => MUtilisation,
        "no_show" => MNoShow,
        "late_cancellation" => MLateCancellation,
        "punctuality_minutes" => MPunctuality,
        "waiting_minutes" => MWaiting,
        "service_minutes" => MService,
        "first_contact_resolution" => MFirstContact,
        "channel_substitutable" => MSubstitutable,
        "walk_in_share" => MWalkInShare,
        "nps" => MNps,
        "csat" => MCsat,
        "csat_top_box" => MCsatTopBox,
        "ces" => MCes,
        "prefers_appointment" => MPrefersAppointment,
        "knows_channel_online" => MKnowsOnline,
        "knows_channel_phone" => MKnowsPhone,
        "knows_channel_partner_point" => MKnowsPartnerPoint,
        "knows_channel_chat" => MKnowsChat,
        "could_online_yes" => MCouldOnlineYes,
        "could_online_partly" => MCouldOnlinePartly,
        "response_rate" => MResponseRate,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_pilot_text_is_empty_or_untranslated() {
        for &text in PilotText::ALL {
            let [fi, sv, en] = entry(text);
            assert!(!fi.trim().is_empty() && !sv.trim().is_empty() && !en.trim().is_empty(), "{text:?}");
            assert!(fi != en, "{text:?} is the same in Finnish and English");
        }
    }
}
