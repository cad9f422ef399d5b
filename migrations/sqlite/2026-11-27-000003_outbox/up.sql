-- Messages to citizens, written in the same transaction as the change that causes them
-- and sent by the worker (DESIGN.md §4.2). A row is never deleted by sending: its status
-- tells what happened, and its id is the message's stable Message-ID.
CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN
        ('confirmation', 'reminder', 'rescheduled', 'cancelled', 'questionnaire_invitation')),
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
CREATE INDEX outbox_due ON outbox (due_at) WHERE status IN ('pending', 'failed');
CREATE INDEX outbox_booking ON outbox (booking_id);
CREATE INDEX outbox_status ON outbox (status, created_at);
