-- Optimistic concurrency: every record and catalog row counts its saves. A writer names the
-- lock_version it read; a save of a record that changed since is refused (nothing overwritten).
ALTER TABLE guideline_versions ADD COLUMN lock_version integer NOT NULL DEFAULT 1;
ALTER TABLE use_cases ADD COLUMN lock_version integer NOT NULL DEFAULT 1;
ALTER TABLE shared_models ADD COLUMN lock_version integer NOT NULL DEFAULT 1;
ALTER TABLE catalogs ADD COLUMN lock_version integer NOT NULL DEFAULT 1;
ALTER TABLE catalog_members ADD COLUMN lock_version integer NOT NULL DEFAULT 1;
ALTER TABLE catalog_entries ADD COLUMN lock_version integer NOT NULL DEFAULT 1;
ALTER TABLE moderation_reports ADD COLUMN lock_version integer NOT NULL DEFAULT 1;
