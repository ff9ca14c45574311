-- Catalogs (FEP-1b12 Group actors) with their members and entries, reports, one moderation
-- log for every action, and network trust (mode and lists) for the node and each catalog.
-- Entities are kept whole as jsonb and validated when read; the columns beside them are
-- what queries filter on.

CREATE TABLE catalogs (
  id text PRIMARY KEY,
  handle text NOT NULL UNIQUE,
  catalog jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE catalog_members (
  catalog_id text NOT NULL REFERENCES catalogs (id) ON DELETE CASCADE,
  actor text NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'accepted', 'rejected', 'removed')),
  follow_activity_id text,
  requested_at timestamptz NOT NULL,
  joined_at timestamptz,
  reason text,
  PRIMARY KEY (catalog_id, actor)
);

CREATE TABLE catalog_entries (
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  id text PRIMARY KEY,
  catalog_id text NOT NULL REFERENCES catalogs (id) ON DELETE CASCADE,
  record_id text NOT NULL,
  record_kind text NOT NULL CHECK (record_kind IN ('use-case', 'guideline', 'model')),
  origin_actor text NOT NULL,
  state text NOT NULL CHECK (state IN ('submitted', 'approved', 'rejected', 'removed')),
  submitted_at timestamptz NOT NULL,
  -- The whole entry, including the origin's proof-carrying document (eddsa-jcs-2022 proofs
  -- hash the JCS canonical form, so jsonb's key order does not affect verification).
  entry jsonb NOT NULL
);
-- A record waits or stands in a catalog at most once; rejected and removed entries stay as history.
CREATE UNIQUE INDEX catalog_entries_one_open_per_record ON catalog_entries (catalog_id, record_id) WHERE state IN ('submitted', 'approved');
CREATE INDEX catalog_entries_record ON catalog_entries (record_id, seq);
CREATE INDEX catalog_entries_queue ON catalog_entries (catalog_id, state, seq);

CREATE TABLE moderation_reports (
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  id text PRIMARY KEY,
  -- NULL: a report about one of the node's own records.
  catalog_id text REFERENCES catalogs (id) ON DELETE CASCADE,
  target text NOT NULL,
  state text NOT NULL CHECK (state IN ('open', 'resolved', 'dismissed')),
  -- A keyed hash of an anonymous reporter's address (never the address); NULL for actors.
  reporter_address_hash text CHECK (reporter_address_hash ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL,
  report jsonb NOT NULL
);
CREATE INDEX moderation_reports_queue ON moderation_reports (catalog_id, state, seq);
CREATE INDEX moderation_reports_rate ON moderation_reports (reporter_address_hash, created_at) WHERE reporter_address_hash IS NOT NULL;

CREATE TABLE moderation_log (
  position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- No foreign key: the log outlives a deleted catalog. NULL: node-wide actions.
  catalog_id text,
  kind text NOT NULL CHECK (kind IN ('approve', 'reject', 'remove', 'report-resolved', 'report-dismissed', 'block', 'unblock',
    'allow', 'disallow', 'member-approve', 'member-reject', 'member-remove', 'mode-change', 'catalog-settings')),
  actor_type text NOT NULL CHECK (actor_type IN ('actor', 'local')),
  actor_id text NOT NULL,
  target_type text NOT NULL CHECK (target_type IN ('entry', 'report', 'member', 'domain', 'actor', 'catalog', 'node')),
  target text NOT NULL,
  reason text,
  at timestamptz NOT NULL,
  is_revert boolean NOT NULL DEFAULT false,
  refused boolean NOT NULL DEFAULT false,
  refusal text,
  confidential boolean NOT NULL DEFAULT false,
  CHECK (refused = (refusal IS NOT NULL))
);
CREATE INDEX moderation_log_catalog ON moderation_log (catalog_id, position);
CREATE INDEX moderation_log_target ON moderation_log (target, position);

-- One row per scope: catalog_id NULL is the node itself. No row means open.
CREATE TABLE network_trust_modes (
  catalog_id text REFERENCES catalogs (id) ON DELETE CASCADE,
  mode text NOT NULL CHECK (mode IN ('open', 'allowlist')),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT network_trust_modes_scope UNIQUE NULLS NOT DISTINCT (catalog_id)
);

CREATE TABLE network_trust_lists (
  catalog_id text REFERENCES catalogs (id) ON DELETE CASCADE,
  list text NOT NULL CHECK (list IN ('blocked-domain', 'blocked-actor', 'allowed-domain', 'allowed-actor')),
  value text NOT NULL CHECK (value <> ''),
  reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT network_trust_lists_entry UNIQUE NULLS NOT DISTINCT (catalog_id, list, value),
  -- The node's own domain blocks are federation_domain_blocks (0003): one list, not two.
  CHECK (catalog_id IS NOT NULL OR list <> 'blocked-domain')
);
