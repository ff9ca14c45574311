-- The node settings are read for every page and every API response that names this city (its
-- name, its municipality id) and written only by an admin: each process keeps them in memory and
-- drops its copy when they change (the NOTIFY of migration 0031, table-cache.ts).

CREATE TRIGGER node_settings_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON node_settings
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_notify_table_change();
