-- The actors of other nodes as this node last read them (name, kind, municipality id), so that
-- lists and record pages name a city instead of showing its host; and when reading one failed,
-- so that a node that is down is not asked again on every page view.

CREATE TABLE actor_profiles (
  actor_id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('city', 'catalog', 'other')),
  name text CHECK (length(name) <= 500),
  municipality_id text CHECK (length(municipality_id) <= 100),
  website text CHECK (length(website) <= 2048),
  fetched_at timestamptz NOT NULL
);

CREATE TABLE actor_fetch_failures (
  actor_id text PRIMARY KEY,
  failed_at timestamptz NOT NULL,
  reason text NOT NULL
);
