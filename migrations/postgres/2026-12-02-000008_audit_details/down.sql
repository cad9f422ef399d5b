DROP INDEX audit_log_booking;
DROP INDEX audit_log_office;
DROP INDEX audit_log_staff;
ALTER TABLE audit_log DROP COLUMN detail;
ALTER TABLE audit_log DROP COLUMN office_id;
