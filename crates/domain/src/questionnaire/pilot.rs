//! The questionnaire of the appointment-only pilot, version 1, as seeded.

use super::{ChoiceOption, Question, QuestionKind, Questionnaire, DEFAULT_MAX_CHARS};
use crate::LocalisedText;

fn text(fi: &str, sv: &str, en: &str) -> LocalisedText {
    LocalisedText { fi: fi.into(), sv: sv.into(), en: en.into() }
}

fn option(key: &str, fi: &str, sv: &str, en: &str) -> ChoiceOption {
    ChoiceOption { key: key.into(), label: text(fi, sv, en) }
}

fn question(key: &str, required: bool, kind: QuestionKind, t: LocalisedText) -> Question {
    Question { key: key.into(), text: t, kind, required }
}

/// The pilot's post-visit questionnaire (`pilot`, version 1).
///
/// Requiredness: the three scores (`satisfaction`, `recommend`, `effort`) are required,
/// because they are the pilot's headline figures and a response without them cannot be
/// compared; the other questions are optional so that a citizen in a hurry still sends
/// the scores. `channels_known` accepts an empty list, meaning "knew none of these", which
/// differs from leaving the question out. The scale ends are spelt out in each question's
/// text, so the answer direction does not depend on how a client draws the scale.
pub fn pilot() -> Questionnaire {
    Questionnaire {
        key: "pilot".into(),
        version: 1,
        title: text(
            "Kerro kokemuksestasi Kelan palvelusta",
            "Berätta om din erfarenhet av FPA:s service",
            "Tell us about your experience of Kela's service",
        ),
        intro: text(
            "Asioit hiljattain Kelassa varaamallasi ajalla. Vastaamalla muutamaan kysymykseen \
             autat meitä kehittämään palvelua. Vastaaminen vie noin kaksi minuuttia. Vastaukset \
             käsitellään nimettöminä, eikä niitä yhdistetä sinuun.",
            "Du skötte nyligen ett ärende hos FPA på en tid som du hade bokat. Genom att svara \
             på några frågor hjälper du oss att utveckla vår service. Det tar ungefär två \
             minuter att svara. Svaren behandlas anonymt och kopplas inte till dig.",
            "You recently dealt with Kela at a time you had booked. By answering a few questions \
             you help us improve our service. It takes about two minutes. Your answers are \
             anonymous and are not linked to you.",
        ),
        questions: vec![
            question(
                "satisfaction",
                true,
                QuestionKind::Csat,
                text(
                    "Kuinka tyytyväinen olit kokonaisuutena saamaasi palveluun? \
                     (1 = erittäin tyytymätön, 5 = erittäin tyytyväinen)",
                    "Hur nöjd var du på det hela taget med den service du fick? \
                     (1 = mycket missnöjd, 5 = mycket nöjd)",
                    "Overall, how satisfied were you with the service you received? \
                     (1 = very dissatisfied, 5 = very satisfied)",
                ),
            ),
            question(
                "recommend",
                true,
                QuestionKind::Nps,
                text(
                    "Kuinka todennäköisesti suosittelisit Kelan palvelua ystävällesi tai \
                     tuttavallesi? (0 = en lainkaan todennäköisesti, 10 = erittäin todennäköisesti)",
                    "Hur troligt är det att du skulle rekommendera FPA:s service till en vän eller \
                     bekant? (0 = inte alls troligt, 10 = mycket troligt)",
                    "How likely are you to recommend Kela's service to a friend or acquaintance? \
                     (0 = not at all likely, 10 = extremely likely)",
                ),
            ),
            question(
                "effort",
                true,
                QuestionKind::Ces,
                text(
                    "Kuinka helppoa asiasi hoitaminen oli? (1 = erittäin vaikeaa, 7 = erittäin helppoa)",
                    "Hur lätt var det att få ditt ärende skött? (1 = mycket svårt, 7 = mycket lätt)",
                    "How easy was it to get your matter handled? (1 = very difficult, 7 = very easy)",
                ),
            ),
            question(
                "preference",
                false,
                QuestionKind::SingleChoice {
                    options: vec![
                        option(
                            "appointment",
                            "Varaisin ajan",
                            "Jag skulle boka en tid",
                            "Book an appointment",
                        ),
                        option(
                            "without_appointment",
                            "Asioisin ilman ajanvarausta",
                            "Jag skulle komma utan tidsbokning",
                            "Come without an appointment",
                        ),
                        option("no_preference", "Minulle on sama", "Det spelar ingen roll", "No preference"),
                    ],
                },
                text(
                    "Haluaisitko seuraavalla kerralla mieluummin varata ajan vai asioida ilman \
                     ajanvarausta?",
                    "Vill du nästa gång hellre boka en tid eller komma utan tidsbokning?",
                    "Next time, would you rather book an appointment or come without one?",
                ),
            ),
            question(
                "channels_known",
                false,
                QuestionKind::MultipleChoice {
                    options: vec![
                        option("online", "Kelan verkkoasiointi", "FPA:s e-tjänst", "Kela's online service"),
                        option(
                            "phone",
                            "Kelan puhelinpalvelu",
                            "FPA:s telefonservice",
                            "Kela's phone service",
                        ),
                        option(
                            "partner_point",
                            "Yhteispalvelupiste",
                            "Samservicekontor",
                            "Partner service point",
                        ),
                        option("chat", "Kelan chat-palvelu", "FPA:s chatt", "Kela's chat service"),
                    ],
                    allow_empty: true,
                },
                text(
                    "Mitä seuraavista asiointitavoista tiesit voivasi käyttää? Valitse kaikki, jotka \
                     tiesit. Jos et tiennyt niistä yhtäkään, jätä kaikki valitsematta.",
                    "Vilka av följande sätt att sköta ärenden visste du att du kunde använda? Välj \
                     alla som du kände till. Om du inte kände till något av dem, lämna alla omarkerade.",
                    "Which of these did you know you could use? Select all that you knew of. If you \
                     knew of none of them, leave them all unselected.",
                ),
            ),
            question(
                "could_online",
                false,
                QuestionKind::SingleChoice {
                    options: vec![
                        option("yes", "Kyllä", "Ja", "Yes"),
                        option("partly", "Osittain", "Delvis", "Partly"),
                        option("no", "En", "Nej", "No"),
                    ],
                },
                text(
                    "Olisitko voinut hoitaa tämän asian verkossa?",
                    "Hade du kunnat sköta det här ärendet på nätet?",
                    "Could you have handled this matter online?",
                ),
            ),
            question(
                "comments",
                false,
                QuestionKind::FreeText { max_chars: DEFAULT_MAX_CHARS },
                text(
                    "Mitä muuta haluaisit kertoa meille? Älä kirjoita vastaukseen henkilötunnustasi \
                     tai muita henkilötietojasi.",
                    "Vill du berätta något mer för oss? Skriv inte din personbeteckning eller andra \
                     personuppgifter i svaret.",
                    "Is there anything else you would like to tell us? Please do not write your \
                     personal identity code or other personal details in your answer.",
                ),
            ),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::QuestionType;

    #[test]
    fn pilot_has_the_agreed_keys_kinds_and_requiredness() {
        let q = pilot();
        let shape: Vec<(&str, QuestionType, bool)> =
            q.questions.iter().map(|q| (q.key.as_str(), q.kind.question_type(), q.required)).collect();
        assert_eq!(
            shape,
            [
                ("satisfaction", QuestionType::Csat, true),
                ("recommend", QuestionType::Nps, true),
                ("effort", QuestionType::Ces, true),
                ("preference", QuestionType::SingleChoice, false),
                ("channels_known", QuestionType::MultipleChoice, false),
                ("could_online", QuestionType::SingleChoice, false),
                ("comments", QuestionType::FreeText, false),
            ]
        );
        let keys = |k: &str| -> Vec<String> {
            q.question(k)
                .map(|q| q.kind.options().iter().map(|o| o.key.clone()).collect())
                .unwrap_or_default()
        };
        assert_eq!(keys("preference"), ["appointment", "without_appointment", "no_preference"]);
        assert_eq!(keys("channels_known"), ["online", "phone", "partner_point", "chat"]);
        assert_eq!(keys("could_online"), ["yes", "partly", "no"]);
    }

    #[test]
    fn pilot_texts_differ_by_language() {
        for q in pilot().questions {
            assert_ne!(q.text.fi, q.text.sv, "{}", q.key);
            assert_ne!(q.text.fi, q.text.en, "{}", q.key);
        }
    }
}
