-- Migration 0032 announced every statement on the tables the network statistics count, also those
-- that changed no row: the catch-up of followed cities renews its lease on federation_following
-- every few seconds, and an upsert that finds its record unchanged writes nothing, yet both made
-- every process count the statistics again. A change is now a row that was inserted, deleted or
-- really changed (for followed cities: their state), plus any TRUNCATE.

DROP TRIGGER use_cases_changed ON use_cases;
DROP TRIGGER shared_models_changed ON shared_models;
DROP TRIGGER guideline_versions_changed ON guideline_versions;
DROP TRIGGER adoptions_changed ON adoptions;
DROP TRIGGER federation_following_changed ON federation_following;

CREATE TRIGGER use_cases_rows_changed AFTER INSERT OR DELETE ON use_cases
  FOR EACH ROW EXECUTE FUNCTION leitplanken_network_changed();
CREATE TRIGGER use_cases_rows_updated AFTER UPDATE ON use_cases
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION leitplanken_network_changed();
CREATE TRIGGER use_cases_truncated AFTER TRUNCATE ON use_cases
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_changed();

CREATE TRIGGER shared_models_rows_changed AFTER INSERT OR DELETE ON shared_models
  FOR EACH ROW EXECUTE FUNCTION leitplanken_network_changed();
CREATE TRIGGER shared_models_rows_updated AFTER UPDATE ON shared_models
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION leitplanken_network_changed();
CREATE TRIGGER shared_models_truncated AFTER TRUNCATE ON shared_models
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_changed();

CREATE TRIGGER guideline_versions_rows_changed AFTER INSERT OR DELETE ON guideline_versions
  FOR EACH ROW EXECUTE FUNCTION leitplanken_network_changed();
CREATE TRIGGER guideline_versions_rows_updated AFTER UPDATE ON guideline_versions
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION leitplanken_network_changed();
CREATE TRIGGER guideline_versions_truncated AFTER TRUNCATE ON guideline_versions
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_changed();

CREATE TRIGGER adoptions_rows_changed AFTER INSERT OR DELETE ON adoptions
  FOR EACH ROW EXECUTE FUNCTION leitplanken_network_changed();
CREATE TRIGGER adoptions_rows_updated AFTER UPDATE ON adoptions
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION leitplanken_network_changed();
CREATE TRIGGER adoptions_truncated AFTER TRUNCATE ON adoptions
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_changed();

-- The statistics read only which cities are followed (accepted); leases and sync bookmarks are not changes.
CREATE TRIGGER federation_following_rows_changed AFTER INSERT OR DELETE ON federation_following
  FOR EACH ROW EXECUTE FUNCTION leitplanken_network_changed();
CREATE TRIGGER federation_following_state_updated AFTER UPDATE ON federation_following
  FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.actor_id IS DISTINCT FROM NEW.actor_id) EXECUTE FUNCTION leitplanken_network_changed();
CREATE TRIGGER federation_following_truncated AFTER TRUNCATE ON federation_following
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_changed();
