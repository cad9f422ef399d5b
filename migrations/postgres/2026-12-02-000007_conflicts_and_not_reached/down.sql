DELETE FROM outbox WHERE kind = 'not_reached';
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN
    ('confirmation', 'reminder', 'rescheduled', 'cancelled', 'questionnaire_invitation'));

DROP INDEX slots_in_conflict;
ALTER TABLE slots DROP COLUMN conflict_since;
