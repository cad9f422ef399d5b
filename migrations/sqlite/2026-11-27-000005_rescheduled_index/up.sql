-- The metrics find moved bookings by the booking that replaced them.
CREATE INDEX bookings_rescheduled_from ON bookings (rescheduled_from) WHERE rescheduled_from IS NOT NULL;
