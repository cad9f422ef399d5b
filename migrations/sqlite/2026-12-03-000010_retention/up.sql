-- Retention (DESIGN.md §4.7): `aukiolo purge` removes the personal data of a booking whose
-- visit is older than the retention period and says when here. Its name, identity code
-- and look-up hash, e-mail and matter are then empty text, its phone and cancellation
-- reason NULL and its needs `{}`; what the metrics read (times, statuses, topic, channel,
-- office, advisor) stays.
ALTER TABLE bookings ADD COLUMN purged_at TEXT;
CREATE INDEX bookings_unpurged_start ON bookings (starts_at) WHERE purged_at IS NULL;

-- An answered or expired questionnaire invitation loses its link to the booking. What the
-- response rate needs of it moves to the booking: when it was sent, whether it was
-- answered (not when).
ALTER TABLE bookings ADD COLUMN invitation_sent_at TEXT;
ALTER TABLE bookings ADD COLUMN invitation_answered BOOLEAN;

-- SQLite cannot drop a NOT NULL: the table is rebuilt (no other table refers to it).
CREATE TABLE questionnaire_invitations_new (
    id TEXT PRIMARY KEY,
    booking_id TEXT UNIQUE REFERENCES bookings (id),
    questionnaire_key TEXT NOT NULL,
    questionnaire_version INTEGER NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    answered_at TEXT,
    FOREIGN KEY (questionnaire_key, questionnaire_version) REFERENCES questionnaires (key, version)
);
INSERT INTO questionnaire_invitations_new
    (id, booking_id, questionnaire_key, questionnaire_version, token_hash, created_at, expires_at, answered_at)
    SELECT id, booking_id, questionnaire_key, questionnaire_version, token_hash, created_at, expires_at, answered_at
    FROM questionnaire_invitations;
DROP TABLE questionnaire_invitations;
ALTER TABLE questionnaire_invitations_new RENAME TO questionnaire_invitations;
CREATE INDEX questionnaire_invitations_linked ON questionnaire_invitations (expires_at)
    WHERE booking_id IS NOT NULL;
