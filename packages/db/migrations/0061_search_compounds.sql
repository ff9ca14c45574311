-- Search inside compound words: "Straße" finds "Straßenschäden", "Service" finds "Bürgerservice".
-- Each record table gets its searchable texts folded (lower case, umlauts and accents to the base
-- letter, ß to ss; the same table as core's foldForSearch) in a generated column, with a trigram
-- index (pg_trgm) that answers LIKE '%word%' without reading every row.
--
-- pg_trgm ships with PostgreSQL (contrib) and PGlite; it is a trusted extension, so the database
-- owner may create it. It goes into the schema public where possible: one installation serves
-- every schema of the database (and dropping one schema never drops it for the others).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    -- Two processes migrating two schemas of one database at once: one creates it, the other waits and sees it.
    PERFORM pg_advisory_xact_lock(hashtext('leitplanken.pg_trgm'));
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
      BEGIN
        CREATE EXTENSION pg_trgm SCHEMA public;
      EXCEPTION WHEN insufficient_privilege OR invalid_schema_name THEN
        BEGIN
          CREATE EXTENSION pg_trgm;
        EXCEPTION WHEN insufficient_privilege OR undefined_file THEN
          RAISE EXCEPTION 'Leitplanken needs the PostgreSQL extension pg_trgm (part of PostgreSQL''s contrib package).'
            USING HINT = 'Ask the database administrator to run CREATE EXTENSION pg_trgm; in this database, or to give its owner to the Leitplanken user.';
        END;
      END;
    END IF;
  END IF;
END $$;

ALTER TABLE use_cases ADD COLUMN search_text text GENERATED ALWAYS AS (
  replace(translate(lower(
    coalesce((record -> 'name')::text, '') || ' ' || coalesce((record -> 'shortDescription')::text, '') || ' ' ||
    coalesce((record -> 'purpose')::text, '') || ' ' || coalesce(record ->> 'department', '')
  ), 'äöüàáâãåéèêëíìîïóòôõúùûçñ', 'aouaaaaaeeeeiiiioooouuucn'), 'ß', 'ss')
) STORED;

ALTER TABLE guideline_versions ADD COLUMN search_text text GENERATED ALWAYS AS (
  replace(translate(lower(
    coalesce((record -> 'title')::text, '') || ' ' || coalesce((record -> 'summary')::text, '') || ' ' ||
    coalesce(jsonb_path_query_array(record, '$.principles[*].statement')::text, '') || ' ' ||
    coalesce(jsonb_path_query_array(record, '$.sections[*].heading')::text, '') || ' ' ||
    coalesce(jsonb_path_query_array(record, '$.sections[*].body')::text, '')
  ), 'äöüàáâãåéèêëíìîïóòôõúùûçñ', 'aouaaaaaeeeeiiiioooouuucn'), 'ß', 'ss')
) STORED;

ALTER TABLE shared_models ADD COLUMN search_text text GENERATED ALWAYS AS (
  replace(translate(lower(
    coalesce((record -> 'name')::text, '') || ' ' || coalesce((record -> 'intendedUse')::text, '') || ' ' ||
    coalesce(record ->> 'architecture', '') || ' ' || coalesce(record -> 'baseModel' ->> 'name', '')
  ), 'äöüàáâãåéèêëíìîïóòôõúùûçñ', 'aouaaaaaeeeeiiiioooouuucn'), 'ß', 'ss')
) STORED;

-- The operator class lives in pg_trgm's schema, which need not be on this schema's search path.
DO $$
DECLARE trgm text;
BEGIN
  SELECT quote_ident(n.nspname) INTO trgm FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
  EXECUTE format('CREATE INDEX use_cases_search_text ON use_cases USING gin (search_text %s.gin_trgm_ops)', trgm);
  EXECUTE format('CREATE INDEX guideline_versions_search_text ON guideline_versions USING gin (search_text %s.gin_trgm_ops)', trgm);
  EXECUTE format('CREATE INDEX shared_models_search_text ON shared_models USING gin (search_text %s.gin_trgm_ops)', trgm);
END $$;
