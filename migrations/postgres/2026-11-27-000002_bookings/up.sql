-- Booking rules per office, as JSON; missing keys take their defaults.
ALTER TABLE offices ADD COLUMN booking_rules TEXT NOT NULL DEFAULT '{}';

-- A booking may span several consecutive slots of one advisor, so several slots can
-- point at one booking. A slot still has at most one booking: its booking_id column,
-- claimed by a conditional update.
DROP INDEX slots_booking;
CREATE INDEX slots_booking ON slots (booking_id);

CREATE TABLE bookings (
    id UUID PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    office_id UUID NOT NULL REFERENCES offices (id),
    advisor_id UUID NOT NULL REFERENCES advisors (id),
    topic_id UUID NOT NULL REFERENCES topics (id),
    -- The first slot of the booking (no foreign key: slots are regenerated, bookings stay).
    slot_id UUID NOT NULL,
    slot_count INTEGER NOT NULL CHECK (slot_count > 0),
    channel TEXT NOT NULL CHECK (channel IN ('office', 'phone')),
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at TIMESTAMPTZ NOT NULL,
    language TEXT NOT NULL,
    status TEXT NOT NULL,
    booked_by TEXT NOT NULL,
    name TEXT NOT NULL,
    -- The personal identity code, encrypted, and a keyed hash of it for look-ups.
    personal_id_enc TEXT NOT NULL,
    personal_id_hash TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT,
    description TEXT NOT NULL,
    needs TEXT NOT NULL,
    rescheduled_from UUID REFERENCES bookings (id),
    cancel_reason TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    CHECK (starts_at < ends_at)
);
-- The database, not the application, keeps one active booking per slot.
CREATE UNIQUE INDEX bookings_active_slot ON bookings (slot_id)
    WHERE status NOT IN ('cancelled_by_citizen', 'cancelled_by_office');
CREATE INDEX bookings_citizen ON bookings (personal_id_hash, starts_at);
CREATE INDEX bookings_advisor_start ON bookings (advisor_id, starts_at);
CREATE INDEX bookings_office_start ON bookings (office_id, starts_at);

-- Append-only history: every transition with its actor and time.
CREATE TABLE booking_events (
    id UUID PRIMARY KEY,
    booking_id UUID NOT NULL REFERENCES bookings (id),
    at TIMESTAMPTZ NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT
);
CREATE INDEX booking_events_booking ON booking_events (booking_id, at);

-- A retried POST with the same key returns the first answer.
CREATE TABLE idempotency_keys (
    key TEXT PRIMARY KEY,
    request_hash TEXT NOT NULL,
    booking_id UUID NOT NULL REFERENCES bookings (id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

CREATE TABLE call_attempts (
    id UUID PRIMARY KEY,
    booking_id UUID NOT NULL REFERENCES bookings (id),
    at TIMESTAMPTZ NOT NULL,
    staff_id UUID NOT NULL REFERENCES staff_users (id),
    reached BOOLEAN NOT NULL
);
CREATE INDEX call_attempts_booking ON call_attempts (booking_id);

CREATE TABLE visit_assessments (
    booking_id UUID PRIMARY KEY REFERENCES bookings (id),
    author_id UUID NOT NULL REFERENCES staff_users (id),
    resolved_at_once BOOLEAN NOT NULL,
    segment TEXT NOT NULL,
    other_channel TEXT NOT NULL,
    personal_service_reasons TEXT NOT NULL,
    other_channels_discussed BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE walk_ins (
    id UUID PRIMARY KEY,
    office_id UUID NOT NULL REFERENCES offices (id),
    at TIMESTAMPTZ NOT NULL,
    topic_id UUID NOT NULL REFERENCES topics (id),
    outcome TEXT NOT NULL,
    booking_id UUID REFERENCES bookings (id),
    staff_id UUID NOT NULL REFERENCES staff_users (id)
);
CREATE INDEX walk_ins_office ON walk_ins (office_id, at);

-- Every staff read or change of a citizen's personal data.
CREATE TABLE audit_log (
    id UUID PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
    staff_id UUID NOT NULL REFERENCES staff_users (id),
    action TEXT NOT NULL,
    booking_id UUID REFERENCES bookings (id)
);
CREATE INDEX audit_log_at ON audit_log (at);
