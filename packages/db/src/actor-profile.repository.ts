import type { ActorFetchFailure, ActorKind, ActorProfileStore } from "@leitplanken/core";
import type { Queryable } from "./database.ts";

interface ProfileRow {
  actor_id: string;
  kind: ActorKind;
  name: string | null;
  municipality_id: string | null;
  website: string | null;
  fetched_at: Date;
}

/** Core's `ActorProfileStore` on `actor_profiles` and `actor_fetch_failures` (migration 0062). */
export function createActorProfileRepository(db: Queryable): ActorProfileStore {
  return {
    async saveActorProfile(profile) {
      await db.query(
        `INSERT INTO actor_profiles (actor_id, kind, name, municipality_id, website, fetched_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (actor_id) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, municipality_id = EXCLUDED.municipality_id,
           website = EXCLUDED.website, fetched_at = EXCLUDED.fetched_at`,
        [profile.id, profile.kind, profile.name, profile.municipalityId, profile.website, profile.fetchedAt],
      );
      await db.query("DELETE FROM actor_fetch_failures WHERE actor_id = $1", [profile.id]);
    },
    async saveActorFetchFailure(failure: ActorFetchFailure) {
      await db.query(
        `INSERT INTO actor_fetch_failures (actor_id, failed_at, reason) VALUES ($1, $2, $3)
         ON CONFLICT (actor_id) DO UPDATE SET failed_at = EXCLUDED.failed_at, reason = EXCLUDED.reason`,
        [failure.id, failure.failedAt, failure.reason.slice(0, 500)],
      );
    },
    async findActorProfiles(ids) {
      if (ids.length === 0) return { profiles: [], failures: [] };
      // One statement for both (every page that names cities asks): a profile, else the remembered failure.
      const { rows } = await db.query<
        { actor_id: string; failed_at: Date | null; reason: string | null } & (({ profile: true } & ProfileRow) | ({ profile: false } & Partial<ProfileRow>))
      >(
        `SELECT true AS profile, p.actor_id, p.kind, p.name, p.municipality_id, p.website, p.fetched_at, NULL::timestamptz AS failed_at, NULL AS reason
         FROM actor_profiles p WHERE p.actor_id = ANY($1)
         UNION ALL
         SELECT false, f.actor_id, NULL, NULL, NULL, NULL, NULL, f.failed_at, f.reason
         FROM actor_fetch_failures f WHERE f.actor_id = ANY($1) AND NOT EXISTS (SELECT 1 FROM actor_profiles p WHERE p.actor_id = f.actor_id)`,
        [ids],
      );
      return {
        profiles: rows.flatMap((row) =>
          row.profile
            ? [
                {
                  id: row.actor_id,
                  kind: row.kind,
                  name: row.name,
                  municipalityId: row.municipality_id,
                  website: row.website,
                  fetchedAt: row.fetched_at.toISOString(),
                },
              ]
            : [],
        ),
        failures: rows.flatMap((row) => (row.profile ? [] : [{ id: row.actor_id, failedAt: row.failed_at!.toISOString(), reason: row.reason ?? "" }])),
      };
    },
    async actorsToRefresh(before, limit) {
      // The cities whose names pages show: origins of received records and adoptions, followed cities, catalog members.
      const { rows } = await db.query<{ actor_id: string }>(
        `WITH known AS (
           SELECT origin_actor AS actor_id FROM use_cases WHERE source = 'received'
           UNION SELECT origin_actor FROM guideline_versions WHERE source = 'received'
           UNION SELECT origin_actor FROM shared_models WHERE source = 'received'
           UNION SELECT adopter FROM adoptions WHERE source = 'received'
           UNION SELECT actor_id FROM federation_following
           UNION SELECT actor FROM catalog_members
         )
         SELECT known.actor_id FROM known
         LEFT JOIN actor_profiles profile ON profile.actor_id = known.actor_id
         LEFT JOIN actor_fetch_failures failure ON failure.actor_id = known.actor_id
         WHERE (profile.fetched_at IS NULL OR profile.fetched_at < $1) AND (failure.failed_at IS NULL OR failure.failed_at < $1)
         ORDER BY profile.fetched_at NULLS FIRST, known.actor_id
         LIMIT $2`,
        [before, limit],
      );
      return rows.map((row) => row.actor_id);
    },
  };
}
