-- Infrastructure for Fedify: its key–value store (caches, idempotence records) and its
-- durable message queue (outgoing deliveries, inbound activities).

CREATE TABLE fedify_kv (
  -- Fedify keys are arrays of strings; a prefix match on the array serves list(prefix).
  key text[] PRIMARY KEY,
  value jsonb NOT NULL,
  expires_at timestamptz
);

CREATE INDEX fedify_kv_expires_at ON fedify_kv (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE fedify_queue (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  payload jsonb NOT NULL,
  -- Messages with the same ordering key are handled one after the other, in id order.
  ordering_key text,
  run_at timestamptz NOT NULL DEFAULT now(),
  -- Counted when a worker claims the message, so a message that crashes its worker is counted too.
  attempts integer NOT NULL DEFAULT 0,
  -- A claimed message is leased to one worker until then; an expired lease lets another worker take it.
  locked_until timestamptz,
  lock_token uuid,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX fedify_queue_run_at ON fedify_queue (run_at, id);
CREATE INDEX fedify_queue_ordering_key ON fedify_queue (ordering_key, id) WHERE ordering_key IS NOT NULL;
