-- Invitations without a booking cannot be linked again: they go.
CREATE TABLE questionnaire_invitations_old (
    id TEXT PRIMARY KEY,
    booking_id TEXT NOT NULL UNIQUE REFERENCES bookings (id),
    questionnaire_key TEXT NOT NULL,
    questionnaire_version INTEGER NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    answered_at TEXT,
    FOREIGN KEY (questionnaire_key, questionnaire_version) REFERENCES questionnaires (key, version)
);
INSERT INTO questionnaire_invitations_old
    (id, booking_id, questionnaire_key, questionnaire_version, token_hash, created_at, expires_at, answered_at)
    SELECT id, booking_id, questionnaire_key, questionnaire_version, token_hash, created_at, expires_at, answered_at
    FROM questionnaire_invitations WHERE booking_id IS NOT NULL;
DROP TABLE questionnaire_invitations;
ALTER TABLE questionnaire_invitations_old RENAME TO questionnaire_invitations;
ALTER TABLE bookings DROP COLUMN invitation_answered;
ALTER TABLE bookings DROP COLUMN invitation_sent_at;
DROP INDEX bookings_unpurged_start;
ALTER TABLE bookings DROP COLUMN purged_at;
