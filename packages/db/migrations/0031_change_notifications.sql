-- Small tables that are read on every delivery and every inbound activity but written only by an
-- admin (the node's block list, its trust mode and lists) announce each change with a NOTIFY, so
-- every process can keep them in memory and drop its copy as soon as one changes (table-cache.ts).
-- The channel is per schema, as the queue's: NOTIFY channels are shared by the whole database.

CREATE FUNCTION leitplanken_notify_table_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('leitplanken_changes_' || left(md5(TG_TABLE_SCHEMA), 16), TG_TABLE_NAME);
  RETURN NULL;
END
$$;

CREATE TRIGGER federation_domain_blocks_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON federation_domain_blocks
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_notify_table_change();

CREATE TRIGGER network_trust_modes_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON network_trust_modes
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_notify_table_change();

CREATE TRIGGER network_trust_lists_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON network_trust_lists
  FOR EACH STATEMENT EXECUTE FUNCTION leitplanken_notify_table_change();
