-- Requests counted per client (an address, a person) and fixed window, summed over every
-- replica: each adds what it counted since its last flush (store::rate_limits).
CREATE TABLE rate_counts (
    counter_key TEXT NOT NULL,
    -- The window's first second, in seconds since 1970 (UTC).
    window_start BIGINT NOT NULL,
    hits BIGINT NOT NULL,
    PRIMARY KEY (counter_key, window_start)
);
CREATE INDEX rate_counts_window ON rate_counts (window_start);
