CREATE TABLE offices (
    id TEXT PRIMARY KEY,
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
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE topics (
    id TEXT PRIMARY KEY,
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
    id TEXT PRIMARY KEY,
    office_id TEXT NOT NULL REFERENCES offices (id),
    name TEXT NOT NULL,
    languages TEXT NOT NULL,
    channels TEXT NOT NULL,
    active INTEGER NOT NULL
);
CREATE INDEX advisors_office ON advisors (office_id);

CREATE TABLE advisor_topics (
    advisor_id TEXT NOT NULL REFERENCES advisors (id) ON DELETE CASCADE,
    topic_id TEXT NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    PRIMARY KEY (advisor_id, topic_id)
);
CREATE INDEX advisor_topics_topic ON advisor_topics (topic_id);

CREATE TABLE schedule_rules (
    id TEXT PRIMARY KEY,
    advisor_id TEXT NOT NULL REFERENCES advisors (id) ON DELETE CASCADE,
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_time TEXT NOT NULL,
    end_time TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('office', 'phone')),
    slot_minutes INTEGER NOT NULL CHECK (slot_minutes > 0),
    breaks TEXT NOT NULL,
    valid_from TEXT,
    valid_until TEXT,
    CHECK (start_time < end_time)
);
CREATE INDEX schedule_rules_advisor ON schedule_rules (advisor_id);

CREATE TABLE absences (
    id TEXT PRIMARY KEY,
    advisor_id TEXT NOT NULL REFERENCES advisors (id) ON DELETE CASCADE,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    note TEXT,
    CHECK (starts_at < ends_at)
);
CREATE INDEX absences_advisor ON absences (advisor_id, starts_at);

CREATE TABLE closures (
    id TEXT PRIMARY KEY,
    office_id TEXT NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    reason TEXT NOT NULL,
    CHECK (first_day <= last_day)
);
CREATE INDEX closures_office ON closures (office_id, first_day);

-- A slot is one bookable time of one advisor. Open slots are regenerated freely; a booked
-- slot is never deleted or moved by regeneration: when the calendar stops offering it,
-- `conflict` says why and the office sees it.
CREATE TABLE slots (
    id TEXT PRIMARY KEY,
    advisor_id TEXT NOT NULL REFERENCES advisors (id),
    office_id TEXT NOT NULL REFERENCES offices (id),
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('office', 'phone')),
    state TEXT NOT NULL CHECK (state IN ('open', 'booked', 'blocked')),
    booking_id TEXT,
    conflict TEXT,
    CHECK (starts_at < ends_at),
    CHECK ((state = 'booked') = (booking_id IS NOT NULL))
);
CREATE UNIQUE INDEX slots_advisor_start ON slots (advisor_id, starts_at);
CREATE INDEX slots_office_start ON slots (office_id, starts_at);
CREATE UNIQUE INDEX slots_booking ON slots (booking_id) WHERE booking_id IS NOT NULL;

CREATE TABLE staff_users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('advisor', 'office_manager', 'pilot_lead', 'admin')),
    office_id TEXT REFERENCES offices (id),
    advisor_id TEXT REFERENCES advisors (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    CHECK (role IN ('pilot_lead', 'admin') OR office_id IS NOT NULL)
);

-- Failed sign-ins per account and per client address, for throttling across replicas.
CREATE TABLE login_failures (
    id TEXT PRIMARY KEY,
    throttle_key TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (throttle_key, failed_at);
