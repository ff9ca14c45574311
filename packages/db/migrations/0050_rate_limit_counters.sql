-- Rate-limit counters shared by every process on this database (several web processes behind a
-- load balancer): one row per client key and fixed window; old windows are swept by the store.
CREATE TABLE rate_limit_counters (
  key text NOT NULL,
  window_start timestamptz NOT NULL,
  points bigint NOT NULL,
  PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_limit_counters_window ON rate_limit_counters (window_start);
