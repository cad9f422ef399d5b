-- When a booked slot's conflict appeared, so the office board can tell new conflicts
-- from those it has seen; set with `conflict`, cleared with it. Conflicts already there
-- date from now.
ALTER TABLE slots ADD COLUMN conflict_since TIMESTAMPTZ;
UPDATE slots SET conflict_since = date_trunc('milliseconds', now()) WHERE conflict IS NOT NULL;

-- The outbox worker holds the reminders of bookings in conflict: it looks them up here.
CREATE INDEX slots_in_conflict ON slots (booking_id) WHERE conflict IS NOT NULL;

-- A phone appointment not reached tells the citizen how to book again: one more kind of
-- message.
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN
    ('confirmation', 'reminder', 'rescheduled', 'cancelled', 'questionnaire_invitation', 'not_reached'));
