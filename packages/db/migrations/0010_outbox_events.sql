-- The transactional outbox: every change the network must hear of is written here in the same
-- transaction as the change itself (the application layer does it), and federation's dispatcher
-- hands the events to delivery afterwards. A crash between commit and delivery loses nothing:
-- an event stays pending until it was handed on, and is then kept as dispatched.

CREATE TABLE outbox_events (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- Federation derives its activity ids from it: a repeated delivery carries the same ids.
  event_id uuid NOT NULL UNIQUE,
  -- Events of one stream (the record or entry they are about) are delivered in order.
  stream text NOT NULL,
  event jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  dispatched_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  -- A failed event is due again from this time on.
  retry_at timestamptz
);
CREATE INDEX outbox_events_pending ON outbox_events (seq) WHERE dispatched_at IS NULL;

-- One dispatcher at a time keeps the order of events: the process holding this lease.
CREATE TABLE outbox_dispatcher_lease (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  holder text NOT NULL,
  expires_at timestamptz NOT NULL
);
