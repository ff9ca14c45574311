-- Two parts of the network statistics still grew with the network after migration 0080 (measured at
-- 10,000 cities): the median walked half of the index of published estimates (100,000 entries,
-- each checked in the table until a VACUUM marks the pages visible: 0.6–1.4 s), and the ranking
-- of models added up every model's row per city (33,000 rows). Both get counters of their own,
-- kept the same way: how many published use cases state each yearly estimate
-- (network_energy_values: the median walks the distinct values), and per model the use cases and
-- cities that name it (network_model_totals, kept from network_model_reuse's changes).

DROP INDEX use_cases_published_kwh;

CREATE TABLE network_energy_values (
  kwh numeric PRIMARY KEY,
  use_cases bigint NOT NULL DEFAULT 0
);
COMMENT ON TABLE network_energy_values IS 'derived: counted from use_cases by triggers (migration 0082)';

CREATE TABLE network_model_totals (
  model text PRIMARY KEY,
  use_cases bigint NOT NULL DEFAULT 0,
  cities bigint NOT NULL DEFAULT 0
);
COMMENT ON TABLE network_model_totals IS 'derived: counted from network_model_reuse by triggers (migration 0082)';

-- The known cities without a published use case are few among the rows.
CREATE INDEX network_city_figures_without_published ON network_city_figures (origin_actor) WHERE use_cases = 0;

-- The statement that adds the estimates of `changed` (use_cases rows with a sign) to network_energy_values.
CREATE FUNCTION leitplanken_network_energy_sql(changed text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT format($sql$
    INSERT INTO network_energy_values AS e (kwh, use_cases)
    SELECT kwh_per_year, sum(sign) FROM (%s) AS changed
    WHERE workflow_state = 'published' AND kwh_per_year IS NOT NULL
    GROUP BY kwh_per_year HAVING sum(sign) <> 0 ORDER BY kwh_per_year
    ON CONFLICT (kwh) DO UPDATE SET use_cases = e.use_cases + excluded.use_cases$sql$, changed)
$$;

-- The statement that adds the changes of network_model_reuse rows (with a sign) to network_model_totals.
CREATE FUNCTION leitplanken_network_model_totals_sql(changed text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT format($sql$
    INSERT INTO network_model_totals AS t (model, use_cases, cities)
    SELECT model, sum(sign * use_cases), sum(sign * leitplanken_one_if(use_cases > 0)) FROM (%s) AS changed
    GROUP BY model HAVING sum(sign * use_cases) <> 0 OR sum(sign * leitplanken_one_if(use_cases > 0)) <> 0 ORDER BY model
    ON CONFLICT (model) DO UPDATE SET use_cases = t.use_cases + excluded.use_cases, cities = t.cities + excluded.cities$sql$, changed)
$$;

-- The rows a statement changed, each with its sign (new +1, old -1), by the trigger's operation.
CREATE FUNCTION leitplanken_changed_rows(operation text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE operation
    WHEN 'INSERT' THEN 'SELECT 1 AS sign, * FROM new_rows'
    WHEN 'DELETE' THEN 'SELECT -1 AS sign, * FROM old_rows'
    ELSE 'SELECT 1 AS sign, * FROM new_rows UNION ALL SELECT -1 AS sign, * FROM old_rows' END
$$;

CREATE FUNCTION leitplanken_network_energy_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE leitplanken_network_energy_sql(leitplanken_changed_rows(TG_OP));
  RETURN NULL;
END
$$;

CREATE FUNCTION leitplanken_network_model_totals_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE leitplanken_network_model_totals_sql(leitplanken_changed_rows(TG_OP));
  RETURN NULL;
END
$$;

CREATE TRIGGER use_cases_inserted_energy AFTER INSERT ON use_cases REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_energy_changed();
CREATE TRIGGER use_cases_updated_energy AFTER UPDATE ON use_cases REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_energy_changed();
CREATE TRIGGER use_cases_deleted_energy AFTER DELETE ON use_cases REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_energy_changed();

CREATE TRIGGER network_model_reuse_inserted AFTER INSERT ON network_model_reuse REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_model_totals_changed();
CREATE TRIGGER network_model_reuse_updated AFTER UPDATE ON network_model_reuse REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_model_totals_changed();
CREATE TRIGGER network_model_reuse_deleted AFTER DELETE ON network_model_reuse REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_model_totals_changed();

-- Counting afresh (after a TRUNCATE) covers the new counters too: the model totals are emptied after
-- network_model_reuse and follow its refill; the estimates are counted here.
CREATE OR REPLACE FUNCTION leitplanken_count_network_figures() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  counted text;
  statement text;
BEGIN
  DELETE FROM network_city_figures;
  DELETE FROM network_model_reuse;
  DELETE FROM network_model_totals;
  DELETE FROM network_energy_values;
  FOREACH counted IN ARRAY ARRAY['use_cases', 'shared_models', 'guideline_versions', 'adoptions', 'federation_following'] LOOP
    FOREACH statement IN ARRAY leitplanken_network_figures_sql(counted, format('SELECT 1 AS sign, * FROM %I', counted)) LOOP
      EXECUTE statement;
    END LOOP;
  END LOOP;
  EXECUTE leitplanken_network_energy_sql('SELECT 1 AS sign, * FROM use_cases');
END
$$;

SELECT leitplanken_count_network_figures();
