-- Lanes in the message queue: inbound activities, outgoing deliveries and fan-outs each have their
-- own lane, read by their own workers, so a fan-out of 1,000 deliveries never holds back an inbound
-- activity. A queue object reads and writes one lane; messages queued before this migration go to
-- the lane of their Fedify message type.

ALTER TABLE fedify_queue ADD COLUMN lane text NOT NULL DEFAULT 'default';

UPDATE fedify_queue SET lane = payload ->> 'type' WHERE payload ->> 'type' IN ('inbox', 'outbox', 'fanout');

DROP INDEX fedify_queue_run_at;

-- The claim: the oldest due messages of a lane; and when the next delayed one is due.
CREATE INDEX fedify_queue_lane_run_at ON fedify_queue (lane, run_at, id);

-- When the next lease held by another worker runs out (a worker that died).
CREATE INDEX fedify_queue_lane_locked_until ON fedify_queue (lane, locked_until) WHERE locked_until IS NOT NULL;
