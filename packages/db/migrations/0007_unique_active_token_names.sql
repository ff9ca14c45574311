-- A token's name is the person a vetting record or a catalog's moderator list names, so two
-- active tokens may not share one (revoked tokens keep theirs for the record).
CREATE UNIQUE INDEX access_token_active_name ON access_token (name) WHERE revoked_at IS NULL;
