DROP TABLE response_answers;
DROP TABLE questionnaire_responses;
DROP TABLE questionnaire_invitations;
DROP TABLE questionnaires;
ALTER TABLE offices DROP COLUMN pilot_start;
