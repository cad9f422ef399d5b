-- When a booked slot's conflict appeared, so the office board can tell new conflicts
-- from those it has seen; set with `conflict`, cleared with it. Conflicts already there
-- date from now.
ALTER TABLE slots ADD COLUMN conflict_since TEXT;
UPDATE slots SET conflict_since = strftime('%Y-%m-%dT%H:%M:%S.000000Z', 'now') WHERE conflict IS NOT NULL;

-- The outbox worker holds the reminders of bookings in conflict: it looks them up here.
CREATE INDEX slots_in_conflict ON slots (booking_id) WHERE conflict IS NOT NULL;

-- A phone appointment not reached tells the citizen how to book again: one more kind of
-- message. SQLite changes a CHECK only by rebuilding the table (nothing refers to it).
CREATE TABLE outbox_new (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN
        ('confirmation', 'reminder', 'rescheduled', 'cancelled', 'questionnaire_invitation', 'not_reached')),
    booking_id TEXT REFERENCES bookings (id),
    recipient TEXT NOT NULL,
    locale TEXT NOT NULL,
    -- Kind-specific details as JSON: calendar sequence, cancellation reason, link token.
    payload TEXT NOT NULL,
    due_at TEXT NOT NULL,
    -- pending → sent; pending → failed (retried) → sent | dead; pending → void (the
    -- booking changed before a reminder was due).
    status TEXT NOT NULL CHECK (status IN ('pending', 'failed', 'sent', 'dead', 'void')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    -- A worker holds a claimed message until lease_until; after that, another may take it.
    lease_owner TEXT,
    lease_until TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT
);
INSERT INTO outbox_new SELECT id, kind, booking_id, recipient, locale, payload, due_at, status,
    attempts, last_error, lease_owner, lease_until, created_at, sent_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (due_at) WHERE status IN ('pending', 'failed');
CREATE INDEX outbox_booking ON outbox (booking_id);
CREATE INDEX outbox_status ON outbox (status, created_at);
