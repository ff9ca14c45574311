-- One row that /readyz updates: a node is ready only while its database takes writes (a full
-- disk or a read-only database makes every write fail while reads still work).
CREATE TABLE node_health (
  id smallint PRIMARY KEY CHECK (id = 1),
  checked_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO node_health (id) VALUES (1);
