-- Ordering chains kept explicit. Messages sharing an ordering key run one after the other. The claim
-- found a chain's first message by checking, for every due message of the lane, that no earlier one
-- had its key: with 1,000 deliveries in 50 chains that was 42 ms per claim on PGlite, and several
-- hundred under load, on the node's only database thread. Now every chain has one head (`blocked`
-- false); its later messages are `blocked` until the head is deleted, so a claim reads the lane's
-- unblocked messages from a partial index in claim order and stops at its limit.
--
-- The triggers below keep "one head per chain" true for every writer (the queue, other processes,
-- a restore, a test's raw INSERT or DELETE): after an insert, the first new message of a chain
-- without a head becomes its head and the others are blocked; after a head is deleted, the oldest
-- message left of its chain becomes the head. Writers of the same keys are serialised by
-- transaction-scoped advisory locks, taken in one order, so no two writers wait for each other in a
-- circle; the statements after the lock see what the other writer committed (read committed). So
-- two concurrent enqueues of one key never make two heads, and a head deleted while a message of its
-- key is being enqueued never leaves that message blocked. `ordering_key` is not to be updated.

ALTER TABLE fedify_queue ADD COLUMN blocked boolean NOT NULL DEFAULT false;

UPDATE fedify_queue AS q SET blocked = true
WHERE q.ordering_key IS NOT NULL
  AND EXISTS (SELECT 1 FROM fedify_queue AS earlier WHERE earlier.ordering_key = q.ordering_key AND earlier.id < q.id);

-- The claim and the next due message of a lane: unblocked messages in claim order.
DROP INDEX fedify_queue_lane_run_at;
CREATE INDEX fedify_queue_lane_ready ON fedify_queue (lane, run_at, id) WHERE NOT blocked;

-- The head of a chain (one entry per chain).
CREATE INDEX fedify_queue_chain_head ON fedify_queue (ordering_key) WHERE ordering_key IS NOT NULL AND NOT blocked;

-- Both triggers first lock the buckets of the keys they touch (256 per schema, so a fan-out to
-- 5,000 hosts takes at most 256 locks of the server's shared lock table), in bucket order, until the
-- transaction ends; their next statement reads under those locks.

CREATE FUNCTION fedify_queue_chains_inserted() RETURNS trigger
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('leitplanken.queue:' || current_schema()), bucket)
  FROM (SELECT DISTINCT hashtext(ordering_key) & 255 AS bucket FROM fresh WHERE ordering_key IS NOT NULL ORDER BY 1) AS buckets;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  -- A chain keeps the head it had; a chain without one gets its first new message. Only the new
  -- messages whose state differs are written (the queue's own INSERT usually guessed right).
  WITH chain AS MATERIALIZED (
    SELECT ordering_key AS key, min(id) AS first FROM fresh WHERE ordering_key IS NOT NULL GROUP BY ordering_key),
  headed AS MATERIALIZED (
    SELECT chain.key, chain.first,
      EXISTS (SELECT 1 FROM fedify_queue AS q WHERE q.ordering_key = chain.key AND NOT q.blocked AND q.id NOT IN (SELECT id FROM fresh)) AS headed
    FROM chain)
  UPDATE fedify_queue AS q SET blocked = (headed.headed OR q.id <> headed.first)
  FROM fresh, headed
  WHERE q.id = fresh.id AND fresh.ordering_key = headed.key AND fresh.blocked <> (headed.headed OR fresh.id <> headed.first);
  RETURN NULL;
END;
$$;

CREATE FUNCTION fedify_queue_chains_deleted() RETURNS trigger
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('leitplanken.queue:' || current_schema()), bucket)
  FROM (SELECT DISTINCT hashtext(ordering_key) & 255 AS bucket FROM gone WHERE ordering_key IS NOT NULL AND NOT blocked ORDER BY 1) AS buckets;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  -- A chain whose head was deleted gets its oldest message left as head.
  UPDATE fedify_queue AS q SET blocked = false
  FROM (SELECT DISTINCT ordering_key FROM gone WHERE ordering_key IS NOT NULL AND NOT blocked) AS chain (key)
  WHERE q.id = (SELECT n.id FROM fedify_queue AS n WHERE n.ordering_key = chain.key ORDER BY n.ordering_key, n.id LIMIT 1)
    AND NOT EXISTS (SELECT 1 FROM fedify_queue AS h WHERE h.ordering_key = chain.key AND NOT h.blocked);
  RETURN NULL;
END;
$$;

CREATE TRIGGER fedify_queue_chains_inserted AFTER INSERT ON fedify_queue
  REFERENCING NEW TABLE AS fresh FOR EACH STATEMENT EXECUTE FUNCTION fedify_queue_chains_inserted();
CREATE TRIGGER fedify_queue_chains_deleted AFTER DELETE ON fedify_queue
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION fedify_queue_chains_deleted();
