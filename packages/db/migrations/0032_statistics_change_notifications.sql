-- The network statistics over all cities are kept in each process (network.repository.ts) until a
-- table they are counted from changes. Each change to these tables takes the next number of
-- network_generation (a sequence: it never waits on another writer) and announces itself with the
-- NOTIFY of migration 0031. A reader compares the generation it counted at with the current one
-- (one cheap statement, so it sees its own writes at once); the NOTIFY, sent at commit, drops
-- figures counted while another transaction had taken a number but not yet committed.

CREATE SEQUENCE network_generation;

CREATE FUNCTION leitplanken_network_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM nextval(format('%I.network_generation', TG_TABLE_SCHEMA)::regclass);
  PERFORM pg_notify('leitplanken_changes_' || left(md5(TG_TABLE_SCHEMA), 16), TG_TABLE_NAME);
  RETURN NULL;
END
$$;

CREATE TRIGGER use_cases_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON use_cases
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_changed();

CREATE TRIGGER shared_models_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON shared_models
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_changed();

CREATE TRIGGER guideline_versions_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON guideline_versions
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_changed();

CREATE TRIGGER adoptions_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON adoptions
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_changed();

CREATE TRIGGER federation_following_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON federation_following
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_network_changed();
