DELETE FROM outbox WHERE kind = 'not_reached';
CREATE TABLE outbox_old (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN
        ('confirmation', 'reminder', 'rescheduled', 'cancelled', 'questionnaire_invitation')),
    booking_id TEXT REFERENCES bookings (id),
    recipient TEXT NOT NULL,
    locale TEXT NOT NULL,
    payload TEXT NOT NULL,
    due_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'failed', 'sent', 'dead', 'void')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    lease_owner TEXT,
    lease_until TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT
);
INSERT INTO outbox_old SELECT id, kind, booking_id, recipient, locale, payload, due_at, status,
    attempts, last_error, lease_owner, lease_until, created_at, sent_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_old RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (due_at) WHERE status IN ('pending', 'failed');
CREATE INDEX outbox_booking ON outbox (booking_id);
CREATE INDEX outbox_status ON outbox (status, created_at);

DROP INDEX slots_in_conflict;
ALTER TABLE slots DROP COLUMN conflict_since;
