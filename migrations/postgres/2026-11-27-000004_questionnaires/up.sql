-- The day an office began serving by appointment only, for before/after comparisons.
ALTER TABLE offices ADD COLUMN pilot_start DATE;

-- Versioned questionnaire templates (JSON of aukiolo_domain::questionnaire::Questionnaire).
CREATE TABLE questionnaires (
    key TEXT NOT NULL,
    version INTEGER NOT NULL,
    template TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (key, version)
);

-- One invitation per completed booking. Only a hash of the link token is kept, so the
-- table cannot be used to answer on someone's behalf.
CREATE TABLE questionnaire_invitations (
    id UUID PRIMARY KEY,
    booking_id UUID NOT NULL UNIQUE REFERENCES bookings (id),
    questionnaire_key TEXT NOT NULL,
    questionnaire_version INTEGER NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    answered_at TIMESTAMPTZ,
    FOREIGN KEY (questionnaire_key, questionnaire_version) REFERENCES questionnaires (key, version)
);

-- Responses carry no identity: no booking, no person, no time finer than the ISO week of
-- the visit (e.g. 2026-W48), and random (not time-ordered) ids.
CREATE TABLE questionnaire_responses (
    id UUID PRIMARY KEY,
    questionnaire_key TEXT NOT NULL,
    questionnaire_version INTEGER NOT NULL,
    office_id UUID NOT NULL REFERENCES offices (id),
    topic_id UUID NOT NULL REFERENCES topics (id),
    channel TEXT NOT NULL CHECK (channel IN ('office', 'phone')),
    week TEXT NOT NULL,
    pilot_group TEXT NOT NULL,
    booking_mode TEXT NOT NULL CHECK (booking_mode IN ('self_service', 'advisor', 'walk_in')),
    FOREIGN KEY (questionnaire_key, questionnaire_version) REFERENCES questionnaires (key, version)
);
CREATE INDEX questionnaire_responses_week ON questionnaire_responses (week);

-- One row per answered question: a score, a choice, several choices (JSON array of
-- option keys), a yes/no, or a text.
CREATE TABLE response_answers (
    response_id UUID NOT NULL REFERENCES questionnaire_responses (id) ON DELETE CASCADE,
    question_key TEXT NOT NULL,
    score INTEGER,
    choice TEXT,
    choices TEXT,
    yes_no BOOLEAN,
    text_value TEXT,
    PRIMARY KEY (response_id, question_key)
);
