-- The network statistics as counters kept in the same transaction as the records (issue #16):
-- each city's figures in one row of network_city_figures, and how many of its published use cases
-- name each model in network_model_reuse. A statement on a counted table adds what its rows
-- changed (new rows counted +1, old rows -1; transition tables, so a bulk insert costs one
-- statement more, not one per row), so a read adds up one small row per city instead of counting
-- 200,000 use cases, and a change costs as much as the rows it changed. The rows are derived:
-- a backup leaves them out (the table comment says so) and the restore counts them again.
--
-- Replaces the generation and the per-row NOTIFY of migrations 0032/0033 (a changed record made
-- every process count everything again, about 2 s at 10,000 cities).

DROP TRIGGER use_cases_rows_changed ON use_cases;
DROP TRIGGER use_cases_rows_updated ON use_cases;
DROP TRIGGER use_cases_truncated ON use_cases;
DROP TRIGGER shared_models_rows_changed ON shared_models;
DROP TRIGGER shared_models_rows_updated ON shared_models;
DROP TRIGGER shared_models_truncated ON shared_models;
DROP TRIGGER guideline_versions_rows_changed ON guideline_versions;
DROP TRIGGER guideline_versions_rows_updated ON guideline_versions;
DROP TRIGGER guideline_versions_truncated ON guideline_versions;
DROP TRIGGER adoptions_rows_changed ON adoptions;
DROP TRIGGER adoptions_rows_updated ON adoptions;
DROP TRIGGER adoptions_truncated ON adoptions;
DROP TRIGGER federation_following_rows_changed ON federation_following;
DROP TRIGGER federation_following_state_updated ON federation_following;
DROP TRIGGER federation_following_truncated ON federation_following;
DROP FUNCTION leitplanken_network_changed();
DROP SEQUENCE network_generation;

-- Column names follow core's keys ('-' as '_'): risk_<riskClass>, automation_<automationLevel>,
-- hosting_<hostingKind>, bucket_<index of energyBucketBounds>; "unstated" counts a missing value.
CREATE TABLE network_city_figures (
  origin_actor text PRIMARY KEY,
  -- published use cases
  use_cases bigint NOT NULL DEFAULT 0,
  total_kwh numeric NOT NULL DEFAULT 0,
  reporting bigint NOT NULL DEFAULT 0,
  per_request_only bigint NOT NULL DEFAULT 0,
  without_estimate bigint NOT NULL DEFAULT 0,
  bucket_0 bigint NOT NULL DEFAULT 0,
  bucket_1 bigint NOT NULL DEFAULT 0,
  bucket_2 bigint NOT NULL DEFAULT 0,
  bucket_3 bigint NOT NULL DEFAULT 0,
  bucket_4 bigint NOT NULL DEFAULT 0,
  compensated bigint NOT NULL DEFAULT 0,
  compensated_kwh numeric NOT NULL DEFAULT 0,
  risk_prohibited bigint NOT NULL DEFAULT 0,
  risk_high bigint NOT NULL DEFAULT 0,
  risk_limited bigint NOT NULL DEFAULT 0,
  risk_minimal bigint NOT NULL DEFAULT 0,
  risk_unstated bigint NOT NULL DEFAULT 0,
  citizen_facing bigint NOT NULL DEFAULT 0,
  automation_information_only bigint NOT NULL DEFAULT 0,
  automation_decision_support bigint NOT NULL DEFAULT 0,
  automation_human_approves_each_action bigint NOT NULL DEFAULT 0,
  automation_automated_action bigint NOT NULL DEFAULT 0,
  hosting_on_premises bigint NOT NULL DEFAULT 0,
  hosting_municipal_data_centre bigint NOT NULL DEFAULT 0,
  hosting_eu_cloud bigint NOT NULL DEFAULT 0,
  hosting_non_eu_cloud bigint NOT NULL DEFAULT 0,
  hosting_unstated bigint NOT NULL DEFAULT 0,
  sovereignty_stated bigint NOT NULL DEFAULT 0,
  open_weights bigint NOT NULL DEFAULT 0,
  eu_jurisdiction bigint NOT NULL DEFAULT 0,
  -- shared models
  models bigint NOT NULL DEFAULT 0,
  model_hosting_on_premises bigint NOT NULL DEFAULT 0,
  model_hosting_municipal_data_centre bigint NOT NULL DEFAULT 0,
  model_hosting_eu_cloud bigint NOT NULL DEFAULT 0,
  model_hosting_non_eu_cloud bigint NOT NULL DEFAULT 0,
  model_open_weights bigint NOT NULL DEFAULT 0,
  -- what else makes a city known (coverage): other records, and following it (accepted)
  unpublished_use_cases bigint NOT NULL DEFAULT 0,
  guideline_versions bigint NOT NULL DEFAULT 0,
  adoptions bigint NOT NULL DEFAULT 0,
  followed bigint NOT NULL DEFAULT 0
);
COMMENT ON TABLE network_city_figures IS 'derived: counted from use_cases, shared_models, guideline_versions, adoptions and federation_following by triggers (migration 0080)';

CREATE TABLE network_model_reuse (
  model text NOT NULL,
  origin_actor text NOT NULL,
  -- published use cases of the city that name the model (each once, however often it names it)
  use_cases bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (model, origin_actor)
);
COMMENT ON TABLE network_model_reuse IS 'derived: counted from use_cases by triggers (migration 0080)';

-- For the median: the published estimates in order.
CREATE INDEX use_cases_published_kwh ON use_cases (kwh_per_year) WHERE workflow_state = 'published' AND kwh_per_year IS NOT NULL;

-- core's euCountryCodes (a test compares them).
CREATE FUNCTION leitplanken_eu_country(code text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT code = ANY (ARRAY['AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU',
    'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE'])
$$;

-- 1 when the condition holds, else 0 (also for null).
CREATE FUNCTION leitplanken_one_if(condition boolean) RETURNS int
LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN condition THEN 1 ELSE 0 END $$;

-- The statements that add the figures of `changed` (rows of `counted` with a column sign: +1 counted,
-- -1 taken back) to the counters.
CREATE FUNCTION leitplanken_network_figures_sql(counted text, changed text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  CASE counted
  WHEN 'use_cases' THEN RETURN ARRAY[format($sql$
    INSERT INTO network_city_figures AS f (origin_actor, use_cases, total_kwh, reporting, per_request_only, without_estimate,
      bucket_0, bucket_1, bucket_2, bucket_3, bucket_4, compensated, compensated_kwh,
      risk_prohibited, risk_high, risk_limited, risk_minimal, risk_unstated, citizen_facing,
      automation_information_only, automation_decision_support, automation_human_approves_each_action, automation_automated_action,
      hosting_on_premises, hosting_municipal_data_centre, hosting_eu_cloud, hosting_non_eu_cloud, hosting_unstated,
      sovereignty_stated, open_weights, eu_jurisdiction, unpublished_use_cases)
    SELECT origin_actor, sum(sign * p), sum(sign * p * coalesce(kwh_per_year, 0)), sum(sign * p * leitplanken_one_if(kwh_per_year IS NOT NULL)),
      sum(sign * p * leitplanken_one_if(energy_stated AND kwh_per_year IS NULL)), sum(sign * p * leitplanken_one_if(NOT energy_stated)),
      sum(sign * p * leitplanken_one_if(kwh_per_year >= 0 AND kwh_per_year < 10)), sum(sign * p * leitplanken_one_if(kwh_per_year >= 10 AND kwh_per_year < 100)),
      sum(sign * p * leitplanken_one_if(kwh_per_year >= 100 AND kwh_per_year < 1000)), sum(sign * p * leitplanken_one_if(kwh_per_year >= 1000 AND kwh_per_year < 10000)),
      sum(sign * p * leitplanken_one_if(kwh_per_year >= 10000)),
      sum(sign * p * leitplanken_one_if(energy_compensated AND kwh_per_year IS NOT NULL)),
      sum(sign * p * CASE WHEN energy_compensated THEN coalesce(kwh_per_year, 0) ELSE 0 END),
      sum(sign * p * leitplanken_one_if(risk_class = 'prohibited')), sum(sign * p * leitplanken_one_if(risk_class = 'high')),
      sum(sign * p * leitplanken_one_if(risk_class = 'limited')), sum(sign * p * leitplanken_one_if(risk_class = 'minimal')),
      sum(sign * p * leitplanken_one_if(risk_class IS NULL)),
      sum(sign * p * leitplanken_one_if(directly_affects_citizens)),
      sum(sign * p * leitplanken_one_if(directly_affects_citizens AND automation_level = 'information-only')),
      sum(sign * p * leitplanken_one_if(directly_affects_citizens AND automation_level = 'decision-support')),
      sum(sign * p * leitplanken_one_if(directly_affects_citizens AND automation_level = 'human-approves-each-action')),
      sum(sign * p * leitplanken_one_if(directly_affects_citizens AND automation_level = 'automated-action')),
      sum(sign * p * leitplanken_one_if(sovereignty_hosting = 'on-premises')), sum(sign * p * leitplanken_one_if(sovereignty_hosting = 'municipal-data-centre')),
      sum(sign * p * leitplanken_one_if(sovereignty_hosting = 'eu-cloud')), sum(sign * p * leitplanken_one_if(sovereignty_hosting = 'non-eu-cloud')),
      sum(sign * p * leitplanken_one_if(sovereignty_hosting IS NULL)),
      sum(sign * p * leitplanken_one_if(sovereignty_hosting IS NOT NULL)), sum(sign * p * leitplanken_one_if(sovereignty_open_weights)),
      sum(sign * p * leitplanken_one_if(leitplanken_eu_country(sovereignty_jurisdiction))),
      sum(sign * (1 - p))
    FROM (SELECT changed.*, leitplanken_one_if(workflow_state = 'published') AS p FROM (%s) AS changed) AS counted_rows
    GROUP BY origin_actor ORDER BY origin_actor
    ON CONFLICT (origin_actor) DO UPDATE SET use_cases = f.use_cases + excluded.use_cases, total_kwh = f.total_kwh + excluded.total_kwh,
      reporting = f.reporting + excluded.reporting, per_request_only = f.per_request_only + excluded.per_request_only,
      without_estimate = f.without_estimate + excluded.without_estimate, bucket_0 = f.bucket_0 + excluded.bucket_0,
      bucket_1 = f.bucket_1 + excluded.bucket_1, bucket_2 = f.bucket_2 + excluded.bucket_2, bucket_3 = f.bucket_3 + excluded.bucket_3,
      bucket_4 = f.bucket_4 + excluded.bucket_4, compensated = f.compensated + excluded.compensated,
      compensated_kwh = f.compensated_kwh + excluded.compensated_kwh, risk_prohibited = f.risk_prohibited + excluded.risk_prohibited,
      risk_high = f.risk_high + excluded.risk_high, risk_limited = f.risk_limited + excluded.risk_limited,
      risk_minimal = f.risk_minimal + excluded.risk_minimal, risk_unstated = f.risk_unstated + excluded.risk_unstated,
      citizen_facing = f.citizen_facing + excluded.citizen_facing,
      automation_information_only = f.automation_information_only + excluded.automation_information_only,
      automation_decision_support = f.automation_decision_support + excluded.automation_decision_support,
      automation_human_approves_each_action = f.automation_human_approves_each_action + excluded.automation_human_approves_each_action,
      automation_automated_action = f.automation_automated_action + excluded.automation_automated_action,
      hosting_on_premises = f.hosting_on_premises + excluded.hosting_on_premises,
      hosting_municipal_data_centre = f.hosting_municipal_data_centre + excluded.hosting_municipal_data_centre,
      hosting_eu_cloud = f.hosting_eu_cloud + excluded.hosting_eu_cloud, hosting_non_eu_cloud = f.hosting_non_eu_cloud + excluded.hosting_non_eu_cloud,
      hosting_unstated = f.hosting_unstated + excluded.hosting_unstated, sovereignty_stated = f.sovereignty_stated + excluded.sovereignty_stated,
      open_weights = f.open_weights + excluded.open_weights, eu_jurisdiction = f.eu_jurisdiction + excluded.eu_jurisdiction,
      unpublished_use_cases = f.unpublished_use_cases + excluded.unpublished_use_cases$sql$, changed),
    format($sql$
    INSERT INTO network_model_reuse AS r (model, origin_actor, use_cases)
    SELECT reference.model, origin_actor, sum(sign)
    FROM (%s) AS changed CROSS JOIN LATERAL (SELECT DISTINCT unnest(changed.model_ids)) AS reference(model)
    WHERE workflow_state = 'published'
    GROUP BY 1, 2 HAVING sum(sign) <> 0 ORDER BY 1, 2
    ON CONFLICT (model, origin_actor) DO UPDATE SET use_cases = r.use_cases + excluded.use_cases$sql$, changed)];
  WHEN 'shared_models' THEN RETURN ARRAY[format($sql$
    INSERT INTO network_city_figures AS f (origin_actor, models, model_hosting_on_premises, model_hosting_municipal_data_centre,
      model_hosting_eu_cloud, model_hosting_non_eu_cloud, model_open_weights)
    SELECT origin_actor, sum(sign), sum(sign * leitplanken_one_if(hosting = 'on-premises')), sum(sign * leitplanken_one_if(hosting = 'municipal-data-centre')),
      sum(sign * leitplanken_one_if(hosting = 'eu-cloud')), sum(sign * leitplanken_one_if(hosting = 'non-eu-cloud')), sum(sign * leitplanken_one_if(open_weights))
    FROM (%s) AS changed GROUP BY origin_actor ORDER BY origin_actor
    ON CONFLICT (origin_actor) DO UPDATE SET models = f.models + excluded.models,
      model_hosting_on_premises = f.model_hosting_on_premises + excluded.model_hosting_on_premises,
      model_hosting_municipal_data_centre = f.model_hosting_municipal_data_centre + excluded.model_hosting_municipal_data_centre,
      model_hosting_eu_cloud = f.model_hosting_eu_cloud + excluded.model_hosting_eu_cloud,
      model_hosting_non_eu_cloud = f.model_hosting_non_eu_cloud + excluded.model_hosting_non_eu_cloud,
      model_open_weights = f.model_open_weights + excluded.model_open_weights$sql$, changed)];
  WHEN 'guideline_versions', 'adoptions' THEN RETURN ARRAY[format($sql$
    INSERT INTO network_city_figures AS f (origin_actor, %1$I)
    SELECT origin_actor, sum(sign) FROM (%2$s) AS changed GROUP BY origin_actor HAVING sum(sign) <> 0 ORDER BY origin_actor
    ON CONFLICT (origin_actor) DO UPDATE SET %1$I = f.%1$I + excluded.%1$I$sql$, counted, changed)];
  WHEN 'federation_following' THEN RETURN ARRAY[format($sql$
    INSERT INTO network_city_figures AS f (origin_actor, followed)
    SELECT actor_id, sum(sign * leitplanken_one_if(state = 'accepted')) FROM (%s) AS changed
    GROUP BY actor_id HAVING sum(sign * leitplanken_one_if(state = 'accepted')) <> 0 ORDER BY actor_id
    ON CONFLICT (origin_actor) DO UPDATE SET followed = f.followed + excluded.followed$sql$, changed)];
  END CASE;
END
$$;

-- Counts every row of the counted tables afresh (the first fill, and after a TRUNCATE).
CREATE FUNCTION leitplanken_count_network_figures() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  counted text;
  statement text;
BEGIN
  DELETE FROM network_city_figures;
  DELETE FROM network_model_reuse;
  FOREACH counted IN ARRAY ARRAY['use_cases', 'shared_models', 'guideline_versions', 'adoptions', 'federation_following'] LOOP
    FOREACH statement IN ARRAY leitplanken_network_figures_sql(counted, format('SELECT 1 AS sign, * FROM %I', counted)) LOOP
      EXECUTE statement;
    END LOOP;
  END LOOP;
END
$$;

CREATE FUNCTION leitplanken_network_rows_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  statement text;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    PERFORM leitplanken_count_network_figures();
    RETURN NULL;
  END IF;
  FOREACH statement IN ARRAY leitplanken_network_figures_sql(TG_TABLE_NAME, CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT 1 AS sign, * FROM new_rows'
    WHEN 'DELETE' THEN 'SELECT -1 AS sign, * FROM old_rows'
    ELSE 'SELECT 1 AS sign, * FROM new_rows UNION ALL SELECT -1 AS sign, * FROM old_rows' END) LOOP
    EXECUTE statement;
  END LOOP;
  RETURN NULL;
END
$$;

CREATE TRIGGER use_cases_inserted_counted AFTER INSERT ON use_cases REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_rows_changed();
CREATE TRIGGER use_cases_updated_counted AFTER UPDATE ON use_cases REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_rows_changed();
CREATE TRIGGER use_cases_deleted_counted AFTER DELETE ON use_cases REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_rows_changed();
CREATE TRIGGER use_cases_truncated_counted AFTER TRUNCATE ON use_cases
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_rows_changed();

CREATE TRIGGER shared_models_inserted_counted AFTER INSERT ON shared_models REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_rows_changed();
CREATE TRIGGER shared_models_updated_counted AFTER UPDATE ON shared_models REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_rows_changed();
CREATE TRIGGER shared_models_deleted_counted AFTER DELETE ON shared_models REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_rows_changed();
CREATE TRIGGER shared_models_truncated_counted AFTER TRUNCATE ON shared_models
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_rows_changed();

CREATE TRIGGER guideline_versions_inserted_counted AFTER INSERT ON guideline_versions REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_rows_changed();
CREATE TRIGGER guideline_versions_updated_counted AFTER UPDATE ON guideline_versions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_rows_changed();
CREATE TRIGGER guideline_versions_deleted_counted AFTER DELETE ON guideline_versions REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_rows_changed();
CREATE TRIGGER guideline_versions_truncated_counted AFTER TRUNCATE ON guideline_versions
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_rows_changed();

CREATE TRIGGER adoptions_inserted_counted AFTER INSERT ON adoptions REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_rows_changed();
CREATE TRIGGER adoptions_updated_counted AFTER UPDATE ON adoptions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_rows_changed();
CREATE TRIGGER adoptions_deleted_counted AFTER DELETE ON adoptions REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_rows_changed();
CREATE TRIGGER adoptions_truncated_counted AFTER TRUNCATE ON adoptions
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_rows_changed();

CREATE TRIGGER federation_following_inserted_counted AFTER INSERT ON federation_following REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_rows_changed();
CREATE TRIGGER federation_following_updated_counted AFTER UPDATE ON federation_following REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_rows_changed();
CREATE TRIGGER federation_following_deleted_counted AFTER DELETE ON federation_following REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_rows_changed();
CREATE TRIGGER federation_following_truncated_counted AFTER TRUNCATE ON federation_following
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_rows_changed();

SELECT leitplanken_count_network_figures();
