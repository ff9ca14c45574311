-- The signed document of each received record exactly as its origin served it (its FEP-8b32
-- proof included), so that a catalog can pass the record on unchanged and any receiver can
-- verify it again. One row per record: the state the copy in the record tables has now.

CREATE TABLE federation_received_documents (
  record_id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('guideline', 'use-case', 'model')),
  origin_actor text NOT NULL,
  activity_id text NOT NULL,
  document jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
