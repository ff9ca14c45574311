-- Federation state of this node's city actor: its key pairs, follow relations in both
-- directions, inbound activity ids (replay protection), failed deliveries and blocked domains.

CREATE TABLE federation_key_pairs (
  algorithm text PRIMARY KEY CHECK (algorithm IN ('RSASSA-PKCS1-v1_5', 'Ed25519')),
  public_key_jwk jsonb NOT NULL,
  private_key_jwk jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE federation_followers (
  actor_id text PRIMARY KEY,
  inbox_url text NOT NULL,
  shared_inbox_url text,
  follow_activity_id text NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'accepted', 'rejected')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE federation_following (
  actor_id text PRIMARY KEY,
  inbox_url text NOT NULL,
  shared_inbox_url text,
  follow_activity_id text NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'accepted', 'rejected')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE federation_inbound_activities (
  activity_id text PRIMARY KEY,
  actor_id text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE federation_delivery_failures (
  follower_actor_id text NOT NULL,
  activity_id text NOT NULL,
  inbox_url text NOT NULL,
  status_code integer,
  error text NOT NULL,
  failed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (follower_actor_id, activity_id)
);

CREATE TABLE federation_domain_blocks (
  domain text PRIMARY KEY CHECK (domain = lower(domain) AND domain <> ''),
  reason text,
  created_at timestamptz NOT NULL DEFAULT now()
);
