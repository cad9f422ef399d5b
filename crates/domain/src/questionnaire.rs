//! Post-visit experience questionnaires: templates, questions and answer validation.
