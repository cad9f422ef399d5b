DROP INDEX bookings_rescheduled_from;
