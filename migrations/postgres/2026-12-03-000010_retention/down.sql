-- Invitations without a booking cannot be linked again: they go.
DROP INDEX questionnaire_invitations_linked;
DELETE FROM questionnaire_invitations WHERE booking_id IS NULL;
ALTER TABLE questionnaire_invitations ALTER COLUMN booking_id SET NOT NULL;
ALTER TABLE bookings DROP COLUMN invitation_answered;
ALTER TABLE bookings DROP COLUMN invitation_sent_at;
DROP INDEX bookings_unpurged_start;
ALTER TABLE bookings DROP COLUMN purged_at;
