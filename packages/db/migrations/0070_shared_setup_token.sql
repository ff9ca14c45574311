-- The node's first admin token ("Admin <city>", written to a file on first start) is a shared
-- setup account: no single person stands behind it, so it may set the node up but never vet or
-- send back a use case (vetting records name the human who decided). Tokens made for people
-- (CLI, staff pages, API) are not shared.
ALTER TABLE access_token ADD COLUMN shared boolean NOT NULL DEFAULT false;

-- Nodes set up before this migration: their first token, when it is that admin token, is the
-- shared one (a later token made for a person keeps vetting).
UPDATE access_token SET shared = true
WHERE id = (SELECT id FROM access_token ORDER BY created_at, id LIMIT 1)
  AND role = 'admin'
  AND name LIKE 'Admin %';
