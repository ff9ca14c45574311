-- API tokens for writes. Only a SHA-256 hash of each token is stored: the token itself
-- is shown once when it is created and cannot be recovered from the database.
CREATE TABLE access_token (
  id          text PRIMARY KEY,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  role        text NOT NULL CHECK (role IN ('admin', 'editor', 'vetter', 'moderator')),
  token_hash  text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at  timestamptz
);
