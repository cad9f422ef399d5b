DROP TABLE staff_sessions;
ALTER TABLE staff_users DROP COLUMN access_version;
ALTER TABLE staff_users DROP COLUMN active;
