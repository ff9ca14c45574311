-- The node's own settings (name, issuing body, contact, legal texts): one row, holding only
-- what an admin set in the staff area; everything else keeps following the configuration.

CREATE TABLE node_settings (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  overrides jsonb NOT NULL CHECK (jsonb_typeof(overrides) = 'object'),
  updated_at timestamptz NOT NULL,
  updated_by text NOT NULL CHECK (length(updated_by) BETWEEN 1 AND 200)
);
