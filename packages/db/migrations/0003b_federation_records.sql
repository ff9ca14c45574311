-- Records on the move: the outbox of this node's record activities (what followers receive
-- and what a new follower backfills from), earlier states of received copies that an Update
-- or Delete replaced, and tombstones of received records their origin withdrew.

CREATE TABLE federation_outbox (
  position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  activity_id text NOT NULL UNIQUE,
  type text NOT NULL CHECK (type IN ('Create', 'Update', 'Delete')),
  object_id text NOT NULL,
  published_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX federation_outbox_object ON federation_outbox (object_id, position);

CREATE TABLE federation_record_history (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  record_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('guideline', 'use-case', 'model')),
  activity_id text NOT NULL,
  record jsonb NOT NULL,
  replaced_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX federation_record_history_record ON federation_record_history (record_id, seq);

CREATE TABLE federation_tombstones (
  record_id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('guideline', 'use-case', 'model')),
  origin_actor text NOT NULL,
  activity_id text NOT NULL,
  deleted_at timestamptz NOT NULL DEFAULT now()
);
