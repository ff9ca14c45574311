-- Catch-up of followed cities: each followed city's outbox is read again from the last activity
-- this node applied from it (the cursor), after a Follow is accepted (from the start: the
-- backfill), when the node starts, and periodically, so that a node that was down or missed
-- deliveries converges without waiting for the origin's retries. A failed sync is retried with
-- backoff; the lease keeps two processes from syncing the same city at once.

ALTER TABLE federation_following
  ADD COLUMN sync_cursor text,
  ADD COLUMN synced_at timestamptz,
  ADD COLUMN sync_due_at timestamptz,
  ADD COLUMN sync_attempts integer NOT NULL DEFAULT 0,
  ADD COLUMN sync_error text,
  ADD COLUMN sync_lease_until timestamptz;

CREATE INDEX federation_following_sync_due ON federation_following (sync_due_at) WHERE state = 'accepted';
