-- What the node has published of its own records: the state the network sees, written in the
-- same transaction as the record by the application layer. The record IRIs answer with it (or
-- 410 Gone once withdrawn), so a published record that is being revised stays published in its
-- last published state until the revision is published (Update) or the record is retired (Delete).
CREATE TABLE record_publications (
  record_id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('guideline', 'use-case', 'model')),
  state text NOT NULL CHECK (state IN ('published', 'withdrawn')),
  -- The published record; NULL once withdrawn.
  record jsonb,
  first_published_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK ((state = 'published') = (record IS NOT NULL))
);

-- Shared models get a lifecycle: draft (e.g. imported), published, retired. Stored models were published.
ALTER TABLE shared_models ADD COLUMN state text NOT NULL DEFAULT 'published' CHECK (state IN ('draft', 'published', 'retired'));
CREATE INDEX shared_models_state ON shared_models (state);

-- What existing nodes published so far: their public records, and what their outbox withdrew.
INSERT INTO record_publications (record_id, kind, state, record, first_published_at, updated_at)
SELECT id, 'guideline', 'published', record, coalesce(published_at, created_at), coalesce(published_at, updated_at)
FROM guideline_versions WHERE source = 'local' AND state = 'published';

INSERT INTO record_publications (record_id, kind, state, record, first_published_at, updated_at)
SELECT id, 'use-case', 'published', record, coalesce((record -> 'workflow' ->> 'publishedAt')::timestamptz, created_at), updated_at
FROM use_cases WHERE source = 'local' AND workflow_state = 'published';

INSERT INTO record_publications (record_id, kind, state, record, first_published_at, updated_at)
SELECT id, 'model', 'published', record, created_at, updated_at FROM shared_models WHERE source = 'local';

INSERT INTO record_publications (record_id, kind, state, record, first_published_at, updated_at)
SELECT id, 'use-case', 'withdrawn', NULL, coalesce((record -> 'workflow' ->> 'publishedAt')::timestamptz, created_at), updated_at
FROM use_cases WHERE source = 'local' AND workflow_state = 'retired';

INSERT INTO record_publications (record_id, kind, state, record, first_published_at, updated_at)
SELECT latest.object_id,
  CASE WHEN latest.object_id LIKE '%/guidelines/%' THEN 'guideline' WHEN latest.object_id LIKE '%/use-cases/%' THEN 'use-case' ELSE 'model' END,
  'withdrawn', NULL, latest.published_at, latest.published_at
FROM (
  SELECT DISTINCT ON (object_id) object_id, type, published_at FROM federation_outbox ORDER BY object_id, position DESC
) latest
WHERE latest.type = 'Delete'
  AND (latest.object_id LIKE '%/guidelines/%' OR latest.object_id LIKE '%/use-cases/%' OR latest.object_id LIKE '%/models/%')
ON CONFLICT (record_id) DO NOTHING;
