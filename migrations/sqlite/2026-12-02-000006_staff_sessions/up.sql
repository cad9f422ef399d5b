-- Revocation: a change of role, office or activity bumps the account's access version,
-- which every staff token and page session carries; older ones stop working at once.
ALTER TABLE staff_users ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE staff_users ADD COLUMN access_version BIGINT NOT NULL DEFAULT 0;

-- Signed-in staff pages. The cookie holds a random secret; only its SHA-256 is stored.
CREATE TABLE staff_sessions (
    id TEXT PRIMARY KEY,
    staff_id TEXT NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    access_version BIGINT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);
CREATE INDEX staff_sessions_expires ON staff_sessions (expires_at);
