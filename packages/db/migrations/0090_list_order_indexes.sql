-- Every order a record list offers (GraphQL `orderBy`, db `listPage`) pages by keyset on the
-- order's key and `seq`: `ORDER BY key, seq LIMIT first + 1` after `(key, seq) > (cursor)`. An
-- index on exactly (key, seq) makes a page an index scan, read forwards or backwards, however many
-- records the node holds (insertion order has the `seq` index of the UNIQUE constraint already).
-- The expressions are the ones in record-query.ts (`nameOrder`, `updatedOrder`) and
-- guideline.repository.ts (`published`); an index on another expression would not be used.

CREATE INDEX use_cases_order_updated ON use_cases (updated_at, seq);
CREATE INDEX use_cases_order_name ON use_cases ((lower(coalesce(record->'name'->>'de', record->'name'->>'en', ''))), seq);

CREATE INDEX shared_models_order_updated ON shared_models (updated_at, seq);
CREATE INDEX shared_models_order_name ON shared_models ((lower(coalesce(record->'name'->>'de', record->'name'->>'en', ''))), seq);

CREATE INDEX guideline_versions_order_updated ON guideline_versions (updated_at, seq);
CREATE INDEX guideline_versions_order_title ON guideline_versions ((lower(coalesce(record->'title'->>'de', record->'title'->>'en', ''))), seq);
CREATE INDEX guideline_versions_order_published ON guideline_versions ((coalesce(published_at, '-infinity'::timestamptz)), seq);
