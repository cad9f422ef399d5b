CREATE TABLE offices (
    id UUID PRIMARY KEY,
    name_fi TEXT NOT NULL,
    name_sv TEXT NOT NULL,
    name_en TEXT NOT NULL,
    street TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    municipality TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    service_mode TEXT NOT NULL CHECK (service_mode IN ('appointment_only', 'walk_in_and_appointment')),
    pilot_group TEXT NOT NULL,
    languages TEXT NOT NULL,
    phone TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE topics (
    id UUID PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name_fi TEXT NOT NULL,
    name_sv TEXT NOT NULL,
    name_en TEXT NOT NULL,
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes > 0),
    channels TEXT NOT NULL,
    bring_fi TEXT NOT NULL,
    bring_sv TEXT NOT NULL,
    bring_en TEXT NOT NULL
);

CREATE TABLE advisors (
    id UUID PRIMARY KEY,
    office_id UUID NOT NULL REFERENCES offices (id),
    name TEXT NOT NULL,
    languages TEXT NOT NULL,
    channels TEXT NOT NULL,
    active BOOLEAN NOT NULL
);
CREATE INDEX advisors_office ON advisors (office_id);

CREATE TABLE advisor_topics (
    advisor_id UUID NOT NULL REFERENCES advisors (id) ON DELETE CASCADE,
    topic_id UUID NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    PRIMARY KEY (advisor_id, topic_id)
);
CREATE INDEX advisor_topics_topic ON advisor_topics (topic_id);

CREATE TABLE schedule_rules (
    id UUID PRIMARY KEY,
    advisor_id UUID NOT NULL REFERENCES advisors (id) ON DELETE CASCADE,
    weekday SMALLINT NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_time TIME NOT NULL,
    end_time TIME NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('office', 'phone')),
    slot_minutes INTEGER NOT NULL CHECK (slot_minutes > 0),
    breaks TEXT NOT NULL,
    valid_from DATE,
    valid_until DATE,
    CHECK (start_time < end_time)
);
CREATE INDEX schedule_rules_advisor ON schedule_rules (advisor_id);

CREATE TABLE absences (
    id UUID PRIMARY KEY,
    advisor_id UUID NOT NULL REFERENCES advisors (id) ON DELETE CASCADE,
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at TIMESTAMPTZ NOT NULL,
    kind TEXT NOT NULL,
    note TEXT,
    CHECK (starts_at < ends_at)
);
CREATE INDEX absences_advisor ON absences (advisor_id, starts_at);

CREATE TABLE closures (
    id UUID PRIMARY KEY,
    office_id UUID NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    first_day DATE NOT NULL,
    last_day DATE NOT NULL,
    reason TEXT NOT NULL,
    CHECK (first_day <= last_day)
);
CREATE INDEX closures_office ON closures (office_id, first_day);

-- A slot is one bookable time of one advisor. Open slots are regenerated freely; a booked
-- slot is never deleted or moved by regeneration: when the calendar stops offering it,
-- `conflict` says why and the office sees it.
CREATE TABLE slots (
    id UUID PRIMARY KEY,
    advisor_id UUID NOT NULL REFERENCES advisors (id),
    office_id UUID NOT NULL REFERENCES offices (id),
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at TIMESTAMPTZ NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('office', 'phone')),
    state TEXT NOT NULL CHECK (state IN ('open', 'booked', 'blocked')),
    booking_id UUID,
    conflict TEXT,
    CHECK (starts_at < ends_at),
    CHECK ((state = 'booked') = (booking_id IS NOT NULL))
);
CREATE UNIQUE INDEX slots_advisor_start ON slots (advisor_id, starts_at);
CREATE INDEX slots_office_start ON slots (office_id, starts_at);
CREATE UNIQUE INDEX slots_booking ON slots (booking_id) WHERE booking_id IS NOT NULL;

CREATE TABLE staff_users (
    id UUID PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('advisor', 'office_manager', 'pilot_lead', 'admin')),
    office_id UUID REFERENCES offices (id),
    advisor_id UUID REFERENCES advisors (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL,
    CHECK (role IN ('pilot_lead', 'admin') OR office_id IS NOT NULL)
);

-- Failed sign-ins per account and per client address, for throttling across replicas.
CREATE TABLE login_failures (
    id UUID PRIMARY KEY,
    throttle_key TEXT NOT NULL,
    failed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (throttle_key, failed_at);
