-- The audit log also keeps changes that are not of a booking: an office moved between
-- pilot and control, a staff account changed, a message retried. `office_id` is the
-- office the change concerns (no foreign key: the entry outlives the office), `detail`
-- what changed, as JSON (each field's old and new value, the account or message).
ALTER TABLE audit_log ADD COLUMN office_id UUID;
ALTER TABLE audit_log ADD COLUMN detail TEXT;
CREATE INDEX audit_log_staff ON audit_log (staff_id, at);
CREATE INDEX audit_log_office ON audit_log (office_id, at);
CREATE INDEX audit_log_booking ON audit_log (booking_id);
