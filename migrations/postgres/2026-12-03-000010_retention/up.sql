-- Retention (DESIGN.md §4.7): `aukiolo purge` removes the personal data of a booking whose
-- visit is older than the retention period and says when here. Its name, identity code
-- and look-up hash, e-mail and matter are then empty text, its phone and cancellation
-- reason NULL and its needs `{}`; what the metrics read (times, statuses, topic, channel,
-- office, advisor) stays.
ALTER TABLE bookings ADD COLUMN purged_at TIMESTAMPTZ;
CREATE INDEX bookings_unpurged_start ON bookings (starts_at) WHERE purged_at IS NULL;

-- An answered or expired questionnaire invitation loses its link to the booking. What the
-- response rate needs of it moves to the booking: when it was sent, whether it was
-- answered (not when).
ALTER TABLE bookings ADD COLUMN invitation_sent_at TIMESTAMPTZ;
ALTER TABLE bookings ADD COLUMN invitation_answered BOOLEAN;
ALTER TABLE questionnaire_invitations ALTER COLUMN booking_id DROP NOT NULL;
CREATE INDEX questionnaire_invitations_linked ON questionnaire_invitations (expires_at)
    WHERE booking_id IS NOT NULL;
